//! Counting attempts in fixed time windows, in the database so that every server process sees
//! the same counts. Used to slow down password guessing without locking the owner out: limits
//! are per IP address, and per IP address and account together, never per account alone.

use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub hits: i64,
    pub window_ms: i64,
}

fn window_start(now: i64, limit: Limit) -> i64 {
    now - now.rem_euclid(limit.window_ms)
}

/// A 429 that says how long until the window ends.
fn refusal(start: i64, limit: Limit, now: i64) -> Error {
    Error::RateLimited { seconds: ((start + limit.window_ms - now) / 1000).max(1) }
}

/// Refuses (429, with how long to wait) when `key` has used up `limit` in the current window.
pub async fn refuse_if_over(db: &Db, key: &str, limit: Limit) -> Result<()> {
    let now = now_ms();
    let start = window_start(now, limit);
    let hits: Option<i64> = sqlx::query("SELECT hits FROM throttle_windows WHERE key = $1 AND window_start = $2")
        .bind(key)
        .bind(start)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.try_get("hits"))
        .transpose()?;
    if hits.unwrap_or(0) >= limit.hits {
        return Err(refusal(start, limit, now));
    }
    Ok(())
}

/// Refuses as [`refuse_if_over`] does, else counts this attempt: one statement, so two requests
/// cannot both pass on the last free hit, and a refused attempt is not counted.
pub async fn admit(db: &Db, key: &str, limit: Limit) -> Result<()> {
    let now = now_ms();
    let start = window_start(now, limit);
    let counted = sqlx::query(
        "INSERT INTO throttle_windows (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key, window_start) DO UPDATE SET hits = throttle_windows.hits + 1 \
         WHERE throttle_windows.hits < $3 RETURNING hits",
    )
    .bind(key)
    .bind(start)
    .bind(limit.hits)
    .fetch_optional(&db.pool)
    .await?;
    match counted {
        Some(_) => Ok(()),
        None => Err(refusal(start, limit, now)),
    }
}

/// Counts one attempt against `key`.
pub async fn hit(db: &Db, key: &str, limit: Limit) -> Result<()> {
    let start = window_start(now_ms(), limit);
    sqlx::query(
        "INSERT INTO throttle_windows (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key, window_start) DO UPDATE SET hits = throttle_windows.hits + 1",
    )
    .bind(key)
    .bind(start)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Forgets the attempts against `key` (after a success).
pub async fn clear(db: &Db, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM throttle_windows WHERE key = $1").bind(key).execute(&db.pool).await?;
    Ok(())
}

/// Failures at one sign-in form from one address, whatever the account (successes do not count,
/// so a busy office behind one address is not slowed down by its own colleagues).
const SIGN_IN_PER_IP: Limit = Limit { hits: 30, window_ms: 10 * 60 * 1000 };
/// Failures from one address on one account.
const SIGN_IN_PER_IP_AND_ACCOUNT: Limit = Limit { hits: 5, window_ms: 15 * 60 * 1000 };

/// One password attempt at a sign-in form (`form` names it: the widget's Login, the portal's
/// sign-in). Limits count attempts per IP address and failures per IP address and account, never
/// per account alone, so nobody can lock the owner out by guessing from elsewhere.
pub struct SignInAttempt {
    ip_key: String,
    pair_key: String,
}

impl SignInAttempt {
    /// Refuses (429) when the address has used up its failures, before any password is checked.
    pub async fn begin(db: &Db, form: &str, ip: std::net::IpAddr, account: &str) -> Result<SignInAttempt> {
        let attempt =
            SignInAttempt { ip_key: format!("{form}:ip:{ip}"), pair_key: format!("{form}:ip-account:{ip}:{account}") };
        refuse_if_over(db, &attempt.pair_key, SIGN_IN_PER_IP_AND_ACCOUNT).await?;
        refuse_if_over(db, &attempt.ip_key, SIGN_IN_PER_IP).await?;
        Ok(attempt)
    }

    /// Counts a wrong password against the address, and against the address and account.
    pub async fn failed(&self, db: &Db) -> Result<()> {
        hit(db, &self.ip_key, SIGN_IN_PER_IP).await?;
        hit(db, &self.pair_key, SIGN_IN_PER_IP_AND_ACCOUNT).await
    }

    pub async fn succeeded(&self, db: &Db) -> Result<()> {
        clear(db, &self.pair_key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_to_their_length() {
        let limit = Limit { hits: 5, window_ms: 60_000 };
        assert_eq!(window_start(125_000, limit), 120_000);
        assert_eq!(window_start(120_000, limit), 120_000);
    }
}
