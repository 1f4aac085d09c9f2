//! Portal sessions: a secret token (see `tokens`) in an HttpOnly cookie. A session ends after 30 idle minutes
//! or 12 hours, whichever comes first, and a new one is issued at every sign-in.

use axum::http::{header, HeaderMap};
use portico_shared::ids::{ResellerId, ResellerUserId};
use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::error::Result;
use crate::resellers::Role;
use crate::tokens::{new_token, session_age, token_hash, SessionAge, ABSOLUTE_TIMEOUT_MS};

/// Cookie attributes follow how the platform is served: `__Host-` and `Secure` need https.
#[derive(Clone, Debug)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    pub fn name(&self) -> &'static str {
        if self.secure {
            "__Host-portico_session"
        } else {
            "portico_session"
        }
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "Path=/; HttpOnly; Secure; SameSite=Lax"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }

    pub fn set(&self, token: &str) -> String {
        format!("{}={token}; {}; Max-Age={}", self.name(), self.attributes(), ABSOLUTE_TIMEOUT_MS / 1000)
    }

    pub fn clear(&self) -> String {
        format!("{}=; {}; Max-Age=0", self.name(), self.attributes())
    }

    /// The session token the browser sent, if any.
    pub fn token<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == self.name())
            .map(|(_, token)| token)
            .filter(|token| !token.is_empty())
    }
}

/// Who a valid session belongs to.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user_id: ResellerUserId,
    pub reseller_id: ResellerId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub reseller_name: String,
}

/// Starts a session for `user` and returns its token (the cookie value).
pub async fn create(db: &Db, user: &ResellerUserId) -> Result<String> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO portal_sessions (token_hash, reseller_user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash(&token))
    .bind(user.as_str())
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Ends the session with this token, if there is one.
pub async fn delete(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM portal_sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&db.pool).await?;
    Ok(())
}

/// The user of a live session; expired sessions are removed on sight.
pub async fn find(db: &Db, token: &str) -> Result<Option<SessionUser>> {
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT s.created_at, s.last_seen_at, u.id, u.reseller_id, u.name, u.email, u.role, r.name AS reseller_name \
         FROM portal_sessions s JOIN reseller_users u ON u.id = s.reseller_user_id JOIN resellers r ON r.id = u.reseller_id \
         WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    match session_age(created_at, last_seen_at, now) {
        SessionAge::Expired => {
            delete(db, token).await?;
            return Ok(None);
        }
        SessionAge::Touch => {
            sqlx::query("UPDATE portal_sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&db.pool)
                .await?;
        }
        SessionAge::Fresh => {}
    }
    Ok(Some(SessionUser {
        user_id: ResellerUserId(row.try_get("id")?),
        reseller_id: ResellerId(row.try_get("reseller_id")?),
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        role: Role::parse(&row.try_get::<String, _>("role")?)
            .ok_or_else(|| anyhow::anyhow!("reseller user with an unknown role"))?,
        reseller_name: row.try_get("reseller_name")?,
    }))
}
