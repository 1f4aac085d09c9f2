//! Charges and discounts → Support plans: each provider's plans are data (the `support_plans`
//! table), the templates of charge rules. Choosing a plan gives the customer the plan's rule from
//! this month; choosing another ends it and starts the new one; choosing none ends it. Every
//! change is in the customer's history.

use portico_shared::api::Problem;
use portico_shared::charges::{stored_tiers, Calculation, Terms};
use portico_shared::dates::Month;
use portico_shared::ids::{ChargeRuleId, CustomerId, ProviderId, SupportPlanId};
use portico_shared::money::Currency;
use portico_shared::support_plans::{ProviderPlans, SupportPlan};
use portico_shared::{Field, FieldError};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::Snapshot;
use crate::commerce::{charges, editable_customer, record};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

/// The plans of each provider the customer has (under Cloud providers), with its choice.
pub async fn for_customer(db: &Db, customer: &CustomerId) -> Result<Vec<ProviderPlans>> {
    let rows = sqlx::query(
        "SELECT s.id, s.provider_id, p.name AS provider_name, s.name, s.minimum_cents, s.tiers, s.currency, \
         (SELECT r.template_id FROM charge_rules r WHERE r.customer_id = $1 AND r.provider_id = s.provider_id \
            AND r.template_id IS NOT NULL AND r.removed_at IS NULL) AS chosen \
         FROM support_plans s JOIN cloud_providers p ON p.id = s.provider_id \
         JOIN customer_cloud_providers e ON e.provider_id = s.provider_id AND e.customer_id = $1 \
         ORDER BY p.position, s.position",
    )
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    let mut providers: Vec<ProviderPlans> = Vec::new();
    for row in &rows {
        let provider: ProviderId = row.try_get("provider_id")?;
        let plan = SupportPlan {
            id: row.try_get("id")?,
            provider: provider.clone(),
            name: row.try_get("name")?,
            terms: terms(row)?,
        };
        match providers.last_mut() {
            Some(last) if last.provider == provider => last.plans.push(plan),
            _ => providers.push(ProviderPlans {
                provider,
                provider_name: row.try_get("provider_name")?,
                plans: vec![plan],
                chosen: row.try_get("chosen")?,
            }),
        }
    }
    Ok(providers)
}

/// A plan's price as a rule's terms: its tiers and its minimum, in its currency.
fn terms(row: &AnyRow) -> Result<Terms> {
    let (id, tiers, currency): (String, String, String) =
        (row.try_get("id")?, row.try_get("tiers")?, row.try_get("currency")?);
    let malformed = || Error::Internal(anyhow::anyhow!("support plan {id} has a malformed price"));
    let minimum: i64 = row.try_get("minimum_cents")?;
    Ok(Terms {
        calculation: Calculation::Tiered(stored_tiers(&tiers).ok_or_else(malformed)?),
        minimum: (minimum > 0).then_some(minimum),
        maximum: None,
        currency: Currency::parse(&currency).map_err(|_| malformed())?,
    })
}

/// Gives the customer `plan` with `provider`, or none. The provider must be on under Cloud
/// providers, and the plan one of its own.
pub async fn choose(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    provider: &ProviderId,
    plan: Option<&SupportPlanId>,
) -> Result<()> {
    editable_customer(&portico.db, user, customer).await?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let mut tx = portico.db.begin_write().await?;
    let provider_name: Option<String> = sqlx::query_scalar(
        "SELECT p.name FROM cloud_providers p JOIN customer_cloud_providers e ON e.provider_id = p.id \
         WHERE p.id = $1 AND e.customer_id = $2",
    )
    .bind(provider)
    .bind(customer.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let provider_name = provider_name.ok_or_else(|| {
        Error::Conflict("Turn this cloud provider on under Cloud providers before choosing its support plan.".into())
    })?;
    let new = match plan {
        None => None,
        Some(id) => {
            let row = sqlx::query(
                "SELECT id, name, minimum_cents, tiers, currency FROM support_plans WHERE id = $1 AND provider_id = $2",
            )
            .bind(id)
            .bind(provider)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| Error::Validation(vec![FieldError::new(Field::SupportPlan, Problem::InvalidFormat)]))?;
            Some((row.try_get::<String, _>("name")?, terms(&row)?))
        }
    };
    let current: Option<(ChargeRuleId, SupportPlanId, i64, String)> = sqlx::query_as(
        "SELECT id, template_id, version, description FROM charge_rules WHERE customer_id = $1 AND provider_id = $2 \
         AND template_id IS NOT NULL AND removed_at IS NULL",
    )
    .bind(customer.as_str())
    .bind(provider)
    .fetch_optional(&mut **tx)
    .await?;
    if current.as_ref().map(|(_, template, ..)| template) == plan {
        return Ok(());
    }
    let old_name = match current {
        Some((rule, _, version, description)) => {
            charges::end(&mut tx, &rule, version).await?;
            Some(description)
        }
        None => None,
    };
    let new_name = match (new, plan) {
        (Some((name, terms)), Some(plan)) => {
            let rule = charges::from_template(&name, terms, Month::of_ms(now_ms()));
            charges::insert(&mut tx, reseller, customer, &rule, Some((plan, provider))).await?;
            Some(name)
        }
        _ => None,
    };
    let label: &'static str =
        if provider.as_str() == portico_shared::aws::AWS { "AWS support plan" } else { "Support plan" };
    let snapshot = |name: Option<String>| Some(Snapshot::from([(label, name.unwrap_or_else(|| "None".into()))]));
    let action = format!("Support plan changed ({provider_name})");
    record(&mut tx, reseller, Some(customer), actor, &action, snapshot(old_name), snapshot(new_name)).await?;
    tx.commit().await?;
    Ok(())
}
