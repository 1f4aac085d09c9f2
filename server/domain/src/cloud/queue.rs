//! The Cloud Support console's queue: link and unlink requests across every reseller.

use portico_shared::cloud_links::{AccountKind, QueueFilter, SupportRequest};
use sqlx::Row;

use portico_shared::ids::CloudAccountId;

use crate::cloud::links::{histories, link_of, LINK_COLUMNS};
use crate::error::Result;
use crate::principal::CloudSupport;
use crate::Portico;

/// The most requests one page lists.
const PAGE: i64 = 200;

/// The requests `filter` selects, the longest-waiting first, across every reseller: for the
/// Cloud Support console only.
pub async fn requests(portico: &Portico, _support: &CloudSupport, filter: QueueFilter) -> Result<Vec<SupportRequest>> {
    let db = &portico.db;
    let states = filter.states();
    let placeholders: Vec<String> = (1..=states.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT a.id, a.version, r.name AS reseller, c.id AS customer, c.organization, a.account_number, \
         a.root_email, a.role_arn, a.kind, a.account_name, s.name AS support_plan, {LINK_COLUMNS} FROM cloud_accounts a \
         JOIN customers c ON c.id = a.customer_id JOIN resellers r ON r.id = a.reseller_id \
         LEFT JOIN support_plans s ON s.id = a.support_plan_id \
         WHERE a.link_state IN ({}) ORDER BY a.link_changed_at, a.id LIMIT {PAGE}",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for state in states {
        query = query.bind(state.as_str());
    }
    let rows = query.fetch_all(&db.pool).await?;
    let ids: Vec<CloudAccountId> =
        rows.iter().map(|row| row.try_get("id")).collect::<std::result::Result<_, sqlx::Error>>()?;
    let mut histories = histories(db, &ids).await?;
    rows.iter()
        .zip(&ids)
        .map(|(row, id)| {
            Ok(SupportRequest {
                account: id.clone(),
                kind: AccountKind::parse(&row.try_get::<String, _>("kind")?)
                    .ok_or_else(|| anyhow::anyhow!("unknown account kind"))?,
                account_name: row.try_get("account_name")?,
                support_plan: row.try_get("support_plan")?,
                version: row.try_get("version")?,
                reseller: row.try_get("reseller")?,
                customer: row.try_get("customer")?,
                customer_name: row.try_get("organization")?,
                account_id: row.try_get("account_number")?,
                email: row.try_get("root_email")?,
                role_arn: row.try_get("role_arn")?,
                link: link_of(row, &mut histories, id)?,
            })
        })
        .collect()
}
