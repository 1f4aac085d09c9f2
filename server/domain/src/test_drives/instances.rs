//! Test drives launched from the widget. A logged-in customer user whose e-mail is verified and
//! whose account is approved launches one from the reseller's catalog, within its launch limit
//! (the customer's override, or the test drive's own). The platform starts its sandbox through
//! the cloud gateway, shows its state and time left, and ends it when the customer stops it or
//! its time is up. The launch and the expiry are jobs written with the instance: both survive a
//! restart, and the expiry job is due at the instance's own expiry.

use portico_shared::ids::{InstanceId, TestDriveId};
use portico_shared::test_drives::{Instance, InstanceState};
use sqlx::Row;

use crate::cloud::gateway::{CloudGateway, Sandbox};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::jobs::{self, Job, Next};
use crate::principal::CustomerSession;
use crate::Portico;

/// How often a starting sandbox is looked at.
const SANDBOX_POLL_MS: i64 = 1_000;
/// How many of a customer's instances the widget lists, newest first.
const SHOWN: i64 = 50;

const COLUMNS: &str = "i.id, t.name, i.state, i.launched_at, i.expires_at, i.ended_at, i.failure";

fn instance(row: &sqlx::any::AnyRow) -> Result<Instance> {
    let state: String = row.try_get("state")?;
    Ok(Instance {
        id: row.try_get("id")?,
        test_drive: row.try_get("name")?,
        state: InstanceState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown instance state {state:?}"))?,
        launched_at: row.try_get("launched_at")?,
        expires_at: row.try_get("expires_at")?,
        ended_at: row.try_get("ended_at")?,
        failure: row.try_get("failure")?,
    })
}

/// The signed-in user's customer's instances (of every user of the customer), newest first.
pub async fn list(portico: &Portico, session: &CustomerSession) -> Result<Vec<Instance>> {
    let (db, user) = (&portico.db, &session.user_id);
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM test_drive_instances i JOIN test_drives t ON t.id = i.test_drive_id \
         WHERE i.customer_id = (SELECT customer_id FROM customer_users WHERE id = $1) \
         ORDER BY i.launched_at DESC, i.id DESC LIMIT $2"
    ))
    .bind(user.as_str())
    .bind(SHOWN)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(instance).collect()
}

async fn one(db: &Db, id: &InstanceId) -> Result<Instance> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM test_drive_instances i JOIN test_drives t ON t.id = i.test_drive_id WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    instance(&row)
}

/// Launches test drive `drive` for the user's customer; returns the new instance, Launching.
pub async fn launch(portico: &Portico, session: &CustomerSession, drive: &TestDriveId) -> Result<Instance> {
    let db = &portico.db;
    let mut tx = db.begin_write().await?;
    let who = sqlx::query(
        "SELECT u.customer_id, u.email_verified_at, c.status FROM customer_users u \
         JOIN customers c ON c.id = u.customer_id WHERE u.id = $1 AND u.reseller_id = $2 AND u.disabled_at IS NULL",
    )
    .bind(session.user_id.as_str())
    .bind(session.reseller_id.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::Unauthorized)?;
    let customer: String = who.try_get("customer_id")?;
    if who.try_get::<Option<i64>, _>("email_verified_at")?.is_none() {
        return Err(Error::EmailNotVerified);
    }
    if who.try_get::<String, _>("status")? != "active" {
        return Err(Error::AccountInactive);
    }
    // One launch of a customer at a time: this takes the customer's row lock on PostgreSQL
    // (SQLite's write transaction is exclusive already), so two launches cannot both pass the
    // limit below.
    sqlx::query("UPDATE customers SET id = id WHERE id = $1").bind(&customer).execute(&mut **tx).await?;
    let options =
        sqlx::query("SELECT test_drives_allowed, launch_limit_override FROM customer_options WHERE customer_id = $1")
            .bind(&customer)
            .fetch_optional(&mut **tx)
            .await?;
    let (allowed, limit_override) = match options {
        Some(row) => (
            row.try_get::<i64, _>("test_drives_allowed")? == 1,
            row.try_get::<Option<i64>, _>("launch_limit_override")?,
        ),
        None => (true, None),
    };
    if !allowed {
        return Err(Error::Forbidden("test drives are not available for this account".into()));
    }
    let offered = sqlx::query(
        "SELECT duration_minutes, launch_limit FROM test_drives WHERE id = $1 AND reseller_id = $2 AND retired_at IS NULL",
    )
    .bind(drive)
    .bind(session.reseller_id.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    let limit = limit_override.unwrap_or(offered.try_get("launch_limit")?);
    let running: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM test_drive_instances WHERE customer_id = $1 AND test_drive_id = $2 \
         AND state IN ('launching', 'running')",
    )
    .bind(&customer)
    .bind(drive)
    .fetch_one(&mut **tx)
    .await?;
    if running >= limit {
        return Err(Error::Conflict(
            format!("You have {running} of this test drive running, the most at once: stop one to launch another.")
                .into(),
        ));
    }
    let id = InstanceId(new_id("tdi"));
    let now = now_ms();
    let expires_at = now + offered.try_get::<i64, _>("duration_minutes")? * 60_000;
    sqlx::query(
        "INSERT INTO test_drive_instances (id, test_drive_id, reseller_id, customer_id, launched_by, state, \
         launched_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'launching', $6, $7)",
    )
    .bind(&id)
    .bind(drive)
    .bind(session.reseller_id.as_str())
    .bind(&customer)
    .bind(session.user_id.as_str())
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    jobs::enqueue(&mut tx, &Job::LaunchTestDrive { instance: id.clone() }).await?;
    jobs::enqueue_at(&mut tx, &Job::ExpireTestDrive { instance: id.clone() }, expires_at).await?;
    tx.commit().await?;
    portico.jobs.wake();
    one(db, &id).await
}

