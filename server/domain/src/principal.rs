//! Who is asking. The server resolves the request's session once, into a [`Principal`], and every
//! portal server function and API handler reads it from the request. Domain functions that only
//! someone in a given role may call take that role's type ([`ResellerAdmin`], [`CloudSupport`],
//! …), which only the guards here hand out: authorization is in the signatures, and the tenant a
//! function acts on comes from the session, never from the request.

use portico_shared::ids::{CustomerUserId, PlatformUserId, PortalUserId, ResellerId, ResellerUserId};
use portico_shared::staff::StaffRole;

use crate::error::{Error, Result};

/// Who made a change.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user's id; `None` for the platform itself or an anonymous visitor.
    pub id: Option<String>,
    /// How the log names them: "Name <email>", or a description.
    pub label: String,
}

impl Actor {
    pub fn user(id: &str, name: &str, email: &str) -> Actor {
        Actor { id: Some(id.to_owned()), label: format!("{name} <{email}>") }
    }

    /// A person signing up through the widget on the reseller's website.
    pub fn widget_visitor(email: &str) -> Actor {
        Actor { id: None, label: format!("{email}, through the widget") }
    }
}

/// The address a request came from, as the server resolved it (through trusted proxies): what
/// per-address limits count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// Whoever sent the request.
#[derive(Clone, Debug, Default)]
pub enum Principal {
    /// No live session.
    #[default]
    Nobody,
    /// A reseller's admin or agent, signed in to the portal.
    Reseller(ResellerUser),
    /// One of the platform's staff (platform admin, Cloud Support), signed in to the portal.
    Staff(StaffUser),
    /// An end customer's user, signed in to a reseller's widget.
    Customer(CustomerSession),
}

/// A reseller's user with a live portal session.
#[derive(Clone, Debug)]
pub struct ResellerUser {
    pub user_id: ResellerUserId,
    pub reseller_id: ResellerId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub reseller_name: String,
}

/// One of the platform's staff with a live portal session.
#[derive(Clone, Debug)]
pub struct StaffUser {
    pub user_id: PlatformUserId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
}

/// A customer user signed in to the widget of `reseller_id`.
#[derive(Clone, Debug)]
pub struct CustomerSession {
    pub user_id: CustomerUserId,
    pub reseller_id: ResellerId,
    /// The session's token, to end it on Logout.
    pub token: String,
}

/// A reseller user whose role is admin: what managing the team and the reseller's settings takes.
#[derive(Clone, Debug)]
pub struct ResellerAdmin(ResellerUser);

/// A member of the platform's staff who works the Cloud Support console (Cloud Support, or a
/// platform admin).
#[derive(Clone, Debug)]
pub struct CloudSupport(StaffUser);

/// A platform admin: adds resellers.
#[derive(Clone, Debug)]
pub struct PlatformAdmin(StaffUser);

impl std::ops::Deref for ResellerAdmin {
    type Target = ResellerUser;

    fn deref(&self) -> &ResellerUser {
        &self.0
    }
}

impl std::ops::Deref for CloudSupport {
    type Target = StaffUser;

    fn deref(&self) -> &StaffUser {
        &self.0
    }
}

impl std::ops::Deref for PlatformAdmin {
    type Target = StaffUser;

    fn deref(&self) -> &StaffUser {
        &self.0
    }
}

impl ResellerUser {
    /// How the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user_id.as_str(), &self.name, &self.email)
    }
}

impl StaffUser {
    pub fn actor(&self) -> Actor {
        Actor::user(self.user_id.as_str(), &self.name, &self.email)
    }
}

/// Whose team: a reseller's, or the platform's staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Reseller(ResellerId),
    Platform,
}

/// Someone signed in to the portal, seen as a member of their team.
#[derive(Clone, Debug)]
pub struct Member {
    pub user_id: PortalUserId,
    pub scope: Scope,
    pub role: StaffRole,
    pub actor: Actor,
}

impl Member {
    /// Whether they manage the team (invite, change roles, disable).
    pub fn manages_team(&self) -> bool {
        matches!(self.role, StaffRole::Admin | StaffRole::PlatformAdmin)
    }
}

/// A member who manages their team.
#[derive(Clone, Debug)]
pub struct TeamAdmin(Member);

impl std::ops::Deref for TeamAdmin {
    type Target = Member;

    fn deref(&self) -> &Member {
        &self.0
    }
}

