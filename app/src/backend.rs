//! What the portal needs from the server, as a trait the server implements and provides through
//! Leptos context. Every call takes the request headers, from which the server reads the session.

use std::sync::Arc;

use http::HeaderMap;
use portico_shared::customer::CustomerList;

use crate::api::PortalUser;
use crate::PortalError;

#[async_trait::async_trait]
pub trait PortalBackend: Send + Sync + 'static {
    /// Checks the credentials and starts a new session, ending any the browser already had.
    /// Returns the `Set-Cookie` value of the new session.
    async fn sign_in(&self, headers: &HeaderMap, email: &str, password: &str) -> Result<String, PortalError>;

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

    /// The newest customers of the signed-in user's reseller.
    async fn customers(&self, headers: &HeaderMap) -> Result<CustomerList, PortalError>;
}

/// The backend as stored in context.
pub type SharedBackend = Arc<dyn PortalBackend>;
