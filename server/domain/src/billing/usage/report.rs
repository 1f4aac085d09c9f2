//! Reading a usage report — AWS's legacy Cost and Usage Report or a FOCUS 1.0 export, plain CSV
//! or gzip — as a stream, row by row, summed per provider, account, month, service, category and
//! currency. Memory grows with those combinations, never with the rows. Costs are exact
//! decimals (CUR writes `1.81E-8`), summed exactly; the invoice rounds, not the import.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};

use portico_shared::billing::{ReportFormat, UsageCategory};
use portico_shared::dates::Month;
use portico_shared::money::Currency;
use rust_decimal::Decimal;

/// What a row is summed under.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The platform's provider id (`aws`, `azure`, `gcp`), or the report's name for one the
    /// platform does not know.
    pub provider: String,
    pub account: String,
    pub period: Month,
    pub service: String,
    pub category: UsageCategory,
    pub currency: Currency,
}

/// The rows of one key, added up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub rows: i64,
    /// What the customer pays for them: the public (list) price.
    pub customer_cost: Decimal,
    /// What the provider charges the reseller.
    pub seller_cost: Decimal,
}

/// A report, read whole.
#[derive(Debug)]
pub struct Summary {
    pub format: ReportFormat,
    pub rows: i64,
    pub sums: HashMap<Key, Sums>,
}

/// Why a report was refused: the line (1 is the header) and the reason, in words for the person
/// who uploaded it.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Line {}: {}.", self.line, self.reason)
    }
}

/// The columns a format is read by: the required ones first.
struct Columns {
    account: usize,
    kind: usize,
    seller_cost: usize,
    period: usize,
    customer_cost: Option<usize>,
    service: Option<usize>,
    service_fallback: Option<usize>,
    currency: Option<usize>,
    provider: Option<usize>,
}

const CUR_REQUIRED: [&str; 4] =
    ["lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UnblendedCost", "bill/BillingPeriodStartDate"];
const FOCUS_REQUIRED: [&str; 6] =
    ["SubAccountId", "ChargeCategory", "BilledCost", "BillingPeriodStart", "BillingCurrency", "ProviderName"];

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<(ReportFormat, Columns), Refused> {
        let find = |name: &str| header.iter().position(|column| column.trim() == name);
        let missing = |names: &[&str]| -> Option<String> {
            let absent: Vec<&str> = names.iter().copied().filter(|name| find(name).is_none()).collect();
            (!absent.is_empty()).then(|| absent.join(", "))
        };
        let refuse = |reason: String| Refused { line: 1, reason };
        if find("lineItem/UsageAccountId").is_some() {
            if let Some(absent) = missing(&CUR_REQUIRED) {
                return Err(refuse(format!("this Cost and Usage Report has no {absent} column")));
            }
            let [account, kind, seller_cost, period] = CUR_REQUIRED.map(|name| find(name).unwrap_or_default());
            return Ok((
                ReportFormat::Cur,
                Columns {
                    account,
                    kind,
                    seller_cost,
                    period,
                    customer_cost: find("pricing/publicOnDemandCost"),
                    service: find("product/ProductName"),
                    service_fallback: find("lineItem/ProductCode"),
                    currency: find("lineItem/CurrencyCode"),
                    provider: None,
                },
            ));
        }
        if find("BilledCost").is_some() {
            if let Some(absent) = missing(&FOCUS_REQUIRED) {
                return Err(refuse(format!("this FOCUS export has no {absent} column")));
            }
            let [account, kind, seller_cost, period, currency, provider] =
                FOCUS_REQUIRED.map(|name| find(name).unwrap_or_default());
            return Ok((
                ReportFormat::Focus,
                Columns {
                    account,
                    kind,
                    seller_cost,
                    period,
                    customer_cost: find("ListCost"),
                    service: find("ServiceName"),
                    service_fallback: find("ServiceCategory"),
                    currency: Some(currency),
                    provider: Some(provider),
                },
            ));
        }
        Err(refuse(
            "this is neither an AWS Cost and Usage Report (no lineItem/UsageAccountId column) nor a FOCUS 1.0 \
             export (no BilledCost column)"
                .into(),
        ))
    }
}

/// Reads a report from `input`, plain or gzip, counting the rows read into `rows_read` as it
/// goes (for a progress bar).
pub fn read(input: impl Read, rows_read: &AtomicI64) -> Result<Summary, Refused> {
    let mut buffered = BufReader::with_capacity(256 * 1024, input);
    let gzip = buffered.fill_buf().map(|start| start.starts_with(&[0x1f, 0x8b])).map_err(unreadable)?;
    if gzip {
        read_csv(BufReader::with_capacity(256 * 1024, flate2::read::MultiGzDecoder::new(buffered)), rows_read)
    } else {
        read_csv(buffered, rows_read)
    }
}

