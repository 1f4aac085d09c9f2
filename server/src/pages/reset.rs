//! The page behind a widget password link ("Forgot password", or an invited user's first
//! password): the new-password form, what came of it, or why the link no longer works.

use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use portico_domain::customers::users::{CustomerUser, Link};
use portico_domain::widget::reset::{self, Reset};
use portico_shared::language::{fill, Language};
use portico_shared::{Field, FieldError};
use serde::Deserialize;

use super::standalone::standalone;
use crate::error::Result;
use crate::AppState;

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    verify_password: String,
}

/// `GET /widget/v1/reset?token=…`: the new-password form, or why the link no longer works.
pub async fn show(State(state): State<AppState>, Query(query): Query<TokenQuery>) -> Result<Response> {
    Ok(match reset::lookup(&state.portico, &query.token).await? {
        Link::Valid(user) => form_page(&state, &user, &query.token, &[]),
        other => unusable_page(&state, &other),
    })
}

/// `POST /widget/v1/reset`: sets the password, ends every session, tells the owner.
pub async fn change(State(state): State<AppState>, Form(form): Form<NewPasswordForm>) -> Result<Response> {
    let (user, first_password) =
        match reset::change(&state.portico, &form.token, &form.password, &form.verify_password).await? {
            Reset::Changed { user, first_password } => (user, first_password),
            Reset::Refused { user, errors } => return Ok(form_page(&state, &user, &form.token, &errors)),
            Reset::Unusable(link) => return Ok(unusable_page(&state, &link)),
        };
    let say = |english, spanish| user.language.say(english, spanish);
    let title = if first_password {
        say("Your password is set", "Su contraseña está elegida")
    } else {
        say("Your password is changed", "Su contraseña está cambiada")
    };
    let next = fill(
        say(
            "Use Login on {}'s website with your e-mail address and this password.",
            "Use Acceso en el sitio web de {} con su dirección de correo y esta contraseña.",
        ),
        &[&user.reseller_name],
    );
    let css = &state.assets.widget_css;
    Ok(standalone(css, user.language, StatusCode::OK, &user.reseller_name, title, html! { p { (next) } }))
}

fn form_page(state: &AppState, user: &CustomerUser, token: &str, errors: &[FieldError]) -> Response {
    let say = |english, spanish| user.language.say(english, spanish);
    let input = |field: Field, label: &str| {
        let error = errors.iter().find(|e| e.field == field);
        let name = field.name();
        html! {
            div.field {
                label for=(name) { (label) }
                input id=(name) name=(name) type="password" autocomplete="new-password" required
                    aria-invalid=(error.is_some()) aria-describedby=(format!("{name}-error"));
                @if let Some(error) = error {
                    p.error id=(format!("{name}-error")) {
                        (user.language.field_message(error.field, error.code).unwrap_or(&error.message))
                    }
                }
            }
        }
    };
    // An invited user chooses their first password through the same kind of link.
    let (title, intro, button) = if user.invited {
        (
            "Choose your password",
            format!("Welcome, {}. Choose the password you will use with {}.", user.name, user.email),
            "Set my password",
        )
    } else {
        (
            say("Choose a new password", "Elija una contraseña nueva"),
            fill(say("Choose a new password for {}.", "Elija una contraseña nueva para {}."), &[&user.email]),
            say("Change my password", "Cambiar mi contraseña"),
        )
    };
    let body = html! {
        p { (intro) }
        form method="post" action="/widget/v1/reset" novalidate {
            input type="hidden" name="token" value=(token);
            (input(Field::Password, say("New password", "Contraseña nueva")))
            (input(Field::VerifyPassword, say("Verify password", "Repita la contraseña")))
            p.hint {
                (say(
                    "Use at least 15 characters. A few unrelated words make a strong password.",
                    "Use al menos 15 caracteres. Unas cuantas palabras sin relación forman una contraseña fuerte.",
                ))
            }
            button.primary type="submit" { (button) }
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    standalone(&state.assets.widget_css, user.language, status, &user.reseller_name, title, body)
}

fn unusable_page(state: &AppState, link: &Link) -> Response {
    // Whose link it is may be unknown: then the page is the platform's, in English.
    let user = link.user();
    let language = user.map_or(Language::En, |u| u.language);
    let say = |english, spanish| language.say(english, spanish);
    let (status, title, text) = match link {
        Link::Expired(_) => (
            StatusCode::GONE,
            say("This link has expired", "Este enlace ha caducado"),
            say(
                "Password links work for an hour. Choose \"Forgot password\" on Login again to get a new one.",
                "Los enlaces de contraseña sirven durante una hora. Elija otra vez \"¿Olvidó su contraseña?\" en Acceso para recibir uno nuevo.",
            ),
        ),
        Link::Used(_) => (
            StatusCode::GONE,
            say("This link was already used", "Este enlace ya se ha usado"),
            say(
                "Your password was changed with it. If that was not you, choose \"Forgot password\" on Login.",
                "Con él se cambió su contraseña. Si no fue usted, elija \"¿Olvidó su contraseña?\" en Acceso.",
            ),
        ),
        Link::Valid(_) => (
            StatusCode::CONFLICT,
            say("Please try again", "Inténtelo de nuevo"),
            say("Open the link from the e-mail once more.", "Abra otra vez el enlace del correo."),
        ),
        Link::Unknown => (
            StatusCode::NOT_FOUND,
            "This link is not valid",
            "Check that you opened the whole address from the e-mail, or ask for a new one.",
        ),
    };
    let reseller = user.map_or("Portico", |u| u.reseller_name.as_str());
    standalone(&state.assets.widget_css, language, status, reseller, title, html! { p { (text) } })
}
