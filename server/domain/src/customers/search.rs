//! The search index of the Customers list: each customer's words, stored so that a search word
//! is one index range (`term >= word AND term < word + U+10FFFF`) on SQLite and PostgreSQL alike.
//! Word-prefix matching is what people expect of a name search ("acm" finds "Acme Corp", "smith"
//! finds "John Smith"); substring matching would need a full scan of every customer.

use std::collections::BTreeSet;

use portico_shared::customer::{search_tokens, search_words, CustomerStatus};
use portico_shared::details::CustomerDetails;
use portico_shared::ids::{CustomerId, ResellerId};
use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::error::Result;

/// Longest term kept; longer words are cut, so a search for their beginning still finds them.
const TERM_MAX_CHARS: usize = 40;

/// The terms a customer is found by: the words and tokens of its organization, contact name and
/// e-mail (the e-mail's token is the whole address), plus the e-mail's domain. A term that begins
/// another term of the customer is left out: every search word it begins, the longer term begins
/// too, so the customer is found all the same, and a common word ("acme", also the start of the
/// domain "acme-dental.test") costs a search one row per customer instead of two.
pub fn terms(details: &CustomerDetails) -> BTreeSet<String> {
    let email = details.email.to_lowercase();
    let domain = email.rsplit_once('@').map(|(_, domain)| domain.to_owned());
    let all: Vec<String> = [&details.organization, &details.contact_name, &details.email]
        .into_iter()
        .flat_map(|text| search_words(text).into_iter().chain(search_tokens(text)))
        .chain(domain)
        .map(|term| term.chars().take(TERM_MAX_CHARS).collect::<String>())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    // Sorted, the terms that a term begins come right after it.
    all.iter()
        .enumerate()
        .filter(|(i, term)| !all.get(i + 1).is_some_and(|next| next.starts_with(term.as_str())))
        .map(|(_, term)| term.clone())
        .collect()
}

/// The exclusive upper bound of the terms that begin with `word`.
pub fn prefix_end(word: &str) -> String {
    format!("{word}{}", char::MAX)
}

/// Replaces the customer's terms with those of `details`, each carrying the customer's sort keys
/// and status (a database trigger keeps the status current afterwards).
pub async fn index(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: &CustomerId,
    details: &CustomerDetails,
    status: CustomerStatus,
    created_at: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM customer_search_terms WHERE customer_id = $1")
        .bind(customer.as_str())
        .execute(&mut **tx)
        .await?;
    let terms = terms(details);
    let rows: Vec<String> = (0..terms.len())
        .map(|i| {
            let n = 6 * i;
            format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6)
        })
        .collect();
    let sql = format!(
        "INSERT INTO customer_search_terms (reseller_id, term, customer_id, created_at, organization_key, status) \
         VALUES {}",
        rows.join(", ")
    );
    let organization_key = details.organization_key();
    let mut insert = sqlx::query(&sql);
    for term in &terms {
        insert = insert
            .bind(reseller.as_str())
            .bind(term.as_str())
            .bind(customer.as_str())
            .bind(created_at)
            .bind(organization_key.as_str())
            .bind(status.as_str());
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// Indexes the customers that have no terms yet (those stored before the index existed).
pub async fn index_missing(db: &Db) -> Result<u64> {
    let ids: Vec<CustomerId> = sqlx::query_scalar(
        "SELECT c.id FROM customers c WHERE NOT EXISTS \
         (SELECT 1 FROM customer_search_terms t WHERE t.customer_id = c.id)",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut done = 0;
    for customer in ids {
        let mut tx = db.begin_write().await?;
        if let Some((reseller, record)) = super::find_any(&mut tx, &customer).await? {
            index(&mut tx, &reseller, &customer, &record.details, record.status, record.created_at).await?;
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
    fn a_customer_is_found_by_each_word_and_its_whole_email_with_no_redundant_term() {
        let details = DetailsInput {
            company_name: "Internal-Legal, Inc.".into(),
            contact_name: "John Smith".into(),
            email: "John.Smith@Customer.com".into(),
            phone: "555-555-5555".into(),
            country: "US".into(),
            ..DetailsInput::default()
        }
        .validate(false)
        .unwrap();
        let found: Vec<String> = terms(&details).into_iter().collect();
        // "customer", "internal" and "john" begin longer terms, which find the customer for them.
        let expected = ["com", "customer.com", "inc", "internal-legal", "john.smith@customer.com", "legal", "smith"];
        assert_eq!(found, expected);
        for word in ["customer", "cust", "internal", "internal-l", "john", "jo", "john.smith@", "legal", "smi", "inc"] {
            assert!(found.iter().any(|term| term.starts_with(word)), "{word}");
        }
        assert!(prefix_end("acm").as_str() > "acme" && prefix_end("acm").as_str() > "acm\u{FFFF}");
    }
}
