//! The job queue: work that must happen after a commit (e-mails, AWS calls, watching invitations).
//!
//! A job is plain data, written in the same transaction as the change that needs it, so it exists
//! exactly when the change does. Workers in any server process claim a due job with a conditional
//! UPDATE (a lease), run it, and finish it: done, due again later, or failed and retried with
//! exponential backoff; a lease that expires (a crashed process) makes the job claimable again.
//! The same SQL runs on SQLite and PostgreSQL. This module knows no feature: what each job does is
//! the worker's business (`worker`), which sits above every feature.

use std::sync::Arc;

use portico_shared::aws::AccountId;
use portico_shared::dates::Month;
use portico_shared::ids::{CloudAccountId, InstanceId, InvoiceId, ResellerId, SubscriptionId, UsageImportId};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};
use strum::IntoStaticStr;
use tokio::sync::Notify;

use crate::db::{new_id, now_ms, Db};
use crate::error::Result;
use crate::mail::OutgoingMail;

/// How long a claimed job is its worker's: the worker renews it every third of this while the
/// job runs, so only a stopped worker's job is taken over, within this time.
const LEASE_MS: i64 = 15_000;
const MAX_ATTEMPTS: i64 = 8;

/// Everything a job can be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Job {
    SendEmail(OutgoingMail),
    /// Sends the AWS Organizations invitation of an approved cloud account.
    InviteAccount {
        account: CloudAccountId,
    },
    /// Asks AWS what became of an invitation, until it is answered or expires.
    WatchHandshake {
        account: CloudAccountId,
        handshake: String,
    },
    /// Reminds the customer's contact of an invitation still open.
    RemindInvitation {
        account: CloudAccountId,
        handshake: String,
    },
    CancelHandshake {
        handshake: String,
    },
    /// Removes an unlinked account from the organization.
    RemoveAccount {
        number: AccountId,
    },
    /// Asks AWS to create an approved new account.
    CreateAccount {
        account: CloudAccountId,
    },
    /// Asks AWS how a new account's creation goes, until it is done.
    WatchCreation {
        account: CloudAccountId,
    },
    /// Starts a launched test drive's sandbox and waits until it runs or fails.
    LaunchTestDrive {
        instance: InstanceId,
    },
    /// Due at a test drive's expiry: ends it if it still runs.
    ExpireTestDrive {
        instance: InstanceId,
    },
    /// Ends the sandbox of a test drive the customer stopped.
    EndSandbox {
        instance: InstanceId,
    },
    /// Due on a subscription's next date (start, end of term): takes Portico's step if the
    /// subscription is still at `version`.
    SubscriptionDue {
        subscription: SubscriptionId,
        version: i64,
    },
    /// Reads an uploaded or dropped usage report and applies it.
    ImportUsage {
        import: UsageImportId,
    },
    /// Issues the invoices of a reseller's closed month.
    CloseMonth {
        reseller: ResellerId,
        month: Month,
    },
    /// E-mails an invoice, with its PDF, to the customer's primary contact.
    SendInvoice {
        invoice: InvoiceId,
    },
    /// "Forgot your password?" in the portal for this address: a link, if it has an account.
    PortalPasswordReset {
        email: String,
    },
    /// The widget's "Forgot password" for this address at this reseller: a reset link, if it
    /// has an account.
    WidgetPasswordReset {
        reseller: ResellerId,
        email: String,
    },
    /// The widget's "Send it again" for this address at this reseller: a new confirmation link,
    /// if it has an account still to confirm.
    ResendConfirmation {
        reseller: ResellerId,
        email: String,
    },
}

impl Job {
    /// How long one run may take before it is abandoned as failed (and tried again later with
    /// backoff): a call that hangs holds neither the worker nor the job for ever. Reading a large
    /// report or closing a month for many customers takes long; a call to AWS or to the SMTP
    /// server does not.
    pub fn timeout(&self) -> std::time::Duration {
        const MINUTE: u64 = 60;
        std::time::Duration::from_secs(match self {
            Job::ImportUsage { .. } | Job::CloseMonth { .. } => 60 * MINUTE,
            Job::SubscriptionDue { .. } => 5 * MINUTE,
            _ => 2 * MINUTE,
        })
    }
}

/// What became of a job that ran without failing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Done,
    /// Run it again at this time (ms): it waits on something, such as an invitation's answer.
    At(i64),
}

/// Writes `job` inside the caller's transaction, due now.
pub async fn enqueue(tx: &mut Transaction<'_, Any>, job: &Job) -> Result<()> {
    enqueue_at(tx, job, now_ms()).await
}

/// Writes `job` inside the caller's transaction, due at `run_at` (ms since the epoch).
pub async fn enqueue_at(tx: &mut Transaction<'_, Any>, job: &Job, run_at: i64) -> Result<()> {
    let kind: &'static str = job.into();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, created_at) \
         VALUES ($1, $2, $3, 'pending', $4, 0, $5, $6)",
    )
    .bind(new_id("job"))
    .bind(kind)
    .bind(serde_json::to_string(job).map_err(anyhow::Error::from)?)
    .bind(run_at)
    .bind(MAX_ATTEMPTS)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells this process's worker that a job was just committed, so it runs at once instead of at
