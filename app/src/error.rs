//! What a portal server function can fail with, in words a reseller understands.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalError {
    /// Wrong e-mail or password; deliberately never says which.
    SignInRefused,
    /// No session, or it expired.
    NotSignedIn,
    /// Anything else; the details are in the server log.
    Unavailable,
}

impl std::fmt::Display for PortalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PortalError::SignInRefused => "That e-mail and password do not match an account.",
            PortalError::NotSignedIn => "Please sign in to continue.",
            PortalError::Unavailable => "Portico could not complete that. Please try again in a moment.",
        })
    }
}

impl std::error::Error for PortalError {}

impl FromServerFnError for PortalError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        PortalError::Unavailable
    }
}
