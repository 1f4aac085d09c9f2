//! Customer fields: the reseller defines them; each customer has values that meet them.

use std::collections::BTreeMap;

use portico_shared::api::Problem;
use portico_shared::custom_fields::{FieldDefinition, FieldKind, FieldValue, ValidDefinition, ValueError};
use portico_shared::ids::{CustomerId, ResellerId};
use portico_shared::{Field, FieldError};
use sqlx::Row;

use crate::audit::{self, Actor, Change, Snapshot};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};

/// The reseller's fields in use, oldest first.
pub async fn definitions(db: &Db, reseller: &ResellerId) -> Result<Vec<FieldDefinition>> {
    let rows = sqlx::query(
        "SELECT id, label, kind, required, choices FROM customer_field_definitions \
         WHERE reseller_id = $1 AND retired_at IS NULL ORDER BY created_at, id",
    )
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(FieldDefinition {
                id: row.try_get("id")?,
                label: row.try_get("label")?,
                kind: FieldKind::parse(&kind)
                    .ok_or_else(|| anyhow::anyhow!("customer field of unknown kind {kind:?}"))?,
                required: row.try_get::<i64, _>("required")? != 0,
                choices: row.try_get::<String, _>("choices")?.lines().map(str::to_owned).collect(),
            })
        })
        .collect()
}

/// Adds a field; its label must differ from the reseller's other fields in use.
pub async fn define(db: &Db, reseller: &ResellerId, field: &ValidDefinition, actor: &Actor) -> Result<String> {
    let id = new_id("cfd");
    let mut tx = db.begin_write().await?;
    let same: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_field_definitions WHERE reseller_id = $1 AND retired_at IS NULL \
         AND LOWER(label) = LOWER($2)",
    )
    .bind(reseller.as_str())
    .bind(&field.label)
    .fetch_one(&mut **tx)
    .await?;
    if same > 0 {
        return Err(Error::Validation(vec![FieldError::new(Field::Label, Problem::Conflict)]));
    }
    sqlx::query(
        "INSERT INTO customer_field_definitions (id, reseller_id, label, kind, required, choices, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(&field.label)
    .bind(field.kind.as_str())
    .bind(i64::from(field.required))
    .bind(field.choices.join("\n"))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let after = Snapshot::from([
        ("Label", field.label.clone()),
        ("Type", field.kind.label().to_owned()),
        ("Required", if field.required { "Yes" } else { "No" }.to_owned()),
        ("Choices", field.choices.join(", ")),
    ]);
    let change =
        Change { reseller, customer: None, actor, action: "Customer field added", before: None, after: Some(after) };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// Retires a field: it is no longer shown or asked for; customers' values stay stored.
pub async fn retire(db: &Db, reseller: &ResellerId, id: &str, actor: &Actor) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let label: Option<String> = sqlx::query_scalar(
        "UPDATE customer_field_definitions SET retired_at = $1 \
         WHERE id = $2 AND reseller_id = $3 AND retired_at IS NULL RETURNING label",
    )
    .bind(now_ms())
    .bind(id)
    .bind(reseller.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let label = label.ok_or(Error::NotFound)?;
    let before = Snapshot::from([("Label", label)]);
    let change =
        Change { reseller, customer: None, actor, action: "Customer field retired", before: Some(before), after: None };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The customer's value of each field in use.
pub async fn values(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<FieldValue>> {
    let stored: BTreeMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT field_id, value FROM customer_field_values WHERE customer_id = $1",
    )
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .collect();
    Ok(definitions(db, reseller)
        .await?
        .into_iter()
        .map(|definition| FieldValue { value: stored.get(&definition.id).cloned(), definition })
        .collect())
}

/// Why a save of values was refused.
pub enum SaveError {
    Invalid(Vec<ValueError>),
    Failed(Error),
}

impl From<Error> for SaveError {
    fn from(error: Error) -> Self {
        SaveError::Failed(error)
    }
}

impl From<sqlx::Error> for SaveError {
    fn from(error: sqlx::Error) -> Self {
        SaveError::Failed(error.into())
    }
}

/// Replaces the customer's values (`raw`: field id → text as typed) after checking each field in
/// use; any refusal stores nothing.
pub async fn save_values(
    db: &Db,
    reseller: &ResellerId,
    customer: &CustomerId,
    raw: &BTreeMap<String, String>,
    actor: &Actor,
) -> std::result::Result<(), SaveError> {
    let current = values(db, reseller, customer).await?;
    let mut checked = Vec::new();
    let mut errors = Vec::new();
    for field in &current {
        let typed = raw.get(&field.definition.id).map_or("", String::as_str);
        match field.definition.check(typed) {
            Ok(value) => checked.push((field, value)),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let summary = |value_of: &dyn Fn(&FieldValue) -> Option<String>| {
        current
            .iter()
            .map(|field| format!("{}: {}", field.definition.label, value_of(field).unwrap_or_else(|| "(empty)".into())))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let before = summary(&|field| field.value.clone());
    let after = summary(&|field| {
        checked.iter().find(|(f, _)| f.definition.id == field.definition.id).and_then(|(_, v)| v.clone())
    });
    if before == after {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    for (field, value) in &checked {
        sqlx::query("DELETE FROM customer_field_values WHERE customer_id = $1 AND field_id = $2")
            .bind(customer.as_str())
            .bind(&field.definition.id)
            .execute(&mut **tx)
            .await?;
        if let Some(value) = value {
            sqlx::query("INSERT INTO customer_field_values (customer_id, field_id, value) VALUES ($1, $2, $3)")
                .bind(customer.as_str())
                .bind(&field.definition.id)
                .bind(value)
                .execute(&mut **tx)
                .await?;
        }
    }
    let change = Change {
        reseller,
        customer: Some(customer),
        actor,
        action: "Customer fields changed",
        before: Some(Snapshot::from([("Values", before)])),
        after: Some(Snapshot::from([("Values", after)])),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}
