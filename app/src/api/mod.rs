//! The portal's server functions: each is the one place where a portal action meets the domain.
//! On the server it takes the domain handle and who is asking from the request ([`on_server`]),
//! and calls the domain function that does the work; in the browser it is a typed call to it.

use leptos::prelude::*;
use portico_shared::customer::{AuditEntry, CustomerList, CustomerQuery, UserRole};
use portico_shared::details::DetailsInput;
use portico_shared::ids::{CustomerId, CustomerUserId};
pub use portico_shared::portal::{CommerceData, CustomerData, PortalUser};
use portico_shared::settings::OptionsInput;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::customers::{self, approval, users, StatusChange};
#[cfg(feature = "ssr")]
use portico_domain::{audit, sessions, staff};

use crate::json::PortalJson;
use crate::PortalError;

pub mod account;
pub mod billing;
pub mod cloud;
pub mod commerce;
pub mod people;
pub mod settings;

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

/// Data of a customer's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPageData {
    pub user: PortalUser,
    pub data: CustomerData,
    pub commerce: CommerceData,
}

#[cfg(feature = "ssr")]
pub(crate) mod on_server {
    use http::header::{COOKIE, SET_COOKIE};
    use http::request::Parts;
    use http::HeaderValue;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use portico_domain::principal::Principal;
    use portico_domain::sessions::portal::PortalCookie;
    use portico_domain::Portico;

    use crate::PortalError;

    /// The domain handle and who is asking, as the server resolved them for this request.
    pub fn request() -> Result<(Portico, Principal), PortalError> {
        let portico = use_context::<Portico>().ok_or(PortalError::Unavailable)?;
        let parts = use_context::<Parts>().ok_or(PortalError::Unavailable)?;
        let principal = parts.extensions.get::<Principal>().cloned().unwrap_or_default();
        Ok((portico, principal))
    }

    /// The address the request came from (through trusted proxies), for limits on password
    /// guessing.
    pub fn peer() -> std::net::IpAddr {
        use_context::<Parts>()
            .and_then(|parts| parts.extensions.get::<portico_domain::principal::ClientAddr>().copied())
            .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |client| client.0)
    }

    /// The portal session token the browser sent, if any.
    pub fn session_token(portico: &Portico) -> Option<String> {
        cookie(portico, PortalCookie::Session)
    }

    /// The value of one of the portal's cookies the browser sent, if any.
    pub fn cookie(portico: &Portico, cookie: PortalCookie) -> Option<String> {
        let parts = use_context::<Parts>()?;
        let cookies = parts.headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
        portico.cookies().value_of(cookie, cookies).map(str::to_owned)
    }

    /// Where a right password leads: Home with the new session, or the second step with its own
    /// cookie (and no session yet).
    pub fn go_on(portico: &Portico, outcome: portico_domain::staff::SignInOutcome) -> Result<(), PortalError> {
        use portico_domain::staff::SignInOutcome;
        match outcome {
            SignInOutcome::Session(token) => {
                set_cookie(&portico.cookies().set(&token))?;
                leptos_axum::redirect("/");
            }
            SignInOutcome::SecondStep(challenge) => {
                set_cookie(&portico.cookies().clear())?;
                set_cookie(&portico.cookies().set_cookie(PortalCookie::SecondStep, &challenge))?;
                leptos_axum::redirect("/login/code");
            }
        }
        Ok(())
    }

    pub fn set_cookie(value: &str) -> Result<(), PortalError> {
        let response = use_context::<ResponseOptions>().ok_or(PortalError::Unavailable)?;
        response.append_header(SET_COOKIE, HeaderValue::from_str(value).map_err(|_| PortalError::Unavailable)?);
        Ok(())
    }
}

