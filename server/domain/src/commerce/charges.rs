//! A customer's charges and discounts (the Charges and discounts tab): the reseller's admins and
//! agents add, change and end the rules of their own customers. Every change is a versioned
//! update, in the customer's history with what it was and what it became. A rule that ends is
//! kept: the bills of the months it applied to still name it.

use std::collections::HashMap;

use portico_shared::api::{FieldError, Problem};
use portico_shared::charges::{
    store_tiers, stored_tiers, Base, Calculation, ChargeRule, ChargeRuleInput, Recurrence, RuleKind, Terms,
    ValidChargeRule,
};
use portico_shared::dates::Month;
use portico_shared::ids::{ChargeRuleId, CloudAccountId, CustomerId, ProviderId, ResellerId, SupportPlanId};
use portico_shared::money::{Currency, Percent};
use portico_shared::Field;
use sqlx::any::AnyArguments;
use sqlx::any::AnyRow;
use sqlx::query::Query;
use sqlx::{Any, Row, Transaction};

use crate::audit::Snapshot;
use crate::commerce::{closed_through, editable_customer, record};
use crate::db::{new_id, now_ms, Db};
use crate::error::changed_meanwhile;
use crate::error::{Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

const COLUMNS: &str = "id, kind, calculation, amount_minor, percent, tiers, minimum_minor, maximum_minor, currency, \
     base, recurrence, start_month, end_month, description, template_id, version";

/// The customer's rules in force or to come (not ended), oldest first.
pub async fn list(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<ChargeRule>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM charge_rules WHERE reseller_id = $1 AND customer_id = $2 AND removed_at IS NULL \
         ORDER BY created_at, id"
    ))
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    let mut accounts = accounts_of(db, customer).await?;
    rows.iter()
        .map(|row| {
            let id: ChargeRuleId = row.try_get("id")?;
            let accounts = accounts.remove(&id).unwrap_or_default();
            rule(row, id, accounts)
        })
        .collect()
}

/// The cloud accounts each rule of the customer applies to.
async fn accounts_of(db: &Db, customer: &CustomerId) -> Result<HashMap<ChargeRuleId, Vec<CloudAccountId>>> {
    let pairs: Vec<(ChargeRuleId, CloudAccountId)> = sqlx::query_as(
        "SELECT a.rule_id, a.account_id FROM charge_rule_accounts a JOIN charge_rules r ON r.id = a.rule_id \
         WHERE r.customer_id = $1 ORDER BY a.account_id",
    )
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    let mut accounts: HashMap<ChargeRuleId, Vec<CloudAccountId>> = HashMap::new();
    for (rule, account) in pairs {
        accounts.entry(rule).or_default().push(account);
    }
    Ok(accounts)
}

/// A stored value that does not read back is the database's fault, not the person's.
fn corrupt(what: &str, id: &ChargeRuleId) -> Error {
    Error::Internal(anyhow::anyhow!("charge rule {id} has a malformed {what}"))
}

fn rule(row: &AnyRow, id: ChargeRuleId, accounts: Vec<CloudAccountId>) -> Result<ChargeRule> {
    let text = |column: &str| row.try_get::<String, _>(column);
    let currency = Currency::parse(&text("currency")?).map_err(|_| corrupt("currency", &id))?;
    let calculation = match text("calculation")?.as_str() {
        "fixed" => {
            Calculation::Fixed(row.try_get::<Option<i64>, _>("amount_minor")?.ok_or_else(|| corrupt("amount", &id))?)
        }
        "percent" => Calculation::Percent(
            row.try_get::<Option<String>, _>("percent")?
                .and_then(|percent| Percent::parse(&percent).ok())
                .ok_or_else(|| corrupt("percent", &id))?,
        ),
        _ => Calculation::Tiered(
            row.try_get::<Option<String>, _>("tiers")?
                .and_then(|tiers| stored_tiers(&tiers))
                .ok_or_else(|| corrupt("tiers", &id))?,
        ),
    };
    let month = |value: String| Month::parse(&value).map_err(|_| corrupt("month", &id));
    let settings = ValidChargeRule {
        kind: text("kind")?.parse::<RuleKind>().map_err(|_| corrupt("kind", &id))?,
        terms: Terms {
            calculation,
            minimum: row.try_get("minimum_minor")?,
            maximum: row.try_get("maximum_minor")?,
            currency,
        },
        base: text("base")?.parse::<Base>().map_err(|_| corrupt("base", &id))?,
        accounts,
        recurrence: text("recurrence")?.parse::<Recurrence>().map_err(|_| corrupt("recurrence", &id))?,
        start: month(text("start_month")?)?,
        end: row.try_get::<Option<String>, _>("end_month")?.map(month).transpose()?,
        description: text("description")?,
    };
    Ok(ChargeRule { settings, template: row.try_get("template_id")?, version: row.try_get("version")?, id })
}

