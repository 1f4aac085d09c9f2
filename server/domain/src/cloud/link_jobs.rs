//! The jobs of the link lifecycle: they ask AWS (through the gateway) and record its answers as
//! the platform's steps. Each reads the account first and does nothing when the step it was
//! written for is no longer due (the reseller canceled, another process got there first).

use portico_shared::aws::AccountId;
use portico_shared::cloud_links::{AccountKind, LinkAction, LinkState};
use portico_shared::ids::CloudAccountId;
use sqlx::Row;

use crate::cloud::gateway::{Creation, HandshakeState};
use crate::cloud::links::{self, take, AwsFact, By, Step};
use crate::db::{now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job, Next};
use crate::principal::Actor;
use crate::Portico;

/// The platform as the actor of the steps it takes on AWS's answers.
fn platform() -> Actor {
    Actor { id: None, label: "Portico, on AWS's answer".into() }
}

/// Job: sends the AWS Organizations invitation of an approved account and records it.
pub async fn send_invitation(portico: &Portico, account: &CloudAccountId) -> Result<Next> {
    let Some(Account { number, state: LinkState::Approved, kind: AccountKind::Existing, .. }) =
        read(&portico.db, account).await?
    else {
        return Ok(Next::Done);
    };
    let id = AccountId::parse(&number).map_err(|_| anyhow::anyhow!("stored account id {number:?} is not valid"))?;
    // An invitation this job sent before a crash is returned again, not sent twice.
    let handshake = portico.cloud.invite_account(&id).await?;
    let step = Step { account, version: None, action: LinkAction::Invite, note: None, actor: &platform() };
    take(portico, By::Platform, &step, Some(&AwsFact::Invitation(handshake))).await?;
    Ok(Next::Done)
}

/// Job: asks AWS what became of an invitation and records the answer; while it is open, runs
/// again after the polling interval, and at the latest when it expires.
pub async fn watch_handshake(portico: &Portico, account: &CloudAccountId, handshake: &str) -> Result<Next> {
    let Some(row) = invited(&portico.db, account, handshake).await? else { return Ok(Next::Done) };
    let action = match portico.cloud.handshake_state(handshake).await? {
        HandshakeState::Open => {
            let expires_at = row.expires_at.unwrap_or_else(now_ms);
            let poll_ms = portico.settings.links.poll_ms;
            return Ok(Next::At((now_ms() + poll_ms).min(expires_at.max(now_ms() + 1000))));
        }
        HandshakeState::Accepted => LinkAction::Accept,
        HandshakeState::Declined => LinkAction::Decline,
        HandshakeState::Expired => LinkAction::Expire,
        // Only the reseller cancels, and that step already left Invited.
        HandshakeState::Canceled => return Ok(Next::Done),
    };
    let step = Step { account, version: None, action, note: None, actor: &platform() };
    match take(portico, By::Platform, &step, None).await {
        // The reseller canceled between our read and our write: nothing left to record.
        Ok(_) | Err(Error::Conflict(_)) => Ok(Next::Done),
        Err(e) => Err(e),
    }
}

