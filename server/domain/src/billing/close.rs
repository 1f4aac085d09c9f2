//! Closing a month: each customer's bills for it become invoices, numbered per reseller without
//! gaps, and the credits they draw on are used up in the ledger.
//!
//! A close is a row of `month_closes` (its primary key makes two closes of one month one) and a
//! `close_month` job. The job issues one invoice per customer and currency, each in its own
//! transaction that also takes the reseller's next number, writes the lines and the credit uses,
//! and queues the e-mail: a number exists exactly when its invoice does. A job that stopped
//! midway (a server killed) is taken over and skips what was issued, so a close finishes with
//! every invoice once and no number missing.

use portico_shared::billing::{AutoClose, MonthClose};
use portico_shared::dates::{Day, Month};
use portico_shared::ids::{CustomerId, ResellerId};

use super::bill::{self, Reckoned};
use super::preview;
use crate::audit::{self, Snapshot};
use crate::commerce::{closed_through, today};
use crate::db::{new_id, now_ms, Db};
use crate::error::{is_unique_violation, Error, Result};
use crate::jobs::{self, Job};
use crate::principal::{Actor, ResellerAdmin};
use crate::Portico;

#[derive(sqlx::FromRow)]
struct CloseRow {
    month: String,
    status: String,
    actor_label: String,
    customers: i64,
    invoices: i64,
    created_at: i64,
    finished_at: Option<i64>,
}

/// The reseller's closes, newest first.
pub async fn list(db: &Db, reseller: &ResellerId) -> Result<Vec<MonthClose>> {
    let rows: Vec<CloseRow> = sqlx::query_as(
        "SELECT month, status, actor_label, customers, invoices, created_at, finished_at FROM month_closes \
         WHERE reseller_id = $1 ORDER BY month DESC",
    )
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(MonthClose {
                month: Month::parse(&row.month).ok()?,
                closed: row.status == "closed",
                by: row.actor_label,
                customers: row.customers,
                invoices: row.invoices,
                at: row.created_at,
                finished_at: row.finished_at,
            })
        })
        .collect())
}

/// **Close month**: a month before the current one and after the last closed is closed for the
/// admin's reseller (its invoices issued by a job); asking twice, or twice at once, closes it
/// once.
pub async fn request(portico: &Portico, admin: &ResellerAdmin, month: Month) -> Result<()> {
    open(portico, &admin.reseller_id, month, &admin.actor()).await
}

/// Opens the close of `month` for `reseller` on behalf of `actor`.
async fn open(portico: &Portico, reseller: &ResellerId, month: Month, actor: &Actor) -> Result<()> {
    if month >= today().month() {
        return Err(Error::Conflict(
            format!("{} is not over yet: a month can be closed once it has ended.", month.label()).into(),
        ));
    }
    if let Some(last) = closed_through(&portico.db, reseller).await? {
        if month <= last {
            return Err(Error::Conflict(
                format!(
                    "{} is closed already (months close in order; the last closed is {}).",
                    month.label(),
                    last.label()
                )
                .into(),
            ));
        }
    }
    let mut tx = portico.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO month_closes (reseller_id, month, status, actor_label, created_at) VALUES ($1, $2, 'closing', $3, $4)",
    )
    .bind(reseller.as_str())
    .bind(month.to_string())
    .bind(&actor.label)
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(Error::Conflict(format!("{} is closed already.", month.label()).into()));
        }
        Err(e) => return Err(e.into()),
    }
    jobs::enqueue(&mut tx, &Job::CloseMonth { reseller: reseller.clone(), month }).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// The reseller's **Close automatically** setting.
pub async fn auto_close(db: &Db, reseller: &ResellerId) -> Result<AutoClose> {
    let day: Option<i64> = sqlx::query_scalar("SELECT auto_close_day FROM resellers WHERE id = $1")
        .bind(reseller.as_str())
        .fetch_one(&db.pool)
        .await?;
    Ok(AutoClose { day: day.and_then(|day| u8::try_from(day).ok()) })
}