/// The fields the history shows of a rule.
fn snapshot(rule: &ValidChargeRule) -> Snapshot {
    let accounts = if rule.accounts.is_empty() {
        "The whole customer".to_owned()
    } else {
        rule.accounts.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    };
    Snapshot::from([
        ("Type", rule.kind.label().to_owned()),
        ("Calculation", rule.terms.describe()),
        ("Base", rule.base.label().to_owned()),
        ("Applies to", accounts),
        ("Recurrence", rule.recurrence.label().to_owned()),
        ("From", rule.start.to_string()),
        ("Until", rule.end.map(|month| month.to_string()).unwrap_or_default()),
        ("Description", rule.description.clone()),
        ("Currency", rule.terms.currency.code().to_owned()),
    ])
}

/// The columns that store what a rule is, in the order [`bind_rule`] binds them.
const RULE_COLUMNS: &str = "kind, calculation, amount_minor, percent, tiers, minimum_minor, maximum_minor, currency, \
     base, recurrence, start_month, end_month, description";

/// Binds what `rule` is to the first thirteen parameters of `query`, as [`RULE_COLUMNS`] lists them.
fn bind_rule<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    rule: &'q ValidChargeRule,
) -> Query<'q, Any, AnyArguments<'q>> {
    let (amount, percent, tiers) = match &rule.terms.calculation {
        Calculation::Fixed(amount) => (Some(*amount), None, None),
        Calculation::Percent(percent) => (None, Some(String::from(*percent)), None),
        Calculation::Tiered(tiers) => (None, None, Some(store_tiers(tiers))),
    };
    query
        .bind(rule.kind.as_str())
        .bind(rule.terms.calculation.name())
        .bind(amount)
        .bind(percent)
        .bind(tiers)
        .bind(rule.terms.minimum)
        .bind(rule.terms.maximum)
        .bind(rule.terms.currency.code())
        .bind(rule.base.as_str())
        .bind(rule.recurrence.as_str())
        .bind(rule.start.to_string())
        .bind(rule.end.map(|month| month.to_string()))
        .bind(&rule.description)
}

/// The customer's cloud accounts a rule may apply to.
async fn own_accounts(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<CloudAccountId>> {
    Ok(sqlx::query_scalar("SELECT id FROM cloud_accounts WHERE reseller_id = $1 AND customer_id = $2")
        .bind(reseller.as_str())
        .bind(customer.as_str())
        .fetch_all(&db.pool)
        .await?)
}

/// The rule typed for one of the user's customers, checked; not found when the customer is
/// another reseller's, refused when it was rejected.
async fn checked(
    db: &Db,
    user: &ResellerUser,
    customer: &CustomerId,
    input: &ChargeRuleInput,
) -> Result<ValidChargeRule> {
    editable_customer(db, user, customer).await?;
    let accounts = own_accounts(db, &user.reseller_id, customer).await?;
    let rule = input.validate(&accounts).map_err(Error::Validation)?;
    // A closed month's invoices are issued: a one-time rule dated in one would never be billed.
    // (A monthly rule from a closed month applies from the next open month.)
    if let Some(closed) = closed_through(db, &user.reseller_id).await? {
        if rule.recurrence == Recurrence::OneTime && rule.start <= closed {
            let open = closed.plus(1);
            let message = format!(
                "{} is closed and its invoices are issued: choose {} or later.",
                rule.start.label(),
                open.label()
            );
            return Err(Error::Validation(vec![FieldError {
                field: Field::StartMonth,
                code: Problem::Mismatch,
                message,
            }]));
        }
    }
    Ok(rule)
}

/// Adds a rule to one of the user's customers; returns its id.
pub async fn add(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    input: &ChargeRuleInput,
) -> Result<ChargeRuleId> {
    let rule = checked(&portico.db, user, customer, input).await?;
    let mut tx = portico.db.begin_write().await?;
    let id = insert(&mut tx, &user.reseller_id, customer, &rule, None).await?;
    let action = format!("{} added: {}", rule.kind.label(), rule.description);
    record(&mut tx, &user.reseller_id, Some(customer), &user.actor(), &action, None, Some(snapshot(&rule))).await?;
    tx.commit().await?;
    Ok(id)
}

/// Stores a rule, made from `template` (a support plan of a provider) when given.
pub(crate) async fn insert(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: &CustomerId,
    rule: &ValidChargeRule,
    template: Option<(&SupportPlanId, &ProviderId)>,
) -> Result<ChargeRuleId> {
    let id = ChargeRuleId(new_id("chr"));
    let now = now_ms();
    let insert = format!(
        "INSERT INTO charge_rules ({RULE_COLUMNS}, id, reseller_id, customer_id, template_id, provider_id, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $19)"
    );
    bind_rule(sqlx::query(&insert), rule)
        .bind(&id)
        .bind(reseller.as_str())
        .bind(customer.as_str())
        .bind(template.map(|(plan, _)| plan.as_str()))
        .bind(template.map(|(_, provider)| provider.as_str()))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    set_accounts(tx, &id, &rule.accounts).await?;
    Ok(id)
}

async fn set_accounts(tx: &mut Transaction<'_, Any>, rule: &ChargeRuleId, accounts: &[CloudAccountId]) -> Result<()> {
    sqlx::query("DELETE FROM charge_rule_accounts WHERE rule_id = $1").bind(rule).execute(&mut **tx).await?;
    for account in accounts {
        sqlx::query("INSERT INTO charge_rule_accounts (rule_id, account_id) VALUES ($1, $2)")
            .bind(rule)
            .bind(account)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The rule as it stands, if it is the customer's, still in force and at `version`: a stale
/// version is a conflict, someone else's rule is not found.
async fn current(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    customer: &CustomerId,
    id: &ChargeRuleId,
    version: i64,
) -> Result<ValidChargeRule> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM charge_rules WHERE id = $1 AND reseller_id = $2 AND customer_id = $3 \
         AND removed_at IS NULL"
    ))
    .bind(id)
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    let accounts: Vec<CloudAccountId> =
        sqlx::query_scalar("SELECT account_id FROM charge_rule_accounts WHERE rule_id = $1 ORDER BY account_id")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let stored = rule(&row, id.clone(), accounts)?;
    if stored.version != version {
        return Err(changed_meanwhile("rule"));
    }
    Ok(stored.settings)
}

