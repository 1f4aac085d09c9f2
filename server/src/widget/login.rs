//! Widget Login: `POST` / `GET` / `DELETE /api/v1/widgets/{key}/session(s)`.
//!
//! Every failure before the password is proven gets one answer, after the same hashing work. Limits
//! count failures per IP address and per IP address and account, never per account alone, so
//! nobody can lock the owner out by guessing from elsewhere.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_shared::customer::CustomerStatus;
use portico_shared::email::EmailAddress;
use portico_shared::ids::CustomerUserId;
use portico_shared::login::{LoginRequest, LoginResponse, WidgetAccount};
use sqlx::Row;

use crate::error::{Error, Result};
use crate::throttle::SignInAttempt;
use crate::widget::keys;
use crate::widget::sessions::{self, WidgetSession};
use crate::{signup_options, AppState};

pub async fn create(
    State(state): State<AppState>,
    Path(publishable_key): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let widget = keys::find(&state.db, &publishable_key).await?;
    let request: LoginRequest = crate::json::parse(&headers, &body)?;
    let email = EmailAddress::parse(&request.email).ok();
    let account_key = email.as_ref().map_or("", |e| e.as_str());
    let attempt = SignInAttempt::begin(&state.db, "login", peer.ip(), account_key).await?;

    let row = match &email {
        Some(email) => {
            sqlx::query(
                "SELECT u.id, u.password_hash, u.email_verified_at, u.disabled_at FROM customer_users u \
             WHERE u.reseller_id = $1 AND u.email = $2",
            )
            .bind(widget.reseller_id.as_str())
            .bind(email.as_str())
            .fetch_optional(&state.db.pool)
            .await?
        }
        None => None,
    };
    let stored_hash = row.as_ref().and_then(|r| r.try_get::<Option<String>, _>("password_hash").ok().flatten());
    let matched = state.hasher.verify(&request.password, stored_hash.as_deref()).await?;
    let Some(row) = row.filter(|_| matched) else {
        attempt.failed(&state.db).await?;
        return Err(Error::LoginFailed);
    };
    attempt.succeeded(&state.db).await?;

    // The password is proven from here on, so saying what else stands in the way reveals nothing.
    let user = CustomerUserId(row.try_get("id")?);
    let verified = row.try_get::<Option<i64>, _>("email_verified_at")?.is_some();
    let options = signup_options::load(&state.db, &widget.reseller_id).await?;
    if options.require_email_verification && !verified {
        return Err(Error::EmailNotVerified);
    }
    let disabled = row.try_get::<Option<i64>, _>("disabled_at")?.is_some();
    let account = account(&state, &user).await?;
    if disabled || matches!(account.status, CustomerStatus::Rejected | CustomerStatus::Suspended) {
        return Err(Error::AccountInactive);
    }
    let token = sessions::create(&state.db, &user, &widget.reseller_id).await?;
    tracing::info!(%user, "widget login");
    let cookie = sessions::cookie(&token);
    Ok((StatusCode::CREATED, [(SET_COOKIE, cookie)], Json(LoginResponse { token, account })).into_response())
}

/// The signed-in account, or `null` when nobody is: the widget asks on every load, and "nobody"
/// is an answer, not an error (it would clutter the reseller's browser console).
pub async fn current(
    State(state): State<AppState>,
    session: Result<WidgetSession, Error>,
) -> Result<Json<Option<WidgetAccount>>> {
    match session {
        Ok(session) => Ok(Json(Some(account(&state, &session.user_id).await?))),
        Err(Error::Unauthorized) => Ok(Json(None)),
        Err(other) => Err(other),
    }
}

pub async fn delete(State(state): State<AppState>, session: WidgetSession) -> Result<Response> {
    sessions::delete(&state.db, &session.token).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, sessions::clear_cookie())]).into_response())
}

async fn account(state: &AppState, user: &CustomerUserId) -> Result<WidgetAccount> {
    let row = sqlx::query(
        "SELECT u.name, u.email, c.organization, c.status FROM customer_users u \
         JOIN customers c ON c.id = u.customer_id WHERE u.id = $1",
    )
    .bind(user.as_str())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(Error::Unauthorized)?;
    let status: String = row.try_get("status")?;
    Ok(WidgetAccount {
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        organization: row.try_get("organization")?,
        status: CustomerStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("unknown customer status {status:?}"))?,
    })
}
