//! Logging an end customer into the widget.

use serde::{Deserialize, Serialize};

use crate::customer::CustomerStatus;

/// `POST /api/v1/widgets/{key}/sessions`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("email", &self.email).finish_non_exhaustive()
    }
}

/// The signed-in person, as the widget shows them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetAccount {
    pub name: String,
    pub email: String,
    pub organization: String,
    pub status: CustomerStatus,
}

/// A new session: the bearer token for later calls, and who it is for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub account: WidgetAccount,
}

/// An e-mail address, for the requests that send a link to one (a new confirmation link, a
/// password link).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct EmailRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub email: String,
}