/// Replaces a rule of one of the user's customers, if it is still at `version`.
pub async fn update(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    id: &ChargeRuleId,
    version: i64,
    input: &ChargeRuleInput,
) -> Result<()> {
    let rule = checked(&portico.db, user, customer, input).await?;
    let reseller = &user.reseller_id;
    let mut tx = portico.db.begin_write().await?;
    let before = current(&mut tx, reseller, customer, id, version).await?;
    let sets: Vec<String> =
        RULE_COLUMNS.split(", ").enumerate().map(|(n, column)| format!("{column} = ${}", n + 1)).collect();
    let update = format!(
        "UPDATE charge_rules SET {}, version = version + 1, updated_at = $14 WHERE id = $15 AND version = $16 \
         AND removed_at IS NULL",
        sets.join(", ")
    );
    let updated =
        bind_rule(sqlx::query(&update), &rule).bind(now_ms()).bind(id).bind(version).execute(&mut **tx).await?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("rule"));
    }
    set_accounts(&mut tx, id, &rule.accounts).await?;
    let action = format!("{} changed: {}", rule.kind.label(), rule.description);
    let (before, after) = (Some(snapshot(&before)), Some(snapshot(&rule)));
    record(&mut tx, reseller, Some(customer), &user.actor(), &action, before, after).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a rule of one of the user's customers, if it is still at `version`: it no longer applies
/// from now on, and stays on record.
pub async fn remove(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    id: &ChargeRuleId,
    version: i64,
) -> Result<()> {
    editable_customer(&portico.db, user, customer).await?;
    let reseller = &user.reseller_id;
    let mut tx = portico.db.begin_write().await?;
    let before = current(&mut tx, reseller, customer, id, version).await?;
    end(&mut tx, id, version).await?;
    let action = format!("{} removed: {}", before.kind.label(), before.description);
    record(&mut tx, reseller, Some(customer), &user.actor(), &action, Some(snapshot(&before)), None).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a rule removed, if it is still at `version`.
pub(crate) async fn end(tx: &mut Transaction<'_, Any>, id: &ChargeRuleId, version: i64) -> Result<()> {
    let ended = sqlx::query(
        "UPDATE charge_rules SET removed_at = $1, version = version + 1 WHERE id = $2 AND version = $3 \
         AND removed_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if ended.rows_affected() != 1 {
        return Err(changed_meanwhile("rule"));
    }
    Ok(())
}

/// What a rule made from a support plan template is: a monthly charge on the customer cost of
/// the usage, priced as the plan, named after it, from `start`.
pub(crate) fn from_template(name: &str, terms: Terms, start: Month) -> ValidChargeRule {
    ValidChargeRule {
        kind: RuleKind::Charge,
        terms,
        base: Base::CustomerCost,
        accounts: Vec::new(),
        recurrence: Recurrence::Monthly,
        start,
        end: None,
        description: name.to_owned(),
    }
}
