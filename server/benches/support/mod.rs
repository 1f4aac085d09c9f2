//! What the benchmarks share: a run on SQLite, then on a fresh PostgreSQL database.

#[allow(dead_code)]
pub mod customers;

use std::path::Path;

use portico_domain::db::Db;
use sqlx::Connection;

/// Runs `measure` on an SQLite database in `dir`, then on a PostgreSQL database created for the
/// run (on `PORTICO_TEST_POSTGRES`, or the local server) and dropped after; PostgreSQL is
/// skipped, saying so, when no server answers.
#[allow(dead_code)]
pub async fn on_each_backend(dir: &Path, mut measure: impl AsyncFnMut(&str, Db)) {
    let sqlite = Db::connect(None, dir).await.unwrap();
    measure("SQLite", sqlite).await;
    if let Some(database) = FreshPostgres::create().await {
        let postgres = Db::connect(Some(&database.url), dir).await.unwrap();
        measure("PostgreSQL", postgres.clone()).await;
        postgres.pool.close().await;
        database.drop().await;
    }
}

/// A PostgreSQL database created for one run (on `PORTICO_TEST_POSTGRES`, or the local server).
pub struct FreshPostgres {
    pub url: String,
    admin: sqlx::PgConnection,
    name: String,
}

impl FreshPostgres {
    /// `None`, saying so, when no server answers.
    pub async fn create() -> Option<FreshPostgres> {
        let admin_url = std::env::var("PORTICO_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(connection) => connection,
            Err(e) => {
                println!("PostgreSQL at {admin_url} unreachable ({e}); skipped");
                return None;
            }
        };
        let name = format!("portico_bench_{}", std::process::id());
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        Some(FreshPostgres { url: format!("{base}/{name}"), admin, name })
    }

    /// Drops the database, closing what is still connected to it.
    pub async fn drop(mut self) {
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name)).execute(&mut self.admin).await.unwrap();
    }
}
