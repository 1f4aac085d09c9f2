//! Portico's domain: the database and everything Portico knows and does — resellers and their
//! teams, customers, cloud accounts and their links, test drives, the widget's accounts, jobs,
//! notifications and the audit log. No HTTP framework and no UI here: the server's handlers and
//! the portal's server functions call these modules directly, with the [`Portico`] handle and the
//! [`principal::Principal`] of the request.
//!
//! Layers, lowest first; a module imports only from layers below its own:
//! 1. `db`, `error`, `config`, `tokens`, `mail`: storage and plumbing;
//! 2. `jobs` (the queue, jobs as plain data), `audit`, `throttle`, `idempotency`, `passwords`,
//!    `principal`, `notifications`, `email_tokens`, `emails`;
//! 3. the features: `sessions`, `staff`, `resellers`, `customers`, `cloud`, `test_drives`,
//!    `widget`, `signup_options`, and `commerce` (a customer's charges, taxes, credits and
//!    subscriptions), which builds on `customers`;
//! 4. `worker`, which runs each job by the feature it belongs to, and `janitor`.

pub mod audit;
pub mod billing;
pub mod cloud;
pub mod commerce;
pub mod config;
pub mod customers;
pub mod db;
pub mod demo;
mod demo_billing;
pub mod email_tokens;
pub mod emails;
pub mod error;
pub mod idempotency;
pub mod janitor;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod passwords;
pub mod principal;
pub mod resellers;
pub mod sessions;
pub mod signup_options;
pub mod spreadsheet;
pub mod staff;
pub mod test_drives;
pub mod throttle;
pub mod tokens;
pub mod widget;
pub mod worker;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;

pub use error::{Error, Result};

use crate::cloud::gateway::CloudGateway;
use crate::config::Settings;
use crate::db::Db;
use crate::passwords::Hasher;

/// What a domain function may need besides its arguments: the database, the password hasher,
/// the cloud gateway, the job worker's wake-up and the settings. Cheap to clone; one per process.
#[derive(Clone)]
pub struct Portico {
    pub db: Db,
    pub hasher: Hasher,
    pub cloud: Arc<dyn CloudGateway>,
    pub jobs: jobs::Wake,
    pub settings: Arc<Settings>,
    session_lookups: Arc<AtomicU64>,
}

impl Portico {
    pub fn new(db: Db, hasher: Hasher, cloud: Arc<dyn CloudGateway>, settings: Settings) -> Portico {
        Portico {
            db,
            hasher,
            cloud,
            jobs: jobs::Wake::default(),
            settings: Arc::new(settings),
            session_lookups: Arc::default(),
        }
    }

    /// How many sessions this process has looked up: a request resolves its session once, so
    /// tests compare this with the requests they sent.
    pub fn session_lookups(&self) -> u64 {
        self.session_lookups.load(Ordering::Relaxed)
    }

    fn count_session_lookup(&self) {
        self.session_lookups.fetch_add(1, Ordering::Relaxed);
    }
}

/// Connects to `database_url` (or the SQLite file in `data_dir`), brings the schema up to date,
/// and indexes for search the customers stored before the index existed.
pub async fn open_database(database_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Db> {
    let db = Db::connect(database_url, data_dir).await?;
    let indexed = customers::search::index_missing(&db).await.context("indexing customers for search")?;
    if indexed > 0 {
        tracing::info!(indexed, "customers indexed for search");
    }
    Ok(db)
}
