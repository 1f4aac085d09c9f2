//! Customers of a reseller. Every query takes the reseller it is scoped to.

pub mod approval;
pub mod fields;
pub mod list;
mod page;
mod record;
pub mod search;
pub mod settings;
pub mod users;

use portico_shared::customer::CustomerStatus;
use portico_shared::ids::{CustomerId, CustomerUserId, ResellerId};
use portico_shared::signup::ValidSignup;
use sqlx::{Any, Transaction};

pub use page::page;
pub use record::{add, find, own, set_status, update_details, StatusChange};
pub(crate) use record::{contact, find_any, insert, snapshot, Contact, Source};

use crate::audit::{self, Change};
use crate::db::{new_id, now_ms};
use crate::error::{is_unique_violation, Error, Result};
use crate::passwords::PasswordHashString;
use crate::principal::Actor;

/// What became of a widget signup.
#[derive(Debug, PartialEq, Eq)]
pub enum SignupOutcome {
    Created {
        customer: CustomerId,
        user: CustomerUserId,
    },
    /// The e-mail already belongs to a user of this reseller; nothing was written.
    EmailTaken,
}

/// Stores a widget signup as a customer in `status`, with its contact as the first user.
pub async fn create_from_signup(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    signup: &ValidSignup,
    password_hash: &PasswordHashString,
    status: CustomerStatus,
) -> Result<SignupOutcome> {
    let taken: Option<String> =
        sqlx::query_scalar("SELECT id FROM customer_users WHERE reseller_id = $1 AND email = $2")
            .bind(reseller.as_str())
            .bind(signup.email.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    if taken.is_some() {
        return Ok(SignupOutcome::EmailTaken);
    }
    let customer_id = match insert(tx, reseller, &signup.details, status, Source::WidgetSignup).await {
        Ok(id) => id,
        // The reseller added a customer with this contact e-mail in the portal.
        Err(Error::Database(e)) if is_unique_violation(&e) => return Ok(SignupOutcome::EmailTaken),
        Err(e) => return Err(e),
    };
    let user_id = CustomerUserId(new_id("cuu"));
    let user = sqlx::query(
        "INSERT INTO customer_users (id, reseller_id, customer_id, email, name, role, password_hash, created_at, language) \
         VALUES ($1, $2, $3, $4, $5, 'admin', $6, $7, $8)",
    )
    .bind(user_id.as_str())
    .bind(reseller.as_str())
    .bind(customer_id.as_str())
    .bind(signup.email.as_str())
    .bind(&signup.details.contact_name)
    .bind(&password_hash.0)
    .bind(now_ms())
    .bind(signup.language.tag())
    .execute(&mut **tx)
    .await;
    match user {
        Ok(_) => {}
        // A concurrent signup with the same e-mail won the race: the caller rolls back.
        Err(e) if is_unique_violation(&e) => return Ok(SignupOutcome::EmailTaken),
        Err(e) => return Err(e.into()),
    }
    let change = Change {
        reseller,
        customer: Some(&customer_id),
        actor: &Actor::widget_visitor(signup.email.as_str()),
        action: "Signed up through the widget",
        before: None,
        after: Some(snapshot(&signup.details, status)),
    };
    audit::record(tx, change).await?;
    Ok(SignupOutcome::Created { customer: customer_id, user: user_id })
}

/// Approves a customer that is waiting for approval (signup options decided it needs none).
/// Returns false if it was not waiting, so a repeated call changes nothing.
pub async fn approve_automatically(tx: &mut Transaction<'_, Any>, customer: &CustomerId) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE customers SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(CustomerStatus::Active.as_str())
    .bind(now_ms())
    .bind(customer.as_str())
    .bind(CustomerStatus::PendingApproval.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A customer's status, read inside the caller's transaction.
pub async fn status_in(tx: &mut Transaction<'_, Any>, customer: &CustomerId) -> Result<Option<CustomerStatus>> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM customers WHERE id = $1")
        .bind(customer.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(status.as_deref().and_then(CustomerStatus::parse))
}
