//! Signup through the widget: an end customer asks for an account on a reseller's website.
//!
//! The answer depends only on the reseller's options and the e-mail's domain, never on whether
//! the e-mail already has an account, and both cases do the same hashing work: the answer cannot
//! tell anyone who has an account. The owner of an existing account gets an e-mail instead.

use std::net::IpAddr;

use portico_shared::customer::CustomerStatus;
use portico_shared::signup::{NextStep, SignupReceived, SignupRequest, ValidSignup};
use portico_shared::signup_options::{Approval, SignupOptions};
use sqlx::{Any, Transaction};

use crate::customers::{self, SignupOutcome};
use crate::email_tokens::{self, Purpose};
use crate::error::{is_unique_violation, Error, Result};
use crate::idempotency::IdempotencyKey;
use crate::jobs::{self, Job};
use crate::throttle::{self, Limit};
use crate::widget::keys::{self, WidgetKey};
use crate::{emails, signup_options, Portico};

/// Signups through one widget key, whatever the address.
const PER_KEY: Limit = Limit { hits: 10_000, window_ms: 60 * 60 * 1000 };

/// The status code of every signup's answer: the request was received.
const RECEIVED: u16 = 202;

/// A signup as it reached the server.
pub struct Signup<'a> {
    pub publishable_key: &'a str,
    pub request: &'a SignupRequest,
    pub peer: IpAddr,
    /// The `Idempotency-Key` header: absent, or its value (`None` when it is not text).
    pub idempotency_key: Option<Option<&'a str>>,
}

/// Checks and stores a signup; answers what the person does next. A repeat of a request with
/// the same `Idempotency-Key` gets the first answer.
#[tracing::instrument(skip_all, fields(widget_key = %signup.publishable_key))]
pub async fn sign_up(portico: &Portico, signup: &Signup<'_>) -> Result<SignupReceived> {
    let db = &portico.db;
    let widget = keys::find(db, signup.publishable_key).await?;
    let options = signup_options::load(db, &widget.reseller_id).await?;
    let request = signup.request;
    let valid = request.validate(options.form_rules()).map_err(Error::Validation)?;
    let next_step = next_step(&options, options.approval_for(&valid.email));
    let answer = SignupReceived { next_step };
    let body = serde_json::to_string(&answer).map_err(anyhow::Error::from)?;
    // Robots fill the hidden field, or send the form sooner than a person could fill it in
    // (timed from the token the frame was served with). Nothing is stored, and nothing claims it
    // was: the answer asks to send it again, which a person whose browser filled the form in at
    // once simply does.
    let min_age = i64::try_from(portico.settings.signup_min_fill_ms).unwrap_or(i64::MAX);
    let age = portico.settings.form_key.age_ms(&request.form_token, crate::db::now_ms());
    if request.filled_hidden_field() || age.is_none_or(|age| age < min_age) {
        tracing::info!(form_age_ms = ?age, "widget signup looked automated; asked to send it again");
        return Err(Error::SendAgain);
    }

    let idempotency = IdempotencyKey::from_header(signup.idempotency_key, widget.id.as_str(), &fingerprint(request))?;
    if let Some(key) = &idempotency {
        if let Some(replay) = key.replay(db).await? {
            return replayed(&replay.body);
        }
    }

    // Counted only now: corrected typos and replays cost nothing, hashing does.
    let per_ip = Limit { hits: portico.settings.signups_per_ip_per_hour, window_ms: 60 * 60 * 1000 };
    let ip_key = format!("signup:ip:{}", throttle::address_key(signup.peer));
    let widget_key = format!("signup:key:{}", widget.id);
    for (key, limit) in [(ip_key, per_ip), (widget_key, PER_KEY)] {
        throttle::admit(db, &key, limit).await?;
    }

    // Hash before looking the e-mail up, so a known e-mail costs the same time as a new one.
    let password_hash = portico.hasher.hash(valid.password.expose()).await?;

    let mut tx = db.begin_write().await?;
    if let Some(key) = &idempotency {
        if let Err(e) = key.record(&mut tx, RECEIVED, &body).await {
            tx.rollback().await?;
            return replay_after_race(portico, key, e).await;
        }
    }
    let initial = if next_step == NextStep::SignIn { CustomerStatus::Active } else { CustomerStatus::PendingApproval };
    match customers::create_from_signup(&mut tx, &widget.reseller_id, &valid, &password_hash, initial).await? {
        SignupOutcome::Created { customer, user } => {
            let mail = match next_step {
                NextStep::VerifyEmail => {
                    let token = email_tokens::issue(&mut tx, Purpose::VerifyEmail, &user).await?;
                    let link = format!("{}/widget/v1/verify?token={token}", portico.settings.public_origin);
                    emails::verify_email(
                        valid.language,
                        valid.email.as_str(),
                        &valid.details.contact_name,
                        &widget.reseller_name,
                        &link,
                    )
                }
                NextStep::AwaitApproval => emails::signup_received(
                    valid.language,
                    valid.email.as_str(),
                    &valid.details.contact_name,
                    &widget.reseller_name,
                ),
                NextStep::SignIn => emails::account_ready(
                    valid.language,
                    valid.email.as_str(),
                    &valid.details.contact_name,
                    &widget.reseller_name,
                ),
            };
            jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await?;
            tx.commit().await?;
            tracing::info!(%customer, ?next_step, "widget signup stored");
        }
        SignupOutcome::EmailTaken => {
            // Whatever the first transaction wrote is undone; only the notice and the
            // idempotency record are kept.
            tx.rollback().await?;
            let mut tx = db.begin_write().await?;
            if let Some(key) = &idempotency {
                if let Err(e) = key.record(&mut tx, RECEIVED, &body).await {
                    tx.rollback().await?;
                    return replay_after_race(portico, key, e).await;
                }
            }
            notify_existing_owner(&mut tx, &widget, &valid).await?;
            tx.commit().await?;
            tracing::info!("widget signup for an existing e-mail; the owner was told");
        }
    }
    portico.jobs.wake();
    Ok(answer)
}

