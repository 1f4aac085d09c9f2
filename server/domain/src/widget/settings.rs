//! A reseller's Widget settings: the key their embed tag carries (and rotating it), the websites
//! that may embed it, and how it looks. Every change is in the reseller's audit log.

use portico_shared::branding::{WidgetSettings, WidgetSettingsInput};
use portico_shared::ids::{ResellerId, WidgetKeyId};
use portico_shared::portal::WidgetSettingsData;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Change, Snapshot};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::ResellerAdmin;
use crate::widget::keys;
use crate::{signup_options, Portico};

/// The key a reseller's widget uses now: the newest one not revoked.
pub struct ActiveKey {
    pub id: WidgetKeyId,
    pub publishable_key: String,
}

async fn active_key(tx: &mut Transaction<'_, Any>, reseller: &ResellerId) -> Result<Option<ActiveKey>> {
    let row = sqlx::query(
        "SELECT id, publishable_key FROM widget_keys WHERE reseller_id = $1 AND revoked_at IS NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(reseller.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| Ok(ActiveKey { id: row.try_get("id")?, publishable_key: row.try_get("publishable_key")? }))
        .transpose()
}

async fn origins_of(executor: impl sqlx::Executor<'_, Database = Any>, key_id: &WidgetKeyId) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT origin FROM widget_key_origins WHERE widget_key_id = $1 ORDER BY origin")
        .bind(key_id)
        .fetch_all(executor)
        .await?)
}

/// The reseller's settings and the key the embed tag must carry (`None` if it has none yet).
pub async fn load(db: &Db, reseller: &ResellerId) -> Result<(WidgetSettings, Option<String>)> {
    let mut connection = db.pool.acquire().await?;
    read(&mut connection, reseller, "").await
}

/// [`load`] on one connection; `lock` ends the reseller row's `SELECT` (`FOR UPDATE` inside a
/// write transaction, so a save logs what it replaced even when another save ran meanwhile).
async fn read(
    connection: &mut sqlx::AnyConnection,
    reseller: &ResellerId,
    lock: &str,
) -> Result<(WidgetSettings, Option<String>)> {
    let row =
        sqlx::query(&format!("SELECT name, license_url, brand_color, logo_url FROM resellers WHERE id = $1{lock}"))
            .bind(reseller.as_str())
            .fetch_optional(&mut *connection)
            .await?
            .ok_or(Error::NotFound)?;
    let key: Option<(WidgetKeyId, String)> = sqlx::query_as(
        "SELECT id, publishable_key FROM widget_keys WHERE reseller_id = $1 AND revoked_at IS NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(reseller.as_str())
    .fetch_optional(&mut *connection)
    .await?;
    let allowed_origins = match &key {
        Some((id, _)) => origins_of(&mut *connection, id).await?,
        None => Vec::new(),
    };
    let settings = WidgetSettings {
        reseller_name: row.try_get("name")?,
        license_url: row.try_get("license_url")?,
        brand_color: row.try_get("brand_color")?,
        logo_url: row.try_get("logo_url")?,
        allowed_origins,
    };
    Ok((settings, key.map(|(_, publishable_key)| publishable_key)))
}

fn snapshot(settings: &WidgetSettings) -> Snapshot {
    let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".into());
    Snapshot::from([
        ("Name", settings.reseller_name.clone()),
        ("License URL", or_none(&settings.license_url)),
        ("Colour", or_none(&settings.brand_color)),
        ("Logo", or_none(&settings.logo_url)),
        ("Websites", settings.allowed_origins.join(" ")),
    ])
}

/// The Widget settings page: the settings, the signup options, and the embed tag of the key the
/// reseller's websites must carry.
pub async fn page(portico: &Portico, admin: &ResellerAdmin) -> Result<WidgetSettingsData> {
    let db = &portico.db;
    let (settings, key) = load(db, &admin.reseller_id).await?;
    let signup_options = signup_options::load(db, &admin.reseller_id).await?;
    let origin = &portico.settings.public_origin;
    Ok(WidgetSettingsData {
        settings,
        signup_options,
        snippet: key
            .as_ref()
            .map(|key| format!(r#"<script async src="{origin}/widget/v1/embed.js" data-key="{key}"></script>"#)),
        preview_url: key.as_ref().map(|key| format!("/widget/v1/frame?key={key}")),
        publishable_key: key,
    })
}

/// Replaces the settings; the websites go on the active key (a reseller without one gets one).
pub async fn save(portico: &Portico, admin: &ResellerAdmin, input: &WidgetSettingsInput) -> Result<()> {
    let settings = &input.validate().map_err(Error::Validation)?;
    let (db, reseller, actor) = (&portico.db, &admin.reseller_id, &admin.actor());
    let mut tx = db.begin_write().await?;
    let (before, _) = read(&mut tx, reseller, db.for_update()).await?;
    sqlx::query("UPDATE resellers SET name = $1, license_url = $2, brand_color = $3, logo_url = $4 WHERE id = $5")
        .bind(&settings.reseller_name)
        .bind(settings.license_url.as_deref())
        .bind(settings.brand_color.as_deref())
        .bind(settings.logo_url.as_deref())
        .bind(reseller.as_str())
        .execute(&mut **tx)
        .await?;
    let key_id = match active_key(&mut tx, reseller).await? {
        Some(key) => key.id,
        None => keys::create(&mut **tx, reseller, None).await?.0,
    };
    replace_origins(&mut tx, &key_id, &settings.allowed_origins).await?;
    let change = Change {
        reseller,
        customer: None,
        actor,
        action: "Widget settings changed",
        before: Some(snapshot(&before)),
        after: Some(snapshot(settings)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

async fn replace_origins(tx: &mut Transaction<'_, Any>, key_id: &WidgetKeyId, origins: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM widget_key_origins WHERE widget_key_id = $1").bind(key_id).execute(&mut **tx).await?;
    for origin in origins {
        sqlx::query("INSERT INTO widget_key_origins (widget_key_id, origin) VALUES ($1, $2)")
            .bind(key_id)
            .bind(origin)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Revokes the active key and issues a new one for the same websites; returns the new key.
/// Pages embedding the old key show that it was revoked until they carry the new one.
pub async fn rotate_key(portico: &Portico, admin: &ResellerAdmin) -> Result<String> {
    let (reseller, actor) = (&admin.reseller_id, &admin.actor());
    let mut tx = portico.db.begin_write().await?;
    let old = active_key(&mut tx, reseller).await?;
    let origins = match &old {
        Some(old) => {
            sqlx::query("UPDATE widget_keys SET revoked_at = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(&old.id)
                .execute(&mut **tx)
                .await?;
            origins_of(&mut **tx, &old.id).await?
        }
        None => Vec::new(),
    };
    let (new_id, new_key) = keys::create(&mut **tx, reseller, None).await?;
    replace_origins(&mut tx, &new_id, &origins).await?;
    let key = |key: Option<&str>| Snapshot::from([("Key", key.unwrap_or("(none)").to_owned())]);
    let change = Change {
        reseller,
        customer: None,
        actor,
        action: "Widget key rotated",
        before: Some(key(old.as_ref().map(|old| old.publishable_key.as_str()))),
        after: Some(key(Some(&new_key))),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(new_key)
}
