//! The Test Drives catalog of each reseller: created, edited and retired in the portal, listed by
//! the widget to anyone visiting.

use portico_shared::ids::{ProviderId, ResellerId, TestDriveId};
use portico_shared::test_drives::{TestDrive, TestDriveInput, ValidTestDrive};

pub mod instances;

use crate::audit::{self, Change, Snapshot};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::ResellerAdmin;
use crate::Portico;

/// The platform's cloud providers (id, name), which a test drive may run on.
pub async fn providers(db: &Db) -> Result<Vec<(ProviderId, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM cloud_providers ORDER BY position").fetch_all(&db.pool).await?)
}

/// The Test Drives page: the admin's reseller's catalog, and the providers an entry may run on.
pub async fn page(portico: &Portico, admin: &ResellerAdmin) -> Result<(Vec<TestDrive>, Vec<(ProviderId, String)>)> {
    Ok((catalog(&portico.db, &admin.reseller_id).await?, providers(&portico.db).await?))
}

/// Adds an entry (`id` none) or changes one still at `version`; returns its id.
pub async fn save(
    portico: &Portico,
    admin: &ResellerAdmin,
    id: Option<&TestDriveId>,
    version: i64,
    input: &TestDriveInput,
) -> Result<TestDriveId> {
    let ids: Vec<ProviderId> = providers(&portico.db).await?.into_iter().map(|(id, _)| id).collect();
    let entry = input.validate(&ids).map_err(Error::Validation)?;
    match id {
        None => create(&portico.db, &admin.reseller_id, &entry, &admin.actor()).await,
        Some(id) => {
            update(&portico.db, &admin.reseller_id, id, version, &entry, &admin.actor()).await?;
            Ok(id.clone())
        }
    }
}

/// The reseller's entries on offer, oldest first.
pub async fn catalog(db: &Db, reseller: &ResellerId) -> Result<Vec<TestDrive>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, t.description, t.duration_minutes, t.launch_limit, t.provider_id, t.version, \
         p.name AS provider_name FROM test_drives t JOIN cloud_providers p ON p.id = t.provider_id \
         WHERE t.reseller_id = $1 AND t.retired_at IS NULL ORDER BY t.created_at, t.id",
    )
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?)
}

fn snapshot(entry: &ValidTestDrive) -> Snapshot {
    Snapshot::from([
        ("Name", entry.name.clone()),
        ("Description", entry.description.clone()),
        ("Duration (minutes)", entry.duration_minutes.to_string()),
        ("Launch limit", entry.launch_limit.to_string()),
        ("Provider", entry.provider_id.to_string()),
    ])
}

/// Adds an entry; returns its id.
pub async fn create(
    db: &Db,
    reseller: &ResellerId,
    entry: &ValidTestDrive,
    actor: &crate::principal::Actor,
) -> Result<TestDriveId> {
    let id = TestDriveId(new_id("tdr"));
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO test_drives (id, reseller_id, name, description, duration_minutes, launch_limit, provider_id, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(&entry.name)
    .bind(&entry.description)
    .bind(entry.duration_minutes)
    .bind(entry.launch_limit)
    .bind(&entry.provider_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let change = Change {
        reseller,
        customer: None,
        actor,
        action: "Test drive added",
        before: None,
        after: Some(snapshot(entry)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces an entry on offer if it is still at `version`.
async fn update(
    db: &Db,
    reseller: &ResellerId,
    id: &TestDriveId,
    version: i64,
    entry: &ValidTestDrive,
    actor: &crate::principal::Actor,
) -> Result<()> {
    let current = catalog(db, reseller).await?.into_iter().find(|t| t.id == *id).ok_or(Error::NotFound)?;
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE test_drives SET name = $1, description = $2, duration_minutes = $3, launch_limit = $4, \
         provider_id = $5, version = version + 1 WHERE id = $6 AND reseller_id = $7 AND version = $8 AND retired_at IS NULL",
    )
    .bind(&entry.name)
    .bind(&entry.description)
    .bind(entry.duration_minutes)
    .bind(entry.launch_limit)
    .bind(&entry.provider_id)
    .bind(id)
    .bind(reseller.as_str())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Error::Conflict(
            "Someone changed this test drive meanwhile. The page now shows the latest.".into(),
        ));
    }
    let before = ValidTestDrive {
        name: current.name,
        description: current.description,
        duration_minutes: current.duration_minutes,
        launch_limit: current.launch_limit,
        provider_id: current.provider_id,
    };
    let change = Change {
        reseller,
        customer: None,
        actor,
        action: "Test drive changed",
        before: Some(snapshot(&before)),
        after: Some(snapshot(entry)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes an entry off the catalog; it stays stored.
pub async fn retire(portico: &Portico, admin: &ResellerAdmin, id: &TestDriveId) -> Result<()> {
    let (reseller, actor) = (&admin.reseller_id, &admin.actor());
    let mut tx = portico.db.begin_write().await?;
    let name: Option<String> = sqlx::query_scalar(
        "UPDATE test_drives SET retired_at = $1, version = version + 1 \
         WHERE id = $2 AND reseller_id = $3 AND retired_at IS NULL RETURNING name",
    )
    .bind(now_ms())
    .bind(id)
    .bind(reseller.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let name = name.ok_or(Error::NotFound)?;
    let change = Change {
        reseller,
        customer: None,
        actor,
        action: "Test drive retired",
        before: Some(Snapshot::from([("Name", name)])),
        after: None,
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}
