//! Billing at scale, on SQLite and on PostgreSQL: importing a 1,000,000-row Cost and Usage
//! Report, a bill preview for a customer with 100,000 usage rows, and closing a month for 1,000
//! customers.
//!
//! Budgets (DESIGN.md, issue "Billing"): import ≤ 60 s and ≤ 200 MB resident; preview p95 ≤
//! 200 ms; close ≤ 60 s. Each is timed through the functions the job worker and the portal
//! call, beside a baseline measured in the same run (reading the same file with the CSV reader
//! alone; a `SELECT 1` round trip; the same bills reckoned without writing them). Prints figures;
//! asserts nothing. Run with `cargo bench -p portico-server --bench billing`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use portico_domain::billing::{bill, close, preview, usage};
use portico_domain::cloud::simulated::SimulatedCloud;
use portico_domain::commerce::today;
use portico_domain::config::{LinkConfig, Settings};
use portico_domain::db::Db;
use portico_domain::passwords::Hasher;
use portico_domain::principal::{Principal, ResellerUser};
use portico_domain::{resellers, Portico};
use portico_shared::dates::Month;
use portico_shared::ids::{CustomerId, ResellerUserId, UsageImportId};
use portico_shared::staff::StaffRole;

const CUSTOMERS: usize = 1_000;
const ROWS: usize = 1_000_000;
/// The rows of the one large customer the preview is timed for.
const BIG_CUSTOMER_ROWS: usize = 100_000;
const SERVICES: [&str; 25] = [
    "Amazon Elastic Compute Cloud",
    "Amazon Simple Storage Service",
    "Amazon RDS Service",
    "AWS Lambda",
    "Amazon CloudFront",
    "Amazon DynamoDB",
    "Amazon Elastic Container Service",
    "Amazon Elastic Kubernetes Service",
    "Amazon Simple Queue Service",
    "Amazon Simple Notification Service",
    "Amazon Route 53",
    "AWS Key Management Service",
    "Amazon CloudWatch",
    "AWS Glue",
    "Amazon Athena",
    "Amazon Redshift",
    "Amazon ElastiCache",
    "Amazon OpenSearch Service",
    "AWS Backup",
    "Amazon Elastic File System",
    "AWS WAF",
    "Amazon API Gateway",
    "AWS Step Functions",
    "Amazon Kinesis",
    "AWS Support (Business)",
];
const PREVIEW_RUNS: usize = 60;

fn main() {
    tracing_subscriber::fmt().with_env_filter("error").init();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let month = today().month().minus(1);
        let report = dir.path().join("cur.csv");
        let started = Instant::now();
        write_report(&report, month);
        let size = std::fs::metadata(&report).unwrap().len();
        println!(
            "report: {ROWS} rows, {:.1} MB, written in {:.1} s",
            size as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        support::on_each_backend(&dir.path().join("db"), async |backend, db| {
            measure(backend, db, &report, month, dir.path()).await
        })
        .await;
    });
}

fn account(n: usize) -> String {
    format!("{:012}", 300_000_000_000 + n)
}

/// 1,000,000 rows: 100,000 for customer 0, the rest spread over the other 999; every cost has
/// ten decimals, as CUR writes them, some in scientific notation.
fn write_report(path: &Path, month: Month) {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    out.write_all(
        b"identity/LineItemId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,\
lineItem/ProductCode,product/ProductName,lineItem/UnblendedCost,pricing/publicOnDemandCost,lineItem/CurrencyCode\n",
    )
    .unwrap();
    let per_other = (ROWS - BIG_CUSTOMER_ROWS) / (CUSTOMERS - 1);
    let mut written = 0;
    for customer in 0..CUSTOMERS {
        let rows = if customer == 0 { BIG_CUSTOMER_ROWS } else { per_other };
        let rows = if customer == CUSTOMERS - 1 { ROWS - written } else { rows };
        let account = account(customer);
        for row in 0..rows {
            let service = SERVICES[row % SERVICES.len()];
            let cents = 1 + (row * 7919 + customer * 104_729) % 100_000;
            let (cost, list) = if row % 97 == 0 {
                ("1.81E-8".to_owned(), "2.2E-8".to_owned())
            } else {
                (
                    format!("{}.{:02}00000181", cents / 100, cents % 100),
                    format!("{}.{:02}", cents * 5 / 400, cents % 100),
                )
            };
            writeln!(out, "r{customer}-{row},{month}-01T00:00:00Z,{account},Usage,X,{service},{cost},{list},USD")
                .unwrap();
        }
        written += rows;
    }
    out.flush().unwrap();
}

