//! The e-mail confirmation link. Opening it shows a button; the address is confirmed only by
//! pressing it (a POST), so mail scanners that fetch links cannot confirm on someone's behalf.

use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portico_shared::customer::CustomerStatus;
use portico_shared::email::EmailAddress;
use portico_shared::language::{fill, Language};
use portico_shared::signup_options::Approval;
use serde::Deserialize;

use crate::customers::users::{self, CustomerUser};
use crate::customers::{self};
use crate::email_tokens::{self, Lookup, Purpose};
use crate::error::{Error, Result};
use crate::html::escape_html;
use crate::jobs::{self, Job};
use crate::widget::keys;
use crate::widget::page::standalone;
use crate::{emails, signup_options, AppState};

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

pub async fn show(State(state): State<AppState>, Query(query): Query<TokenForm>) -> Result<Response> {
    let found = email_tokens::lookup(&state.db, Purpose::VerifyEmail, &query.token).await?;
    let token = escape_html(&query.token);
    Ok(match found {
        Lookup::Valid(user) => {
            let user = user_or_gone(&state, &user).await?;
            let say = |english, spanish| user.language.say(english, spanish);
            page(
                &state,
                &user,
                StatusCode::OK,
                say("Confirm your e-mail address", "Confirme su dirección de correo"),
                &format!(
                    "<p>{intro}</p>\
                     <form method=\"post\" action=\"/widget/v1/verify\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
                     <button class=\"primary\" type=\"submit\">{button}</button></form>",
                    intro = fill(
                        say("Confirm that {} is your e-mail address.", "Confirme que {} es su dirección de correo."),
                        &[&format!("<strong>{}</strong>", escape_html(&user.email))]
                    ),
                    button = say("Confirm my e-mail address", "Confirmar mi dirección de correo"),
                ),
            )
        }
        Lookup::Expired(user) => expired_page(&state, &user_or_gone(&state, &user).await?, &token),
        Lookup::Used(user) => used_page(&state, &user_or_gone(&state, &user).await?),
        Lookup::Unknown => unknown_page(&state),
    })
}

