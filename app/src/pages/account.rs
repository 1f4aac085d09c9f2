//! Your account: who you are signed in as, and your two-step sign-in — turning it on, new
//! recovery codes, turning it off where your team does not require it.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::two_step::TwoStepStatus;
use portico_shared::{Field, FieldError};

use crate::api::account::{account_page, BeginTwoStep, ConfirmTwoStep, ReplaceRecoveryCodes, TurnOffTwoStep};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, successes, SubmitButton, TextField};
use crate::pages::two_step::{KeyToAdd, RecoveryCodes};

#[component]
pub fn AccountPage() -> impl IntoView {
    let begin = ServerAction::<BeginTwoStep>::new();
    let confirm = ServerAction::<ConfirmTwoStep>::new();
    let replace = ServerAction::<ReplaceRecoveryCodes>::new();
    let turn_off = ServerAction::<TurnOffTwoStep>::new();
    let actions = Actions { begin, confirm, replace, turn_off };
    // The page reloads after each change that was made, and shows new recovery codes once.
    let confirmed = successes(confirm.version(), move || matches!(confirm.value().get(), Some(Ok(_))));
    let replaced = successes(replace.version(), move || matches!(replace.value().get(), Some(Ok(_))));
    let turned_off = successes(turn_off.version(), move || matches!(turn_off.value().get(), Some(Ok(()))));
    let data = Resource::new_serde_wb(move || (confirmed.get(), replaced.get(), turned_off.get()), |_| account_page());
    let shown_codes = RwSignal::new(None::<Vec<String>>);
    Effect::new(move || {
        if let Some(Ok(codes)) = confirm.value().get() {
            shown_codes.set(Some(codes));
        }
    });
    Effect::new(move || {
        if let Some(Ok(codes)) = replace.value().get() {
            shown_codes.set(Some(codes));
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading your account…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let (name, email, role) = (page.user.name.clone(), page.user.email.clone(), page.user.role);
                        view! {
                            <Title text="Your account"/>
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb">
                                    <a href="/">"Home"</a>" / Your account"
                                </nav>
                                <h1>"Your account"</h1>
                                <dl class="facts">
                                    <dt>"Name"</dt><dd>{name}</dd>
                                    <dt>"E-mail"</dt><dd>{email}</dd>
                                    <dt>"Role"</dt><dd>{role.label()}</dd>
                                </dl>
                                {move || shown_codes.get().map(|codes| view! { <RecoveryCodes codes next="/account"/> })}
                                <TwoStepSection status=page.two_step actions/>
                            </SignedInLayout>
                        }
                        .into_any_sync()
                    }
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    begin: ServerAction<BeginTwoStep>,
    confirm: ServerAction<ConfirmTwoStep>,
    replace: ServerAction<ReplaceRecoveryCodes>,
    turn_off: ServerAction<TurnOffTwoStep>,
}

#[component]
fn TwoStepSection(status: TwoStepStatus, actions: Actions) -> impl IntoView {
    let body = if status.enabled {
        let left = status.recovery_codes_left;
        let low = (left < 3).then_some(" Make new ones before they run out.");
        view! {
            <p>"On. You sign in with your password and a code from your authenticator app."</p>
            <p>{format!("Recovery codes left: {left}.")}{low}</p>
            <details class="confirm">
                <summary class="small">"New recovery codes…"</summary>
                <p>"Your current recovery codes stop working and ten new ones are shown once."</p>
                <ActionForm action=actions.replace>
                    {view! {
                        <CodeFields
                            errors=field_errors(move || actions.replace.value().get())
                            failure=form_failure(move || actions.replace.value().get())
                            pending=actions.replace.pending()
                            id="replace"
                            submit="Make new codes"
                        />
                    }
                    .into_any_sync()}
                </ActionForm>
            </details>
            {if status.required {
                view! {
                    <p class="note">
                        "Required for your account, so it stays on. If you change phones, an admin of your team can \
                         reset it, and you add the new phone at your next sign-in."
                    </p>
                }
                .into_any_sync()
            } else {
                view! {
                    <details class="confirm">
                        <summary class="small danger">"Turn off…"</summary>
                        <p>"Your password alone will sign you in again, and your recovery codes stop working."</p>
                        <ActionForm action=actions.turn_off>
                            {view! {
                                <CodeFields
                                    errors=field_errors(move || actions.turn_off.value().get())
                                    failure=form_failure(move || actions.turn_off.value().get())
                                    pending=actions.turn_off.pending()
                                    id="turn-off"
                                    submit="Turn off"
                                />
                            }
                            .into_any_sync()}
                        </ActionForm>
                    </details>
                }
                .into_any_sync()
            }}
        }
        .into_any_sync()
    } else {
        let setup = move || match actions.begin.value().get() {
            Some(Ok(setup)) => Some(setup),
            _ => None,
        };
        let begin_failure = form_failure(move || actions.begin.value().get());
        let required = status.required.then_some(" Your team requires it: you add an app at your next sign-in.");
        view! {
            <p>
                "Off. Add a code from an authenticator app to your password, so that a stolen password alone cannot \
                 open your account."
                {required}
            </p>
            <div hidden=move || setup().is_some()>
                <ActionForm action=actions.begin>
                    {view! {
                        <SubmitButton pending=actions.begin.pending() label="Turn on…" busy="Preparing…"/>
                    }
                    .into_any_sync()}
                </ActionForm>
                <p class="form-error" role="alert">{begin_failure}</p>
            </div>
            {move || setup().map(|setup| view! {
                <KeyToAdd setup/>
                <ActionForm action=actions.confirm>
                    {view! {
                        <CodeFields
                            errors=field_errors(move || actions.confirm.value().get())
                            failure=form_failure(move || actions.confirm.value().get())
                            pending=actions.confirm.pending()
                            id="confirm"
                            submit="Turn on"
                        />
                    }
                    .into_any_sync()}
                </ActionForm>
            })}
        }
        .into_any_sync()
    };
    view! {
        <section aria-labelledby="two-step-title">
            <h2 id="two-step-title" class="section">"Two-step sign-in"</h2>
            {body}
        </section>
    }
}

/// The fields of a form that sends one code (from the app, or a recovery code), with what its
/// last sending was refused for.
#[component]
fn CodeFields(
    errors: Signal<Vec<FieldError>>,
    failure: Signal<Option<String>>,
    pending: Memo<bool>,
    id: &'static str,
    submit: &'static str,
) -> impl IntoView {
    focus_first_error(errors);
    view! {
        <TextField
            field=Field::Code
            label="Code from your app, or a recovery code"
            kind="text"
            autocomplete="one-time-code"
            required=true
            value=String::new()
            errors
            id_prefix=id
            arg=""
        />
        <p class="form-error" role="alert">{failure}</p>
        <SubmitButton pending label=submit busy="Checking…"/>
    }
}
