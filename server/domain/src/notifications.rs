//! The portal's notifications: a reseller's team's, or the platform's Cloud Support's. Written
//! in the transaction of the change they are about, so neither exists without the other.

use portico_shared::notifications::Notification;
use sqlx::{Any, Row, Transaction};

use crate::db::{new_id, now_ms, Db};
use crate::error::Result;
use crate::principal::{Member, Scope};

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

/// The member's team's notifications, newest first, each marked unread when newer than what the
/// member read.
pub async fn list(db: &Db, member: &Member) -> Result<Vec<Notification>> {
    let read_until = read_until(db, member).await?;
    let query = match &member.scope {
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
            let at: i64 = row.try_get("at")?;
            Ok(Notification {
                at,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                link: row.try_get("link")?,
                unread: at > read_until,
            })
        })
        .collect()
}

/// How many of the team's notifications the member has not read: the count beside
/// Notifications in the portal's menu.
pub async fn unread(db: &Db, member: &Member) -> Result<i64> {
    let read_until = read_until(db, member).await?;
    let query = match &member.scope {
        Scope::Reseller(reseller) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE reseller_id = $1 AND at > $2")
                .bind(reseller.as_str())
                .bind(read_until)
        }
        Scope::Platform => {
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE reseller_id IS NULL AND at > $1")
                .bind(read_until)
        }
    };
    Ok(query.fetch_one(&db.pool).await?)
}

/// **Mark all as read**: everything up to `until` (the newest notification the page showed, so
/// one that arrived since stays unread). Never moves back, and never past now.
pub async fn mark_read(db: &Db, member: &Member, until: i64) -> Result<()> {
    let until = until.clamp(0, now_ms());
    sqlx::query(
        "INSERT INTO notification_reads (user_id, read_until) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE \
         SET read_until = CASE WHEN excluded.read_until > notification_reads.read_until \
         THEN excluded.read_until ELSE notification_reads.read_until END",
    )
    .bind(member.user_id.as_str())
    .bind(until)
    .execute(&db.pool)
    .await?;
    Ok(())
}

async fn read_until(db: &Db, member: &Member) -> Result<i64> {
    let until: Option<i64> = sqlx::query_scalar("SELECT read_until FROM notification_reads WHERE user_id = $1")
        .bind(member.user_id.as_str())
        .fetch_optional(&db.pool)
        .await?;
    Ok(until.unwrap_or(0))
}
