//! Publishable widget keys: which reseller a key belongs to and which websites may embed it.

use portico_shared::ids::{ResellerId, WidgetKeyId};
use sqlx::Row;

use crate::db::Db;
use crate::error::{Error, Result};

/// What a valid publishable key tells the server about the widget it serves.
#[derive(Clone, Debug)]
pub struct WidgetKey {
    pub id: WidgetKeyId,
    pub reseller_id: ResellerId,
    pub reseller_name: String,
    pub license_url: Option<String>,
    /// Exact origins (`https://shop.example.com`) allowed to frame the widget.
    pub allowed_origins: Vec<String>,
}

/// Resolves a publishable key; unknown and revoked keys are distinct errors so a reseller can
/// tell a typo from a rotated key.
pub async fn find(db: &Db, publishable_key: &str) -> Result<WidgetKey> {
    let row = sqlx::query(
        "SELECT k.id, k.reseller_id, k.revoked_at, r.name, r.license_url \
         FROM widget_keys k JOIN resellers r ON r.id = k.reseller_id \
         WHERE k.publishable_key = $1",
    )
    .bind(publishable_key)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::UnknownWidgetKey)?;
    if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        return Err(Error::RevokedWidgetKey);
    }
    let id: String = row.try_get("id")?;
    let allowed_origins = sqlx::query_scalar(
        "SELECT origin FROM widget_key_origins WHERE widget_key_id = $1 ORDER BY origin",
    )
    .bind(&id)
    .fetch_all(&db.pool)
    .await?;
    Ok(WidgetKey {
        id: WidgetKeyId(id),
        reseller_id: ResellerId(row.try_get("reseller_id")?),
        reseller_name: row.try_get("name")?,
        license_url: row.try_get("license_url")?,
        allowed_origins,
    })
}

/// A new random publishable key: `pk_` and 128 bits in hex.
pub fn generate_publishable_key() -> String {
    format!("pk_{}", uuid::Uuid::new_v4().simple())
}
