//! `POST /api/v1/widgets/{key}/signups`: an end customer asks for an account through the widget.
//!
//! The answer depends only on the reseller's options and the e-mail's domain, never on whether
//! the e-mail already has an account, and both cases do the same hashing work: the response
//! cannot tell anyone who has an account. The owner of an existing account gets an e-mail instead.

use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
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
use crate::{emails, signup_options, AppState};

/// Signups through one widget key, whatever the address.
const PER_KEY: Limit = Limit { hits: 10_000, window_ms: 60 * 60 * 1000 };

#[tracing::instrument(skip_all, fields(widget_key = %publishable_key))]
pub async fn create(
    State(state): State<AppState>,
    Path(publishable_key): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let widget = keys::find(&state.db, &publishable_key).await?;
    let options = signup_options::load(&state.db, &widget.reseller_id).await?;
    let request: SignupRequest = crate::json::parse(&headers, &body)?;
    let signup = request.validate(options.form_rules()).map_err(Error::Validation)?;
    let approval = options.approval_for(&signup.email);
    let next_step = next_step(&options, approval);
    let body = serde_json::to_string(&SignupReceived { next_step }).map_err(anyhow::Error::from)?;
    let status = StatusCode::ACCEPTED;
    if request.looks_automated(state.config.signup_min_fill_ms) {
        tracing::info!("widget signup looked automated; answered and dropped");
        return Ok(json_response(status, body));
    }

    let idempotency = IdempotencyKey::from_headers(&headers, widget.id.as_str(), &fingerprint(&request))?;
    if let Some(key) = &idempotency {
        if let Some(replay) = key.replay(&state.db).await? {
            return Ok(json_response(replay.status, replay.body));
        }
    }

    // Counted only now: corrected typos and replays cost nothing, hashing does.
    let per_ip = Limit { hits: state.config.signups_per_ip_per_hour, window_ms: 60 * 60 * 1000 };
    for (key, limit) in [(format!("signup:ip:{}", peer.ip()), per_ip), (format!("signup:key:{}", widget.id), PER_KEY)] {
        throttle::admit(&state.db, &key, limit).await?;
    }

    // Hash before looking the e-mail up, so a known e-mail costs the same time as a new one.
    let password_hash = state.hasher.hash(signup.password.expose()).await?;

    let mut tx = state.db.begin_write().await?;
    if let Some(key) = &idempotency {
        if let Err(e) = key.record(&mut tx, status, &body).await {
            tx.rollback().await?;
            return replay_after_race(&state, key, e).await;
        }
    }
    let initial = if next_step == NextStep::SignIn { CustomerStatus::Active } else { CustomerStatus::PendingApproval };
    match customers::create_from_signup(&mut tx, &widget.reseller_id, &signup, &password_hash, initial).await? {
        SignupOutcome::Created { customer, user } => {
            let mail = match next_step {
                NextStep::VerifyEmail => {
                    let token = email_tokens::issue(&mut tx, Purpose::VerifyEmail, &user).await?;
                    let link = format!("{}/widget/v1/verify?token={token}", state.public_origin);
                    emails::verify_email(
                        signup.language,
                        signup.email.as_str(),
                        &signup.details.contact_name,
                        &widget.reseller_name,
                        &link,
                    )
                }
                NextStep::AwaitApproval => emails::signup_received(
                    signup.language,
                    signup.email.as_str(),
                    &signup.details.contact_name,
                    &widget.reseller_name,
                ),
                NextStep::SignIn => emails::account_ready(
                    signup.language,
                    signup.email.as_str(),
                    &signup.details.contact_name,
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
            let mut tx = state.db.begin_write().await?;
            if let Some(key) = &idempotency {
                if let Err(e) = key.record(&mut tx, status, &body).await {
                    tx.rollback().await?;
                    return replay_after_race(&state, key, e).await;
                }
            }
            notify_existing_owner(&mut tx, &widget, &signup).await?;
            tx.commit().await?;
            tracing::info!("widget signup for an existing e-mail; the owner was told");
        }
    }
    state.jobs.wake();
    Ok(json_response(status, body))
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

/// Another request with the same Idempotency-Key committed first: answer as it did. Called after
/// the losing transaction ended: reading through the pool while holding SQLite's write lock
/// could wait for a connection that a writer queued behind that lock holds.
async fn replay_after_race(state: &AppState, key: &IdempotencyKey, error: sqlx::Error) -> Result<Response> {
    if !is_unique_violation(&error) {
        return Err(error.into());
    }
    let replay = key.replay(&state.db).await?.ok_or(Error::Internal(anyhow::anyhow!("idempotency record vanished")))?;
    Ok(json_response(replay.status, replay.body))
}

/// The request as the idempotency record remembers it: everything but the passwords, which must
/// not be stored under a fast hash.
fn fingerprint(request: &SignupRequest) -> Vec<u8> {
    let mut without_secrets = request.clone();
    without_secrets.password.clear();
    without_secrets.verify_password.clear();
    serde_json::to_vec(&without_secrets).unwrap_or_default()
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
