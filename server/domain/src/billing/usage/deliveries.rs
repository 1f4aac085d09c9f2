//! Reports the provider delivers, imported for the whole platform without anyone uploading them:
//! files in the drop folder (where the simulated cloud's exports arrive, and any file an operator
//! puts there) and, with the AWS gateway, the Cost and Usage Report or FOCUS export AWS writes to
//! an S3 bucket. Each new file is copied beside the uploads and imported once: it is known by a
//! key (drop folder: name, size and modification time; S3: location, size and ETag) that a unique
//! index keeps to one import, so one server of several queues it.

use std::path::Path;
use std::time::{Duration, SystemTime};

use portico_shared::billing::is_report_name;
use portico_shared::ids::UsageImportId;
use sha2::{Digest, Sha256};

use super::imports::{queue, Queued};
use crate::cloud::gateway::Export;
use crate::db::new_id;
use crate::error::{is_unique_violation, Error, Result};
use crate::idempotency::hex;
use crate::Portico;

/// A file modified more recently than this may still be being written.
const SETTLED: Duration = Duration::from_secs(3);

/// Where a delivered report comes from.
enum Source<'a> {
    Dropped(&'a Path),
    Exported(&'a Export),
}

/// Queues the import of every settled report in the drop folder not queued before; how many.
pub async fn pick_up_dropped(portico: &Portico) -> Result<usize> {
    let mut entries = match tokio::fs::read_dir(&portico.settings.usage_drop_dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    let mut queued = 0;
    while let Some(entry) = entries.next_entry().await.map_err(anyhow::Error::from)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let metadata = entry.metadata().await.map_err(anyhow::Error::from)?;
        let modified = metadata.modified().map_err(anyhow::Error::from)?;
        let settled = SystemTime::now().duration_since(modified).is_ok_and(|age| age >= SETTLED);
        if !metadata.is_file() || name.starts_with('.') || !is_report_name(&name) || !settled {
            continue;
        }
        let modified_ms = modified.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let key = format!("{name}:{}:{modified_ms}", metadata.len());
        if take(portico, Source::Dropped(&entry.path()), &name, &key).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues the import of every export the cloud delivered (S3, with the AWS gateway) not queued
/// before; how many.
pub async fn pick_up_exports(portico: &Portico) -> Result<usize> {
    let mut queued = 0;
    for export in portico.cloud.billing_exports().await? {
        let key = format!("{}:{}:{}", export.location, export.bytes, export.version);
        if take(portico, Source::Exported(&export), &export.name, &key).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Copies one delivered report and queues it; false when it was queued before (by this server
/// or another).
async fn take(portico: &Portico, source: Source<'_>, name: &str, key: &str) -> Result<bool> {
    let known: Option<(String,)> = sqlx::query_as("SELECT id FROM usage_imports WHERE drop_key = $1")
        .bind(key)
        .fetch_optional(&portico.db.pool)
        .await?;
    if known.is_some() {
        return Ok(false);
    }
    let dir = &portico.settings.usage_dir;
    tokio::fs::create_dir_all(dir).await.map_err(anyhow::Error::from)?;
    let id = UsageImportId(new_id("usi"));
    let stored = dir.join(id.as_str());
    let copied = match source {
        Source::Dropped(path) => tokio::fs::copy(path, &stored).await.map_err(|e| anyhow::Error::from(e).into()),
        Source::Exported(export) => portico.cloud.fetch_export(export, &stored).await,
    };
    let bytes = match copied {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = tokio::fs::remove_file(&stored).await;
            return Err(e);
        }
    };
    let digest = {
        let stored = stored.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<String> {
            let mut digest = Sha256::new();
            std::io::copy(&mut std::fs::File::open(stored)?, &mut digest)?;
            Ok(hex(&digest.finalize()))
        })
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?
    };
    let by = match source {
        Source::Dropped(_) => "Drop folder",
        Source::Exported(_) => "AWS export (S3)",
    };
    let queued = Queued {
        id: &id,
        reseller: None,
        source: "drop",
        drop_key: Some(key),
        file_name: name,
        stored: &stored,
        sha256: &digest,
        bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
        by,
    };
    match queue(portico, &queued).await {
        Ok(()) => Ok(true),
        Err(Error::Database(e)) if is_unique_violation(&e) => {
            let _ = tokio::fs::remove_file(&stored).await;
            Ok(false)
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&stored).await;
            Err(e)
        }
    }
}
