//! The Login tab: sign in, see where the account stands, log out, or get a password link.
//! Browsers block storage in third-party iframes, so the session token lives in memory only; the
//! server also sets a partitioned cookie, with which supporting browsers keep the session across
//! a reload of the reseller's page (`App::check_session` finds it).

use crate::api::{self, Account};
use crate::dom::{self, button, el, El};
use crate::words::{fill, w};
use crate::{with_app, App, Session};

#[derive(Default)]
pub struct Login {
    forgot_password: bool,
    email: String,
    password: String,
    sending: bool,
    /// Why the last attempt failed, in the server's words.
    error: String,
    /// The last refusal was for an e-mail address not confirmed yet.
    unverified: bool,
    /// What a resend or a password-link request answered.
    note: String,
}

pub fn show(app: &mut App) {
    app.check_session();
    let screen = match &app.session {
        Session::Unknown | Session::Checking => {
            el("p").class("panel portico-loading").attr("role", "status").text(w().loading)
        }
        Session::SignedIn { account, .. } => signed_in(account, &app.config.reseller_name),
        Session::SignedOut if app.login.forgot_password => forgot_password(&app.login),
        Session::SignedOut => sign_in(&app.login),
    };
    app.draw(screen);
    paint(&app.login);
}

fn sign_in(login: &Login) -> El {
    el("form")
        .class("panel")
        .attr("novalidate", "")
        .child(el("h1").text(w().login))
        .child(field("portico-login-email", w().email, "email", "username", &login.email))
        .child(field("portico-login-password", w().password, "password", "current-password", ""))
        .child(el("p").class("form-error").id(ERROR).attr("role", "alert"))
        .child(el("p").id(RESEND_LINE).child(button("link", RESEND, w().resend_link)))
        .child(el("p").class("note").id(NOTE).attr("aria-live", "polite"))
        .child(el("button").attr("type", "submit").class("primary").id(SUBMIT))
        .child(el("p").child(button("link", FORGOT, w().forgot)))
}

/// Brings the sign-in form's messages and button in line with the state, leaving what was
/// typed in place.
fn paint(login: &Login) {
    dom::set_text(ERROR, &login.error);
    dom::set_text(NOTE, &login.note);
    dom::set_attr(RESEND_LINE, "hidden", (!login.unverified).then_some(""));
    dom::set_attr(SUBMIT, "aria-busy", Some(if login.sending { "true" } else { "false" }));
    dom::set_text(SUBMIT, if login.sending { w().logging_in } else { w().login });
}

fn forgot_password(login: &Login) -> El {
    el("form")
        .class("panel")
        .attr("novalidate", "")
        .child(el("h1").text(w().forgot_title))
        .child(el("p").text(w().forgot_intro))
        .child(field("portico-reset-email", w().email, "email", "username", &login.email))
        .child(el("p").class("form-error").id(ERROR).attr("role", "alert"))
        .child(el("p").class("note").id(NOTE).attr("role", "status"))
        .child(el("button").attr("type", "submit").class("primary").text(w().send_link))
        .child(el("p").child(button("link", BACK, w().back_to_login)))
}

/// A labelled input whose `name` is `email` or `password`, the two things this tab asks for.
fn field(id: &str, label: &str, kind: &str, autocomplete: &str, value: &str) -> El {
    el("div").class("field").child(el("label").attr("for", id).text(label)).child(
        el("input")
            .id(id)
            .attr("name", kind)
            .attr("type", kind)
            .attr("autocomplete", autocomplete)
            .attr("value", value)
            .flag("required", true),
    )
}

fn signed_in(account: &Account, reseller: &str) -> El {
    let standing = match account.status.as_str() {
        "active" => w().active.to_owned(),
        "pending_approval" => fill(w().awaiting_approval, &[reseller]),
        _ => fill(w().inactive, &[reseller]),
    };
    el("section")
        .class("panel")
        .attr("aria-labelledby", "portico-account")
        .child(el("h1").id("portico-account").text(&fill(w().welcome, &[&account.name])))
        .child(el("p").text(&fill(w().signed_in_as, &[&account.email, &account.organization])))
        .child(el("p").attr("role", "status").text(&standing))
        .child(button("primary", LOGOUT, w().log_out))
}

pub fn change(app: &mut App, name: &str, value: String) {
    match name {
        "email" => app.login.email = value,
        "password" => app.login.password = value,
        _ => {}
    }
}

pub fn submit(app: &mut App) {
    let key = app.config.key.clone();
    let login = &mut app.login;
    if login.forgot_password {
        let email = login.email.trim().to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = api::request_password_reset(&key, &email).await;
            with_app(|app| {
                (app.login.error, app.login.note) = match answer {
                    Ok(()) => (String::new(), fill(w().reset_sent, &[&email])),
                    Err(failure) => (failure.words(), String::new()),
                };
                paint(&app.login);
            });
        });
        return;
    }
    if login.sending {
        return;
    }
    login.sending = true;
    paint(login);
    let (email, password) = (login.email.clone(), login.password.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let answer = api::login(&key, &email, &password).await;
        with_app(|app| {
            app.login.sending = false;
            match answer {
                Ok((token, account)) => {
                    app.host.emit("login", "{}");
                    app.login = Login::default();
                    // Test drives listed for whoever was signed in before are not this person's.
                    app.drives = Default::default();
                    app.session = Session::SignedIn { token: Some(token), account };
                    redraw(app);
                }
                Err(refusal) => {
                    app.login.error = refusal.message;
                    app.login.unverified = refusal.needs_verification;
                    paint(&app.login);
                }
            }
        });
    });
}

/// Draws the tab again if it is the one showing (an answer may arrive after they moved on).
fn redraw(app: &mut App) {
    if app.tab == crate::Tab::Login {
        show(app);
    }
}

pub fn click(app: &mut App, action: &str) {
    let key = app.config.key.clone();
    match action {
        FORGOT | BACK => {
            app.login.forgot_password = action == FORGOT;
            app.login.error.clear();
            app.login.note.clear();
            redraw(app);
        }
        RESEND => {
            let email = app.login.email.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let note = match api::resend_verification(&key, &email).await {
                    Ok(()) => w().sent_again_login.to_owned(),
                    Err(failure) => failure.words(),
                };
                with_app(|app| {
                    app.login.note = note;
                    paint(&app.login);
                });
            });
        }
        LOGOUT => {
            let token = app.token();
            app.session = Session::SignedOut;
            app.drives = Default::default();
            redraw(app);
            wasm_bindgen_futures::spawn_local(async move { api::logout(&key, token.as_deref()).await });
        }
        _ => {}
    }
}

const FORGOT: &str = "forgot";
const BACK: &str = "back";
const RESEND: &str = "resend-login";
const LOGOUT: &str = "logout";
const ERROR: &str = "portico-login-error";
const NOTE: &str = "portico-login-note";
const RESEND_LINE: &str = "portico-login-resend";
const SUBMIT: &str = "portico-login-submit";
