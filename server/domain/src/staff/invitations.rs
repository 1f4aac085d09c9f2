//! Invitations to the portal, e-mailed as a one-time link that works for 7 days. Accepting one
//! creates the user with the password the person chooses; nobody else ever knows it.

use portico_shared::api::Problem;
use portico_shared::ids::{InvitationId, PortalUserId, ResellerId};
use portico_shared::password::new_password;
use portico_shared::staff::{InvitationInput, InvitationView, StaffRole, ValidInvitation};
use portico_shared::{Field, FieldError};
use sqlx::{Any, Row, Transaction};

use crate::audit::Snapshot;
use crate::db::{new_id, now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::principal::Actor;
use crate::principal::{Scope, TeamAdmin};
use crate::sessions;
use crate::staff::{email_in_use, insert_user, new_user_id, record_change, team};
use crate::tokens::{new_token, token_hash};
use crate::Portico;

/// How long an invitation link works.
pub const LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The page where an invitation is accepted; the token follows as `?token=`.
pub const ACCEPT_PATH: &str = "/invitation";

/// An invitation just made.
pub struct Issued {
    pub id: InvitationId,
    /// The one-time link, as e-mailed.
    pub link: String,
}

/// Invites a person to the admin's team and e-mails them the link, all in one transaction. The
/// address must not sign in to Portico already nor have a live invitation.
pub async fn invite(portico: &Portico, admin: &TeamAdmin, input: &InvitationInput) -> Result<Issued> {
    let scope = &admin.scope;
    let invitation = input.validate(scope.roles()).map_err(Error::Validation)?;
    let mut tx = portico.db.begin_write().await?;
    let issued = insert(&mut tx, scope, &invitation, &admin.actor, &portico.settings.public_origin).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(issued)
}

/// As [`invite`], inside the caller's transaction (a new reseller and its first admin's invitation
/// are made together).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    scope: &Scope,
    invitation: &ValidInvitation,
    inviter: &Actor,
    origin: &str,
) -> Result<Issued> {
    let email = invitation.email.as_str();
    if email_in_use(tx, email, None).await? {
        return Err(Error::Validation(vec![FieldError::new(Field::Email, Problem::Taken)]));
    }
    let id = InvitationId(new_id("inv"));
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO portal_invitations (id, token_hash, reseller_id, email, name, role, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(token_hash(&token))
    .bind(match scope {
        Scope::Reseller(reseller) => Some(reseller.as_str()),
        Scope::Platform => None,
    })
    .bind(email)
    .bind(&invitation.name)
    .bind(invitation.role.as_str())
    .bind(&inviter.label)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    let link = mail(tx, scope, &invitation.name, email, invitation.role, inviter, origin, &token).await?;
    let after = Snapshot::from([("Name", invitation.name.clone()), ("Role", invitation.role.label().to_owned())]);
    record_change(tx, scope, inviter, &format!("Team: {email} invited"), None, Some(after)).await?;
    Ok(Issued { id, link })
}

#[allow(clippy::too_many_arguments)]
async fn mail(
    tx: &mut Transaction<'_, Any>,
    scope: &Scope,
    name: &str,
    email: &str,
    role: StaffRole,
    inviter: &Actor,
    origin: &str,
    token: &str,
) -> Result<String> {
    let team = match scope {
        Scope::Reseller(reseller) => Some(reseller_name(tx, reseller).await?),
        Scope::Platform => None,
    };
    let link = format!("{origin}{ACCEPT_PATH}?token={token}");
    let mail = emails::portal_invitation(email, name, team.as_deref(), &inviter.label, role.label(), &link);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await?;
    Ok(link)
}

async fn reseller_name(tx: &mut Transaction<'_, Any>, reseller: &ResellerId) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT name FROM resellers WHERE id = $1")
        .bind(reseller.as_str())
        .fetch_one(&mut **tx)
        .await?)
}

/// A pending invitation of the team, locked for a change.
struct Pending {
    name: String,
    email: String,
    role: StaffRole,
}