/// Saves **Close automatically**, in the reseller's log.
pub async fn set_auto_close(portico: &Portico, admin: &ResellerAdmin, setting: AutoClose) -> Result<()> {
    let reseller = &admin.reseller_id;
    let before = auto_close(&portico.db, reseller).await?;
    if before == setting {
        return Ok(());
    }
    let mut tx = portico.db.begin_write().await?;
    sqlx::query("UPDATE resellers SET auto_close_day = $1 WHERE id = $2")
        .bind(setting.day.map(i64::from))
        .bind(reseller.as_str())
        .execute(&mut **tx)
        .await?;
    let words = |setting: AutoClose| Snapshot::from([("Close automatically", setting.label())]);
    let change = audit::Change {
        reseller,
        customer: None,
        actor: &admin.actor(),
        action: "Automatic close changed",
        before: Some(words(before)),
        after: Some(words(setting)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The scheduled close, run by the worker: each reseller that closes automatically has its next
/// month to close (the one after the last closed; last month when none is) closed once `day` is
/// its close day of the month after. One month at a time, after the close before it finished, so
/// a server that was off catches up in order. How many closes it opened.
pub async fn scheduled(portico: &Portico, day: Day) -> Result<usize> {
    let due: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT r.id, r.auto_close_day, (SELECT MAX(c.month) FROM month_closes c WHERE c.reseller_id = r.id) \
         FROM resellers r WHERE r.auto_close_day IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM month_closes c WHERE c.reseller_id = r.id AND c.status = 'closing')",
    )
    .fetch_all(&portico.db.pool)
    .await?;
    let actor = Actor { id: None, label: "Scheduled close".to_owned() };
    let mut opened = 0;
    for (reseller, close_day, last_closed) in due {
        let next = match last_closed.as_deref().map(Month::parse) {
            Some(Ok(last)) => last.plus(1),
            _ => day.month().minus(1),
        };
        let due_on = Day::from_days(next.plus(1).first_day().days() + close_day - 1);
        if day < due_on {
            continue;
        }
        match open(portico, &ResellerId(reseller), next, &actor).await {
            Ok(()) => opened += 1,
            // Closed meanwhile, by a person or another server.
            Err(Error::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(opened)
}

/// The job: issues every customer's invoices for `month` not issued yet, then marks the month
/// closed.
pub async fn run(portico: &Portico, reseller: &ResellerId, month: Month) -> Result<()> {
    let db = &portico.db;
    let customers: Vec<CustomerId> = sqlx::query_scalar(
        "SELECT id FROM customers WHERE reseller_id = $1 AND status IN ('active', 'suspended') ORDER BY created_at, id",
    )
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    for customer in &customers {
        let inputs = preview::inputs(db, reseller, customer, month).await?;
        for reckoned in bill::reckon_with_credits(month, &inputs) {
            issue(portico, reseller, customer, &reckoned).await?;
        }
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE month_closes SET status = 'closed', finished_at = $1, customers = $2, \
         invoices = (SELECT COUNT(*) FROM invoices WHERE reseller_id = $3 AND month = $4) \
         WHERE reseller_id = $3 AND month = $4",
    )
    .bind(now_ms())
    .bind(i64::try_from(customers.len()).unwrap_or(i64::MAX))
    .bind(reseller.as_str())
    .bind(month.to_string())
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues one invoice, unless a run before this one did.
async fn issue(portico: &Portico, reseller: &ResellerId, customer: &CustomerId, reckoned: &Reckoned) -> Result<()> {
    let bill = &reckoned.bill;
    let mut tx = portico.db.begin_write().await?;
    let issued: Option<String> =
        sqlx::query_scalar("SELECT id FROM invoices WHERE customer_id = $1 AND month = $2 AND currency = $3")
            .bind(customer.as_str())
            .bind(bill.month.to_string())
            .bind(bill.currency.code())
            .fetch_optional(&mut **tx)
            .await?;
    if issued.is_some() {
        return Ok(());
    }
    let number: i64 = sqlx::query_scalar(
        "UPDATE resellers SET next_invoice_number = next_invoice_number + 1 WHERE id = $1 \
         RETURNING next_invoice_number - 1",
    )
    .bind(reseller.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let (bill_to, contact_email) = addressee(&mut tx, customer).await?;
    let id = new_id("ivc");
    sqlx::query(
        "INSERT INTO invoices (id, reseller_id, customer_id, month, currency, number, subtotal_minor, tax_minor, \
         credits_minor, total_minor, notes, bill_to, contact_email, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(bill.month.to_string())
    .bind(bill.currency.code())
    .bind(number)
    .bind(bill.subtotal.minor)
    .bind(bill.tax.minor)
    .bind(bill.credits.minor)
    .bind(bill.total.minor)
    .bind(bill.notes.join("\n"))
    .bind(bill_to)
    .bind(contact_email)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    for (position, line) in bill.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, position, kind, description, source, amount_minor) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(line.kind.as_str())
        .bind(&line.description)
        .bind(&line.source)
        .bind(line.amount.minor)
        .execute(&mut **tx)
        .await?;
    }
    for (credit, used) in &reckoned.credit_uses {
        sqlx::query("INSERT INTO credit_uses (credit_id, invoice_id, amount_minor) VALUES ($1, $2, $3)")
            .bind(credit.as_str())
            .bind(&id)
            .bind(used)
            .execute(&mut **tx)
            .await?;
    }
    jobs::enqueue(&mut tx, &Job::SendInvoice { invoice: portico_shared::ids::InvoiceId(id) }).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// Who the invoice is addressed to, as the customer's details read now, and the primary
/// contact's e-mail address.
async fn addressee(tx: &mut crate::db::WriteTx, customer: &CustomerId) -> Result<(String, String)> {
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
    );
    let (organization, contact, street, suite, city, state, zip, country, email): Row = sqlx::query_as(
        "SELECT organization, contact_name, street_address, suite, city, state, zip, country, contact_email \
         FROM customers WHERE id = $1",
    )
    .bind(customer.as_str())
    .fetch_one(&mut ***tx)
    .await?;
    let street = [street, suite].into_iter().flatten().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(", ");
    let town = [city, state, zip].into_iter().flatten().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ");
    let lines: Vec<String> = [organization, format!("Attn: {contact}"), street, town, country]
        .into_iter()
        .filter(|line| !line.is_empty())
        .collect();
    Ok((lines.join("\n"), email))
}
