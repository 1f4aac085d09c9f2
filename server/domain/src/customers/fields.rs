//! Customer fields: the reseller's admins define them; each customer has values that meet them,
//! filled in by any of the reseller's users.

use std::collections::BTreeMap;

use portico_shared::api::Problem;
use portico_shared::custom_fields::{DefinitionInput, FieldDefinition, FieldKind, FieldValue};
use portico_shared::ids::{CustomFieldId, CustomerId, ResellerId};
use portico_shared::{Field, FieldError};
use sqlx::Row;

use crate::audit::{self, Change, Snapshot};
use crate::customers::{self, settings};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::{ResellerAdmin, ResellerUser};
use crate::Portico;

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
pub async fn define(portico: &Portico, admin: &ResellerAdmin, input: &DefinitionInput) -> Result<CustomFieldId> {
    let field = input.validate().map_err(Error::Validation)?;
    let (reseller, actor) = (&admin.reseller_id, &admin.actor());
    let id = CustomFieldId(new_id("cfd"));
    let mut tx = portico.db.begin_write().await?;
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
pub async fn retire(portico: &Portico, admin: &ResellerAdmin, id: &CustomFieldId) -> Result<()> {
    let (reseller, actor) = (&admin.reseller_id, &admin.actor());
    let mut tx = portico.db.begin_write().await?;
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
    let stored: BTreeMap<CustomFieldId, String> = sqlx::query_as::<_, (CustomFieldId, String)>(
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

/// Replaces the customer's values (`raw`: field id → text as typed) after checking each field in
/// use; any refusal stores nothing and names each refused field by its id.
pub async fn save_values(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    raw: &BTreeMap<String, String>,
) -> Result<()> {
    let db = &portico.db;
    let record = customers::own(db, user, customer).await?;
    settings::editable(record.status)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let current = values(db, reseller, customer).await?;
    let mut checked = Vec::new();
    let mut errors = Vec::new();
    for field in &current {
        let typed = raw.get(field.definition.id.as_str()).map_or("", String::as_str);
        match field.definition.check(typed) {
            Ok(value) => checked.push((field, value)),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(Error::InvalidValues(errors));
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
