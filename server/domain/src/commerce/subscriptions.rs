//! A customer's subscriptions (the Subscriptions tab). Each change — an edit, a person's step
//! (activate, suspend, resume, cancel, keep), or Portico's on the subscription's dates (start,
//! renew, expire, end) — is a new version: a row of `subscription_versions` and an entry of the
//! customer's history. A job due on the subscription's next date takes Portico's step; a job
//! whose version is stale does nothing, so each change schedules exactly one live job.

use portico_shared::dates::Day;
use portico_shared::ids::{CustomerId, ProductId, ResellerId, SubscriptionId};
use portico_shared::money::{Currency, Money};
use portico_shared::subscriptions::{
    BillingPeriod, Product, Step, Subscription, SubscriptionInput, SubscriptionStatus, ValidSubscription,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::Snapshot;
use crate::commerce::{editable_customer, products, record, today};
use crate::db::{new_id, now_ms, Db};
use crate::error::changed_meanwhile;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::principal::{Actor, ResellerUser};
use crate::Portico;

const SELECT: &str = "SELECT s.id, s.product_id, p.name AS product_name, p.sku, s.quantity, s.unit_price_minor, \
     s.currency, s.billing_period, s.start_date, s.end_date, s.auto_renew, s.status, s.version, s.customer_id, \
     s.reseller_id FROM subscriptions s JOIN products p ON p.id = s.product_id";

/// The customer's subscriptions, newest first.
pub async fn list(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<Subscription>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE s.reseller_id = $1 AND s.customer_id = $2 ORDER BY s.created_at DESC, s.id DESC"
    ))
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(subscription).collect()
}

fn subscription(row: &AnyRow) -> Result<Subscription> {
    let id: SubscriptionId = row.try_get("id")?;
    let corrupt = |what: &str| Error::Internal(anyhow::anyhow!("subscription {id} has a malformed {what}"));
    let day = |raw: String| Day::parse(&raw).map_err(|_| corrupt("day"));
    let currency = Currency::parse(&row.try_get::<String, _>("currency")?).map_err(|_| corrupt("currency"))?;
    Ok(Subscription {
        product: row.try_get("product_id")?,
        product_name: row.try_get("product_name")?,
        sku: row.try_get("sku")?,
        quantity: u32::try_from(row.try_get::<i64, _>("quantity")?).map_err(|_| corrupt("quantity"))?,
        unit_price: Money::new(row.try_get("unit_price_minor")?, currency),
        billing_period: row
            .try_get::<String, _>("billing_period")?
            .parse::<BillingPeriod>()
            .map_err(|_| corrupt("billing period"))?,
        start: day(row.try_get("start_date")?)?,
        end: row.try_get::<Option<String>, _>("end_date")?.map(day).transpose()?,
        auto_renew: row.try_get::<i64, _>("auto_renew")? != 0,
        status: row.try_get::<String, _>("status")?.parse::<SubscriptionStatus>().map_err(|_| corrupt("status"))?,
        version: row.try_get("version")?,
        id,
    })
}

/// The subscription with its reseller and customer, inside a transaction.
async fn find(
    tx: &mut Transaction<'_, Any>,
    id: &SubscriptionId,
) -> Result<Option<(ResellerId, CustomerId, Subscription)>> {
    let row = sqlx::query(&format!("{SELECT} WHERE s.id = $1")).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|row| Ok((row.try_get("reseller_id")?, row.try_get("customer_id")?, subscription(&row)?))).transpose()
}

/// One of the customer's subscriptions at `version`: another's is not found, a stale version a
/// conflict.
async fn current(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: &CustomerId,
    id: &SubscriptionId,
    version: i64,
) -> Result<Subscription> {
    match find(tx, id).await? {
        Some((owner, of, subscription)) if owner == *reseller && of == *customer => {
            if subscription.version != version {
                return Err(changed_meanwhile("subscription"));
            }
            Ok(subscription)
        }
        _ => Err(Error::NotFound),
    }
}

fn snapshot(subscription: &Subscription) -> Snapshot {
    Snapshot::from([
        ("Product", format!("{} ({})", subscription.product_name, subscription.sku)),
        ("Quantity", subscription.quantity.to_string()),
        ("Unit price", subscription.unit_price.format()),
        ("Start", subscription.start.to_string()),
        ("End", subscription.end.map(|day| day.to_string()).unwrap_or_else(|| "Until cancelled".into())),
        ("Auto-renew", if subscription.auto_renew { "Yes" } else { "No" }.to_owned()),
        ("Status", subscription.status.label().to_owned()),
    ])
}

/// The next day Portico has a step to take on the subscription, if any.
fn next_due(subscription: &Subscription) -> Option<Day> {
    match subscription.status {
        SubscriptionStatus::Pending => Some(subscription.start),
        SubscriptionStatus::Active | SubscriptionStatus::PendingCancel => subscription.end,
        SubscriptionStatus::Suspended | SubscriptionStatus::Cancelled | SubscriptionStatus::Expired => None,
    }
}

