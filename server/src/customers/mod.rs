//! Customers of a reseller. Every query takes the reseller it is scoped to.

pub mod approval;
pub mod users;

use portico_shared::customer::{CustomerList, CustomerStatus, CustomerSummary};
use portico_shared::ids::{CustomerId, CustomerUserId, ResellerId};
use portico_shared::signup::ValidSignup;
use sqlx::{Any, Row, Transaction};

use crate::db::{new_id, now_ms, Db};
use crate::error::{is_unique_violation, Result};
use crate::passwords::PasswordHashString;

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
    let now = now_ms();
    let customer_id = CustomerId(new_id("cus"));
    sqlx::query(
        "INSERT INTO customers (id, reseller_id, organization, contact_name, contact_title, contact_email, contact_phone, \
         street_address, suite, city, state, zip, country, status, source, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'widget_signup', 1, $15, $15)",
    )
    .bind(customer_id.as_str())
    .bind(reseller.as_str())
    .bind(&signup.company_name)
    .bind(&signup.contact_name)
    .bind(&signup.title)
    .bind(signup.email.as_str())
    .bind(&signup.phone)
    .bind(&signup.street_address)
    .bind(&signup.suite)
    .bind(&signup.city)
    .bind(&signup.state)
    .bind(&signup.zip)
    .bind(&signup.country)
    .bind(status.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let user_id = CustomerUserId(new_id("cuu"));
    let user = sqlx::query(
        "INSERT INTO customer_users (id, reseller_id, customer_id, email, name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'admin', $6, $7)",
    )
    .bind(user_id.as_str())
    .bind(reseller.as_str())
    .bind(customer_id.as_str())
    .bind(signup.email.as_str())
    .bind(&signup.contact_name)
    .bind(&password_hash.0)
    .bind(now)
    .execute(&mut **tx)
    .await;
    match user {
        Ok(_) => Ok(SignupOutcome::Created { customer: customer_id, user: user_id }),
        // A concurrent signup with the same e-mail won the race: the caller rolls back.
        Err(e) if is_unique_violation(&e) => Ok(SignupOutcome::EmailTaken),
        Err(e) => Err(e.into()),
    }
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

/// How many customers the list shows at most until it has pagination.
pub const LIST_LIMIT: i64 = 200;

/// The reseller's newest customers (at most [`LIST_LIMIT`]), and how many it has in all.
pub async fn list(db: &Db, reseller: &ResellerId) -> Result<CustomerList> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE reseller_id = $1")
        .bind(reseller.as_str())
        .fetch_one(&db.pool)
        .await?;
    let rows = sqlx::query(
        "SELECT c.id, c.organization, c.contact_name, c.contact_email, c.status, c.created_at, c.version, \
         (SELECT MAX(u.email_verified_at) FROM customer_users u WHERE u.customer_id = c.id AND u.email = c.contact_email) \
         AS verified_at FROM customers c WHERE c.reseller_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
    )
    .bind(reseller.as_str())
    .bind(LIST_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    let customers = rows
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(CustomerSummary {
                id: CustomerId(row.try_get("id")?),
                organization: row.try_get("organization")?,
                contact_name: row.try_get("contact_name")?,
                contact_email: row.try_get("contact_email")?,
                status: CustomerStatus::parse(&status)
                    .ok_or_else(|| anyhow::anyhow!("customer has unknown status {status:?}"))?,
                created_at: row.try_get("created_at")?,
                version: row.try_get("version")?,
                email_verified: row.try_get::<Option<i64>, _>("verified_at")?.is_some(),
            })
        })
        .collect::<Result<_>>()?;
    Ok(CustomerList { customers, total })
}