/// Job: reminds the customer's primary contact of an invitation still unanswered.
pub async fn remind(db: &Db, account: &CloudAccountId, handshake: &str) -> Result<()> {
    let Some(expires_at) = invited(db, account, handshake).await?.and_then(|row| row.expires_at) else {
        return Ok(());
    };
    if expires_at <= now_ms() {
        // Too late to remind (the server was down): the expiry is recorded instead.
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let row = links::current(&mut tx, account, By::Platform).await?;
    if let Some(mail) = links::contact_mail(&mut tx, &row, expires_at, emails::aws_invitation_reminder).await? {
        jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The account while `handshake` is its open invitation; `None` once the link moved on.
async fn invited(db: &Db, account: &CloudAccountId, handshake: &str) -> Result<Option<Account>> {
    Ok(read(db, account)
        .await?
        .filter(|row| row.state == LinkState::Invited && row.handshake.as_deref() == Some(handshake)))
}

/// Job: asks AWS to create an approved new account, after looking for a request an earlier run
/// sent before a crash (CreateAccount is not idempotent: one request makes at most one account).
pub async fn create_account(portico: &Portico, account: &CloudAccountId) -> Result<Next> {
    let cloud = portico.cloud.as_ref();
    let Some(Account { email, name, state: LinkState::Approved, kind: AccountKind::New, .. }) =
        read(&portico.db, account).await?
    else {
        return Ok(Next::Done);
    };
    let request = match cloud.find_creation(&email, &name).await? {
        Some(request) => request,
        None => cloud.create_account(&email, &name).await?,
    };
    let step = Step { account, version: None, action: LinkAction::Create, note: None, actor: &platform() };
    take(portico, By::Platform, &step, Some(&AwsFact::CreationStarted(request))).await?;
    Ok(Next::Done)
}

/// Job: asks AWS how the creation of a new account goes, and records the account or the
/// failure with AWS's reason; while it runs, looks again after the polling interval.
pub async fn watch_creation(portico: &Portico, account: &CloudAccountId) -> Result<Next> {
    let Some(Account { state: LinkState::Creating, creation: Some(request), .. }) = read(&portico.db, account).await?
    else {
        return Ok(Next::Done);
    };
    let (action, fact, note) = match portico.cloud.creation(&request).await? {
        Creation::InProgress => return Ok(Next::At(now_ms() + portico.settings.links.poll_ms)),
        Creation::Succeeded(id) => (LinkAction::Created, Some(AwsFact::AccountCreated(id)), None),
        Creation::Failed(reason) => (LinkAction::CreateFail, None, Some(failure_words(&reason))),
    };
    let step = Step { account, version: None, action, note, actor: &platform() };
    take(portico, By::Platform, &step, fact.as_ref()).await?;
    Ok(Next::Done)
}

/// AWS's reason for a failed CreateAccount, with what to do about it.
fn failure_words(reason: &str) -> String {
    let advice = match reason {
        "EMAIL_ALREADY_EXISTS" => "This e-mail address already belongs to an AWS account: use one never used with AWS.",
        "INVALID_EMAIL" => "AWS does not accept this e-mail address.",
        "ACCOUNT_LIMIT_EXCEEDED" => {
            "The organization has reached its limit of accounts: Cloud Support can ask AWS to raise it."
        }
        _ => "AWS gave no more detail.",
    };
    format!("{reason}: {advice}")
}

/// What a job reads of its account.
struct Account {
    number: String,
    state: LinkState,
    kind: AccountKind,
    handshake: Option<String>,
    expires_at: Option<i64>,
    email: String,
    name: String,
    creation: Option<String>,
}

/// The account a job is about; `None` when it no longer exists.
async fn read(db: &Db, account: &CloudAccountId) -> Result<Option<Account>> {
    let row = sqlx::query(
        "SELECT account_number, link_state, kind, handshake_id, invitation_expires_at, root_email, account_name, \
         create_request_id FROM cloud_accounts WHERE id = $1",
    )
    .bind(account)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        let state: String = row.try_get("link_state")?;
        let kind: String = row.try_get("kind")?;
        let name: Option<String> = row.try_get("account_name")?;
        Ok(Account {
            number: row.try_get("account_number")?,
            state: LinkState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown link state {state:?}"))?,
            kind: AccountKind::parse(&kind).ok_or_else(|| anyhow::anyhow!("unknown account kind {kind:?}"))?,
            handshake: row.try_get("handshake_id")?,
            expires_at: row.try_get("invitation_expires_at")?,
            email: row.try_get("root_email")?,
            name: name.unwrap_or_default(),
            creation: row.try_get("create_request_id")?,
        })
    })
    .transpose()
}
