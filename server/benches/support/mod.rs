//! What the benchmarks share: a run on SQLite, then on a fresh PostgreSQL database.

use std::path::Path;

use portico_domain::db::Db;
use sqlx::Connection;

/// Runs `measure` on an SQLite database in `dir`, then on a PostgreSQL database created for the
/// run (on `PORTICO_TEST_POSTGRES`, or the local server) and dropped after; PostgreSQL is
/// skipped, saying so, when no server answers.
pub async fn on_each_backend(dir: &Path, mut measure: impl AsyncFnMut(&str, Db)) {
    let sqlite = Db::connect(None, dir).await.unwrap();
    measure("SQLite", sqlite).await;
    let admin = std::env::var("PORTICO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    match sqlx::PgConnection::connect(&admin).await {
        Ok(mut conn) => {
            let name = format!("portico_bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
            let postgres = Db::connect(Some(&format!("{base}/{name}")), dir).await.unwrap();
            measure("PostgreSQL", postgres.clone()).await;
            postgres.pool.close().await;
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut conn).await.unwrap();
        }
        Err(e) => println!("PostgreSQL at {admin} unreachable ({e}); skipped"),
    }
}
