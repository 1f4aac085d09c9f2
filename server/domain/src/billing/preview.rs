//! The Bills tab: a customer's bills for a month — reckoned from what is stored now while the
//! month is open, so the preview is always current, and the invoices once it is closed — with
//! the last twelve months' usage and billed amounts for its chart.

use std::collections::BTreeMap;
use std::str::FromStr;

use portico_shared::billing::{Bill, BillPreview, MonthTotals, UsageCategory};
use portico_shared::credits::EntryKind;
use portico_shared::dates::{Day, Month};
use portico_shared::ids::{CloudAccountId, CustomerId, ResellerId, SubscriptionId};
use portico_shared::money::{round, Currency, Money};
use portico_shared::subscriptions::SubscriptionStatus;
use rust_decimal::Decimal;

use super::bill::{self, CreditLeft, Inputs, SubscriptionHistory, Usage};
use super::invoices;
use crate::commerce::{charges, closed_through, credits, subscriptions, taxes};
use crate::customers;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::principal::ResellerUser;

/// How many months the chart shows.
const CHART_MONTHS: u32 = 12;

/// One of the user's customers' bills for `month`; not found when it is another reseller's.
pub async fn preview(db: &Db, user: &ResellerUser, customer: &CustomerId, month: Month) -> Result<BillPreview> {
    customers::own(db, user, customer).await?;
    let reseller = &user.reseller_id;
    let last_closed = closed_through(db, reseller).await?;
    let is_closed = |month: Month| last_closed.is_some_and(|last| month <= last);
    let first = month.minus(CHART_MONTHS - 1);
    let mut usage = usage_between(db, reseller, customer, first, month).await?;
    let mut inputs = settings(db, reseller, customer).await?;
    inputs.usage = usage.get(&month).cloned().unwrap_or_default();
    let usage_rows = inputs.usage.iter().map(|usage| usage.rows).sum();
    let closed = is_closed(month);
    let (bills, issued) = if closed {
        let issued = invoices::of_month(db, reseller, customer, month).await?;
        (issued.iter().map(|invoice| invoice.bill.clone()).collect(), issued.into_iter().map(|i| i.summary).collect())
    } else {
        (bill::reckon(month, &inputs), Vec::new())
    };
    let currency = bills.first().map_or(Currency::USD, |bill| bill.currency);
    let total_of =
        |bills: &[Bill]| bills.iter().filter(|bill| bill.currency == currency).map(|bill| bill.total.minor).sum();
    // The chart: closed months by their invoices' totals (one query), open ones reckoned, the
    // month shown by the bills above.
    let invoiced = invoices::totals_by_month(db, reseller, customer, first, month, currency).await?;
    let mut history = Vec::new();
    for shown in (0..CHART_MONTHS).map(|n| first.plus(n)) {
        let lines = usage.remove(&shown).unwrap_or_default();
        let used: Decimal = lines
            .iter()
            .filter(|line| line.category.billed() && line.currency == currency)
            .map(|line| bill::minor_units(line.customer_cost, currency))
            .sum();
        let billed = if shown == month {
            total_of(&bills)
        } else if is_closed(shown) {
            invoiced.get(&shown).copied().unwrap_or(0)
        } else {
            inputs.usage = lines;
            total_of(&bill::reckon(shown, &inputs))
        };
        history.push(MonthTotals {
            month: shown,
            usage: Money::new(round(used), currency),
            billed: Money::new(billed, currency),
        });
    }
    let months: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT period FROM usage_lines WHERE customer_id = $1 AND reseller_id = $2 ORDER BY period DESC",
    )
    .bind(customer.as_str())
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    Ok(BillPreview {
        month,
        bills,
        usage_rows,
        months_with_usage: months.iter().filter_map(|month| Month::parse(month).ok()).collect(),
        closed,
        invoices: issued,
        history,
    })
}

/// What the customer's bills for `month` are reckoned from.
pub async fn inputs(db: &Db, reseller: &ResellerId, customer: &CustomerId, month: Month) -> Result<Inputs> {
    let mut inputs = settings(db, reseller, customer).await?;
    inputs.usage = usage_between(db, reseller, customer, month, month).await?.remove(&month).unwrap_or_default();
    Ok(inputs)
}

