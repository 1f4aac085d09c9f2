//! Portal sessions: a secret token (see `tokens`) in an HttpOnly cookie. A session ends after 30
//! idle minutes or 12 hours, whichever comes first, and a new one is issued at every sign-in.
//! Reseller users and platform staff have a table each; one cookie serves both.

use portico_shared::ids::{PlatformUserId, PortalUserId, ResellerId, ResellerUserId};
use portico_shared::staff::StaffRole;
use sqlx::{Any, Row, Transaction};

use crate::db::{now_ms, Db};
use crate::error::Result;
use crate::principal::{Principal, ResellerUser, StaffUser};
use crate::tokens::{new_token, session_age, token_hash, SessionAge, ABSOLUTE_TIMEOUT_MS, SECOND_STEP_TIMEOUT_MS};
use crate::Portico;

/// Cookie attributes follow how the platform is served: `__Host-` and `Secure` need https.
#[derive(Clone, Copy, Debug)]
pub struct CookiePolicy {
    pub secure: bool,
}

/// The portal's cookies: the session, and the sign-in awaiting its second step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortalCookie {
    Session,
    SecondStep,
}

impl CookiePolicy {
    /// The cookie's name; `__Host-` only where https makes it possible.
    pub fn name_of(&self, cookie: PortalCookie) -> &'static str {
        match (cookie, self.secure) {
            (PortalCookie::Session, true) => "__Host-portico_session",
            (PortalCookie::Session, false) => "portico_session",
            (PortalCookie::SecondStep, true) => "__Host-portico_second_step",
            (PortalCookie::SecondStep, false) => "portico_second_step",
        }
    }

    pub fn name(&self) -> &'static str {
        self.name_of(PortalCookie::Session)
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "Path=/; HttpOnly; Secure; SameSite=Lax"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }

    /// `Set-Cookie` for a new session.
    pub fn set(&self, token: &str) -> String {
        self.set_cookie(PortalCookie::Session, token)
    }

    /// `Set-Cookie` for `cookie`, living as long as what it holds.
    pub fn set_cookie(&self, cookie: PortalCookie, token: &str) -> String {
        let max_age_ms = match cookie {
            PortalCookie::Session => ABSOLUTE_TIMEOUT_MS,
            PortalCookie::SecondStep => SECOND_STEP_TIMEOUT_MS,
        };
        format!("{}={token}; {}; Max-Age={}", self.name_of(cookie), self.attributes(), max_age_ms / 1000)
    }

    /// `Set-Cookie` that removes the session cookie.
    pub fn clear(&self) -> String {
        self.clear_cookie(PortalCookie::Session)
    }

    /// `Set-Cookie` that removes `cookie`.
    pub fn clear_cookie(&self, cookie: PortalCookie) -> String {
        format!("{}=; {}; Max-Age=0", self.name_of(cookie), self.attributes())
    }

    /// The session token the browser sent, if any, from the values of its `Cookie` headers.
    pub fn token<'h>(&self, cookie_headers: impl IntoIterator<Item = &'h str>) -> Option<&'h str> {
        self.value_of(PortalCookie::Session, cookie_headers)
    }

    /// The value of `cookie` the browser sent, if any, from the values of its `Cookie` headers.
    pub fn value_of<'h>(
        &self,
        cookie: PortalCookie,
        cookie_headers: impl IntoIterator<Item = &'h str>,
    ) -> Option<&'h str> {
        let name = self.name_of(cookie);
        cookie_headers
            .into_iter()
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(found, _)| *found == name)
            .map(|(_, token)| token)
            .filter(|token| !token.is_empty())
    }
}

impl Portico {
    /// How the portal's session cookie is set on this platform.
    pub fn cookies(&self) -> CookiePolicy {
        CookiePolicy { secure: self.settings.https }
    }
}

fn table(user: &PortalUserId) -> (&'static str, &'static str) {
    match user {
        PortalUserId::Reseller(_) => ("portal_sessions", "reseller_user_id"),
        PortalUserId::Platform(_) => ("platform_sessions", "platform_user_id"),
    }
}

/// Starts a session for the user and returns its token (the cookie value).
pub async fn create(db: &Db, user: &PortalUserId) -> Result<String> {
    let token = new_token();
    let (table, column) = table(user);
    sqlx::query(&format!(
        "INSERT INTO {table} (token_hash, {column}, created_at, last_seen_at) VALUES ($1, $2, $3, $3)"
    ))
    .bind(token_hash(&token))
    .bind(user.as_str())
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Ends the session with this token, if there is one.
pub async fn delete(db: &Db, token: &str) -> Result<()> {
    let hash = token_hash(token);
    for table in ["portal_sessions", "platform_sessions"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE token_hash = $1")).bind(&hash).execute(&db.pool).await?;
    }
    Ok(())
}

/// Ends every session of the user, inside the caller's transaction.
pub async fn end_all(tx: &mut Transaction<'_, Any>, user: &PortalUserId) -> Result<()> {
    let (table, column) = table(user);
    sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1")).bind(user.as_str()).execute(&mut **tx).await?;
    Ok(())
}

/// Who holds the session with this token: a reseller user or one of the platform's staff, or
/// nobody when it is unknown or has expired (expired sessions are removed on sight).
pub async fn find(portico: &Portico, token: &str) -> Result<Principal> {
    portico.count_session_lookup();
    let db = &portico.db;
    let hash = token_hash(token);
    let reseller = sqlx::query(
        "SELECT s.created_at, s.last_seen_at, u.id, u.reseller_id, u.name, u.email, u.role, r.name AS reseller_name \
         FROM portal_sessions s JOIN reseller_users u ON u.id = s.reseller_user_id JOIN resellers r ON r.id = u.reseller_id \
         WHERE s.token_hash = $1 AND u.disabled_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let (table, row) = match reseller {
        Some(row) => ("portal_sessions", row),
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
                Some(row) => ("platform_sessions", row),
                None => return Ok(Principal::Nobody),
            }
        }
    };
    let now = now_ms();
    match session_age(row.try_get("created_at")?, row.try_get("last_seen_at")?, now) {
        SessionAge::Expired => {
            delete(db, token).await?;
            return Ok(Principal::Nobody);
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
    let role: StaffRole = row.try_get::<String, _>("role")?.parse().map_err(anyhow::Error::from)?;
    Ok(if table == "portal_sessions" {
        Principal::Reseller(ResellerUser {
            user_id: row.try_get::<ResellerUserId, _>("id")?,
            reseller_id: row.try_get::<ResellerId, _>("reseller_id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            role,
            reseller_name: row.try_get("reseller_name")?,
        })
    } else {
        Principal::Staff(StaffUser {
            user_id: row.try_get::<PlatformUserId, _>("id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            role,
        })
    })
}
