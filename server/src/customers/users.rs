//! The people of a customer: the contact who signed up, and later those they invite.

use portico_shared::ids::{CustomerId, CustomerUserId, ResellerId};
use sqlx::{Any, Row, Transaction};

use crate::db::{now_ms, Db};
use crate::error::Result;
use crate::passwords::PasswordHashString;

/// A customer user with what e-mails and links need to know about them.
#[derive(Clone, Debug)]
pub struct CustomerUser {
    pub id: CustomerUserId,
    pub customer_id: CustomerId,
    pub reseller_id: ResellerId,
    pub email: String,
    pub name: String,
    pub verified: bool,
    pub reseller_name: String,
}

const SELECT: &str =
    "SELECT u.id, u.customer_id, u.reseller_id, u.email, u.name, u.email_verified_at, r.name AS reseller_name \
                      FROM customer_users u JOIN resellers r ON r.id = u.reseller_id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<CustomerUser> {
    Ok(CustomerUser {
        id: CustomerUserId(row.try_get("id")?),
        customer_id: CustomerId(row.try_get("customer_id")?),
        reseller_id: ResellerId(row.try_get("reseller_id")?),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        verified: row.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
        reseller_name: row.try_get("reseller_name")?,
    })
}

pub async fn find(db: &Db, id: &CustomerUserId) -> Result<Option<CustomerUser>> {
    let row = sqlx::query(&format!("{SELECT} WHERE u.id = $1")).bind(id.as_str()).fetch_optional(&db.pool).await?;
    row.as_ref().map(from_row).transpose()
}

/// The user with this e-mail among the reseller's customers.
pub async fn find_by_email(db: &Db, reseller: &ResellerId, email: &str) -> Result<Option<CustomerUser>> {
    let row = sqlx::query(&format!("{SELECT} WHERE u.reseller_id = $1 AND u.email = $2"))
        .bind(reseller.as_str())
        .bind(email)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Records that the user proved they read mail at their address.
pub async fn mark_verified(tx: &mut Transaction<'_, Any>, id: &CustomerUserId) -> Result<()> {
    sqlx::query("UPDATE customer_users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now_ms())
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the user's password hash.
pub async fn set_password(tx: &mut Transaction<'_, Any>, id: &CustomerUserId, hash: &PasswordHashString) -> Result<()> {
    sqlx::query("UPDATE customer_users SET password_hash = $1 WHERE id = $2")
        .bind(&hash.0)
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
