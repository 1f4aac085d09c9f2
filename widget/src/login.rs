//! The Login tab: sign in, see where the account stands, log out, or get a password link.
//! Browsers block storage in third-party iframes, so the session token lives in memory only; the
//! server also sets a partitioned cookie, with which supporting browsers keep the session across
//! a reload of the reseller's page (`Shell::check_session` finds it).

use leptos::prelude::*;
use portico_shared::customer::CustomerStatus;
use portico_shared::login::WidgetAccount;

use crate::shell::{Session, Shell};
use crate::test_drives::Drives;
use crate::words::{fill, w};
use crate::{api, browser};

/// The tab's state, kept while the visitor looks at another tab.
#[derive(Clone, Copy)]
pub struct LoginForm {
    forgot_password: RwSignal<bool>,
    email: RwSignal<String>,
    password: RwSignal<String>,
    sending: RwSignal<bool>,
    /// Why the last attempt failed, in the server's words.
    error: RwSignal<String>,
    /// The last refusal was for an e-mail address not confirmed yet.
    unverified: RwSignal<bool>,
    /// What a resend or a password-link request answered.
    note: RwSignal<String>,
}

impl Default for LoginForm {
    fn default() -> Self {
        LoginForm {
            forgot_password: RwSignal::new(false),
            email: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            sending: RwSignal::new(false),
            error: RwSignal::new(String::new()),
            unverified: RwSignal::new(false),
            note: RwSignal::new(String::new()),
        }
    }
}

/// Which screen the tab shows; typing changes none of it.
#[derive(Clone, PartialEq)]
enum Screen {
    Loading,
    SignedIn(WidgetAccount),
    Forgot,
    SignIn,
}

impl LoginForm {
    fn clear_messages(self) {
        self.error.set(String::new());
        self.note.set(String::new());
    }

    /// The link between signing in and asking for a password link.
    fn switch(self, to_forgot_password: bool, label: &'static str) -> impl IntoView {
        let switch = move |_| {
            self.clear_messages();
            self.forgot_password.set(to_forgot_password);
        };
        view! {
            <p>
                <button type="button" class="link" on:click=switch>{label}</button>
            </p>
        }
    }

    fn log_in(self, shell: Shell, drives: Drives) {
        if self.sending.get_untracked() {
            return;
        }
        self.sending.set(true);
        let (key, email, password) = (shell.key(), self.email.get_untracked(), self.password.get_untracked());
        leptos::task::spawn_local(async move {
            let answer = api::login(&key, &email, &password).await;
            self.sending.set(false);
            match answer {
                Ok(signed_in) => {
                    shell.emit("login", "{}");
                    self.password.set(String::new());
                    self.unverified.set(false);
                    self.clear_messages();
                    // Test drives listed for whoever was signed in before are not this person's.
                    drives.forget_instances();
                    shell.session.set(Session::SignedIn { token: Some(signed_in.token), account: signed_in.account });
                }
                Err(failure) => {
                    self.unverified.set(api::needs_verification(&failure));
                    self.error.set(failure.words());
                }
            }
        });
    }

    fn request_link(self, shell: Shell) {
        let (key, email) = (shell.key(), self.email.get_untracked().trim().to_owned());
        leptos::task::spawn_local(async move {
            match api::request_password_reset(&key, &email).await {
                Ok(()) => {
                    self.error.set(String::new());
                    self.note.set(fill(w().reset_sent, &[&email]));
                }
                Err(failure) => {
                    self.note.set(String::new());
                    self.error.set(failure.words());
                }
            }
        });
    }

    fn resend(self, shell: Shell) {
        let (key, email) = (shell.key(), self.email.get_untracked());
        leptos::task::spawn_local(async move {
            let note = match api::resend_verification(&key, &email).await {
                Ok(()) => w().sent_again_login.to_owned(),
                Err(failure) => failure.words(),
            };
            self.note.set(note);
        });
    }
}

