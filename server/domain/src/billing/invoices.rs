//! Issued invoices: read back as they were written, as a page, a CSV and a PDF, and e-mailed.

use std::collections::BTreeMap;
use std::str::FromStr;

use portico_shared::billing::{invoice_reference, Bill, BillLine, BillingOverview, Invoice, InvoiceSummary, LineKind};
use portico_shared::dates::Month;
use portico_shared::ids::{CustomerId, InvoiceId, ResellerId};
use portico_shared::money::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::pdf;
use crate::commerce::closed_through;
use crate::db::Db;
use crate::emails;
use crate::error::{Error, Result};
use crate::mail::OutgoingMail;
use crate::spreadsheet::defused;

const SUMMARY: &str = "SELECT i.id, i.number, i.customer_id, c.organization, i.month, i.currency, i.total_minor, \
     i.issued_at, i.subtotal_minor, i.tax_minor, i.credits_minor, i.notes, i.bill_to, i.contact_email, \
     r.name AS seller FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN resellers r ON r.id = i.reseller_id";

fn corrupt(id: &str) -> Error {
    Error::Internal(anyhow::anyhow!("invoice {id} is malformed"))
}

fn summary(row: &AnyRow) -> Result<InvoiceSummary> {
    let id: InvoiceId = row.try_get("id")?;
    let currency = Currency::parse(&row.try_get::<String, _>("currency")?).map_err(|_| corrupt(id.as_str()))?;
    Ok(InvoiceSummary {
        number: row.try_get("number")?,
        customer: row.try_get("customer_id")?,
        organization: row.try_get("organization")?,
        month: Month::parse(&row.try_get::<String, _>("month")?).map_err(|_| corrupt(id.as_str()))?,
        total: Money::new(row.try_get("total_minor")?, currency),
        issued_at: row.try_get("issued_at")?,
        id,
    })
}

async fn whole(db: &Db, row: &AnyRow) -> Result<Invoice> {
    let summary = summary(row)?;
    let currency = summary.total.currency;
    let lines: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT kind, description, source, amount_minor FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
    )
    .bind(summary.id.as_str())
    .fetch_all(&db.pool)
    .await?;
    let lines = lines
        .into_iter()
        .map(|(kind, description, source, amount)| {
            let kind = LineKind::from_str(&kind).map_err(|_| corrupt(summary.id.as_str()))?;
            Ok(BillLine { kind, description, source, amount: Money::new(amount, currency) })
        })
        .collect::<Result<Vec<_>>>()?;
    let money = |column: &str| -> Result<Money> { Ok(Money::new(row.try_get(column)?, currency)) };
    let notes: String = row.try_get("notes")?;
    let bill = Bill {
        month: summary.month,
        currency,
        lines,
        subtotal: money("subtotal_minor")?,
        tax: money("tax_minor")?,
        credits: money("credits_minor")?,
        total: summary.total,
        notes: notes.lines().map(str::to_owned).filter(|note| !note.is_empty()).collect(),
    };
    Ok(Invoice {
        seller: row.try_get("seller")?,
        bill_to: row.try_get("bill_to")?,
        contact_email: row.try_get("contact_email")?,
        summary,
        bill,
    })
}

/// One of the reseller's invoices; not found when it is another's.
pub async fn get(db: &Db, reseller: &ResellerId, id: &InvoiceId) -> Result<Invoice> {
    let row = sqlx::query(&format!("{SUMMARY} WHERE i.id = $1 AND i.reseller_id = $2"))
        .bind(id.as_str())
        .bind(reseller.as_str())
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    whole(db, &row).await
}

/// A customer's invoices for a month, one per currency.
pub async fn of_month(db: &Db, reseller: &ResellerId, customer: &CustomerId, month: Month) -> Result<Vec<Invoice>> {
    let rows = sqlx::query(&format!(
        "{SUMMARY} WHERE i.reseller_id = $1 AND i.customer_id = $2 AND i.month = $3 ORDER BY i.number"
    ))
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(month.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut invoices = Vec::with_capacity(rows.len());
    for row in &rows {
        invoices.push(whole(db, row).await?);
    }
    Ok(invoices)
}

/// A customer's invoiced totals in `currency`, by month, from `first` to `last`.
pub async fn totals_by_month(
    db: &Db,
    reseller: &ResellerId,
    customer: &CustomerId,
    first: Month,
    last: Month,
    currency: Currency,
) -> Result<BTreeMap<Month, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT month, CAST(SUM(total_minor) AS BIGINT) FROM invoices WHERE reseller_id = $1 AND customer_id = $2 \
         AND currency = $3 AND month >= $4 AND month <= $5 GROUP BY month",
    )
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(currency.code())
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(|(month, total)| Some((Month::parse(&month).ok()?, total))).collect())
}