pub async fn confirm(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Result<Response> {
    let Lookup::Valid(user) = email_tokens::lookup(&state.db, Purpose::VerifyEmail, &form.token).await? else {
        return show(State(state), Query(form)).await;
    };
    let user = user_or_gone(&state, &user).await?;
    let mut tx = state.db.begin_write().await?;
    if !email_tokens::consume(&mut tx, Purpose::VerifyEmail, &form.token).await? {
        // Used a moment ago (a second click), or it expired in between: say which.
        tx.rollback().await?;
        return show(State(state), Query(form)).await;
    }
    users::mark_verified(&mut tx, &user.id).await?;
    users::record_own_change(&mut tx, &user, &format!("User {} confirmed their e-mail address", user.email)).await?;
    let options = signup_options::load(&state.db, &user.reseller_id).await?;
    let email =
        EmailAddress::parse(&user.email).map_err(|_| Error::Internal(anyhow::anyhow!("stored e-mail is invalid")))?;
    let approved = options.approval_for(&email) == Approval::Automatic
        && customers::approve_automatically(&mut tx, &user.customer_id).await?;
    let status = customers::status_in(&mut tx, &user.customer_id).await?;
    let mail = if status == Some(CustomerStatus::Active) {
        emails::account_ready(user.language, &user.email, &user.name, &user.reseller_name)
    } else {
        emails::signup_received(user.language, &user.email, &user.name, &user.reseller_name)
    };
    jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    tx.commit().await?;
    state.jobs.wake();
    tracing::info!(user = %user.id, approved, "e-mail address confirmed");
    let say = |english, spanish| user.language.say(english, spanish);
    let next = if status == Some(CustomerStatus::Active) {
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
    let thanks = fill(say("Thank you: {} is confirmed.", "Gracias: {} está confirmada."), &[&escape_html(&user.email)]);
    Ok(page(
        &state,
        &user,
        StatusCode::OK,
        say("Your e-mail address is confirmed", "Su dirección de correo está confirmada"),
        &format!("<p>{thanks}</p><p>{next}</p>"),
    ))
}

/// `POST /widget/v1/verify/resend`: a new link for the person holding an expired one.
pub async fn resend_for_link(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Result<Response> {
    let user = match email_tokens::lookup(&state.db, Purpose::VerifyEmail, &form.token).await? {
        Lookup::Expired(user) | Lookup::Valid(user) => user_or_gone(&state, &user).await?,
        Lookup::Used(user) => return Ok(used_page(&state, &user_or_gone(&state, &user).await?)),
        Lookup::Unknown => return Ok(unknown_page(&state)),
    };
    send_new_link(&state, &user).await?;
    let say = |english, spanish| user.language.say(english, spanish);
    let look = fill(
        say(
            "Look for it in the inbox of {}. It works for 24 hours.",
            "Búsquelo en el buzón de {}. Sirve durante 24 horas.",
        ),
        &[&escape_html(&user.email)],
    );
    Ok(page(
        &state,
        &user,
        StatusCode::OK,
        say("We sent you a new link", "Le hemos enviado un enlace nuevo"),
        &format!("<p>{look}</p>"),
    ))
}

#[derive(Deserialize)]
struct ResendRequest {
    #[serde(default)]
    email: String,
}

/// `POST /api/v1/widgets/{key}/verification-emails`: "send it again" from the widget. Always 202,
/// so it tells nobody whether the address has an account.
pub async fn resend_from_widget(
    State(state): State<AppState>,
    Path(publishable_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let widget = keys::find(&state.db, &publishable_key).await?;
    let request: ResendRequest = crate::json::parse(&headers, &body)?;
    let email = EmailAddress::parse(&request.email)
        .map_err(|code| Error::Validation(vec![portico_shared::FieldError::new(portico_shared::Field::Email, code)]))?;
    if let Some(user) = users::find_by_email(&state.db, &widget.reseller_id, email.as_str()).await? {
        send_new_link(&state, &user).await?;
    }
    Ok(crate::widget::signup::json_response(StatusCode::ACCEPTED, "{}".into()))
}

async fn send_new_link(state: &AppState, user: &CustomerUser) -> Result<()> {
    if user.verified {
        return Ok(());
    }
    let recent = email_tokens::sent_recently(&state.db, Purpose::VerifyEmail, &user.id).await?;
    if recent {
        return Ok(());
    }
    let mut tx = state.db.begin_write().await?;
    let token = email_tokens::issue(&mut tx, Purpose::VerifyEmail, &user.id).await?;
    let link = format!("{}/widget/v1/verify?token={token}", state.public_origin);
    jobs::enqueue(
        &mut tx,
        &Job::SendEmail(emails::verify_email(user.language, &user.email, &user.name, &user.reseller_name, &link)),
    )
    .await?;
    tx.commit().await?;
    state.jobs.wake();
    Ok(())
}

async fn user_or_gone(state: &AppState, id: &portico_shared::ids::CustomerUserId) -> Result<CustomerUser> {
    users::find(&state.db, id).await?.ok_or(Error::NotFound)
}

fn expired_page(state: &AppState, user: &CustomerUser, token: &str) -> Response {
    let say = |english, spanish| user.language.say(english, spanish);
    page(
        state,
        user,
        StatusCode::GONE,
        say("This link has expired", "Este enlace ha caducado"),
        &format!(
            "<p>{why}</p>\
             <form method=\"post\" action=\"/widget/v1/verify/resend\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
             <button class=\"primary\" type=\"submit\">{button}</button></form>",
            why = say(
                "Confirmation links work for 24 hours. Ask for a new one and use it within a day.",
                "Los enlaces de confirmación sirven durante 24 horas. Pida uno nuevo y úselo antes de un día.",
            ),
            button = say("Send me a new link", "Enviarme un enlace nuevo"),
        ),
    )
}

fn used_page(state: &AppState, user: &CustomerUser) -> Response {
    let say = |english, spanish| user.language.say(english, spanish);
    let done = fill(
        say(
            "The address {} is confirmed: there is nothing more to do here.",
            "La dirección {} está confirmada: no hay nada más que hacer aquí.",
        ),
        &[&escape_html(&user.email)],
    );
    page(
        state,
        user,
        StatusCode::GONE,
        say("This link was already used", "Este enlace ya se ha usado"),
        &format!("<p>{done}</p>"),
    )
}

/// Whose link it is cannot be known, so the page is the platform's, in English.
fn unknown_page(state: &AppState) -> Response {
    standalone(
        &state.assets.widget_css,
        Language::En,
        StatusCode::NOT_FOUND,
        "Portico",
        "This link is not valid",
        "<p>Check that you opened the whole address from the e-mail, or ask for a new link where you signed up.</p>",
    )
}

/// A page for `user`: their reseller's, in their language.
fn page(state: &AppState, user: &CustomerUser, status: StatusCode, title: &str, body: &str) -> Response {
    standalone(&state.assets.widget_css, user.language, status, &user.reseller_name, title, body)
}