/// A refusal of the domain in the portal's words, with its own HTTP status rather than the 500
/// every server-function error would otherwise get, so logs and clients can tell a wrong password
/// from a fault. Faults are logged with their cause and say nothing more.
#[cfg(feature = "ssr")]
impl From<portico_domain::Error> for PortalError {
    fn from(error: portico_domain::Error) -> Self {
        use http::StatusCode;
        use portico_domain::Error;
        let (status, portal) = match error {
            Error::LoginFailed => (StatusCode::UNAUTHORIZED, PortalError::SignInRefused),
            Error::Unauthorized => (StatusCode::UNAUTHORIZED, PortalError::NotSignedIn),
            Error::Conflict(why) => (StatusCode::CONFLICT, PortalError::Changed(why.into_owned())),
            Error::NotFound => (StatusCode::NOT_FOUND, PortalError::NotFound),
            Error::Forbidden(why) => (StatusCode::FORBIDDEN, PortalError::Forbidden(why.into_owned())),
            Error::RateLimited { seconds } => (StatusCode::TOO_MANY_REQUESTS, PortalError::TooManyAttempts { seconds }),
            Error::Validation(fields) => (StatusCode::UNPROCESSABLE_ENTITY, PortalError::Invalid(fields)),
            Error::InvalidValues(values) => (StatusCode::UNPROCESSABLE_ENTITY, PortalError::InvalidValues(values)),
            Error::MalformedRequest(_) => (StatusCode::BAD_REQUEST, PortalError::Malformed),
            // At capacity: "try again in a moment", with the seconds for clients that read them.
            Error::Busy { seconds } => {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.insert_header(http::header::RETRY_AFTER, seconds.into());
                }
                (StatusCode::SERVICE_UNAVAILABLE, PortalError::Unavailable)
            }
            other => {
                tracing::error!(error = %other.cause_chain(), "portal request failed");
                return PortalError::Unavailable;
            }
        };
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        portal
    }
}

#[server(prefix = "/portal", endpoint = "sign_in", output = PortalJson)]
pub async fn sign_in(email: String, password: String) -> Result<(), PortalError> {
    let (portico, _) = on_server::request()?;
    let old = on_server::session_token(&portico);
    let peer = on_server::peer();
    let outcome = staff::sign_in(&portico, peer, &email, &password, old.as_deref()).await?;
    on_server::go_on(&portico, outcome)
}

#[server(prefix = "/portal", endpoint = "sign_out", output = PortalJson)]
pub async fn sign_out() -> Result<(), PortalError> {
    let (portico, _) = on_server::request()?;
    if let Some(token) = on_server::session_token(&portico) {
        sessions::portal::delete(&portico.db, &token).await?;
    }
    on_server::set_cookie(&portico.cookies().clear())?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(prefix = "/portal", endpoint = "current_user", output = PortalJson)]
pub async fn current_user() -> Result<PortalUser, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(staff::whoami(&portico, &who).await?)
}

#[server(prefix = "/portal", endpoint = "customers_page", output = PortalJson)]
pub async fn customers_page(query: CustomerQuery) -> Result<CustomersPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let customers = customers::list::of(&portico, who.reseller_user()?, &query).await?;
    Ok(CustomersPageData { user, customers })
}

#[server(prefix = "/portal", endpoint = "history_page", output = PortalJson)]
pub async fn history_page() -> Result<HistoryPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let entries = audit::history(&portico, &who).await?;
    Ok(HistoryPageData { user, entries })
}

/// One customer with its tabs; `customer` is the id in the page's address, where a malformed
/// one names no customer.
#[server(prefix = "/portal", endpoint = "customer_page", output = PortalJson)]
pub async fn customer_page(customer: String) -> Result<CustomerPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let customer = CustomerId::parse(&customer).map_err(|_| portico_domain::Error::NotFound)?;
    let user = staff::whoami(&portico, &who).await?;
    let reseller_user = who.reseller_user()?;
    let data = customers::page(&portico, reseller_user, &customer).await?;
    let commerce = portico_domain::commerce::page(&portico, reseller_user, &customer).await?;
    Ok(CustomerPageData { user, data, commerce })
}

/// The seed's Part 2: Add → Organization, Name, Title, Email, Phone, Address → Save. Opens the
/// new customer's page.
#[server(prefix = "/portal", endpoint = "add_customer", output = PortalJson)]
pub async fn add_customer(details: DetailsInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let id = customers::add(&portico, who.reseller_user()?, &details).await?;
    leptos_axum::redirect(&format!("/customers/{id}"));
    Ok(())
}

/// Saves the Customer information tab.
#[server(prefix = "/portal", endpoint = "update_customer", output = PortalJson)]
pub async fn update_customer(customer: CustomerId, version: i64, details: DetailsInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(customers::update_details(&portico, who.reseller_user()?, &customer, version, &details).await?)
}

