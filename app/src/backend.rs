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

    /// The newest customers of the signed-in user's reseller.
    async fn customers(&self, headers: &HeaderMap) -> Result<CustomerList, PortalError>;
}

/// The backend as stored in context.
pub type SharedBackend = Arc<dyn PortalBackend>;
