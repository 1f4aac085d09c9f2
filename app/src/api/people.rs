//! Server functions of the Team, Resellers, invitation and password-reset pages.

use leptos::prelude::*;
use portico_shared::staff::{InvitationInput, InvitationView, ResellerInput, ResellerSummary, Team};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::server_side::{backend, headers, people, refuse, set_cookie};
use super::PortalUser;
#[cfg(feature = "ssr")]
use super::UserUpdate;
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

#[server(prefix = "/portal", endpoint = "team_page")]
pub async fn team_page() -> Result<TeamPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let team = people()?.team(&headers).await.map_err(refuse)?;
    Ok(TeamPageData { user, team })
}

/// Invites someone to the signed-in admin's team; they get an e-mail with a one-time link.
#[server(prefix = "/portal", endpoint = "invite")]
pub async fn invite(invitation: InvitationInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.invite(&headers, &invitation).await.map_err(refuse)
}

#[server(prefix = "/portal", endpoint = "resend_invitation")]
pub async fn resend_invitation(invitation: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.resend_invitation(&headers, &invitation).await.map_err(refuse)
}

#[server(prefix = "/portal", endpoint = "revoke_invitation")]
pub async fn revoke_invitation(invitation: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.revoke_invitation(&headers, &invitation).await.map_err(refuse)
}

/// Team: gives a member another role (`admin`, `agent`, `platform_admin`, `cloud_support`).
#[server(prefix = "/portal", endpoint = "set_member_role")]
pub async fn set_member_role(member: String, version: i64, role: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.change_member(&headers, &member, version, UserUpdate::Role(role)).await.map_err(refuse)
}

/// Team: disables a member (they cannot sign in; their sessions end) or enables them again.
#[server(prefix = "/portal", endpoint = "set_member_disabled")]
pub async fn set_member_disabled(member: String, version: i64, disabled: bool) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.change_member(&headers, &member, version, UserUpdate::Disabled(disabled)).await.map_err(refuse)
}

/// Data of the Notifications page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPageData {
    pub user: PortalUser,
    pub notifications: Vec<portico_shared::notifications::Notification>,
}

#[server(prefix = "/portal", endpoint = "notifications_page")]
pub async fn notifications_page() -> Result<NotificationsPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let notifications = people()?.notifications(&headers).await.map_err(refuse)?;
    Ok(NotificationsPageData { user, notifications })
}

/// **Mark all as read** on the Notifications page: up to `until`, the newest one it showed.
#[server(prefix = "/portal", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(until: i64) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.mark_notifications_read(&headers, until).await.map_err(refuse)
}

#[server(prefix = "/portal", endpoint = "resellers_page")]
pub async fn resellers_page() -> Result<ResellersPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let resellers = people()?.resellers(&headers).await.map_err(refuse)?;
    Ok(ResellersPageData { user, resellers })
}

/// Creates a reseller and invites its first admin; returns to the Resellers page.
#[server(prefix = "/portal", endpoint = "create_reseller")]
pub async fn create_reseller(reseller: ResellerInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    people()?.create_reseller(&headers, &reseller).await.map_err(refuse)?;
    leptos_axum::redirect("/resellers");
    Ok(())
}

#[server(prefix = "/portal", endpoint = "invitation")]
pub async fn invitation(token: String) -> Result<InvitationView, PortalError> {
    people()?.invitation(&token).await.map_err(refuse)
}

/// Accepts an invitation and signs the new user in, on Home.
#[server(prefix = "/portal", endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String, verify_password: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    let cookie = people()?.accept_invitation(&headers, &token, &password, &verify_password).await.map_err(refuse)?;
    set_cookie(&cookie)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Returns the address as typed, for the page to confirm where the link went (if anywhere).
#[server(prefix = "/portal", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<String, PortalError> {
    let headers = headers().await?;
    people()?.request_password_reset(&headers, &email).await.map_err(refuse)?;
    Ok(email.trim().to_owned())
}

#[server(prefix = "/portal", endpoint = "password_reset_link")]
pub async fn password_reset_link(token: String) -> Result<(), PortalError> {
    people()?.password_reset_link(&token).await.map_err(refuse)
}

/// Sets the new password; the person then signs in with it.
#[server(prefix = "/portal", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String, verify_password: String) -> Result<(), PortalError> {
    people()?.reset_password(&token, &password, &verify_password).await.map_err(refuse)?;
    leptos_axum::redirect("/login?reset=done");
    Ok(())
}
