//! The reseller portal: Leptos pages rendered here and hydrated in the browser, and the backend
//! their server functions call.

pub mod auth;
mod cloud_accounts;
mod export;
mod people;
mod reseller_settings;
pub mod sessions;

use std::sync::{Arc, OnceLock};

use axum::http::HeaderMap;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use portico_app::api::{CustomerData, PortalUser, UserUpdate};
use portico_app::backend::{
    PortalBackend, SharedBackend, SharedCloudBackend, SharedPeopleBackend, SharedSettingsBackend,
};
use portico_app::{PortalAssets, PortalError};
use portico_shared::customer::{AuditEntry, CustomerList, CustomerQuery, CustomerRecord, RejectionReason, UserRole};
use portico_shared::details::DetailsInput;
use portico_shared::email::EmailAddress;
use portico_shared::ids::CustomerId;
use portico_shared::settings::OptionsInput;
use portico_shared::staff::InvitationInput;

use crate::audit::{self, Actor};
use crate::cloud::accounts;
use crate::customers::approval::{self, Decision};
use crate::customers::users::UserChange;
use crate::customers::{self, settings, StatusChange};
use crate::error::Error;
use crate::portal::sessions::{CookiePolicy, Principal, SessionUser};
use crate::staff;
use crate::staff::Scope;
use crate::throttle::SignInAttempt;
use crate::AppState;

/// The portal's routes, generated once per process. Generating them renders the app with
/// resource loading suspended process-wide, and a page that another server in the same process
/// (the API tests run many) starts rendering meanwhile would never finish.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(portico_app::App)).clone()
}

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = routes();
    let backend = Arc::new(Backend { state: state.clone() });
    let people: SharedPeopleBackend = backend.clone();
    let reseller_settings: SharedSettingsBackend = backend.clone();
    let cloud: SharedCloudBackend = backend.clone();
    let backend: SharedBackend = backend;
    let assets = PortalAssets {
        js: state.assets.portal_js.clone(),
        wasm: state.assets.portal_wasm.clone(),
        css: state.assets.portal_css.clone(),
    };
    let context = move || {
        provide_context(backend.clone());
        provide_context(people.clone());
        provide_context(reseller_settings.clone());
        provide_context(cloud.clone());
        provide_context(assets.clone());
        leptos::nonce::provide_nonce();
    };
    let leptos_options = state.leptos.clone();
    Router::new().route("/portal/customers.csv", axum::routing::get(export::customers_csv)).leptos_routes_with_context(
        state,
        routes,
        context,
        move || portico_app::shell(leptos_options.clone()),
    )
}

/// The portal's view of the server.
struct Backend {
    state: AppState,
}

impl Backend {
    fn cookies(&self) -> &CookiePolicy {
        &self.state.cookies
    }

    /// The customer, if it is one of the session's reseller's; not found otherwise.
    async fn own_customer(&self, session: &SessionUser, id: &CustomerId) -> Result<CustomerRecord, PortalError> {
        customers::find(&self.state.db, &session.reseller_id, id)
            .await
            .map_err(unavailable)?
            .ok_or(PortalError::NotFound)
    }

    /// Whoever is signed in, reseller user or platform staff.
    async fn principal(&self, headers: &HeaderMap) -> Result<Principal, PortalError> {
        let token = self.cookies().token(headers).ok_or(PortalError::NotSignedIn)?;
        sessions::find(&self.state.db, token).await.map_err(unavailable)?.ok_or(PortalError::NotSignedIn)
    }

    /// The signed-in reseller user; the platform's staff have no customers of their own.
    async fn session(&self, headers: &HeaderMap) -> Result<SessionUser, PortalError> {
        match self.principal(headers).await? {
            Principal::Reseller(session) => Ok(session),
            Principal::Platform(_) => {
                Err(PortalError::Forbidden("This page belongs to resellers. Platform staff see Resellers.".into()))
            }
        }
    }
}

/// Logs the cause; the person sees only that it failed.
fn unavailable(error: Error) -> PortalError {
    tracing::error!(error = %error, "portal request failed");
    PortalError::Unavailable
}

/// The portal's words for a refused change; faults are logged and reported as unavailable.
fn refused(error: Error) -> PortalError {
    match error {
        Error::NotFound => PortalError::NotFound,
        Error::Conflict(why) => PortalError::Changed(why.into_owned()),
        Error::Forbidden(why) => PortalError::Forbidden(why.into()),
        Error::RateLimited { seconds } => PortalError::TooManyAttempts { seconds },
        Error::Validation(fields) => PortalError::Invalid(fields),
        other => unavailable(other),
    }
}

/// How many audit entries a customer's page shows.
const HISTORY_SHOWN: i64 = 50;

/// How many audit entries the History page shows (a reseller's, or the platform's).
const HISTORY_PAGE_SHOWN: i64 = 200;