/// The customer stops one of their running (or still launching) instances.
pub async fn stop(portico: &Portico, session: &CustomerSession, id: &InstanceId) -> Result<Instance> {
    let (db, user) = (&portico.db, &session.user_id);
    let mut tx = db.begin_write().await?;
    let stopped = sqlx::query(
        "UPDATE test_drive_instances SET state = 'stopped', ended_at = $1 WHERE id = $2 \
         AND customer_id = (SELECT customer_id FROM customer_users WHERE id = $3) AND state IN ('launching', 'running')",
    )
    .bind(now_ms())
    .bind(id)
    .bind(user.as_str())
    .execute(&mut **tx)
    .await?;
    if stopped.rows_affected() == 0 {
        let mine: Option<String> = sqlx::query_scalar(
            "SELECT state FROM test_drive_instances WHERE id = $1 \
             AND customer_id = (SELECT customer_id FROM customer_users WHERE id = $2)",
        )
        .bind(id)
        .bind(user.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        return Err(match mine {
            Some(_) => Error::Conflict("This test drive has already ended.".into()),
            None => Error::NotFound,
        });
    }
    jobs::enqueue(&mut tx, &Job::EndSandbox { instance: id.to_owned() }).await?;
    tx.commit().await?;
    portico.jobs.wake();
    one(db, id).await
}

/// Job: starts the instance's sandbox and waits for it: Running, or Failed with the provider's
/// reason. Does nothing once the instance is no longer launching (stopped or expired meanwhile).
pub async fn start_sandbox(db: &Db, cloud: &dyn CloudGateway, instance: &InstanceId) -> Result<Next> {
    let row = sqlx::query(
        "SELECT i.state, t.name FROM test_drive_instances i JOIN test_drives t ON t.id = i.test_drive_id WHERE i.id = $1",
    )
    .bind(instance)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(Next::Done) };
    if row.try_get::<String, _>("state")? != "launching" {
        return Ok(Next::Done);
    }
    cloud.launch_sandbox(instance, &row.try_get::<String, _>("name")?).await?;
    let (state, failure) = match cloud.sandbox(instance).await? {
        Sandbox::Starting => return Ok(Next::At(now_ms() + SANDBOX_POLL_MS)),
        Sandbox::Ended => return Ok(Next::Done),
        Sandbox::Running => ("running", None),
        Sandbox::Failed(reason) => ("failed", Some(reason)),
    };
    let ended_at = failure.as_ref().map(|_| now_ms());
    sqlx::query(
        "UPDATE test_drive_instances SET state = $1, failure = $2, ended_at = $3 WHERE id = $4 AND state = 'launching'",
    )
    .bind(state)
    .bind(failure)
    .bind(ended_at)
    .bind(instance)
    .execute(&db.pool)
    .await?;
    Ok(Next::Done)
}

/// Job, due at the instance's expiry: ends it if it still runs.
pub async fn expire(db: &Db, cloud: &dyn CloudGateway, instance: &InstanceId) -> Result<Next> {
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM test_drive_instances WHERE id = $1")
        .bind(instance)
        .fetch_optional(&db.pool)
        .await?;
    if !state.as_deref().and_then(InstanceState::parse).is_some_and(InstanceState::is_active) {
        return Ok(Next::Done);
    }
    // The sandbox first: an instance shown Expired has nothing left running.
    cloud.end_sandbox(instance).await?;
    sqlx::query(
        "UPDATE test_drive_instances SET state = 'expired', ended_at = $1 WHERE id = $2 \
         AND state IN ('launching', 'running')",
    )
    .bind(now_ms())
    .bind(instance)
    .execute(&db.pool)
    .await?;
    Ok(Next::Done)
}
