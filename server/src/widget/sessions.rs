//! End-customer sessions inside the widget. Browsers block third-party cookies and storage in
//! the iframe, so the widget holds its session token (see `tokens`) in memory and sends it as a
//! bearer token. The same token also goes into a partitioned (CHIPS) HttpOnly cookie, which
//! browsers that support it keep for this reseller's site only: there the session survives a
//! reload of the page. Idle for 30 minutes or 12 hours old, a session ends.

use axum::extract::{FromRequestParts, Path};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use portico_shared::ids::{CustomerUserId, ResellerId};
use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::tokens::{new_token, session_age, token_hash, SessionAge, ABSOLUTE_TIMEOUT_MS};
use crate::widget::keys;
use crate::AppState;

const COOKIE: &str = "__Host-portico_widget";
/// `SameSite=None` so the cookie travels inside the cross-site iframe; `Partitioned` keeps it to
/// the embedding site. Browsers accept `Secure` on https and on localhost.
const COOKIE_ATTRIBUTES: &str = "Path=/; HttpOnly; Secure; SameSite=None; Partitioned";

/// `Set-Cookie` for a new session.
pub fn cookie(token: &str) -> String {
    format!("{COOKIE}={token}; {COOKIE_ATTRIBUTES}; Max-Age={}", ABSOLUTE_TIMEOUT_MS / 1000)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; {COOKIE_ATTRIBUTES}; Max-Age=0")
}

fn token_from(headers: &axum::http::HeaderMap) -> Option<String> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    bearer.or_else(|| {
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == COOKIE && !value.is_empty())
            .map(|(_, value)| value.to_owned())
    })
}

/// Starts a session and returns its token.
pub async fn create(db: &Db, user: &CustomerUserId, reseller: &ResellerId) -> Result<String> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO widget_sessions (token_hash, customer_user_id, reseller_id, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(token_hash(&token))
    .bind(user.as_str())
    .bind(reseller.as_str())
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(token)
}

pub async fn delete(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM widget_sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&db.pool).await?;
    Ok(())
}

/// Ends every session of a user (after a password change).
pub async fn delete_all_for(db: &Db, user: &CustomerUserId) -> Result<()> {
    sqlx::query("DELETE FROM widget_sessions WHERE customer_user_id = $1")
        .bind(user.as_str())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A signed-in end customer, for the widget key in the request's path: a token issued through
/// one reseller's widget never works on another's.
#[derive(Clone, Debug)]
pub struct WidgetSession {
    pub user_id: CustomerUserId,
    pub reseller_id: ResellerId,
    pub token: String,
}

impl FromRequestParts<AppState> for WidgetSession {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(params): Path<Vec<(String, String)>> =
            Path::from_request_parts(parts, state).await.map_err(|_| Error::NotFound)?;
        let key = params.iter().find(|(name, _)| name == "key").map(|(_, v)| v.as_str()).ok_or(Error::NotFound)?;
        let widget = keys::find(&state.db, key).await?;
        let token = token_from(&parts.headers).ok_or(Error::Unauthorized)?;
        let session = find(&state.db, &token).await?.ok_or(Error::Unauthorized)?;
        if session.reseller_id != widget.reseller_id {
            return Err(Error::Unauthorized);
        }
        Ok(session)
    }
}

async fn find(db: &Db, token: &str) -> Result<Option<WidgetSession>> {
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT customer_user_id, reseller_id, created_at, last_seen_at FROM widget_sessions WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    match session_age(row.try_get("created_at")?, row.try_get("last_seen_at")?, now) {
        SessionAge::Expired => {
            delete(db, token).await?;
            return Ok(None);
        }
        SessionAge::Touch => {
            sqlx::query("UPDATE widget_sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&db.pool)
                .await?;
        }
        SessionAge::Fresh => {}
    }
    Ok(Some(WidgetSession {
        user_id: CustomerUserId(row.try_get("customer_user_id")?),
        reseller_id: ResellerId(row.try_get("reseller_id")?),
        token: token.to_owned(),
    }))
}