impl SessionUser {
    fn actor(&self) -> Actor {
        Actor::user(self.user_id.as_str(), &self.name, &self.email)
    }
}

#[async_trait::async_trait]
impl PortalBackend for Backend {
    async fn sign_in(
        &self,
        headers: &HeaderMap,
        peer: Option<std::net::IpAddr>,
        email: &str,
        password: &str,
    ) -> Result<String, PortalError> {
        let db = &self.state.db;
        let email = EmailAddress::parse(email).ok();
        let ip = peer.unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
        let account_key = email.as_ref().map_or("", |e| e.as_str());
        let attempt = SignInAttempt::begin(db, "portal", ip, account_key).await.map_err(refused)?;
        let account = match &email {
            Some(email) => staff::find_login(db, email.as_str()).await.map_err(unavailable)?,
            None => None,
        };
        // Unknown e-mails are checked against a dummy hash: same work, same answer.
        let stored_hash = account.as_ref().map(|login| login.password_hash.as_str());
        let matched = self.state.hasher.verify(password, stored_hash).await.map_err(|e| unavailable(e.into()))?;
        let Some(login) = account.filter(|login| matched && !login.disabled) else {
            tracing::info!("portal sign-in refused");
            attempt.failed(db).await.map_err(unavailable)?;
            return Err(PortalError::SignInRefused);
        };
        attempt.succeeded(db).await.map_err(unavailable)?;
        if let Some(old) = self.cookies().token(headers) {
            sessions::delete(db, old).await.map_err(unavailable)?;
        }
        let token = sessions::create(db, login.scope_kind, &login.user_id).await.map_err(unavailable)?;
        Ok(self.cookies().set(&token))
    }

    async fn sign_out(&self, headers: &HeaderMap) -> Result<String, PortalError> {
        if let Some(token) = self.cookies().token(headers) {
            sessions::delete(&self.state.db, token).await.map_err(unavailable)?;
        }
        Ok(self.cookies().clear())
    }

    async fn current_user(&self, headers: &HeaderMap) -> Result<PortalUser, PortalError> {
        let principal = self.principal(headers).await?;
        let (user, team) = match &principal {
            Principal::Reseller(user) => (user.user_id.as_str(), Scope::Reseller(user.reseller_id.clone())),
            Principal::Platform(user) => (user.user_id.as_str(), Scope::Platform),
        };
        let unread_notifications =
            crate::notifications::unread(&self.state.db, &team, user).await.map_err(unavailable)?;
        Ok(match principal {
            Principal::Reseller(user) => PortalUser {
                name: user.name,
                email: user.email,
                team_name: user.reseller_name,
                role: user.role,
                unread_notifications,
            },
            Principal::Platform(user) => PortalUser {
                name: user.name,
                email: user.email,
                team_name: "Portico platform".into(),
                role: user.role,
                unread_notifications,
            },
        })
    }

    async fn decide_signup(
        &self,
        headers: &HeaderMap,
        customer: &str,
        version: i64,
        reject_reason: Option<&str>,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let decision = match reject_reason {
            None => Decision::Approve,
            Some(raw) => Decision::Reject(RejectionReason::parse(raw).map_err(|e| PortalError::Invalid(vec![e]))?),
        };
        let customer = CustomerId(customer.to_owned());
        let (db, jobs) = (&self.state.db, &self.state.jobs);
        let actor = session.actor();
        approval::decide(db, jobs, &session.reseller_id, &customer, version, decision, &actor).await.map_err(refused)
    }

    async fn customers(&self, headers: &HeaderMap, query: &CustomerQuery) -> Result<CustomerList, PortalError> {
        let session = self.session(headers).await?;
        customers::list::page(&self.state.db, &session.reseller_id, query, CustomerQuery::PAGE_SIZE)
            .await
            .map_err(unavailable)
    }

    async fn history(&self, headers: &HeaderMap) -> Result<Vec<AuditEntry>, PortalError> {
        let entries = match self.principal(headers).await? {
            Principal::Reseller(session) => {
                audit::for_reseller(&self.state.db, &session.reseller_id, HISTORY_PAGE_SHOWN).await
            }
            Principal::Platform(_) => audit::for_platform(&self.state.db, HISTORY_PAGE_SHOWN).await,
        };
        entries.map_err(unavailable)
    }

