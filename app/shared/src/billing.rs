//! Billing: the cloud usage imported from the providers' reports, and the bill it makes with a
//! customer's commercial settings. The server reckons bills (`portico_domain::billing`); these
//! are the shapes the portal shows.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::dates::Month;
use crate::ids::{CustomerId, InvoiceId, UsageImportId};
use crate::money::{Currency, Money};
use crate::Field;

/// What a row of a usage report is, in FOCUS's words (`ChargeCategory`); a Cost and Usage
/// Report's line item types map onto them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumString,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UsageCategory {
    /// Metered use of a service.
    Usage,
    /// A fee or an up-front purchase (reservations, savings plans, marketplace).
    Purchase,
    /// The provider's tax on what it charged the reseller.
    Tax,
    /// The provider's credit to the reseller.
    Credit,
    /// Refunds, discounts and corrections between the provider and the reseller.
    Adjustment,
}

impl UsageCategory {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the customer's bill carries it. Usage and purchases are the customer's; the
    /// provider's tax, credits and adjustments are between the provider and the reseller — the
    /// customer's bill has the reseller's own taxes and credits instead.
    pub fn billed(self) -> bool {
        matches!(self, UsageCategory::Usage | UsageCategory::Purchase)
    }
}

/// The format of a usage report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReportFormat {
    /// AWS Cost and Usage Report, legacy CSV (`lineItem/UnblendedCost`, …).
    Cur,
    /// FOCUS 1.0 CSV (`BilledCost`, `ListCost`, …): AWS, Azure and Google Cloud export it.
    Focus,
}

impl ReportFormat {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Cur => "AWS Cost and Usage Report",
            ReportFormat::Focus => "FOCUS 1.0",
        }
    }
}

/// Where an import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ImportStatus {
    /// Waiting for a worker.
    Queued,
    /// Being read.
    Importing,
    /// Read, and its usage replaced what was there for its accounts and months.
    Done,
    /// Refused (a malformed file): nothing changed.
    Failed,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportStatus::Queued => "Waiting",
            ImportStatus::Importing => "Importing",
            ImportStatus::Done => "Imported",
            ImportStatus::Failed => "Failed",
        }
    }

    /// Whether it is still under way.
    pub fn busy(self) -> bool {
        matches!(self, ImportStatus::Queued | ImportStatus::Importing)
    }
}

/// One import, as the Usage page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageImport {
    pub id: UsageImportId,
    pub file_name: String,
    pub format: Option<ReportFormat>,
    /// "Upload" or "Drop folder".
    pub source: String,
    pub status: ImportStatus,
    pub bytes_total: i64,
    pub bytes_done: i64,
    pub rows_read: i64,
    pub rows_matched: i64,
    pub rows_unmatched: i64,
    /// The months the file covers, "2026-10, 2026-11".
    pub periods: String,
    /// Why it failed: the line and the reason.
    pub error: Option<String>,
    pub by: String,
    pub at: i64,
}

impl UsageImport {
    /// How far the read has come, in whole percent of the file.
    pub fn percent_done(&self) -> i64 {
        match self.status {
            ImportStatus::Done => 100,
            _ if self.bytes_total <= 0 => 0,
            _ => (self.bytes_done.clamp(0, self.bytes_total) * 100) / self.bytes_total,
        }
    }
}

/// Rows of an import that no linked cloud account claims, grouped by account and month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedAccount {
    pub provider: String,
    pub account: String,
    pub period: Month,
    pub rows: i64,
    /// The provider's cost of those rows, exact, in `currency`'s major units ("12.3400000181").
    pub cost: String,
    pub currency: String,
    pub reason: String,
}

/// What a line of a bill is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LineKind {
    Usage,
    Charge,
    Discount,
    Subscription,
    Tax,
    Credit,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            LineKind::Usage => "Usage",
            LineKind::Charge => "Charge",
            LineKind::Discount => "Discount",
            LineKind::Subscription => "Subscription",
            LineKind::Tax => "Tax",
            LineKind::Credit => "Credit",
        }
    }
}

/// One line of a bill: what it is, where it came from, and its amount, rounded once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillLine {
    pub kind: LineKind,
    /// As printed on the invoice.
    pub description: String,
    /// Where it came from: the import, the rule, the subscription's days, the rate, the grant.
    pub source: String,
    pub amount: Money,
}

/// A customer's bill for a month in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    pub month: Month,
    pub currency: Currency,
    pub lines: Vec<BillLine>,
    /// Usage, charges, discounts and subscriptions.
    pub subtotal: Money,
    pub tax: Money,
    /// The credits the bill draws on (a positive amount, taken off).
    pub credits: Money,
    /// What the customer pays: never below zero.
    pub total: Money,
    /// What the bill says besides its lines: an exemption, a reverse charge, a limited discount.
    pub notes: Vec<String>,
}

/// A month a reseller closed, or is closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthClose {
    pub month: Month,
    /// False while its invoices are being issued.
    pub closed: bool,
    pub by: String,
    /// How many customers were billed, and how many invoices issued (once closed).
    pub customers: i64,
    pub invoices: i64,
    pub at: i64,
    pub finished_at: Option<i64>,
}

