//! Server functions of two-step sign-in: the sign-in's second step, the person's own account
//! page, and the Team page's rule and reset.

use leptos::prelude::*;
use portico_shared::ids::PortalUserId;
use portico_shared::two_step::{SecondStep, TwoStepSetup, TwoStepStatus};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::sessions::portal::PortalCookie;
#[cfg(feature = "ssr")]
use portico_domain::staff::{self, two_step};

#[cfg(feature = "ssr")]
use super::on_server;
use super::PortalUser;
use crate::json::PortalJson;
use crate::PortalError;

/// Data of the account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPageData {
    pub user: PortalUser,
    pub two_step: TwoStepStatus,
}

/// What the sign-in's second step asks for; 401 when the sign-in it continues has ended.
#[server(prefix = "/portal", endpoint = "pending_second_step", output = PortalJson)]
pub async fn pending_second_step() -> Result<SecondStep, PortalError> {
    let (portico, _) = on_server::request()?;
    let challenge = on_server::cookie(&portico, PortalCookie::SecondStep).ok_or(PortalError::NotSignedIn)?;
    Ok(two_step::second_step(&portico, &challenge).await?)
}

/// The second step's answer. Signed in, it goes on to the portal, or, when the person has just
/// added their app, returns the recovery codes to show once.
#[server(prefix = "/portal", endpoint = "sign_in_code", output = PortalJson)]
pub async fn sign_in_code(code: String) -> Result<Option<Vec<String>>, PortalError> {
    let (portico, _) = on_server::request()?;
    let challenge = on_server::cookie(&portico, PortalCookie::SecondStep).ok_or(PortalError::NotSignedIn)?;
    let signed_in = two_step::answer(&portico, on_server::peer(), &challenge, &code).await?;
    on_server::set_cookie(&portico.cookies().clear_cookie(PortalCookie::SecondStep))?;
    on_server::set_cookie(&portico.cookies().set(&signed_in.session))?;
    if signed_in.recovery_codes.is_none() {
        leptos_axum::redirect("/");
    }
    Ok(signed_in.recovery_codes)
}

/// The signed-in person's account page: who they are and their two-step sign-in.
#[server(prefix = "/portal", endpoint = "account_page", output = PortalJson)]
pub async fn account_page() -> Result<AccountPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let two_step = two_step::status(&portico, &who.member()?).await?;
    Ok(AccountPageData { user, two_step })
}

/// Account page, "Turn on": the key for the app.
#[server(prefix = "/portal", endpoint = "begin_two_step", output = PortalJson)]
pub async fn begin_two_step() -> Result<TwoStepSetup, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(two_step::begin(&portico, &who.member()?).await?)
}

/// Account page: the app's first code turns two-step sign-in on; returns the recovery codes.
#[server(prefix = "/portal", endpoint = "confirm_two_step", output = PortalJson)]
pub async fn confirm_two_step(code: String) -> Result<Vec<String>, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(two_step::confirm(&portico, &who.member()?, &code).await?)
}

/// Account page: ten new recovery codes for a current code; the old ones stop working.
#[server(prefix = "/portal", endpoint = "replace_recovery_codes", output = PortalJson)]
pub async fn replace_recovery_codes(code: String) -> Result<Vec<String>, PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(two_step::replace_recovery_codes(&portico, &who.member()?, &code).await?)
}

/// Account page: turns two-step sign-in off for a current code, where it is not required.
#[server(prefix = "/portal", endpoint = "turn_off_two_step", output = PortalJson)]
pub async fn turn_off_two_step(code: String) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(two_step::turn_off(&portico, &who.member()?, &code).await?)
}

/// Team page (a reseller's admin): requires two-step sign-in of every member, or not.
#[server(prefix = "/portal", endpoint = "require_two_step", output = PortalJson)]
pub async fn require_two_step(required: bool) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(two_step::require_for_team(&portico, &who.reseller_admin()?, required).await?)
}

/// Team page (an admin): forgets a member's app and recovery codes.
#[server(prefix = "/portal", endpoint = "reset_two_step", output = PortalJson)]
pub async fn reset_two_step(member: PortalUserId) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(two_step::reset_for_member(&portico, &who.team_admin()?, &member).await?)
}