fn unreadable(error: std::io::Error) -> Refused {
    Refused { line: 0, reason: format!("the file could not be read: {error}") }
}

fn read_csv(input: impl Read, rows_read: &AtomicI64) -> Result<Summary, Refused> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = reader.headers().map_err(|e| csv_refusal(&e, 1))?.clone();
    let (format, columns) = Columns::of(&header)?;
    let mut sums: HashMap<Key, Sums> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut rows = 0_i64;
    loop {
        let line = rows as u64 + 2;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_refusal(&error, line)),
        }
        let (key, customer_cost, seller_cost) =
            row(format, &columns, &record).map_err(|reason| Refused { line, reason })?;
        let entry = sums.entry(key).or_default();
        entry.rows += 1;
        entry.customer_cost += customer_cost;
        entry.seller_cost += seller_cost;
        rows += 1;
        if rows % 4096 == 0 {
            rows_read.store(rows, Ordering::Relaxed);
        }
    }
    rows_read.store(rows, Ordering::Relaxed);
    if rows == 0 {
        return Err(Refused { line: 2, reason: "the report has a header but no rows".into() });
    }
    Ok(Summary { format, rows, sums })
}

fn csv_refusal(error: &csv::Error, line: u64) -> Refused {
    let reason = match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("the row has {len} columns where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not UTF-8 text".to_owned(),
        csv::ErrorKind::Io(io) => format!("the file could not be read: {io}"),
        _ => format!("not CSV: {error}"),
    };
    Refused { line: error.position().map_or(line, |p| p.line()), reason }
}

/// One row: its key and its two costs.
fn row(format: ReportFormat, columns: &Columns, record: &csv::StringRecord) -> Result<(Key, Decimal, Decimal), String> {
    let cell = |index: usize| record.get(index).map(str::trim).unwrap_or_default();
    let optional = |index: Option<usize>| index.map(cell).filter(|value| !value.is_empty());
    let names: &[&str] = match format {
        ReportFormat::Cur => &CUR_REQUIRED,
        ReportFormat::Focus => &FOCUS_REQUIRED,
    };
    let (account_column, kind_column, cost_column, period_column) = (names[0], names[1], names[2], names[3]);
    let account = cell(columns.account);
    if account.is_empty() {
        return Err(format!("{account_column} is empty"));
    }
    let kind = cell(columns.kind);
    let category = match format {
        ReportFormat::Cur => cur_category(kind),
        ReportFormat::Focus => UsageCategory::from_str(&kind.to_ascii_lowercase()).ok(),
    }
    .ok_or_else(|| format!("{kind_column} \"{kind}\" is not one Portico knows"))?;
    let seller_cost = exact(cell(columns.seller_cost))
        .ok_or_else(|| format!("{cost_column} \"{}\" is not a number", cell(columns.seller_cost)))?;
    let customer_cost = match optional(columns.customer_cost) {
        Some(text) => exact(text).ok_or_else(|| format!("the list cost \"{text}\" is not a number"))?,
        // Fees and taxes have no public price: the customer pays what the provider charged.
        None => seller_cost,
    };
    let period_text = cell(columns.period);
    let period = period_text
        .get(..7)
        .filter(|_| period_text.as_bytes().get(7).is_none_or(|b| *b == b'-'))
        .and_then(|month| Month::parse(month).ok())
        .ok_or_else(|| format!("{period_column} \"{period_text}\" is not a date"))?;
    let currency = match optional(columns.currency) {
        Some(code) => {
            Currency::parse(code).map_err(|_| format!("the currency \"{code}\" is not one Portico bills in"))?
        }
        None => Currency::USD,
    };
    let service = optional(columns.service).or_else(|| optional(columns.service_fallback)).unwrap_or("Other");
    let provider = match optional(columns.provider) {
        Some(name) => provider_id(name),
        None => "aws".to_owned(),
    };
    Ok((
        Key { provider, account: account.to_owned(), period, service: service.to_owned(), category, currency },
        customer_cost,
        seller_cost,
    ))
}

