//! The page behind the e-mail confirmation link: a button that confirms (the GET only shows it,
//! so mail scanners cannot confirm), what happens next, and a new link for an expired one.

use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use portico_domain::customers::users::{CustomerUser, Link};
use portico_domain::widget::verify::{self, Confirmation, Resent};
use portico_shared::language::{fill, Language};
use serde::Deserialize;

use super::standalone::standalone;
use crate::error::Result;
use crate::AppState;

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

/// `GET /widget/v1/verify?token=…`: the button, or why the link no longer works.
pub async fn show(State(state): State<AppState>, Query(form): Query<TokenForm>) -> Result<Response> {
    let link = verify::lookup(&state.portico, &form.token).await?;
    Ok(link_page(&state, link, &form.token))
}

fn link_page(state: &AppState, link: Link, token: &str) -> Response {
    match link {
        Link::Valid(user) => {
            let say = |english, spanish| user.language.say(english, spanish);
            let (before, after) =
                say("Confirm that {} is your e-mail address.", "Confirme que {} es su dirección de correo.")
                    .split_once("{}")
                    .unwrap_or_default();
            let body = html! {
                p { (before) strong { (user.email) } (after) }
                form method="post" action="/widget/v1/verify" {
                    input type="hidden" name="token" value=(token);
                    button.primary type="submit" { (say("Confirm my e-mail address", "Confirmar mi dirección de correo")) }
                }
            };
            page(
                state,
                &user,
                StatusCode::OK,
                say("Confirm your e-mail address", "Confirme su dirección de correo"),
                body,
            )
        }
        Link::Expired(user) => expired_page(state, &user, token),
        Link::Used(user) => used_page(state, &user),
        Link::Unknown => unknown_page(state),
    }
}

/// `POST /widget/v1/verify`: confirms, and says what comes next.
pub async fn confirm(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Result<Response> {
    let user = match verify::confirm(&state.portico, &form.token).await? {
        Confirmation::Confirmed { user, active } => (user, active),
        Confirmation::Unusable(link) => return Ok(link_page(&state, link, &form.token)),
    };
    let (user, active) = user;
    let say = |english, spanish| user.language.say(english, spanish);
    let next = if active {
        say(
            "Your account is ready. Go back to the page where you signed up and use Login.",
            "Su cuenta está lista. Vuelva a la página donde se registró y use Acceso.",
        )
    } else {
        say(
            "We will write to you as soon as your account is approved.",
            "Le escribiremos en cuanto aprueben su cuenta.",
        )
    };
    let thanks = fill(say("Thank you: {} is confirmed.", "Gracias: {} está confirmada."), &[&user.email]);
    let title = say("Your e-mail address is confirmed", "Su dirección de correo está confirmada");
    Ok(page(&state, &user, StatusCode::OK, title, html! { p { (thanks) } p { (next) } }))
}

/// `POST /widget/v1/verify/resend`: a new link for the person holding an expired one.
pub async fn resend(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Result<Response> {
    let user = match verify::resend_for_link(&state.portico, &form.token).await? {
        Resent::Sent(user) => user,
        Resent::Used(user) => return Ok(used_page(&state, &user)),
        Resent::Unknown => return Ok(unknown_page(&state)),
    };
    let say = |english, spanish| user.language.say(english, spanish);
    let look = fill(
        say(
            "Look for it in the inbox of {}. It works for 24 hours.",
            "Búsquelo en el buzón de {}. Sirve durante 24 horas.",
        ),
        &[&user.email],
    );
    let title = say("We sent you a new link", "Le hemos enviado un enlace nuevo");
    Ok(page(&state, &user, StatusCode::OK, title, html! { p { (look) } }))
}

fn expired_page(state: &AppState, user: &CustomerUser, token: &str) -> Response {
    let say = |english, spanish| user.language.say(english, spanish);
    let body = html! {
        p {
            (say(
                "Confirmation links work for 24 hours. Ask for a new one and use it within a day.",
                "Los enlaces de confirmación sirven durante 24 horas. Pida uno nuevo y úselo antes de un día.",
            ))
        }
        form method="post" action="/widget/v1/verify/resend" {
            input type="hidden" name="token" value=(token);
            button.primary type="submit" { (say("Send me a new link", "Enviarme un enlace nuevo")) }
        }
    };
    page(state, user, StatusCode::GONE, say("This link has expired", "Este enlace ha caducado"), body)
}

fn used_page(state: &AppState, user: &CustomerUser) -> Response {
    let say = |english, spanish| user.language.say(english, spanish);
    let done = fill(
        say(
            "The address {} is confirmed: there is nothing more to do here.",
            "La dirección {} está confirmada: no hay nada más que hacer aquí.",
        ),
        &[&user.email],
    );
    page(
        state,
        user,
        StatusCode::GONE,
        say("This link was already used", "Este enlace ya se ha usado"),
        html! { p { (done) } },
    )
}

/// Whose link it is cannot be known, so the page is the platform's, in English.
fn unknown_page(state: &AppState) -> Response {
    let body = html! {
        p { "Check that you opened the whole address from the e-mail, or ask for a new link where you signed up." }
    };
    standalone(&state.assets.widget_css, Language::En, StatusCode::NOT_FOUND, "Portico", "This link is not valid", body)
}

/// A page for `user`: their reseller's, in their language.
fn page(state: &AppState, user: &CustomerUser, status: StatusCode, title: &str, body: Markup) -> Response {
    standalone(&state.assets.widget_css, user.language, status, &user.reseller_name, title, body)
}
