//! Server functions of the Team, Notifications, Resellers, invitation and password-reset pages.

use leptos::prelude::*;
use portico_shared::ids::{InvitationId, PortalUserId};
use portico_shared::staff::{InvitationInput, InvitationView, ResellerInput, ResellerSummary, StaffRole, Team};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::staff::{self, invitations, resets, team};
#[cfg(feature = "ssr")]
use portico_domain::{notifications, resellers};

#[cfg(feature = "ssr")]
use super::on_server;
use super::PortalUser;
use crate::json::PortalJson;
use crate::PortalError;

/// Data of the Team page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPageData {
    pub user: PortalUser,
    pub team: Team,
}

/// Data of the Resellers page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResellersPageData {
    pub user: PortalUser,
    pub resellers: Vec<ResellerSummary>,
}

#[server(prefix = "/portal", endpoint = "team_page", output = PortalJson)]
pub async fn team_page() -> Result<TeamPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let team = team::list(&portico, &who.member()?).await?;
    Ok(TeamPageData { user, team })
}

/// Invites someone to the signed-in admin's team; they get an e-mail with a one-time link.
#[server(prefix = "/portal", endpoint = "invite", output = PortalJson)]
pub async fn invite(invitation: InvitationInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    invitations::invite(&portico, &who.team_admin()?, &invitation).await?;
    Ok(())
}

#[server(prefix = "/portal", endpoint = "resend_invitation", output = PortalJson)]
pub async fn resend_invitation(invitation: InvitationId) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(invitations::resend(&portico, &who.team_admin()?, &invitation).await?)
}

#[server(prefix = "/portal", endpoint = "revoke_invitation", output = PortalJson)]
pub async fn revoke_invitation(invitation: InvitationId) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(invitations::revoke(&portico, &who.team_admin()?, &invitation).await?)
}

/// Team: gives a member another role (`admin`, `agent`, `platform_admin`, `cloud_support`).
#[server(prefix = "/portal", endpoint = "set_member_role", output = PortalJson)]
pub async fn set_member_role(member: PortalUserId, version: i64, role: StaffRole) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(team::change(&portico, &who.team_admin()?, &member, version, team::MemberChange::Role(role)).await?)
}

/// Team: disables a member (they cannot sign in; their sessions end) or enables them again.
#[server(prefix = "/portal", endpoint = "set_member_disabled", output = PortalJson)]
pub async fn set_member_disabled(member: PortalUserId, version: i64, disabled: bool) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let change = team::MemberChange::Disabled(disabled);
    Ok(team::change(&portico, &who.team_admin()?, &member, version, change).await?)
}

/// Data of the Notifications page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPageData {
    pub user: PortalUser,
    pub notifications: Vec<portico_shared::notifications::Notification>,
}

#[server(prefix = "/portal", endpoint = "notifications_page", output = PortalJson)]
pub async fn notifications_page() -> Result<NotificationsPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let notifications = notifications::list(&portico.db, &who.member()?).await?;
    Ok(NotificationsPageData { user, notifications })
}

/// **Mark all as read** on the Notifications page: up to `until`, the newest one it showed.
#[server(prefix = "/portal", endpoint = "mark_notifications_read", output = PortalJson)]
pub async fn mark_notifications_read(until: i64) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(notifications::mark_read(&portico.db, &who.member()?, until).await?)
}

#[server(prefix = "/portal", endpoint = "resellers_page", output = PortalJson)]
pub async fn resellers_page() -> Result<ResellersPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let resellers = resellers::list(&portico, who.staff()?).await?;
    Ok(ResellersPageData { user, resellers })
}

/// Creates a reseller and invites its first admin; returns to the Resellers page.
#[server(prefix = "/portal", endpoint = "create_reseller", output = PortalJson)]
pub async fn create_reseller(reseller: ResellerInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    resellers::create_with_admin(&portico, &who.platform_admin()?, &reseller).await?;
    leptos_axum::redirect("/resellers");
    Ok(())
}

#[server(prefix = "/portal", endpoint = "invitation", output = PortalJson)]
pub async fn invitation(token: String) -> Result<InvitationView, PortalError> {
    let (portico, _) = on_server::request()?;
    Ok(invitations::view(&portico, &token).await?)
}

/// Accepts an invitation and signs the new user in, on Home (or on the second step, where they
/// must add an authenticator app first).
#[server(prefix = "/portal", endpoint = "accept_invitation", output = PortalJson)]
pub async fn accept_invitation(token: String, password: String, verify_password: String) -> Result<(), PortalError> {
    let (portico, _) = on_server::request()?;
    let old = on_server::session_token(&portico);
    let outcome = invitations::accept(&portico, &token, &password, &verify_password, old.as_deref()).await?;
    on_server::go_on(&portico, outcome)
}

/// Returns the address as typed, for the page to confirm where the link went (if anywhere).
#[server(prefix = "/portal", endpoint = "request_password_reset", output = PortalJson)]
pub async fn request_password_reset(email: String) -> Result<String, PortalError> {
    let (portico, _) = on_server::request()?;
    resets::request(&portico, &email, on_server::peer()).await?;
    Ok(email.trim().to_owned())
}

#[server(prefix = "/portal", endpoint = "password_reset_link", output = PortalJson)]
pub async fn password_reset_link(token: String) -> Result<(), PortalError> {
    let (portico, _) = on_server::request()?;
    Ok(resets::usable(&portico, &token).await?)
}

/// Sets the new password; the person then signs in with it.
#[server(prefix = "/portal", endpoint = "reset_password", output = PortalJson)]
pub async fn reset_password(token: String, password: String, verify_password: String) -> Result<(), PortalError> {
    let (portico, _) = on_server::request()?;
    resets::change(&portico, &token, &password, &verify_password).await?;
    leptos_axum::redirect("/login?reset=done");
    Ok(())
}
