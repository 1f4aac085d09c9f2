//! One customer's record: adding it, reading it, changing its details and its status. Every
//! change is a versioned update recorded in the audit log in the same transaction.

use portico_shared::api::{FieldError, Problem};
use portico_shared::customer::{CustomerRecord, CustomerStatus};
use portico_shared::details::{CustomerDetails, DetailsInput};
use portico_shared::ids::{CustomerId, ResellerId};
use portico_shared::language::Language;
use portico_shared::Field;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use strum::IntoStaticStr;

use super::search;
use crate::audit::{self, Change, Snapshot};
use crate::db::{new_id, now_ms, Db};
use crate::error::{changed_meanwhile, is_unique_violation, Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

/// How a customer came to be; stored by its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Source {
    WidgetSignup,
    Portal,
}

/// Inserts a customer and its search terms. A contact e-mail another customer of the reseller
/// already has fails with the database's unique violation, for the caller to word.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    details: &CustomerDetails,
    status: CustomerStatus,
    source: Source,
) -> Result<CustomerId> {
    let now = now_ms();
    let id = CustomerId(new_id("cus"));
    let insert = sqlx::query(
        "INSERT INTO customers (organization, organization_key, contact_name, contact_title, contact_email, \
         contact_phone, street_address, suite, city, state, zip, country, id, reseller_id, status, source, version, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17)",
    );
    bind_details(insert, details)
        .bind(id.as_str())
        .bind(reseller.as_str())
        .bind(status.as_str())
        .bind(<&str>::from(source))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    search::index(tx, reseller, &id, details, status, now).await?;
    Ok(id)
}

/// A reseller adds a customer in the portal (the seed's Part 2): active at once.
pub async fn add(portico: &Portico, user: &ResellerUser, input: &DetailsInput) -> Result<CustomerId> {
    let details = &input.validate(false).map_err(Error::Validation)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let mut tx = portico.db.begin_write().await?;
    let id = insert(&mut tx, reseller, details, CustomerStatus::Active, Source::Portal).await.map_err(email_taken)?;
    let change = Change {
        reseller,
        customer: Some(&id),
        actor,
        action: "Customer added",
        before: None,
        after: Some(snapshot(details, CustomerStatus::Active)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    tracing::info!(customer = %id, "customer added in the portal");
    Ok(id)
}

/// The customer, if it is one of `reseller`'s.
pub async fn find(db: &Db, reseller: &ResellerId, id: &CustomerId) -> Result<Option<CustomerRecord>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1 AND c.reseller_id = $2"))
        .bind(id.as_str())
        .bind(reseller.as_str())
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(record).transpose()
}

/// The customer, if it is the user's reseller's; not found otherwise.
pub async fn own(db: &Db, user: &ResellerUser, id: &CustomerId) -> Result<CustomerRecord> {
    find(db, &user.reseller_id, id).await?.ok_or(Error::NotFound)
}

/// The customer and its reseller, whoever that is: for platform work such as indexing.
pub(crate) async fn find_any(
    tx: &mut Transaction<'_, Any>,
    id: &CustomerId,
) -> Result<Option<(ResellerId, CustomerRecord)>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1")).bind(id.as_str()).fetch_optional(&mut **tx).await?;
    row.as_ref().map(|row| Ok((row.try_get("reseller_id")?, record(row)?))).transpose()
}

/// Replaces the customer's details, if it is still at `version`.
pub async fn update_details(
    portico: &Portico,
    user: &ResellerUser,
    id: &CustomerId,
    version: i64,
    input: &DetailsInput,
) -> Result<()> {
    let details = &input.validate(false).map_err(Error::Validation)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let mut tx = portico.db.begin_write().await?;
    let before = current(&mut tx, reseller, id, version).await?;
    let update = sqlx::query(
        "UPDATE customers SET organization = $1, organization_key = $2, contact_name = $3, contact_title = $4, \
         contact_email = $5, contact_phone = $6, street_address = $7, suite = $8, city = $9, state = $10, zip = $11, \
         country = $12, version = version + 1, updated_at = $13 WHERE id = $14 AND version = $15",
    );
    let updated = bind_details(update, details)
        .bind(now_ms())
        .bind(id.as_str())
        .bind(version)
        .execute(&mut **tx)
        .await
        .map_err(|e| email_taken(e.into()))?;
    // Read at `version` above, but another edit may have committed since: then nothing was
    // written here, and neither is an audit entry.
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("customer"));
    }
    search::index(&mut tx, reseller, id, details, before.status, before.created_at).await?;
    let change = Change {
        reseller,
        customer: Some(id),
        actor,
        action: "Customer information changed",
        before: Some(snapshot(&before.details, before.status)),
        after: Some(snapshot(details, before.status)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Suspending stops an active customer's users from signing in; reactivating lets them back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusChange {
    Suspend,
    Reactivate,
}

impl StatusChange {
    /// (from, to)
    fn transition(self) -> (CustomerStatus, CustomerStatus) {
        match self {
            StatusChange::Suspend => (CustomerStatus::Active, CustomerStatus::Suspended),
            StatusChange::Reactivate => (CustomerStatus::Suspended, CustomerStatus::Active),
        }
    }
}

/// Applies `change` to the customer if it is at `version` and in the state the change starts from.
pub async fn set_status(
    portico: &Portico,
    user: &ResellerUser,
    id: &CustomerId,
    version: i64,
    change: StatusChange,
) -> Result<()> {
    let (from, to) = change.transition();
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let mut tx = portico.db.begin_write().await?;
    let before = current(&mut tx, reseller, id, version).await?;
    if before.status != from {
        return Err(Error::Conflict(
            match change {
                StatusChange::Suspend => "Only an active customer can be suspended.",
                StatusChange::Reactivate => "Only a suspended customer can be reactivated.",
            }
            .into(),
        ));
    }
    let updated = sqlx::query(
        "UPDATE customers SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
    )
    .bind(to.as_str())
    .bind(now_ms())
    .bind(id.as_str())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("customer"));
    }
    if change == StatusChange::Suspend {
        // Signed-in users of a suspended customer are signed out at once.
        sqlx::query(
            "DELETE FROM widget_sessions WHERE customer_user_id IN (SELECT id FROM customer_users WHERE customer_id = $1)",
        )
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    }
    let action = match change {
        StatusChange::Suspend => "Customer suspended",
        StatusChange::Reactivate => "Customer reactivated",
    };
    let status = |status: CustomerStatus| Snapshot::from([("Status", status.label().to_owned())]);
    let entry =
        Change { reseller, customer: Some(id), actor, action, before: Some(status(from)), after: Some(status(to)) };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The customer as it is now, inside a write transaction, if it is `reseller`'s and still at
