//! Server functions of the Cloud accounts tab.

use leptos::prelude::*;
use portico_shared::aws::{CloudAccountInput, RoleCheck};

#[cfg(feature = "ssr")]
use super::server_side::{cloud, headers, refuse};
use crate::PortalError;

/// **Add** → provider, Account ID, Email → **Save**.
#[server(prefix = "/portal", endpoint = "add_cloud_account")]
pub async fn add_cloud_account(customer: String, account: CloudAccountInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    cloud()?.add_cloud_account(&headers, &customer, &account).await.map_err(refuse)
}

/// The Role ARN dialog's **Check**: stores the AWS Role ARN with the result, and returns it.
#[server(prefix = "/portal", endpoint = "check_role_arn")]
pub async fn check_role_arn(
    customer: String,
    account: String,
    version: i64,
    role_arn: String,
) -> Result<RoleCheck, PortalError> {
    let headers = headers().await?;
    cloud()?.check_role_arn(&headers, &customer, &account, version, &role_arn).await.map_err(refuse)
}