/// The reseller's invoices of a month, by number.
pub async fn list(db: &Db, reseller: &ResellerId, month: Month) -> Result<Vec<InvoiceSummary>> {
    let rows = sqlx::query(&format!("{SUMMARY} WHERE i.reseller_id = $1 AND i.month = $2 ORDER BY i.number"))
        .bind(reseller.as_str())
        .bind(month.to_string())
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(summary).collect()
}

/// How many customers the Home chart shows.
const TOP_CUSTOMERS: usize = 5;

/// What the reseller's last closed month billed, in its main currency, and its top customers;
/// none before a month is closed.
pub async fn overview(db: &Db, reseller: &ResellerId) -> Result<Option<BillingOverview>> {
    let Some(month) = closed_through(db, reseller).await? else { return Ok(None) };
    let rows = sqlx::query(&format!("{SUMMARY} WHERE i.reseller_id = $1 AND i.month = $2 ORDER BY i.number"))
        .bind(reseller.as_str())
        .bind(month.to_string())
        .fetch_all(&db.pool)
        .await?;
    let invoices = rows.iter().map(summary).collect::<Result<Vec<_>>>()?;
    let mut counts: Vec<(Currency, usize)> = Vec::new();
    for invoice in &invoices {
        match counts.iter_mut().find(|(currency, _)| *currency == invoice.total.currency) {
            Some((_, count)) => *count += 1,
            None => counts.push((invoice.total.currency, 1)),
        }
    }
    let currency = counts.iter().max_by_key(|(_, count)| *count).map_or(Currency::USD, |(currency, _)| *currency);
    let mut main: Vec<&InvoiceSummary> = invoices.iter().filter(|invoice| invoice.total.currency == currency).collect();
    let total = Money::new(main.iter().map(|invoice| invoice.total.minor).sum(), currency);
    main.sort_by_key(|invoice| std::cmp::Reverse(invoice.total.minor));
    let top = main
        .iter()
        .take(TOP_CUSTOMERS)
        .map(|invoice| (invoice.customer.clone(), invoice.organization.clone(), invoice.total))
        .collect();
    Ok(Some(BillingOverview { month, total, invoices: i64::try_from(main.len()).unwrap_or(0), top }))
}

/// The invoice as CSV: a row per line, then the totals; amounts in major units with the
/// currency's digits.
pub fn csv(invoice: &Invoice) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let bill = &invoice.bill;
    let amount = |money: Money| money.to_input();
    let write = |writer: &mut csv::Writer<Vec<u8>>, record: &[&str]| writer.write_record(record);
    let reference = invoice.reference();
    let month = bill.month.to_string();
    let failed = |e: csv::Error| Error::Internal(e.into());
    write(&mut writer, &["invoice", "month", "line", "description", "source", "amount", "currency"]).map_err(failed)?;
    for line in &bill.lines {
        let (description, source) = (defused(&line.description), defused(&line.source));
        let row =
            [&reference, &month, line.kind.as_str(), &description, &source, &amount(line.amount), bill.currency.code()];
        write(&mut writer, &row).map_err(failed)?;
    }
    for (label, total) in
        [("subtotal", bill.subtotal), ("tax", bill.tax), ("credits", bill.credits), ("total", bill.total)]
    {
        let row = [reference.as_str(), &month, label, "", "", &amount(total), bill.currency.code()];
        write(&mut writer, &row).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| Error::Internal(anyhow::anyhow!("writing the CSV: {e}")))
}

/// The invoice as a PDF.
pub fn pdf(invoice: &Invoice) -> Vec<u8> {
    pdf::render(invoice)
}

/// The invoice's file names: `INV-000042.pdf`, `INV-000042.csv`.
pub fn file_name(invoice: &Invoice, extension: &str) -> String {
    format!("{}.{extension}", invoice.reference())
}

/// The e-mail to the customer's primary contact, and its PDF.
pub async fn email(db: &Db, id: &InvoiceId) -> Result<(OutgoingMail, String, Vec<u8>)> {
    let reseller: ResellerId = sqlx::query_scalar("SELECT reseller_id FROM invoices WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    let invoice = get(db, &reseller, id).await?;
    let mail = emails::invoice(
        &invoice.contact_email,
        &invoice.seller,
        &invoice_reference(invoice.summary.number),
        &invoice.summary.month.label(),
        &invoice.summary.total.format(),
    );
    Ok((mail, file_name(&invoice, "pdf"), pdf::render(&invoice)))
}
