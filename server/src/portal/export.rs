//! Files the portal downloads: Customers → Export CSV (every customer the list shows for the same
//! search, status and order), and an invoice's PDF and CSV.

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use portico_shared::customer::{CustomerQuery, CustomerSummary};
use portico_shared::dates;
use std::collections::HashMap;

use portico_domain::billing::invoices;
use portico_domain::customers::list;
use portico_domain::spreadsheet::defused;
use portico_domain::Error;
use portico_shared::ids::InvoiceId;

use crate::caller::Caller;
use crate::error::Result;
use crate::AppState;

/// Rows read per query while exporting.
const BATCH: usize = 1000;

pub async fn customers_csv(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Query(params): Query<HashMap<String, String>>,
) -> Result<impl IntoResponse> {
    let user = principal.reseller_user()?;
    let mut query = CustomerQuery::from_params(|name| params.get(name).cloned());
    query.after = None;
    let mut csv = String::from("Organization,Name,Email,Status,Created (UTC),Email confirmed\r\n");
    loop {
        let page = list::page(&state.portico.db, &user.reseller_id, &query, BATCH).await?;
        for customer in &page.customers {
            csv += &row(customer);
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (CONTENT_DISPOSITION, "attachment; filename=\"customers.csv\""),
            (CACHE_CONTROL, "no-store"),
        ],
        csv,
    ))
}

/// An invoice's file, `/portal/invoices/<id>.pdf` or `.csv`: the caller's reseller's only.
pub async fn invoice_file(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(file): Path<String>,
) -> Result<impl IntoResponse> {
    let user = principal.reseller_user()?;
    let (id, extension) = file.rsplit_once('.').ok_or(Error::NotFound)?;
    let id = InvoiceId::parse(id).map_err(|_| Error::NotFound)?;
    let invoice = invoices::get(&state.portico.db, &user.reseller_id, &id).await?;
    let (content_type, body) = match extension {
        "pdf" => ("application/pdf", invoices::pdf(&invoice)),
        "csv" => ("text/csv; charset=utf-8", invoices::csv(&invoice)?),
        _ => return Err(Error::NotFound.into()),
    };
    let disposition = format!("attachment; filename=\"{}\"", invoices::file_name(&invoice, extension));
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    ))
}

fn row(customer: &CustomerSummary) -> String {
    let cells = [
        cell(&customer.organization),
        cell(&customer.contact_name),
        cell(&customer.contact_email),
        cell(customer.status.label()),
        cell(&dates::date(customer.created_at)),
        cell(if customer.email_verified { "yes" } else { "no" }),
    ];
    format!("{}\r\n", cells.join(","))
}

/// A quoted CSV cell, defused (`spreadsheet::defused`) so opening the export never runs anything.
fn cell(value: &str) -> String {
    format!("\"{}\"", defused(value).replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Acme, \"Inc\""), "\"Acme, \"\"Inc\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1+2"), "\"'-1+2\"");
        assert_eq!(cell("plain"), "\"plain\"");
    }
}