/// What a Cost and Usage Report's `lineItem/LineItemType` is.
fn cur_category(kind: &str) -> Option<UsageCategory> {
    Some(match kind {
        "Usage" | "DiscountedUsage" | "SavingsPlanCoveredUsage" => UsageCategory::Usage,
        "Fee" | "RIFee" | "SavingsPlanRecurringFee" | "SavingsPlanUpfrontFee" => UsageCategory::Purchase,
        "Tax" => UsageCategory::Tax,
        "Credit" => UsageCategory::Credit,
        "Refund"
        | "BundledDiscount"
        | "EdpDiscount"
        | "SavingsPlanNegation"
        | "PrivateRateDiscount"
        | "DistributorDiscount" => UsageCategory::Adjustment,
        _ => return None,
    })
}

/// The platform's id of a FOCUS `ProviderName`.
fn provider_id(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "aws" | "amazon web services" | "amazon" => "aws".into(),
        "microsoft" | "microsoft azure" | "azure" => "azure".into(),
        "google cloud" | "google" | "google cloud platform" | "gcp" => "gcp".into(),
        other => other.into(),
    }
}

/// An exact decimal as reports write them: `12.5`, `-0.0042`, `1.81E-8`.
pub fn exact(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let plain = text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if text.is_empty() || !plain {
        return None;
    }
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const CUR: &str = "\
identity/LineItemId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,product/ProductName,lineItem/UnblendedCost,pricing/publicOnDemandCost,lineItem/CurrencyCode
a1,2026-11-01T00:00:00Z,111122223333,Usage,AmazonEC2,Amazon Elastic Compute Cloud,10.50,12.00,USD
a2,2026-11-01T00:00:00Z,111122223333,Usage,AmazonEC2,Amazon Elastic Compute Cloud,1.81E-8,2E-8,USD
a3,2026-11-01T00:00:00Z,111122223333,Tax,AmazonEC2,Amazon Elastic Compute Cloud,0.84,,USD
a4,2026-11-01T00:00:00Z,444455556666,Fee,AWSSupportBusiness,AWS Support (Business),100,,USD
";

    fn read_text(text: &str) -> Result<Summary, Refused> {
        read(text.as_bytes(), &AtomicI64::new(0))
    }

    fn key(account: &str, service: &str, category: UsageCategory) -> Key {
        Key {
            provider: "aws".into(),
            account: account.into(),
            period: Month::parse("2026-11").unwrap(),
            service: service.into(),
            category,
            currency: Currency::USD,
        }
    }

    #[test]
    fn a_cost_and_usage_report_is_summed_exactly() {
        let summary = read_text(CUR).unwrap();
        assert_eq!(summary.format, ReportFormat::Cur);
        assert_eq!(summary.rows, 4);
        let ec2 = summary.sums[&key("111122223333", "Amazon Elastic Compute Cloud", UsageCategory::Usage)];
        assert_eq!(ec2.rows, 2);
        assert_eq!(ec2.seller_cost, Decimal::from_str("10.5000000181").unwrap());
        assert_eq!(ec2.customer_cost, Decimal::from_str("12.00000002").unwrap());
        let tax = summary.sums[&key("111122223333", "Amazon Elastic Compute Cloud", UsageCategory::Tax)];
        assert_eq!(tax.customer_cost, Decimal::from_str("0.84").unwrap());
        let fee = summary.sums[&key("444455556666", "AWS Support (Business)", UsageCategory::Purchase)];
        assert_eq!((fee.seller_cost, fee.customer_cost), (Decimal::from(100), Decimal::from(100)));
    }

    #[test]
    fn gzip_reads_the_same() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(CUR.as_bytes()).unwrap();
        let packed = encoder.finish().unwrap();
        let summary = read(packed.as_slice(), &AtomicI64::new(0)).unwrap();
        assert_eq!(summary.sums, read_text(CUR).unwrap().sums);
    }

    #[test]
    fn a_focus_export_maps_its_provider_and_categories() {
        let focus = "\
BillingAccountId,SubAccountId,ProviderName,ServiceName,ChargeCategory,BilledCost,EffectiveCost,ListCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd
b1,/subscriptions/0f1e,Microsoft,Virtual Machines,Usage,20.25,20.25,25.00,EUR,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z
b1,111122223333,AWS,Amazon S3,Purchase,5,5,,USD,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z
b1,111122223333,AWS,Amazon S3,Credit,-2.5,-2.5,,USD,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z
";
        let summary = read_text(focus).unwrap();
        assert_eq!(summary.format, ReportFormat::Focus);
        let azure = summary
            .sums
            .iter()
            .find(|(key, _)| key.provider == "azure")
            .map(|(key, sums)| (key.account.clone(), key.currency.code(), sums.customer_cost))
            .unwrap();
        assert_eq!(azure, ("/subscriptions/0f1e".into(), "EUR", Decimal::from(25)));
        assert!(summary.sums.keys().any(|key| key.category == UsageCategory::Credit && key.provider == "aws"));
    }

    #[test]
    fn a_malformed_report_is_refused_with_its_line() {
        let bad_cost = CUR.replace("10.50", "ten");
        assert_eq!(
            read_text(&bad_cost).unwrap_err(),
            Refused { line: 2, reason: "lineItem/UnblendedCost \"ten\" is not a number".into() }
        );
        let bad_type = CUR.replace(",Fee,", ",Mystery,");
        assert_eq!(read_text(&bad_type).unwrap_err().line, 5);
        let bad_date = CUR.replace("2026-11-01T00:00:00Z,444", "November,444");
        assert!(read_text(&bad_date).unwrap_err().reason.contains("is not a date"));
        let short_row = format!("{CUR}a5,2026-11-01T00:00:00Z,1\n");
        assert_eq!(read_text(&short_row).unwrap_err().line, 6);
        assert!(read_text("name,amount\nx,1\n").unwrap_err().reason.contains("neither"));
        assert!(read_text("lineItem/UsageAccountId,lineItem/LineItemType\n1,Usage\n")
            .unwrap_err()
            .reason
            .contains("no lineItem/UnblendedCost, bill/BillingPeriodStartDate column"));
        assert_eq!(read_text(CUR.lines().next().unwrap()).unwrap_err().line, 2);
        let bad_currency = CUR.replace(",USD\na4", ",XXX\na4");
        assert!(read_text(&bad_currency).unwrap_err().reason.contains("XXX"));
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(exact("1.81E-8"), Decimal::from_str("0.0000000181").ok());
        assert_eq!(exact("-0.0042"), Decimal::from_str("-0.0042").ok());
        assert_eq!(exact("12"), Some(Decimal::from(12)));
        assert_eq!(exact("1,2"), None);
        assert_eq!(exact("NaN"), None);
        assert_eq!(exact(""), None);
    }

    /// 100,000 report rows with cells of any content (written as CSV, so quotes and commas are
    /// the file's own): never a panic; a row that is read has an account, a month and exact costs.
    #[test]
    fn fuzz_report_cells() {
        use portico_shared::fuzzing;
        use proptest::prelude::*;
        let noise: &'static [&'static str] = &[
            "111122223333",
            "Usage",
            "Fee",
            "Tax",
            "Credit",
            "2026-11-01T00:00:00Z",
            "2026-13-01",
            "10.50",
            "1.81E-8",
            "1E28",
            "1E-30",
            "-0",
            "NaN",
            "USD",
            "EUR",
            "XXX",
            ",",
            "\"",
            "=SUM(A1)",
            "",
        ];
        // Each column mostly gets a value of its own kind, so that whole rows are read as well as
        // refused; any cell may be noise instead.
        let column = |own: &'static [&'static str]| {
            prop_oneof![
                3 => proptest::sample::select(own).prop_map(str::to_owned),
                1 => fuzzing::text(noise, 4),
            ]
        };
        let cells = (
            column(&["a1", ""]),
            column(&["2026-11-01T00:00:00Z", "2026-11", "2026-02-30", "11/01/2026"]),
            column(&["111122223333", "444455556666", " 111122223333 "]),
            column(&["Usage", "DiscountedUsage", "Fee", "Tax", "Credit", "Refund", "usage"]),
            column(&["AmazonEC2", ""]),
            column(&["Amazon Elastic Compute Cloud", "", "Ünïcode, \"quoted\""]),
            column(&["10.50", "1.81E-8", "-3", "0", "79228162514264337593543950335", "1e400", "1,000.00"]),
            column(&["12.00", "", "2E-8", "-0.0"]),
            column(&["USD", "EUR", "JPY", "", "usd"]),
        )
            .prop_map(|(a, b, c, d, e, f, g, h, i)| vec![a, b, c, d, e, f, g, h, i]);
        let header = CUR.lines().next().unwrap_or_default().to_owned();
        fuzzing::run("usage report cells", cells, |cells| {
            let mut file = csv::Writer::from_writer(Vec::new());
            file.write_record(header.split(',')).map_err(|e| TestCaseError::fail(e.to_string()))?;
            file.write_record(&cells).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let bytes = file.into_inner().map_err(|e| TestCaseError::fail(e.to_string()))?;
            // The CSV reader itself, without `read`'s 256 KB buffer per file.
            let Ok(summary) = read_csv(bytes.as_slice(), &AtomicI64::new(0)) else { return Ok(false) };
            prop_assert_eq!(summary.rows, 1);
            for key in summary.sums.keys() {
                prop_assert!(!key.account.is_empty());
            }
            Ok(true)
        });
    }
}
