//! Counting attempts in fixed time windows, in the database so that every server process sees
//! the same counts. Used to slow down password guessing without locking the owner out: limits
//! are per IP address, and per IP address and account together, never per account alone.

use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::error::Result;

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub hits: i64,
    pub window_ms: i64,
}

/// Whether another attempt may go ahead, and if not, for how long to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Wait { seconds: i64 },
}

fn window_start(now: i64, limit: Limit) -> i64 {
    now - now.rem_euclid(limit.window_ms)
}

/// Reads the count for `key` in the current window.
pub async fn check(db: &Db, key: &str, limit: Limit) -> Result<Verdict> {
    let now = now_ms();
    let start = window_start(now, limit);
    let hits: Option<i64> = sqlx::query("SELECT hits FROM throttle_windows WHERE key = $1 AND window_start = $2")
        .bind(key)
        .bind(start)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.try_get("hits"))
        .transpose()?;
    Ok(if hits.unwrap_or(0) >= limit.hits {
        Verdict::Wait { seconds: ((start + limit.window_ms - now) / 1000).max(1) }
    } else {
        Verdict::Allowed
    })
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

/// Drops windows that ended long ago; called now and then by the job worker.
pub async fn prune(db: &Db, older_than_ms: i64) -> Result<()> {
    sqlx::query("DELETE FROM throttle_windows WHERE window_start < $1")
        .bind(now_ms() - older_than_ms)
        .execute(&db.pool)
        .await?;
    Ok(())
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
