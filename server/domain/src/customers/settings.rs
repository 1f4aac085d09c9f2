//! A customer's Cloud providers and Customer options: the reseller's users (admins and agents)
//! change them on customers of their own reseller; every change is in the customer's history.

use std::collections::BTreeSet;

use portico_shared::customer::CustomerStatus;
use portico_shared::ids::{CustomerId, ProviderId};
use portico_shared::settings::{CustomerOptions, OptionsInput, ProviderSetting};
use sqlx::Row;

use crate::audit::{self, Change, Snapshot};
use crate::customers;
use crate::db::{now_ms, Db};
use crate::error::{changed_meanwhile, Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

/// Every provider, in display order, with whether the customer has it and how many accounts.
/// Reads through `executor`: the pool, or a transaction about to change them.
pub async fn providers<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    customer: &CustomerId,
) -> Result<Vec<ProviderSetting>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, \
         (SELECT COUNT(*) FROM customer_cloud_providers e WHERE e.customer_id = $1 AND e.provider_id = p.id) AS enabled, \
         (SELECT COUNT(*) FROM cloud_accounts a WHERE a.customer_id = $1 AND a.provider_id = p.id) AS accounts \
         FROM cloud_providers p ORDER BY p.position",
    )
    .bind(customer.as_str())
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ProviderSetting {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                enabled: row.try_get::<i64, _>("enabled")? > 0,
                accounts: row.try_get("accounts")?,
            })
        })
        .collect()
}

/// The ids of the providers the customer has turned on.
pub async fn enabled_providers(db: &Db, customer: &CustomerId) -> Result<Vec<ProviderId>> {
    Ok(providers(&db.pool, customer).await?.into_iter().filter(|p| p.enabled).map(|p| p.id).collect())
}

