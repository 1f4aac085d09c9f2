//! What a customer's commercial tabs show, in one read.

use portico_shared::credits::balances;
use portico_shared::ids::CustomerId;
use portico_shared::portal::CommerceData;

use crate::commerce::{charges, credits, products, subscriptions, support_plans, taxes, today};
use crate::customers;
use crate::error::Result;
use crate::principal::ResellerUser;
use crate::Portico;

/// The commercial settings of one of the user's customers; not found when it is another
/// reseller's.
pub async fn page(portico: &Portico, user: &ResellerUser, customer: &CustomerId) -> Result<CommerceData> {
    let (db, reseller) = (&portico.db, &user.reseller_id);
    customers::own(db, user, customer).await?;
    let today = today();
    let credits = credits::ledger(db, reseller, customer).await?;
    Ok(CommerceData {
        support_plans: support_plans::for_customer(db, customer).await?,
        charge_rules: charges::list(db, reseller, customer).await?,
        tax_rates: taxes::rates(db, reseller).await?,
        tax_profile: taxes::profile(db, reseller, customer).await?,
        balances: balances(&credits, today),
        credits,
        products: products::list(db, reseller).await?,
        subscriptions: subscriptions::list(db, reseller, customer).await?,
        today,
    })
}
