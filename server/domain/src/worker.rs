//! The job worker: claims due jobs from the queue and runs each by the feature it belongs to.
//! It sits above every feature, so the queue below it knows none of them.

use std::sync::Arc;
use std::time::Duration;

use crate::billing::{close, invoices, usage};
use crate::cloud::link_jobs;
use crate::commerce::subscriptions;
use crate::db::{new_id, now_ms};
use crate::error::Result;
use crate::jobs::{self, Job, Next};
use crate::mail::Mailer;
use crate::test_drives::instances;
use crate::Portico;

const IDLE_POLL: Duration = Duration::from_millis(500);
/// How often the worker removes rows whose purpose has passed (see `janitor`).
const PRUNE_EVERY_MS: i64 = 10 * 60 * 1000;
/// How often the worker looks for new reports in the drop folder.
const DROP_FOLDER_EVERY_MS: i64 = 5_000;

/// How often the worker lists the cloud's billing exports (AWS bills every S3 listing; the
/// provider delivers a few times a day).
const EXPORTS_EVERY_MS: i64 = 60_000;
/// How often the worker looks for months due to close by themselves.
const SCHEDULED_CLOSE_EVERY_MS: i64 = 60_000;

/// Whether a chore done every `period` ms, last at `*last`, is due; if so, it counts as done now.
fn due(last: &mut i64, period: i64) -> bool {
    let now = now_ms();
    if now - *last <= period {
        return false;
    }
    *last = now;
    true
}

/// Runs due jobs until the process ends; [`Portico::jobs`] wakes it when a job was committed.
#[derive(Clone)]
pub struct Worker {
    portico: Portico,
    mailer: Mailer,
    name: Arc<str>,
}

impl Worker {
    pub fn new(portico: Portico, mailer: Mailer) -> Worker {
        Worker { portico, mailer, name: new_id("worker").into() }
    }

    /// Runs the worker until the returned task is aborted (the server stopping).
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let (mut last_prune, mut last_drop_check, mut last_export_check, mut last_close_check) = (0, 0, 0, 0);
            loop {
                if due(&mut last_drop_check, DROP_FOLDER_EVERY_MS) {
                    match usage::deliveries::pick_up_dropped(&self.portico).await {
                        Ok(0) => {}
                        Ok(queued) => tracing::info!(queued, "usage reports picked up from the drop folder"),
                        Err(e) => tracing::warn!(error = %e, "reading the drop folder failed"),
                    }
                }
                if due(&mut last_export_check, EXPORTS_EVERY_MS) {
                    match usage::deliveries::pick_up_exports(&self.portico).await {
                        Ok(0) => {}
                        Ok(queued) => tracing::info!(queued, "usage reports picked up from the cloud's exports"),
                        Err(e) => tracing::warn!(error = %e, "listing the cloud's billing exports failed"),
                    }
                }
                if due(&mut last_close_check, SCHEDULED_CLOSE_EVERY_MS) {
                    match close::scheduled(&self.portico, crate::commerce::today()).await {
                        Ok(0) => {}
                        Ok(opened) => tracing::info!(opened, "months closed on schedule"),
                        Err(e) => tracing::warn!(error = %e, "the scheduled close failed"),
                    }
                }
                if due(&mut last_prune, PRUNE_EVERY_MS) {
                    match crate::janitor::sweep(&self.portico.db, last_prune).await {
                        Ok(swept) => tracing::debug!(?swept, "old rows removed"),
                        Err(e) => tracing::warn!(error = %e, "removing old rows failed"),
                    }
                }
                match self.run_one().await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => tracing::error!(error = %e, "job worker: database error"),
                }
                let _ = tokio::time::timeout(IDLE_POLL, self.portico.jobs.woken()).await;
            }
        })
    }

    /// Claims and runs one due job; false when there was none.
    pub async fn run_one(&self) -> Result<bool> {
        let db = &self.portico.db;
        let Some(claimed) = jobs::claim(db, &self.name).await? else { return Ok(false) };
        let outcome = match claimed.job() {
            // The lease is renewed while the job runs, however long a report takes to read or
            // AWS to answer: only a stopped worker's job is taken over. A run that outlasts its
            // kind's timeout is abandoned as failed, to be tried again later.
            Ok(job) => {
                let renewing = jobs::keep_leased(db, &self.name, &claimed.id);
                let limit = job.timeout();
                tokio::select! {
                    outcome = tokio::time::timeout(limit, self.perform(job, &claimed.id)) => outcome
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("timed out after {} s", limit.as_secs()))),
                    never = renewing => match never {},
                }
            }
            Err(e) => Err(e),
        };
        jobs::finish(db, &self.name, &claimed, outcome).await?;
        Ok(true)
    }

    async fn perform(&self, job: Job, job_id: &str) -> anyhow::Result<Next> {
        let portico = &self.portico;
        let cloud = portico.cloud.as_ref();
        Ok(match job {
            Job::SendEmail(mail) => {
                self.mailer.send(&mail, job_id).await?;
                Next::Done
            }
            Job::InviteAccount { account } => link_jobs::send_invitation(portico, &account).await?,
            Job::WatchHandshake { account, handshake } => {
                link_jobs::watch_handshake(portico, &account, &handshake).await?
            }
            Job::RemindInvitation { account, handshake } => {
                link_jobs::remind(&portico.db, &account, &handshake).await?;
                Next::Done
            }
            Job::CancelHandshake { handshake } => {
                cloud.cancel_handshake(&handshake).await?;
                Next::Done
            }
            Job::CreateAccount { account } => link_jobs::create_account(portico, &account).await?,
            Job::WatchCreation { account } => link_jobs::watch_creation(portico, &account).await?,
            Job::LaunchTestDrive { instance } => instances::start_sandbox(&portico.db, cloud, &instance).await?,
            Job::ExpireTestDrive { instance } => instances::expire(&portico.db, cloud, &instance).await?,
            Job::EndSandbox { instance } => {
                cloud.end_sandbox(&instance).await?;
                Next::Done
            }
            Job::RemoveAccount { number } => {
                cloud.remove_account(&number).await?;
                Next::Done
            }
            Job::SubscriptionDue { subscription, version } => {
                subscriptions::due(portico, &subscription, version).await?;
                Next::Done
            }
            Job::ImportUsage { import } => {
                usage::run(portico, &import).await?;
                Next::Done
            }
            Job::CloseMonth { reseller, month } => {
                close::run(portico, &reseller, month).await?;
                Next::Done
            }
            Job::PortalPasswordReset { email } => {
                crate::staff::resets::send(portico, &email).await?;
                Next::Done
            }
            Job::WidgetPasswordReset { reseller, email } => {
                crate::widget::reset::send(portico, &reseller, &email).await?;
                Next::Done
            }
            Job::ResendConfirmation { reseller, email } => {
                crate::widget::verify::resend_to(portico, &reseller, &email).await?;
                Next::Done
            }
            Job::SendInvoice { invoice } => {
                let (mail, file_name, pdf) = invoices::email(&portico.db, &invoice).await?;
                self.mailer.send_with(&mail, job_id, Some((&file_name, "application/pdf", pdf))).await?;
                Next::Done
            }
        })
    }
}
