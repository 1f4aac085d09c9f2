//! The Customers list over 100,000 customers of one reseller, on SQLite and on PostgreSQL.
//!
//! Budget (DESIGN.md): p95 ≤ 15 ms per list query on both backends. Seeds the data, then times
//! each kind of query the list makes (first page, status filter, each sort, a deep page, word
//! searches) through the same function the portal calls, against a `SELECT 1` round trip
//! measured in the same run. Prints figures; asserts nothing.
//! Run with `cargo bench -p portico-server --bench customer_search`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use portico_domain::customers::list;
use portico_domain::db::Db;
use portico_domain::resellers;
use portico_shared::customer::{CustomerQuery, CustomerSort, CustomerStatus};
use portico_shared::ids::ResellerId;

const CUSTOMERS: usize = 100_000;
const OTHER_RESELLER_CUSTOMERS: usize = 2_000;
const RUNS: usize = 60;

fn main() {
    tracing_subscriber::fmt().with_env_filter("error").init();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        support::on_each_backend(dir.path(), async |backend, db| measure(backend, &db).await).await;
    });
}

async fn measure(backend: &str, db: &Db) {
    let started = Instant::now();
    let reseller = resellers::create(db, "Bench Reseller", None).await.unwrap();
    let other = resellers::create(db, "Other Reseller", None).await.unwrap();
    support::customers::seed(db, &reseller, CUSTOMERS, 0).await;
    support::customers::seed(db, &other, OTHER_RESELLER_CUSTOMERS, CUSTOMERS).await;
    // Statistics, and on PostgreSQL the visibility map that index-only scans rely on: the state
    // autovacuum leaves a table in after bulk inserts, taken now rather than waited for.
    let settle = if backend == "PostgreSQL" { "VACUUM ANALYZE" } else { "ANALYZE" };
    sqlx::query(settle).execute(&db.pool).await.unwrap();
    println!(
        "{backend}: seeded {CUSTOMERS} customers (+{OTHER_RESELLER_CUSTOMERS} of another reseller) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let baseline = time(RUNS, || async {
        sqlx::query("SELECT 1").execute(&db.pool).await.unwrap();
    })
    .await;
    let deep_cursor = cursor_after_pages(db, &reseller, 20).await;
    let email: String = sqlx::query_scalar("SELECT contact_email FROM customers WHERE id = 'cus_bench00054321'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let cases: Vec<(&str, CustomerQuery)> = vec![
        ("first page, newest", CustomerQuery::default()),
        ("oldest first", CustomerQuery { sort: CustomerSort::Oldest, ..CustomerQuery::default() }),
        ("organization A-Z", CustomerQuery { sort: CustomerSort::Organization, ..CustomerQuery::default() }),
        ("page 21 (keyset)", CustomerQuery { after: Some(deep_cursor), ..CustomerQuery::default() }),
        (
            "status: pending",
            CustomerQuery { status: Some(CustomerStatus::PendingApproval), ..CustomerQuery::default() },
        ),
        ("search common word 'legal'", query("legal")),
        ("search 2-letter prefix 'ju'", query("ju")),
        ("search surname 'smith4217'", query("smith4217")),
        ("search whole e-mail", query(&email)),
        ("search two words 'acme dental'", query("acme dental")),
        (
            "search + status + sort",
            CustomerQuery {
                q: "harbor".into(),
                status: Some(CustomerStatus::Suspended),
                sort: CustomerSort::Organization,
                after: None,
            },
        ),
        ("search, no match", query("zzzz")),
    ];
    println!("{backend}: SELECT 1 round trip p50 {:.2} ms, p95 {:.2} ms", ms(baseline.0), ms(baseline.1));
    println!("{:<34} {:>9} {:>9} {:>6} {:>10}", "query (50 rows a page)", "p50 ms", "p95 ms", "rows", "p95/SELECT1");
    let mut all = Vec::new();
    for (label, query) in &cases {
        let rows = list::page(db, &reseller, query, CustomerQuery::PAGE_SIZE).await.unwrap().customers.len();
        let mut samples = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            list::page(db, &reseller, query, CustomerQuery::PAGE_SIZE).await.unwrap();
            samples.push(start.elapsed());
        }
        all.extend(samples.iter().copied());
        let (p50, p95) = percentiles(&mut samples);
        println!(
            "{label:<34} {:>9.2} {:>9.2} {rows:>6} {:>10.1}",
            ms(p50),
            ms(p95),
            p95.as_secs_f64() / baseline.1.as_secs_f64()
        );
    }
    let (p50, p95) = percentiles(&mut all);
    println!("{backend}: all list queries p50 {:.2} ms, p95 {:.2} ms (budget 15 ms)\n", ms(p50), ms(p95));
}

fn query(q: &str) -> CustomerQuery {
    CustomerQuery { q: q.into(), ..CustomerQuery::default() }
}

async fn cursor_after_pages(db: &Db, reseller: &ResellerId, pages: usize) -> String {
    let mut query = CustomerQuery::default();
    for _ in 0..pages {
        query.after = list::page(db, reseller, &query, CustomerQuery::PAGE_SIZE).await.unwrap().next;
    }
    query.after.unwrap()
}

async fn time<F, Fut>(runs: usize, f: F) -> (Duration, Duration)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    percentiles(&mut samples)
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    (at(0.50), at(0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
