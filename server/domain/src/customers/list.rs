//! The Customers list: search, status filter, three orders, and keyset pagination, so that
//! every page costs about the same however deep into 100,000 customers it is.
//!
//! Without a search, a page walks one index of `customers` and stops after a page. With one, the
//! ranges of the search terms its words begin (terms carry each customer's sort keys and status)
//! are read in sequence, grouped by customer, filtered and ordered inside that table, and only the
//! page's customers are read from `customers`.

use portico_shared::customer::{CustomerList, CustomerQuery, CustomerSort, CustomerStatus, CustomerSummary};
use portico_shared::ids::ResellerId;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::search::prefix_end;
use crate::db::Db;
use crate::error::Result;
use crate::principal::ResellerUser;
use crate::Portico;

/// Words beyond this many are ignored: each adds a condition, and no one needs more.
const MAX_WORDS: usize = 5;

const COLUMNS: &str = "c.id, c.organization, c.organization_key, c.contact_name, c.contact_email, c.status, \
     c.created_at, c.version, (SELECT MAX(u.email_verified_at) FROM customer_users u WHERE u.customer_id = c.id \
     AND u.email = c.contact_email) AS verified_at";

/// The Customers list as the signed-in user asks for it: a page of their reseller's customers.
pub async fn of(portico: &Portico, user: &ResellerUser, query: &CustomerQuery) -> Result<CustomerList> {
    page(&portico.db, &user.reseller_id, query, CustomerQuery::PAGE_SIZE).await
}

/// One page of `reseller`'s customers for `query`, with the cursor of the next page.
pub async fn page(db: &Db, reseller: &ResellerId, query: &CustomerQuery, size: usize) -> Result<CustomerList> {
    let mut sql = Sql { text: String::new(), values: vec![Value::Text(reseller.as_str().to_owned())] };
    let words: Vec<String> = query.words().into_iter().take(MAX_WORDS).collect();
    let after = query.after.as_deref().and_then(|cursor| Cursor::parse(query.sort, cursor));
    // One row more than a page tells whether there is a next page.
    let limit = size + 1;
    match words.first() {
        None => {
            sql.text = format!("SELECT {COLUMNS} FROM customers c WHERE c.reseller_id = $1");
            if let Some(status) = query.status {
                let status = sql.bind(Value::Text(status.as_str().to_owned()));
                sql.text += &format!(" AND c.status = {status}");
            }
            sql.keyset(query.sort, after, "c", "c.id");
            sql.text += &format!(" ORDER BY {} LIMIT {limit}", order(query.sort, "c", "c.id"));
        }
        Some(_) => {
            // Each term matches at most one word (no word begins another), so a customer matches
            // when its terms cover as many distinct words as the search has. One index range per
            // word, joined with UNION ALL rather than OR: PostgreSQL answers each range from the
            // index alone, where OR made it visit a table page per term.
            let mut branches = Vec::new();
            for (i, word) in words.iter().enumerate() {
                let (low, high) = (sql.bind(Value::Text(word.clone())), sql.bind(Value::Text(prefix_end(word))));
                sql.text = format!(
                    "SELECT t.customer_id, t.created_at, t.organization_key, {i} AS word \
                     FROM customer_search_terms t WHERE t.reseller_id = $1 AND t.term >= {low} AND t.term < {high}"
                );
                if let Some(status) = query.status {
                    let status = sql.bind(Value::Text(status.as_str().to_owned()));
                    sql.text += &format!(" AND t.status = {status}");
                }
                sql.keyset(query.sort, after.clone(), "t", "t.customer_id");
                branches.push(std::mem::take(&mut sql.text));
            }
            sql.text = format!(
                "SELECT {COLUMNS} FROM (SELECT m.customer_id, m.created_at, m.organization_key FROM ({}) m \
                 GROUP BY m.customer_id, m.created_at, m.organization_key HAVING COUNT(DISTINCT m.word) = {} \
                 ORDER BY {} LIMIT {limit}) m JOIN customers c ON c.id = m.customer_id ORDER BY {}",
                branches.join(" UNION ALL "),
                words.len(),
                order(query.sort, "m", "m.customer_id"),
                order(query.sort, "c", "c.id"),
            );
        }
    }

    let mut select = sqlx::query(&sql.text);
    for value in sql.values {
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

/// A bound value of the query being built.
enum Value {
    Text(String),
    Int(i64),
}

/// SQL being built with its bound values, numbered `$1`, `$2`… as both backends accept.
struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// Adds a value and returns its placeholder.
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// Rows after the cursor, in the sort's order, on `table`'s sort key and `id` column.
    fn keyset(&mut self, sort: CustomerSort, after: Option<Cursor>, table: &str, id: &str) {
        let Some(after) = after else { return };
        let key = match after.key {
            Key::Created(at) => self.bind(Value::Int(at)),
            Key::Organization(name) => self.bind(Value::Text(name)),
        };
        let last = self.bind(Value::Text(after.id));
        let (column, op) = match sort {
            CustomerSort::Newest => ("created_at", "<"),
            CustomerSort::Oldest => ("created_at", ">"),
            CustomerSort::Organization => ("organization_key", ">"),
        };
        self.text += &format!(" AND ({table}.{column} {op} {key} OR ({table}.{column} = {key} AND {id} {op} {last}))");
    }
}

/// The ORDER BY of a sort, on `table`'s sort key and `id` column.
fn order(sort: CustomerSort, table: &str, id: &str) -> String {
    match sort {
        CustomerSort::Newest => format!("{table}.created_at DESC, {id} DESC"),
        CustomerSort::Oldest => format!("{table}.created_at, {id}"),
        CustomerSort::Organization => format!("{table}.organization_key, {id}"),
    }
}

fn summary(row: &AnyRow) -> Result<CustomerSummary> {
    let status: String = row.try_get("status")?;
    Ok(CustomerSummary {
        id: row.try_get("id")?,
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
#[derive(Clone, Debug)]
struct Cursor {
    id: String,
    key: Key,
}

#[derive(Clone, Debug)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use portico_shared::fuzzing;
    use proptest::prelude::*;

    /// 100,000 cursors as a browser may send them back (edited, truncated, from another sort):
    /// never a panic, and every cursor the list writes reads back as itself.
    #[test]
    fn fuzz_customer_list_cursors() {
        let sorts =
            proptest::sample::select(&[CustomerSort::Newest, CustomerSort::Oldest, CustomerSort::Organization][..]);
        let written = (
            "cus_[0-9a-f]{0,32}",
            prop_oneof![any::<i64>().prop_map(Key::Created), "\\PC{0,30}".prop_map(Key::Organization)],
        )
            .prop_map(|(id, key)| Cursor { id, key });
        let typed = fuzzing::text(&["cus_", "~", "-", "0", "9223372036854775808", "Acme", "%7E"], 6);
        fuzzing::run("customer-list cursors", (sorts, written, typed), |(sort, cursor, typed)| {
            let _ = Cursor::parse(sort, &typed);
            let fits = matches!(
                (sort, &cursor.key),
                (CustomerSort::Organization, Key::Organization(_))
                    | (CustomerSort::Newest | CustomerSort::Oldest, Key::Created(_))
            );
            let text = cursor.to_string();
            let read = Cursor::parse(sort, &text);
            if !fits {
                return Ok(false);
            }
            let read = read.ok_or_else(|| TestCaseError::fail(format!("{text:?} did not read back")))?;
            prop_assert_eq!(read.to_string(), text);
            Ok(true)
        });
    }
}
