//! The people who sign in to the portal: each reseller's team (admins and agents) and the
//! platform's own staff (platform admins and Cloud Support). Both kinds come in by invitation,
//! sign in with an e-mail address that only one of them may use, and can reset their password.

pub mod invitations;
pub mod resets;
pub mod team;
pub mod two_step;

use std::net::IpAddr;

use portico_shared::email::EmailAddress;
use portico_shared::ids::{PlatformUserId, PortalUserId, ResellerId, ResellerUserId};
use portico_shared::portal::PortalUser;
use portico_shared::staff::{InvitationInput, StaffRole};
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Change, Snapshot};
use crate::db::{new_id, now_ms, Db};
use crate::error::{Error, Result};
use crate::passwords::PasswordHashString;
use crate::principal::Actor;
use crate::principal::{Principal, Scope};
use crate::throttle::SignInAttempt;
use crate::{notifications, sessions, Portico};

impl Scope {
    /// The roles this team's members can have.
    pub fn roles(&self) -> &'static [StaffRole] {
        match self {
            Scope::Reseller(_) => &StaffRole::RESELLER,
            Scope::Platform => &StaffRole::PLATFORM,
        }
    }

    /// The role that manages the team.
    fn admin_role(&self) -> StaffRole {
        match self {
            Scope::Reseller(_) => StaffRole::Admin,
            Scope::Platform => StaffRole::PlatformAdmin,
        }
    }

    /// The table of this team's users.
    fn users_table(&self) -> &'static str {
        match self {
            Scope::Reseller(_) => "reseller_users",
            Scope::Platform => "platform_users",
        }
    }

    /// The condition selecting this team's rows of `users_table`, with `reseller_key` bound at $1.
    fn members_filter(&self) -> &'static str {
        match self {
            Scope::Reseller(_) => "reseller_id = $1",
            Scope::Platform => "$1 = ''",
        }
    }

    /// The reseller id as bound in queries that compare `COALESCE(reseller_id, '')` with it:
    /// the platform's rows have none.
    fn reseller_key(&self) -> &str {
        match self {
            Scope::Reseller(id) => id.as_str(),
            Scope::Platform => "",
        }
    }
}

/// The signed-in person as the portal's menu shows them, with their unread notifications.
pub async fn whoami(portico: &Portico, principal: &Principal) -> Result<PortalUser> {
    let member = principal.member()?;
    let unread_notifications = notifications::unread(&portico.db, &member).await?;
    Ok(match principal {
        Principal::Reseller(user) => PortalUser {
            name: user.name.clone(),
            email: user.email.clone(),
            team_name: user.reseller_name.clone(),
            role: user.role,
            unread_notifications,
        },
        Principal::Staff(user) => PortalUser {
            name: user.name.clone(),
            email: user.email.clone(),
            team_name: "Portico platform".into(),
            role: user.role,
            unread_notifications,
        },
        Principal::Nobody | Principal::Customer(_) => return Err(Error::Unauthorized),
    })
}

/// Whether `email` already signs in to the portal, or has an invitation that can still be
/// accepted (other than `except`, an invitation being accepted). Run inside the write
/// transaction that would take the address.
async fn email_in_use(tx: &mut Transaction<'_, Any>, email: &str, except: Option<&str>) -> Result<bool> {
    let used: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM reseller_users WHERE email = $1) \
              + (SELECT COUNT(*) FROM platform_users WHERE email = $1) \
              + (SELECT COUNT(*) FROM portal_invitations WHERE email = $1 AND accepted_at IS NULL \
                 AND revoked_at IS NULL AND expires_at >= $2 AND id <> $3)",
    )
    .bind(email)
    .bind(now_ms())
    .bind(except.unwrap_or(""))
    .fetch_one(&mut **tx)
    .await?;
    Ok(used > 0)
}

/// Invites the platform's first admin (the `create-platform-admin` command) and returns the
/// one-time link where they choose a password. Refused once a platform admin exists: from then
/// on, platform admins invite each other in the portal.
pub async fn invite_first_platform_admin(db: &Db, origin: &str, email: &str, name: &str) -> Result<String> {
    let invitation =
        InvitationInput { email: email.into(), name: name.into(), role: StaffRole::PlatformAdmin.as_str().into() }
            .validate(&[StaffRole::PlatformAdmin])
            .map_err(Error::Validation)?;
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform_users WHERE role = 'platform_admin'")
        .fetch_one(&db.pool)
        .await?;
    if admins > 0 {
        return Err(Error::Conflict(
            "A platform admin already exists. Platform admins invite others from the portal's Platform users page."
                .into(),
        ));
    }
    let actor = Actor { id: None, label: "Portico command line".into() };
    let mut tx = db.begin_write().await?;
    let issued = invitations::insert(&mut tx, &Scope::Platform, &invitation, &actor, origin).await?;
    tx.commit().await?;
    Ok(issued.link)
}

/// Records a team change in the team's log: the reseller's, or the platform's for its staff.
pub(crate) async fn record_change(
    tx: &mut Transaction<'_, Any>,
    scope: &Scope,
    actor: &Actor,
    action: &str,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
) -> Result<()> {
    match scope {
        Scope::Reseller(reseller) => {
            audit::record(tx, Change { reseller, customer: None, actor, action, before, after }).await
        }
        Scope::Platform => audit::record_platform(tx, actor, action, before, after).await,
    }
}

/// A portal user as their own changes are logged: their team, name and e-mail address.
pub(crate) struct UserRecord {
    pub scope: Scope,
    pub name: String,
    pub email: String,
    pub disabled: bool,
}

impl UserRecord {
    pub fn actor(&self, user: &PortalUserId) -> Actor {
        Actor::user(user.as_str(), &self.name, &self.email)
    }
}

