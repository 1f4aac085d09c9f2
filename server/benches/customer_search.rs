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

use portico_domain::customers::{list, search};
use portico_domain::db::Db;
use portico_domain::resellers;
use portico_shared::customer::{CustomerQuery, CustomerSort, CustomerStatus};
use portico_shared::details::DetailsInput;
use portico_shared::ids::ResellerId;

const CUSTOMERS: usize = 100_000;
const OTHER_RESELLER_CUSTOMERS: usize = 2_000;
const BATCH: usize = 400;
const RUNS: usize = 60;

const ADJECTIVES: [&str; 24] = [
    "Acme", "Blue", "Bright", "Cedar", "Delta", "Eagle", "First", "Global", "Granite", "Harbor", "Iron", "Juniper",
    "Keystone", "Lakeside", "Maple", "North", "Oak", "Pioneer", "Quantum", "River", "Summit", "Union", "Valley",
    "West",
];
const NOUNS: [&str; 20] = [
    "Legal",
    "Dental",
    "Logistics",
    "Foods",
    "Robotics",
    "Capital",
    "Health",
    "Motors",
    "Media",
    "Energy",
    "Labs",
    "Analytics",
    "Builders",
    "Design",
    "Farms",
    "Freight",
    "Insurance",
    "Clinic",
    "Software",
    "Textiles",
];
const SUFFIXES: [&str; 6] = ["Inc", "LLC", "Ltd", "Group", "Partners", "Co"];
const FIRST: [&str; 30] = [
    "John", "Mary", "Ana", "Wei", "Priya", "Omar", "Lena", "Carlos", "Yuki", "Fatima", "Noah", "Emma", "Liam",
    "Olivia", "Mateo", "Sofia", "Ivan", "Chloe", "Amir", "Grace", "Diego", "Hana", "Tom", "Zoe", "Ravi", "Elif", "Sam",
    "Nia", "Luca", "Maya",
];

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
    seed(db, &reseller, CUSTOMERS, 0).await;
    seed(db, &other, OTHER_RESELLER_CUSTOMERS, CUSTOMERS).await;
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

/// Deterministic customers: organizations from word lists, distinct e-mails, mostly active.
async fn seed(db: &Db, reseller: &ResellerId, count: usize, offset: usize) {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ offset as u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for start in (0..count).step_by(BATCH) {
        let mut tx = db.begin_write().await.unwrap();
        let mut customer_rows = Vec::new();
        let mut term_rows = Vec::new();
        for i in start..(start + BATCH).min(count) {
            let n = i + offset;
            let r = next() as usize;
            let (adjective, noun, suffix) = (ADJECTIVES[r % 24], NOUNS[(r / 24) % 20], SUFFIXES[(r / 480) % 6]);
            let first = FIRST[(r / 2880) % 30];
            let status = match (r / 86_400) % 100 {
                0..=4 => "pending_approval",
                5..=7 => "suspended",
                8..=9 => "rejected",
                _ => "active",
            };
            let details = DetailsInput {
                company_name: format!("{adjective} {noun} {suffix}"),
                contact_name: format!("{first} Smith{n}"),
                email: format!(
                    "{}.smith{n}@{}-{}.test",
                    first.to_lowercase(),
                    adjective.to_lowercase(),
                    noun.to_lowercase()
                ),
                phone: "555-555-5555".into(),
                country: "US".into(),
                ..DetailsInput::default()
            }
            .validate(false)
            .unwrap();
            let id = format!("cus_bench{n:08}");
            let created_at = 1_700_000_000_000_i64 + i64::try_from(n).unwrap() * 60_000;
            for term in search::terms(&details) {
                term_rows.push((id.clone(), term, created_at, details.organization_key(), status));
            }
            customer_rows.push((id, details, status, created_at));
        }
        let placeholders: Vec<String> = (0..customer_rows.len())
            .map(|i| {
                let b = i * 9;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, 'US', ${}, 'portal', 1, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 9
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO customers (id, reseller_id, organization, organization_key, contact_name, contact_email, \
             contact_phone, country, status, source, version, created_at, updated_at) VALUES {}",
            placeholders.join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for (id, details, status, created_at) in &customer_rows {
            insert = insert
                .bind(id.as_str())
                .bind(reseller.as_str())
                .bind(details.organization.as_str())
                .bind(details.organization_key())
                .bind(details.contact_name.as_str())
                .bind(details.email.as_str())
                .bind(details.phone.as_str())
                .bind(*status)
                .bind(*created_at);
        }
        insert.execute(&mut **tx).await.unwrap();
        for chunk in term_rows.chunks(1000) {
            let placeholders: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let n = 6 * i;
                    format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6)
                })
                .collect();
            let sql = format!(
                "INSERT INTO customer_search_terms (reseller_id, term, customer_id, created_at, organization_key, \
                 status) VALUES {}",
                placeholders.join(", ")
            );
            let mut insert = sqlx::query(&sql);
            for (id, term, created_at, key, status) in chunk {
                insert = insert
                    .bind(reseller.as_str())
                    .bind(term.as_str())
                    .bind(id.as_str())
                    .bind(*created_at)
                    .bind(key.as_str())
                    .bind(*status);
            }
            insert.execute(&mut **tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
}
