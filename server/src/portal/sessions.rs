//! Portal sessions: a secret token (see `tokens`) in an HttpOnly cookie. A session ends after 30 idle minutes
//! or 12 hours, whichever comes first, and a new one is issued at every sign-in. Reseller users and
//! platform staff have a table each; one cookie serves both.

use axum::http::{header, HeaderMap};
use portico_shared::ids::{ResellerId, ResellerUserId};
use portico_shared::staff::StaffRole;
use sqlx::{Any, Row, Transaction};

use crate::db::{now_ms, Db};
use crate::error::Result;
use crate::staff::Kind;
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

/// A reseller's user with a valid session.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user_id: ResellerUserId,
    pub reseller_id: ResellerId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub reseller_name: String,
}

/// One of the platform's staff with a valid session.
#[derive(Clone, Debug)]
pub struct PlatformSessionUser {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
}

/// Whoever a valid session belongs to.
#[derive(Clone, Debug)]
pub enum Principal {
    Reseller(SessionUser),
    Platform(PlatformSessionUser),
}

fn table(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Reseller => ("portal_sessions", "reseller_user_id"),
        Kind::Platform => ("platform_sessions", "platform_user_id"),
    }
}

/// Starts a session for the user and returns its token (the cookie value).
pub async fn create(db: &Db, kind: Kind, user_id: &str) -> Result<String> {
    let token = new_token();
    let (table, column) = table(kind);
    sqlx::query(&format!(
        "INSERT INTO {table} (token_hash, {column}, created_at, last_seen_at) VALUES ($1, $2, $3, $3)"
    ))
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Ends the session with this token, if there is one.
pub async fn delete(db: &Db, token: &str) -> Result<()> {
    let hash = token_hash(token);
    for kind in [Kind::Reseller, Kind::Platform] {
        let (table, _) = table(kind);
        sqlx::query(&format!("DELETE FROM {table} WHERE token_hash = $1")).bind(&hash).execute(&db.pool).await?;
    }
    Ok(())
}

/// Ends every session of the user, inside the caller's transaction.
pub async fn end_all(tx: &mut Transaction<'_, Any>, kind: Kind, user_id: &str) -> Result<()> {
    let (table, column) = table(kind);
    sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1")).bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

/// The user of a live session; expired sessions are removed on sight.
pub async fn find(db: &Db, token: &str) -> Result<Option<Principal>> {
    let hash = token_hash(token);
    let reseller = sqlx::query(
        "SELECT s.created_at, s.last_seen_at, u.id, u.reseller_id, u.name, u.email, u.role, r.name AS reseller_name \
         FROM portal_sessions s JOIN reseller_users u ON u.id = s.reseller_user_id JOIN resellers r ON r.id = u.reseller_id \
         WHERE s.token_hash = $1 AND u.disabled_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let (kind, row) = match reseller {
        Some(row) => (Kind::Reseller, row),
        None => {
            let platform = sqlx::query(
                "SELECT s.created_at, s.last_seen_at, u.id, u.name, u.email, u.role \
                 FROM platform_sessions s JOIN platform_users u ON u.id = s.platform_user_id \
                 WHERE s.token_hash = $1 AND u.disabled_at IS NULL",
            )
            .bind(&hash)
            .fetch_optional(&db.pool)
            .await?;
            match platform {
                Some(row) => (Kind::Platform, row),
                None => return Ok(None),
            }
        }
    };
    let now = now_ms();
    let (table, _) = table(kind);
    match session_age(row.try_get("created_at")?, row.try_get("last_seen_at")?, now) {
        SessionAge::Expired => {
            delete(db, token).await?;
            return Ok(None);
        }
        SessionAge::Touch => {
            sqlx::query(&format!("UPDATE {table} SET last_seen_at = $1 WHERE token_hash = $2"))
                .bind(now)
                .bind(&hash)
                .execute(&db.pool)
                .await?;
        }
        SessionAge::Fresh => {}
    }
    let role: String = row.try_get("role")?;
    let role = StaffRole::parse(&role).ok_or_else(|| anyhow::anyhow!("portal user with an unknown role {role:?}"))?;
    Ok(Some(match kind {
        Kind::Reseller => Principal::Reseller(SessionUser {
            user_id: ResellerUserId(row.try_get("id")?),
            reseller_id: ResellerId(row.try_get("reseller_id")?),
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            role,
            reseller_name: row.try_get("reseller_name")?,
        }),
        Kind::Platform => Principal::Platform(PlatformSessionUser {
            user_id: row.try_get("id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            role,
        }),
    }))
}