/// A reseller's admin or a platform admin: who imports cloud usage (for their reseller, or for
/// the whole platform).
#[derive(Clone, Debug)]
pub struct BillingAdmin(Member);

impl std::ops::Deref for BillingAdmin {
    type Target = Member;

    fn deref(&self) -> &Member {
        &self.0
    }
}

impl Principal {
    /// The signed-in reseller user; the platform's staff have no customers of their own.
    pub fn reseller_user(&self) -> Result<&ResellerUser> {
        match self {
            Principal::Reseller(user) => Ok(user),
            Principal::Staff(_) => {
                Err(Error::Forbidden("This page belongs to resellers. Platform staff see Resellers.".into()))
            }
            Principal::Nobody | Principal::Customer(_) => Err(Error::Unauthorized),
        }
    }

    /// The signed-in reseller admin; agents are told who may act.
    pub fn reseller_admin(&self) -> Result<ResellerAdmin> {
        let user = self.reseller_user()?;
        if user.role != StaffRole::Admin {
            return Err(Error::Forbidden("Only an admin of your team can see and change this.".into()));
        }
        Ok(ResellerAdmin(user.clone()))
    }

    /// The signed-in member of the platform's staff.
    pub fn staff(&self) -> Result<&StaffUser> {
        match self {
            Principal::Staff(user) => Ok(user),
            Principal::Reseller(_) => Err(Error::Forbidden("Only the platform's staff see this.".into())),
            Principal::Nobody | Principal::Customer(_) => Err(Error::Unauthorized),
        }
    }

    /// The signed-in member of the platform's staff who works the Cloud Support console.
    pub fn cloud_support(&self) -> Result<CloudSupport> {
        match self {
            Principal::Staff(user) if matches!(user.role, StaffRole::CloudSupport | StaffRole::PlatformAdmin) => {
                Ok(CloudSupport(user.clone()))
            }
            Principal::Nobody | Principal::Customer(_) => Err(Error::Unauthorized),
            _ => Err(Error::Forbidden("Only Cloud Support works the Cloud Support console.".into())),
        }
    }

    /// The signed-in platform admin.
    pub fn platform_admin(&self) -> Result<PlatformAdmin> {
        let user = self.staff()?;
        if user.role != StaffRole::PlatformAdmin {
            return Err(Error::Forbidden("Only a platform admin can do this.".into()));
        }
        Ok(PlatformAdmin(user.clone()))
    }

    /// Anyone signed in to the portal, as a member of their team.
    pub fn member(&self) -> Result<Member> {
        match self {
            Principal::Reseller(user) => Ok(Member {
                user_id: PortalUserId::Reseller(user.user_id.clone()),
                scope: Scope::Reseller(user.reseller_id.clone()),
                role: user.role,
                actor: user.actor(),
            }),
            Principal::Staff(user) => Ok(Member {
                user_id: PortalUserId::Platform(user.user_id.clone()),
                scope: Scope::Platform,
                role: user.role,
                actor: user.actor(),
            }),
            Principal::Nobody | Principal::Customer(_) => Err(Error::Unauthorized),
        }
    }

    /// The signed-in admin of a team (a reseller's admin, or a platform admin).
    pub fn team_admin(&self) -> Result<TeamAdmin> {
        let member = self.member()?;
        if !member.manages_team() {
            let admin = if member.role.is_platform() { "a platform admin" } else { "an admin of your team" };
            return Err(Error::Forbidden(format!("Only {admin} can change the team.").into()));
        }
        Ok(TeamAdmin(member))
    }

    /// The signed-in admin of a reseller, or platform admin, for billing.
    pub fn billing_admin(&self) -> Result<BillingAdmin> {
        let member = self.member()?;
        if !matches!(member.role, StaffRole::Admin | StaffRole::PlatformAdmin) {
            let admin = if member.role.is_platform() { "a platform admin" } else { "an admin of your team" };
            return Err(Error::Forbidden(format!("Only {admin} can import usage.").into()));
        }
        Ok(BillingAdmin(member))
    }

    /// The customer user signed in to the widget of `reseller`: a session of another reseller's
    /// widget does not count here.
    pub fn customer_of(&self, reseller: &ResellerId) -> Result<&CustomerSession> {
        match self {
            Principal::Customer(session) if session.reseller_id == *reseller => Ok(session),
            _ => Err(Error::Unauthorized),
        }
    }
}
