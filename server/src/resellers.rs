//! Resellers and the people who use the portal on their behalf.

use portico_shared::email::EmailAddress;
use portico_shared::ids::{ResellerId, ResellerUserId};

use crate::db::{new_id, now_ms, Db};
use crate::error::Result;
use crate::passwords::Hasher;

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

/// A portal user's role within their reseller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Agent,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Admin, Role::Agent].into_iter().find(|role| role.as_str() == text)
    }
}

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
    sqlx::query(
        "INSERT INTO reseller_users (id, reseller_id, email, name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.as_str())
    .bind(reseller.as_str())
    .bind(email.as_str())
    .bind(name)
    .bind(role.as_str())
    .bind(&hash.0)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(id)
}
