//! End-customer sessions inside the widget. Browsers block third-party cookies and storage in
//! the iframe, so the widget holds its session token (see `tokens`) in memory and sends it as a
//! bearer token. The same token also goes into a partitioned (CHIPS) HttpOnly cookie, which
//! browsers that support it keep for this reseller's site only: there the session survives a
//! reload of the page. Idle for 30 minutes or 12 hours old, a session ends.

use portico_shared::ids::{CustomerUserId, ResellerId};
use sqlx::{Any, Row, Transaction};

use crate::db::{now_ms, Db};
use crate::error::Result;
use crate::principal::{CustomerSession, Principal};
use crate::tokens::{new_token, session_age, token_hash, SessionAge, ABSOLUTE_TIMEOUT_MS};
use crate::Portico;

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

/// The session token a request carries: its bearer token, else its session cookie.
pub fn token_from<'h>(
    authorization: Option<&'h str>,
    cookie_headers: impl IntoIterator<Item = &'h str>,
) -> Option<&'h str> {
    authorization.and_then(|value| value.strip_prefix("Bearer ")).or_else(|| {
        cookie_headers
            .into_iter()
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == COOKIE && !value.is_empty())
            .map(|(_, value)| value)
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

/// Ends every session of a user, in the transaction of the password change that ends them: a
/// session cannot outlive the password it was opened with.
pub async fn delete_all_for(tx: &mut Transaction<'_, Any>, user: &CustomerUserId) -> Result<()> {
    sqlx::query("DELETE FROM widget_sessions WHERE customer_user_id = $1")
        .bind(user.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who holds the widget session with this token: a customer user, or nobody when it is unknown or
/// has expired (expired sessions are removed on sight). The session is of one reseller's widget;
/// [`Principal::customer_of`] refuses it on another's.
pub async fn find(portico: &Portico, token: &str) -> Result<Principal> {
    portico.count_session_lookup();
    let db = &portico.db;
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT customer_user_id, reseller_id, created_at, last_seen_at FROM widget_sessions WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(Principal::Nobody) };
    let now = now_ms();
    match session_age(row.try_get("created_at")?, row.try_get("last_seen_at")?, now) {
        SessionAge::Expired => {
            delete(db, token).await?;
            return Ok(Principal::Nobody);
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
    Ok(Principal::Customer(CustomerSession {
        user_id: row.try_get("customer_user_id")?,
        reseller_id: row.try_get("reseller_id")?,
        token: token.to_owned(),
    }))
}
