//! The link lifecycle on the server: every step of [`portico_shared::cloud_links`] taken on a
//! versioned row, recorded with who and when, with the AWS calls and e-mails it needs written
//! as jobs in the same transaction and run after the commit.

use std::collections::HashMap;

use portico_shared::aws::AccountId;
use portico_shared::cloud_links::{self, Link, LinkAction, LinkEvent, LinkState, Party};
use portico_shared::dates::date_time;
use portico_shared::ids::{CustomerId, ResellerId};
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Actor, Change, Snapshot};
use crate::cloud::gateway::{CloudGateway, Handshake, HandshakeState};
use crate::db::{new_id, now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::notifications;
use crate::staff::Scope;

/// How often the platform asks AWS whether an invitation was answered, and how long before it
/// expires the owner is reminded.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub poll_ms: i64,
    pub reminder_lead_ms: i64,
}

/// Who takes a step: a reseller's user (on their own accounts only), Cloud Support, or the
/// platform itself on what AWS answered.
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    Reseller(&'a ResellerId),
    CloudSupport,
    Platform,
}

impl By<'_> {
    fn party(self) -> Party {
        match self {
            By::Reseller(_) => Party::Reseller,
            By::CloudSupport => Party::CloudSupport,
            By::Platform => Party::Platform,
        }
    }
}

/// One step on one account.
#[derive(Clone, Debug)]
pub struct Step<'a> {
    pub account: &'a str,
    /// The version the page showed; `None` for the platform's own steps, which act on the
    /// current row (the state condition still guards them).
    pub version: Option<i64>,
    pub action: LinkAction,
    /// The reason, question or answer, already checked by `cloud_links::note_for`.
    pub note: Option<String>,
    pub actor: &'a Actor,
}

/// The row a step reads.
struct Current {
    reseller: ResellerId,
    customer: CustomerId,
    number: String,
    state: LinkState,
    version: i64,
    role_valid: bool,
    handshake: Option<String>,
}

async fn current(tx: &mut Transaction<'_, Any>, account: &str, by: By<'_>) -> Result<Current> {
    let row = sqlx::query(
        "SELECT reseller_id, customer_id, account_number, link_state, version, role_check, handshake_id \
         FROM cloud_accounts WHERE id = $1",
    )
    .bind(account)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    let reseller = ResellerId(row.try_get("reseller_id")?);
    // Another reseller's account does not exist, as far as a reseller can tell.
    if matches!(by, By::Reseller(own) if *own != reseller) {
        return Err(Error::NotFound);
    }
    let state: String = row.try_get("link_state")?;
    Ok(Current {
        reseller,
        customer: CustomerId(row.try_get("customer_id")?),
        number: row.try_get("account_number")?,
        state: LinkState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown link state {state:?}"))?,
        version: row.try_get("version")?,
        role_valid: row.try_get::<String, _>("role_check")? == "valid",
        handshake: row.try_get("handshake_id")?,
    })
}

