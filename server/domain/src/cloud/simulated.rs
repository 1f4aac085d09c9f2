//! The simulated cloud: the default gateway, offline and deterministic, so the demo and the
//! tests walk every path without AWS.
//!
//! Its IAM knows a role by its name:
//! - a name containing `NoTrust`: the trust policy does not name the platform, so every
//!   `AssumeRole` is refused;
//! - a name containing `NoExternalId`: the trust policy has no ExternalId condition, so the role
//!   can be assumed with or without one (the confused-deputy hole a check must catch);
//! - any other name: a role made from the platform's template, assumable with an ExternalId only.
//!
//! Its Organizations creates accounts after the configured delay (slow, as AWS is), and fails on
//! demand by the root e-mail: `+exists` in it answers EMAIL_ALREADY_EXISTS, `+limit`
//! ACCOUNT_LIMIT_EXCEEDED, `+invalid` INVALID_EMAIL.
//!
//! Its test drive sandboxes start after the configured delay and fail on demand: a test drive
//! whose name contains `[fail]` gets InsufficientInstanceCapacity.
//!
//! Its Organizations lists as members the accounts it held before the platform (seeded by the
//! demo), the accounts it created, and the accounts that accepted an invitation (whose root
//! e-mail and name it never learnt).
//!
//! Its Organizations keeps handshakes in the database, as AWS would keep them across a restart
//! of the platform, and expires them after the configured lifetime (14 days by default, as the
//! guide says; AWS itself uses 15). The account owner answers on the simulator's own page
//! (`/simulated-aws`), the stand-in for the AWS console.

use portico_shared::aws::{AccountId, OrganizationAccount, RoleArn};
use portico_shared::ids::InstanceId;
use sqlx::Row;

use crate::cloud::gateway::{AdminAccess, Assumed, CloudGateway, Creation, Handshake, HandshakeState, Sandbox};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};

pub struct SimulatedCloud {
    pub db: Db,
    /// How long an invitation stays open.
    pub handshake_lifetime_ms: i64,
    /// How long creating an account takes.
    pub creation_ms: i64,
    /// How long a test drive's sandbox takes to start.
    pub launch_ms: i64,
}

/// The failure a root e-mail asks for, as AWS words it.
fn failure_for(email: &str) -> Option<&'static str> {
    let local = email.split('@').next().unwrap_or_default();
    [("+exists", "EMAIL_ALREADY_EXISTS"), ("+limit", "ACCOUNT_LIMIT_EXCEEDED"), ("+invalid", "INVALID_EMAIL")]
        .into_iter()
        .find(|(tag, _)| local.contains(tag))
        .map(|(_, reason)| reason)
}

/// An open invitation, as the simulator's page lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenHandshake {
    pub id: String,
    pub account_number: String,
    pub expires_at: i64,
}

/// The open, unexpired invitations, newest first.
pub async fn open_handshakes(db: &Db) -> Result<Vec<OpenHandshake>> {
    Ok(sqlx::query_as(
        "SELECT id, account_number, expires_at FROM simulated_handshakes WHERE state = 'open' AND expires_at > $1 \
         ORDER BY created_at DESC LIMIT 100",
    )
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?)
}

