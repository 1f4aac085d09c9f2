//! The reseller's products (admins keep them under Settings → Products): what customers
//! subscribe to. A SKU is unique within the reseller. A product no customer has subscribed to can
//! be deleted; once one has, it is retired instead (no longer offered, kept for its
//! subscriptions). A price change applies to new subscriptions: each keeps the price it was
//! taken at.

use portico_shared::api::Problem;
use portico_shared::ids::{ProductId, ResellerId};
use portico_shared::money::{Currency, Money};
use portico_shared::subscriptions::{BillingPeriod, Product, ProductInput, ValidProduct};
use portico_shared::{Field, FieldError};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::Snapshot;
use crate::commerce::{record, remove_entry, Catalog, Removed};
use crate::db::{new_id, now_ms, Db};
use crate::error::changed_meanwhile;
use crate::error::{is_unique_violation, Error, Result};
use crate::principal::{Actor, ResellerAdmin};
use crate::Portico;

const PRODUCTS: Catalog = Catalog { table: "products", entry: "Product" };

const COLUMNS: &str =
    "id, name, sku, unit_price_minor, currency, billing_period, term_months, retired_on, used_at, version";

/// The reseller's products, those on offer first, by name.
pub async fn list(db: &Db, reseller: &ResellerId) -> Result<Vec<Product>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM products WHERE reseller_id = $1 ORDER BY retired_on IS NOT NULL, name, sku"
    ))
    .bind(reseller.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(product).collect()
}

pub(crate) fn product(row: &AnyRow) -> Result<Product> {
    let id: ProductId = row.try_get("id")?;
    let corrupt = |what: &str| Error::Internal(anyhow::anyhow!("product {id} has a malformed {what}"));
    let currency = Currency::parse(&row.try_get::<String, _>("currency")?).map_err(|_| corrupt("currency"))?;
    let term: Option<i64> = row.try_get("term_months")?;
    let settings = ValidProduct {
        name: row.try_get("name")?,
        sku: row.try_get("sku")?,
        unit_price: Money::new(row.try_get("unit_price_minor")?, currency),
        billing_period: row
            .try_get::<String, _>("billing_period")?
            .parse::<BillingPeriod>()
            .map_err(|_| corrupt("billing period"))?,
        term_months: term.map(|months| u32::try_from(months).map_err(|_| corrupt("term"))).transpose()?,
    };
    Ok(Product {
        settings,
        retired: row.try_get::<Option<String>, _>("retired_on")?.is_some(),
        used: row.try_get::<Option<i64>, _>("used_at")?.is_some(),
        version: row.try_get("version")?,
        id,
    })
}

/// One of the reseller's products, by id; inside a transaction.
pub(crate) async fn find(tx: &mut Transaction<'_, Any>, reseller: &ResellerId, id: &ProductId) -> Result<Product> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1 AND reseller_id = $2"))
        .bind(id)
        .bind(reseller.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    product(&row)
}

fn snapshot(product: &ValidProduct) -> Snapshot {
    Snapshot::from([
        ("Name", product.name.clone()),
        ("SKU", product.sku.clone()),
        ("Unit price", product.unit_price.format()),
        ("Billing period", product.billing_period.label().to_owned()),
        ("Term", product.term_months.map(|months| format!("{months} months")).unwrap_or_else(|| "None".into())),
    ])
}

/// A SKU another product of the reseller has: refused on the field.
fn sku_taken(error: sqlx::Error) -> Error {
    if is_unique_violation(&error) {
        Error::Validation(vec![FieldError::new(Field::Sku, Problem::Conflict)])
    } else {
        error.into()
    }
}

/// Adds a product to the admin's reseller.
pub async fn add(portico: &Portico, admin: &ResellerAdmin, input: &ProductInput) -> Result<ProductId> {
    let product = input.validate().map_err(Error::Validation)?;
    create(&portico.db, &admin.reseller_id, &admin.actor(), &product).await
}

/// Stores a checked product of `reseller`, in its history as `actor`'s.
pub(crate) async fn create(db: &Db, reseller: &ResellerId, actor: &Actor, product: &ValidProduct) -> Result<ProductId> {
    let id = ProductId(new_id("prd"));
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO products (id, reseller_id, name, sku, unit_price_minor, currency, billing_period, term_months, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(&product.name)
    .bind(&product.sku)
    .bind(product.unit_price.minor)
    .bind(product.unit_price.currency.code())
    .bind(product.billing_period.as_str())
    .bind(product.term_months.map(i64::from))
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(sku_taken)?;
    let action = format!("Product added: {}", product.name);
    record(&mut tx, reseller, None, actor, &action, None, Some(snapshot(product))).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a product, if it is still at `version`; subscriptions keep their own price.
pub async fn update(
    portico: &Portico,
    admin: &ResellerAdmin,
    id: &ProductId,
    version: i64,
    input: &ProductInput,
) -> Result<()> {
    let product = input.validate().map_err(Error::Validation)?;
    let mut tx = portico.db.begin_write().await?;
    let before = find(&mut tx, &admin.reseller_id, id).await?;
    if before.version != version {
        return Err(changed_meanwhile("product"));
    }
    let updated = sqlx::query(
        "UPDATE products SET name = $1, sku = $2, unit_price_minor = $3, currency = $4, billing_period = $5, \
         term_months = $6, version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9",
    )
    .bind(&product.name)
    .bind(&product.sku)
    .bind(product.unit_price.minor)
    .bind(product.unit_price.currency.code())
    .bind(product.billing_period.as_str())
    .bind(product.term_months.map(i64::from))
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .map_err(sku_taken)?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("product"));
    }
    let action = format!("Product changed: {}", product.name);
    let (before, after) = (Some(snapshot(&before.settings)), Some(snapshot(&product)));
    record(&mut tx, &admin.reseller_id, None, &admin.actor(), &action, before, after).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a product: deleted when no customer has subscribed to it, retired otherwise.
pub async fn remove(portico: &Portico, admin: &ResellerAdmin, id: &ProductId, version: i64) -> Result<Removed> {
    let mut tx = portico.db.begin_write().await?;
    let before = find(&mut tx, &admin.reseller_id, id).await?;
    if before.version != version {
        return Err(changed_meanwhile("product"));
    }
    if before.retired {
        return Err(Error::Conflict("This product is already retired.".into()));
    }
    let removed = remove_entry(&mut tx, &PRODUCTS, id.as_str(), version, before.used).await?;
    let action = format!("Product {}: {}", removed.word(), before.settings.name);
    record(&mut tx, &admin.reseller_id, None, &admin.actor(), &action, Some(snapshot(&before.settings)), None).await?;
    tx.commit().await?;
    Ok(removed)
}