/// Everything but the usage: the customer's rules, subscriptions, taxes and credits left.
async fn settings(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Inputs> {
    let profile = taxes::profile(db, reseller, customer).await?;
    let rates = taxes::rates(db, reseller).await?.into_iter().filter(|rate| profile.rates.contains(&rate.id)).collect();
    Ok(Inputs {
        usage: Vec::new(),
        rules: charges::list(db, reseller, customer).await?,
        subscriptions: histories(db, reseller, customer).await?,
        profile,
        rates,
        credits: credits_left(db, reseller, customer).await?,
    })
}

type UsageRow = (String, CloudAccountId, String, String, String, String, String, String, i64, String);

/// The customer's usage from `first` to `last`, by month.
async fn usage_between(
    db: &Db,
    reseller: &ResellerId,
    customer: &CustomerId,
    first: Month,
    last: Month,
) -> Result<BTreeMap<Month, Vec<Usage>>> {
    let rows: Vec<UsageRow> = sqlx::query_as(
        "SELECT u.period, u.cloud_account_id, a.account_number, u.service, u.category, u.currency, u.customer_cost, \
         u.seller_cost, u.row_count, i.file_name FROM usage_lines u \
         JOIN cloud_accounts a ON a.id = u.cloud_account_id JOIN usage_imports i ON i.id = u.import_id \
         WHERE u.customer_id = $1 AND u.reseller_id = $2 AND u.period >= $3 AND u.period <= $4 \
         ORDER BY u.period, a.account_number, u.service, u.category, u.currency",
    )
    .bind(customer.as_str())
    .bind(reseller.as_str())
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(&db.pool)
    .await?;
    let corrupt =
        |what: &str| Error::Internal(anyhow::anyhow!("customer {customer} has usage with a malformed {what}"));
    let mut by_month: BTreeMap<Month, Vec<Usage>> = BTreeMap::new();
    for (period, account, number, service, category, currency, customer_cost, seller_cost, rows, file) in rows {
        let usage = Usage {
            account,
            account_label: number,
            service,
            category: UsageCategory::from_str(&category).map_err(|_| corrupt("category"))?,
            currency: Currency::parse(&currency).map_err(|_| corrupt("currency"))?,
            customer_cost: Decimal::from_str(&customer_cost).map_err(|_| corrupt("cost"))?,
            seller_cost: Decimal::from_str(&seller_cost).map_err(|_| corrupt("cost"))?,
            rows,
            source: file,
        };
        by_month.entry(Month::parse(&period).map_err(|_| corrupt("month"))?).or_default().push(usage);
    }
    Ok(by_month)
}

/// The customer's subscriptions with the day, status and quantity of each of their versions.
async fn histories(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<SubscriptionHistory>> {
    let versions: Vec<(SubscriptionId, i64, String, i64)> = sqlx::query_as(
        "SELECT v.subscription_id, v.created_at, v.status, v.quantity FROM subscription_versions v \
         JOIN subscriptions s ON s.id = v.subscription_id WHERE s.customer_id = $1 AND s.reseller_id = $2 \
         ORDER BY v.subscription_id, v.version",
    )
    .bind(customer.as_str())
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    let corrupt = || Error::Internal(anyhow::anyhow!("customer {customer} has a malformed subscription version"));
    let mut histories = Vec::new();
    for subscription in subscriptions::list(db, reseller, customer).await? {
        let own = versions.iter().filter(|(id, ..)| *id == subscription.id);
        let versions = own
            .map(|(_, at, status, quantity)| {
                let status = SubscriptionStatus::from_str(status).map_err(|_| corrupt())?;
                Ok((Day::of_ms(*at), status, u32::try_from(*quantity).map_err(|_| corrupt())?))
            })
            .collect::<Result<Vec<_>>>()?;
        histories.push(SubscriptionHistory { subscription, versions });
    }
    Ok(histories)
}

/// The customer's grants neither reversed nor used up, with what invoices left of each.
async fn credits_left(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<CreditLeft>> {
    Ok(credits::ledger(db, reseller, customer)
        .await?
        .into_iter()
        .filter(|entry| entry.kind == EntryKind::Grant && !entry.reversed && entry.used < entry.amount.minor)
        .map(|entry| CreditLeft {
            left: Money::new(entry.amount.minor - entry.used, entry.amount.currency),
            reason: entry.reason,
            expires_on: entry.expires_on,
            granted_at: entry.at,
            id: entry.id,
        })
        .collect())
}
