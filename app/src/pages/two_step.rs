//! Two-step sign-in: the sign-in's second step (a code, or adding an app when the account must
//! have one), and the parts the account page shares with it — the key to add to an app and the
//! recovery codes shown once.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::two_step::{SecondStep, TwoStepSetup};
use portico_shared::Field;

use crate::api::account::{pending_second_step, SignInCode};
use crate::erased::IntoAnySync;
use crate::pages::copy::CopyButton;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, SubmitButton, TextField};

/// `/login/code`: the second step of a sign-in whose password was right.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let answer = ServerAction::<SignInCode>::new();
    let step = Resource::new_serde_wb(|| (), |_| pending_second_step());
    let codes = move || match answer.value().get() {
        Some(Ok(Some(codes))) => Some(codes),
        _ => None,
    };
    view! {
        <Title text="Two-step sign-in"/>
        <main class="auth">
            <h1>"Portico"</h1>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match step.await {
                        Ok(step) => view! {
                            <div hidden=move || codes().is_some()>
                                <SecondStepForm step answer/>
                            </div>
                            {move || codes().map(|codes| view! { <RecoveryCodes codes next="/"/> })}
                        }
                        .into_any_sync(),
                        Err(_) => view! {
                            <p class="lede">"This sign-in has timed out or was ended."</p>
                            <p><a class="button primary" href="/login">"Sign in again"</a></p>
                        }
                        .into_any_sync(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// The code asked for: from the app (or a recovery code), or the first code of the app being
/// added.
#[component]
fn SecondStepForm(step: SecondStep, answer: ServerAction<SignInCode>) -> impl IntoView {
    let pending = answer.pending();
    let value = move || answer.value().get();
    let errors = field_errors(value);
    focus_first_error(errors);
    let failure = form_failure(value);
    let (intro, setup, label, submit) = match step {
        SecondStep::Code => {
            ("Enter the 6-digit code your authenticator app shows for Portico.", None, "Authentication code", "Verify")
        }
        SecondStep::SetUp(setup) => (
            "Your account signs in with two steps: your password and a code from an authenticator app. Add Portico \
             to an app to continue.",
            Some(setup),
            "Code from the app",
            "Turn on and sign in",
        ),
    };
    let adding = setup.is_some();
    view! {
        <p class="lede">{intro}</p>
        {setup.map(|setup| view! { <KeyToAdd setup/> })}
        <ActionForm action=answer>
            {view! {
                <TextField
                    field=Field::Code
                    label
                    kind="text"
                    autocomplete="one-time-code"
                    required=true
                    value=String::new()
                    errors
                    id_prefix="second-step"
                    arg=""
                />
                <p class="form-error" role="alert" aria-live="assertive">{failure}</p>
                <SubmitButton pending label=submit busy="Checking…"/>
            }
            .into_any_sync()}
        </ActionForm>
        {(!adding).then(|| view! {
            <p class="note">
                "Lost your phone? Enter one of your recovery codes instead. None left? Ask an admin of your team to \
                 reset your two-step sign-in."
            </p>
        })}
        <p><a href="/login">"Sign in as someone else"</a></p>
    }
}

/// How to add the key to an authenticator app: scan the QR code, or type the key.
#[component]
pub fn KeyToAdd(setup: TwoStepSetup) -> impl IntoView {
    view! {
        <ol class="steps">
            <li>
                "Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password \
                 or another) and add an account by scanning this code:"
                <img class="qr" src=setup.qr_image alt="QR code of your Portico key" width="200" height="200"/>
                <p class="help">
                    "Cannot scan it? Add the account by hand with this key (time-based, for " {setup.account} "): "
                    <code class="key">{setup.key.clone()}</code>
                </p>
            </li>
            <li>"Enter the 6-digit code the app now shows for Portico."</li>
        </ol>
    }
}

/// New recovery codes, shown once, with a way to copy them and the way on.
#[component]
pub fn RecoveryCodes(codes: Vec<String>, next: &'static str) -> impl IntoView {
    let all = codes.join("\n");
    view! {
        <section class="recovery-codes" aria-labelledby="recovery-title">
            <h2 id="recovery-title" class="section">"Save your recovery codes"</h2>
            <p>
                "If you lose your phone, each of these codes signs you in once in place of the app's code. Keep them \
                 somewhere safe, such as your password manager: they are shown only now."
            </p>
            <ul class="codes">{codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}</ul>
            <p>
                <CopyButton text=all label="Copy the recovery codes".to_owned()/>
            </p>
            <p><a class="button primary" href=next>"I have saved them: continue"</a></p>
        </section>
    }
}
