//! "Forgot your password?" for portal users: a one-time link by e-mail, valid for an hour. Asking
//! never reveals whether the address has an account.

use std::net::IpAddr;

use portico_shared::email::EmailAddress;
use portico_shared::password::new_password;
use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::principal::Actor;
use crate::staff::{find_login, record_change, user_from_row, user_kind, user_record};
use crate::throttle::{self, Limit};
use crate::tokens::{new_token, token_hash};
use crate::Portico;

const LIFETIME_MS: i64 = 60 * 60 * 1000;

/// A person gets at most one link a minute, however often anyone asks.
const RESEND_INTERVAL_MS: i64 = 60_000;

/// The page where a new password is chosen; the token follows as `?token=`.
pub const RESET_PATH: &str = "/reset-password";

/// Requests from one address: enough for a person, too few to bomb mailboxes.
const PER_ADDRESS: Limit = Limit { hits: 10, window_ms: 10 * 60 * 1000 };

/// **Forgot your password?**: queues a job that e-mails a reset link to the enabled account with
/// this address, if there is one. Known, unknown, disabled and malformed addresses cost the same
/// work here (a limit per client address, one job written) and get the same answer.
pub async fn request(portico: &Portico, email: &str, client: IpAddr) -> Result<()> {
    let db = &portico.db;
    throttle::admit(db, &format!("portal-reset:ip:{}", throttle::address_key(client)), PER_ADDRESS).await?;
    let mut tx = db.begin_write().await?;
    jobs::enqueue(&mut tx, &Job::PortalPasswordReset { email: email.trim().to_owned() }).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// The job: the link, if the address has an enabled account that got none in the last minute.
pub async fn send(portico: &Portico, email: &str) -> Result<()> {
    let (db, origin) = (&portico.db, &portico.settings.public_origin);
    let Ok(email) = EmailAddress::parse(email) else { return Ok(()) };
    let Some(login) = find_login(db, email.as_str()).await?.filter(|login| !login.disabled) else { return Ok(()) };
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(created_at) FROM portal_password_resets WHERE user_id = $1")
        .bind(login.user.as_str())
        .fetch_one(&db.pool)
        .await?;
    let now = now_ms();
    if last.is_some_and(|at| now - at < RESEND_INTERVAL_MS) {
        return Ok(());
    }
    let token = new_token();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO portal_password_resets (token_hash, user_kind, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user_kind(&login.user))
    .bind(login.user.as_str())
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    let link = format!("{origin}{RESET_PATH}?token={token}");
    jobs::enqueue(&mut tx, &Job::SendEmail(emails::portal_password_reset(email.as_str(), &link))).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// Whether a reset link can still be used, and the reason when it cannot.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Valid,
    Expired,
    Used,
    Unknown,
}

impl Lookup {
    /// Why the link cannot be used, in words for the person holding it.
    pub fn refusal(&self) -> Option<&'static str> {
        match self {
            Lookup::Valid => None,
            Lookup::Expired => Some("This link has expired: links work for an hour. Ask for a new one."),
            Lookup::Used => {
                Some("This link was already used. If you did not change your password, ask for a new link.")
            }
            Lookup::Unknown => Some("This link is not valid. Check that you opened the whole address from the e-mail."),
        }
    }
}

pub async fn lookup(db: &Db, token: &str) -> Result<Lookup> {
    let row = sqlx::query("SELECT expires_at, used_at FROM portal_password_resets WHERE token_hash = $1")
        .bind(token_hash(token))
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(Lookup::Unknown) };
    Ok(if row.try_get::<Option<i64>, _>("used_at")?.is_some() {
        Lookup::Used
    } else if row.try_get::<i64, _>("expires_at")? < now_ms() {
        Lookup::Expired
    } else {
        Lookup::Valid
    })
}

/// Refuses a link that can no longer be used, saying why.
pub async fn usable(portico: &Portico, token: &str) -> Result<()> {
    match lookup(&portico.db, token).await?.refusal() {
        None => Ok(()),
        Some(why) => Err(Error::Conflict(why.into())),
    }
}

/// Sets the new password of the link's user, ends all their sessions and tells them by e-mail.
pub async fn change(portico: &Portico, token: &str, password: &str, verify_password: &str) -> Result<()> {
    usable(portico, token).await?;
    let password = new_password(password, verify_password).map_err(Error::Validation)?;
    let db = &portico.db;
    let hash = portico.hasher.hash(password.expose()).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "UPDATE portal_password_resets SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at >= $1 RETURNING user_kind, user_id",
    )
    .bind(now)
    .bind(token_hash(token))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        tx.rollback().await?;
        let why = lookup(db, token).await?.refusal().unwrap_or("Please open the link from the e-mail once more.");
        return Err(Error::Conflict(why.into()));
    };
    let user = user_from_row(&row)?;
    let person = user_record(&mut tx, &user).await?;
    sqlx::query(&format!("UPDATE {} SET password_hash = $1 WHERE id = $2", person.scope.users_table()))
        .bind(&hash.0)
        .bind(user.as_str())
        .execute(&mut **tx)
        .await?;
    let (scope, email) = (person.scope, person.email);
    let actor = Actor { id: Some(user.to_string()), label: email.clone() };
    let action = format!("Team: {email} reset their password");
    record_change(&mut tx, &scope, &actor, &action, None, None).await?;
    crate::sessions::portal::end_all(&mut tx, &user).await?;
    jobs::enqueue(&mut tx, &Job::SendEmail(emails::portal_password_changed(&email))).await?;
    tx.commit().await?;
    portico.jobs.wake();
    tracing::info!(%user, "portal password reset");
    Ok(())
}