/// `version`: a stale version is a conflict, someone else's customer is not found.
async fn current(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    id: &CustomerId,
    version: i64,
) -> Result<CustomerRecord> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1 AND c.reseller_id = $2"))
        .bind(id.as_str())
        .bind(reseller.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    let record = row.as_ref().map(record).transpose()?.ok_or(Error::NotFound)?;
    if record.version != version {
        return Err(changed_meanwhile("customer"));
    }
    Ok(record)
}

/// Binds the details as `$1`…`$12`, in the column order both statements above list them.
fn bind_details<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    details: &'q CustomerDetails,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&details.organization)
        .bind(details.organization_key())
        .bind(&details.contact_name)
        .bind(&details.title)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(&details.street_address)
        .bind(&details.suite)
        .bind(&details.city)
        .bind(&details.state)
        .bind(&details.zip)
        .bind(&details.country)
}

/// A contact e-mail already in use, worded for the field; other errors pass through.
fn email_taken(error: Error) -> Error {
    match error {
        Error::Database(e) if is_unique_violation(&e) => {
            Error::Validation(vec![FieldError::new(Field::Email, Problem::Conflict)])
        }
        other => other,
    }
}

/// The fields the audit log shows, labelled as the form labels them.
pub fn snapshot(details: &CustomerDetails, status: CustomerStatus) -> Snapshot {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    Snapshot::from([
        ("Organization", details.organization.clone()),
        ("Name", details.contact_name.clone()),
        ("Title", text(&details.title)),
        ("Email", details.email.clone()),
        ("Phone", details.phone.clone()),
        ("Country", details.country.clone()),
        ("Street address", text(&details.street_address)),
        ("Suite", text(&details.suite)),
        ("City", text(&details.city)),
        ("State", text(&details.state)),
        ("Zip", text(&details.zip)),
        ("Status", status.label().to_owned()),
    ])
}

const SELECT: &str = "SELECT c.id, c.reseller_id, c.organization, c.contact_name, c.contact_title, c.contact_email, \
     c.contact_phone, c.country, c.street_address, c.suite, c.city, c.state, c.zip, c.status, c.source, c.created_at, \
     c.updated_at, c.version, (SELECT MAX(u.email_verified_at) FROM customer_users u WHERE u.customer_id = c.id \
     AND u.email = c.contact_email) AS verified_at FROM customers c";

fn record(row: &AnyRow) -> Result<CustomerRecord> {
    let status: String = row.try_get("status")?;
    Ok(CustomerRecord {
        id: row.try_get("id")?,
        details: CustomerDetails {
            organization: row.try_get("organization")?,
            contact_name: row.try_get("contact_name")?,
            title: row.try_get("contact_title")?,
            email: row.try_get("contact_email")?,
            phone: row.try_get("contact_phone")?,
            country: row.try_get("country")?,
            street_address: row.try_get("street_address")?,
            suite: row.try_get("suite")?,
            city: row.try_get("city")?,
            state: row.try_get("state")?,
            zip: row.try_get("zip")?,
        },
        status: CustomerStatus::parse(&status)
            .ok_or_else(|| anyhow::anyhow!("customer has unknown status {status:?}"))?,
        source: row.try_get("source")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        version: row.try_get("version")?,
        email_verified: row.try_get::<Option<i64>, _>("verified_at")?.is_some(),
    })
}

/// Whom the platform writes to about a customer: its primary contact (who "will receive
/// platform/system notifications"), and the reseller the messages come from.
pub(crate) struct Contact {
    pub name: String,
    pub email: String,
    pub reseller: String,
    pub language: Language,
}

/// The customer's primary contact, read inside the caller's transaction.
pub(crate) async fn contact(tx: &mut Transaction<'_, Any>, customer: &CustomerId) -> Result<Contact> {
    let row = sqlx::query(
        "SELECT c.contact_name, c.contact_email, r.name AS reseller, u.language FROM customers c \
         JOIN resellers r ON r.id = c.reseller_id \
         LEFT JOIN customer_users u ON u.customer_id = c.id AND u.email = c.contact_email WHERE c.id = $1",
    )
    .bind(customer.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok(Contact {
        name: row.try_get("contact_name")?,
        email: row.try_get("contact_email")?,
        reseller: row.try_get("reseller")?,
        // A contact added in the portal who never signed up reads English.
        language: Language::from_tag(&row.try_get::<Option<String>, _>("language")?.unwrap_or_default()),
    })
}
