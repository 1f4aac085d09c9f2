//! What the portal needs from the server, as a trait the server implements and provides through
//! Leptos context. Every call takes the request headers, from which the server reads the session.

use std::sync::Arc;

use http::HeaderMap;
use portico_shared::aws::{CloudAccountInput, NewAccountInput, RoleArnEntry, RoleCheck};
use portico_shared::branding::WidgetSettingsInput;
use portico_shared::cloud_links::{QueueFilter, SupportRequest};
use portico_shared::custom_fields::{DefinitionInput, FieldDefinition};
use portico_shared::customer::{AuditEntry, CustomerList, CustomerQuery};
use portico_shared::details::DetailsInput;
use portico_shared::notifications::Notification;
use portico_shared::settings::OptionsInput;
use portico_shared::signup_options::SignupOptions;
use portico_shared::staff::{InvitationInput, InvitationView, ResellerInput, ResellerSummary, Team};
use portico_shared::test_drives::{TestDrive, TestDriveInput};

use crate::api::settings::WidgetSettingsData;
use crate::api::{CustomerData, PortalUser, UserUpdate};
use crate::PortalError;

#[async_trait::async_trait]
pub trait PortalBackend: Send + Sync + 'static {
    /// Checks the credentials (attempts from `peer` are limited) and starts a new session, ending
    /// any the browser already had. Returns the `Set-Cookie` value of the new session.
    async fn sign_in(
        &self,
        headers: &HeaderMap,
        peer: Option<std::net::IpAddr>,
        email: &str,
        password: &str,
    ) -> Result<String, PortalError>;

    /// Ends the session. Returns the `Set-Cookie` value that removes the cookie.
    async fn sign_out(&self, headers: &HeaderMap) -> Result<String, PortalError>;

    async fn current_user(&self, headers: &HeaderMap) -> Result<PortalUser, PortalError>;

    /// Approves a signup waiting for approval, or rejects it with `reject_reason`; `version` is the
    /// one the reseller saw.
    async fn decide_signup(
        &self,
        headers: &HeaderMap,
        customer: &str,
        version: i64,
        reject_reason: Option<&str>,
    ) -> Result<(), PortalError>;

    /// A page of the signed-in user's customers.
    async fn customers(&self, headers: &HeaderMap, query: &CustomerQuery) -> Result<CustomerList, PortalError>;

    /// The newest changes in the signed-in user's reseller account, or, for platform staff, in the
    /// platform's own log (its staff and the resellers it created).
    async fn history(&self, headers: &HeaderMap) -> Result<Vec<AuditEntry>, PortalError>;

    /// One customer with its history and settings.
    async fn customer(&self, headers: &HeaderMap, id: &str) -> Result<CustomerData, PortalError>;

    /// Makes `enabled` (provider ids) the customer's cloud providers.
    async fn set_cloud_providers(&self, headers: &HeaderMap, id: &str, enabled: &[String]) -> Result<(), PortalError>;

    /// Changes one of the customer's users; `version` is the user's as the page showed it.
    async fn change_customer_user(
        &self,
        headers: &HeaderMap,
        customer: &str,
        user: &str,
        version: i64,
        update: UserUpdate,
    ) -> Result<(), PortalError>;

    /// Invites a person to the customer by e-mail (Users tab).
    async fn invite_customer_user(
        &self,
        headers: &HeaderMap,
        customer: &str,
        invitation: &InvitationInput,
    ) -> Result<(), PortalError>;

    /// Sends an invited customer user a new link.
    async fn resend_customer_invitation(
        &self,
        headers: &HeaderMap,
        customer: &str,
        user: &str,
    ) -> Result<(), PortalError>;

    /// Saves the Customer fields tab: field id → value as typed.
    async fn save_customer_field_values(
        &self,
        headers: &HeaderMap,
        customer: &str,
        values: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), PortalError>;

    /// Saves the Customer options tab; `version` is the one the form was filled from.
    async fn save_customer_options(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        options: &OptionsInput,
    ) -> Result<(), PortalError>;

    /// Adds a customer (active at once); returns its id.
    async fn add_customer(&self, headers: &HeaderMap, details: &DetailsInput) -> Result<String, PortalError>;

    /// Replaces a customer's information; `version` is the one the form was filled from.
    async fn update_customer(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        details: &DetailsInput,
    ) -> Result<(), PortalError>;

    /// Suspends an active customer (`suspend`), or reactivates a suspended one.
    async fn set_customer_suspended(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        suspend: bool,
    ) -> Result<(), PortalError>;
}

