//! Charges and discounts → Support plans: the plans each provider offers (data, with their
//! pricing rules) and the one each customer has. Every change is in the customer's history.

use portico_shared::api::Problem;
use portico_shared::ids::{CustomerId, ProviderId, SupportPlanId};
use portico_shared::support_plans::{PricingRule, ProviderPlans, SupportPlan};
use portico_shared::{Field, FieldError};
use sqlx::Row;

use crate::audit::{self, Change, Snapshot};
use crate::customers::{self, settings};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

/// The plans of each provider the customer has (under Cloud providers), with its choice.
pub async fn for_customer(db: &Db, customer: &CustomerId) -> Result<Vec<ProviderPlans>> {
    let rows = sqlx::query(
        "SELECT s.id, s.provider_id, p.name AS provider_name, s.name, s.minimum_cents, s.tiers, \
         (SELECT c.plan_id FROM customer_support_plans c WHERE c.customer_id = $1 AND c.provider_id = s.provider_id) \
           AS chosen \
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
        let (minimum, tiers): (i64, String) = (row.try_get("minimum_cents")?, row.try_get("tiers")?);
        let plan = SupportPlan {
            id: row.try_get("id")?,
            provider: provider.clone(),
            name: row.try_get("name")?,
            pricing: PricingRule::parse(minimum, &tiers)
                .ok_or_else(|| anyhow::anyhow!("support plan with a malformed pricing rule {tiers:?}"))?,
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

/// Gives the customer `plan` with `provider`, or none. The provider must be on under Cloud
/// providers, and the plan one of its own.
pub async fn choose(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    provider: &ProviderId,
    plan: Option<&SupportPlanId>,
) -> Result<()> {
    let record = customers::own(&portico.db, user, customer).await?;
    settings::editable(record.status)?;
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
    let new_name =
        match plan {
            None => None,
            Some(id) => {
                let name: Option<String> =
                    sqlx::query_scalar("SELECT name FROM support_plans WHERE id = $1 AND provider_id = $2")
                        .bind(id)
                        .bind(provider)
                        .fetch_optional(&mut **tx)
                        .await?;
                Some(name.ok_or_else(|| {
                    Error::Validation(vec![FieldError::new(Field::SupportPlan, Problem::InvalidFormat)])
                })?)
            }
        };
    let current: Option<SupportPlanId> =
        sqlx::query_scalar("SELECT plan_id FROM customer_support_plans WHERE customer_id = $1 AND provider_id = $2")
            .bind(customer.as_str())
            .bind(provider)
            .fetch_optional(&mut **tx)
            .await?;
    if current.as_ref() == plan {
        return Ok(());
    }
    let old_name: Option<String> = match &current {
        Some(id) => {
            sqlx::query_scalar("SELECT name FROM support_plans WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => None,
    };
    sqlx::query("DELETE FROM customer_support_plans WHERE customer_id = $1 AND provider_id = $2")
        .bind(customer.as_str())
        .bind(provider)
        .execute(&mut **tx)
        .await?;
    if let Some(plan) = plan {
        sqlx::query(
            "INSERT INTO customer_support_plans (customer_id, provider_id, plan_id, chosen_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(customer.as_str())
        .bind(provider)
        .bind(plan)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    }
    let label: &'static str =
        if provider.as_str() == portico_shared::aws::AWS { "AWS support plan" } else { "Support plan" };
    let snapshot = |name: Option<String>| Some(Snapshot::from([(label, name.unwrap_or_else(|| "None".into()))]));
    let action = format!("Support plan changed ({provider_name})");
    let change = Change {
        reseller,
        customer: Some(customer),
        actor,
        action: &action,
        before: snapshot(old_name),
        after: snapshot(new_name),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}
