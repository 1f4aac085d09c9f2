//! The Customers list: search, status filter, three orders, and keyset pagination, so that
//! every page costs the same however deep into 100,000 customers it is.

use portico_shared::customer::{CustomerList, CustomerQuery, CustomerSort, CustomerStatus, CustomerSummary};
use portico_shared::ids::{CustomerId, ResellerId};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::search::prefix_end;
use crate::db::Db;
use crate::error::Result;

/// Words beyond this many are ignored: each adds a condition, and no one needs more.
const MAX_WORDS: usize = 5;

/// A bound value of the query being built.
enum Value {
    Text(String),
    Int(i64),
}

/// One page of `reseller`'s customers for `query`, with the cursor of the next page.
pub async fn page(db: &Db, reseller: &ResellerId, query: &CustomerQuery, size: usize) -> Result<CustomerList> {
    let mut values = vec![Value::Text(reseller.as_str().to_owned())];
    let mut bind = |value: Value| {
        values.push(value);
        format!("${}", values.len())
    };
    let mut sql = String::from(
        "SELECT c.id, c.organization, c.organization_key, c.contact_name, c.contact_email, c.status, c.created_at, \
         c.version, (SELECT MAX(u.email_verified_at) FROM customer_users u WHERE u.customer_id = c.id \
         AND u.email = c.contact_email) AS verified_at FROM customers c WHERE c.reseller_id = $1",
    );
    if let Some(status) = query.status {
        sql += &format!(" AND c.status = {}", bind(Value::Text(status.as_str().to_owned())));
    }
    for word in query.words().into_iter().take(MAX_WORDS) {
        let high = bind(Value::Text(prefix_end(&word)));
        let low = bind(Value::Text(word));
        sql += &format!(
            " AND c.id IN (SELECT t.customer_id FROM customer_search_terms t WHERE t.reseller_id = $1 \
             AND t.term >= {low} AND t.term < {high})"
        );
    }
    if let Some(after) = query.after.as_deref().and_then(|cursor| Cursor::parse(query.sort, cursor)) {
        let (key, id) = match after.key {
            Key::Created(at) => (bind(Value::Int(at)), bind(Value::Text(after.id))),
            Key::Organization(name) => (bind(Value::Text(name)), bind(Value::Text(after.id))),
        };
        let (column, op) = match query.sort {
            CustomerSort::Newest => ("c.created_at", "<"),
            CustomerSort::Oldest => ("c.created_at", ">"),
            CustomerSort::Organization => ("c.organization_key", ">"),
        };
        sql += &format!(" AND ({column} {op} {key} OR ({column} = {key} AND c.id {op} {id}))");
    }
    sql += match query.sort {
        CustomerSort::Newest => " ORDER BY c.created_at DESC, c.id DESC",
        CustomerSort::Oldest => " ORDER BY c.created_at, c.id",
        CustomerSort::Organization => " ORDER BY c.organization_key, c.id",
    };
    // One row more than a page tells whether there is a next page.
    sql += &format!(" LIMIT {}", size + 1);

    let mut select = sqlx::query(&sql);
    for value in values {
        select = match value {
            Value::Text(text) => select.bind(text),
            Value::Int(int) => select.bind(int),
        };
    }
    let rows = select.fetch_all(&db.pool).await?;
    let next = match rows.get(size.saturating_sub(1)) {
        Some(last) if rows.len() > size => Some(Cursor::of(query.sort, last)?.to_string()),
        _ => None,
    };
    let customers = rows.iter().take(size).map(summary).collect::<Result<_>>()?;
    Ok(CustomerList { customers, next })
}

fn summary(row: &AnyRow) -> Result<CustomerSummary> {
    let status: String = row.try_get("status")?;
    Ok(CustomerSummary {
        id: CustomerId(row.try_get("id")?),
        organization: row.try_get("organization")?,
        contact_name: row.try_get("contact_name")?,
        contact_email: row.try_get("contact_email")?,
        status: CustomerStatus::parse(&status)
            .ok_or_else(|| anyhow::anyhow!("customer has unknown status {status:?}"))?,
        created_at: row.try_get("created_at")?,
        version: row.try_get("version")?,
        email_verified: row.try_get::<Option<i64>, _>("verified_at")?.is_some(),
    })
}

/// Where a page starts: the sort key and id of the last row of the page before.
/// Written `<id>~<key>`; ids never contain `~`.
struct Cursor {
    id: String,
    key: Key,
}

enum Key {
    Created(i64),
    Organization(String),
}

impl Cursor {
    fn of(sort: CustomerSort, row: &AnyRow) -> Result<Cursor> {
        let key = match sort {
            CustomerSort::Newest | CustomerSort::Oldest => Key::Created(row.try_get("created_at")?),
            CustomerSort::Organization => Key::Organization(row.try_get("organization_key")?),
        };
        Ok(Cursor { id: row.try_get("id")?, key })
    }

    /// `None` for a cursor that does not fit the sort (edited by hand, or from another sort):
    /// the list then starts from its first page.
    fn parse(sort: CustomerSort, text: &str) -> Option<Cursor> {
        let (id, key) = text.split_once('~')?;
        let key = match sort {
            CustomerSort::Newest | CustomerSort::Oldest => Key::Created(key.parse().ok()?),
            CustomerSort::Organization => Key::Organization(key.to_owned()),
        };
        Some(Cursor { id: id.to_owned(), key })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Key::Created(at) => write!(f, "{}~{at}", self.id),
            Key::Organization(name) => write!(f, "{}~{name}", self.id),
        }
    }
}
