//! Support plans (Charges and discounts → Support plans): each cloud provider's plans are data,
//! the templates of charge rules. Choosing a plan for a customer gives it the plan's rule: a
//! monthly charge on the customer cost of its usage, priced as the provider publishes it (AWS
//! Business: the greater of $100 or 10% of the first $10,000, 7% up to $80,000, 5% up to
//! $250,000 and 3% above).

use serde::{Deserialize, Serialize};

use crate::charges::Terms;
use crate::ids::{ProviderId, SupportPlanId};

/// One plan, as the Support plans section lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPlan {
    pub id: SupportPlanId,
    pub provider: ProviderId,
    pub name: String,
    /// What the plan's rule gives on the month's usage.
    pub terms: Terms,
}

/// A provider's plans and the customer's choice among them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPlans {
    pub provider: ProviderId,
    pub provider_name: String,
    pub plans: Vec<SupportPlan>,
    /// The chosen plan's id.
    pub chosen: Option<SupportPlanId>,
}
