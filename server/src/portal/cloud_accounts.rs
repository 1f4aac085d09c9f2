//! The Cloud accounts tab on the server: adding a customer's AWS account and checking its role.
//! Admins and agents alike; the customer must be the signed-in user's reseller's.

use axum::http::HeaderMap;
use portico_app::backend::CloudBackend;
use portico_app::PortalError;
use portico_shared::aws::{CloudAccountInput, RoleCheck, RoleSetup};
use portico_shared::ids::CustomerId;

use crate::cloud::accounts::{self, RoleCheckRequest};
use crate::customers::settings;
use crate::portal::{refused, unavailable, Backend};

impl Backend {
    /// What the Role ARN dialog tells the account owner about the platform.
    pub(super) fn role_setup(&self) -> RoleSetup {
        let config = &self.state.config;
        RoleSetup { platform_account: config.aws_account_id.clone(), template_url: config.role_template_url.clone() }
    }
}

#[async_trait::async_trait]
impl CloudBackend for Backend {
    async fn add_cloud_account(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &CloudAccountInput,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        let providers = settings::providers(&self.state.db.pool, &customer.id).await.map_err(unavailable)?;
        let enabled: Vec<String> = providers.into_iter().filter(|p| p.enabled).map(|p| p.id).collect();
        let account = account.validate(&enabled).map_err(PortalError::Invalid)?;
        accounts::add(&self.state.db, &session.reseller_id, &customer.id, &account, &session.actor())
            .await
            .map(|_| ())
            .map_err(refused)
    }

    async fn check_role_arn(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &str,
        version: i64,
        role_arn: &str,
    ) -> Result<RoleCheck, PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        let request = RoleCheckRequest { account, version, role_arn };
        let (db, cloud) = (&self.state.db, self.state.cloud.as_ref());
        accounts::check_role(db, cloud, &session.reseller_id, &customer.id, &request, &session.actor())
            .await
            .map_err(refused)
    }
}
