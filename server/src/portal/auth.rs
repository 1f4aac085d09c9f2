//! Who is calling, as types: a handler that takes a `ResellerAdmin` can only run for a signed-in
//! admin, and gets the reseller it may act on from the session, never from the request.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use portico_shared::ids::{ResellerId, ResellerUserId};

use crate::audit::Actor;
use crate::error::Error;
use crate::portal::sessions;
use crate::portal::sessions::Principal;
use crate::resellers::Role;
use crate::AppState;

/// A signed-in portal user of any role.
#[derive(Clone, Debug)]
pub struct ResellerUser {
    pub user_id: ResellerUserId,
    pub reseller_id: ResellerId,
    pub role: Role,
    pub actor: Actor,
}

/// A signed-in portal user with the admin role.
#[derive(Clone, Debug)]
pub struct ResellerAdmin {
    pub user_id: ResellerUserId,
    pub reseller_id: ResellerId,
    /// How the audit log names them.
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ResellerUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = state.cookies.token(&parts.headers).ok_or(Error::Unauthorized)?;
        let session = match sessions::find(&state.db, token).await? {
            Some(Principal::Reseller(session)) => session,
            Some(Principal::Platform(_)) => return Err(Error::Forbidden("This is for a reseller's users.")),
            None => return Err(Error::Unauthorized),
        };
        Ok(ResellerUser {
            actor: Actor::user(session.user_id.as_str(), &session.name, &session.email),
            user_id: session.user_id,
            reseller_id: session.reseller_id,
            role: session.role,
        })
    }
}

impl FromRequestParts<AppState> for ResellerAdmin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = ResellerUser::from_request_parts(parts, state).await?;
        if user.role != Role::Admin {
            return Err(Error::Forbidden("Only a reseller admin can do this."));
        }
        Ok(ResellerAdmin { user_id: user.user_id, reseller_id: user.reseller_id, actor: user.actor })
    }
}
