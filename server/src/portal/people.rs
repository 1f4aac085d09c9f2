//! The portal's people pages on the server: teams, invitations, resellers and password resets.

use axum::http::HeaderMap;
use portico_app::api::UserUpdate;
use portico_app::backend::PeopleBackend;
use portico_app::PortalError;
use portico_shared::notifications::Notification;
use portico_shared::password::new_password;
use portico_shared::staff::{InvitationInput, InvitationView, ResellerInput, ResellerSummary, StaffRole, Team};

use crate::audit::Actor;
use crate::error::Error;
use crate::portal::sessions::{self, Principal};
use crate::portal::{refused, unavailable, Backend};
use crate::staff::team::{self, MemberChange};
use crate::staff::{invitations, resets, Scope};
use crate::{notifications, resellers};

/// Who is acting on which team, and whether they manage it.
struct TeamSession {
    scope: Scope,
    actor: Actor,
    manages: bool,
    role: StaffRole,
}

impl TeamSession {
    /// The signed-in person's user id.
    fn user(&self) -> &str {
        self.actor.id.as_deref().unwrap_or_default()
    }
}

impl Principal {
    fn team_session(self) -> TeamSession {
        match self {
            Principal::Reseller(user) => TeamSession {
                actor: Actor::user(user.user_id.as_str(), &user.name, &user.email),
                manages: user.role == StaffRole::Admin,
                scope: Scope::Reseller(user.reseller_id),
                role: user.role,
            },
            Principal::Platform(user) => TeamSession {
                actor: Actor::user(&user.user_id, &user.name, &user.email),
                manages: user.role == StaffRole::PlatformAdmin,
                scope: Scope::Platform,
                role: user.role,
            },
        }
    }
}

impl Backend {
    async fn team_session(&self, headers: &HeaderMap) -> Result<TeamSession, PortalError> {
        Ok(self.principal(headers).await?.team_session())
    }

    /// The signed-in admin of a team; others are told who may act.
    async fn team_admin(&self, headers: &HeaderMap) -> Result<TeamSession, PortalError> {
        let session = self.team_session(headers).await?;
        if !session.manages {
            let admin = if session.role.is_platform() { "a platform admin" } else { "an admin of your team" };
            return Err(PortalError::Forbidden(format!("Only {admin} can change the team.")));
        }
        Ok(session)
    }

    async fn platform_staff(&self, headers: &HeaderMap) -> Result<TeamSession, PortalError> {
        let session = self.team_session(headers).await?;
        if !session.role.is_platform() {
            return Err(PortalError::Forbidden("Only the platform's staff see resellers.".into()));
        }
        Ok(session)
    }
}

/// Why an invitation link does not work, as the page says it.
fn closed_invitation(lookup: invitations::Lookup) -> PortalError {
    PortalError::Changed(
        match lookup {
            invitations::Lookup::Expired => {
                "This invitation has expired: invitations work for 7 days. Ask whoever invited you to send it again."
            }
            invitations::Lookup::Closed => {
                "This invitation was already accepted or withdrawn. If you accepted it, sign in instead."
            }
            invitations::Lookup::Unknown | invitations::Lookup::Valid(_) => {
                "This invitation link is not valid. Check that you opened the whole address from the e-mail."
            }
        }
        .into(),
    )
}

#[async_trait::async_trait]
impl PeopleBackend for Backend {
    async fn team(&self, headers: &HeaderMap) -> Result<Team, PortalError> {
        let session = self.team_session(headers).await?;
        team::list(&self.state.db, &session.scope).await.map_err(unavailable)
    }

    async fn invite(&self, headers: &HeaderMap, invitation: &InvitationInput) -> Result<(), PortalError> {
        let session = self.team_admin(headers).await?;
        let invitation = invitation.validate(session.scope.roles()).map_err(PortalError::Invalid)?;
        let origin = &self.state.public_origin;
        invitations::invite(&self.state.db, &session.scope, &invitation, &session.actor, origin)
            .await
            .map_err(refused)?;
        self.state.jobs.wake();
        Ok(())
    }

