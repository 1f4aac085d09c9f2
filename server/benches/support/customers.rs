//! Many customers of one reseller, quickly: organizations from word lists, distinct e-mails,
//! mostly active, written in batches with their search terms.

use portico_domain::customers::search;
use portico_domain::db::Db;
use portico_shared::details::DetailsInput;
use portico_shared::ids::ResellerId;

const BATCH: usize = 400;

const ADJECTIVES: [&str; 24] = [
    "Acme", "Blue", "Bright", "Cedar", "Delta", "Eagle", "First", "Global", "Granite", "Harbor", "Iron", "Juniper",
    "Keystone", "Lakeside", "Maple", "North", "Oak", "Pioneer", "Quantum", "River", "Summit", "Union", "Valley",
    "West",
];
const NOUNS: [&str; 20] = [
    "Legal",
    "Dental",
    "Logistics",
    "Foods",
    "Robotics",
    "Capital",
    "Health",
    "Motors",
    "Media",
    "Energy",
    "Labs",
    "Analytics",
    "Builders",
    "Design",
    "Farms",
    "Freight",
    "Insurance",
    "Clinic",
    "Software",
    "Textiles",
];
const SUFFIXES: [&str; 6] = ["Inc", "LLC", "Ltd", "Group", "Partners", "Co"];
const FIRST: [&str; 30] = [
    "John", "Mary", "Ana", "Wei", "Priya", "Omar", "Lena", "Carlos", "Yuki", "Fatima", "Noah", "Emma", "Liam",
    "Olivia", "Mateo", "Sofia", "Ivan", "Chloe", "Amir", "Grace", "Diego", "Hana", "Tom", "Zoe", "Ravi", "Elif", "Sam",
    "Nia", "Luca", "Maya",
];

/// Deterministic customers: organizations from word lists, distinct e-mails, mostly active.
pub async fn seed(db: &Db, reseller: &ResellerId, count: usize, offset: usize) {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ offset as u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for start in (0..count).step_by(BATCH) {
        let mut tx = db.begin_write().await.unwrap();
        let mut customer_rows = Vec::new();
        let mut term_rows = Vec::new();
        for i in start..(start + BATCH).min(count) {
            let n = i + offset;
            let r = next() as usize;
            let (adjective, noun, suffix) = (ADJECTIVES[r % 24], NOUNS[(r / 24) % 20], SUFFIXES[(r / 480) % 6]);
            let first = FIRST[(r / 2880) % 30];
            let status = match (r / 86_400) % 100 {
                0..=4 => "pending_approval",
                5..=7 => "suspended",
                8..=9 => "rejected",
                _ => "active",
            };
            let details = DetailsInput {
                company_name: format!("{adjective} {noun} {suffix}"),
                contact_name: format!("{first} Smith{n}"),
                email: format!(
                    "{}.smith{n}@{}-{}.test",
                    first.to_lowercase(),
                    adjective.to_lowercase(),
                    noun.to_lowercase()
                ),
                phone: "555-555-5555".into(),
                country: "US".into(),
                ..DetailsInput::default()
            }
            .validate(false)
            .unwrap();
            let id = format!("cus_bench{n:08}");
            let created_at = 1_700_000_000_000_i64 + i64::try_from(n).unwrap() * 60_000;
            for term in search::terms(&details) {
                term_rows.push((id.clone(), term, created_at, details.organization_key(), status));
            }
            customer_rows.push((id, details, status, created_at));
        }
        let placeholders: Vec<String> = (0..customer_rows.len())
            .map(|i| {
                let b = i * 9;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, 'US', ${}, 'portal', 1, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 9
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO customers (id, reseller_id, organization, organization_key, contact_name, contact_email, \
             contact_phone, country, status, source, version, created_at, updated_at) VALUES {}",
            placeholders.join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for (id, details, status, created_at) in &customer_rows {
            insert = insert
                .bind(id.as_str())
                .bind(reseller.as_str())
                .bind(details.organization.as_str())
                .bind(details.organization_key())
                .bind(details.contact_name.as_str())
                .bind(details.email.as_str())
                .bind(details.phone.as_str())
                .bind(*status)
                .bind(*created_at);
        }
        insert.execute(&mut **tx).await.unwrap();
        for chunk in term_rows.chunks(1000) {
            let placeholders: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let n = 6 * i;
                    format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6)
                })
                .collect();
            let sql = format!(
                "INSERT INTO customer_search_terms (reseller_id, term, customer_id, created_at, organization_key, \
                 status) VALUES {}",
                placeholders.join(", ")
            );
            let mut insert = sqlx::query(&sql);
            for (id, term, created_at, key, status) in chunk {
                insert = insert
                    .bind(reseller.as_str())
                    .bind(term.as_str())
                    .bind(id.as_str())
                    .bind(*created_at)
                    .bind(key.as_str())
                    .bind(*status);
            }
            insert.execute(&mut **tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
}