/// Writes the subscription as it now is (`version`), its version row, its history entry, and
/// the job due on its next date.
async fn write_version(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: &CustomerId,
    actor: &Actor,
    step: &str,
    before: Option<&Subscription>,
    after: &Subscription,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO subscription_versions (subscription_id, version, step, status, quantity, end_date, auto_renew, \
         actor_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&after.id)
    .bind(after.version)
    .bind(step)
    .bind(after.status.as_str())
    .bind(i64::from(after.quantity))
    .bind(after.end.map(|day| day.to_string()))
    .bind(i64::from(after.auto_renew))
    .bind(&actor.label)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let action = match before {
        None => format!("Subscription added: {} × {}", after.product_name, after.quantity),
        Some(_) => format!("Subscription {step}: {}", after.product_name),
    };
    record(tx, reseller, Some(customer), actor, &action, before.map(snapshot), Some(snapshot(after))).await?;
    if let Some(due) = next_due(after) {
        let job = Job::SubscriptionDue { subscription: after.id.clone(), version: after.version };
        jobs::enqueue_at(tx, &job, due.start_ms()).await?;
    }
    Ok(())
}

/// Stores the new state of a subscription that was at `version`.
async fn update_row(tx: &mut Transaction<'_, Any>, after: &Subscription, version: i64) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE subscriptions SET quantity = $1, end_date = $2, auto_renew = $3, status = $4, version = $5, \
         updated_at = $6 WHERE id = $7 AND version = $8",
    )
    .bind(i64::from(after.quantity))
    .bind(after.end.map(|day| day.to_string()))
    .bind(i64::from(after.auto_renew))
    .bind(after.status.as_str())
    .bind(after.version)
    .bind(now_ms())
    .bind(&after.id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("subscription"));
    }
    Ok(())
}