    async fn resend_invitation(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError> {
        let session = self.team_admin(headers).await?;
        let origin = &self.state.public_origin;
        invitations::resend(&self.state.db, &session.scope, id, &session.actor, origin).await.map_err(refused)?;
        self.state.jobs.wake();
        Ok(())
    }

    async fn revoke_invitation(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError> {
        let session = self.team_admin(headers).await?;
        invitations::revoke(&self.state.db, &session.scope, id, &session.actor).await.map_err(refused)
    }

    async fn change_member(
        &self,
        headers: &HeaderMap,
        member: &str,
        version: i64,
        update: UserUpdate,
    ) -> Result<(), PortalError> {
        let session = self.team_admin(headers).await?;
        let change = match update {
            UserUpdate::Role(role) => MemberChange::Role(StaffRole::parse(&role).ok_or(PortalError::NotFound)?),
            UserUpdate::Disabled(disabled) => MemberChange::Disabled(disabled),
        };
        team::change(&self.state.db, &session.scope, member, version, change, &session.actor).await.map_err(refused)
    }

    async fn notifications(&self, headers: &HeaderMap) -> Result<Vec<Notification>, PortalError> {
        let session = self.team_session(headers).await?;
        notifications::list(&self.state.db, &session.scope, session.user()).await.map_err(unavailable)
    }

    async fn mark_notifications_read(&self, headers: &HeaderMap, until: i64) -> Result<(), PortalError> {
        let session = self.team_session(headers).await?;
        notifications::mark_read(&self.state.db, session.user(), until).await.map_err(unavailable)
    }

    async fn resellers(&self, headers: &HeaderMap) -> Result<Vec<ResellerSummary>, PortalError> {
        self.platform_staff(headers).await?;
        resellers::list(&self.state.db).await.map_err(unavailable)
    }

    async fn create_reseller(&self, headers: &HeaderMap, reseller: &ResellerInput) -> Result<String, PortalError> {
        let session = self.platform_staff(headers).await?;
        if session.role != StaffRole::PlatformAdmin {
            return Err(PortalError::Forbidden("Only a platform admin can add resellers.".into()));
        }
        let reseller = reseller.validate().map_err(PortalError::Invalid)?;
        let origin = &self.state.public_origin;
        let id =
            resellers::create_with_admin(&self.state.db, &reseller, &session.actor, origin).await.map_err(refused)?;
        self.state.jobs.wake();
        Ok(id.0)
    }

    async fn invitation(&self, token: &str) -> Result<InvitationView, PortalError> {
        match invitations::lookup(&self.state.db, token).await.map_err(unavailable)? {
            invitations::Lookup::Valid(view) => Ok(view),
            other => Err(closed_invitation(other)),
        }
    }

    async fn accept_invitation(
        &self,
        headers: &HeaderMap,
        token: &str,
        password: &str,
        verify_password: &str,
    ) -> Result<String, PortalError> {
        let db = &self.state.db;
        // A dead link says so before any password rule does.
        match invitations::lookup(db, token).await.map_err(unavailable)? {
            invitations::Lookup::Valid(_) => {}
            other => return Err(closed_invitation(other)),
        }
        let password = new_password(password, verify_password).map_err(PortalError::Invalid)?;
        let accepted = match invitations::accept(db, &self.state.hasher, token, &password).await {
            Ok(accepted) => accepted,
            Err(Error::NotFound) => return Err(closed_invitation(invitations::Lookup::Unknown)),
            Err(other) => return Err(refused(other)),
        };
        if let Some(old) = self.cookies().token(headers) {
            sessions::delete(db, old).await.map_err(unavailable)?;
        }
        let token = sessions::create(db, accepted.kind, &accepted.user_id).await.map_err(unavailable)?;
        Ok(self.cookies().set(&token))
    }

    async fn request_password_reset(&self, _headers: &HeaderMap, email: &str) -> Result<(), PortalError> {
        let state = &self.state;
        resets::request(&state.db, &state.jobs, email, &state.public_origin).await.map_err(unavailable)
    }

    async fn password_reset_link(&self, token: &str) -> Result<(), PortalError> {
        let lookup = resets::lookup(&self.state.db, token).await.map_err(unavailable)?;
        match lookup.refusal() {
            None => Ok(()),
            Some(why) => Err(PortalError::Changed(why.into())),
        }
    }

    async fn reset_password(&self, token: &str, password: &str, verify_password: &str) -> Result<(), PortalError> {
        self.password_reset_link(token).await?;
        let password = new_password(password, verify_password).map_err(PortalError::Invalid)?;
        let state = &self.state;
        resets::change(&state.db, &state.hasher, &state.jobs, token, &password).await.map_err(refused)
    }
}
