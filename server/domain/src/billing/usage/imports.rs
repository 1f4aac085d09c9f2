//! Imports of usage reports: storing an uploaded report, the job that reads it, and what the
//! Usage page lists.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use portico_shared::api::{FieldError, Problem};
use portico_shared::billing::{ImportStatus, ReportFormat, UnmatchedAccount, UsageImport};
use portico_shared::dates::Month;
use portico_shared::ids::{ResellerId, UsageImportId};
use portico_shared::Field;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use tokio::io::AsyncWriteExt;

use super::{apply, report};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::idempotency::hex;
use crate::jobs::{self, Job};
use crate::principal::{BillingAdmin, Scope};
use crate::Portico;

/// The largest report taken: a month of a large organization's hourly CUR, compressed, is far
/// below it.
const MAX_BYTES: i64 = 4 * 1024 * 1024 * 1024;
/// How often an import under way writes how far it has come.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// The reseller whose accounts an import of `scope` matches; none: every reseller's.
fn reseller_of(scope: &Scope) -> Option<&ResellerId> {
    match scope {
        Scope::Reseller(reseller) => Some(reseller),
        Scope::Platform => None,
    }
}

/// A report being uploaded: written to a file beside the imports as it arrives, and queued for
/// import when it is whole. Dropped before [`Upload::finish`], its file goes with it.
pub struct Upload {
    id: UsageImportId,
    file_name: String,
    partial: PathBuf,
    file: tokio::fs::File,
    digest: Sha256,
    bytes: i64,
    done: bool,
}

impl Upload {
    /// Starts an upload of `file_name` (only its last path segment is kept); `admin` says who
    /// may upload.
    pub async fn start(portico: &Portico, _admin: &BillingAdmin, file_name: &str) -> Result<Upload> {
        let file_name = Path::new(file_name.trim())
            .file_name()
            .and_then(|name| name.to_str())
            .map(|name| name.chars().take(200).collect::<String>())
            .filter(|name| !name.is_empty())
            .ok_or_else(|| Error::Validation(vec![FieldError::new(Field::Report, Problem::Required)]))?;
        let dir = &portico.settings.usage_dir;
        tokio::fs::create_dir_all(dir).await.map_err(anyhow::Error::from)?;
        let id = UsageImportId(new_id("usi"));
        let partial = dir.join(format!("{id}.part"));
        let file = tokio::fs::File::create(&partial).await.map_err(anyhow::Error::from)?;
        Ok(Upload { id, file_name, partial, file, digest: Sha256::new(), bytes: 0, done: false })
    }

