//! Counting attempts in fixed time windows, in the database so that every server process sees
//! the same counts. Used to slow down password guessing without locking the owner out: limits
//! are per IP address, and per IP address and account together; an account alone is only ever
//! slowed down.

use std::net::IpAddr;

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

/// How many hits `key` has in the current window of `limit`.
async fn count(db: &Db, key: &str, limit: Limit) -> Result<i64> {
    let start = window_start(now_ms(), limit);
    let hits: Option<i64> = sqlx::query("SELECT hits FROM throttle_windows WHERE key = $1 AND window_start = $2")
        .bind(key)
        .bind(start)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.try_get("hits"))
        .transpose()?;
    Ok(hits.unwrap_or(0))
}

/// Refuses (429, with how long to wait) when `key` has used up `limit` in the current window,
/// else counts this attempt: one statement, so two requests cannot both pass on the last free
/// hit, and a refused attempt is not counted.
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

/// Takes back one hit counted by [`admit`] in the current window (an attempt that turned out not
/// to count: a success, or one refused by another limit).
pub async fn give_back(db: &Db, key: &str, limit: Limit) -> Result<()> {
    sqlx::query("UPDATE throttle_windows SET hits = hits - 1 WHERE key = $1 AND window_start = $2 AND hits > 0")
        .bind(key)
        .bind(window_start(now_ms(), limit))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Forgets the attempts against `key` (after a success).
pub async fn clear(db: &Db, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM throttle_windows WHERE key = $1").bind(key).execute(&db.pool).await?;
    Ok(())
}

/// An address as limits count it: an IPv4 address alone, an IPv6 address by its /64 (what one
/// home or server is given, so that walking its addresses gains nothing).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
    }
}

/// Attempts at one sign-in form from one address, whatever the account; successes are given
/// back, so a busy office behind one address is not slowed down by its own colleagues.
const SIGN_IN_PER_IP: Limit = Limit { hits: 30, window_ms: 10 * 60 * 1000 };
/// Attempts from one address on one account, successes given back.
const SIGN_IN_PER_IP_AND_ACCOUNT: Limit = Limit { hits: 5, window_ms: 15 * 60 * 1000 };
/// Failures on one account from any address, after which each attempt on it waits
/// [`SLOWED_ATTEMPT`] before its password is checked: NIST SP 800-63B's ceiling of 100 failures,
/// met by slowing guessers down rather than locking the owner out.
const SIGN_IN_PER_ACCOUNT: Limit = Limit { hits: 100, window_ms: 60 * 60 * 1000 };
const SLOWED_ATTEMPT: std::time::Duration = std::time::Duration::from_secs(2);

/// One password attempt at a sign-in form (`form` names it: the widget's Login, the portal's
/// sign-in). It is admitted, and counted, before the password is hashed, so a burst of attempts
/// sent at once cannot pass the limits together. Limits count per address and per address and
/// account; an account attacked from many addresses is slowed down, never locked.
pub struct SignInAttempt {
    ip_key: String,
    pair_key: String,
    account_key: String,
}

impl SignInAttempt {
    /// Admits the attempt, or refuses it (429) when the address has used up its attempts; waits
    /// first when the account has had too many failures from anywhere.
    pub async fn begin(db: &Db, form: &str, ip: IpAddr, account: &str) -> Result<SignInAttempt> {
        let address = address_key(ip);
        let attempt = SignInAttempt {
            ip_key: format!("{form}:ip:{address}"),
            pair_key: format!("{form}:ip-account:{address}:{account}"),
            account_key: format!("{form}:account:{account}"),
        };
        admit(db, &attempt.pair_key, SIGN_IN_PER_IP_AND_ACCOUNT).await?;
        if let Err(refused) = admit(db, &attempt.ip_key, SIGN_IN_PER_IP).await {
            give_back(db, &attempt.pair_key, SIGN_IN_PER_IP_AND_ACCOUNT).await?;
            return Err(refused);
        }
        if count(db, &attempt.account_key, SIGN_IN_PER_ACCOUNT).await? >= SIGN_IN_PER_ACCOUNT.hits {
            tokio::time::sleep(SLOWED_ATTEMPT).await;
        }
        Ok(attempt)
    }

    /// A wrong password: it stays counted against the address, and counts against the account.
    pub async fn failed(&self, db: &Db) -> Result<()> {
        hit(db, &self.account_key, SIGN_IN_PER_ACCOUNT).await
    }

    /// The right password: the address gets its attempt back, and the address's failures on the
    /// account are forgotten.
    pub async fn succeeded(&self, db: &Db) -> Result<()> {
        give_back(db, &self.ip_key, SIGN_IN_PER_IP).await?;
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

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let key = |text: &str| address_key(text.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
    }
}
