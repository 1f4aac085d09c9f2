//! The jobs table: work that must happen after a commit (e-mails, AWS calls, watching invitations).
//!
//! A job is written in the same transaction as the change that needs it, so it exists exactly
//! when the change does. Workers in any server process claim a due job with a conditional UPDATE
//! (a lease), run it, and mark it done; a failure is retried with exponential backoff; a lease
//! that expires (a crashed process) makes the job claimable again. The same SQL runs on SQLite
//! and PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};
use tokio::sync::Notify;

use portico_shared::aws::AccountId;

use crate::cloud::gateway::CloudGateway;
use crate::cloud::link_jobs::{self, Next};
use crate::cloud::links::LinkConfig;
use crate::db::{new_id, now_ms, Db};
use crate::error::Result;
use crate::mail::{Mailer, OutgoingMail};
use crate::test_drives::instances;

const LEASE_MS: i64 = 60_000;
const IDLE_POLL: Duration = Duration::from_millis(500);
const MAX_ATTEMPTS: i64 = 8;
/// How often the worker removes rows whose purpose has passed (see `janitor`).
const PRUNE_EVERY_MS: i64 = 10 * 60 * 1000;

/// Everything a job can be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Job {
    SendEmail(OutgoingMail),
    /// Sends the AWS Organizations invitation of an approved cloud account.
    InviteAccount {
        account: String,
    },
    /// Asks AWS what became of an invitation, until it is answered or expires.
    WatchHandshake {
        account: String,
        handshake: String,
    },
    /// Reminds the customer's contact of an invitation still open.
    RemindInvitation {
        account: String,
        handshake: String,
    },
    CancelHandshake {
        handshake: String,
    },
    /// Removes an unlinked account from the organization.
    RemoveAccount {
        number: String,
    },
    /// Asks AWS to create an approved new account.
    CreateAccount {
        account: String,
    },
    /// Asks AWS how a new account's creation goes, until it is done.
    WatchCreation {
        account: String,
    },
    /// Starts a launched test drive's sandbox and waits until it runs or fails.
    LaunchTestDrive {
        instance: String,
    },
    /// Due at a test drive's expiry: ends it if it still runs.
    ExpireTestDrive {
        instance: String,
    },
    /// Ends the sandbox of a test drive the customer stopped.
    EndSandbox {
        instance: String,
    },
}

impl Job {
    fn kind(&self) -> &'static str {
        match self {
            Job::SendEmail(_) => "send_email",
            Job::InviteAccount { .. } => "invite_account",
            Job::WatchHandshake { .. } => "watch_handshake",
            Job::RemindInvitation { .. } => "remind_invitation",
            Job::CancelHandshake { .. } => "cancel_handshake",
            Job::RemoveAccount { .. } => "remove_account",
            Job::CreateAccount { .. } => "create_account",
            Job::WatchCreation { .. } => "watch_creation",
            Job::LaunchTestDrive { .. } => "launch_test_drive",
            Job::ExpireTestDrive { .. } => "expire_test_drive",
            Job::EndSandbox { .. } => "end_sandbox",
        }
    }
}

/// Writes `job` inside the caller's transaction, due now.
pub async fn enqueue(tx: &mut Transaction<'_, Any>, job: &Job) -> Result<()> {
    enqueue_at(tx, job, now_ms()).await
}

/// Writes `job` inside the caller's transaction, due at `run_at` (ms since the epoch).
pub async fn enqueue_at(tx: &mut Transaction<'_, Any>, job: &Job, run_at: i64) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, created_at) \
         VALUES ($1, $2, $3, 'pending', $4, 0, $5, $6)",
    )
    .bind(new_id("job"))
    .bind(job.kind())
    .bind(serde_json::to_string(job).map_err(anyhow::Error::from)?)
    .bind(run_at)
    .bind(MAX_ATTEMPTS)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Runs due jobs until the process ends. Call [`Worker::wake`] after committing a job to run it
/// at once instead of at the next poll.
#[derive(Clone)]
pub struct Worker {
    db: Db,
    mailer: Mailer,
    cloud: Arc<dyn CloudGateway>,
    config: LinkConfig,
    name: Arc<str>,
    wake: Arc<Notify>,
}

struct Claimed {
    id: String,
    payload: String,
    attempts: i64,
    max_attempts: i64,
}

