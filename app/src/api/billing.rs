//! Server functions of billing: the Usage page (reports imported, uploading one; reseller admins
//! for their customers, platform admins for the whole platform) and a customer's Bills tab.

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use portico_shared::billing::{
    AutoClose, AutoCloseInput, BillPreview, BillingOverview, Invoice, InvoiceSummary, MonthClose, UnmatchedAccount,
    UsageImport,
};
use portico_shared::dates::Month;
use portico_shared::ids::UsageImportId;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::billing::{close, invoices, preview, usage};
#[cfg(feature = "ssr")]
use portico_domain::staff;

#[cfg(feature = "ssr")]
use super::on_server;
use super::PortalUser;
use crate::json::PortalJson;
use crate::PortalError;

/// Data of the Usage page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsagePageData {
    pub user: PortalUser,
    pub imports: Vec<UsageImport>,
}

#[server(prefix = "/portal", endpoint = "usage_page", output = PortalJson)]
pub async fn usage_page() -> Result<UsagePageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let admin = who.billing_admin()?;
    let imports = usage::list(&portico.db, &admin.scope).await?;
    Ok(UsagePageData { user, imports })
}

/// An import's **Unmatched rows**.
#[server(prefix = "/portal", endpoint = "usage_unmatched", output = PortalJson)]
pub async fn usage_unmatched(import: UsageImportId) -> Result<Vec<UnmatchedAccount>, PortalError> {
    let (portico, who) = on_server::request()?;
    let admin = who.billing_admin()?;
    Ok(usage::unmatched(&portico.db, &admin.scope, &import).await?)
}

/// Usage → **Upload**: the report file, streamed to disk as it arrives, then queued for import.
#[server(prefix = "/portal", endpoint = "upload_usage", input = MultipartFormData, output = PortalJson)]
pub async fn upload_usage(data: MultipartData) -> Result<UsageImportId, PortalError> {
    use portico_domain::Error;
    use portico_shared::api::{FieldError, Problem};
    use portico_shared::Field;

    let (portico, who) = on_server::request()?;
    let admin = who.billing_admin()?;
    let mut form = data.into_inner().ok_or(PortalError::Malformed)?;
    fn unreadable(error: impl std::fmt::Display) -> Error {
        Error::MalformedRequest(error.to_string())
    }
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        if field.name() != Some("report") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut upload = usage::Upload::start(&portico, &admin, &name).await?;
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            upload.write(&chunk).await?;
        }
        return Ok(upload.finish(&portico, &admin).await?);
    }
    Err(Error::Validation(vec![FieldError::new(Field::Report, Problem::Required)]).into())
}

/// A month named in an address (`YYYY-MM`); empty: `default`.
#[cfg(feature = "ssr")]
fn month_or(text: &str, default: Month) -> Result<Month, PortalError> {
    match text {
        "" => Ok(default),
        text => {
            Ok(Month::parse(text).map_err(|_| portico_domain::Error::MalformedRequest(format!("no month {text:?}")))?)
        }
    }
}

/// A customer's **Bills** tab for `month` (`YYYY-MM`; empty: this month).
#[server(prefix = "/portal", endpoint = "customer_bills", output = PortalJson)]
pub async fn customer_bills(customer: String, month: String) -> Result<BillPreview, PortalError> {
    let (portico, who) = on_server::request()?;
    let customer = portico_shared::ids::CustomerId::parse(&customer).map_err(|_| portico_domain::Error::NotFound)?;
    let month = month_or(&month, portico_domain::commerce::today().month())?;
    Ok(preview::preview(&portico.db, who.reseller_user()?, &customer, month).await?)
}

/// Data of the Billing page (reseller admins): the months closed, the next one to close, and
/// the invoices of the month shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingPageData {
    pub user: PortalUser,
    pub closes: Vec<MonthClose>,
    /// The month **Close month** would close: the one after the last closed, if it has ended.
    pub next_to_close: Option<Month>,
    pub month: Month,
    pub invoices: Vec<InvoiceSummary>,
    pub auto_close: AutoClose,
}

#[server(prefix = "/portal", endpoint = "billing_page", output = PortalJson)]
pub async fn billing_page(month: String) -> Result<BillingPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let admin = who.reseller_admin()?;
    let db = &portico.db;
    let closes = close::list(db, &admin.reseller_id).await?;
    let this_month = portico_domain::commerce::today().month();
    let last_closed = closes.first().map(|close| close.month);
    let next_to_close = match last_closed {
        Some(last) => Some(last.plus(1)),
        None => Some(this_month.minus(1)),
    }
    .filter(|month| *month < this_month);
    let month = month_or(&month, last_closed.unwrap_or(this_month.minus(1)))?;
    let invoices = invoices::list(db, &admin.reseller_id, month).await?;
    let auto_close = close::auto_close(db, &admin.reseller_id).await?;
    Ok(BillingPageData { user, closes, next_to_close, month, invoices, auto_close })
}

/// Billing → **Close month**: the month's invoices are issued (by a job) and it no longer
/// changes.
#[server(prefix = "/portal", endpoint = "close_month", output = PortalJson)]
pub async fn close_month(month: Month) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(close::request(&portico, &who.reseller_admin()?, month).await?)
}

/// Billing → **Close automatically**: the day of the next month on which each month closes by
/// itself, or off.
#[server(prefix = "/portal", endpoint = "save_auto_close", output = PortalJson)]
pub async fn save_auto_close(auto_close: AutoCloseInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let admin = who.reseller_admin()?;
    let setting = auto_close.validate().map_err(portico_domain::Error::Validation)?;
    Ok(close::set_auto_close(&portico, &admin, setting).await?)
}

/// Data of an invoice's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePageData {
    pub user: PortalUser,
    pub invoice: Invoice,
}

/// One of the reseller's invoices; `invoice` is the id in the page's address.
#[server(prefix = "/portal", endpoint = "invoice_page", output = PortalJson)]
pub async fn invoice_page(invoice: String) -> Result<InvoicePageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let id = portico_shared::ids::InvoiceId::parse(&invoice).map_err(|_| portico_domain::Error::NotFound)?;
    let user = staff::whoami(&portico, &who).await?;
    let invoice = invoices::get(&portico.db, &who.reseller_user()?.reseller_id, &id).await?;
    Ok(InvoicePageData { user, invoice })
}

/// Home's billing summary for a reseller's team; none for the platform's staff, or before a
/// month is closed.
#[server(prefix = "/portal", endpoint = "home_billing", output = PortalJson)]
pub async fn home_billing() -> Result<Option<BillingOverview>, PortalError> {
    let (portico, who) = on_server::request()?;
    who.member()?;
    match who.reseller_user() {
        Ok(user) => Ok(invoices::overview(&portico.db, &user.reseller_id).await?),
        Err(_) => Ok(None),
    }
}
