//! `POST /api/v1/widgets/{key}/signups`: an end customer asks for an account through the widget.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_shared::signup::{NextStep, SignupReceived, SignupRequest};

use crate::customers::{self, SignupOutcome};
use crate::error::{is_unique_violation, Error, Result};
use crate::idempotency::IdempotencyKey;
use crate::widget::keys;
use crate::AppState;

#[tracing::instrument(skip_all, fields(widget_key = %publishable_key))]
pub async fn create(
    State(state): State<AppState>,
    Path(publishable_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let widget = keys::find(&state.db, &publishable_key).await?;
    let request: SignupRequest = crate::json::parse(&headers, &body)?;
    let signup = request.validate().map_err(Error::Validation)?;

    let idempotency = IdempotencyKey::from_headers(&headers, widget.id.as_str(), &fingerprint(&request))?;
    if let Some(key) = &idempotency {
        if let Some(replay) = key.replay(&state.db).await? {
            return Ok(json_response(replay.status, replay.body));
        }
    }

    // Hash before looking the e-mail up, so a known e-mail costs the same time as a new one.
    let password_hash = state.hasher.hash(signup.password.expose()).await?;
    let body =
        serde_json::to_string(&SignupReceived { next_step: NextStep::AwaitApproval }).map_err(anyhow::Error::from)?;
    let status = StatusCode::ACCEPTED;

    let mut tx = state.db.pool.begin().await?;
    if let Some(key) = &idempotency {
        if let Err(e) = key.record(&mut tx, status, &body).await {
            return replay_after_race(&state, key, e).await;
        }
    }
    match customers::create_from_signup(&mut tx, &widget.reseller_id, &signup, &password_hash).await? {
        SignupOutcome::Created(customer) => {
            tx.commit().await?;
            tracing::info!(%customer, "widget signup stored, awaiting approval");
        }
        SignupOutcome::EmailTaken => {
            // Nothing new to store, and the answer must not differ from a new signup's.
            tx.rollback().await?;
            if let Some(key) = &idempotency {
                let mut tx = state.db.pool.begin().await?;
                match key.record(&mut tx, status, &body).await {
                    Ok(()) => tx.commit().await?,
                    Err(e) => return replay_after_race(&state, key, e).await,
                }
            }
            tracing::info!("widget signup for an existing e-mail; nothing stored");
        }
    }
    Ok(json_response(status, body))
}

/// Another request with the same Idempotency-Key committed first: answer as it did.
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

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