/// Reads a portal user of either kind inside the caller's transaction; 404 when there is none.
pub(crate) async fn user_record(tx: &mut Transaction<'_, Any>, user: &PortalUserId) -> Result<UserRecord> {
    let row = match user {
        PortalUserId::Reseller(id) => {
            sqlx::query("SELECT reseller_id, name, email, disabled_at FROM reseller_users WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
        PortalUserId::Platform(id) => {
            sqlx::query("SELECT NULL AS reseller_id, name, email, disabled_at FROM platform_users WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
    };
    let row = row.ok_or(Error::NotFound)?;
    let scope = match row.try_get::<Option<ResellerId>, _>("reseller_id")? {
        Some(reseller) => Scope::Reseller(reseller),
        None => Scope::Platform,
    };
    Ok(UserRecord {
        scope,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}

/// How a row that names a portal user of either kind (`user_kind`, `user_id`) stores the kind.
pub(crate) fn user_kind(user: &PortalUserId) -> &'static str {
    match user {
        PortalUserId::Reseller(_) => "reseller",
        PortalUserId::Platform(_) => "platform",
    }
}

/// The portal user a row names by `user_kind` and `user_id`.
pub(crate) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<PortalUserId> {
    Ok(if row.try_get::<String, _>("user_kind")? == "platform" {
        PortalUserId::Platform(row.try_get("user_id")?)
    } else {
        PortalUserId::Reseller(row.try_get("user_id")?)
    })
}

/// A new id for a member of the team.
pub(crate) fn new_user_id(scope: &Scope) -> PortalUserId {
    match scope {
        Scope::Reseller(_) => PortalUserId::Reseller(ResellerUserId(new_id("rsu"))),
        Scope::Platform => PortalUserId::Platform(PlatformUserId(new_id("plu"))),
    }
}

/// Stores a new member of the team with their password hash, as `id` (of the scope's kind).
pub(crate) async fn insert_user<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    scope: &Scope,
    id: &PortalUserId,
    email: &str,
    name: &str,
    role: StaffRole,
    hash: &PasswordHashString,
) -> Result<()> {
    let (columns, values) = match scope {
        Scope::Reseller(_) => ("reseller_id, ", "$7, "),
        Scope::Platform => ("", ""),
    };
    let insert = format!(
        "INSERT INTO {} ({columns}id, email, name, role, password_hash, created_at) VALUES ({values}$1, $2, $3, $4, $5, $6)",
        scope.users_table()
    );
    let mut query =
        sqlx::query(&insert).bind(id.as_str()).bind(email).bind(name).bind(role.as_str()).bind(&hash.0).bind(now_ms());
    if let Scope::Reseller(reseller) = scope {
        query = query.bind(reseller.as_str());
    }
    query.execute(executor).await?;
    Ok(())
}

/// Where a right password leads.
#[derive(Debug)]
pub enum SignInOutcome {
    /// Signed in: the new session's token.
    Session(String),
    /// A second step is awaited (see [`two_step`]): the challenge's token.
    SecondStep(String),
}

/// Checks the credentials (attempts from `peer` are limited) and starts a new session for them,
/// or the second step of two-step sign-in, ending `old`, the session the browser already had. A
/// wrong e-mail and a wrong password get one answer, after the same work.
pub async fn sign_in(
    portico: &Portico,
    peer: IpAddr,
    email: &str,
    password: &str,
    old: Option<&str>,
) -> Result<SignInOutcome> {
    let db = &portico.db;
    let email = EmailAddress::parse(email).ok();
    let account_key = email.as_ref().map_or("", |e| e.as_str());
    let attempt = SignInAttempt::begin(db, "portal", peer, account_key).await?;
    let account = match &email {
        Some(email) => find_login(db, email.as_str()).await?,
        None => None,
    };
    // Unknown e-mails are checked against a dummy hash: same work, same answer.
    let stored_hash = account.as_ref().map(|login| login.password_hash.as_str());
    let matched = portico.hasher.verify(password, stored_hash).await?;
    let Some(login) = account.filter(|login| matched && !login.disabled) else {
        tracing::info!("portal sign-in refused");
        attempt.failed(db).await?;
        return Err(Error::LoginFailed);
    };
    attempt.succeeded(db).await?;
    if let Some(old) = old {
        sessions::portal::delete(db, old).await?;
    }
    start(portico, &login.user).await
}

/// After a right password (or a new one, on accepting an invitation): the session, or the second
/// step when the person has an authenticator app or must add one.
pub(crate) async fn start(portico: &Portico, user: &PortalUserId) -> Result<SignInOutcome> {
    Ok(match two_step::challenge_if_needed(portico, user).await? {
        Some(challenge) => SignInOutcome::SecondStep(challenge),
        None => SignInOutcome::Session(sessions::portal::create(&portico.db, user).await?),
    })
}

/// A portal account found by e-mail at sign-in.
pub struct Login {
    pub user: PortalUserId,
    pub password_hash: String,
    pub disabled: bool,
}

/// The account that signs in with `email`, of either kind.
pub async fn find_login(db: &Db, email: &str) -> Result<Option<Login>> {
    let row = sqlx::query(
        "SELECT 'reseller' AS kind, id, password_hash, disabled_at FROM reseller_users WHERE email = $1 \
         UNION ALL SELECT 'platform' AS kind, id, password_hash, disabled_at FROM platform_users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user = if row.try_get::<String, _>("kind")? == "platform" {
        PortalUserId::Platform(row.try_get("id")?)
    } else {
        PortalUserId::Reseller(row.try_get("id")?)
    };
    Ok(Some(Login {
        user,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    }))
}
