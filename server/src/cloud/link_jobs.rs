//! The jobs of the link lifecycle: they ask AWS (through the gateway) and record its answers as
//! the platform's steps. Each reads the account first and does nothing when the step it was
//! written for is no longer due (the reseller canceled, another process got there first).

use portico_shared::aws::AccountId;
use portico_shared::cloud_links::{AccountKind, LinkAction, LinkState};
use sqlx::Row;

use crate::audit::Actor;
use crate::cloud::gateway::{CloudGateway, Creation, HandshakeState};
use crate::cloud::links::{self, take, AwsFact, By, LinkConfig, Step};
use crate::db::{now_ms, Db};
use crate::emails;
use crate::error::{Error, Result};
use crate::jobs::{self, Job};

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
pub async fn send_invitation(db: &Db, cloud: &dyn CloudGateway, config: &LinkConfig, account: &str) -> Result<Next> {
    let Some((number, state, _)) = link_row(db, account).await? else { return Ok(Next::Done) };
    if state != LinkState::Approved {
        return Ok(Next::Done);
    }
    let id = AccountId::parse(&number).map_err(|_| anyhow::anyhow!("stored account id {number:?} is not valid"))?;
    // An invitation this job sent before a crash is returned again, not sent twice.
    let handshake = cloud.invite_account(&id).await?;
    let step = Step { account, version: None, action: LinkAction::Invite, note: None, actor: &platform() };
    take(db, config, By::Platform, &step, Some(&AwsFact::Invitation(handshake))).await?;
    Ok(Next::Done)
}

/// Job: asks AWS what became of an invitation and records the answer; while it is open, runs
/// again after the polling interval, and at the latest when it expires.
pub async fn watch_handshake(
    db: &Db,
    cloud: &dyn CloudGateway,
    config: &LinkConfig,
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
            return Ok(Next::At((now_ms() + config.poll_ms).min(expires_at.max(now_ms() + 1000))));
        }
        HandshakeState::Accepted => LinkAction::Accept,
        HandshakeState::Declined => LinkAction::Decline,
        HandshakeState::Expired => LinkAction::Expire,
        // Only the reseller cancels, and that step already left Invited.
        HandshakeState::Canceled => return Ok(Next::Done),
    };
    let step = Step { account, version: None, action, note: None, actor: &platform() };
    match take(db, config, By::Platform, &step, None).await {
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
    let row = links::current(&mut tx, account, By::Platform).await?;
    if let Some(mail) = links::contact_mail(&mut tx, &row, expires_at, emails::aws_invitation_reminder).await? {
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

/// Job: asks AWS to create an approved new account, after looking for a request an earlier run
/// sent before a crash (CreateAccount is not idempotent: one request makes at most one account).
pub async fn create_account(db: &Db, cloud: &dyn CloudGateway, config: &LinkConfig, account: &str) -> Result<Next> {
    let Some(row) = new_account(db, account).await? else { return Ok(Next::Done) };
    if row.0 != LinkState::Approved {
        return Ok(Next::Done);
    }
    let (email, name) = (row.1, row.2);
    let request = match cloud.find_creation(&email).await? {
        Some(request) => request,
        None => cloud.create_account(&email, &name).await?,
    };
    let step = Step { account, version: None, action: LinkAction::Create, note: None, actor: &platform() };
    take(db, config, By::Platform, &step, Some(&AwsFact::CreationStarted(request))).await?;
    Ok(Next::Done)
}

/// Job: asks AWS how the creation of a new account goes, and records the account or the
/// failure with AWS's reason; while it runs, looks again after the polling interval.
pub async fn watch_creation(db: &Db, cloud: &dyn CloudGateway, config: &LinkConfig, account: &str) -> Result<Next> {
    let Some((state, _, _, request)) = new_account(db, account).await? else { return Ok(Next::Done) };
    let (LinkState::Creating, Some(request)) = (state, request) else { return Ok(Next::Done) };
    let (action, fact, note) = match cloud.creation(&request).await? {
        Creation::InProgress => return Ok(Next::At(now_ms() + config.poll_ms)),
        Creation::Succeeded(id) => (LinkAction::Created, Some(AwsFact::AccountCreated(id)), None),
        Creation::Failed(reason) => (LinkAction::CreateFail, None, Some(failure_words(&reason))),
    };
    let step = Step { account, version: None, action, note, actor: &platform() };
    take(db, config, By::Platform, &step, fact.as_ref()).await?;
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

/// (link state, root e-mail, account name, CreateAccount request) of a new account.
async fn new_account(db: &Db, account: &str) -> Result<Option<(LinkState, String, String, Option<String>)>> {
    let row = sqlx::query(
        "SELECT link_state, root_email, account_name, create_request_id FROM cloud_accounts WHERE id = $1 AND kind = $2",
    )
    .bind(account)
    .bind(AccountKind::New.as_str())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        let state: String = row.try_get("link_state")?;
        let state = LinkState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown link state {state:?}"))?;
        let name: Option<String> = row.try_get("account_name")?;
        Ok((state, row.try_get("root_email")?, name.unwrap_or_default(), row.try_get("create_request_id")?))
    })
    .transpose()
}
