//! The database: SQLite in the data directory by default, PostgreSQL when the URL says so. Both
//! go through sqlx's `Any` driver with portable SQL (`$n` placeholders, text ids, integer
//! milliseconds), so every query is written once; only the migrations differ per backend.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A migrated connection pool and the backend behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time. Write transactions of this process queue here, in
    /// order, instead of polling SQLite's lock: under a burst, polling lets some writers wait
    /// out the busy timeout while others overtake them.
    write_turn: Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction, holding this process's turn to write on SQLite until it ends.
/// Dereferences to the transaction.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::Transaction<'static, sqlx::Any>;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Db {
    /// Connects to `database_url`, or to `portico.db` in `data_dir` when there is none, and
    /// brings the schema up to date.
    pub async fn connect(database_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let (url, backend) = match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                (url.to_owned(), Backend::Postgres)
            }
            Some(url) if url.starts_with("sqlite:") => (url.to_owned(), Backend::Sqlite),
            Some(other) => {
                anyhow::bail!("DATABASE_URL must start with postgres:// or sqlite: (got {other:?})")
            }
            None => {
                std::fs::create_dir_all(data_dir)
                    .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
                let file = data_dir.join("portico.db");
                (format!("sqlite://{}?mode=rwc", file.display()), Backend::Sqlite)
            }
        };
        let options = AnyConnectOptions::from_str(&url).context("reading the database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed during a write; the busy timeout makes a
                        // writer wait for another instead of failing at once.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to the {backend:?} database"))?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.context("migrating the database")?;
        Ok(Db { pool, backend, write_turn: Arc::default() })
    }
}

impl Db {
    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could otherwise fail
    /// with "database is locked" when another writer committed in between, instead of waiting
    /// for its turn.
    /// What a `SELECT` inside a write transaction ends with to lock the rows it reads until the
    /// transaction ends: `FOR UPDATE` on PostgreSQL, so a concurrent transaction that changed them
    /// is waited for and its change seen; nothing on SQLite, whose write transactions already run
    /// one at a time.
    pub fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.write_turn.clone().lock_owned().await;
                Ok(WriteTx { tx: self.pool.begin_with("BEGIN IMMEDIATE").await?, _turn: Some(turn) })
            }
            Backend::Postgres => Ok(WriteTx { tx: self.pool.begin().await?, _turn: None }),
        }
    }
}

/// Milliseconds since the Unix epoch: the one timestamp format in the database.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A new random, time-ordered id with a readable prefix (`cus_…`, `res_…`).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}
