//! "Forgot password" in the widget: a one-time link by e-mail, valid for an hour, to a page where
//! the person chooses a new password. Asking never reveals whether the address has an account.
//! An invited customer user chooses their first password through the same kind of link.

use std::net::IpAddr;

use portico_shared::email::EmailAddress;
use portico_shared::ids::ResellerId;
use portico_shared::password::new_password;
use portico_shared::{Field, FieldError};

use crate::customers::users::{self, CustomerUser, Link};
use crate::email_tokens::{self, Purpose};
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::sessions::widget as sessions;
use crate::throttle::{self, Limit};
use crate::widget::keys;
use crate::{emails, Portico};

/// Reset requests from one address: enough for a person, too few to bomb mailboxes.
const PER_IP: Limit = Limit { hits: 10, window_ms: 10 * 60 * 1000 };

/// **Forgot password** in the widget: queues a job that e-mails a reset link to the key's
/// reseller's customer user with this address, if there is one. Known and unknown addresses cost
/// the same work here (a limit per client address, one job written) and get the same answer.
pub async fn request(portico: &Portico, publishable_key: &str, email: &str, peer: IpAddr) -> Result<()> {
    let db = &portico.db;
    let widget = keys::find(db, publishable_key).await?;
    let email =
        EmailAddress::parse(email).map_err(|code| Error::Validation(vec![FieldError::new(Field::Email, code)]))?;
    throttle::admit(db, &format!("reset:ip:{}", throttle::address_key(peer)), PER_IP).await?;
    let mut tx = db.begin_write().await?;
    let job = Job::WidgetPasswordReset { reseller: widget.reseller_id, email: email.as_str().to_owned() };
    jobs::enqueue(&mut tx, &job).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// The job: the link, if `email` has an account of the reseller that got none in the last minute.
pub async fn send(portico: &Portico, reseller: &ResellerId, email: &str) -> Result<()> {
    let db = &portico.db;
    let Some(user) = users::find_by_email(db, reseller, email).await? else { return Ok(()) };
    if email_tokens::sent_recently(db, Purpose::ResetPassword, &user.id).await? {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let token = email_tokens::issue(&mut tx, Purpose::ResetPassword, &user.id).await?;
    let link = format!("{}/widget/v1/reset?token={token}", portico.settings.public_origin);
    let mail = emails::password_reset(user.language, &user.email, &user.reseller_name, &link);
    jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// The reset link with this token, without using it.
pub async fn lookup(portico: &Portico, token: &str) -> Result<Link> {
    users::by_link(&portico.db, Purpose::ResetPassword, token).await
}

/// What became of a new password sent through a link.
#[derive(Debug)]
pub enum Reset {
    /// Set; `first_password` when an invited user chose their first one.
    Changed { user: CustomerUser, first_password: bool },
    /// The password was refused: the form again, with why.
    Refused { user: CustomerUser, errors: Vec<FieldError> },
    /// The link no longer works (or never did).
    Unusable(Link),
}

/// Sets the new password of the link's user, ends every session of theirs, and tells them by
/// e-mail (unless it was their first password). Following the link proves the mailbox, as
/// confirming the address would.
pub async fn change(portico: &Portico, token: &str, password: &str, verify_password: &str) -> Result<Reset> {
    let db = &portico.db;
    let user = match lookup(portico, token).await? {
        Link::Valid(user) => user,
        other => return Ok(Reset::Unusable(other)),
    };
    let password = match new_password(password, verify_password) {
        Ok(password) => password,
        Err(errors) => return Ok(Reset::Refused { user, errors }),
    };
    let hash = portico.hasher.hash(password.expose()).await?;
    let first_password = user.invited;
    let mut tx = db.begin_write().await?;
    if !email_tokens::consume(&mut tx, Purpose::ResetPassword, token).await? {
        tx.rollback().await?;
        return Ok(Reset::Unusable(lookup(portico, token).await?));
    }
    users::set_password(&mut tx, &user.id, &hash).await?;
    users::mark_verified(&mut tx, &user.id).await?;
    let action = if first_password { "chose their password" } else { "reset their password" };
    users::record_own_change(&mut tx, &user, &format!("User {} {action}", user.email)).await?;
    if !first_password {
        let mail = emails::password_changed(user.language, &user.email, &user.reseller_name);
        jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    }
    sessions::delete_all_for(&mut tx, &user.id).await?;
    tx.commit().await?;
    portico.jobs.wake();
    tracing::info!(user = %user.id, "password reset");
    Ok(Reset::Changed { user, first_password })
}