/// What the person does next, from the options alone.
pub fn next_step(options: &SignupOptions, approval: Approval) -> NextStep {
    match (options.require_email_verification, approval) {
        (true, _) => NextStep::VerifyEmail,
        (false, Approval::Automatic) => NextStep::SignIn,
        (false, Approval::ByReseller) => NextStep::AwaitApproval,
    }
}

async fn notify_existing_owner(tx: &mut Transaction<'_, Any>, widget: &WidgetKey, signup: &ValidSignup) -> Result<()> {
    // In the language of whoever just tried: most likely the owner.
    let mail = emails::already_registered(signup.language, signup.email.as_str(), &widget.reseller_name);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await
}

/// The answer stored for an `Idempotency-Key`.
fn replayed(body: &str) -> Result<SignupReceived> {
    Ok(serde_json::from_str(body).map_err(anyhow::Error::from)?)
}

/// Another request with the same Idempotency-Key committed first: answer as it did. Called after
/// the losing transaction ended: reading through the pool while holding SQLite's write lock
/// could wait for a connection that a writer queued behind that lock holds.
async fn replay_after_race(portico: &Portico, key: &IdempotencyKey, error: sqlx::Error) -> Result<SignupReceived> {
    if !is_unique_violation(&error) {
        return Err(error.into());
    }
    let replay =
        key.replay(&portico.db).await?.ok_or(Error::Internal(anyhow::anyhow!("idempotency record vanished")))?;
    replayed(&replay.body)
}

/// The request as the idempotency record remembers it: everything but the passwords, which must
/// not be stored under a fast hash.
fn fingerprint(request: &SignupRequest) -> Vec<u8> {
    let mut without_secrets = request.clone();
    without_secrets.password.clear();
    without_secrets.verify_password.clear();
    serde_json::to_vec(&without_secrets).unwrap_or_default()
}
