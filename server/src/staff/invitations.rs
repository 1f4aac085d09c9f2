//! Invitations to the portal, e-mailed as a one-time link that works for 7 days. Accepting one
//! creates the user with the password the person chooses; nobody else ever knows it.

use portico_shared::api::Problem;
use portico_shared::ids::ResellerId;
use portico_shared::password::Password;
use portico_shared::staff::{InvitationView, StaffRole, ValidInvitation};
use portico_shared::{Field, FieldError};
use sqlx::{Any, Row, Transaction};

use crate::audit::{Actor, Snapshot};
use crate::db::{new_id, now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::passwords::Hasher;
use crate::staff::{email_in_use, insert_user, record_change, team, Kind, Scope};
use crate::tokens::{new_token, token_hash};

/// How long an invitation link works.
pub const LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The page where an invitation is accepted; the token follows as `?token=`.
pub const ACCEPT_PATH: &str = "/invitation";

/// An invitation just made.
pub struct Issued {
    pub id: String,
    /// The one-time link, as e-mailed.
    pub link: String,
}

/// Invites a person to the team and e-mails them the link, all in one transaction. The address
/// must not sign in to Portico already nor have a live invitation.
pub async fn invite(
    db: &Db,
    scope: &Scope,
    invitation: &ValidInvitation,
    inviter: &Actor,
    origin: &str,
) -> Result<Issued> {
    if !scope.roles().contains(&invitation.role) {
        return Err(Error::Validation(vec![FieldError::new(Field::Role, Problem::InvalidFormat)]));
    }
    let mut tx = db.begin_write().await?;
    let issued = insert(&mut tx, scope, invitation, inviter, origin).await?;
    tx.commit().await?;
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
    let id = new_id("inv");
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

async fn pending(tx: &mut Transaction<'_, Any>, scope: &Scope, id: &str) -> Result<Pending> {
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
pub async fn resend(db: &Db, scope: &Scope, id: &str, actor: &Actor, origin: &str) -> Result<()> {
    let mut tx = db.begin_write().await?;
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
    Ok(())
}

/// Withdraws an invitation: its link stops working.
pub async fn revoke(db: &Db, scope: &Scope, id: &str, actor: &Actor) -> Result<()> {
    let mut tx = db.begin_write().await?;
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

/// Who accepted an invitation: the new user, ready for a session.
pub struct Accepted {
    pub kind: Kind,
    pub user_id: String,
}

/// Accepts the invitation with this token: creates the user with `password`. Refused with the
/// reason when the link is unknown, expired, used or withdrawn, or the address was taken since.
pub async fn accept(db: &Db, hasher: &Hasher, token: &str, password: &Password) -> Result<Accepted> {
    let hash = hasher.hash(password.expose()).await?;
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
    let id: String = row.try_get("id")?;
    let email: String = row.try_get("email")?;
    let name: String = row.try_get("name")?;
    let role = team::role(&row)?;
    if email_in_use(&mut tx, &email, Some(&id)).await? {
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
    let scope = match row.try_get::<Option<String>, _>("reseller_id")? {
        Some(reseller) => Scope::Reseller(ResellerId(reseller)),
        None => Scope::Platform,
    };
    let user_id = insert_user(&mut **tx, &scope, &email, &name, role, &hash).await?;
    let actor = Actor::user(&user_id, &name, &email);
    let after = Snapshot::from([("Name", name.clone()), ("Role", role.label().to_owned())]);
    record_change(&mut tx, &scope, &actor, &format!("Team: {email} joined"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(Accepted { kind: scope.kind(), user_id })
}
