//! The link lifecycle on the server: every step of [`portico_shared::cloud_links`] taken on a
//! versioned row, recorded with who and when, with the AWS calls and e-mails it needs written
//! as jobs in the same transaction and run after the commit.

use std::collections::HashMap;

use portico_shared::aws::AccountId;
use portico_shared::cloud_links::{self, AccountKind, Link, LinkAction, LinkEvent, LinkState, Party};
use portico_shared::dates::date_time;
use portico_shared::ids::{CloudAccountId, CustomerId, ResellerId};
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Change, Snapshot};
use crate::cloud::access;
use crate::cloud::gateway::Handshake;
use crate::config::LinkConfig;
use crate::customers::{self, Contact};
use crate::db::{new_id, now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};
use crate::notifications;
use crate::principal::Actor;
use crate::principal::{CloudSupport, ResellerUser, Scope};
use crate::Portico;

/// What AWS answered, for the platform's steps that record it.
#[derive(Clone, Debug)]
pub enum AwsFact {
    /// The invitation (for [`LinkAction::Invite`]).
    Invitation(Handshake),
    /// The CreateAccount request's id (for [`LinkAction::Create`]).
    CreationStarted(String),
    /// The new account's id (for [`LinkAction::Created`]).
    AccountCreated(AccountId),
}

/// Who takes a step: a reseller's user (on their own accounts only), Cloud Support, or the
/// platform itself on what AWS answered.
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    Reseller(&'a ResellerUser),
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
    pub account: &'a CloudAccountId,
    /// The version the page showed; `None` for the platform's own steps, which act on the
    /// current row (the state condition still guards them).
    pub version: Option<i64>,
    pub action: LinkAction,
    /// The reason, question or answer, already checked by `cloud_links::note_for`.
    pub note: Option<String>,
    pub actor: &'a Actor,
}

/// The row a step reads.
pub(crate) struct Current {
    pub reseller: ResellerId,
    pub customer: CustomerId,
    pub number: String,
    pub state: LinkState,
    version: i64,
    role_valid: bool,
    pub handshake: Option<String>,
    pub kind: AccountKind,
    name: Option<String>,
}

impl Current {
    /// How messages name the account: its number, or a new one's name until AWS has made it.
    fn label(&self) -> String {
        match (&*self.number, &self.name) {
            ("", Some(name)) => format!("(new) “{name}”"),
            (number, _) => number.to_owned(),
        }
    }
}

pub(crate) async fn current(tx: &mut Transaction<'_, Any>, account: &CloudAccountId, by: By<'_>) -> Result<Current> {
    let row = sqlx::query(
        "SELECT reseller_id, customer_id, account_number, link_state, version, role_check, handshake_id, kind, \
         account_name FROM cloud_accounts WHERE id = $1",
    )
    .bind(account)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    let reseller: ResellerId = row.try_get("reseller_id")?;
    // Another reseller's account does not exist, as far as a reseller can tell.
    if matches!(by, By::Reseller(user) if user.reseller_id != reseller) {
        return Err(Error::NotFound);
    }
    let state: String = row.try_get("link_state")?;
    Ok(Current {
        reseller,
        customer: row.try_get("customer_id")?,
        number: row.try_get("account_number")?,
        state: LinkState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown link state {state:?}"))?,
        version: row.try_get("version")?,
        role_valid: row.try_get::<String, _>("role_check")? == "valid",
        handshake: row.try_get("handshake_id")?,
        kind: AccountKind::parse(&row.try_get::<String, _>("kind")?).ok_or_else(|| anyhow::anyhow!("unknown kind"))?,
        name: row.try_get("account_name")?,
    })
}

/// Takes `step` in a transaction of its own; see [`apply`]. The job worker starts at once on
/// what the step left for it.
pub async fn take(portico: &Portico, by: By<'_>, step: &Step<'_>, aws: Option<&AwsFact>) -> Result<LinkState> {
    let mut tx = portico.db.begin_write().await?;
    let to = apply(&mut tx, &portico.settings.links, by, step, aws).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(to)
}

/// The action named in a form, with its note checked.
fn action_and_note(action: &str, note: &str) -> Result<(LinkAction, Option<String>)> {
    let action = LinkAction::parse(action).ok_or(Error::NotFound)?;
    let note = cloud_links::note_for(action, note).map_err(|error| Error::Validation(vec![error]))?;
    Ok((action, note))
}

/// The reseller's step on an account of one of its customers: `request`, `answer` (with the
/// note), `cancel`, `reinvite` or `request_unlink`; `version` is the account's as the page
/// showed it.
pub async fn reseller_step(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    account: &CloudAccountId,
    version: i64,
    action: &str,
    note: &str,
) -> Result<LinkState> {
    customers::own(&portico.db, user, customer).await?;
    let (action, note) = action_and_note(action, note)?;
    let actor = user.actor();
    let step = Step { account, version: Some(version), action, note, actor: &actor };
    take(portico, By::Reseller(user), &step, None).await
}

