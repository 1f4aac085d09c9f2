//! What each customer pays besides its cloud usage, as the reseller sets it on the customer's
//! commercial tabs: charges and discounts (with support plans as their templates), taxes,
//! credits and subscriptions, and the reseller's catalogs they draw on (tax rates, products).
//! Money is integer minor units with a currency; rates and percents are exact decimals.
//!
//! Who may do what: a reseller's admins and agents work every customer's tabs; only admins
//! change the catalogs (tax rates, products), which every customer draws on.

pub mod charges;
pub mod credits;
mod page;
pub mod products;
pub mod subscriptions;
pub mod support_plans;
pub mod taxes;

use portico_shared::customer::CustomerRecord;
use portico_shared::dates::{Day, Month};
use portico_shared::ids::{CustomerId, ResellerId};
use sqlx::{Any, Transaction};

pub use page::page;

use crate::audit::{self, Change, Snapshot};
use crate::customers::{self, settings};
use crate::db::{now_ms, Db};
use crate::error::{changed_meanwhile, Result};
use crate::principal::{Actor, ResellerUser};

/// One of the user's customers whose settings may change: not found when it is another
/// reseller's, refused when its signup was rejected.
pub(crate) async fn editable_customer(db: &Db, user: &ResellerUser, customer: &CustomerId) -> Result<CustomerRecord> {
    let record = customers::own(db, user, customer).await?;
    settings::editable(record.status)?;
    Ok(record)
}

/// Writes a change of a customer's commercial settings, or of the reseller's catalogs when there
/// is no customer, into the history.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: Option<&CustomerId>,
    actor: &Actor,
    action: &str,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
) -> Result<()> {
    audit::record(tx, Change { reseller, customer, actor, action, before, after }).await
}

/// What removing a catalog entry (a tax rate, a product) did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removed {
    /// No customer had it: it is gone.
    Deleted,
    /// A customer had it: it is retired (no longer offered or applied) and stays on record.
    Retired,
}

impl Removed {
    pub fn word(self) -> &'static str {
        match self {
            Removed::Deleted => "deleted",
            Removed::Retired => "retired",
        }
    }
}

/// One of the reseller's catalogs: its table (with `id`, `version`, `used_at`, `retired_on` and
/// `updated_at`) and what an entry of it is called.
pub(crate) struct Catalog {
    pub table: &'static str,
    pub entry: &'static str,
}

/// Removes a catalog entry still at `version`: deleted when no customer has had it (`used`),
/// retired from today otherwise, so what customers had keeps its name.
pub(crate) async fn remove_entry(
    tx: &mut Transaction<'_, Any>,
    catalog: &Catalog,
    id: &str,
    version: i64,
    used: bool,
) -> Result<Removed> {
    let Catalog { table, entry } = catalog;
    let (removed, done) = if used {
        let retired = sqlx::query(&format!(
            "UPDATE {table} SET retired_on = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4 AND retired_on IS NULL"
        ))
        .bind(today().to_string())
        .bind(now_ms())
        .bind(id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
        (Removed::Retired, retired.rows_affected())
    } else {
        let deleted = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1 AND version = $2 AND used_at IS NULL"))
            .bind(id)
            .bind(version)
            .execute(&mut **tx)
            .await?;
        (Removed::Deleted, deleted.rows_affected())
    };
    if done != 1 {
        return Err(changed_meanwhile(&entry.to_lowercase()));
    }
    Ok(removed)
}

/// The last month the reseller closed (or is closing): its invoices are issued, and what is
/// dated in it or before is no longer billed.
pub async fn closed_through(db: &Db, reseller: &ResellerId) -> Result<Option<Month>> {
    let month: Option<String> = sqlx::query_scalar("SELECT MAX(month) FROM month_closes WHERE reseller_id = $1")
        .bind(reseller.as_str())
        .fetch_one(&db.pool)
        .await?;
    Ok(month.and_then(|month| Month::parse(&month).ok()))
}

/// Today, in UTC: the day dates of rates, credits and subscriptions are compared with.
pub fn today() -> Day {
    Day::of_ms(now_ms())
}