/// The reseller's settings pages: Widget settings, Customer fields, Test Drives (admins only).
#[async_trait::async_trait]
pub trait SettingsBackend: Send + Sync + 'static {
    async fn widget_settings(&self, headers: &HeaderMap) -> Result<WidgetSettingsData, PortalError>;

    async fn save_widget_settings(
        &self,
        headers: &HeaderMap,
        settings: &WidgetSettingsInput,
    ) -> Result<(), PortalError>;

    async fn save_signup_options(&self, headers: &HeaderMap, options: SignupOptions) -> Result<(), PortalError>;

    /// The reseller's customer fields in use.
    async fn customer_fields(&self, headers: &HeaderMap) -> Result<Vec<FieldDefinition>, PortalError>;

    async fn define_customer_field(&self, headers: &HeaderMap, field: &DefinitionInput) -> Result<(), PortalError>;

    /// Retires a field: no longer shown or asked for; stored values stay.
    async fn retire_customer_field(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError>;

    /// The Test Drives catalog, and the cloud providers (id, name) an entry may run on.
    async fn test_drives(&self, headers: &HeaderMap) -> Result<(Vec<TestDrive>, Vec<(String, String)>), PortalError>;

    /// Adds an entry (`id` empty) or changes one still at `version`.
    async fn save_test_drive(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        drive: &TestDriveInput,
    ) -> Result<(), PortalError>;

    async fn retire_test_drive(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError>;

    /// Revokes the widget key and issues a new one for the same websites.
    async fn rotate_widget_key(&self, headers: &HeaderMap) -> Result<(), PortalError>;
}

/// A customer's cloud accounts (the Cloud accounts tab).
#[async_trait::async_trait]
pub trait CloudBackend: Send + Sync + 'static {
    /// Adds an AWS account to one of the signed-in user's customers.
    async fn add_cloud_account(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &CloudAccountInput,
    ) -> Result<(), PortalError>;

    /// Cloud accounts → **Request**: a new AWS account for one of the signed-in user's customers.
    async fn request_new_account(
        &self,
        headers: &HeaderMap,
        customer: &str,
        request: &NewAccountInput,
    ) -> Result<(), PortalError>;

    /// Checks the role ARN typed for a cloud account still at `version` (unless only saved),
    /// stores it with the result.
    async fn check_role_arn(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &str,
        version: i64,
        entry: RoleArnEntry<'_>,
    ) -> Result<RoleCheck, PortalError>;

    /// The reseller's step on a cloud account's link (request, answer, cancel, re-invite,
    /// request unlink), with its note where it needs one.
    async fn change_link(
        &self,
        headers: &HeaderMap,
        customer: &str,
        account: &str,
        version: i64,
        action: &str,
        note: &str,
    ) -> Result<(), PortalError>;

    /// Charges and discounts → Support plans: the customer's plan with `provider` (`plan` empty: none).
    async fn set_support_plan(
        &self,
        headers: &HeaderMap,
        customer: &str,
        provider: &str,
        plan: &str,
    ) -> Result<(), PortalError>;

    /// The Cloud Support console's requests (the platform's staff only).
    async fn support_queue(&self, headers: &HeaderMap, filter: QueueFilter)
        -> Result<Vec<SupportRequest>, PortalError>;

    /// Cloud Support approves, rejects or asks about a request still at `version`.
    async fn decide_request(
        &self,
        headers: &HeaderMap,
        account: &str,
        version: i64,
        action: &str,
        note: &str,
    ) -> Result<(), PortalError>;
}

/// The people who sign in to the portal, and the resellers of the platform.
#[async_trait::async_trait]
pub trait PeopleBackend: Send + Sync + 'static {
    /// The signed-in person's team (their reseller's, or the platform's staff) and its
    /// invitations.
    async fn team(&self, headers: &HeaderMap) -> Result<Team, PortalError>;

    /// Invites someone to the signed-in admin's team.
    async fn invite(&self, headers: &HeaderMap, invitation: &InvitationInput) -> Result<(), PortalError>;

    /// Sends a pending invitation again, with a new link.
    async fn resend_invitation(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError>;

    /// Withdraws a pending invitation.
    async fn revoke_invitation(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError>;

    /// Changes a member of the signed-in admin's team; `version` is the member's as the page showed it.
    async fn change_member(
        &self,
        headers: &HeaderMap,
        member: &str,
        version: i64,
        update: UserUpdate,
    ) -> Result<(), PortalError>;

    /// What the platform told the signed-in person's team (a reseller's, or Cloud Support), newest first.
    async fn notifications(&self, headers: &HeaderMap) -> Result<Vec<Notification>, PortalError>;

    /// **Mark all as read**: the signed-in person's notifications up to `until` (ms).
    async fn mark_notifications_read(&self, headers: &HeaderMap, until: i64) -> Result<(), PortalError>;

    /// Every reseller (the platform's staff only).
    async fn resellers(&self, headers: &HeaderMap) -> Result<Vec<ResellerSummary>, PortalError>;

    /// Creates a reseller and invites its first admin (platform admins only); returns its id.
    async fn create_reseller(&self, headers: &HeaderMap, reseller: &ResellerInput) -> Result<String, PortalError>;

    /// What an invitation link offers, or why it no longer works.
    async fn invitation(&self, token: &str) -> Result<InvitationView, PortalError>;

    /// Accepts an invitation with the chosen password and signs the new user in. Returns the
    /// `Set-Cookie` value of the new session.
    async fn accept_invitation(
        &self,
        headers: &HeaderMap,
        token: &str,
        password: &str,
        verify_password: &str,
    ) -> Result<String, PortalError>;

    /// E-mails a password-reset link if the address has an account; answers the same either way.
    async fn request_password_reset(&self, headers: &HeaderMap, email: &str) -> Result<(), PortalError>;

    /// Whether a reset link still works; the reason when it does not.
    async fn password_reset_link(&self, token: &str) -> Result<(), PortalError>;

    /// Sets a new password through a reset link; every session of the user ends.
    async fn reset_password(&self, token: &str, password: &str, verify_password: &str) -> Result<(), PortalError>;
}

/// The backend as stored in context.
pub type SharedBackend = Arc<dyn PortalBackend>;

/// The Widget settings backend as stored in context.
pub type SharedSettingsBackend = Arc<dyn SettingsBackend>;

/// The people backend as stored in context.
pub type SharedPeopleBackend = Arc<dyn PeopleBackend>;

/// The cloud accounts backend as stored in context.
pub type SharedCloudBackend = Arc<dyn CloudBackend>;
