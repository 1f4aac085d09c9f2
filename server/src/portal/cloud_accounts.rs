//! The Cloud accounts tab on the server: adding a customer's AWS account, checking its role and
//! the reseller's steps on its link (admins and agents alike; the customer must be the signed-in
//! user's reseller's); and the Cloud Support console (the platform's staff).

use axum::http::HeaderMap;
use portico_app::backend::CloudBackend;
use portico_app::PortalError;
use portico_shared::aws::{CloudAccountInput, NewAccountInput, RoleArnEntry, RoleCheck, RoleSetup};
use portico_shared::cloud_links::{note_for, LinkAction, QueueFilter, SupportRequest};
use portico_shared::ids::CustomerId;
use portico_shared::staff::StaffRole;

use crate::audit::Actor;
use crate::cloud::accounts::{self, RoleCheckRequest};
use crate::cloud::links::{self, By, Step};
use crate::cloud::queue;
use crate::customers::{settings, support_plans};
use crate::portal::sessions::Principal;
use crate::portal::{refused, unavailable, Backend};

impl Backend {
    /// What the Role ARN dialog tells the account owner about the platform.
    pub(super) fn role_setup(&self) -> RoleSetup {
        let config = &self.state.config;
        RoleSetup { platform_account: config.aws_account_id.clone(), template_url: config.role_template_url.clone() }
    }

    /// The signed-in member of the platform's staff, who work the Cloud Support console.
    async fn cloud_support(&self, headers: &HeaderMap) -> Result<Actor, PortalError> {
        match self.principal(headers).await? {
            Principal::Platform(user) if matches!(user.role, StaffRole::CloudSupport | StaffRole::PlatformAdmin) => {
                Ok(Actor::user(&user.user_id, &user.name, &user.email))
            }
            _ => Err(PortalError::Forbidden("Only Cloud Support works the Cloud Support console.".into())),
        }
    }

    /// Takes a step on a link, then lets the job worker start on what it left.
    async fn take_link_step(&self, by: By<'_>, step: Step<'_>) -> Result<(), PortalError> {
        links::take(&self.state.db, &self.state.links, by, &step, None).await.map_err(refused)?;
        self.state.jobs.wake();
        Ok(())
    }
}

/// The action named in a form, with its note checked.
fn action_and_note(action: &str, note: &str) -> Result<(LinkAction, Option<String>), PortalError> {
    let action = LinkAction::parse(action).ok_or(PortalError::NotFound)?;
    let note = note_for(action, note).map_err(|error| PortalError::Invalid(vec![error]))?;
    Ok((action, note))
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

    async fn request_new_account(
        &self,
        headers: &HeaderMap,
        customer: &str,
        request: &NewAccountInput,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        let providers = settings::providers(&self.state.db.pool, &customer.id).await.map_err(unavailable)?;
        let enabled: Vec<String> = providers.into_iter().filter(|p| p.enabled).map(|p| p.id).collect();
        let request = request.validate(&enabled).map_err(PortalError::Invalid)?;
        let (db, config) = (&self.state.db, &self.state.links);
        accounts::request_new(db, config, &session.reseller_id, &customer.id, &request, &session.actor())
            .await
            .map_err(refused)?;
        self.state.jobs.wake();
        Ok(())
    }

    async fn check_role_arn(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &str,
        version: i64,
        entry: RoleArnEntry<'_>,
    ) -> Result<RoleCheck, PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        let request = RoleCheckRequest { account, version, entry };
        let (db, cloud) = (&self.state.db, self.state.cloud.as_ref());
        accounts::check_role(db, cloud, &session.reseller_id, &customer.id, &request, &session.actor())
            .await
            .map_err(refused)
    }

    async fn change_link(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &str,
        version: i64,
        action: &str,
        note: &str,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        let (action, note) = action_and_note(action, note)?;
        let actor = session.actor();
        let step = Step { account, version: Some(version), action, note, actor: &actor };
        self.take_link_step(By::Reseller(&session.reseller_id), step).await
    }

    async fn set_support_plan(
        &self,
        headers: &HeaderMap,
        customer: &str,
        provider: &str,
        plan: &str,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        settings::editable(customer.status).map_err(refused)?;
        let plan = Some(plan).filter(|plan| !plan.is_empty());
        let db = &self.state.db;
        support_plans::choose(db, &session.reseller_id, &customer.id, provider, plan, &session.actor())
            .await
            .map_err(refused)
    }

    async fn support_queue(
        &self,
        headers: &HeaderMap,
        filter: QueueFilter,
    ) -> Result<Vec<SupportRequest>, PortalError> {
        self.cloud_support(headers).await?;
        queue::requests(&self.state.db, filter).await.map_err(unavailable)
    }

    async fn decide_request(
        &self,
        headers: &HeaderMap,
        account: &str,
        version: i64,
        action: &str,
        note: &str,
    ) -> Result<(), PortalError> {
        let actor = self.cloud_support(headers).await?;
        let (action, note) = action_and_note(action, note)?;
        let step = Step { account, version: Some(version), action, note, actor: &actor };
        self.take_link_step(By::CloudSupport, step).await
    }
}