impl Worker {
    pub fn new(db: Db, mailer: Mailer, cloud: Arc<dyn CloudGateway>, config: LinkConfig) -> Worker {
        Worker { db, mailer, cloud, config, name: new_id("worker").into(), wake: Arc::new(Notify::new()) }
    }

    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs the worker until the returned task is aborted (the server stopping).
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_prune = 0;
            loop {
                if now_ms() - last_prune > PRUNE_EVERY_MS {
                    last_prune = now_ms();
                    match crate::janitor::sweep(&self.db, last_prune).await {
                        Ok(swept) => tracing::debug!(?swept, "old rows removed"),
                        Err(e) => tracing::warn!(error = %e, "removing old rows failed"),
                    }
                }
                match self.run_one().await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => tracing::error!(error = %e, "job worker: database error"),
                }
                let _ = tokio::time::timeout(IDLE_POLL, self.wake.notified()).await;
            }
        })
    }

    /// Claims and runs one due job; false when there was none.
    pub async fn run_one(&self) -> Result<bool> {
        let Some(job) = self.claim().await? else { return Ok(false) };
        let outcome = match serde_json::from_str::<Job>(&job.payload) {
            Ok(work) => self.perform(work).await,
            Err(e) => Err(anyhow::anyhow!("unreadable job payload: {e}")),
        };
        self.finish(&job, outcome).await?;
        Ok(true)
    }

    async fn perform(&self, job: Job) -> anyhow::Result<Next> {
        let (db, cloud, config) = (&self.db, self.cloud.as_ref(), &self.config);
        Ok(match job {
            Job::SendEmail(mail) => {
                self.mailer.send(&mail).await?;
                Next::Done
            }
            Job::InviteAccount { account } => link_jobs::send_invitation(db, cloud, config, &account).await?,
            Job::WatchHandshake { account, handshake } => {
                link_jobs::watch_handshake(db, cloud, config, &account, &handshake).await?
            }
            Job::RemindInvitation { account, handshake } => {
                link_jobs::remind(db, &account, &handshake).await?;
                Next::Done
            }
            Job::CancelHandshake { handshake } => {
                cloud.cancel_handshake(&handshake).await?;
                Next::Done
            }
            Job::CreateAccount { account } => link_jobs::create_account(db, cloud, config, &account).await?,
            Job::WatchCreation { account } => link_jobs::watch_creation(db, cloud, config, &account).await?,
            Job::LaunchTestDrive { instance } => instances::start_sandbox(db, cloud, &instance).await?,
            Job::ExpireTestDrive { instance } => instances::expire(db, cloud, &instance).await?,
            Job::EndSandbox { instance } => {
                cloud.end_sandbox(&instance).await?;
                Next::Done
            }
            Job::RemoveAccount { number } => {
                let account = AccountId::parse(&number).map_err(|_| anyhow::anyhow!("bad account id {number:?}"))?;
                cloud.remove_account(&account).await?;
                Next::Done
            }
        })
    }

    async fn claim(&self) -> Result<Option<Claimed>> {
        let now = now_ms();
        // The condition is repeated outside the subquery: of two workers that picked the same
        // job, the second finds it no longer due and updates nothing.
        let row = sqlx::query(
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs \
                         WHERE (status = 'pending' AND run_at <= $3) OR (status = 'running' AND locked_until < $3) \
                         ORDER BY run_at LIMIT 1) \
               AND ((status = 'pending' AND run_at <= $3) OR (status = 'running' AND locked_until < $3)) \
             RETURNING id, payload, attempts, max_attempts",
        )
        .bind(self.name.as_ref())
        .bind(now + LEASE_MS)
        .bind(now)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|row| {
            Ok(Claimed {
                id: row.try_get("id")?,
                payload: row.try_get("payload")?,
                attempts: row.try_get("attempts")?,
                max_attempts: row.try_get("max_attempts")?,
            })
        })
        .transpose()
    }

    async fn finish(&self, job: &Claimed, outcome: anyhow::Result<Next>) -> Result<()> {
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
                .bind(self.name.as_ref())
                .execute(&self.db.pool)
                .await?;
            }
            Ok(Next::Done) => {
                sqlx::query(
                    "UPDATE jobs SET status = 'done', finished_at = $1, locked_until = NULL \
                     WHERE id = $2 AND locked_by = $3",
                )
                .bind(now)
                .bind(&job.id)
                .bind(self.name.as_ref())
                .execute(&self.db.pool)
                .await?;
            }
            Err(error) => {
                let gave_up = job.attempts >= job.max_attempts;
                tracing::warn!(job = %job.id, attempts = job.attempts, gave_up, error = %error, "job failed");
                sqlx::query(
                    "UPDATE jobs SET status = $1, run_at = $2, last_error = $3, locked_until = NULL, finished_at = $4 \
                     WHERE id = $5 AND locked_by = $6",
                )
                .bind(if gave_up { "failed" } else { "pending" })
                .bind(now + backoff_ms(job.attempts))
                .bind(format!("{error:#}"))
                .bind(gave_up.then_some(now))
                .bind(&job.id)
                .bind(self.name.as_ref())
                .execute(&self.db.pool)
                .await?;
            }
        }
        Ok(())
    }
}

/// 2 s, 4 s, 8 s … capped at 10 minutes.
fn backoff_ms(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 20)).unwrap_or(20);
    (1000_i64 << exponent).min(600_000)
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(2), 4_000);
        assert_eq!(backoff_ms(9), 512_000);
        assert_eq!(backoff_ms(10), 600_000);
        assert_eq!(backoff_ms(1000), 600_000);
    }
}