/// The account owner accepts or declines an open invitation. False when it is no longer open.
pub async fn answer(db: &Db, handshake: &str, accept: bool) -> Result<bool> {
    let done =
        sqlx::query("UPDATE simulated_handshakes SET state = $1 WHERE id = $2 AND state = 'open' AND expires_at > $3")
            .bind(if accept { "accepted" } else { "declined" })
            .bind(handshake)
            .bind(now_ms())
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

#[async_trait::async_trait]
impl CloudGateway for SimulatedCloud {
    async fn assume_role(&self, role: &RoleArn, external_id: Option<&str>) -> Result<Assumed> {
        let name = role.name();
        let refused = |why: &str| {
            Assumed::Refused(format!(
                "AccessDenied: not authorized to perform sts:AssumeRole on {}: {why}",
                role.as_str()
            ))
        };
        Ok(if name.contains("NoTrust") {
            refused("the role's trust policy does not name the platform's account")
        } else if name.contains("NoExternalId") || external_id.is_some() {
            Assumed::Yes
        } else {
            refused("the role's trust policy requires an ExternalId")
        })
    }

    async fn invite_account(&self, account: &AccountId) -> Result<Handshake> {
        let now = now_ms();
        let open = sqlx::query(
            "SELECT id, expires_at FROM simulated_handshakes WHERE account_number = $1 AND state = 'open' \
             AND expires_at > $2",
        )
        .bind(account.as_str())
        .bind(now)
        .fetch_optional(&self.db.pool)
        .await?;
        if let Some(row) = open {
            return Ok(Handshake { id: row.try_get("id")?, expires_at: row.try_get("expires_at")? });
        }
        // AWS handshake ids are `h-` and 8 to 32 lowercase letters or digits.
        let id = format!("h-{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
        let expires_at = now + self.handshake_lifetime_ms;
        sqlx::query(
            "INSERT INTO simulated_handshakes (id, account_number, state, created_at, expires_at) \
             VALUES ($1, $2, 'open', $3, $4)",
        )
        .bind(&id)
        .bind(account.as_str())
        .bind(now)
        .bind(expires_at)
        .execute(&self.db.pool)
        .await?;
        Ok(Handshake { id, expires_at })
    }

    async fn handshake_state(&self, handshake: &str) -> Result<HandshakeState> {
        let row = sqlx::query("SELECT state, expires_at FROM simulated_handshakes WHERE id = $1")
            .bind(handshake)
            .fetch_optional(&self.db.pool)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("HandshakeNotFoundException: {handshake}")))?;
        let state: String = row.try_get("state")?;
        let expires_at: i64 = row.try_get("expires_at")?;
        Ok(match state.as_str() {
            "accepted" => HandshakeState::Accepted,
            "declined" => HandshakeState::Declined,
            "canceled" => HandshakeState::Canceled,
            _ if expires_at <= now_ms() => HandshakeState::Expired,
            _ => HandshakeState::Open,
        })
    }

    async fn cancel_handshake(&self, handshake: &str) -> Result<()> {
        sqlx::query("UPDATE simulated_handshakes SET state = 'canceled' WHERE id = $1 AND state = 'open'")
            .bind(handshake)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    async fn remove_account(&self, account: &AccountId) -> Result<()> {
        let member: Option<String> = sqlx::query_scalar(
            "SELECT id FROM simulated_handshakes WHERE account_number = $1 AND state = 'accepted' LIMIT 1",
        )
        .bind(account.as_str())
        .fetch_optional(&self.db.pool)
        .await?;
        match member {
            Some(_) => Ok(()),
            None => Err(Error::Internal(anyhow::anyhow!(
                "AccountNotFoundException: {} is not a member of the organization",
                account.as_str()
            ))),
        }
    }

    async fn organization_accounts(&self) -> Result<Vec<OrganizationAccount>> {
        let rows = sqlx::query(
            "SELECT account_number, email, account_name FROM simulated_organization_accounts \
             UNION SELECT account_number, email, account_name FROM simulated_account_creations WHERE done_at <= $1 \
             UNION SELECT DISTINCT account_number, '' AS email, '' AS account_name FROM simulated_handshakes \
             WHERE state = 'accepted' ORDER BY account_number",
        )
        .bind(now_ms())
        .fetch_all(&self.db.pool)
        .await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            let email: String = row.try_get("email")?;
            // A creation that failed made no account.
            if failure_for(&email).is_none() {
                let (account_id, name) = (row.try_get("account_number")?, row.try_get("account_name")?);
                accounts.push(OrganizationAccount { account_id, email, name });
            }
        }
        Ok(accounts)
    }

    async fn create_account(&self, email: &str, name: &str) -> Result<String> {
        let now = now_ms();
        let uuid = uuid::Uuid::new_v4();
        let id = format!("car-{}", uuid.simple());
        // Deterministic from the request: twelve digits, leading zeros kept.
        let number = format!("{:012}", uuid.as_u128() % 1_000_000_000_000);
        sqlx::query(
            "INSERT INTO simulated_account_creations (id, email, account_name, account_number, created_at, done_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(email)
        .bind(name)
        .bind(&number)
        .bind(now)
        .bind(now + self.creation_ms)
        .execute(&self.db.pool)
        .await?;
        Ok(id)
    }

    async fn creation(&self, request: &str) -> Result<Creation> {
        let row = sqlx::query("SELECT email, account_number, done_at FROM simulated_account_creations WHERE id = $1")
            .bind(request)
            .fetch_optional(&self.db.pool)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("CreateAccountStatusNotFoundException: {request}")))?;
        let (email, number, done_at): (String, String, i64) =
            (row.try_get("email")?, row.try_get("account_number")?, row.try_get("done_at")?);
        if done_at > now_ms() {
            return Ok(Creation::InProgress);
        }
        Ok(match failure_for(&email) {
            Some(reason) => Creation::Failed(reason.to_owned()),
            None => Creation::Succeeded(
                AccountId::parse(&number).map_err(|_| anyhow::anyhow!("simulated account number {number:?}"))?,
            ),
        })
    }

    async fn find_creation(&self, email: &str, _name: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM simulated_account_creations WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.db.pool)
            .await?)
    }

    async fn launch_sandbox(&self, instance: &InstanceId, drive: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO simulated_sandboxes (instance_id, drive, ready_at) VALUES ($1, $2, $3) \
             ON CONFLICT (instance_id) DO NOTHING",
        )
        .bind(instance)
        .bind(drive)
        .bind(now_ms() + self.launch_ms)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    async fn sandbox(&self, instance: &InstanceId) -> Result<Sandbox> {
        let row = sqlx::query("SELECT drive, ready_at, ended_at FROM simulated_sandboxes WHERE instance_id = $1")
            .bind(instance)
            .fetch_optional(&self.db.pool)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("no sandbox for {instance}")))?;
        let (drive, ready_at, ended_at): (String, i64, Option<i64>) =
            (row.try_get("drive")?, row.try_get("ready_at")?, row.try_get("ended_at")?);
        Ok(if ended_at.is_some() {
            Sandbox::Ended
        } else if ready_at > now_ms() {
            Sandbox::Starting
        } else if drive.contains("[fail]") {
            Sandbox::Failed("InsufficientInstanceCapacity: no capacity for this test drive right now".into())
        } else {
            Sandbox::Running
        })
    }

    async fn end_sandbox(&self, instance: &InstanceId) -> Result<()> {
        let now = now_ms();
        // A tombstone when it never started, so that a late launch finds it ended.
        sqlx::query(
            "INSERT INTO simulated_sandboxes (instance_id, drive, ready_at, ended_at) VALUES ($1, '', $2, $2) \
             ON CONFLICT (instance_id) DO UPDATE SET ended_at = $2 WHERE simulated_sandboxes.ended_at IS NULL",
        )
        .bind(instance)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    async fn grant_admin_access(&self, account: &AccountId, _email: &str) -> Result<AdminAccess> {
        Ok(AdminAccess { sign_in_url: format!("/simulated-aws?account={}", account.as_str()), user: None })
    }
}