    /// Adds the next piece of the file.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.bytes += i64::try_from(chunk.len()).unwrap_or(i64::MAX);
        if self.bytes > MAX_BYTES {
            return Err(Error::Validation(vec![FieldError::new(Field::Report, Problem::TooLong)]));
        }
        self.digest.update(chunk);
        self.file.write_all(chunk).await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// The file is whole: it is queued for import by `admin`, whose scope the import matches.
    pub async fn finish(mut self, portico: &Portico, admin: &BillingAdmin) -> Result<UsageImportId> {
        if self.bytes == 0 {
            return Err(Error::Validation(vec![FieldError::new(Field::Report, Problem::Required)]));
        }
        self.file.flush().await.map_err(anyhow::Error::from)?;
        self.file.sync_all().await.map_err(anyhow::Error::from)?;
        let stored = portico.settings.usage_dir.join(self.id.as_str());
        tokio::fs::rename(&self.partial, &stored).await.map_err(anyhow::Error::from)?;
        self.done = true;
        let digest = hex(&std::mem::take(&mut self.digest).finalize());
        let queued = Queued {
            id: &self.id,
            reseller: reseller_of(&admin.scope),
            source: "upload",
            drop_key: None,
            file_name: &self.file_name,
            stored: &stored,
            sha256: &digest,
            bytes: self.bytes,
            by: &admin.actor.label,
        };
        match queue(portico, &queued).await {
            Ok(()) => Ok(self.id.clone()),
            Err(error) => {
                let _ = tokio::fs::remove_file(&stored).await;
                Err(error)
            }
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// An import to queue.
pub(super) struct Queued<'a> {
    pub id: &'a UsageImportId,
    pub reseller: Option<&'a ResellerId>,
    pub source: &'static str,
    pub drop_key: Option<&'a str>,
    pub file_name: &'a str,
    pub stored: &'a Path,
    pub sha256: &'a str,
    pub bytes: i64,
    pub by: &'a str,
}

/// Writes the import and its job in one transaction. A dropped file already queued (by this
/// server or another) is a unique violation of its `drop_key`.
pub(super) async fn queue(portico: &Portico, queued: &Queued<'_>) -> Result<()> {
    let mut tx = portico.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO usage_imports (id, reseller_id, source, drop_key, file_name, stored_path, sha256, status, \
         bytes_total, actor_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10)",
    )
    .bind(queued.id.as_str())
    .bind(queued.reseller.map(ResellerId::as_str))
    .bind(queued.source)
    .bind(queued.drop_key)
    .bind(queued.file_name)
    .bind(queued.stored.to_string_lossy().into_owned())
    .bind(queued.sha256)
    .bind(queued.bytes)
    .bind(queued.by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    jobs::enqueue(&mut tx, &Job::ImportUsage { import: queued.id.clone() }).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// The job: reads the import's file and applies it, or records why it was refused. An import
/// already finished is left as it is, so a job run twice does no harm.
pub async fn run(portico: &Portico, id: &UsageImportId) -> Result<()> {
    let db = &portico.db;
    let row: Option<(Option<ResellerId>, String, String)> =
        sqlx::query_as("SELECT reseller_id, stored_path, status FROM usage_imports WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&db.pool)
            .await?;
    let Some((reseller, stored, status)) = row else { return Ok(()) };
    if status == ImportStatus::Done.as_str() || status == ImportStatus::Failed.as_str() {
        return Ok(());
    }
    sqlx::query("UPDATE usage_imports SET status = 'importing', bytes_done = 0, rows_read = 0 WHERE id = $1")
        .bind(id.as_str())
        .execute(&db.pool)
        .await?;
    let progress = Arc::new(Progress::default());
    let reading = tokio::task::spawn_blocking({
        let progress = progress.clone();
        move || -> std::result::Result<report::Summary, report::Refused> {
            let file = std::fs::File::open(&stored)
                .map_err(|e| report::Refused { line: 0, reason: format!("the stored report is gone: {e}") })?;
            report::read(Counted { inner: file, bytes: &progress.bytes }, &progress.rows)
        }
    });
    tokio::pin!(reading);
    let read = loop {
        tokio::select! {
            done = &mut reading => break done.map_err(anyhow::Error::from)?,
            () = tokio::time::sleep(PROGRESS_EVERY) => progress.record(db, id).await?,
        }
    };
    match read {
        Ok(summary) => {
            let mut tx = db.begin_write().await?;
            let (matched, unmatched) = apply::apply(&mut tx, id, reseller.as_ref(), &summary).await?;
            tx.commit().await?;
            tracing::info!(import = %id, rows = summary.rows, matched, unmatched, "usage imported");
        }
        Err(refused) => {
            tracing::info!(import = %id, %refused, "usage report refused");
            sqlx::query("UPDATE usage_imports SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3")
                .bind(refused.to_string())
                .bind(now_ms())
                .bind(id.as_str())
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(())
}

/// How far a read has come, shared between the reading thread and the job.
#[derive(Default)]
struct Progress {
    bytes: AtomicI64,
    rows: AtomicI64,
}

impl Progress {
    async fn record(&self, db: &Db, id: &UsageImportId) -> Result<()> {
        sqlx::query("UPDATE usage_imports SET bytes_done = $1, rows_read = $2 WHERE id = $3 AND status = 'importing'")
            .bind(self.bytes.load(Ordering::Relaxed))
            .bind(self.rows.load(Ordering::Relaxed))
            .bind(id.as_str())
            .execute(&db.pool)
            .await?;
        Ok(())
    }
}

/// A reader that counts the bytes read through it.
struct Counted<'a, R> {
    inner: R,
    bytes: &'a AtomicI64,
}

impl<R: std::io::Read> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.bytes.fetch_add(i64::try_from(read).unwrap_or(0), Ordering::Relaxed);
        Ok(read)
    }
}

const COLUMNS: &str =
    "id, file_name, format, source, drop_key, status, bytes_total, bytes_done, rows_read, rows_matched, \
     rows_unmatched, periods, error, actor_label, created_at";

/// The imports `scope` sees, newest first: a reseller's own, or the platform's.
pub async fn list(db: &Db, scope: &Scope) -> Result<Vec<UsageImport>> {
    let owner = if reseller_of(scope).is_some() { "reseller_id = $1" } else { "reseller_id IS NULL" };
    let query = format!("SELECT {COLUMNS} FROM usage_imports WHERE {owner} ORDER BY created_at DESC, id DESC LIMIT 50");
    let mut select = sqlx::query(&query);
    if let Some(reseller) = reseller_of(scope) {
        select = select.bind(reseller.as_str());
    }
    select.fetch_all(&db.pool).await?.iter().map(import).collect()
}

/// Where an import came from, as the Usage page names it: delivered reports (source `drop`) are
/// told apart by their key, an S3 export's being its location.
fn source_label(source: &str, drop_key: Option<&str>) -> &'static str {
    match (source, drop_key) {
        ("drop", Some(key)) if key.starts_with("s3://") => "AWS export (S3)",
        ("drop", _) => "Drop folder",
        _ => "Upload",
    }
}

fn import(row: &AnyRow) -> Result<UsageImport> {
    let id: UsageImportId = row.try_get("id")?;
    let corrupt = |what: &str| Error::Internal(anyhow::anyhow!("usage import {id} has a malformed {what}"));
    let format = match row.try_get::<Option<String>, _>("format")? {
        Some(format) => Some(format.parse::<ReportFormat>().map_err(|_| corrupt("format"))?),
        None => None,
    };
    let source: String = row.try_get("source")?;
    Ok(UsageImport {
        file_name: row.try_get("file_name")?,
        format,
        source: source_label(&source, row.try_get::<Option<String>, _>("drop_key")?.as_deref()).into(),
        status: row.try_get::<String, _>("status")?.parse::<ImportStatus>().map_err(|_| corrupt("status"))?,
        bytes_total: row.try_get("bytes_total")?,
        bytes_done: row.try_get("bytes_done")?,
        rows_read: row.try_get("rows_read")?,
        rows_matched: row.try_get("rows_matched")?,
        rows_unmatched: row.try_get("rows_unmatched")?,
        periods: row.try_get("periods")?,
        error: row.try_get("error")?,
        by: row.try_get("actor_label")?,
        at: row.try_get("created_at")?,
        id,
    })
}

/// What rows of one of `scope`'s imports no linked account claimed; not found when the import
/// is not `scope`'s.
pub async fn unmatched(db: &Db, scope: &Scope, id: &UsageImportId) -> Result<Vec<UnmatchedAccount>> {
    let owner: Option<(Option<ResellerId>,)> = sqlx::query_as("SELECT reseller_id FROM usage_imports WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&db.pool)
        .await?;
    match owner {
        Some((owner,)) if owner.as_ref() == reseller_of(scope) => {}
        _ => return Err(Error::NotFound),
    }
    let rows: Vec<(String, String, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT provider, account, period, currency, row_count, seller_cost, reason FROM usage_unmatched \
         WHERE import_id = $1 ORDER BY period, provider, account, currency",
    )
    .bind(id.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(provider, account, period, currency, rows, cost, reason)| {
            let period = Month::parse(&period)
                .map_err(|_| Error::Internal(anyhow::anyhow!("usage import {id} has a malformed month")))?;
            Ok(UnmatchedAccount { provider, account, period, rows, cost, currency, reason })
        })
        .collect()
}
