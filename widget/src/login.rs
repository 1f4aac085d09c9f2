//! The Login tab: sign in, see where the account stands, log out, or get a password link.
//! Browsers block storage in third-party iframes, so the session token lives in memory only; the
//! server also sets a partitioned cookie, with which supporting browsers keep the session across
//! a reload of the reseller's page (the first check below finds it).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Account, Failure};
use crate::config::FrameConfig;
use crate::host::Host;

#[derive(Clone, PartialEq)]
enum View {
    /// Looking for a stored session.
    Checking,
    SignIn,
    ForgotPassword,
    SignedIn(Account),
}

#[component]
pub fn LoginPanel(config: FrameConfig, host: Host) -> impl IntoView {
    let key = StoredValue::new(config.key.clone());
    let reseller = StoredValue::new(config.reseller_name.clone());
    let view = RwSignal::new(View::Checking);
    spawn_local(async move {
        let token = SESSION.with(|t| t.borrow().clone());
        let account = api::current_account(&key.get_value(), token.as_deref()).await;
        view.set(account.map_or(View::SignIn, View::SignedIn));
    });
    let host = StoredValue::new(host);
    move || match view.get() {
        View::Checking => view! { <p class="panel portico-loading" role="status">"Loading…"</p> }.into_any(),
        View::SignIn => view! { <SignInForm widget_key=key view host/> }.into_any(),
        View::ForgotPassword => view! { <ForgotPassword widget_key=key view/> }.into_any(),
        View::SignedIn(account) => {
            view! { <Signed account reseller=reseller.get_value() widget_key=key view/> }.into_any()
        }
    }
}

#[component]
fn SignInForm(widget_key: StoredValue<String>, view: RwSignal<View>, host: StoredValue<Host>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let unverified = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        spawn_local(async move {
            let key = widget_key.get_value();
            match api::login(&key, &email.get_untracked(), &password.get_untracked()).await {
                Ok((token, account)) => {
                    SESSION.with(|t| *t.borrow_mut() = Some(token));
                    host.get_value().emit("login", "{}");
                    view.set(View::SignedIn(account));
                }
                Err(refusal) => {
                    error.set(refusal.message);
                    unverified.set(refusal.needs_verification);
                    sending.set(false);
                }
            }
        });
    };
    view! {
        <form class="panel" novalidate on:submit=submit>
            <h1>"Login"</h1>
            <div class="field">
                <label for="portico-login-email">"E-mail"</label>
                <input id="portico-login-email" type="email" autocomplete="username" required
                    on:input=move |ev| email.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="portico-login-password">"Password"</label>
                <input id="portico-login-password" type="password" autocomplete="current-password" required
                    on:input=move |ev| password.set(event_target_value(&ev))/>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            {move || unverified.get().then(|| view! { <ResendLink widget_key email=email.get_untracked()/> })}
            <button type="submit" class="primary" aria-busy=move || sending.get().to_string()>
                {move || if sending.get() { "Logging in…" } else { "Login" }}
            </button>
            <p><button type="button" class="link" on:click=move |_| view.set(View::ForgotPassword)>"Forgot password?"</button></p>
        </form>
    }
}

#[component]
fn ResendLink(widget_key: StoredValue<String>, email: String) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let resend = move |_| {
        let email = email.clone();
        spawn_local(async move {
            note.set(match api::resend_verification(&widget_key.get_value(), &email).await {
                Ok(()) => "We sent another link. Open it, then log in.".into(),
                Err(Failure::Message(message)) => message,
                Err(Failure::Fields(errors)) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "),
            });
        });
    };
    view! {
        <p><button type="button" class="link" on:click=resend>"Send the confirmation link again"</button></p>
        <p class="note" aria-live="polite">{move || note.get()}</p>
    }
}

#[component]
fn ForgotPassword(widget_key: StoredValue<String>, view: RwSignal<View>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match api::request_password_reset(&widget_key.get_value(), &email.get_untracked()).await {
                Ok(()) => {
                    error.set(String::new());
                    note.set(format!(
                        "If an account uses {}, we sent it a link to choose a new password. It works for one hour.",
                        email.get_untracked().trim()
                    ));
                }
                Err(Failure::Message(message)) => error.set(message),
                Err(Failure::Fields(errors)) => {
                    error.set(errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "))
                }
            }
        });
    };
    view! {
        <form class="panel" novalidate on:submit=submit>
            <h1>"Forgot password"</h1>
            <p>"Enter the e-mail address of your account. We will send you a link to choose a new password."</p>
            <div class="field">
                <label for="portico-reset-email">"E-mail"</label>
                <input id="portico-reset-email" type="email" autocomplete="username" required
                    on:input=move |ev| email.set(event_target_value(&ev))/>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <p class="note" role="status">{move || note.get()}</p>
            <button type="submit" class="primary">"Send me a link"</button>
            <p><button type="button" class="link" on:click=move |_| view.set(View::SignIn)>"Back to Login"</button></p>
        </form>
    }
}

#[component]
fn Signed(account: Account, reseller: String, widget_key: StoredValue<String>, view: RwSignal<View>) -> impl IntoView {
    let standing = match account.status.as_str() {
        "active" => "Your account is active.".to_owned(),
        "pending_approval" => {
            format!("Your account is waiting for approval by {reseller}. We will e-mail you once it is ready.")
        }
        _ => format!("Your account is not active. Please contact {reseller}."),
    };
    let logout = move |_| {
        spawn_local(async move {
            let token = SESSION.with(|t| t.borrow_mut().take());
            api::logout(&widget_key.get_value(), token.as_deref()).await;
            view.set(View::SignIn);
        });
    };
    view! {
        <section class="panel" aria-labelledby="portico-account">
            <h1 id="portico-account">{format!("Welcome, {}", account.name)}</h1>
            <p>{format!("Signed in as {} for {}.", account.email, account.organization)}</p>
            <p role="status">{standing}</p>
            <button type="button" class="primary" on:click=logout>"Log out"</button>
        </section>
    }
}

thread_local! {
    /// The session token of this page load, shared by every view of the Login tab.
    static SESSION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}
