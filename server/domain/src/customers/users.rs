//! The people of a customer: the contact who signed up, and later those they invite.

use portico_shared::ids::{CustomerId, CustomerUserId, ResellerId};
use sqlx::{Any, Row, Transaction};

use portico_shared::api::Problem;
use portico_shared::customer::{CustomerInvitationInput, CustomerRecord, CustomerUserSummary, UserRole};
use portico_shared::language::Language;
use portico_shared::{Field, FieldError};

use crate::audit::{self, Change, Snapshot};
use crate::customers::{self, settings};
use crate::db::{new_id, now_ms, Db};
use crate::email_tokens::{self, Purpose};
use crate::emails;
use crate::error::{changed_meanwhile, is_unique_violation, Error, Result};
use crate::jobs::{self, Job};
use crate::passwords::PasswordHashString;
use crate::principal::Actor;
use crate::principal::ResellerUser;
use crate::Portico;

/// A customer user with what e-mails and links need to know about them.
#[derive(Clone, Debug)]
pub struct CustomerUser {
    pub id: CustomerUserId,
    pub customer_id: CustomerId,
    pub reseller_id: ResellerId,
    pub email: String,
    pub name: String,
    pub verified: bool,
    /// Invited, and not yet chosen a password.
    pub invited: bool,
    pub reseller_name: String,
    /// The language they signed up in: their e-mails and the pages behind the links speak it.
    pub language: Language,
}

const SELECT: &str = "SELECT u.id, u.customer_id, u.reseller_id, u.email, u.name, u.email_verified_at, \
     u.password_hash IS NULL AS invited, r.name AS reseller_name, u.language \
                      FROM customer_users u JOIN resellers r ON r.id = u.reseller_id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<CustomerUser> {
    Ok(CustomerUser {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        reseller_id: row.try_get("reseller_id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        verified: row.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
        invited: flag(row, "invited")?,
        reseller_name: row.try_get("reseller_name")?,
        language: Language::from_tag(&row.try_get::<String, _>("language")?),
    })
}

pub async fn find(db: &Db, id: &CustomerUserId) -> Result<Option<CustomerUser>> {
    let row = sqlx::query(&format!("{SELECT} WHERE u.id = $1")).bind(id.as_str()).fetch_optional(&db.pool).await?;
    row.as_ref().map(from_row).transpose()
}

/// What an e-mailed link turned out to be, with the user it is for.
#[derive(Debug)]
pub enum Link {
    Valid(CustomerUser),
    Expired(CustomerUser),
    Used(CustomerUser),
    /// No such link, or its user is gone.
    Unknown,
}

impl Link {
    /// The user the link is for, when it is known.
    pub fn user(&self) -> Option<&CustomerUser> {
        match self {
            Link::Valid(user) | Link::Expired(user) | Link::Used(user) => Some(user),
            Link::Unknown => None,
        }
    }
}

/// Looks up the link with this token, for `purpose`, without using it.
pub async fn by_link(db: &Db, purpose: Purpose, token: &str) -> Result<Link> {
    let (lookup, id) = match email_tokens::lookup(db, purpose, token).await? {
        email_tokens::Lookup::Valid(id) => (Link::Valid as fn(CustomerUser) -> Link, id),
        email_tokens::Lookup::Expired(id) => (Link::Expired as fn(CustomerUser) -> Link, id),
        email_tokens::Lookup::Used(id) => (Link::Used as fn(CustomerUser) -> Link, id),
        email_tokens::Lookup::Unknown => return Ok(Link::Unknown),
    };
    Ok(find(db, &id).await?.map_or(Link::Unknown, lookup))
}