/// Cloud Support's decision on a request still at `version`: `approve`, `reject` (with the
/// reason) or `inquire` (with the question).
pub async fn decide(
    portico: &Portico,
    support: &CloudSupport,
    account: &CloudAccountId,
    version: i64,
    action: &str,
    note: &str,
) -> Result<LinkState> {
    let (action, note) = action_and_note(action, note)?;
    let actor = support.actor();
    let step = Step { account, version: Some(version), action, note, actor: &actor };
    take(portico, By::CloudSupport, &step, None).await
}

/// Takes `step` inside the caller's transaction, or refuses it with the reason: not this party's
/// to take, not from this state, the row changed since the page showed it, not for this kind of
/// account, or (to request a link) a role not checked Valid. `aws` is what AWS answered, for the
/// platform's steps that record it.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    by: By<'_>,
    step: &Step<'_>,
    aws: Option<&AwsFact>,
) -> Result<LinkState> {
    if step.action.party() != by.party() {
        return Err(Error::Forbidden(
            match step.action.party() {
                Party::Reseller => "Only the customer's reseller takes this step.",
                Party::CloudSupport => "Only Cloud Support approves, rejects or asks about a request.",
                Party::Platform => "Only the platform records what AWS answered.",
            }
            .into(),
        ));
    }
    let row = current(tx, step.account, by).await?;
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
    if step.action == LinkAction::Request && row.kind == AccountKind::Existing && !row.role_valid {
        return Err(Error::Conflict(
            "Check the AWS Role ARN first: only an account whose role checks Valid can be linked.".into(),
        ));
    }
    let kind_fits = match step.action {
        LinkAction::Invite | LinkAction::Cancel | LinkAction::Reinvite => row.kind == AccountKind::Existing,
        LinkAction::Create | LinkAction::Created | LinkAction::CreateFail | LinkAction::RequestCredentials => {
            row.kind == AccountKind::New
        }
        _ => true,
    };
    if !kind_fits {
        return Err(Error::Conflict(cloud_links::refusal(row.state, step.action).into()));
    }
    let now = now_ms();
    let (handshake, expires_at, creation, number) = match (step.action, aws) {
        (LinkAction::Invite, Some(AwsFact::Invitation(h))) => (Some(h.id.clone()), Some(h.expires_at), None, None),
        (LinkAction::Create, Some(AwsFact::CreationStarted(id))) => (None, None, Some(id.clone()), None),
        (LinkAction::Created, Some(AwsFact::AccountCreated(id))) => (None, None, None, Some(id.as_str().to_owned())),
        (LinkAction::Invite | LinkAction::Create | LinkAction::Created, _) => {
            return Err(anyhow::anyhow!("{:?} needs what AWS answered", step.action).into())
        }
        _ => (None, None, None, None),
    };
    let moved = sqlx::query(
        "UPDATE cloud_accounts SET link_state = $1, link_changed_at = $2, version = version + 1, \
         handshake_id = COALESCE($3, handshake_id), invitation_expires_at = COALESCE($4, invitation_expires_at), \
         create_request_id = COALESCE($5, create_request_id), account_number = COALESCE($6, account_number) \
         WHERE id = $7 AND version = $8 AND link_state = $9",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(&handshake)
    .bind(expires_at)
    .bind(&creation)
    .bind(&number)
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
    let label = number.clone().unwrap_or_else(|| row.label());
    let action = format!("Cloud account {label}: {}", step.action.past_tense_for(row.kind));
    let before = Some(Snapshot::from([("Link", row.state.label().to_owned())]));
    let change = Change {
        reseller: &row.reseller,
        customer: Some(&row.customer),
        actor: step.actor,
        action: &action,
        before,
        after: Some(after),
    };
    audit::record(tx, change).await?;
    follow_up(tx, config, by, step, &row, to, aws).await?;
    notify(tx, step, &row, &label, to).await?;
    Ok(to)
}

/// The work a step leaves for after the commit.
async fn follow_up(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    by: By<'_>,
    step: &Step<'_>,
    row: &Current,
    to: LinkState,
    aws: Option<&AwsFact>,
) -> Result<()> {
    let account = step.account.to_owned();
    let now = now_ms();
    match (step.action, to, aws) {
        (LinkAction::Approve | LinkAction::Reinvite, LinkState::Approved, _) => {
            let job = match row.kind {
                AccountKind::Existing => Job::InviteAccount { account },
                AccountKind::New => Job::CreateAccount { account },
            };
            jobs::enqueue(tx, &job).await?;
        }
        (LinkAction::Approve, LinkState::Unlinked, _) => {
            let number =
                AccountId::parse(&row.number).map_err(|_| anyhow::anyhow!("stored account {:?}", row.number))?;
            jobs::enqueue(tx, &Job::RemoveAccount { number }).await?;
        }
        (LinkAction::Cancel, _, _) => {
            if let Some(handshake) = &row.handshake {
                jobs::enqueue(tx, &Job::CancelHandshake { handshake: handshake.clone() }).await?;
            }
        }
        (LinkAction::Invite, _, Some(AwsFact::Invitation(handshake))) => {
            let watch = Job::WatchHandshake { account: account.clone(), handshake: handshake.id.clone() };
            jobs::enqueue_at(tx, &watch, (now + config.poll_ms).min(handshake.expires_at)).await?;
            let remind_at = handshake.expires_at - config.reminder_lead_ms;
            if remind_at > now {
                let remind = Job::RemindInvitation { account, handshake: handshake.id.clone() };
                jobs::enqueue_at(tx, &remind, remind_at).await?;
            }
            if let Some(mail) = contact_mail(tx, row, handshake.expires_at, emails::aws_invitation_sent).await? {
                jobs::enqueue(tx, &Job::SendEmail(mail)).await?;
            }
        }
        (LinkAction::Create, _, _) => {
            jobs::enqueue_at(tx, &Job::WatchCreation { account }, now + config.poll_ms).await?;
        }
        (LinkAction::Created, _, Some(AwsFact::AccountCreated(number))) => {
            access::issue(tx, config, &account, &row.customer, number).await?;
        }
        (LinkAction::RequestCredentials, _, _) => {
            let number =
                AccountId::parse(&row.number).map_err(|_| anyhow::anyhow!("stored account {:?}", row.number))?;
            if let By::Reseller(user) = by {
                access::issue_to_reseller_user(tx, config, &account, &user.user_id, &number).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Tells the other side of a step: Cloud Support of a request waiting for them, the reseller's
/// admins of a decision or of what AWS answered. Queued with the step; sent after the commit.
async fn notify(
    tx: &mut Transaction<'_, Any>,
    step: &Step<'_>,
    row: &Current,
    label: &str,
    to: LinkState,
) -> Result<()> {
    use LinkAction as A;
    let (recipients, next) = match (step.action, to) {
        (A::Created, _) => (
            Audience::ResellerAdmins,
            "The account is ready: its admin access went to the customer's primary contact as a one-time link. \
             If you need a set of credentials yourself, use Request credentials on the account.",
        ),
        (A::CreateFail, _) => (
            Audience::ResellerAdmins,
            "Request a new account again from the customer's Cloud accounts tab, with what AWS objected to corrected.",
        ),
        (A::RequestCredentials, _) => {
            (Audience::CloudSupport, "The reseller asked for credentials of their own to this account: the platform e-mailed them a one-time link to admin access. Nothing waits for you.")
        }
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
        (A::Invite | A::Cancel | A::Reinvite | A::Create, _) => return Ok(()),
    };
    let customer: String = sqlx::query_scalar("SELECT organization FROM customers WHERE id = $1")
        .bind(row.customer.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let step_words = step.action.past_tense_for(row.kind);
    let subject = format!("AWS account {label} of {customer}: {step_words}");
    let mut paragraphs = vec![format!("{step_words}: AWS account {label} of {customer}.")];
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
            format!("/customers/{}/accounts?account={}", row.customer.as_str(), step.account.as_str()),
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

pub(crate) type Template = fn(&str, &str, &str, &str, &str) -> crate::mail::OutgoingMail;

/// A message about the account's invitation to the customer's primary contact, who "will
/// receive platform/system notifications" unless their options say otherwise.
pub(crate) async fn contact_mail(
    tx: &mut Transaction<'_, Any>,
    row: &Current,
    expires_at: i64,
    template: Template,
) -> Result<Option<crate::mail::OutgoingMail>> {
    // Customer options → notification preferences: contacts may opt out (on by default).
    let opted_in: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT notify_cloud_accounts FROM customer_options WHERE customer_id = $1), 1)",
    )
    .bind(row.customer.as_str())
    .fetch_one(&mut **tx)
    .await?;
    if opted_in != 1 {
        return Ok(None);
    }
    let Contact { name, email, reseller, .. } = customers::contact(tx, &row.customer).await?;
    Ok(Some(template(&email, &name, &row.number, &date_time(expires_at), &reseller)))
}

/// The link columns every listing selects, with the account's as `a`.
pub const LINK_COLUMNS: &str = "a.link_state, a.handshake_id, a.invitation_expires_at";

/// The link of a row selected with [`LINK_COLUMNS`], with its history from [`histories`].
pub fn link_of(
    row: &sqlx::any::AnyRow,
    histories: &mut HashMap<CloudAccountId, Vec<LinkEvent>>,
    id: &CloudAccountId,
) -> Result<Link> {
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
pub async fn histories(db: &Db, accounts: &[CloudAccountId]) -> Result<HashMap<CloudAccountId, Vec<LinkEvent>>> {
    let mut histories: HashMap<CloudAccountId, Vec<LinkEvent>> = HashMap::new();
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
