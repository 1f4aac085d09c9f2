//! Publishable widget keys: which reseller a key belongs to and which websites may embed it.

use portico_shared::ids::{ResellerId, WidgetKeyId};
use sqlx::Row;

use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};

/// What a valid publishable key tells the server about the widget it serves.
#[derive(Clone, Debug)]
pub struct WidgetKey {
    pub id: WidgetKeyId,
    pub reseller_id: ResellerId,
    pub reseller_name: String,
    pub license_url: Option<String>,
    /// The reseller's primary colour (`#rrggbb`) and logo address, if they set them.
    pub brand_color: Option<String>,
    pub logo_url: Option<String>,
    /// Exact origins (`https://shop.example.com`) allowed to frame the widget.
    pub allowed_origins: Vec<String>,
}

/// Resolves a publishable key; unknown and revoked keys are distinct errors so a reseller can
/// tell a typo from a rotated key.
pub async fn find(db: &Db, publishable_key: &str) -> Result<WidgetKey> {
    let row = sqlx::query(
        "SELECT k.id, k.reseller_id, k.revoked_at, r.name, r.license_url, r.brand_color, r.logo_url \
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
    let id: WidgetKeyId = row.try_get("id")?;
    let allowed_origins =
        sqlx::query_scalar("SELECT origin FROM widget_key_origins WHERE widget_key_id = $1 ORDER BY origin")
            .bind(&id)
            .fetch_all(&db.pool)
            .await?;
    Ok(WidgetKey {
        id,
        reseller_id: row.try_get("reseller_id")?,
        reseller_name: row.try_get("name")?,
        license_url: row.try_get("license_url")?,
        brand_color: row.try_get("brand_color")?,
        logo_url: row.try_get("logo_url")?,
        allowed_origins,
    })
}

/// Issues a widget key for a reseller; `publishable_key` is random unless given (the demo's is
/// fixed so that its website's embed tag never changes).
pub async fn create<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    reseller: &ResellerId,
    publishable_key: Option<&str>,
) -> Result<(WidgetKeyId, String)> {
    let id = WidgetKeyId(new_id("wk"));
    let key = publishable_key.map_or_else(|| format!("pk_{}", uuid::Uuid::new_v4().simple()), str::to_owned);
    sqlx::query("INSERT INTO widget_keys (id, reseller_id, publishable_key, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.as_str())
        .bind(reseller.as_str())
        .bind(&key)
        .bind(now_ms())
        .execute(executor)
        .await?;
    Ok((id, key))
}

/// Replaces the websites allowed to embed a key.
pub async fn set_origins(db: &Db, key: &WidgetKeyId, origins: &[String]) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM widget_key_origins WHERE widget_key_id = $1")
        .bind(key.as_str())
        .execute(&mut **tx)
        .await?;
    for origin in origins {
        sqlx::query("INSERT INTO widget_key_origins (widget_key_id, origin) VALUES ($1, $2)")
            .bind(key.as_str())
            .bind(origin)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Stops a key from working; pages embedding it show why.
pub async fn revoke(db: &Db, publishable_key: &str) -> Result<()> {
    sqlx::query("UPDATE widget_keys SET revoked_at = $1 WHERE publishable_key = $2 AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(publishable_key)
        .execute(&db.pool)
        .await?;
    Ok(())
}
