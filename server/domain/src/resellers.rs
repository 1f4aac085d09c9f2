//! Resellers and the people who use the portal on their behalf.

use portico_shared::email::EmailAddress;
use portico_shared::ids::{PlatformUserId, PortalUserId, ResellerId, ResellerUserId};
use portico_shared::staff::{ResellerInput, ResellerSummary};

use crate::audit::{self, Change, Snapshot};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::passwords::Hasher;
use crate::principal::{PlatformAdmin, Scope, StaffUser};
use crate::staff::{self, invitations};
use crate::Portico;

/// Creates a reseller and returns its id.
pub async fn create(db: &Db, name: &str, license_url: Option<&str>) -> Result<ResellerId> {
    let id = ResellerId(new_id("res"));
    insert(db, &id, name, license_url).await?;
    Ok(id)
}

/// Creates a reseller with a chosen id (the demo's is fixed, so a restart finds it again).
pub async fn insert(db: &Db, id: &ResellerId, name: &str, license_url: Option<&str>) -> Result<()> {
    sqlx::query("INSERT INTO resellers (id, name, license_url, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.as_str())
        .bind(name)
        .bind(license_url)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub use portico_shared::staff::StaffRole as Role;

/// Adds a portal user to a reseller, hashing the password on the hashing pool.
pub async fn add_user(
    db: &Db,
    hasher: &Hasher,
    reseller: &ResellerId,
    email: &EmailAddress,
    name: &str,
    role: Role,
    password: &str,
) -> Result<ResellerUserId> {
    let hash = hasher.hash(password).await?;
    let id = ResellerUserId(new_id("rsu"));
    let user = PortalUserId::Reseller(id.clone());
    staff::insert_user(&db.pool, &Scope::Reseller(reseller.clone()), &user, email.as_str(), name, role, &hash).await?;
    Ok(id)
}

/// Creates a reseller with a widget key, and invites its first admin, in one transaction.
pub async fn create_with_admin(portico: &Portico, admin: &PlatformAdmin, input: &ResellerInput) -> Result<ResellerId> {
    let reseller = &input.validate().map_err(Error::Validation)?;
    let (actor, origin) = (&admin.actor(), &portico.settings.public_origin);
    let id = ResellerId(new_id("res"));
    let mut tx = portico.db.begin_write().await?;
    sqlx::query("INSERT INTO resellers (id, name, license_url, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.as_str())
        .bind(&reseller.name)
        .bind(reseller.license_url.as_deref())
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    crate::widget::keys::create(&mut **tx, &id, None).await?;
    let after = Snapshot::from([
        ("Name", reseller.name.clone()),
        ("License URL", reseller.license_url.clone().unwrap_or_default()),
    ]);
    // In both logs: the reseller's own, where its admins see where it began, and the platform's.
    let action = format!("Reseller {} created", reseller.name);
    let mut platform_after = after.clone();
    platform_after.insert("First admin", format!("{} <{}>", reseller.admin.name, reseller.admin.email.as_str()));
    audit::record_platform(&mut tx, actor, &action, None, Some(platform_after)).await?;
    let change =
        Change { reseller: &id, customer: None, actor, action: "Reseller created", before: None, after: Some(after) };
    audit::record(&mut tx, change).await?;
    invitations::insert(&mut tx, &Scope::Reseller(id.clone()), &reseller.admin, actor, origin).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(id)
}

/// Every reseller with how many portal users and customers it has, newest first (the platform's
/// staff only).
pub async fn list(portico: &Portico, _staff: &StaffUser) -> Result<Vec<ResellerSummary>> {
    let db = &portico.db;
    Ok(sqlx::query_as(
        "SELECT r.id, r.name, r.license_url, r.created_at, \
         (SELECT COUNT(*) FROM reseller_users u WHERE u.reseller_id = r.id) AS users, \
         (SELECT COUNT(*) FROM customers c WHERE c.reseller_id = r.id) AS customers \
         FROM resellers r ORDER BY r.created_at DESC, r.id DESC",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// Adds one of the platform's staff with a password (the demo's staff; real staff are invited).
pub async fn add_platform_user(
    db: &Db,
    hasher: &Hasher,
    email: &EmailAddress,
    name: &str,
    role: Role,
    password: &str,
) -> Result<PlatformUserId> {
    let hash = hasher.hash(password).await?;
    let id = PlatformUserId(new_id("plu"));
    let user = PortalUserId::Platform(id.clone());
    staff::insert_user(&db.pool, &Scope::Platform, &user, email.as_str(), name, role, &hash).await?;
    Ok(id)
}