async fn pending(tx: &mut Transaction<'_, Any>, scope: &Scope, id: &InvitationId) -> Result<Pending> {
    let row = sqlx::query(
        "SELECT name, email, role FROM portal_invitations \
         WHERE id = $1 AND COALESCE(reseller_id, '') = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(scope.reseller_key())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Pending { name: row.try_get("name")?, email: row.try_get("email")?, role: team::role(&row)? })
}

/// Sends a new link (the old one stops working) valid for another 7 days.
pub async fn resend(portico: &Portico, admin: &TeamAdmin, id: &InvitationId) -> Result<()> {
    let (scope, actor, origin) = (&admin.scope, &admin.actor, &portico.settings.public_origin);
    let mut tx = portico.db.begin_write().await?;
    let invitation = pending(&mut tx, scope, id).await?;
    let token = new_token();
    let now = now_ms();
    sqlx::query("UPDATE portal_invitations SET token_hash = $1, expires_at = $2 WHERE id = $3")
        .bind(token_hash(&token))
        .bind(now + LIFETIME_MS)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    mail(&mut tx, scope, &invitation.name, &invitation.email, invitation.role, actor, origin, &token).await?;
    record_change(&mut tx, scope, actor, &format!("Team: invitation to {} sent again", invitation.email), None, None)
        .await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// Withdraws an invitation: its link stops working.
pub async fn revoke(portico: &Portico, admin: &TeamAdmin, id: &InvitationId) -> Result<()> {
    let (scope, actor) = (&admin.scope, &admin.actor);
    let mut tx = portico.db.begin_write().await?;
    let invitation = pending(&mut tx, scope, id).await?;
    sqlx::query("UPDATE portal_invitations SET revoked_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = Snapshot::from([("Name", invitation.name.clone()), ("Role", invitation.role.label().to_owned())]);
    record_change(
        &mut tx,
        scope,
        actor,
        &format!("Team: invitation to {} withdrawn", invitation.email),
        Some(before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a token in an invitation link turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Valid(InvitationView),
    Expired,
    /// Accepted already, or withdrawn.
    Closed,
    Unknown,
}

/// Looks an invitation link up without using it.
pub async fn lookup(db: &Db, token: &str) -> Result<Lookup> {
    let row = sqlx::query(
        "SELECT i.name, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at, r.name AS reseller_name \
         FROM portal_invitations i LEFT JOIN resellers r ON r.id = i.reseller_id WHERE i.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(Lookup::Unknown) };
    let closed = row.try_get::<Option<i64>, _>("accepted_at")?.is_some()
        || row.try_get::<Option<i64>, _>("revoked_at")?.is_some();
    Ok(if closed {
        Lookup::Closed
    } else if row.try_get::<i64, _>("expires_at")? < now_ms() {
        Lookup::Expired
    } else {
        Lookup::Valid(InvitationView {
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            role: team::role(&row)?,
            reseller_name: row.try_get("reseller_name")?,
        })
    })
}

/// Why an invitation link does not work, in words for the person holding it.
fn closed(lookup: &Lookup) -> Error {
    Error::Conflict(
        match lookup {
            Lookup::Expired => {
                "This invitation has expired: invitations work for 7 days. Ask whoever invited you to send it again."
            }
            Lookup::Closed => "This invitation was already accepted or withdrawn. If you accepted it, sign in instead.",
            Lookup::Unknown | Lookup::Valid(_) => {
                "This invitation link is not valid. Check that you opened the whole address from the e-mail."
            }
        }
        .into(),
    )
}

/// What an invitation link offers, or why it no longer works.
pub async fn view(portico: &Portico, token: &str) -> Result<InvitationView> {
    match lookup(&portico.db, token).await? {
        Lookup::Valid(view) => Ok(view),
        other => Err(closed(&other)),
    }
}

/// Accepts the invitation with this token: creates the user with the password they chose and
/// starts their session, ending `old` (the session the browser had), or the second step where
/// they must add an authenticator app first. A dead link says so before any password rule does;
/// the address taken since, or a second tab accepting at the same moment, is refused with the
/// reason.
pub async fn accept(
    portico: &Portico,
    token: &str,
    password: &str,
    verify_password: &str,
    old: Option<&str>,
) -> Result<super::SignInOutcome> {
    let db = &portico.db;
    match lookup(db, token).await? {
        Lookup::Valid(_) => {}
        other => return Err(closed(&other)),
    }
    let password = new_password(password, verify_password).map_err(Error::Validation)?;
    let hash = portico.hasher.hash(password.expose()).await?;
    let user = match claim(db, token, &hash).await {
        Err(Error::NotFound) => return Err(closed(&Lookup::Unknown)),
        other => other?,
    };
    if let Some(old) = old {
        sessions::portal::delete(db, old).await?;
    }
    super::start(portico, &user).await
}

/// Claims the invitation and creates its user with the password's `hash`, in one transaction.
async fn claim(db: &Db, token: &str, hash: &crate::passwords::PasswordHashString) -> Result<PortalUserId> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT id, reseller_id, email, name, role, expires_at, accepted_at, revoked_at FROM portal_invitations \
         WHERE token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    if row.try_get::<Option<i64>, _>("accepted_at")?.is_some() || row.try_get::<Option<i64>, _>("revoked_at")?.is_some()
    {
        return Err(Error::Conflict("This invitation was already accepted or withdrawn.".into()));
    }
    let now = now_ms();
    if row.try_get::<i64, _>("expires_at")? < now {
        return Err(Error::Conflict("This invitation has expired. Ask for a new one.".into()));
    }
    let id: InvitationId = row.try_get("id")?;
    let email: String = row.try_get("email")?;
    let name: String = row.try_get("name")?;
    let role = team::role(&row)?;
    if email_in_use(&mut tx, &email, Some(id.as_str())).await? {
        return Err(Error::Conflict("This address already signs in to Portico. Sign in instead.".into()));
    }
    // Claimed first: of two tabs accepting at once, the second waits here and finds it taken.
    let claimed = sqlx::query(
        "UPDATE portal_invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(&id)
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(Error::Conflict("This invitation was already accepted or withdrawn.".into()));
    }
    let scope = match row.try_get::<Option<ResellerId>, _>("reseller_id")? {
        Some(reseller) => Scope::Reseller(reseller),
        None => Scope::Platform,
    };
    let user_id = new_user_id(&scope);
    insert_user(&mut **tx, &scope, &user_id, &email, &name, role, hash).await?;
    let actor = Actor::user(user_id.as_str(), &name, &email);
    let after = Snapshot::from([("Name", name.clone()), ("Role", role.label().to_owned())]);
    record_change(&mut tx, &scope, &actor, &format!("Team: {email} joined"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(user_id)
}