/// The user with this e-mail among the reseller's customers.
pub async fn find_by_email(db: &Db, reseller: &ResellerId, email: &str) -> Result<Option<CustomerUser>> {
    let row = sqlx::query(&format!("{SELECT} WHERE u.reseller_id = $1 AND u.email = $2"))
        .bind(reseller.as_str())
        .bind(email)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Records that the user proved they read mail at their address.
pub async fn mark_verified(tx: &mut Transaction<'_, Any>, id: &CustomerUserId) -> Result<()> {
    sqlx::query("UPDATE customer_users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now_ms())
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the user's password hash.
pub async fn set_password(tx: &mut Transaction<'_, Any>, id: &CustomerUserId, hash: &PasswordHashString) -> Result<()> {
    sqlx::query("UPDATE customer_users SET password_hash = $1 WHERE id = $2")
        .bind(&hash.0)
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The customer's users, admins first, for the Users tab.
pub async fn list(db: &Db, customer: &CustomerId) -> Result<Vec<CustomerUserSummary>> {
    let rows = sqlx::query(
        "SELECT id, name, email, role, email_verified_at, disabled_at, version, password_hash IS NULL AS invited FROM customer_users \
         WHERE customer_id = $1 ORDER BY role, name, id",
    )
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok(CustomerUserSummary {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                role: UserRole::parse(&role).ok_or_else(|| anyhow::anyhow!("user has unknown role {role:?}"))?,
                email_verified: row.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
                disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
                invited: flag(row, "invited")?,
                version: row.try_get("version")?,
            })
        })
        .collect()
}

/// A change to one user of a customer, from the Users tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserChange {
    Role(UserRole),
    /// Disabled users keep their data but cannot sign in; their sessions end at once.
    Disabled(bool),
}

/// Applies `change` to `user` of `customer` (of the signed-in user's reseller) if it is still
/// at `version`. A customer always keeps one enabled admin: a change that would leave none is
/// refused.
pub async fn change(
    portico: &Portico,
    by: &ResellerUser,
    customer: &CustomerId,
    user: &CustomerUserId,
    version: i64,
    change: UserChange,
) -> Result<()> {
    let (reseller, actor) = (&by.reseller_id, &by.actor());
    let mut tx = portico.db.begin_write().await?;
    // One change to a customer's users at a time: two admins demoted at once would each still
    // count the other, and leave the customer with none.
    sqlx::query(&format!("SELECT id FROM customers WHERE id = $1{}", portico.db.for_update()))
        .bind(customer.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    let row = sqlx::query(
        "SELECT name, email, role, disabled_at, version FROM customer_users \
         WHERE id = $1 AND customer_id = $2 AND reseller_id = $3",
    )
    .bind(user)
    .bind(customer.as_str())
    .bind(reseller.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    if row.try_get::<i64, _>("version")? != version {
        return Err(changed_meanwhile("user"));
    }
    let (name, email): (String, String) = (row.try_get("name")?, row.try_get("email")?);
    let role = UserRole::parse(&row.try_get::<String, _>("role")?).unwrap_or(UserRole::User);
    let disabled = row.try_get::<Option<i64>, _>("disabled_at")?.is_some();
    let (new_role, new_disabled) = match change {
        UserChange::Role(role) => (role, disabled),
        UserChange::Disabled(now_disabled) => (role, now_disabled),
    };
    if (new_role, new_disabled) == (role, disabled) {
        return Ok(());
    }
    let was_enabled_admin = role == UserRole::Admin && !disabled;
    let stays_enabled_admin = new_role == UserRole::Admin && !new_disabled;
    if was_enabled_admin && !stays_enabled_admin {
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customer_users WHERE customer_id = $1 AND id <> $2 AND role = 'admin' \
             AND disabled_at IS NULL",
        )
        .bind(customer.as_str())
        .bind(user)
        .fetch_one(&mut **tx)
        .await?;
        if others == 0 {
            return Err(Error::Conflict(
                format!("{name} is the customer's only admin. Make another user an admin first.").into(),
            ));
        }
    }
    let updated = sqlx::query(
        "UPDATE customer_users SET role = $1, disabled_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(new_role.as_str())
    .bind(new_disabled.then(now_ms))
    .bind(user)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(changed_meanwhile("user"));
    }
    if new_disabled {
        sqlx::query("DELETE FROM widget_sessions WHERE customer_user_id = $1").bind(user).execute(&mut **tx).await?;
    }
    let action = match change {
        UserChange::Role(_) => format!("Role of {name} <{email}> changed"),
        UserChange::Disabled(true) => format!("{name} <{email}> disabled"),
        UserChange::Disabled(false) => format!("{name} <{email}> enabled"),
    };
    let entry = Change {
        reseller,
        customer: Some(customer),
        actor,
        action: &action,
        before: Some(audit::role_and_status(role.label(), disabled)),
        after: Some(audit::role_and_status(new_role.label(), new_disabled)),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A boolean expression's value, which SQLite returns as an integer and PostgreSQL as a boolean.
fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool> {
    Ok(match row.try_get::<bool, _>(column) {
        Ok(value) => value,
        Err(_) => row.try_get::<i64, _>(column)? != 0,
    })
}

/// How long an invitation's link to choose a first password works.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Invites a person to the customer: a user without a password yet, and an e-mailed link (7 days)
/// to choose one, after which they log in through the widget. Returns the new user's id.
pub async fn invite(
    portico: &Portico,
    by: &ResellerUser,
    customer: &CustomerId,
    input: &CustomerInvitationInput,
) -> Result<CustomerUserId> {
    let customer = &customers::own(&portico.db, by, customer).await?;
    settings::editable(customer.status)?;
    let invitation = input.validate_for_customer().map_err(Error::Validation)?;
    let (reseller, actor, origin) = (&by.reseller_id, &by.actor(), &portico.settings.public_origin);
    let id = CustomerUserId(new_id("cuu"));
    let email = invitation.email.as_str();
    let mut tx = portico.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO customer_users (id, reseller_id, customer_id, email, name, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.as_str())
    .bind(reseller.as_str())
    .bind(customer.id.as_str())
    .bind(email)
    .bind(&invitation.name)
    .bind(invitation.role.as_str())
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(Error::Validation(vec![FieldError::new(Field::Email, Problem::Taken)]));
        }
        Err(e) => return Err(e.into()),
    }
    send_invitation(&mut tx, reseller, &id, &invitation.name, email, customer, origin).await?;
    let after = Snapshot::from([("Name", invitation.name.clone()), ("Role", invitation.role.label().to_owned())]);
    let action = format!("User {email} invited");
    let entry =
        Change { reseller, customer: Some(&customer.id), actor, action: &action, before: None, after: Some(after) };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(id)
}

async fn send_invitation(
    tx: &mut Transaction<'_, Any>,
    reseller: &ResellerId,
    user: &CustomerUserId,
    name: &str,
    email: &str,
    customer: &CustomerRecord,
    origin: &str,
) -> Result<()> {
    let token = email_tokens::issue_valid_for(tx, Purpose::ResetPassword, user, INVITATION_LIFETIME_MS).await?;
    let reseller_name: String = sqlx::query_scalar("SELECT name FROM resellers WHERE id = $1")
        .bind(reseller.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let link = format!("{origin}/widget/v1/reset?token={token}");
    let organization = &customer.details.organization;
    let mail = emails::customer_invitation(email, name, organization, &reseller_name, &link);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await
}

/// Sends an invited user a new link (at most one a minute); refused once they chose a password.
pub async fn resend_invitation(
    portico: &Portico,
    by: &ResellerUser,
    customer: &CustomerId,
    user: &CustomerUserId,
) -> Result<()> {
    let db = &portico.db;
    let customer = &customers::own(db, by, customer).await?;
    let (reseller, actor, origin) = (&by.reseller_id, &by.actor(), &portico.settings.public_origin);
    let row = sqlx::query(
        "SELECT name, email, password_hash IS NULL AS invited FROM customer_users \
         WHERE id = $1 AND customer_id = $2 AND reseller_id = $3",
    )
    .bind(user)
    .bind(customer.id.as_str())
    .bind(reseller.as_str())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let (name, email): (String, String) = (row.try_get("name")?, row.try_get("email")?);
    if !flag(&row, "invited")? {
        return Err(Error::Conflict(format!("{name} has already chosen a password.").into()));
    }
    let id = user;
    if email_tokens::sent_recently(db, Purpose::ResetPassword, id).await? {
        return Err(Error::Conflict("The invitation was sent less than a minute ago. Please wait a moment.".into()));
    }
    let mut tx = db.begin_write().await?;
    send_invitation(&mut tx, reseller, id, &name, &email, customer, origin).await?;
    let action = format!("Invitation to {email} sent again");
    let entry = Change { reseller, customer: Some(&customer.id), actor, action: &action, before: None, after: None };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// Records in the customer's history what one of its users did through an e-mailed link
/// (confirming their address, choosing a password): they are the actor.
pub async fn record_own_change(tx: &mut Transaction<'_, Any>, user: &CustomerUser, action: &str) -> Result<()> {
    let actor = Actor::user(user.id.as_str(), &user.name, &user.email);
    let change = Change {
        reseller: &user.reseller_id,
        customer: Some(&user.customer_id),
        actor: &actor,
        action,
        before: None,
        after: None,
    };
    audit::record(tx, change).await
}