    async fn customer(&self, headers: &HeaderMap, id: &str) -> Result<CustomerData, PortalError> {
        let session = self.session(headers).await?;
        let (db, id) = (&self.state.db, CustomerId(id.to_owned()));
        let customer = self.own_customer(&session, &id).await?;
        let history = audit::for_customer(db, &session.reseller_id, &id, HISTORY_SHOWN).await.map_err(unavailable)?;
        let providers = settings::providers(&db.pool, &id).await.map_err(unavailable)?;
        let options = settings::options(db, &id).await.map_err(unavailable)?;
        let users = customers::users::list(db, &id).await.map_err(unavailable)?;
        let fields = customers::fields::values(db, &session.reseller_id, &id).await.map_err(unavailable)?;
        let cloud_accounts = accounts::list(db, &session.reseller_id, &id).await.map_err(unavailable)?;
        let role_setup = self.role_setup();
        let support_plans = customers::support_plans::for_customer(db, &id).await.map_err(unavailable)?;
        Ok(CustomerData {
            customer,
            history,
            providers,
            options,
            users,
            fields,
            cloud_accounts,
            role_setup,
            support_plans,
        })
    }

    async fn change_customer_user(
        &self,
        headers: &HeaderMap,
        customer: &str,
        user: &str,
        version: i64,
        update: UserUpdate,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let change = match update {
            UserUpdate::Role(role) => UserChange::Role(UserRole::parse(&role).ok_or(PortalError::NotFound)?),
            UserUpdate::Disabled(disabled) => UserChange::Disabled(disabled),
        };
        let id = CustomerId(customer.to_owned());
        self.own_customer(&session, &id).await?;
        customers::users::change(&self.state.db, &session.reseller_id, &id, user, version, change, &session.actor())
            .await
            .map_err(refused)
    }

    async fn save_customer_field_values(
        &self,
        headers: &HeaderMap,
        customer: &str,
        values: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let id = CustomerId(customer.to_owned());
        let customer = self.own_customer(&session, &id).await?;
        settings::editable(customer.status).map_err(refused)?;
        match customers::fields::save_values(&self.state.db, &session.reseller_id, &id, values, &session.actor()).await
        {
            Ok(()) => Ok(()),
            Err(customers::fields::SaveError::Invalid(errors)) => Err(PortalError::InvalidValues(errors)),
            Err(customers::fields::SaveError::Failed(error)) => Err(refused(error)),
        }
    }

    async fn invite_customer_user(
        &self,
        headers: &HeaderMap,
        customer: &str,
        invitation: &InvitationInput,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        settings::editable(customer.status).map_err(refused)?;
        let invitation = invitation.validate_for_customer().map_err(PortalError::Invalid)?;
        let (db, origin) = (&self.state.db, &self.state.public_origin);
        customers::users::invite(db, &session.reseller_id, &customer, &invitation, &session.actor(), origin)
            .await
            .map_err(refused)?;
        self.state.jobs.wake();
        Ok(())
    }

    async fn resend_customer_invitation(
        &self,
        headers: &HeaderMap,
        customer: &str,
        user: &str,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let customer = self.own_customer(&session, &CustomerId(customer.to_owned())).await?;
        let (db, origin) = (&self.state.db, &self.state.public_origin);
        customers::users::resend_invitation(db, &session.reseller_id, &customer, user, &session.actor(), origin)
            .await
            .map_err(refused)?;
        self.state.jobs.wake();
        Ok(())
    }

    async fn set_cloud_providers(&self, headers: &HeaderMap, id: &str, enabled: &[String]) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let id = CustomerId(id.to_owned());
        let customer = self.own_customer(&session, &id).await?;
        settings::editable(customer.status).map_err(refused)?;
        let enabled = enabled.iter().cloned().collect();
        settings::set_providers(&self.state.db, &session.reseller_id, &id, &enabled, &session.actor())
            .await
            .map_err(refused)
    }

    async fn save_customer_options(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        options: &OptionsInput,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let options = options.validate().map_err(PortalError::Invalid)?;
        let id = CustomerId(id.to_owned());
        let customer = self.own_customer(&session, &id).await?;
        settings::editable(customer.status).map_err(refused)?;
        settings::save_options(&self.state.db, &session.reseller_id, &id, version, &options, &session.actor())
            .await
            .map_err(refused)
    }

    async fn add_customer(&self, headers: &HeaderMap, details: &DetailsInput) -> Result<String, PortalError> {
        let session = self.session(headers).await?;
        let details = details.validate(false).map_err(PortalError::Invalid)?;
        let id = customers::add(&self.state.db, &session.reseller_id, &details, &session.actor()).await;
        id.map(|id| id.0).map_err(refused)
    }

    async fn update_customer(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        details: &DetailsInput,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let details = details.validate(false).map_err(PortalError::Invalid)?;
        let id = CustomerId(id.to_owned());
        customers::update_details(&self.state.db, &session.reseller_id, &id, version, &details, &session.actor())
            .await
            .map_err(refused)
    }

    async fn set_customer_suspended(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        suspend: bool,
    ) -> Result<(), PortalError> {
        let session = self.session(headers).await?;
        let change = if suspend { StatusChange::Suspend } else { StatusChange::Reactivate };
        let id = CustomerId(id.to_owned());
        customers::set_status(&self.state.db, &session.reseller_id, &id, version, change, &session.actor())
            .await
            .map_err(refused)
    }
}
