//! "Forgot password": a one-time link by e-mail, valid for an hour, to a page where the person
//! chooses a new password. Asking never reveals whether the address has an account.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portico_shared::email::EmailAddress;
use portico_shared::language::{fill, Language};
use portico_shared::password::new_password;
use portico_shared::{Field, FieldError};
use serde::Deserialize;

use crate::customers::users::{self, CustomerUser};
use crate::email_tokens::{self, Lookup, Purpose};
use crate::error::{Error, Result};
use crate::html::escape_html;
use crate::jobs::{self, Job};
use crate::throttle::{self, Limit};
use crate::widget::keys;
use crate::widget::page::standalone;
use crate::widget::sessions;
use crate::{emails, AppState};

/// Reset requests from one address: enough for a person, too few to bomb mailboxes.
const PER_IP: Limit = Limit { hits: 10, window_ms: 10 * 60 * 1000 };

#[derive(Deserialize)]
struct ResetRequest {
    #[serde(default)]
    email: String,
}

/// `POST /api/v1/widgets/{key}/password-resets` → always 202.
pub async fn request(
    State(state): State<AppState>,
    Path(publishable_key): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let widget = keys::find(&state.db, &publishable_key).await?;
    let request: ResetRequest = crate::json::parse(&headers, &body)?;
    let email = EmailAddress::parse(&request.email)
        .map_err(|code| Error::Validation(vec![FieldError::new(Field::Email, code)]))?;
    throttle::admit(&state.db, &format!("reset:ip:{}", peer.ip()), PER_IP).await?;
    if let Some(user) = users::find_by_email(&state.db, &widget.reseller_id, email.as_str()).await? {
        let recent = email_tokens::sent_recently(&state.db, Purpose::ResetPassword, &user.id).await?;
        if !recent {
            let mut tx = state.db.begin_write().await?;
            let token = email_tokens::issue(&mut tx, Purpose::ResetPassword, &user.id).await?;
            let link = format!("{}/widget/v1/reset?token={token}", state.public_origin);
            jobs::enqueue(
                &mut tx,
                &Job::SendEmail(emails::password_reset(user.language, &user.email, &user.reseller_name, &link)),
            )
            .await?;
            tx.commit().await?;
            state.jobs.wake();
        }
    }
    Ok(crate::widget::signup::json_response(StatusCode::ACCEPTED, "{}".into()))
}

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
    match email_tokens::lookup(&state.db, Purpose::ResetPassword, &query.token).await? {
        Lookup::Valid(user) => Ok(form_page(&state, &user_or_gone(&state, &user).await?, &query.token, &[])),
        other => Ok(unusable_page(&state, other).await?),
    }
}

/// `POST /widget/v1/reset`: sets the password, ends every session, tells the owner.
pub async fn change(State(state): State<AppState>, Form(form): Form<NewPasswordForm>) -> Result<Response> {
    let user = match email_tokens::lookup(&state.db, Purpose::ResetPassword, &form.token).await? {
        Lookup::Valid(user) => user_or_gone(&state, &user).await?,
        other => return unusable_page(&state, other).await,
    };
    let password = match new_password(&form.password, &form.verify_password) {
        Ok(password) => password,
        Err(errors) => return Ok(form_page(&state, &user, &form.token, &errors)),
    };
    let hash = state.hasher.hash(password.expose()).await?;
    let first_password = user.invited;
    let mut tx = state.db.begin_write().await?;
    if !email_tokens::consume(&mut tx, Purpose::ResetPassword, &form.token).await? {
        tx.rollback().await?;
        return unusable_page(&state, email_tokens::lookup(&state.db, Purpose::ResetPassword, &form.token).await?)
            .await;
    }
    users::set_password(&mut tx, &user.id, &hash).await?;
    // Following the link proves the mailbox, as confirming the address would.
    users::mark_verified(&mut tx, &user.id).await?;
    let action = if first_password { "chose their password" } else { "reset their password" };
    users::record_own_change(&mut tx, &user, &format!("User {} {action}", user.email)).await?;
    if !first_password {
        jobs::enqueue(
            &mut tx,
            &Job::SendEmail(emails::password_changed(user.language, &user.email, &user.reseller_name)),
        )
        .await?;
    }
    tx.commit().await?;
    sessions::delete_all_for(&state.db, &user.id).await?;
    state.jobs.wake();
    tracing::info!(user = %user.id, "password reset");
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
        &[&escape_html(&user.reseller_name)],
    );
    Ok(standalone(
        &state.assets.widget_css,
        user.language,
        StatusCode::OK,
        &user.reseller_name,
        title,
        &format!("<p>{next}</p>"),
    ))
}