#[component]
pub fn LoginTab(shell: Shell, form: LoginForm, drives: Drives) -> impl IntoView {
    shell.check_session();
    let screen = Memo::new(move |_| match shell.session.get() {
        Session::Unknown | Session::Checking => Screen::Loading,
        Session::SignedIn { account, .. } => Screen::SignedIn(account),
        Session::SignedOut if form.forgot_password.get() => Screen::Forgot,
        Session::SignedOut => Screen::SignIn,
    });
    move || match screen.get() {
        Screen::Loading => view! { <p class="panel portico-loading" role="status">{w().loading}</p> }.into_any(),
        Screen::SignedIn(account) => signed_in(shell, drives, account).into_any(),
        Screen::Forgot => forgot_password(shell, form).into_any(),
        Screen::SignIn => sign_in(shell, form, drives).into_any(),
    }
}

fn sign_in(shell: Shell, form: LoginForm, drives: Drives) -> impl IntoView {
    let sending = move || form.sending.get();
    view! {
        <form
            class="panel"
            novalidate
            on:submit=browser::on_submit(move || form.log_in(shell, drives))
        >
            <h1>{w().login}</h1>
            {field("portico-login-email", w().email, "email", "username", form.email)}
            {field("portico-login-password", w().password, "password", "current-password", form.password)}
            <p class="form-error" id="portico-login-error" role="alert">{move || form.error.get()}</p>
            <p id="portico-login-resend" hidden=move || !form.unverified.get()>
                <button type="button" class="link" on:click=move |_| form.resend(shell)>{w().resend_link}</button>
            </p>
            <p class="note" id="portico-login-note" aria-live="polite">{move || form.note.get()}</p>
            <button type="submit" class="primary" id="portico-login-submit" aria-busy=move || sending().to_string()>
                {move || if sending() { w().logging_in } else { w().login }}
            </button>
            {form.switch(true, w().forgot)}
        </form>
    }
}

fn forgot_password(shell: Shell, form: LoginForm) -> impl IntoView {
    view! {
        <form
            class="panel"
            novalidate
            on:submit=browser::on_submit(move || form.request_link(shell))
        >
            <h1>{w().forgot_title}</h1>
            <p>{w().forgot_intro}</p>
            {field("portico-reset-email", w().email, "email", "username", form.email)}
            <p class="form-error" id="portico-login-error" role="alert">{move || form.error.get()}</p>
            <p class="note" id="portico-login-note" role="status">{move || form.note.get()}</p>
            <button type="submit" class="primary">{w().send_link}</button>
            {form.switch(false, w().back_to_login)}
        </form>
    }
}

/// A labelled input whose `name` is `email` or `password`, the two things this tab asks for.
fn field(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=kind
                type=kind
                autocomplete=autocomplete
                value=value.get_untracked()
                required
                on:input=move |event| value.set(event_target_value(&event))
            />
        </div>
    }
}

fn signed_in(shell: Shell, drives: Drives, account: WidgetAccount) -> impl IntoView {
    let reseller = shell.reseller();
    let standing = match account.status {
        CustomerStatus::Active => w().active.to_owned(),
        CustomerStatus::PendingApproval => fill(w().awaiting_approval, &[&reseller]),
        _ => fill(w().inactive, &[&reseller]),
    };
    let log_out = move |_| {
        let (key, token) = (shell.key(), shell.token());
        shell.session.set(Session::SignedOut);
        drives.forget_instances();
        leptos::task::spawn_local(async move { api::logout(&key, token.as_deref()).await });
    };
    view! {
        <section class="panel" aria-labelledby="portico-account">
            <h1 id="portico-account">{fill(w().welcome, &[&account.name])}</h1>
            <p>{fill(w().signed_in_as, &[&account.email, &account.organization])}</p>
            <p role="status">{standing}</p>
            <button type="button" class="primary" on:click=log_out>{w().log_out}</button>
        </section>
    }
}
