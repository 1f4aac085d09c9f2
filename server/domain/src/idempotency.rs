//! `Idempotency-Key` for creating POSTs: the first response is stored in the same transaction as
//! what it created and replayed for a repeat of the same request; the same key with a different
//! request is refused.

use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::db::{now_ms, Db};
use crate::error::{Error, Result};

const MAX_KEY_LEN: usize = 200;

/// A key sent by the client, with the fingerprint of the request it came with.
pub struct IdempotencyKey {
    pub scope: String,
    pub key: String,
    pub request_hash: String,
}

/// A stored response to send again.
pub struct Replay {
    /// The HTTP status code.
    pub status: u16,
    pub body: String,
}

impl IdempotencyKey {
    /// The key of an `Idempotency-Key` header (`None` when the request had none; `Some(None)` when
    /// its value is not text). `fingerprint` must identify the request without containing a
    /// secret (it is stored), so callers leave passwords out of it.
    pub fn from_header(header: Option<Option<&str>>, scope: &str, fingerprint: &[u8]) -> Result<Option<Self>> {
        let Some(value) = header else {
            return Ok(None);
        };
        let key = value.filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN).ok_or_else(|| {
            Error::MalformedRequest("the Idempotency-Key header must be 1 to 200 visible characters".into())
        })?;
        Ok(Some(IdempotencyKey {
            scope: scope.to_owned(),
            key: key.to_owned(),
            request_hash: hex(&Sha256::digest(fingerprint)),
        }))
    }

    /// The stored response for this key, if the request was seen before.
    pub async fn replay(&self, db: &Db) -> Result<Option<Replay>> {
        let row = sqlx::query(
            "SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2",
        )
        .bind(&self.scope)
        .bind(&self.key)
        .fetch_optional(&db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if row.try_get::<String, _>("request_hash")? != self.request_hash {
            return Err(Error::IdempotencyKeyReused);
        }
        let status = u16::try_from(row.try_get::<i64, _>("status_code")?).unwrap_or(200);
        Ok(Some(Replay { status, body: row.try_get("response_body")? }))
    }

    /// Claims the key inside the transaction that does the work. A concurrent request with the
    /// same key blocks here (PostgreSQL) or on the write lock (SQLite) and then fails with a
    /// unique violation, after which it replays this response.
    pub async fn record(&self, tx: &mut Transaction<'_, Any>, status: u16, body: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&self.scope)
        .bind(&self.key)
        .bind(&self.request_hash)
        .bind(i64::from(status))
        .bind(body)
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .map(drop)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