async fn user_or_gone(state: &AppState, id: &portico_shared::ids::CustomerUserId) -> Result<CustomerUser> {
    users::find(&state.db, id).await?.ok_or(Error::NotFound)
}

fn form_page(state: &AppState, user: &CustomerUser, token: &str, errors: &[FieldError]) -> Response {
    let say = |english, spanish| user.language.say(english, spanish);
    let error_for = |field: Field| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| {
                let message = user.language.field_message(e.field, e.code).unwrap_or(&e.message);
                format!("<p class=\"error\" id=\"{}-error\">{}</p>", field.name(), escape_html(message))
            })
            .unwrap_or_default()
    };
    let invalid = |field: Field| errors.iter().any(|e| e.field == field);
    let input = |field: Field, label: &str| {
        format!(
            "<div class=\"field\"><label for=\"{name}\">{label}</label>\
             <input id=\"{name}\" name=\"{name}\" type=\"password\" autocomplete=\"new-password\" required \
             aria-invalid=\"{invalid}\" aria-describedby=\"{name}-error\">{error}</div>",
            name = field.name(),
            invalid = invalid(field),
            error = error_for(field),
        )
    };
    // An invited user chooses their first password through the same kind of link.
    let (title, intro, button) = if user.invited {
        (
            "Choose your password",
            format!(
                "Welcome, {}. Choose the password you will use with {}.",
                escape_html(&user.name),
                escape_html(&user.email)
            ),
            "Set my password",
        )
    } else {
        (
            say("Choose a new password", "Elija una contraseña nueva"),
            fill(
                say("Choose a new password for {}.", "Elija una contraseña nueva para {}."),
                &[&escape_html(&user.email)],
            ),
            say("Change my password", "Cambiar mi contraseña"),
        )
    };
    let body = format!(
        "<p>{intro}</p>\
         <form method=\"post\" action=\"/widget/v1/reset\" novalidate>\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">{password}{verify}\
         <p class=\"hint\">{hint}</p>\
         <button class=\"primary\" type=\"submit\">{button}</button></form>",
        token = escape_html(token),
        password = input(Field::Password, say("New password", "Contraseña nueva")),
        verify = input(Field::VerifyPassword, say("Verify password", "Repita la contraseña")),
        hint = say(
            "Use at least 15 characters. A few unrelated words make a strong password.",
            "Use al menos 15 caracteres. Unas cuantas palabras sin relación forman una contraseña fuerte.",
        ),
    );
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    standalone(&state.assets.widget_css, user.language, status, &user.reseller_name, title, &body)
}

async fn unusable_page(state: &AppState, lookup: Lookup) -> Result<Response> {
    let user = match &lookup {
        Lookup::Expired(user) | Lookup::Used(user) | Lookup::Valid(user) => users::find(&state.db, user).await?,
        Lookup::Unknown => None,
    };
    // Whose link it is may be unknown: then the page is the platform's, in English.
    let language = user.as_ref().map_or(Language::En, |u| u.language);
    let say = |english, spanish| language.say(english, spanish);
    let (status, title, text) = match lookup {
        Lookup::Expired(_) => (
            StatusCode::GONE,
            say("This link has expired", "Este enlace ha caducado"),
            say(
                "Password links work for an hour. Choose \"Forgot password\" on Login again to get a new one.",
                "Los enlaces de contraseña sirven durante una hora. Elija otra vez \"¿Olvidó su contraseña?\" en Acceso para recibir uno nuevo.",
            ),
        ),
        Lookup::Used(_) => (
            StatusCode::GONE,
            say("This link was already used", "Este enlace ya se ha usado"),
            say(
                "Your password was changed with it. If that was not you, choose \"Forgot password\" on Login.",
                "Con él se cambió su contraseña. Si no fue usted, elija \"¿Olvidó su contraseña?\" en Acceso.",
            ),
        ),
        Lookup::Valid(_) => (
            StatusCode::CONFLICT,
            say("Please try again", "Inténtelo de nuevo"),
            say("Open the link from the e-mail once more.", "Abra otra vez el enlace del correo."),
        ),
        Lookup::Unknown => (
            StatusCode::NOT_FOUND,
            "This link is not valid",
            "Check that you opened the whole address from the e-mail, or ask for a new one.",
        ),
    };
    Ok(standalone(
        &state.assets.widget_css,
        language,
        status,
        user.as_ref().map_or("Portico", |u| u.reseller_name.as_str()),
        title,
        &format!("<p>{}</p>", escape_html(text)),
    ))
}
