//! The search index of the Customers list: each customer's words, stored so that a search word
//! is one index range (`term >= word AND term < word + U+10FFFF`) on SQLite and PostgreSQL alike.
//! Word-prefix matching is what people expect of a name search ("acm" finds "Acme Corp", "smith"
//! finds "John Smith"); substring matching would need a full scan of every customer.

use std::collections::BTreeSet;

use portico_shared::customer::search_words;
use portico_shared::details::CustomerDetails;
use portico_shared::ids::{CustomerId, ResellerId};
use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::error::Result;

/// Longest term kept; longer words are cut, so a search for their beginning still finds them.
const TERM_MAX_CHARS: usize = 40;

/// The terms a customer is found by: the words of its organization, contact name and e-mail,
/// plus the whole e-mail address and its domain.
pub fn terms(details: &CustomerDetails) -> BTreeSet<String> {
    let email = details.email.to_lowercase();
    let domain = email.rsplit_once('@').map(|(_, domain)| domain.to_owned());
    [&details.organization, &details.contact_name, &details.email]
        .into_iter()
        .flat_map(|text| search_words(text))
        .chain([email.clone()])
        .chain(domain)
        .map(|term| term.chars().take(TERM_MAX_CHARS).collect())
        .collect()
}

/// The exclusive upper bound of the terms that begin with `word`.
pub fn prefix_end(word: &str) -> String {
    format!("{word}{}", char::MAX)
}

/// Replaces the customer's terms with those of `details`.
pub async fn index(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: &CustomerId,
    details: &CustomerDetails,
) -> Result<()> {
    sqlx::query("DELETE FROM customer_search_terms WHERE customer_id = $1")
        .bind(customer.as_str())
        .execute(&mut **tx)
        .await?;
    let terms = terms(details);
    let rows: Vec<String> =
        (0..terms.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
    let sql = format!("INSERT INTO customer_search_terms (reseller_id, term, customer_id) VALUES {}", rows.join(", "));
    let mut insert = sqlx::query(&sql);
    for term in &terms {
        insert = insert.bind(reseller.as_str()).bind(term.as_str()).bind(customer.as_str());
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// Indexes the customers that have no terms yet (those stored before the index existed).
pub async fn index_missing(db: &Db) -> Result<u64> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT c.id FROM customers c WHERE NOT EXISTS \
         (SELECT 1 FROM customer_search_terms t WHERE t.customer_id = c.id)",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut done = 0;
    for id in ids {
        let customer = CustomerId(id);
        let mut tx = db.begin_write().await?;
        if let Some((reseller, record)) = super::find_any(&mut tx, &customer).await? {
            index(&mut tx, &reseller, &customer, &record.details).await?;
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use portico_shared::details::DetailsInput;

    use super::*;

    #[test]
    fn a_customer_is_found_by_each_word_and_its_whole_email() {
        let details = DetailsInput {
            company_name: "Internal-Legal".into(),
            contact_name: "John Smith".into(),
            email: "John.Smith@Customer.com".into(),
            phone: "555-555-5555".into(),
            country: "US".into(),
            ..DetailsInput::default()
        }
        .validate(false)
        .unwrap();
        let found: Vec<String> = terms(&details).into_iter().collect();
        assert_eq!(
            found,
            vec!["com", "customer", "customer.com", "internal", "john", "john.smith@customer.com", "legal", "smith"]
        );
        assert!(prefix_end("acm").as_str() > "acme" && prefix_end("acm").as_str() > "acm\u{FFFF}");
    }
}