/// the next poll.
#[derive(Clone, Debug, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// Waits until [`Wake::wake`] is called.
    pub async fn woken(&self) {
        self.0.notified().await;
    }
}

/// A job a worker holds the lease of.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

impl Claimed {
    /// The job, or why its payload cannot be read.
    pub fn job(&self) -> anyhow::Result<Job> {
        serde_json::from_str(&self.payload).map_err(|e| anyhow::anyhow!("unreadable job payload: {e}"))
    }
}

/// Claims the job due first for `worker`, if any.
pub async fn claim(db: &Db, worker: &str) -> Result<Option<Claimed>> {
    let now = now_ms();
    // The condition is repeated outside the subquery: of two workers that picked the same
    // job, the second finds it no longer due and updates nothing.
    Ok(sqlx::query_as(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs \
                     WHERE (status = 'pending' AND run_at <= $3) OR (status = 'running' AND locked_until < $3) \
                     ORDER BY run_at LIMIT 1) \
           AND ((status = 'pending' AND run_at <= $3) OR (status = 'running' AND locked_until < $3)) \
         RETURNING id, payload, attempts, max_attempts",
    )
    .bind(worker)
    .bind(now + LEASE_MS)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?)
}

/// Renews `worker`'s lease on job `id` every third of the lease, until dropped (the job ended).
/// A renewal that fails is retried at the next tick; the lease outlives a few.
pub async fn keep_leased(db: &Db, worker: &str, id: &str) -> std::convert::Infallible {
    let mut tick =
        tokio::time::interval(std::time::Duration::from_millis(u64::try_from(LEASE_MS / 3).unwrap_or(5_000)));
    tick.tick().await;
    loop {
        tick.tick().await;
        let renewed =
            sqlx::query("UPDATE jobs SET locked_until = $1 WHERE id = $2 AND locked_by = $3 AND status = 'running'")
                .bind(now_ms() + LEASE_MS)
                .bind(id)
                .bind(worker)
                .execute(&db.pool)
                .await;
        if let Err(e) = renewed {
            tracing::warn!(job = id, error = %e, "renewing a job's lease failed");
        }
    }
}

/// Records what became of a job `worker` ran: done, due again, or failed (retried with backoff
/// until its attempts are used up).
/// A finished job's payload, as kept until the janitor removes the row: an e-mail's message
/// holds one-time links (invitations, password resets, AWS access) that work for days, so a
/// message no longer to be sent is wiped rather than left for a database leak or a backup to give
/// away. The other jobs' payloads are ids, kept as they are.
const WIPED: &str = "CASE WHEN kind = 'send_email' THEN '{}' ELSE payload END";

pub async fn finish(db: &Db, worker: &str, job: &Claimed, outcome: anyhow::Result<Next>) -> Result<()> {
    let now = now_ms();
    match outcome {
        // A job that waits on something (an invitation's answer) runs again later; its
        // attempts count failures, not polls.
        Ok(Next::At(run_at)) => {
            sqlx::query(
                "UPDATE jobs SET status = 'pending', run_at = $1, attempts = 0, locked_until = NULL \
                 WHERE id = $2 AND locked_by = $3",
            )
            .bind(run_at)
            .bind(&job.id)
            .bind(worker)
            .execute(&db.pool)
            .await?;
        }
        Ok(Next::Done) => {
            sqlx::query(&format!(
                "UPDATE jobs SET status = 'done', finished_at = $1, locked_until = NULL, payload = {WIPED} \
                 WHERE id = $2 AND locked_by = $3"
            ))
            .bind(now)
            .bind(&job.id)
            .bind(worker)
            .execute(&db.pool)
            .await?;
        }
        Err(error) => {
            let gave_up = job.attempts >= job.max_attempts;
            tracing::warn!(job = %job.id, attempts = job.attempts, gave_up, error = %error, "job failed");
            let payload = if gave_up { WIPED } else { "payload" };
            sqlx::query(&format!(
                "UPDATE jobs SET status = $1, run_at = $2, last_error = $3, locked_until = NULL, finished_at = $4, \
                 payload = {payload} WHERE id = $5 AND locked_by = $6"
            ))
            .bind(if gave_up { "failed" } else { "pending" })
            .bind(now + backoff_ms(job.attempts))
            .bind(format!("{error:#}"))
            .bind(gave_up.then_some(now))
            .bind(&job.id)
            .bind(worker)
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}

/// 2 s, 4 s, 8 s … capped at 10 minutes.
fn backoff_ms(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 20)).unwrap_or(20);
    (1000_i64 << exponent).min(600_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(2), 4_000);
        assert_eq!(backoff_ms(9), 512_000);
        assert_eq!(backoff_ms(10), 600_000);
        assert_eq!(backoff_ms(1000), 600_000);
    }

    #[test]
    fn a_job_is_stored_by_its_kind() {
        let job = Job::EndSandbox { instance: InstanceId("tdi_1".into()) };
        assert_eq!(<&'static str>::from(&job), "end_sandbox");
        assert_eq!(serde_json::to_string(&job).unwrap(), r#"{"kind":"end_sandbox","payload":{"instance":"tdi_1"}}"#);
    }
}
