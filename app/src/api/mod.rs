//! The portal's server functions: small, each checking the session through the backend.

use leptos::prelude::*;
use portico_shared::customer::{AuditEntry, CustomerList, CustomerQuery, CustomerRecord, CustomerUserSummary};
use portico_shared::details::DetailsInput;
use portico_shared::settings::{CustomerOptions, OptionsInput, ProviderSetting};
use portico_shared::staff::StaffRole;
use serde::{Deserialize, Serialize};

use crate::PortalError;

pub mod cloud;
pub mod people;
pub mod settings;

/// The signed-in person, as the portal shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalUser {
    pub name: String,
    pub email: String,
    /// Their reseller's name, or "Portico platform" for the platform's staff.
    pub team_name: String,
    pub role: StaffRole,
    /// Notifications of their team they have not marked read.
    pub unread_notifications: i64,
}

impl PortalUser {
    pub fn is_platform(&self) -> bool {
        self.role.is_platform()
    }

    /// Whether they manage their team (invite, change roles, disable).
    pub fn manages_team(&self) -> bool {
        matches!(self.role, StaffRole::Admin | StaffRole::PlatformAdmin)
    }
}

/// Data of the Customers page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomersPageData {
    pub user: PortalUser,
    pub customers: CustomerList,
}

/// Data of the History page: every change in the reseller's account, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPageData {
    pub user: PortalUser,
    pub entries: Vec<AuditEntry>,
}

/// One customer with what its tabs show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerData {
    pub customer: CustomerRecord,
    /// The customer's audit log, newest first.
    pub history: Vec<AuditEntry>,
    pub providers: Vec<ProviderSetting>,
    pub options: CustomerOptions,
    pub users: Vec<CustomerUserSummary>,
    /// The reseller's customer fields with this customer's values.
    pub fields: Vec<portico_shared::custom_fields::FieldValue>,
    pub cloud_accounts: Vec<portico_shared::aws::CloudAccount>,
    /// What the Role ARN dialog tells the account owner.
    pub role_setup: portico_shared::aws::RoleSetup,
    /// Charges and discounts → Support plans, for each provider the customer has.
    pub support_plans: Vec<portico_shared::support_plans::ProviderPlans>,
}

/// Data of a customer's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPageData {
    pub user: PortalUser,
    pub data: CustomerData,
}

#[cfg(feature = "ssr")]
mod server_side {
    use http::header::SET_COOKIE;
    use http::HeaderValue;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    use crate::backend::SharedBackend;
    use crate::PortalError;

    pub fn backend() -> Result<SharedBackend, PortalError> {
        use_context::<SharedBackend>().ok_or(PortalError::Unavailable)
    }

    pub fn people() -> Result<crate::backend::SharedPeopleBackend, PortalError> {
        use_context::<crate::backend::SharedPeopleBackend>().ok_or(PortalError::Unavailable)
    }

    pub fn reseller_settings() -> Result<crate::backend::SharedSettingsBackend, PortalError> {
        use_context::<crate::backend::SharedSettingsBackend>().ok_or(PortalError::Unavailable)
    }

    pub fn cloud() -> Result<crate::backend::SharedCloudBackend, PortalError> {
        use_context::<crate::backend::SharedCloudBackend>().ok_or(PortalError::Unavailable)
    }

    pub async fn headers() -> Result<http::HeaderMap, PortalError> {
        let parts: http::request::Parts = leptos_axum::extract().await.map_err(|_| PortalError::Unavailable)?;
        Ok(parts.headers)
    }

    /// The address the request came from, for limits on password guessing.
    pub async fn peer() -> Option<std::net::IpAddr> {
        let info: axum::extract::ConnectInfo<std::net::SocketAddr> = leptos_axum::extract().await.ok()?;
        Some(info.0.ip())
    }

