//! Server functions of the Cloud accounts tab and the Cloud Support console.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use portico_shared::aws::RoleArnEntry;
use portico_shared::aws::{CloudAccountInput, NewAccountInput, RoleCheck};
use portico_shared::cloud_links::{QueueFilter, SupportRequest};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::server_side::{backend, cloud, headers, refuse};
use super::PortalUser;
use crate::PortalError;

/// **Add** → provider, Account ID, Email → **Save**.
#[server(prefix = "/portal", endpoint = "add_cloud_account")]
pub async fn add_cloud_account(customer: String, account: CloudAccountInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    cloud()?.add_cloud_account(&headers, &customer, &account).await.map_err(refuse)
}

/// Cloud accounts → **Request** → provider, root e-mail, account name, support plan → **Request**.
#[server(prefix = "/portal", endpoint = "request_new_cloud_account")]
pub async fn request_new_cloud_account(customer: String, request: NewAccountInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    cloud()?.request_new_account(&headers, &customer, &request).await.map_err(refuse)
}

/// The Role ARN dialog's **Check**: stores the AWS Role ARN with the result, and returns it.
/// Its **Save** (`save_only`) stores the ARN unchecked.
#[server(prefix = "/portal", endpoint = "check_role_arn")]
pub async fn check_role_arn(
    customer: String,
    account: String,
    version: i64,
    role_arn: String,
    #[server(default)] save_only: bool,
) -> Result<RoleCheck, PortalError> {
    let headers = headers().await?;
    let entry = RoleArnEntry { role_arn: &role_arn, check: !save_only };
    cloud()?.check_role_arn(&headers, &customer, &account, version, entry).await.map_err(refuse)
}

/// The reseller's step on an account's link: `request`, `answer` (with `note`), `cancel`,
/// `reinvite` or `request_unlink`.
#[server(prefix = "/portal", endpoint = "change_cloud_link")]
pub async fn change_cloud_link(
    customer: String,
    account: String,
    version: i64,
    action: String,
    #[server(default)] note: String,
) -> Result<(), PortalError> {
    let headers = headers().await?;
    cloud()?.change_link(&headers, &customer, &account, version, &action, &note).await.map_err(refuse)
}

/// Charges and discounts → Support plans → **Save**: `plan` is a plan id, or empty for none.
#[server(prefix = "/portal", endpoint = "set_support_plan")]
pub async fn set_support_plan(customer: String, provider: String, plan: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    cloud()?.set_support_plan(&headers, &customer, &provider, &plan).await.map_err(refuse)
}

/// Data of the Cloud Support console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudSupportPageData {
    pub user: PortalUser,
    pub filter: QueueFilter,
    pub requests: Vec<SupportRequest>,
}

#[server(prefix = "/portal", endpoint = "cloud_support_page")]
pub async fn cloud_support_page(filter: String) -> Result<CloudSupportPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let filter = QueueFilter::parse(&filter);
    let requests = cloud()?.support_queue(&headers, filter).await.map_err(refuse)?;
    Ok(CloudSupportPageData { user, filter, requests })
}

/// Cloud Support's decision: `approve`, `reject` (with the reason) or `inquire` (with the question).
#[server(prefix = "/portal", endpoint = "decide_cloud_request")]
pub async fn decide_cloud_request(
    account: String,
    version: i64,
    action: String,
    #[server(default)] note: String,
) -> Result<(), PortalError> {
    let headers = headers().await?;
    cloud()?.decide_request(&headers, &account, version, &action, &note).await.map_err(refuse)
}