/// The largest resident set since the last reset (`/proc/self/status` VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak resident set to the current one (Linux: `echo 5 > /proc/self/clear_refs`).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn measure(backend: &str, db: Db, report: &Path, month: Month, dir: &Path) {
    let hasher = Hasher::new(1).await.unwrap();
    let cloud = Arc::new(SimulatedCloud { db: db.clone(), handshake_lifetime_ms: 1, creation_ms: 1, launch_ms: 1 });
    let settings = Settings {
        public_origin: "http://localhost".into(),
        https: false,
        links: LinkConfig { poll_ms: 60_000, reminder_lead_ms: 0, origin: "http://localhost".into() },
        signup_min_fill_ms: 0,
        staff_two_step_required: true,
        form_key: portico_domain::widget::form_token::FormKey::random(),
        signups_per_ip_per_hour: 1,
        aws_account_id: "111122223333".into(),
        role_template_url: None,
        usage_dir: dir.join(format!("usage-{backend}")),
        usage_drop_dir: dir.join("no-drop"),
    };
    let portico = Portico::new(db.clone(), hasher, cloud, settings);
    let reseller = resellers::create(&db, "Bench reseller", None).await.unwrap();
    let user = ResellerUser {
        user_id: ResellerUserId("rsu_bench".into()),
        reseller_id: reseller.clone(),
        name: "Bench".into(),
        email: "bench@reseller.test".into(),
        role: StaffRole::Admin,
        reseller_name: "Bench reseller".into(),
    };
    let principal = Principal::Reseller(user.clone());
    let started = Instant::now();
    let mut customers: Vec<CustomerId> = Vec::with_capacity(CUSTOMERS);
    for n in 0..CUSTOMERS {
        let details = portico_shared::details::DetailsInput {
            company_name: format!("Customer {n:04}"),
            contact_name: "Casey Contact".into(),
            email: format!("casey{n}@customer.test"),
            phone: "555-555-0100".into(),
            country: "US".into(),
            ..Default::default()
        };
        let customer = portico_domain::customers::add(&portico, &user, &details).await.unwrap();
        sqlx::query(
            "INSERT INTO cloud_accounts (id, reseller_id, customer_id, provider_id, created_at, account_number, \
             root_email, external_id, link_state) VALUES ($1, $2, $3, 'aws', 1, $4, 'root@x.test', 'ext', 'linked')",
        )
        .bind(format!("cla_bench_{n}"))
        .bind(reseller.as_str())
        .bind(customer.as_str())
        .bind(account(n))
        .execute(&db.pool)
        .await
        .unwrap();
        customers.push(customer);
    }
    println!(
        "{backend}: {CUSTOMERS} customers with linked accounts seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Baseline: the same file through the CSV reader alone.
    let started = Instant::now();
    let mut reader = csv::Reader::from_path(report).unwrap();
    let mut record = csv::StringRecord::new();
    let mut read = 0;
    while reader.read_record(&mut record).unwrap() {
        read += 1;
    }
    let baseline = started.elapsed();

    // The import: the upload streamed to disk, then the job that reads and applies it.
    let admin = principal.billing_admin().unwrap();
    let started = Instant::now();
    let mut upload = usage::Upload::start(&portico, &admin, "cur.csv").await.unwrap();
    let mut file = tokio::fs::File::open(report).await.unwrap();
    let mut chunk = vec![0; 1 << 20];
    loop {
        let n = tokio::io::AsyncReadExt::read(&mut file, &mut chunk).await.unwrap();
        if n == 0 {
            break;
        }
        upload.write(&chunk[..n]).await.unwrap();
    }
    let id: UsageImportId = upload.finish(&portico, &admin).await.unwrap();
    let stored = started.elapsed();
    reset_peak_rss();
    let before = peak_rss_mb();
    let started = Instant::now();
    usage::run(&portico, &id).await.unwrap();
    let imported = started.elapsed();
    let peak = peak_rss_mb();
    let (status, matched): (String, i64) =
        sqlx::query_as("SELECT status, rows_matched FROM usage_imports WHERE id = $1")
            .bind(id.as_str())
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_lines").fetch_one(&db.pool).await.unwrap();
    println!(
        "{backend}: import of {read} rows: {:.1} s ({status}, {matched} matched, {lines} usage lines); upload stored in \
         {:.1} s; the CSV reader alone {:.1} s (import = {:.2}× the bare read); peak resident {:.0} MB (was {:.0} MB \
         before; budget 60 s, 200 MB)",
        imported.as_secs_f64(),
        stored.as_secs_f64(),
        baseline.as_secs_f64(),
        imported.as_secs_f64() / baseline.as_secs_f64(),
        peak,
        before,
    );

    // The preview of the customer with 100,000 rows, against a SELECT 1 round trip.
    let big = &customers[0];
    let mut times = Vec::with_capacity(PREVIEW_RUNS);
    let mut round_trips = Vec::with_capacity(PREVIEW_RUNS);
    let mut rows = 0;
    for _ in 0..PREVIEW_RUNS {
        let started = Instant::now();
        let shown = preview::preview(&db, &user, big, month).await.unwrap();
        times.push(started.elapsed());
        rows = shown.usage_rows;
        let started = Instant::now();
        sqlx::query("SELECT 1").execute(&db.pool).await.unwrap();
        round_trips.push(started.elapsed());
    }
    times.sort();
    round_trips.sort();
    println!(
        "{backend}: bill preview of a customer with {rows} usage rows: p50 {:.1} ms, p95 {:.1} ms (SELECT 1: p50 {:.2} \
         ms; budget p95 200 ms)",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&round_trips, 0.5),
    );

    // Closing the month: every customer's invoice, against reckoning the same bills unwritten.
    let started = Instant::now();
    let mut bills = 0;
    for customer in &customers {
        let inputs = preview::inputs(&db, &reseller, customer, month).await.unwrap();
        bills += bill::reckon(month, &inputs).len();
    }
    let reckoned = started.elapsed();
    let admin = principal.reseller_admin().unwrap();
    close::request(&portico, &admin, month).await.unwrap();
    let started = Instant::now();
    close::run(&portico, &reseller, month).await.unwrap();
    let closed = started.elapsed();
    let invoices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invoices").fetch_one(&db.pool).await.unwrap();
    let numbers: (i64, i64) =
        sqlx::query_as("SELECT MIN(number), MAX(number) FROM invoices").fetch_one(&db.pool).await.unwrap();
    println!(
        "{backend}: closing a month for {CUSTOMERS} customers: {:.1} s, {invoices} invoices numbered {}–{} ({bills} bills \
         reckoned without writing in {:.1} s: close = {:.2}×; budget 60 s)",
        closed.as_secs_f64(),
        numbers.0,
        numbers.1,
        reckoned.as_secs_f64(),
        closed.as_secs_f64() / reckoned.as_secs_f64(),
    );
}