    /// Gives a refused call its own HTTP status, rather than the 500 every server-function error
    /// would otherwise get, so logs and clients can tell a wrong password from a fault.
    pub fn refuse(error: PortalError) -> PortalError {
        let status = match error {
            PortalError::SignInRefused | PortalError::NotSignedIn => http::StatusCode::UNAUTHORIZED,
            PortalError::Changed(_) => http::StatusCode::CONFLICT,
            PortalError::NotFound => http::StatusCode::NOT_FOUND,
            PortalError::Forbidden(_) => http::StatusCode::FORBIDDEN,
            PortalError::TooManyAttempts { .. } => http::StatusCode::TOO_MANY_REQUESTS,
            PortalError::Invalid(_) | PortalError::InvalidValues(_) => http::StatusCode::UNPROCESSABLE_ENTITY,
            PortalError::Malformed => http::StatusCode::BAD_REQUEST,
            PortalError::Unavailable => return error,
        };
        if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(status);
        }
        error
    }

    pub fn set_cookie(value: &str) -> Result<(), PortalError> {
        let response = use_context::<ResponseOptions>().ok_or(PortalError::Unavailable)?;
        response.append_header(SET_COOKIE, HeaderValue::from_str(value).map_err(|_| PortalError::Unavailable)?);
        Ok(())
    }
}

#[server(prefix = "/portal", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    let peer = server_side::peer().await;
    let backend = server_side::backend()?;
    let cookie = backend.sign_in(&headers, peer, &email, &password).await.map_err(server_side::refuse)?;
    server_side::set_cookie(&cookie)?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/portal", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    let cookie = server_side::backend()?.sign_out(&headers).await?;
    server_side::set_cookie(&cookie)?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(prefix = "/portal", endpoint = "current_user")]
pub async fn current_user() -> Result<PortalUser, PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?.current_user(&headers).await.map_err(server_side::refuse)
}

#[server(prefix = "/portal", endpoint = "customers_page")]
pub async fn customers_page(query: CustomerQuery) -> Result<CustomersPageData, PortalError> {
    let headers = server_side::headers().await?;
    let backend = server_side::backend()?;
    let user = backend.current_user(&headers).await.map_err(server_side::refuse)?;
    let customers = backend.customers(&headers, &query).await.map_err(server_side::refuse)?;
    Ok(CustomersPageData { user, customers })
}

#[server(prefix = "/portal", endpoint = "history_page")]
pub async fn history_page() -> Result<HistoryPageData, PortalError> {
    let headers = server_side::headers().await?;
    let backend = server_side::backend()?;
    let user = backend.current_user(&headers).await.map_err(server_side::refuse)?;
    let entries = backend.history(&headers).await.map_err(server_side::refuse)?;
    Ok(HistoryPageData { user, entries })
}

#[server(prefix = "/portal", endpoint = "customer_page")]
pub async fn customer_page(customer: String) -> Result<CustomerPageData, PortalError> {
    let headers = server_side::headers().await?;
    let backend = server_side::backend()?;
    let user = backend.current_user(&headers).await.map_err(server_side::refuse)?;
    let data = backend.customer(&headers, &customer).await.map_err(server_side::refuse)?;
    Ok(CustomerPageData { user, data })
}

/// The seed's Part 2: Add → Organization, Name, Title, Email, Phone, Address → Save. Opens the
/// new customer's page.
#[server(prefix = "/portal", endpoint = "add_customer")]
pub async fn add_customer(details: DetailsInput) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    let id = server_side::backend()?.add_customer(&headers, &details).await.map_err(server_side::refuse)?;
    leptos_axum::redirect(&format!("/customers/{id}"));
    Ok(())
}

/// Saves the Customer information tab.
#[server(prefix = "/portal", endpoint = "update_customer")]
pub async fn update_customer(customer: String, version: i64, details: DetailsInput) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?.update_customer(&headers, &customer, version, &details).await.map_err(server_side::refuse)
}