/// Takes `step`, or refuses it with the reason: not this party's to take, not from this state,
/// the row changed since the page showed it, or (to request a link) a role not checked Valid.
/// `handshake` is the invitation AWS created, for [`LinkAction::Invite`].
pub async fn take(
    db: &Db,
    timing: Timing,
    by: By<'_>,
    step: &Step<'_>,
    handshake: Option<&Handshake>,
) -> Result<LinkState> {
    if step.action.party() != by.party() {
        return Err(Error::Forbidden(match step.action.party() {
            Party::Reseller => "Only the customer's reseller takes this step.",
            Party::CloudSupport => "Only Cloud Support approves, rejects or asks about a request.",
            Party::Platform => "Only the platform records what AWS answered.",
        }));
    }
    let mut tx = db.begin_write().await?;
    let row = current(&mut tx, step.account, by).await?;
    if step.version.is_some_and(|seen| seen != row.version) {
        return Err(Error::Conflict(
            format!(
                "Someone acted on this cloud account meanwhile: its link is now “{}”. Reload the page to see it.",
                row.state.label()
            )
            .into(),
        ));
    }
    let to = cloud_links::next(row.state, step.action)
        .ok_or_else(|| Error::Conflict(cloud_links::refusal(row.state, step.action).into()))?;
    if step.action == LinkAction::Request && !row.role_valid {
        return Err(Error::Conflict(
            "Check the AWS Role ARN first: only an account whose role checks Valid can be linked.".into(),
        ));
    }
    let now = now_ms();
    let (handshake_id, expires_at) = match (step.action, handshake) {
        (LinkAction::Invite, Some(h)) => (Some(h.id.clone()), Some(h.expires_at)),
        (LinkAction::Invite, None) => return Err(anyhow::anyhow!("an invitation needs its handshake").into()),
        _ => (row.handshake.clone(), None),
    };
    let moved = sqlx::query(
        "UPDATE cloud_accounts SET link_state = $1, link_changed_at = $2, version = version + 1, handshake_id = $3, \
         invitation_expires_at = COALESCE($4, invitation_expires_at) \
         WHERE id = $5 AND version = $6 AND link_state = $7",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(&handshake_id)
    .bind(expires_at)
    .bind(step.account)
    .bind(row.version)
    .bind(row.state.as_str())
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() == 0 {
        // Another process took a step between our read and write (PostgreSQL reads without
        // locking): the same answer as a stale page.
        return Err(Error::Conflict(
            "Someone acted on this cloud account meanwhile. Reload the page to see it.".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO cloud_account_events (id, account_id, at, actor, action, to_state, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id("cae"))
    .bind(step.account)
    .bind(now)
    .bind(&step.actor.label)
    .bind(step.action.as_str())
    .bind(to.as_str())
    .bind(&step.note)
    .execute(&mut **tx)
    .await?;
    let mut after = Snapshot::from([("Link", to.label().to_owned())]);
    if let Some(note) = &step.note {
        after.insert("Note", note.clone());
    }
    let action = format!("Cloud account {}: {}", row.number, step.action.past_tense());
    let before = Some(Snapshot::from([("Link", row.state.label().to_owned())]));
    let change = Change {
        reseller: &row.reseller,
        customer: Some(&row.customer),
        actor: step.actor,
        action: &action,
        before,
        after: Some(after),
    };
    audit::record(&mut tx, change).await?;
    follow_up(&mut tx, timing, step, &row, to, handshake).await?;
    tx.commit().await?;
    Ok(to)
}

/// The work a step leaves for after the commit.
async fn follow_up(
    tx: &mut Transaction<'_, Any>,
    timing: Timing,
    step: &Step<'_>,
    row: &Current,
    to: LinkState,
    handshake: Option<&Handshake>,
) -> Result<()> {
    let account = step.account.to_owned();
    match (step.action, to) {
        (LinkAction::Approve | LinkAction::Reinvite, LinkState::Approved) => {
            jobs::enqueue(tx, &Job::InviteAccount { account }).await?;
        }
        (LinkAction::Approve, LinkState::Unlinked) => {
            jobs::enqueue(tx, &Job::RemoveAccount { number: row.number.clone() }).await?;
        }
        (LinkAction::Cancel, _) => {
            if let Some(handshake) = &row.handshake {
                jobs::enqueue(tx, &Job::CancelHandshake { handshake: handshake.clone() }).await?;
            }
        }
        (LinkAction::Invite, _) => {
            let Some(handshake) = handshake else { return Ok(()) };
            let now = now_ms();
            let watch = Job::WatchHandshake { account: account.clone(), handshake: handshake.id.clone() };
            jobs::enqueue_at(tx, &watch, (now + timing.poll_ms).min(handshake.expires_at)).await?;
            let remind_at = handshake.expires_at - timing.reminder_lead_ms;
            if remind_at > now {
                let remind = Job::RemindInvitation { account, handshake: handshake.id.clone() };
                jobs::enqueue_at(tx, &remind, remind_at).await?;
            }
            if let Some(mail) = contact_mail(tx, row, handshake.expires_at, emails::aws_invitation_sent).await? {
                jobs::enqueue(tx, &Job::SendEmail(mail)).await?;
            }
        }
        _ => {}
    }
    notify(tx, step, row, to).await
}

/// Tells the other side of a step: Cloud Support of a request waiting for them, the reseller's
/// admins of a decision or of what AWS answered. Queued with the step; sent after the commit.
async fn notify(tx: &mut Transaction<'_, Any>, step: &Step<'_>, row: &Current, to: LinkState) -> Result<()> {
    use LinkAction as A;
    let (recipients, next) = match (step.action, to) {
        (A::Request | A::Answer | A::RequestUnlink, _) => {
            (Audience::CloudSupport, "It waits for you in the portal's Cloud Support console.")
        }
        (A::Inquire, _) => (Audience::ResellerAdmins, "Answer on the customer's Cloud accounts tab in the portal."),
        (A::Reject, LinkState::Linked) => (Audience::ResellerAdmins, "The account stays linked."),
        (A::Reject, _) => {
            (Audience::ResellerAdmins, "You can request the link again from the customer's Cloud accounts tab.")
        }
        (A::Approve, LinkState::Unlinked) => {
            (Audience::ResellerAdmins, "The account is being removed from the organization.")
        }
        (A::Approve, _) => {
            (Audience::ResellerAdmins, "The platform is sending the account an AWS Organizations invitation.")
        }
        (A::Accept, _) => (Audience::ResellerAdmins, "The account is linked."),
        (A::Decline | A::Expire, _) => {
            (Audience::ResellerAdmins, "You can send a new invitation from the customer's Cloud accounts tab.")
        }
        (A::Invite | A::Cancel | A::Reinvite, _) => return Ok(()),
    };
    let customer: String = sqlx::query_scalar("SELECT organization FROM customers WHERE id = $1")
        .bind(row.customer.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let step_words = step.action.past_tense();
    let subject = format!("AWS account {} of {customer}: {step_words}", row.number);
    let mut paragraphs = vec![format!("{step_words}: AWS account {} of {customer}.", row.number)];
    paragraphs.extend(step.note.as_ref().map(|note| format!("“{note}”")));
    paragraphs.push(next.to_owned());
    let (team, link, addresses): (Scope, String, Vec<String>) = match recipients {
        Audience::CloudSupport => (
            Scope::Platform,
            "/cloud-support".into(),
            sqlx::query_scalar(
                "SELECT email FROM platform_users WHERE role = 'cloud_support' AND disabled_at IS NULL ORDER BY email",
            )
            .fetch_all(&mut **tx)
            .await?,
        ),
        Audience::ResellerAdmins => (
            Scope::Reseller(row.reseller.clone()),
            format!("/customers/{}/accounts", row.customer.as_str()),
            sqlx::query_scalar(
                "SELECT email FROM reseller_users WHERE reseller_id = $1 AND role = 'admin' AND disabled_at IS NULL \
                 ORDER BY email",
            )
            .bind(row.reseller.as_str())
            .fetch_all(&mut **tx)
            .await?,
        ),
    };
    notifications::post(tx, &team, &subject, &paragraphs.join("\n\n"), &link).await?;
    for address in addresses {
        jobs::enqueue(tx, &Job::SendEmail(emails::portal_notice(&address, &subject, &paragraphs))).await?;
    }
    Ok(())
}

/// Who hears of a step.
#[derive(Clone, Copy)]
enum Audience {
    /// The active Cloud Support staff.
    CloudSupport,
    /// The reseller's active admins.
    ResellerAdmins,
}

type Template = fn(&str, &str, &str, &str, &str) -> crate::mail::OutgoingMail;

/// A message about the account's invitation to the customer's primary contact, who "will
/// receive platform/system notifications" unless their options say otherwise.
async fn contact_mail(
    tx: &mut Transaction<'_, Any>,
    row: &Current,
    expires_at: i64,
    template: Template,
) -> Result<Option<crate::mail::OutgoingMail>> {
    // Customer options → notification preferences: contacts may opt out (on by default).
    let contact = sqlx::query(
        "SELECT c.contact_name, c.contact_email, r.name AS reseller FROM customers c \
         JOIN resellers r ON r.id = c.reseller_id WHERE c.id = $1 AND COALESCE( \
           (SELECT o.notify_cloud_accounts FROM customer_options o WHERE o.customer_id = c.id), 1) = 1",
    )
    .bind(row.customer.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(contact) = contact else { return Ok(None) };
    let (name, email, reseller): (String, String, String) =
        (contact.try_get("contact_name")?, contact.try_get("contact_email")?, contact.try_get("reseller")?);
    Ok(Some(template(&email, &name, &row.number, &date_time(expires_at), &reseller)))
}

/// The platform as the actor of the steps it takes on AWS's answers.
fn platform() -> Actor {
    Actor { id: None, label: "Portico, on AWS's answer".into() }
}

/// What a job did: finished, or to be run again at this time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Done,
    At(i64),
}

/// Job: sends the AWS Organizations invitation of an approved account and records it.
pub async fn send_invitation(db: &Db, cloud: &dyn CloudGateway, timing: Timing, account: &str) -> Result<Next> {
    let Some((number, state, _)) = link_row(db, account).await? else { return Ok(Next::Done) };
    if state != LinkState::Approved {
        return Ok(Next::Done);
    }
    let id = AccountId::parse(&number).map_err(|_| anyhow::anyhow!("stored account id {number:?} is not valid"))?;
    // An invitation this job sent before a crash is returned again, not sent twice.
    let handshake = cloud.invite_account(&id).await?;
    let step = Step { account, version: None, action: LinkAction::Invite, note: None, actor: &platform() };
    take(db, timing, By::Platform, &step, Some(&handshake)).await?;
    Ok(Next::Done)
}

/// Job: asks AWS what became of an invitation and records the answer; while it is open, runs
/// again after the polling interval, and at the latest when it expires.
pub async fn watch_handshake(
    db: &Db,
    cloud: &dyn CloudGateway,
    timing: Timing,
    account: &str,
    handshake: &str,
) -> Result<Next> {
    let Some((_, state, current)) = link_row(db, account).await? else { return Ok(Next::Done) };
    if state != LinkState::Invited || current.as_deref() != Some(handshake) {
        return Ok(Next::Done);
    }
    let action = match cloud.handshake_state(handshake).await? {
        HandshakeState::Open => {
            let expires_at = invitation_expiry(db, account).await?;
            return Ok(Next::At((now_ms() + timing.poll_ms).min(expires_at.max(now_ms() + 1000))));
        }
        HandshakeState::Accepted => LinkAction::Accept,
        HandshakeState::Declined => LinkAction::Decline,
        HandshakeState::Expired => LinkAction::Expire,
        // Only the reseller cancels, and that step already left Invited.
        HandshakeState::Canceled => return Ok(Next::Done),
    };
    let step = Step { account, version: None, action, note: None, actor: &platform() };
    match take(db, timing, By::Platform, &step, None).await {
        // The reseller canceled between our read and our write: nothing left to record.
        Ok(_) | Err(Error::Conflict(_)) => Ok(Next::Done),
        Err(e) => Err(e),
    }
}

/// Job: reminds the customer's primary contact of an invitation still unanswered.
pub async fn remind(db: &Db, account: &str, handshake: &str) -> Result<()> {
    let Some((_, state, sent)) = link_row(db, account).await? else { return Ok(()) };
    if state != LinkState::Invited || sent.as_deref() != Some(handshake) {
        return Ok(());
    }
    let expires_at = invitation_expiry(db, account).await?;
    if expires_at <= now_ms() {
        // Too late to remind (the server was down): the expiry is recorded instead.
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let row = current(&mut tx, account, By::Platform).await?;
    if let Some(mail) = contact_mail(&mut tx, &row, expires_at, emails::aws_invitation_reminder).await? {
        jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// (account number, link state, handshake) of an account.
async fn link_row(db: &Db, account: &str) -> Result<Option<(String, LinkState, Option<String>)>> {
    let row = sqlx::query("SELECT account_number, link_state, handshake_id FROM cloud_accounts WHERE id = $1")
        .bind(account)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| {
        let state: String = row.try_get("link_state")?;
        let state = LinkState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown link state {state:?}"))?;
        Ok((row.try_get("account_number")?, state, row.try_get("handshake_id")?))
    })
    .transpose()
}

async fn invitation_expiry(db: &Db, account: &str) -> Result<i64> {
    let expires: Option<i64> = sqlx::query_scalar("SELECT invitation_expires_at FROM cloud_accounts WHERE id = $1")
        .bind(account)
        .fetch_one(&db.pool)
        .await?;
    Ok(expires.unwrap_or_else(now_ms))
}

/// The link columns every listing selects, with the account's as `a`.
pub const LINK_COLUMNS: &str = "a.link_state, a.handshake_id, a.invitation_expires_at";

/// The link of a row selected with [`LINK_COLUMNS`], with its history from [`histories`].
pub fn link_of(row: &sqlx::any::AnyRow, histories: &mut HashMap<String, Vec<LinkEvent>>, id: &str) -> Result<Link> {
    let state: String = row.try_get("link_state")?;
    let handshake: Option<String> = row.try_get("handshake_id")?;
    let expires: Option<i64> = row.try_get("invitation_expires_at")?;
    Ok(Link {
        state: LinkState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown link state {state:?}"))?,
        handshake: handshake.zip(expires),
        events: histories.remove(id).unwrap_or_default(),
    })
}

/// The histories of these accounts, oldest step first, in one query.
pub async fn histories(db: &Db, accounts: &[String]) -> Result<HashMap<String, Vec<LinkEvent>>> {
    let mut histories: HashMap<String, Vec<LinkEvent>> = HashMap::new();
    if accounts.is_empty() {
        return Ok(histories);
    }
    let placeholders: Vec<String> = (1..=accounts.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT account_id, at, actor, action, to_state, note FROM cloud_account_events \
         WHERE account_id IN ({}) ORDER BY at, id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for account in accounts {
        query = query.bind(account);
    }
    for event in query.fetch_all(&db.pool).await? {
        let action: String = event.try_get("action")?;
        let to: String = event.try_get("to_state")?;
        let step = LinkEvent {
            at: event.try_get("at")?,
            actor: event.try_get("actor")?,
            action: LinkAction::parse(&action).ok_or_else(|| anyhow::anyhow!("unknown action {action:?}"))?,
            to: LinkState::parse(&to).ok_or_else(|| anyhow::anyhow!("unknown link state {to:?}"))?,
            note: event.try_get("note")?,
        };
        histories.entry(event.try_get("account_id")?).or_default().push(step);
    }
    Ok(histories)
}
