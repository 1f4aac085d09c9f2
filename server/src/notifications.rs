//! The portal's notifications: a reseller's team's, or the platform's Cloud Support's. Written
//! in the transaction of the change they are about, so neither exists without the other.

use portico_shared::notifications::Notification;
use sqlx::{Any, Row, Transaction};

use crate::db::{new_id, now_ms, Db};
use crate::error::Result;
use crate::staff::Scope;

/// How many the Notifications page lists.
const SHOWN: i64 = 100;

fn reseller_of(team: &Scope) -> Option<&str> {
    match team {
        Scope::Reseller(reseller) => Some(reseller.as_str()),
        Scope::Platform => None,
    }
}

/// Posts a notification to `team` inside the caller's transaction.
pub async fn post(tx: &mut Transaction<'_, Any>, team: &Scope, subject: &str, body: &str, link: &str) -> Result<()> {
    sqlx::query("INSERT INTO notifications (id, reseller_id, at, subject, body, link) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id("ntf"))
        .bind(reseller_of(team))
        .bind(now_ms())
        .bind(subject)
        .bind(body)
        .bind(link)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The team's notifications, newest first.
pub async fn list(db: &Db, team: &Scope) -> Result<Vec<Notification>> {
    let query = match team {
        Scope::Reseller(reseller) => sqlx::query(
            "SELECT at, subject, body, link FROM notifications WHERE reseller_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(reseller.as_str())
        .bind(SHOWN),
        Scope::Platform => sqlx::query(
            "SELECT at, subject, body, link FROM notifications WHERE reseller_id IS NULL ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(SHOWN),
    };
    let rows = query.fetch_all(&db.pool).await?;
    rows.iter()
        .map(|row| {
            Ok(Notification {
                at: row.try_get("at")?,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                link: row.try_get("link")?,
            })
        })
        .collect()
}