/// The Cloud providers tab: the ticked boxes arrive as `enabled[aws]=true`; the others are off.
#[server(prefix = "/portal", endpoint = "set_cloud_providers", output = PortalJson)]
pub async fn set_cloud_providers(
    customer: CustomerId,
    enabled: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    // A provider id of the wrong shape names no provider.
    let enabled = enabled
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, on)| on == "true")
        .map(|(id, _)| portico_shared::ids::ProviderId::parse(&id).map_err(|_| portico_domain::Error::NotFound))
        .collect::<Result<_, _>>()?;
    Ok(customers::settings::set_providers(&portico, who.reseller_user()?, &customer, &enabled).await?)
}

/// The Customer options tab; `version` is the one the form was filled from (0 before the first save).
#[server(prefix = "/portal", endpoint = "save_customer_options", output = PortalJson)]
pub async fn save_customer_options(
    customer: CustomerId,
    version: i64,
    options: OptionsInput,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(customers::settings::save_options(&portico, who.reseller_user()?, &customer, version, &options).await?)
}

/// The Users tab: makes a customer user an admin or a user.
#[server(prefix = "/portal", endpoint = "set_customer_user_role", output = PortalJson)]
pub async fn set_customer_user_role(
    customer: CustomerId,
    user: CustomerUserId,
    version: i64,
    role: UserRole,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let change = users::UserChange::Role(role);
    Ok(users::change(&portico, who.reseller_user()?, &customer, &user, version, change).await?)
}

/// The Users tab: disables a customer user (they cannot sign in) or enables them again.
#[server(prefix = "/portal", endpoint = "set_customer_user_disabled", output = PortalJson)]
pub async fn set_customer_user_disabled(
    customer: CustomerId,
    user: CustomerUserId,
    version: i64,
    disabled: bool,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let change = users::UserChange::Disabled(disabled);
    Ok(users::change(&portico, who.reseller_user()?, &customer, &user, version, change).await?)
}

/// The Users tab: invites a person to the customer; they get an e-mail to choose a password.
#[server(prefix = "/portal", endpoint = "invite_customer_user", output = PortalJson)]
pub async fn invite_customer_user(
    customer: CustomerId,
    invitation: portico_shared::customer::CustomerInvitationInput,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    users::invite(&portico, who.reseller_user()?, &customer, &invitation).await?;
    Ok(())
}

/// The Users tab: sends an invited user a new link.
#[server(prefix = "/portal", endpoint = "resend_customer_invitation", output = PortalJson)]
pub async fn resend_customer_invitation(customer: CustomerId, user: CustomerUserId) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(users::resend_invitation(&portico, who.reseller_user()?, &customer, &user).await?)
}

/// The Customer fields tab: `values[<field id>]` as typed; every field in use is checked.
#[server(prefix = "/portal", endpoint = "save_customer_field_values", output = PortalJson)]
pub async fn save_customer_field_values(
    customer: CustomerId,
    values: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let values = values.unwrap_or_default();
    Ok(customers::fields::save_values(&portico, who.reseller_user()?, &customer, &values).await?)
}

/// Suspends an active customer: its users can no longer sign in.
#[server(prefix = "/portal", endpoint = "suspend_customer", output = PortalJson)]
pub async fn suspend_customer(customer: CustomerId, version: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(customers::set_status(&portico, who.reseller_user()?, &customer, version, StatusChange::Suspend).await?)
}

#[server(prefix = "/portal", endpoint = "reactivate_customer", output = PortalJson)]
pub async fn reactivate_customer(customer: CustomerId, version: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(customers::set_status(&portico, who.reseller_user()?, &customer, version, StatusChange::Reactivate).await?)
}

/// Approves a signup. `version` is the customer's version as the page showed it.
#[server(prefix = "/portal", endpoint = "approve_signup", output = PortalJson)]
pub async fn approve_signup(customer: CustomerId, version: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(approval::approve(&portico, who.reseller_user()?, &customer, version).await?)
}

/// Rejects a signup; the contact is e-mailed the reason.
#[server(prefix = "/portal", endpoint = "reject_signup", output = PortalJson)]
pub async fn reject_signup(customer: CustomerId, version: i64, reason: String) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(approval::reject(&portico, who.reseller_user()?, &customer, version, &reason).await?)
}
