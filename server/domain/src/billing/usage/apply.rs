//! What a report that was read changes: each key is matched to a linked cloud account, each
//! matched account's months are replaced, and the rest is listed as unmatched.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use portico_shared::dates::Month;
use portico_shared::ids::{CloudAccountId, CustomerId, ResellerId, UsageImportId};
use rust_decimal::Decimal;
use sqlx::{Any, Transaction};

use super::report::{Key, Summary};
use crate::db::now_ms;
use crate::error::Result;

/// The link states in which an account's usage is billed by the platform: in the
/// organization.
const BILLED_STATES: &str = "'linked', 'unlink_requested'";

#[derive(sqlx::FromRow)]
struct Linked {
    id: CloudAccountId,
    customer_id: CustomerId,
    reseller_id: ResellerId,
    provider_id: String,
    account_number: String,
}

/// Where an unmatched row is listed: the report's account, month and currency.
type Unclaimed = (String, String, Month, String);

/// Applies a report read for `import`, whose scope is `reseller` (the platform's: every
/// reseller), inside `tx`; what it matched and did not.
pub(super) async fn apply(
    tx: &mut Transaction<'_, Any>,
    import: &UsageImportId,
    reseller: Option<&ResellerId>,
    summary: &Summary,
) -> Result<(i64, i64)> {
    let mut query = format!(
        "SELECT id, customer_id, reseller_id, provider_id, account_number FROM cloud_accounts \
         WHERE link_state IN ({BILLED_STATES}) AND account_number <> ''"
    );
    if reseller.is_some() {
        query.push_str(" AND reseller_id = $1");
    }
    let mut select = sqlx::query_as(&query);
    if let Some(reseller) = reseller {
        select = select.bind(reseller.as_str());
    }
    let linked: Vec<Linked> = select.fetch_all(&mut **tx).await?;
    let mut by_number: HashMap<(&str, &str), Vec<&Linked>> = HashMap::new();
    for account in &linked {
        by_number.entry((account.provider_id.as_str(), account.account_number.as_str())).or_default().push(account);
    }

    let mut replaced: BTreeSet<(&CloudAccountId, Month)> = BTreeSet::new();
    let mut unmatched: BTreeMap<Unclaimed, (i64, Decimal, &'static str)> = BTreeMap::new();
    let (mut rows_matched, mut rows_unmatched) = (0, 0);
    let mut keys: Vec<&Key> = summary.sums.keys().collect();
    keys.sort();
    for key in keys {
        let sums = summary.sums[key];
        let claims = by_number.get(&(key.provider.as_str(), key.account.as_str())).map_or(&[][..], Vec::as_slice);
        let [account] = claims else {
            let reason = if claims.is_empty() {
                "No linked cloud account has this account id."
            } else {
                "More than one reseller's linked cloud account has this account id."
            };
            let entry = unmatched
                .entry((key.provider.clone(), key.account.clone(), key.period, key.currency.code().to_owned()))
                .or_insert((0, Decimal::ZERO, reason));
            entry.0 += sums.rows;
            entry.1 += sums.seller_cost;
            rows_unmatched += sums.rows;
            continue;
        };
        if replaced.insert((&account.id, key.period)) {
            sqlx::query("DELETE FROM usage_lines WHERE cloud_account_id = $1 AND period = $2")
                .bind(account.id.as_str())
                .bind(key.period.to_string())
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO usage_lines (cloud_account_id, period, service, category, currency, reseller_id, \
             customer_id, import_id, row_count, customer_cost, seller_cost) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(account.id.as_str())
        .bind(key.period.to_string())
        .bind(&key.service)
        .bind(key.category.as_str())
        .bind(key.currency.code())
        .bind(account.reseller_id.as_str())
        .bind(account.customer_id.as_str())
        .bind(import.as_str())
        .bind(sums.rows)
        .bind(sums.customer_cost.normalize().to_string())
        .bind(sums.seller_cost.normalize().to_string())
        .execute(&mut **tx)
        .await?;
        rows_matched += sums.rows;
    }
    for ((provider, account, period, currency), (rows, cost, reason)) in unmatched {
        sqlx::query(
            "INSERT INTO usage_unmatched (import_id, provider, account, period, currency, row_count, seller_cost, \
             reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(import.as_str())
        .bind(provider)
        .bind(account)
        .bind(period.to_string())
        .bind(currency)
        .bind(rows)
        .bind(cost.normalize().to_string())
        .bind(reason)
        .execute(&mut **tx)
        .await?;
    }
    let periods: BTreeSet<Month> = summary.sums.keys().map(|key| key.period).collect();
    let periods: Vec<String> = periods.iter().map(ToString::to_string).collect();
    sqlx::query(
        "UPDATE usage_imports SET status = 'done', format = $1, rows_read = $2, rows_matched = $3, \
         rows_unmatched = $4, periods = $5, bytes_done = bytes_total, finished_at = $6 WHERE id = $7",
    )
    .bind(summary.format.as_str())
    .bind(summary.rows)
    .bind(rows_matched)
    .bind(rows_unmatched)
    .bind(periods.join(", "))
    .bind(now_ms())
    .bind(import.as_str())
    .execute(&mut **tx)
    .await?;
    Ok((rows_matched, rows_unmatched))
}
