//! Server functions of the Cloud accounts tab and the Cloud Support console.

use leptos::prelude::*;
use portico_shared::aws::{CloudAccountInput, NewAccountInput, OrganizationAccount, RoleCheck};
use portico_shared::cloud_links::{QueueFilter, SupportRequest};
use portico_shared::ids::{CloudAccountId, CustomerId, ProviderId};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::cloud::accounts::{self, RoleCheckRequest};
#[cfg(feature = "ssr")]
use portico_domain::cloud::{links, queue};
#[cfg(feature = "ssr")]
use portico_domain::commerce::support_plans;
#[cfg(feature = "ssr")]
use portico_domain::staff;
#[cfg(feature = "ssr")]
use portico_shared::aws::RoleArnEntry;
#[cfg(feature = "ssr")]
use portico_shared::ids::SupportPlanId;
#[cfg(feature = "ssr")]
use portico_shared::{api::Problem, Field, FieldError};

#[cfg(feature = "ssr")]
use super::on_server;
use super::PortalUser;
use crate::json::PortalJson;
use crate::PortalError;

/// **Add** → provider, Account ID, Email → **Save**.
#[server(prefix = "/portal", endpoint = "add_cloud_account", output = PortalJson)]
/// Returns the new account's id: its Role ARN dialog opens next.
pub async fn add_cloud_account(
    customer: CustomerId,
    account: CloudAccountInput,
) -> Result<CloudAccountId, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(accounts::add(&portico, who.reseller_user()?, &customer, &account).await?)
}

/// The Add dialog's **Account ID** dropdown: the AWS accounts the platform already knows for the
/// customer (see `accounts::known`), asked for when the dialog opens.
#[server(prefix = "/portal", endpoint = "known_cloud_accounts", output = PortalJson)]
pub async fn known_cloud_accounts(customer: CustomerId) -> Result<Vec<OrganizationAccount>, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(accounts::known(&portico, who.reseller_user()?, &customer).await?)
}

/// Cloud accounts → **Request** → provider, root e-mail, account name, support plan → **Request**.
#[server(prefix = "/portal", endpoint = "request_new_cloud_account", output = PortalJson)]
/// Returns the new account's id: its dialog opens next.
pub async fn request_new_cloud_account(
    customer: CustomerId,
    request: NewAccountInput,
) -> Result<CloudAccountId, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(accounts::request_new(&portico, who.reseller_user()?, &customer, &request).await?)
}

/// The Role ARN dialog's **Check**: stores the AWS Role ARN with the result, and returns it.
/// Its **Save** (`save_only`) stores the ARN unchecked.
#[server(prefix = "/portal", endpoint = "check_role_arn", output = PortalJson)]
pub async fn check_role_arn(
    customer: CustomerId,
    account: CloudAccountId,
    version: i64,
    role_arn: String,
    #[server(default)] save_only: bool,
) -> Result<RoleCheck, PortalError> {
    let (portico, who) = on_server::request()?;
    let entry = RoleArnEntry { role_arn: &role_arn, check: !save_only };
    let request = RoleCheckRequest { account: &account, version, entry };
    Ok(accounts::check_role(&portico, who.reseller_user()?, &customer, &request).await?)
}

/// The reseller's step on an account's link: `request`, `answer` (with `note`), `cancel`,
/// `reinvite` or `request_unlink`.
#[server(prefix = "/portal", endpoint = "change_cloud_link", output = PortalJson)]
pub async fn change_cloud_link(
    customer: CustomerId,
    account: CloudAccountId,
    version: i64,
    action: String,
    #[server(default)] note: String,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    links::reseller_step(&portico, who.reseller_user()?, &customer, &account, version, &action, &note).await?;
    Ok(())
}

/// Charges and discounts → Support plans → **Save**: `plan` is a plan id, or empty for none.
#[server(prefix = "/portal", endpoint = "set_support_plan", output = PortalJson)]
pub async fn set_support_plan(customer: CustomerId, provider: ProviderId, plan: String) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    // A plan id of the wrong shape is no plan of the provider's: refused on the field.
    let plan = match plan.as_str() {
        "" => None,
        id => Some(SupportPlanId::parse(id).map_err(|_| {
            let refused = FieldError::new(Field::SupportPlan, Problem::InvalidFormat);
            portico_domain::Error::Validation(vec![refused])
        })?),
    };
    Ok(support_plans::choose(&portico, who.reseller_user()?, &customer, &provider, plan.as_ref()).await?)
}

/// Data of the Cloud Support console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudSupportPageData {
    pub user: PortalUser,
    pub filter: QueueFilter,
    pub requests: Vec<SupportRequest>,
}

#[server(prefix = "/portal", endpoint = "cloud_support_page", output = PortalJson)]
pub async fn cloud_support_page(filter: String) -> Result<CloudSupportPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let filter = QueueFilter::parse(&filter);
    let requests = queue::requests(&portico, &who.cloud_support()?, filter).await?;
    Ok(CloudSupportPageData { user, filter, requests })
}

/// Cloud Support's decision: `approve`, `reject` (with the reason) or `inquire` (with the question).
#[server(prefix = "/portal", endpoint = "decide_cloud_request", output = PortalJson)]
pub async fn decide_cloud_request(
    account: CloudAccountId,
    version: i64,
    action: String,
    #[server(default)] note: String,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    links::decide(&portico, &who.cloud_support()?, &account, version, &action, &note).await?;
    Ok(())
}
