//! Login, the signed-in account and Logout in the widget.
//!
//! Every failure before the password is proven gets one answer, after the same hashing work. Limits
//! count failures per IP address and per IP address and account, never per account alone, so
//! nobody can lock the owner out by guessing from elsewhere.

use std::net::IpAddr;

use portico_shared::customer::CustomerStatus;
use portico_shared::email::EmailAddress;
use portico_shared::ids::CustomerUserId;
use portico_shared::login::{LoginRequest, LoginResponse, WidgetAccount};
use sqlx::Row;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::sessions::widget as sessions;
use crate::throttle::SignInAttempt;
use crate::widget::keys;
use crate::{signup_options, Portico};

/// Checks the credentials against the accounts of the key's reseller and starts a session.
pub async fn log_in(
    portico: &Portico,
    publishable_key: &str,
    request: &LoginRequest,
    peer: IpAddr,
) -> Result<LoginResponse> {
    let db = &portico.db;
    let widget = keys::find(db, publishable_key).await?;
    let email = EmailAddress::parse(&request.email).ok();
    let account_key = email.as_ref().map_or("", |e| e.as_str());
    let attempt = SignInAttempt::begin(db, "login", peer, account_key).await?;

    let row = match &email {
        Some(email) => {
            sqlx::query(
                "SELECT u.id, u.password_hash, u.email_verified_at, u.disabled_at FROM customer_users u \
                 WHERE u.reseller_id = $1 AND u.email = $2",
            )
            .bind(widget.reseller_id.as_str())
            .bind(email.as_str())
            .fetch_optional(&db.pool)
            .await?
        }
        None => None,
    };
    let stored_hash = row.as_ref().and_then(|r| r.try_get::<Option<String>, _>("password_hash").ok().flatten());
    let matched = portico.hasher.verify(&request.password, stored_hash.as_deref()).await?;
    let Some(row) = row.filter(|_| matched) else {
        attempt.failed(db).await?;
        return Err(Error::LoginFailed);
    };
    attempt.succeeded(db).await?;

    // The password is proven from here on, so saying what else stands in the way reveals nothing.
    let user: CustomerUserId = row.try_get("id")?;
    let verified = row.try_get::<Option<i64>, _>("email_verified_at")?.is_some();
    let options = signup_options::load(db, &widget.reseller_id).await?;
    if options.require_email_verification && !verified {
        return Err(Error::EmailNotVerified);
    }
    let disabled = row.try_get::<Option<i64>, _>("disabled_at")?.is_some();
    let account = account(db, &user).await?;
    if disabled || matches!(account.status, CustomerStatus::Rejected | CustomerStatus::Suspended) {
        return Err(Error::AccountInactive);
    }
    let token = sessions::create(db, &user, &widget.reseller_id).await?;
    tracing::info!(%user, "widget login");
    Ok(LoginResponse { token, account })
}

/// The account signed in to this key's widget, or `None` when nobody is: the widget asks on every
/// load, and "nobody" is an answer, not an error.
pub async fn current(portico: &Portico, publishable_key: &str, principal: &Principal) -> Result<Option<WidgetAccount>> {
    let widget = keys::find(&portico.db, publishable_key).await?;
    match principal.customer_of(&widget.reseller_id) {
        Ok(session) => Ok(Some(account(&portico.db, &session.user_id).await?)),
        Err(_) => Ok(None),
    }
}

/// Ends the session signed in to this key's widget.
pub async fn log_out(portico: &Portico, publishable_key: &str, principal: &Principal) -> Result<()> {
    let widget = keys::find(&portico.db, publishable_key).await?;
    let session = principal.customer_of(&widget.reseller_id)?;
    sessions::delete(&portico.db, &session.token).await
}

async fn account(db: &Db, user: &CustomerUserId) -> Result<WidgetAccount> {
    let row = sqlx::query(
        "SELECT u.name, u.email, c.organization, c.status FROM customer_users u \
         JOIN customers c ON c.id = u.customer_id WHERE u.id = $1",
    )
    .bind(user.as_str())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::Unauthorized)?;
    let status: String = row.try_get("status")?;
    Ok(WidgetAccount {
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        organization: row.try_get("organization")?,
        status: CustomerStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("unknown customer status {status:?}"))?,
    })
}
