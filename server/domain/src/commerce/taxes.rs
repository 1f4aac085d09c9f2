//! Taxes: the reseller's tax rates (admins keep them under Settings → Tax rates) and each
//! customer's tax profile (the Taxes tab). A rate no customer has had can be changed or deleted;
//! once one has had it, it can only be retired, so invoices that printed it still name it.

use std::collections::BTreeMap;

use portico_shared::dates::Day;
use portico_shared::ids::{CustomerId, ResellerId, TaxRateId};
use portico_shared::money::Percent;
use portico_shared::taxes::{
    Exemption, ExemptionKind, TaxProfile, TaxProfileInput, TaxRate, TaxRateInput, ValidTaxRate,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::Snapshot;
use crate::commerce::{editable_customer, record, remove_entry, today, Catalog, Removed};
use crate::db::{new_id, now_ms, Db};
use crate::error::changed_meanwhile;
use crate::error::{Error, Result};
use crate::principal::{Actor, ResellerAdmin, ResellerUser};
use crate::Portico;

const TAX_RATES: Catalog = Catalog { table: "tax_rates", entry: "Tax rate" };

const RATE_COLUMNS: &str = "id, name, country, region, postal_code, rate, valid_from, retired_on, used_at, version";

/// The reseller's tax rates, those in force first, by country and name.
pub async fn rates(db: &Db, reseller: &ResellerId) -> Result<Vec<TaxRate>> {
    let rows = sqlx::query(&format!(
        "SELECT {RATE_COLUMNS} FROM tax_rates WHERE reseller_id = $1 \
         ORDER BY retired_on IS NOT NULL, country, name, valid_from"
    ))
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(rate).collect()
}

fn rate(row: &AnyRow) -> Result<TaxRate> {
    let id: TaxRateId = row.try_get("id")?;
    let corrupt = |what: &str| Error::Internal(anyhow::anyhow!("tax rate {id} has a malformed {what}"));
    let day = |raw: String| Day::parse(&raw).map_err(|_| corrupt("day"));
    let settings = ValidTaxRate {
        name: row.try_get("name")?,
        country: row.try_get("country")?,
        region: row.try_get("region")?,
        postal_code: row.try_get("postal_code")?,
        rate: Percent::parse(&row.try_get::<String, _>("rate")?).map_err(|_| corrupt("rate"))?,
        valid_from: day(row.try_get("valid_from")?)?,
    };
    Ok(TaxRate {
        settings,
        retired_on: row.try_get::<Option<String>, _>("retired_on")?.map(day).transpose()?,
        used: row.try_get::<Option<i64>, _>("used_at")?.is_some(),
        version: row.try_get("version")?,
        id,
    })
}

fn rate_snapshot(rate: &ValidTaxRate) -> Snapshot {
    Snapshot::from([
        ("Name", rate.name.clone()),
        ("Country", rate.country.clone()),
        ("Region", rate.region.clone().unwrap_or_default()),
        ("Postal code", rate.postal_code.clone().unwrap_or_default()),
        ("Rate", rate.rate.to_string()),
        ("Valid from", rate.valid_from.to_string()),
    ])
}

/// Adds a tax rate to the admin's reseller.
pub async fn add_rate(portico: &Portico, admin: &ResellerAdmin, input: &TaxRateInput) -> Result<TaxRateId> {
    let rate = input.validate().map_err(Error::Validation)?;
    create_rate(&portico.db, &admin.reseller_id, &admin.actor(), &rate).await
}

/// Stores a checked rate of `reseller`, in its history as `actor`'s.
pub(crate) async fn create_rate(
    db: &Db,
    reseller: &ResellerId,
    actor: &Actor,
    rate: &ValidTaxRate,
) -> Result<TaxRateId> {
    let id = TaxRateId(new_id("txr"));
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO tax_rates (id, reseller_id, name, country, region, postal_code, rate, valid_from, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(&rate.name)
    .bind(&rate.country)
    .bind(&rate.region)
    .bind(&rate.postal_code)
    .bind(String::from(rate.rate))
    .bind(rate.valid_from.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let action = format!("Tax rate added: {}", rate.name);
    record(&mut tx, reseller, None, actor, &action, None, Some(rate_snapshot(rate))).await?;
    tx.commit().await?;
    Ok(id)
}

/// The admin's rate at `version`: someone else's is not found, a stale version a conflict.
async fn current_rate(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    id: &TaxRateId,
    version: i64,
) -> Result<TaxRate> {
    let row = sqlx::query(&format!("SELECT {RATE_COLUMNS} FROM tax_rates WHERE id = $1 AND reseller_id = $2"))
        .bind(id)
        .bind(reseller.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    let rate = rate(&row)?;
    if rate.version != version {
        return Err(changed_meanwhile("tax rate"));
    }
    Ok(rate)
}

/// Changes a rate no customer has had yet.
pub async fn update_rate(
    portico: &Portico,
    admin: &ResellerAdmin,
    id: &TaxRateId,
    version: i64,
    input: &TaxRateInput,
) -> Result<()> {
    let rate = input.validate().map_err(Error::Validation)?;
    let mut tx = portico.db.begin_write().await?;
    let before = current_rate(&mut tx, &admin.reseller_id, id, version).await?;
    if before.used || before.retired_on.is_some() {
        return Err(Error::Conflict(
            "A customer has had this rate, so invoices may print it: retire it and add a new rate instead.".into(),
        ));
    }
    let updated = sqlx::query(
        "UPDATE tax_rates SET name = $1, country = $2, region = $3, postal_code = $4, rate = $5, valid_from = $6, \
         version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9 AND used_at IS NULL",
    )
    .bind(&rate.name)
    .bind(&rate.country)
    .bind(&rate.region)
    .bind(&rate.postal_code)
    .bind(String::from(rate.rate))
    .bind(rate.valid_from.to_string())
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("tax rate"));
    }
    let action = format!("Tax rate changed: {}", rate.name);
    let (before, after) = (Some(rate_snapshot(&before.settings)), Some(rate_snapshot(&rate)));
    record(&mut tx, &admin.reseller_id, None, &admin.actor(), &action, before, after).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a rate: deleted when no customer has had it, retired from today otherwise.
pub async fn remove_rate(portico: &Portico, admin: &ResellerAdmin, id: &TaxRateId, version: i64) -> Result<Removed> {
    let mut tx = portico.db.begin_write().await?;
    let before = current_rate(&mut tx, &admin.reseller_id, id, version).await?;
    if before.retired_on.is_some() {
        return Err(Error::Conflict("This rate is already retired.".into()));
    }
    let removed = remove_entry(&mut tx, &TAX_RATES, id.as_str(), version, before.used).await?;
    let action = format!("Tax rate {}: {}", removed.word(), before.settings.name);
    record(&mut tx, &admin.reseller_id, None, &admin.actor(), &action, Some(rate_snapshot(&before.settings)), None)
        .await?;
    tx.commit().await?;
    Ok(removed)
}

/// The customer's tax profile; the default (no rates, no exemption, version 0) until saved.
pub async fn profile(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<TaxProfile> {
    let row = sqlx::query(
        "SELECT tax_id, exemption, certificate_number, certificate_expiry, version FROM customer_tax_profiles \
         WHERE customer_id = $1 AND reseller_id = $2",
    )
    .bind(customer.as_str())
    .bind(reseller.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(TaxProfile::default()) };
    let rates: Vec<TaxRateId> =
        sqlx::query_scalar("SELECT rate_id FROM customer_tax_rates WHERE customer_id = $1 ORDER BY rate_id")
            .bind(customer.as_str())
            .fetch_all(&db.pool)
            .await?;
    let corrupt = || Error::Internal(anyhow::anyhow!("customer {customer} has a malformed tax profile"));
    let exemption = match row.try_get::<String, _>("exemption")?.parse::<ExemptionKind>().map_err(|_| corrupt())? {
        ExemptionKind::None => Exemption::None,
        ExemptionKind::ReverseCharge => Exemption::ReverseCharge,
        ExemptionKind::Exempt => Exemption::Exempt {
            certificate_number: row.try_get::<Option<String>, _>("certificate_number")?.ok_or_else(corrupt)?,
            expires_on: row
                .try_get::<Option<String>, _>("certificate_expiry")?
                .and_then(|day| Day::parse(&day).ok())
                .ok_or_else(corrupt)?,
        },
    };
    Ok(TaxProfile { rates, tax_id: row.try_get("tax_id")?, exemption, version: row.try_get("version")? })
}

/// The fields the history shows of a profile, rates by name.
fn profile_snapshot(profile: &TaxProfile, names: &BTreeMap<TaxRateId, String>) -> Snapshot {
    let rates: Vec<&str> = profile.rates.iter().filter_map(|id| names.get(id).map(String::as_str)).collect();
    Snapshot::from([
        ("Tax rates", if rates.is_empty() { "None".to_owned() } else { rates.join(", ") }),
        ("Tax id", profile.tax_id.clone().unwrap_or_default()),
        ("Exemption", profile.exemption.describe()),
    ])
}

/// Saves the Taxes tab of one of the user's customers, if the profile is still at `version` (0:
/// never saved). The rates must be the reseller's, in force or already the customer's.
pub async fn save_profile(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    version: i64,
    input: &TaxProfileInput,
) -> Result<()> {
    let db = &portico.db;
    let reseller = &user.reseller_id;
    editable_customer(db, user, customer).await?;
    let before = profile(db, reseller, customer).await?;
    let all = rates(db, reseller).await?;
    let offered: Vec<TaxRateId> = all
        .iter()
        .filter(|rate| rate.retired_on.is_none() || before.rates.contains(&rate.id))
        .map(|rate| rate.id.clone())
        .collect();
    let after = input.validate(&offered, today()).map_err(Error::Validation)?;
    if before.version != version {
        return Err(changed_meanwhile("tax profile"));
    }
    let (kind, certificate) = match &after.exemption {
        Exemption::Exempt { certificate_number, expires_on } => {
            (ExemptionKind::Exempt, Some((certificate_number.clone(), expires_on.to_string())))
        }
        other => (other.kind(), None),
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let written = if version == 0 {
        sqlx::query(
            "INSERT INTO customer_tax_profiles (customer_id, reseller_id, tax_id, exemption, certificate_number, \
             certificate_expiry, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (customer_id) DO NOTHING",
        )
        .bind(customer.as_str())
        .bind(reseller.as_str())
        .bind(&after.tax_id)
        .bind(kind.as_str())
        .bind(certificate.as_ref().map(|(number, _)| number.clone()))
        .bind(certificate.as_ref().map(|(_, expiry)| expiry.clone()))
        .bind(now)
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE customer_tax_profiles SET tax_id = $1, exemption = $2, certificate_number = $3, \
             certificate_expiry = $4, version = version + 1, updated_at = $5 WHERE customer_id = $6 AND version = $7",
        )
        .bind(&after.tax_id)
        .bind(kind.as_str())
        .bind(certificate.as_ref().map(|(number, _)| number.clone()))
        .bind(certificate.as_ref().map(|(_, expiry)| expiry.clone()))
        .bind(now)
        .bind(customer.as_str())
        .bind(version)
        .execute(&mut **tx)
        .await?
    };
    if written.rows_affected() != 1 {
        return Err(changed_meanwhile("tax profile"));
    }
    sqlx::query("DELETE FROM customer_tax_rates WHERE customer_id = $1")
        .bind(customer.as_str())
        .execute(&mut **tx)
        .await?;
    for rate in &after.rates {
        sqlx::query("INSERT INTO customer_tax_rates (customer_id, rate_id) VALUES ($1, $2)")
            .bind(customer.as_str())
            .bind(rate)
            .execute(&mut **tx)
            .await?;
        // From now on the rate may be printed on this customer's invoices: it can only retire.
        sqlx::query("UPDATE tax_rates SET used_at = $1, version = version + 1 WHERE id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(rate)
            .execute(&mut **tx)
            .await?;
    }
    let names: BTreeMap<TaxRateId, String> = all.iter().map(|rate| (rate.id.clone(), rate.settings.label())).collect();
    let (before, after) = (profile_snapshot(&before, &names), profile_snapshot(&after, &names));
    if before != after {
        record(&mut tx, reseller, Some(customer), &user.actor(), "Tax profile changed", Some(before), Some(after))
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
