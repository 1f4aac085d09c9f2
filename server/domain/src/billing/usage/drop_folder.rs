//! The drop folder: where the provider's billing exports arrive on the platform (the simulated
//! cloud's stand-in for a CUR delivery to S3). Each new file is copied beside the uploads and
//! imported for the whole platform, once: a file is known by its name, size and modification
//! time, and a unique index on that key lets one server of several queue it.

use std::path::Path;
use std::time::{Duration, SystemTime};

use portico_shared::ids::UsageImportId;
use sha2::{Digest, Sha256};

use super::imports::{queue, Queued};
use crate::db::new_id;
use crate::error::{is_unique_violation, Error, Result};
use crate::idempotency::hex;
use crate::Portico;

/// A file modified more recently than this may still be being written.
const SETTLED: Duration = Duration::from_secs(3);

/// Queues the import of every settled report in the drop folder not queued before; how many.
pub async fn pick_up(portico: &Portico) -> Result<usize> {
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
        let known: Option<(String,)> = sqlx::query_as("SELECT id FROM usage_imports WHERE drop_key = $1")
            .bind(&key)
            .fetch_optional(&portico.db.pool)
            .await?;
        if known.is_none() && take(portico, &entry.path(), &name, &key).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

fn is_report_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".csv") || lower.ends_with(".csv.gz") || lower.ends_with(".gz")
}

/// Copies one dropped file and queues it; false when another server queued it first.
async fn take(portico: &Portico, path: &Path, name: &str, key: &str) -> Result<bool> {
    let dir = &portico.settings.usage_dir;
    tokio::fs::create_dir_all(dir).await.map_err(anyhow::Error::from)?;
    let id = UsageImportId(new_id("usi"));
    let stored = dir.join(id.as_str());
    let bytes = tokio::fs::copy(path, &stored).await.map_err(anyhow::Error::from)?;
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
    let queued = Queued {
        id: &id,
        reseller: None,
        source: "drop",
        drop_key: Some(key),
        file_name: name,
        stored: &stored,
        sha256: &digest,
        bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
        by: "Drop folder",
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
