//! The portal's time to interactive: the Customers list opened with an empty cache in headless
//! Chromium under Lighthouse's mobile throttling, until it is hydrated and a search is answered
//! (`end2end/bench/portal-tti.mjs`), with a reseller of 50 customers, then of 100,000.
//! Budget (issue "The portal: a first load a quarter of today's"): ≤ 2.0 s, target 1.2 s.
//! Serves the front end `cargo xtask build` left in `target/site`. Prints figures; asserts
//! nothing. Run with `cargo bench -p portico-server --features portico-app/ssr --bench portal_tti`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support {
    pub mod customers;
    // This benchmark signs in to the portal; it does not use the widget key.
    #[allow(dead_code)]
    pub mod server;
    #[allow(dead_code)]
    #[path = "../../tests/api/smtp.rs"]
    pub mod smtp;
}

use std::path::Path;

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

const EMAIL: &str = "admin@bench.test";
const PASSWORD: &str = "bench reseller passphrase";
/// The start of a few customers' contact names (Smith17, Smith170…): the search narrows the list
/// to them.
const SEARCH_FOR: &str = "Smith17";

fn main() {
    tracing_subscriber::fmt().with_env_filter("error").init();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let site = root.join("target/site");
    assert!(site.join("assets.json").exists(), "build the front end first: cargo xtask build");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        for customers in [50, 100_000] {
            let served = support::server::start(1, |config| config.site_dir = site.clone()).await;
            let db = &served.state.portico.db;
            let reseller: portico_shared::ids::ResellerId =
                sqlx::query_scalar("SELECT id FROM resellers LIMIT 1").fetch_one(&db.pool).await.unwrap();
            let email = EmailAddress::parse(EMAIL).unwrap();
            let hasher = &served.state.portico.hasher;
            resellers::add_user(db, hasher, &reseller, &email, "Bench Admin", Role::Admin, PASSWORD).await.unwrap();
            support::customers::seed(db, &reseller, customers, 0).await;
            let status = tokio::process::Command::new("node")
                .arg(root.join("end2end/bench/portal-tti.mjs"))
                .env("PORTAL_URL", &served.base)
                .env("PORTAL_EMAIL", EMAIL)
                .env("PORTAL_PASSWORD", PASSWORD)
                .env("SEARCH_FOR", SEARCH_FOR)
                .env("LABEL", format!("{customers} customers"))
                .current_dir(&root)
                .status()
                .await
                .unwrap();
            assert!(status.success(), "the browser benchmark failed");
        }
    });
}