/// The Cloud providers tab: the ticked boxes arrive as `enabled[aws]=true`; the others are off.
#[server(prefix = "/portal", endpoint = "set_cloud_providers")]
pub async fn set_cloud_providers(
    customer: String,
    enabled: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    let enabled: Vec<String> =
        enabled.unwrap_or_default().into_iter().filter(|(_, on)| on == "true").map(|(id, _)| id).collect();
    server_side::backend()?.set_cloud_providers(&headers, &customer, &enabled).await.map_err(server_side::refuse)
}

/// The Customer options tab; `version` is the one the form was filled from (0 before the first save).
#[server(prefix = "/portal", endpoint = "save_customer_options")]
pub async fn save_customer_options(customer: String, version: i64, options: OptionsInput) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .save_customer_options(&headers, &customer, version, &options)
        .await
        .map_err(server_side::refuse)
}

/// The Users tab: makes a customer user an admin or a user (`role` is "admin" or "user").
#[server(prefix = "/portal", endpoint = "set_customer_user_role")]
pub async fn set_customer_user_role(
    customer: String,
    user: String,
    version: i64,
    role: String,
) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .change_customer_user(&headers, &customer, &user, version, UserUpdate::Role(role))
        .await
        .map_err(server_side::refuse)
}

/// The Users tab: disables a customer user (they cannot sign in) or enables them again.
#[server(prefix = "/portal", endpoint = "set_customer_user_disabled")]
pub async fn set_customer_user_disabled(
    customer: String,
    user: String,
    version: i64,
    disabled: bool,
) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .change_customer_user(&headers, &customer, &user, version, UserUpdate::Disabled(disabled))
        .await
        .map_err(server_side::refuse)
}

/// The Users tab: invites a person to the customer; they get an e-mail to choose a password.
#[server(prefix = "/portal", endpoint = "invite_customer_user")]
pub async fn invite_customer_user(
    customer: String,
    invitation: portico_shared::customer::CustomerInvitationInput,
) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?.invite_customer_user(&headers, &customer, &invitation).await.map_err(server_side::refuse)
}

/// The Users tab: sends an invited user a new link.
#[server(prefix = "/portal", endpoint = "resend_customer_invitation")]
pub async fn resend_customer_invitation(customer: String, user: String) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?.resend_customer_invitation(&headers, &customer, &user).await.map_err(server_side::refuse)
}

/// The Customer fields tab: `values[<field id>]` as typed; every field in use is checked.
#[server(prefix = "/portal", endpoint = "save_customer_field_values")]
pub async fn save_customer_field_values(
    customer: String,
    values: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .save_customer_field_values(&headers, &customer, &values.unwrap_or_default())
        .await
        .map_err(server_side::refuse)
}

/// A change to a customer user, as the Users tab asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserUpdate {
    Role(String),
    Disabled(bool),
}

/// Suspends an active customer: its users can no longer sign in.
#[server(prefix = "/portal", endpoint = "suspend_customer")]
pub async fn suspend_customer(customer: String, version: i64) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .set_customer_suspended(&headers, &customer, version, true)
        .await
        .map_err(server_side::refuse)
}

#[server(prefix = "/portal", endpoint = "reactivate_customer")]
pub async fn reactivate_customer(customer: String, version: i64) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .set_customer_suspended(&headers, &customer, version, false)
        .await
        .map_err(server_side::refuse)
}

/// Approves a signup. `version` is the customer's version as the page showed it.
#[server(prefix = "/portal", endpoint = "approve_signup")]
pub async fn approve_signup(customer: String, version: i64) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?.decide_signup(&headers, &customer, version, None).await.map_err(server_side::refuse)
}

/// Rejects a signup; the contact is e-mailed the reason.
#[server(prefix = "/portal", endpoint = "reject_signup")]
pub async fn reject_signup(customer: String, version: i64, reason: String) -> Result<(), PortalError> {
    let headers = server_side::headers().await?;
    server_side::backend()?
        .decide_signup(&headers, &customer, version, Some(&reason))
        .await
        .map_err(server_side::refuse)
}
