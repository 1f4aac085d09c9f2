//! A reseller's decision on a signup waiting for approval: approve, or reject with a reason.
//! The decision names the row version it was made on, so of two people deciding at once one
//! succeeds and the other learns that the signup changed under them.

use portico_shared::customer::{CustomerStatus, RejectionReason};
use portico_shared::ids::CustomerId;

use crate::audit::{self, Change, Snapshot};
use crate::db::now_ms;
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::principal::ResellerUser;
use crate::Portico;

enum Decision {
    Approve,
    Reject(RejectionReason),
}

impl Decision {
    fn outcome(&self) -> CustomerStatus {
        match self {
            Decision::Approve => CustomerStatus::Active,
            Decision::Reject(_) => CustomerStatus::Rejected,
        }
    }
}

/// Approves a signup of the user's reseller waiting for approval at `version`; the contact is
/// told by e-mail.
pub async fn approve(portico: &Portico, user: &ResellerUser, customer: &CustomerId, version: i64) -> Result<()> {
    decide(portico, user, customer, version, Decision::Approve).await
}

/// Rejects a signup waiting for approval at `version`; the contact is e-mailed the reason.
pub async fn reject(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    version: i64,
    reason: &str,
) -> Result<()> {
    let reason = RejectionReason::parse(reason).map_err(|e| Error::Validation(vec![e]))?;
    decide(portico, user, customer, version, Decision::Reject(reason)).await
}

/// Applies `decision` to a customer of the user's reseller that is pending approval at
/// `version`, and queues the e-mail that tells the contact, in one transaction.
async fn decide(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    version: i64,
    decision: Decision,
) -> Result<()> {
    let (db, reseller, actor) = (&portico.db, &user.reseller_id, &user.actor());
    let reason = match &decision {
        Decision::Reject(reason) => Some(reason.as_str().to_owned()),
        Decision::Approve => None,
    };
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE customers SET status = $1, version = version + 1, updated_at = $2, decided_at = $2, decided_by = $3, \
         decision_reason = $4 WHERE id = $5 AND reseller_id = $6 AND version = $7 AND status = $8",
    )
    .bind(decision.outcome().as_str())
    .bind(now_ms())
    .bind(actor.id.as_deref())
    .bind(&reason)
    .bind(customer.as_str())
    .bind(reseller.as_str())
    .bind(version)
    .bind(CustomerStatus::PendingApproval.as_str())
    .execute(&mut **tx)
    .await?;
    if changed.rows_affected() == 0 {
        tx.rollback().await?;
        // Tell "not yours / not there" apart from "changed meanwhile", without leaking the former.
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT version FROM customers WHERE id = $1 AND reseller_id = $2")
                .bind(customer.as_str())
                .bind(reseller.as_str())
                .fetch_optional(&db.pool)
                .await?;
        return Err(match exists {
            None => Error::NotFound,
            Some(_) => Error::Conflict(
                "This signup was decided or changed meanwhile. The list now shows where it stands.".into(),
            ),
        });
    }
    let super::Contact { name, email, reseller: reseller_name, language } = super::contact(&mut tx, customer).await?;
    let mail = match &decision {
        Decision::Approve => emails::account_ready(language, &email, &name, &reseller_name),
        Decision::Reject(reason) => emails::signup_rejected(language, &email, &name, &reseller_name, reason.as_str()),
    };
    jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    let status = |status: CustomerStatus| Snapshot::from([("Status", status.label().to_owned())]);
    let mut after = status(decision.outcome());
    if let Some(reason) = reason {
        after.insert("Reason", reason);
    }
    let change = Change {
        reseller,
        customer: Some(customer),
        actor,
        action: match decision {
            Decision::Approve => "Signup approved",
            Decision::Reject(_) => "Signup rejected",
        },
        before: Some(status(CustomerStatus::PendingApproval)),
        after: Some(after),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    portico.jobs.wake();
    tracing::info!(%customer, by = actor.id.as_deref(), outcome = decision.outcome().as_str(), "signup decided");
    Ok(())
}
