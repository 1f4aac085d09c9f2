//! Credits: the customer's append-only ledger. Entries are only ever inserted — a grant, or the
//! one reversal of a grant — never updated or deleted (the unique index on `reverses` makes a
//! second reversal of the same grant fail, whoever sends it).

use portico_shared::credits::{reversal_reason, CreditEntry, EntryKind, GrantInput};
use portico_shared::dates::Day;
use portico_shared::ids::{CreditId, CustomerId, ResellerId};
use portico_shared::money::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::Snapshot;
use crate::commerce::{editable_customer, record, today};
use crate::db::{new_id, now_ms, Db};
use crate::error::{is_unique_violation, Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

/// The customer's ledger, newest first.
pub async fn ledger(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<CreditEntry>> {
    let rows = sqlx::query(
        "SELECT c.id, c.kind, c.amount_minor, c.currency, c.reason, c.expires_on, c.comment, c.reverses, \
         c.actor_label, c.created_at, \
         (SELECT r.id FROM credits r WHERE r.reverses = c.id) AS reversed_by, \
         (SELECT CAST(COALESCE(SUM(u.amount_minor), 0) AS BIGINT) FROM credit_uses u WHERE u.credit_id = c.id) AS used \
         FROM credits c WHERE c.reseller_id = $1 AND c.customer_id = $2 ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry).collect()
}

fn entry(row: &AnyRow) -> Result<CreditEntry> {
    let id: CreditId = row.try_get("id")?;
    let corrupt = |what: &str| Error::Internal(anyhow::anyhow!("credit {id} has a malformed {what}"));
    let currency = Currency::parse(&row.try_get::<String, _>("currency")?).map_err(|_| corrupt("currency"))?;
    Ok(CreditEntry {
        kind: row.try_get::<String, _>("kind")?.parse::<EntryKind>().map_err(|_| corrupt("kind"))?,
        amount: Money::new(row.try_get("amount_minor")?, currency),
        reason: row.try_get("reason")?,
        expires_on: row
            .try_get::<Option<String>, _>("expires_on")?
            .map(|day| Day::parse(&day).map_err(|_| corrupt("expiry")))
            .transpose()?,
        comment: row.try_get("comment")?,
        reverses: row.try_get("reverses")?,
        reversed: row.try_get::<Option<String>, _>("reversed_by")?.is_some(),
        at: row.try_get("created_at")?,
        by: row.try_get("actor_label")?,
        used: row.try_get("used")?,
        id,
    })
}

fn snapshot(amount: Money, reason: &str, expires_on: Option<Day>) -> Snapshot {
    Snapshot::from([
        ("Amount", amount.format()),
        ("Reason", reason.to_owned()),
        ("Expires", expires_on.map(|day| day.to_string()).unwrap_or_else(|| "Never".into())),
    ])
}

/// Grants one of the user's customers a credit.
pub async fn grant(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    input: &GrantInput,
) -> Result<CreditId> {
    editable_customer(&portico.db, user, customer).await?;
    let grant = input.validate(today()).map_err(Error::Validation)?;
    let (id, actor) = (CreditId(new_id("crd")), user.actor());
    let mut tx = portico.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO credits (id, reseller_id, customer_id, kind, amount_minor, currency, reason, expires_on, comment, \
         actor_label, created_at) VALUES ($1, $2, $3, 'grant', $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(user.reseller_id.as_str())
    .bind(customer.as_str())
    .bind(grant.amount.minor)
    .bind(grant.amount.currency.code())
    .bind(&grant.reason)
    .bind(grant.expires_on.map(|day| day.to_string()))
    .bind(&grant.comment)
    .bind(&actor.label)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let action = format!("Credit granted: {}", grant.amount.format());
    let after = Some(snapshot(grant.amount, &grant.reason, grant.expires_on));
    record(&mut tx, &user.reseller_id, Some(customer), &actor, &action, None, after).await?;
    tx.commit().await?;
    Ok(id)
}

/// Reverses a grant of one of the user's customers, whole, with a reason: the only correction a
/// grant has. A grant is reversed once; a second reversal is a conflict.
pub async fn reverse(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    grant: &CreditId,
    reason: &str,
) -> Result<CreditId> {
    editable_customer(&portico.db, user, customer).await?;
    let reason = reversal_reason(reason).map_err(Error::Validation)?;
    let (id, actor) = (CreditId(new_id("crd")), user.actor());
    let mut tx = portico.db.begin_write().await?;
    let granted: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT amount_minor, currency, reason FROM credits \
         WHERE id = $1 AND reseller_id = $2 AND customer_id = $3 AND kind = 'grant'",
    )
    .bind(grant)
    .bind(user.reseller_id.as_str())
    .bind(customer.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let (minor, currency, granted_for) = granted.ok_or(Error::NotFound)?;
    let used: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM credit_uses WHERE credit_id = $1",
    )
    .bind(grant)
    .fetch_one(&mut **tx)
    .await?;
    if used > 0 {
        return Err(Error::Conflict(
            "Invoices have already drawn on this credit, so it can no longer be reversed. The page now shows the ledger."
                .into(),
        ));
    }
    let inserted = sqlx::query(
        "INSERT INTO credits (id, reseller_id, customer_id, kind, amount_minor, currency, reason, reverses, \
         actor_label, created_at) VALUES ($1, $2, $3, 'reversal', $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(user.reseller_id.as_str())
    .bind(customer.as_str())
    .bind(minor)
    .bind(&currency)
    .bind(&reason)
    .bind(grant)
    .bind(&actor.label)
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(error) if is_unique_violation(&error) => {
            return Err(Error::Conflict("This credit was already reversed. The page now shows the ledger.".into()))
        }
        Err(error) => return Err(error.into()),
    }
    let amount = Money::new(minor, Currency::parse(&currency).map_err(|_| anyhow::anyhow!("credit {grant} currency"))?);
    let action = format!("Credit reversed: {} ({granted_for})", amount.format());
    let after = Some(Snapshot::from([("Reason", reason.clone())]));
    record(&mut tx, &user.reseller_id, Some(customer), &actor, &action, None, after).await?;
    tx.commit().await?;
    Ok(id)
}
