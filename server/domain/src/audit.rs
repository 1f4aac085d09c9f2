//! The audit log: every change by anyone, written in the same transaction as the change itself,
//! so a change and its record exist together or not at all. A reseller's changes are its own log;
//! the platform's (its staff, the resellers it creates) are the platform's log, with no reseller.

use std::collections::BTreeMap;

use portico_shared::customer::AuditEntry;
use portico_shared::ids::{CustomerId, ResellerId};
use sqlx::{Any, Row, Transaction};

use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::{Actor, Principal};
use crate::Portico;

/// Field → value, as the log shows a state before or after a change.
pub type Snapshot = BTreeMap<&'static str, String>;

/// A person's role and whether they may sign in, as the log shows them before and after a change.
pub fn role_and_status(role: &str, disabled: bool) -> Snapshot {
    Snapshot::from([("Role", role.to_owned()), ("Status", if disabled { "Disabled" } else { "Active" }.to_owned())])
}

/// One change to record.
pub struct Change<'a> {
    pub reseller: &'a ResellerId,
    pub customer: Option<&'a CustomerId>,
    pub actor: &'a Actor,
    /// What happened, in words: "Customer added", "Customer suspended".
    pub action: &'a str,
    pub before: Option<Snapshot>,
    pub after: Option<Snapshot>,
}

/// Records `change` inside the caller's transaction. Only fields whose value differs are kept.
pub async fn record(tx: &mut Transaction<'_, Any>, change: Change<'_>) -> Result<()> {
    let Change { reseller, customer, actor, action, before, after } = change;
    insert(tx, Some(reseller), customer, actor, action, before, after).await
}

/// Records a change to the platform itself (its staff, its resellers) in the platform's log.
pub async fn record_platform(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    action: &str,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
) -> Result<()> {
    insert(tx, None, None, actor, action, before, after).await
}

async fn insert(
    tx: &mut Transaction<'_, Any>,
    reseller: Option<&ResellerId>,
    customer: Option<&CustomerId>,
    actor: &Actor,
    action: &str,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
) -> Result<()> {
    let (before, after) = differences(before, after);
    let json = |snapshot: Option<Snapshot>| snapshot.map(|s| serde_json::to_string(&s)).transpose();
    sqlx::query(
        "INSERT INTO audit_events (id, reseller_id, customer_id, actor_id, actor_label, action, before_json, \
         after_json, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id("aud"))
    .bind(reseller.map(ResellerId::as_str))
    .bind(customer.map(CustomerId::as_str))
    .bind(actor.id.as_deref())
    .bind(&actor.label)
    .bind(action)
    .bind(json(before).map_err(anyhow::Error::from)?)
    .bind(json(after).map_err(anyhow::Error::from)?)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops the fields that did not change, when there is both a before and an after.
fn differences(before: Option<Snapshot>, after: Option<Snapshot>) -> (Option<Snapshot>, Option<Snapshot>) {
    match (before, after) {
        (Some(mut before), Some(mut after)) => {
            let same: Vec<&'static str> =
                before.iter().filter(|(field, value)| after.get(*field) == Some(value)).map(|(f, _)| *f).collect();
            for field in same {
                before.remove(field);
                after.remove(field);
            }
            (Some(before), Some(after))
        }
        other => other,
    }
}

/// How many entries the History page shows.
const HISTORY_SHOWN: i64 = 200;

/// The History page: the newest changes in the signed-in user's reseller account, or, for the
/// platform's staff, in the platform's own log (its staff and the resellers it created).
pub async fn history(portico: &Portico, principal: &Principal) -> Result<Vec<AuditEntry>> {
    match principal {
        Principal::Reseller(user) => for_reseller(&portico.db, &user.reseller_id, HISTORY_SHOWN).await,
        Principal::Staff(_) => for_platform(&portico.db, HISTORY_SHOWN).await,
        Principal::Nobody | Principal::Customer(_) => Err(Error::Unauthorized),
    }
}

/// The newest `limit` entries about one customer of `reseller`, newest first.
pub async fn for_customer(
    db: &Db,
    reseller: &ResellerId,
    customer: &CustomerId,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.reseller_id = $1 AND a.customer_id = $2 ORDER BY a.at DESC, a.id DESC LIMIT $3"
    ))
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry).collect()
}

/// The newest `limit` entries of a whole reseller, newest first.
pub async fn for_reseller(db: &Db, reseller: &ResellerId, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE a.reseller_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2"))
        .bind(reseller.as_str())
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(entry).collect()
}

/// The newest `limit` entries of the platform's own log, newest first.
pub async fn for_platform(db: &Db, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE a.reseller_id IS NULL ORDER BY a.at DESC, a.id DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(entry).collect()
}

const SELECT: &str = "SELECT a.actor_label, a.action, a.before_json, a.after_json, a.at, a.customer_id, \
     c.organization FROM audit_events a LEFT JOIN customers c ON c.id = a.customer_id";

fn entry(row: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    let parse = |column: &str| -> Result<BTreeMap<String, String>> {
        let text: Option<String> = row.try_get(column)?;
        Ok(match text {
            Some(text) => serde_json::from_str(&text).map_err(anyhow::Error::from)?,
            None => BTreeMap::new(),
        })
    };
    let (before, after) = (parse("before_json")?, parse("after_json")?);
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    let changes = fields
        .into_iter()
        .map(|field| {
            let value = |map: &BTreeMap<String, String>| map.get(field).cloned().unwrap_or_default();
            (field.clone(), value(&before), value(&after))
        })
        // A field left empty when a customer was added is not news.
        .filter(|(_, before, after)| !(before.is_empty() && after.is_empty()))
        .collect();
    let about = (row.try_get::<Option<String>, _>("customer_id")?, row.try_get::<Option<String>, _>("organization")?);
    let customer = match about {
        (Some(id), Some(organization)) => Some((CustomerId(id), organization)),
        _ => None,
    };
    Ok(AuditEntry {
        at: row.try_get("at")?,
        customer,
        actor: row.try_get("actor_label")?,
        action: row.try_get("action")?,
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_kept() {
        let before = Snapshot::from([("Organization", "Acme".to_owned()), ("Title", "CEO".to_owned())]);
        let after = Snapshot::from([("Organization", "Acme".to_owned()), ("Title", "CTO".to_owned())]);
        let (before, after) = differences(Some(before), Some(after));
        assert_eq!(before.unwrap().into_iter().collect::<Vec<_>>(), vec![("Title", "CEO".to_owned())]);
        assert_eq!(after.unwrap().into_iter().collect::<Vec<_>>(), vec![("Title", "CTO".to_owned())]);
        let (before, after) = differences(None, Some(Snapshot::from([("Status", "Active".to_owned())])));
        assert!(before.is_none() && after.is_some());
    }
}
