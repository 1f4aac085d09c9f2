//! Removes rows whose purpose has passed, so tables grow with use and not with time. Run by
//! every server's job worker now and then; each statement is idempotent, so two servers sweeping
//! at once do no harm.

use crate::db::Db;
use crate::error::Result;
use crate::tokens::{ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// A replayed Idempotency-Key is a retry of the same request: minutes, not days, after the first.
const IDEMPOTENCY_KEPT_MS: i64 = DAY_MS;
/// Expired and used e-mail links are kept a while, so following one still says why it no longer works.
const EMAIL_LINKS_KEPT_MS: i64 = 30 * DAY_MS;
/// Sent e-mails' jobs are kept a week for support questions; failed ones a month.
const DONE_JOBS_KEPT_MS: i64 = 7 * DAY_MS;
const FAILED_JOBS_KEPT_MS: i64 = 30 * DAY_MS;
/// Attempt-counter windows are at most an hour long.
const THROTTLE_KEPT_MS: i64 = 2 * 60 * 60 * 1000;

/// How many rows one sweep removed, per table.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub portal_sessions: u64,
    pub widget_sessions: u64,
    pub email_tokens: u64,
    pub idempotency_keys: u64,
    pub jobs: u64,
    pub throttle_windows: u64,
    pub sign_in_challenges: u64,
}

/// Removes, as of `now` (ms): sessions past their idle or absolute timeout, e-mail links a month
/// past expiry, idempotency records older than a day, finished jobs past their keeping time, and
/// attempt counters of windows long closed, and sign-ins whose second step was never given.
pub async fn sweep(db: &Db, now: i64) -> Result<Swept> {
    let delete = |sql: &'static str, binds: Vec<i64>| async move {
        let mut query = sqlx::query(sql);
        for value in binds {
            query = query.bind(value);
        }
        Ok::<u64, crate::error::Error>(query.execute(&db.pool).await?.rows_affected())
    };
    let sessions = vec![now - IDLE_TIMEOUT_MS, now - ABSOLUTE_TIMEOUT_MS];
    Ok(Swept {
        portal_sessions: delete(
            "DELETE FROM portal_sessions WHERE last_seen_at < $1 OR created_at < $2",
            sessions.clone(),
        )
        .await?,
        widget_sessions: delete("DELETE FROM widget_sessions WHERE last_seen_at < $1 OR created_at < $2", sessions)
            .await?,
        email_tokens: delete("DELETE FROM email_tokens WHERE expires_at < $1", vec![now - EMAIL_LINKS_KEPT_MS]).await?,
        idempotency_keys: delete("DELETE FROM idempotency_keys WHERE created_at < $1", vec![now - IDEMPOTENCY_KEPT_MS])
            .await?,
        jobs: delete(
            "DELETE FROM jobs WHERE (status = 'done' AND finished_at < $1) OR (status = 'failed' AND finished_at < $2)",
            vec![now - DONE_JOBS_KEPT_MS, now - FAILED_JOBS_KEPT_MS],
        )
        .await?,
        throttle_windows: delete("DELETE FROM throttle_windows WHERE window_start < $1", vec![now - THROTTLE_KEPT_MS])
            .await?,
        sign_in_challenges: delete("DELETE FROM sign_in_challenges WHERE expires_at < $1", vec![now]).await?,
    })
}