/// The reseller's Home: what the last closed month billed, and to whom most.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub month: Month,
    /// In the currency most of the month's invoices are in.
    pub total: Money,
    pub invoices: i64,
    /// The customers billed most, most first: (customer, organization, total).
    pub top: Vec<(CustomerId, String, Money)>,
}

/// An issued invoice, as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    /// Numbered per reseller, without gaps.
    pub number: i64,
    pub customer: CustomerId,
    pub organization: String,
    pub month: Month,
    pub total: Money,
    pub issued_at: i64,
}

/// An issued invoice, whole: what was billed, as it was reckoned when the month closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub summary: InvoiceSummary,
    /// The reseller who issued it.
    pub seller: String,
    /// The customer's name and address, as they were.
    pub bill_to: String,
    pub contact_email: String,
    pub bill: Bill,
}

impl Invoice {
    /// "INV-000042".
    pub fn reference(&self) -> String {
        invoice_reference(self.summary.number)
    }
}

/// How an invoice number is printed: "INV-000042".
pub fn invoice_reference(number: i64) -> String {
    format!("INV-{number:06}")
}

/// The Bills tab: the customer's bills for a month, as they stand now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPreview {
    pub month: Month,
    /// One per currency with a line; none: nothing to bill.
    pub bills: Vec<Bill>,
    /// The usage rows of the month the bills were reckoned from.
    pub usage_rows: i64,
    /// The months that have usage, newest first, for the month picker.
    pub months_with_usage: Vec<Month>,
    /// Whether the month is closed: then `bills` are its invoices, which no longer change.
    pub closed: bool,
    pub invoices: Vec<InvoiceSummary>,
    /// The last 12 months to this one: usage at customer cost and what was billed (issued
    /// invoices, or the preview for open months), in the bills' first currency.
    pub history: Vec<MonthTotals>,
}

/// One month of a customer's chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotals {
    pub month: Month,
    pub usage: Money,
    pub billed: Money,
}

/// Whether a file is a usage report by its name: CSV, plain or gzip (a provider's manifests and
/// other files beside the reports are not).
pub fn is_report_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".csv") || lower.ends_with(".csv.gz") || lower.ends_with(".gz")
}

/// The last day of the month after a month's end on which that month may close by itself: every
/// month has it.
pub const LAST_CLOSE_DAY: u8 = 28;

/// Billing → **Close automatically**: the day of the next month on which each month closes by
/// itself, once the provider's data for it is final (AWS finalizes a month's charges in the
/// first days of the next); `None` (the default): months close only by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoClose {
    pub day: Option<u8>,
}

/// The **Close automatically** form, as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoCloseInput {
    pub close_day: String,
}

impl AutoCloseInput {
    pub fn validate(&self) -> Result<AutoClose, Vec<FieldError>> {
        AutoClose::parse(&self.close_day).map_err(|refused| vec![refused])
    }
}

impl AutoClose {
    /// The form's value: empty or `off` for none, else a day from 1 to [`LAST_CLOSE_DAY`].
    pub fn parse(text: &str) -> Result<AutoClose, FieldError> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("off") {
            return Ok(AutoClose { day: None });
        }
        match text.parse::<u8>() {
            Ok(day) if (1..=LAST_CLOSE_DAY).contains(&day) => Ok(AutoClose { day: Some(day) }),
            _ => Err(FieldError::new(Field::CloseDay, Problem::InvalidFormat)),
        }
    }

    /// In words, as the log and the page say it.
    pub fn label(self) -> String {
        match self.day {
            None => "Off: months close only by hand".to_owned(),
            Some(day) => format!("On day {day} of the next month"),
        }
    }

    /// The form's value: `off` or the day.
    pub fn form_value(self) -> String {
        self.day.map_or_else(|| "off".to_owned(), |day| day.to_string())
    }

    /// The form's choices, (value, label): off, then each day.
    pub fn choices() -> Vec<(String, String)> {
        std::iter::once(("off".to_owned(), "Off — I close each month myself".to_owned()))
            .chain((1..=LAST_CLOSE_DAY).map(|day| (day.to_string(), format!("On day {day} of the next month"))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_day_is_off_or_one_to_twenty_eight() {
        assert_eq!(AutoClose::parse(" off ").unwrap().day, None);
        assert_eq!(AutoClose::parse("").unwrap().day, None);
        assert_eq!(AutoClose::parse("1").unwrap().day, Some(1));
        assert_eq!(AutoClose::parse("28").unwrap().day, Some(28));
        for bad in ["0", "29", "31", "-1", "5th", "2.5", "256"] {
            let refused = AutoClose::parse(bad).unwrap_err();
            assert_eq!((refused.field, refused.code), (Field::CloseDay, Problem::InvalidFormat), "{bad}");
        }
    }

    #[test]
    fn only_usage_and_purchases_are_billed() {
        let billed: Vec<_> = UsageCategory::VARIANTS.iter().filter(|c| c.billed()).collect();
        assert_eq!(billed, [&UsageCategory::Usage, &UsageCategory::Purchase]);
    }
}
