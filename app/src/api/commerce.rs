//! Server functions of a customer's commercial tabs (Charges and discounts, Taxes, Credits,
//! Subscriptions; admins and agents) and of the catalogs they draw on (Settings → Tax rates and
//! Products; admins only).

use leptos::prelude::*;
use portico_shared::charges::ChargeRuleInput;
use portico_shared::credits::GrantInput;
use portico_shared::ids::{ChargeRuleId, CreditId, CustomerId, ProductId, SubscriptionId, TaxRateId};
use portico_shared::subscriptions::{Product, ProductInput, SubscriptionInput};
use portico_shared::taxes::{TaxProfileInput, TaxRate, TaxRateInput};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::commerce::{charges, credits, products, subscriptions, taxes};
#[cfg(feature = "ssr")]
use portico_domain::staff;

#[cfg(feature = "ssr")]
use super::on_server;
use super::PortalUser;
use crate::json::PortalJson;
use crate::PortalError;

/// An id sent by a form: empty when the form adds, the entry's id when it changes one.
#[cfg(feature = "ssr")]
fn existing<T>(
    id: &str,
    parse: impl Fn(&str) -> Result<T, portico_shared::ids::InvalidId>,
) -> Result<Option<T>, PortalError> {
    match id {
        "" => Ok(None),
        id => Ok(Some(parse(id).map_err(|e| portico_domain::Error::MalformedRequest(e.to_string()))?)),
    }
}

/// Charges and discounts → **Add** (`id` empty) or an entry's **Save** (`id` and `version`).
#[server(prefix = "/portal", endpoint = "save_charge_rule", output = PortalJson)]
pub async fn save_charge_rule(
    customer: CustomerId,
    id: String,
    version: i64,
    rule: ChargeRuleInput,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let user = who.reseller_user()?;
    match existing(&id, ChargeRuleId::parse)? {
        None => charges::add(&portico, user, &customer, &rule).await.map(drop)?,
        Some(id) => charges::update(&portico, user, &customer, &id, version, &rule).await?,
    }
    Ok(())
}

/// Charges and discounts → an entry's **Remove**: it no longer applies from now on.
#[server(prefix = "/portal", endpoint = "remove_charge_rule", output = PortalJson)]
pub async fn remove_charge_rule(customer: CustomerId, id: ChargeRuleId, version: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(charges::remove(&portico, who.reseller_user()?, &customer, &id, version).await?)
}

/// Taxes → **Save**: the rates that apply, the tax id and the exemption (`version` 0: never
/// saved).
#[server(prefix = "/portal", endpoint = "save_tax_profile", output = PortalJson)]
pub async fn save_tax_profile(customer: CustomerId, version: i64, profile: TaxProfileInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(taxes::save_profile(&portico, who.reseller_user()?, &customer, version, &profile).await?)
}

/// Credits → **Grant credit**.
#[server(prefix = "/portal", endpoint = "grant_credit", output = PortalJson)]
pub async fn grant_credit(customer: CustomerId, credit: GrantInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    credits::grant(&portico, who.reseller_user()?, &customer, &credit).await?;
    Ok(())
}

/// Credits → a grant's **Reverse**, with the reason.
#[server(prefix = "/portal", endpoint = "reverse_credit", output = PortalJson)]
pub async fn reverse_credit(customer: CustomerId, credit: CreditId, reason: String) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    credits::reverse(&portico, who.reseller_user()?, &customer, &credit, &reason).await?;
    Ok(())
}

/// Subscriptions → **Add** (`id` empty) or a subscription's **Save** (quantity, end date,
/// auto-renew).
#[server(prefix = "/portal", endpoint = "save_subscription", output = PortalJson)]
pub async fn save_subscription(
    customer: CustomerId,
    id: String,
    version: i64,
    subscription: SubscriptionInput,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let user = who.reseller_user()?;
    match existing(&id, SubscriptionId::parse)? {
        None => subscriptions::add(&portico, user, &customer, &subscription).await.map(drop)?,
        Some(id) => subscriptions::update(&portico, user, &customer, &id, version, &subscription).await?,
    }
    Ok(())
}

/// Subscriptions → a subscription's step: `activate`, `suspend`, `resume`, `cancel` or `keep`.
#[server(prefix = "/portal", endpoint = "change_subscription", output = PortalJson)]
pub async fn change_subscription(
    customer: CustomerId,
    id: SubscriptionId,
    version: i64,
    step: String,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let step = step.parse().map_err(|_| portico_domain::Error::MalformedRequest(format!("no step {step:?}")))?;
    Ok(subscriptions::step(&portico, who.reseller_user()?, &customer, &id, version, step).await?)
}

/// Data of Settings → Tax rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRatesPageData {
    pub user: PortalUser,
    pub rates: Vec<TaxRate>,
}

#[server(prefix = "/portal", endpoint = "tax_rates_page", output = PortalJson)]
pub async fn tax_rates_page() -> Result<TaxRatesPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let rates = taxes::rates(&portico.db, &who.reseller_admin()?.reseller_id).await?;
    Ok(TaxRatesPageData { user, rates })
}

/// Tax rates → **Add** (`id` empty) or a rate's **Save**.
#[server(prefix = "/portal", endpoint = "save_tax_rate", output = PortalJson)]
pub async fn save_tax_rate(id: String, version: i64, rate: TaxRateInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let admin = who.reseller_admin()?;
    match existing(&id, TaxRateId::parse)? {
        None => taxes::add_rate(&portico, &admin, &rate).await.map(drop)?,
        Some(id) => taxes::update_rate(&portico, &admin, &id, version, &rate).await?,
    }
    Ok(())
}

/// Tax rates → a rate's **Remove**: deleted when no customer has had it, retired otherwise.
#[server(prefix = "/portal", endpoint = "remove_tax_rate", output = PortalJson)]
pub async fn remove_tax_rate(id: TaxRateId, version: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    taxes::remove_rate(&portico, &who.reseller_admin()?, &id, version).await?;
    Ok(())
}

/// Data of Settings → Products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductsPageData {
    pub user: PortalUser,
    pub products: Vec<Product>,
}

#[server(prefix = "/portal", endpoint = "products_page", output = PortalJson)]
pub async fn products_page() -> Result<ProductsPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let products = products::list(&portico.db, &who.reseller_admin()?.reseller_id).await?;
    Ok(ProductsPageData { user, products })
}

/// Products → **Add** (`id` empty) or a product's **Save**.
#[server(prefix = "/portal", endpoint = "save_product", output = PortalJson)]
pub async fn save_product(id: String, version: i64, product: ProductInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let admin = who.reseller_admin()?;
    match existing(&id, ProductId::parse)? {
        None => products::add(&portico, &admin, &product).await.map(drop)?,
        Some(id) => products::update(&portico, &admin, &id, version, &product).await?,
    }
    Ok(())
}

/// Products → a product's **Remove**: deleted when no customer has subscribed, retired otherwise.
#[server(prefix = "/portal", endpoint = "remove_product", output = PortalJson)]
pub async fn remove_product(id: ProductId, version: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    products::remove(&portico, &who.reseller_admin()?, &id, version).await?;
    Ok(())
}
