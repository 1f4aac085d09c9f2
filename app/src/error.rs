//! What a portal server function can fail with, in words a reseller understands.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::json::BrowserJson;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalError {
    /// Wrong e-mail or password; deliberately never says which.
    SignInRefused,
    /// No session, or it expired.
    NotSignedIn,
    /// The thing was changed by someone else since the page showed it.
    Changed(String),
    /// Not there, or not this reseller's.
    NotFound,
    /// Signed in, but this is not for the person's role; says who may do it.
    Forbidden(String),
    /// Too many attempts from here; try again after this many seconds.
    TooManyAttempts { seconds: i64 },
    /// A field was refused.
    Invalid(Vec<portico_shared::FieldError>),
    /// Values of the reseller's own customer fields were refused, each named by its field's id.
    InvalidValues(Vec<portico_shared::custom_fields::ValueError>),
    /// The request's arguments could not be read (a missing or mistyped one): a client's fault.
    Malformed,
    /// Anything else; the details are in the server log.
    Unavailable,
}

impl std::fmt::Display for PortalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortalError::SignInRefused => f.write_str("That e-mail and password do not match an account."),
            PortalError::NotSignedIn => f.write_str("Please sign in to continue."),
            PortalError::Changed(why) => f.write_str(why),
            PortalError::NotFound => f.write_str("That is no longer there."),
            PortalError::Forbidden(why) => f.write_str(why),
            PortalError::TooManyAttempts { seconds } => {
                write!(f, "Too many attempts. Please try again in {} minute(s).", (seconds + 59) / 60)
            }
            PortalError::Invalid(errors) => {
                f.write_str(&errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))
            }
            PortalError::InvalidValues(_) => f.write_str("Please correct the fields marked below."),
            PortalError::Malformed => f.write_str("That request was incomplete. Please reload the page and try again."),
            PortalError::Unavailable => f.write_str("Portico could not complete that. Please try again in a moment."),
        }
    }
}

impl std::error::Error for PortalError {}

impl FromServerFnError for PortalError {
    type Encoder = BrowserJson;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => {
                // A 400 rather than the 500 of a fault, as for any other refused request.
                #[cfg(feature = "ssr")]
                if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(http::StatusCode::BAD_REQUEST);
                }
                PortalError::Malformed
            }
            _ => PortalError::Unavailable,
        }
    }
}
