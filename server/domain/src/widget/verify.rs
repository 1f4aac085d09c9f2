//! Confirming an e-mail address through the link sent at signup. Opening the link only shows a
//! button; the address is confirmed by pressing it, so mail scanners that fetch links cannot
//! confirm on someone's behalf. A new link can be asked for from the widget or from an expired
//! link's page; a person gets at most one a minute.

use std::net::IpAddr;

use portico_shared::customer::CustomerStatus;
use portico_shared::email::EmailAddress;
use portico_shared::ids::ResellerId;
use portico_shared::signup_options::Approval;
use portico_shared::{Field, FieldError};

use crate::customers::users::{self, CustomerUser, Link};
use crate::customers::{self};
use crate::email_tokens::{self, Purpose};
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::throttle::{self, Limit};
use crate::widget::keys;
use crate::{emails, signup_options, Portico};

/// The confirmation link with this token, without using it.
pub async fn lookup(portico: &Portico, token: &str) -> Result<Link> {
    users::by_link(&portico.db, Purpose::VerifyEmail, token).await
}

/// What pressing the confirmation button did.
#[derive(Debug)]
pub enum Confirmation {
    /// Confirmed; `active` when the account can be used at once (approved automatically, or
    /// before).
    Confirmed { user: CustomerUser, active: bool },
    /// The link does not confirm anything (any more): why.
    Unusable(Link),
}

/// Confirms the address of the link's user. When the reseller's options approve the address's
/// domain automatically, the customer is approved; the person is told by e-mail what comes next.
pub async fn confirm(portico: &Portico, token: &str) -> Result<Confirmation> {
    let db = &portico.db;
    let user = match lookup(portico, token).await? {
        Link::Valid(user) => user,
        other => return Ok(Confirmation::Unusable(other)),
    };
    // Read before the write transaction: inside it, a read through the pool would wait on a
    // second connection while holding the first (and SQLite's write turn).
    let options = signup_options::load(db, &user.reseller_id).await?;
    let mut tx = db.begin_write().await?;
    if !email_tokens::consume(&mut tx, Purpose::VerifyEmail, token).await? {
        // Used a moment ago (a second click), or it expired in between: say which.
        tx.rollback().await?;
        return Ok(Confirmation::Unusable(lookup(portico, token).await?));
    }
    users::mark_verified(&mut tx, &user.id).await?;
    users::record_own_change(&mut tx, &user, &format!("User {} confirmed their e-mail address", user.email)).await?;
    let email =
        EmailAddress::parse(&user.email).map_err(|_| Error::Internal(anyhow::anyhow!("stored e-mail is invalid")))?;
    let approved = options.approval_for(&email) == Approval::Automatic
        && customers::approve_automatically(&mut tx, &user.customer_id).await?;
    let active = customers::status_in(&mut tx, &user.customer_id).await? == Some(CustomerStatus::Active);
    let mail = if active {
        emails::account_ready(user.language, &user.email, &user.name, &user.reseller_name)
    } else {
        emails::signup_received(user.language, &user.email, &user.name, &user.reseller_name)
    };
    jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    tx.commit().await?;
    portico.jobs.wake();
    tracing::info!(user = %user.id, approved, "e-mail address confirmed");
    Ok(Confirmation::Confirmed { user, active })
}

/// What asking for a new link from an old one's page did.
#[derive(Debug)]
pub enum Resent {
    /// A new link went to the user (or one did less than a minute ago).
    Sent(CustomerUser),
    /// The address is confirmed already.
    Used(CustomerUser),
    Unknown,
}

/// A new link for the person holding an expired (or still valid) one.
pub async fn resend_for_link(portico: &Portico, token: &str) -> Result<Resent> {
    Ok(match lookup(portico, token).await? {
        Link::Expired(user) | Link::Valid(user) => {
            send_new_link(portico, &user).await?;
            Resent::Sent(user)
        }
        Link::Used(user) => Resent::Used(user),
        Link::Unknown => Resent::Unknown,
    })
}

/// Requests from one address: enough for a person, too few to bomb mailboxes.
const RESEND_PER_ADDRESS: Limit = Limit { hits: 10, window_ms: 10 * 60 * 1000 };

/// "Send it again" from the widget: queues a job that sends a new link if the address has an
/// account of the key's reseller that is not confirmed yet. Known and unknown addresses cost the
/// same work here (a limit per client address, one job written) and get the same answer.
pub async fn resend_from_widget(portico: &Portico, publishable_key: &str, email: &str, client: IpAddr) -> Result<()> {
    let db = &portico.db;
    let widget = keys::find(db, publishable_key).await?;
    let email =
        EmailAddress::parse(email).map_err(|code| Error::Validation(vec![FieldError::new(Field::Email, code)]))?;
    throttle::admit(db, &format!("resend:ip:{}", throttle::address_key(client)), RESEND_PER_ADDRESS).await?;
    let mut tx = db.begin_write().await?;
    let job = Job::ResendConfirmation { reseller: widget.reseller_id, email: email.as_str().to_owned() };
    jobs::enqueue(&mut tx, &job).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}

/// The job: a new link, if `email` has an account of the reseller still to confirm.
pub async fn resend_to(portico: &Portico, reseller: &ResellerId, email: &str) -> Result<()> {
    match users::find_by_email(&portico.db, reseller, email).await? {
        Some(user) => send_new_link(portico, &user).await,
        None => Ok(()),
    }
}

async fn send_new_link(portico: &Portico, user: &CustomerUser) -> Result<()> {
    let db = &portico.db;
    if user.verified || email_tokens::sent_recently(db, Purpose::VerifyEmail, &user.id).await? {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let token = email_tokens::issue(&mut tx, Purpose::VerifyEmail, &user.id).await?;
    let link = format!("{}/widget/v1/verify?token={token}", portico.settings.public_origin);
    let mail = emails::verify_email(user.language, &user.email, &user.name, &user.reseller_name, &link);
    jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(())
}