/// Makes `enabled` the customer's set of providers. Unknown ids are refused; turning off a
/// provider that still has cloud accounts is refused with the reason, and nothing changes.
pub async fn set_providers(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    enabled: &BTreeSet<ProviderId>,
) -> Result<()> {
    let record = customers::own(&portico.db, user, customer).await?;
    editable(record.status)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let mut tx = portico.db.begin_write().await?;
    let current = providers(&mut **tx, customer).await?;
    if enabled.iter().any(|id| !current.iter().any(|p| &p.id == id)) {
        return Err(Error::NotFound);
    }
    let in_use = current.iter().find(|p| p.enabled && !enabled.contains(&p.id) && p.accounts > 0);
    if let Some(provider) = in_use {
        let accounts = match provider.accounts {
            1 => "1 cloud account".to_owned(),
            n => format!("{n} cloud accounts"),
        };
        return Err(Error::Conflict(
            format!(
                "{} cannot be turned off: this customer has {accounts} with it. Remove them under Cloud accounts first.",
                provider.name
            )
            .into(),
        ));
    }
    let now = now_ms();
    for provider in &current {
        match (provider.enabled, enabled.contains(&provider.id)) {
            (false, true) => {
                sqlx::query(
                    "INSERT INTO customer_cloud_providers (customer_id, provider_id, enabled_at) VALUES ($1, $2, $3)",
                )
                .bind(customer.as_str())
                .bind(&provider.id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
            (true, false) => {
                sqlx::query("DELETE FROM customer_cloud_providers WHERE customer_id = $1 AND provider_id = $2")
                    .bind(customer.as_str())
                    .bind(&provider.id)
                    .execute(&mut **tx)
                    .await?;
            }
            _ => continue,
        }
    }
    let names = |on: &dyn Fn(&ProviderSetting) -> bool| {
        current.iter().filter(|p| on(p)).map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
    };
    let before = names(&|p| p.enabled);
    let after = names(&|p| enabled.contains(&p.id));
    if before != after {
        let snapshot = |value: String| Some(Snapshot::from([("Cloud providers", value)]));
        let change = Change {
            reseller,
            customer: Some(customer),
            actor,
            action: "Cloud providers changed",
            before: snapshot(before),
            after: snapshot(after),
        };
        audit::record(&mut tx, change).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The customer's options; the defaults until they were first saved.
pub async fn options(db: &Db, customer: &CustomerId) -> Result<CustomerOptions> {
    let row = sqlx::query(
        "SELECT test_drives_allowed, launch_limit_override, may_request_cloud_accounts, notify_cloud_accounts, \
         notify_test_drives, version FROM customer_options WHERE customer_id = $1",
    )
    .bind(customer.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(CustomerOptions::default()) };
    let flag = |column: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(column)? == 1) };
    let limit: Option<i64> = row.try_get("launch_limit_override")?;
    Ok(CustomerOptions {
        test_drives_allowed: flag("test_drives_allowed")?,
        launch_limit_override: limit.and_then(|limit| u32::try_from(limit).ok()),
        may_request_cloud_accounts: flag("may_request_cloud_accounts")?,
        notify_cloud_accounts: flag("notify_cloud_accounts")?,
        notify_test_drives: flag("notify_test_drives")?,
        version: row.try_get("version")?,
    })
}

/// Saves the options if they are still at `version` (0 when never saved).
pub async fn save_options(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    version: i64,
    input: &OptionsInput,
) -> Result<()> {
    let new = &input.validate().map_err(Error::Validation)?;
    let db = &portico.db;
    let record = customers::own(db, user, customer).await?;
    editable(record.status)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let before = options(db, customer).await?;
    let mut tx = db.begin_write().await?;
    let flag = |value: bool| i64::from(value);
    let limit = new.launch_limit_override.map(i64::from);
    let now = now_ms();
    let written = if version == 0 {
        sqlx::query(
            "INSERT INTO customer_options (customer_id, test_drives_allowed, launch_limit_override, \
             may_request_cloud_accounts, notify_cloud_accounts, notify_test_drives, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (customer_id) DO NOTHING",
        )
        .bind(customer.as_str())
        .bind(flag(new.test_drives_allowed))
        .bind(limit)
        .bind(flag(new.may_request_cloud_accounts))
        .bind(flag(new.notify_cloud_accounts))
        .bind(flag(new.notify_test_drives))
        .bind(now)
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE customer_options SET test_drives_allowed = $1, launch_limit_override = $2, \
             may_request_cloud_accounts = $3, notify_cloud_accounts = $4, notify_test_drives = $5, \
             version = version + 1, updated_at = $6 WHERE customer_id = $7 AND version = $8",
        )
        .bind(flag(new.test_drives_allowed))
        .bind(limit)
        .bind(flag(new.may_request_cloud_accounts))
        .bind(flag(new.notify_cloud_accounts))
        .bind(flag(new.notify_test_drives))
        .bind(now)
        .bind(customer.as_str())
        .bind(version)
        .execute(&mut **tx)
        .await?
    };
    if written.rows_affected() == 0 {
        return Err(changed_meanwhile("customer's options"));
    }
    let change = Change {
        reseller,
        customer: Some(customer),
        actor,
        action: "Customer options changed",
        before: Some(snapshot(&before)),
        after: Some(snapshot(new)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

fn snapshot(options: &CustomerOptions) -> Snapshot {
    let yes_no = |value: bool| if value { "Yes" } else { "No" }.to_owned();
    Snapshot::from([
        ("Test drives allowed", yes_no(options.test_drives_allowed)),
        (
            "Test drive launch limit",
            options.launch_limit_override.map_or("Each test drive's own".to_owned(), |limit| limit.to_string()),
        ),
        ("May request new cloud accounts", yes_no(options.may_request_cloud_accounts)),
        ("E-mail about cloud accounts", yes_no(options.notify_cloud_accounts)),
        ("E-mail about test drives", yes_no(options.notify_test_drives)),
    ])
}

/// Whether a customer in `status` may have its settings changed: not once rejected.
pub fn editable(status: CustomerStatus) -> Result<()> {
    if status == CustomerStatus::Rejected {
        return Err(Error::Conflict("This signup was rejected; its settings cannot be changed.".into()));
    }
    Ok(())
}