/// Subscribes one of the user's customers to one of the reseller's products on offer, at its
/// price of today. It is active at once when it starts today or earlier, pending otherwise.
pub async fn add(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    input: &SubscriptionInput,
) -> Result<SubscriptionId> {
    let db = &portico.db;
    let reseller = &user.reseller_id;
    editable_customer(db, user, customer).await?;
    let offered = products::list(db, reseller).await?;
    let valid = input.validate(&offered).map_err(Error::Validation)?;
    let ValidSubscription { product, quantity, start, end, auto_renew } = valid;
    let status = if start <= today() { SubscriptionStatus::Active } else { SubscriptionStatus::Pending };
    let subscription = Subscription {
        id: SubscriptionId(new_id("sub")),
        product: product.id.clone(),
        product_name: product.settings.name.clone(),
        sku: product.settings.sku.clone(),
        quantity,
        unit_price: product.settings.unit_price,
        billing_period: product.settings.billing_period,
        start,
        end,
        auto_renew,
        status,
        version: 1,
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    // The product as it is now, so a price changed meanwhile is not taken at the old one.
    let product = products::find(&mut tx, reseller, &product.id).await?;
    if product.retired || product.settings.unit_price != subscription.unit_price {
        return Err(changed_meanwhile("product"));
    }
    sqlx::query(
        "INSERT INTO subscriptions (id, reseller_id, customer_id, product_id, quantity, unit_price_minor, currency, \
         billing_period, start_date, end_date, auto_renew, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&subscription.id)
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(&subscription.product)
    .bind(i64::from(quantity))
    .bind(subscription.unit_price.minor)
    .bind(subscription.unit_price.currency.code())
    .bind(subscription.billing_period.as_str())
    .bind(start.to_string())
    .bind(end.map(|day| day.to_string()))
    .bind(i64::from(auto_renew))
    .bind(status.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE products SET used_at = $1, version = version + 1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(&subscription.product)
        .execute(&mut **tx)
        .await?;
    write_version(&mut tx, reseller, customer, &user.actor(), "added", None, &subscription).await?;
    tx.commit().await?;
    Ok(subscription.id)
}

/// Changes the quantity, end date and auto-renew of a subscription still running, if it is at
/// `version`; its product, price and start stay.
pub async fn update(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    id: &SubscriptionId,
    version: i64,
    input: &SubscriptionInput,
) -> Result<()> {
    let reseller = &user.reseller_id;
    editable_customer(&portico.db, user, customer).await?;
    let mut tx = portico.db.begin_write().await?;
    let before = current(&mut tx, reseller, customer, id, version).await?;
    if !before.status.editable() {
        return Err(Error::Conflict(
            format!("A subscription {} can no longer change.", before.status.label().to_lowercase()).into(),
        ));
    }
    let product = products::find(&mut tx, reseller, &before.product).await?;
    // The subscription's own product and start, whatever the form says: a product retired since
    // still counts as offered to the subscriptions that have it.
    let own = Product { retired: false, ..product };
    let input =
        SubscriptionInput { product: own.id.to_string(), start_date: before.start.to_string(), ..input.clone() };
    let valid = input.validate(std::slice::from_ref(&own)).map_err(Error::Validation)?;
    let after = Subscription {
        quantity: valid.quantity,
        end: valid.end,
        auto_renew: valid.auto_renew,
        version: before.version + 1,
        ..before.clone()
    };
    if (after.quantity, after.end, after.auto_renew) == (before.quantity, before.end, before.auto_renew) {
        return Ok(());
    }
    update_row(&mut tx, &after, version).await?;
    write_version(&mut tx, reseller, customer, &user.actor(), "changed", Some(&before), &after).await?;
    tx.commit().await?;
    Ok(())
}

/// The words a history entry uses for a step.
fn step_words(step: Step) -> &'static str {
    match step {
        Step::Activate => "activated",
        Step::Suspend => "suspended",
        Step::Resume => "resumed",
        Step::Cancel => "cancelled at the end of its term",
        Step::Keep => "kept",
        Step::Renew => "renewed",
        Step::Expire => "expired",
        Step::End => "ended",
    }
}

/// The subscription after `step` on `today`, or why it cannot be taken.
fn take(before: &Subscription, step: Step, today: Day, renew_months: Option<u32>) -> Result<Subscription> {
    let status = before.status.after(step).ok_or_else(|| {
        Error::Conflict(
            format!("A subscription {} cannot be {}.", before.status.label().to_lowercase(), step_words(step)).into(),
        )
    })?;
    let end = match step {
        Step::Cancel => Some(before.cancellation_day(today)),
        Step::Renew => {
            let (Some(mut end), Some(months)) = (before.end, renew_months) else {
                return Err(Error::Internal(anyhow::anyhow!("subscription {} renews without a term", before.id)));
            };
            // A server that was down over several terms catches up to the term under way.
            while end <= today {
                end = end.add_months(months);
            }
            Some(end)
        }
        _ => before.end,
    };
    Ok(Subscription { status, end, version: before.version + 1, ..before.clone() })
}

/// A person's step on one of the user's customers' subscriptions at `version`.
pub async fn step(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    id: &SubscriptionId,
    version: i64,
    step: Step,
) -> Result<()> {
    if !Step::MANUAL.contains(&step) {
        return Err(Error::Conflict("Portico takes this step itself, on the subscription's dates.".into()));
    }
    let reseller = &user.reseller_id;
    editable_customer(&portico.db, user, customer).await?;
    let mut tx = portico.db.begin_write().await?;
    let before = current(&mut tx, reseller, customer, id, version).await?;
    let after = take(&before, step, today(), None)?;
    update_row(&mut tx, &after, version).await?;
    write_version(&mut tx, reseller, customer, &user.actor(), step_words(step), Some(&before), &after).await?;
    tx.commit().await?;
    Ok(())
}

/// The job due on a subscription's date: starts a pending one, renews or expires an active one
/// at its end, ends a cancelled one. Nothing when the subscription changed since the job was
/// scheduled (a later job carries the new version) or nothing is due yet.
pub async fn due(portico: &Portico, id: &SubscriptionId, version: i64) -> Result<()> {
    let today = today();
    let mut tx = portico.db.begin_write().await?;
    let Some((reseller, customer, before)) = find(&mut tx, id).await? else { return Ok(()) };
    if before.version != version {
        return Ok(());
    }
    let renew_months = renewal_months(&mut tx, &reseller, &before.product, before.billing_period).await?;
    let step = match before.status {
        SubscriptionStatus::Pending if before.start <= today => Step::Activate,
        SubscriptionStatus::Active if before.end.is_some_and(|end| end <= today) => {
            if before.auto_renew && renew_months.is_some() {
                Step::Renew
            } else {
                Step::Expire
            }
        }
        SubscriptionStatus::PendingCancel if before.end.is_some_and(|end| end <= today) => Step::End,
        _ => return Ok(()),
    };
    let after = take(&before, step, today, renew_months)?;
    update_row(&mut tx, &after, version).await?;
    let actor = Actor { id: None, label: "Portico, on the subscription's date".into() };
    write_version(&mut tx, &reseller, &customer, &actor, step_words(step), Some(&before), &after).await?;
    tx.commit().await?;
    Ok(())
}

/// How many months a renewal adds: the product's term, or its billing period; none for a
/// one-time product without a term.
async fn renewal_months(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    product: &ProductId,
    period: BillingPeriod,
) -> Result<Option<u32>> {
    let product = products::find(tx, reseller, product).await?;
    Ok(product.settings.term_months.or(period.months()))
}
