//! One-time links sent by e-mail (confirm an address, reset a password). The token is 256 random
//! bits in the link; the database keeps only its SHA-256, an expiry and whether it was used.

use portico_shared::ids::CustomerUserId;
use sqlx::{Any, Row, Transaction};
use strum::IntoStaticStr;

use crate::db::{now_ms, Db};
use crate::error::Result;
use crate::tokens::{new_token, token_hash as hash};

/// What a link is for; stored by its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// How long a link stays valid.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Purpose::VerifyEmail => 24 * 60 * 60 * 1000,
            Purpose::ResetPassword => 60 * 60 * 1000,
        }
    }
}

/// What a token in a link turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Valid(CustomerUserId),
    Expired(CustomerUserId),
    Used(CustomerUserId),
    Unknown,
}

/// Creates a token inside the caller's transaction and returns it (for the link).
pub async fn issue(tx: &mut Transaction<'_, Any>, purpose: Purpose, user: &CustomerUserId) -> Result<String> {
    issue_valid_for(tx, purpose, user, purpose.lifetime_ms()).await
}

/// As [`issue`], valid for `lifetime_ms` (an invitation's link to choose a first password lasts
/// longer than a reset's).
pub async fn issue_valid_for(
    tx: &mut Transaction<'_, Any>,
    purpose: Purpose,
    user: &CustomerUserId,
    lifetime_ms: i64,
) -> Result<String> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, purpose, customer_user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&token))
    .bind(purpose.as_str())
    .bind(user.as_str())
    .bind(now)
    .bind(now + lifetime_ms)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// Looks a token up without using it.
pub async fn lookup(db: &Db, purpose: Purpose, token: &str) -> Result<Lookup> {
    let row = sqlx::query(
        "SELECT customer_user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(hash(token))
    .bind(purpose.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(Lookup::Unknown) };
    let user = CustomerUserId(row.try_get("customer_user_id")?);
    Ok(if row.try_get::<Option<i64>, _>("used_at")?.is_some() {
        Lookup::Used(user)
    } else if row.try_get::<i64, _>("expires_at")? < now_ms() {
        Lookup::Expired(user)
    } else {
        Lookup::Valid(user)
    })
}

/// Marks a valid token used inside the caller's transaction; false if it was used or expired
/// meanwhile (two tabs, one click each), so only one of them acts.
pub async fn consume(tx: &mut Transaction<'_, Any>, purpose: Purpose, token: &str) -> Result<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at >= $1",
    )
    .bind(now)
    .bind(hash(token))
    .bind(purpose.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A person gets at most one new link of a kind per minute, however often anyone asks.
const RESEND_INTERVAL_MS: i64 = 60_000;

/// Whether a link of this purpose went to the user less than a minute ago (then no new one is sent).
pub async fn sent_recently(db: &Db, purpose: Purpose, user: &CustomerUserId) -> Result<bool> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM email_tokens WHERE customer_user_id = $1 AND purpose = $2")
            .bind(user.as_str())
            .bind(purpose.as_str())
            .fetch_one(&db.pool)
            .await?;
    Ok(last.is_some_and(|at| now_ms() - at < RESEND_INTERVAL_MS))
}
