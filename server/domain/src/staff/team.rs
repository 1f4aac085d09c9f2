//! A team's members and invitations, and the changes an admin makes to a member.

use portico_shared::ids::PortalUserId;
use portico_shared::staff::{PendingInvitation, StaffRole, Team, TeamMember};
use sqlx::Row;

use crate::audit;
use crate::db::now_ms;
use crate::error::{changed_meanwhile, Error, Result};
use crate::principal::{Member, Scope, TeamAdmin};
use crate::sessions;
use crate::staff::record_change;
use crate::Portico;

/// The member's team: its members, admins first, and its invitations not yet accepted or revoked.
pub async fn list(portico: &Portico, member: &Member) -> Result<Team> {
    let (db, scope) = (&portico.db, &member.scope);
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.name, u.email, u.role, u.disabled_at, u.version, k.enabled_at AS two_step_at \
         FROM {} u LEFT JOIN two_step_keys k ON k.user_id = u.id WHERE {} ORDER BY u.role, u.name, u.id",
        scope.users_table(),
        scope.members_filter()
    ))
    .bind(scope.reseller_key())
    .fetch_all(&db.pool)
    .await?;
    let members = rows
        .iter()
        .map(|row| {
            Ok(TeamMember {
                id: member_id(scope, row)?,
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                role: role(row)?,
                disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
                two_step: row.try_get::<Option<i64>, _>("two_step_at")?.is_some(),
                version: row.try_get("version")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let now = now_ms();
    let rows = sqlx::query(
        "SELECT id, name, email, role, invited_by, expires_at FROM portal_invitations \
         WHERE COALESCE(reseller_id, '') = $1 AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at, id",
    )
    .bind(scope.reseller_key())
    .fetch_all(&db.pool)
    .await?;
    let invitations = rows
        .iter()
        .map(|row| {
            let expires_at: i64 = row.try_get("expires_at")?;
            Ok(PendingInvitation {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                role: role(row)?,
                invited_by: row.try_get("invited_by")?,
                expires_at,
                expired: expires_at < now,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let requires_two_step = super::two_step::team_requires(portico, scope).await?;
    Ok(Team { members, invitations, requires_two_step })
}

pub(super) fn role(row: &sqlx::any::AnyRow) -> Result<StaffRole> {
    let role: String = row.try_get("role")?;
    Ok(StaffRole::parse(&role).ok_or_else(|| anyhow::anyhow!("portal user with an unknown role {role:?}"))?)
}

/// The id of a row of the scope's users table.
fn member_id(scope: &Scope, row: &sqlx::any::AnyRow) -> Result<PortalUserId> {
    Ok(match scope {
        Scope::Reseller(_) => PortalUserId::Reseller(row.try_get("id")?),
        Scope::Platform => PortalUserId::Platform(row.try_get("id")?),
    })
}

/// A change an admin makes to a member of their team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberChange {
    Role(StaffRole),
    /// A disabled member keeps their history but cannot sign in; their sessions end at once.
    Disabled(bool),
}

/// Applies `change` to `member` of the team if it is still at `version`. Only admins change
/// members and nobody changes themselves, so the admin acting always remains: a team can never
/// be left without an enabled admin, and nobody locks themselves out by a slip.
pub async fn change(
    portico: &Portico,
    admin: &TeamAdmin,
    member: &PortalUserId,
    version: i64,
    change: MemberChange,
) -> Result<()> {
    let (scope, actor) = (&admin.scope, &admin.actor);
    if let MemberChange::Role(role) = change {
        if !scope.roles().contains(&role) {
            return Err(Error::NotFound);
        }
    }
    if admin.user_id == *member {
        return Err(Error::Conflict("You cannot change your own role or disable yourself. Ask another admin.".into()));
    }
    let table = scope.users_table();
    let mut tx = portico.db.begin_write().await?;
    // Both people's rows stay locked until the change is committed, taken in one order so that
    // two admins demoting each other at once are served one after the other rather than
    // deadlocked; the second then finds it is no longer an admin, and a team is never left
    // without one.
    sqlx::query(&format!("SELECT id FROM {table} WHERE id IN ($1, $2) ORDER BY id{}", portico.db.for_update()))
        .bind(admin.user_id.as_str())
        .bind(member.as_str())
        .fetch_all(&mut **tx)
        .await?;
    // The session said admin; this says still admin, now that the change is about to be made
    // (another admin may have changed them a moment ago).
    let acting: Option<String> = sqlx::query_scalar(&format!(
        "SELECT role FROM {table} WHERE {} AND id = $2 AND disabled_at IS NULL",
        scope.members_filter()
    ))
    .bind(scope.reseller_key())
    .bind(admin.user_id.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if acting.as_deref() != Some(scope.admin_role().as_str()) {
        return Err(Error::Forbidden("Only an admin of the team can change it.".into()));
    }
    let row = sqlx::query(&format!(
        "SELECT name, email, role, disabled_at, version FROM {table} WHERE {} AND id = $2",
        scope.members_filter()
    ))
    .bind(scope.reseller_key())
    .bind(member.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    if row.try_get::<i64, _>("version")? != version {
        return Err(changed_meanwhile("person"));
    }
    let (name, email): (String, String) = (row.try_get("name")?, row.try_get("email")?);
    let role = role(&row)?;
    let disabled = row.try_get::<Option<i64>, _>("disabled_at")?.is_some();
    let (new_role, new_disabled) = match change {
        MemberChange::Role(new_role) => (new_role, disabled),
        MemberChange::Disabled(now_disabled) => (role, now_disabled),
    };
    if (new_role, new_disabled) == (role, disabled) {
        return Ok(());
    }
    let updated = sqlx::query(&format!(
        "UPDATE {table} SET role = $1, disabled_at = $2, version = version + 1 WHERE id = $3 AND version = $4"
    ))
    .bind(new_role.as_str())
    .bind(new_disabled.then(now_ms))
    .bind(member.as_str())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("person"));
    }
    if new_disabled {
        sessions::portal::end_all(&mut tx, member).await?;
    }
    let action = match change {
        MemberChange::Role(_) => format!("Team: role of {name} <{email}> changed"),
        MemberChange::Disabled(true) => format!("Team: {name} <{email}> disabled"),
        MemberChange::Disabled(false) => format!("Team: {name} <{email}> enabled"),
    };
    let before = audit::role_and_status(role.label(), disabled);
    let after = audit::role_and_status(new_role.label(), new_disabled);
    record_change(&mut tx, scope, actor, &action, Some(before), Some(after)).await?;
    tx.commit().await?;
    Ok(())
}
