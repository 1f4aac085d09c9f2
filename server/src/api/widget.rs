//! The widget's JSON API, per publishable key: what the widget in its iframe calls (same-origin,
//! JSON, typed with the shared request and response types). Every operation answers an
//! `ApiError` body for a refusal, with the statuses listed in its description.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use portico_domain::principal::ClientAddr;
use portico_domain::sessions::widget as sessions;
use portico_domain::test_drives::{self, instances};
use portico_domain::widget::{keys, login, reset, signup, verify};
use portico_domain::Error;
use portico_shared::api::ApiError;
use portico_shared::ids::InstanceId;
use portico_shared::login::{EmailRequest, LoginRequest, LoginResponse, WidgetAccount};
use portico_shared::signup::{SignupReceived, SignupRequest};
use portico_shared::test_drives::{Instance, LaunchRequest, TestDrive};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::caller::Caller;
use crate::error::Result;
use crate::json;
use crate::AppState;

/// The widget's tag in the API description.
pub const TAG: &str = "Widget";

/// The reseller's publishable key, as the embed tag's `data-key` carries it.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KeyPath {
    /// The reseller's publishable widget key (`pk_…`).
    key: String,
}

/// A test drive instance of the key's widget.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct InstancePath {
    /// The reseller's publishable widget key (`pk_…`).
    key: String,
    /// The instance's id (`tdi_…`).
    instance: String,
}

/// An empty JSON object: the answer of requests that only say they were received.
#[derive(Serialize, ToSchema)]
pub struct Received {}

fn received() -> Response {
    (StatusCode::ACCEPTED, Json(Received {})).into_response()
}

#[utoipa::path(
    post, path = "/api/v1/widgets/{key}/signups", tag = TAG,
    summary = "Sign up through the widget",
    description = "The same answer for a new and an existing e-mail; the owner of an existing one is e-mailed \
        instead. A repeat with the same `Idempotency-Key` and body gets the first answer.",
    params(KeyPath, ("Idempotency-Key" = Option<String>, Header, description = "1 to 200 characters; replays the \
        first answer for the same key and body.")),
    request_body(content = SignupRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Received; says what the person does next.", body = SignupReceived),
        (status = 400, description = "Not a JSON body of this shape, or a malformed Idempotency-Key \
            (`malformed_request`).", body = ApiError),
        (status = 403, description = "Sent from another site (`forbidden`).", body = ApiError),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 409, description = "Sent the way robots send forms: sooner than a person could fill it in after \
            the frame served its `form_token` (or with a forged or missing one), or with the hidden `website` field \
            filled (`send_again`). Nothing was stored; the person checks the form and sends it again.",
            body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
        (status = 422, description = "Refused fields, each with its code and message (`validation_failed`), or the \
            Idempotency-Key already used for another body (`idempotency_key_reused`).", body = ApiError),
        (status = 429, description = "Too many signups from this address or for this key (`rate_limited`).",
            body = ApiError, headers(("Retry-After" = i64, description = "Seconds to wait."))),
    ),
)]
pub async fn create_signup(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Extension(ClientAddr(peer)): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let request: SignupRequest = json::parse(&headers, &body)?;
    let idempotency_key = headers.get("idempotency-key").map(|value| value.to_str().ok());
    let attempt = signup::Signup { publishable_key: &key, request: &request, peer, idempotency_key };
    let answer = signup::sign_up(&state.portico, &attempt).await?;
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

#[utoipa::path(
    post, path = "/api/v1/widgets/{key}/verification-emails", tag = TAG,
    summary = "Send the e-mail confirmation link again",
    description = "Always 202 for a well-formed address, whether it has an account or not.",
    params(KeyPath),
    request_body(content = EmailRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Received.", body = Received),
        (status = 400, description = "Not a JSON body (`malformed_request`).", body = ApiError),
        (status = 403, description = "Sent from another site (`forbidden`).", body = ApiError),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
        (status = 422, description = "Not an e-mail address (`validation_failed`).", body = ApiError),
        (status = 429, description = "Too many requests from this address (`rate_limited`).",
            body = ApiError, headers(("Retry-After" = i64, description = "Seconds to wait."))),
    ),
)]
pub async fn resend_verification(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let request: EmailRequest = json::parse(&headers, &body)?;
    verify::resend_from_widget(&state.portico, &key, &request.email, client).await?;
    Ok(received())
}

#[utoipa::path(
    post, path = "/api/v1/widgets/{key}/sessions", tag = TAG,
    summary = "Log in a customer user",
    description = "Answers an opaque bearer token for the widget's later calls, also set as a partitioned cookie. \
        A wrong e-mail and a wrong password get one answer.",
    params(KeyPath),
    request_body(content = LoginRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Logged in.", body = LoginResponse,
            headers(("Set-Cookie" = String, description = "The session as a partitioned HttpOnly cookie."))),
        (status = 400, description = "Not a JSON body (`malformed_request`).", body = ApiError),
        (status = 401, description = "Wrong e-mail or password, one message for both (`login_failed`).",
            body = ApiError),
        (status = 403, description = "E-mail not confirmed (`email_not_verified`), account not active \
            (`account_inactive`), or sent from another site (`forbidden`).", body = ApiError),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
        (status = 429, description = "Too many failed attempts from this address (`rate_limited`).",
            body = ApiError, headers(("Retry-After" = i64, description = "Seconds to wait."))),
    ),
)]
pub async fn log_in(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Extension(ClientAddr(peer)): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let request: LoginRequest = json::parse(&headers, &body)?;
    let response = login::log_in(&state.portico, &key, &request, peer).await?;
    let cookie = sessions::cookie(&response.token);
    Ok((StatusCode::CREATED, [(SET_COOKIE, cookie)], Json(response)).into_response())
}

#[utoipa::path(
    get, path = "/api/v1/widgets/{key}/session", tag = TAG,
    summary = "The logged-in account",
    description = "`null` when nobody is logged in to this key's widget: the widget asks on every load.",
    params(KeyPath),
    security((), ("widgetBearer" = [])),
    responses(
        (status = 200, description = "The account, or null.", body = Option<WidgetAccount>),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
    ),
)]
pub async fn current_session(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Caller(principal): Caller,
) -> Result<Json<Option<WidgetAccount>>> {
    Ok(Json(login::current(&state.portico, &key, &principal).await?))
}

#[utoipa::path(
    delete, path = "/api/v1/widgets/{key}/session", tag = TAG,
    summary = "Log out",
    params(KeyPath),
    security(("widgetBearer" = [])),
    responses(
        (status = 204, description = "Logged out; the cookie is removed.",
            headers(("Set-Cookie" = String, description = "Removes the session cookie."))),
        (status = 401, description = "Nobody is logged in (`unauthorized`).", body = ApiError),
        (status = 403, description = "Sent from another site (`forbidden`).", body = ApiError),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
    ),
)]
pub async fn log_out(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Caller(principal): Caller,
) -> Result<Response> {
    login::log_out(&state.portico, &key, &principal).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, sessions::clear_cookie())]).into_response())
}

#[utoipa::path(
    post, path = "/api/v1/widgets/{key}/password-resets", tag = TAG,
    summary = "E-mail a link to choose a new password",
    description = "Always 202 for a well-formed address, whether it has an account or not. The link works once, \
        for an hour; a person gets at most one a minute.",
    params(KeyPath),
    request_body(content = EmailRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Received.", body = Received),
        (status = 400, description = "Not a JSON body (`malformed_request`).", body = ApiError),
        (status = 403, description = "Sent from another site (`forbidden`).", body = ApiError),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
        (status = 422, description = "Not an e-mail address (`validation_failed`).", body = ApiError),
        (status = 429, description = "Too many requests from this address (`rate_limited`).",
            body = ApiError, headers(("Retry-After" = i64, description = "Seconds to wait."))),
    ),
)]
pub async fn request_password_reset(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Extension(ClientAddr(peer)): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let request: EmailRequest = json::parse(&headers, &body)?;
    reset::request(&state.portico, &key, &request.email, peer).await?;
    Ok(received())
}

#[utoipa::path(
    get, path = "/api/v1/widgets/{key}/test-drives", tag = TAG,
    summary = "The reseller's Test Drives catalog",
    description = "Anyone visiting may see what is on offer; launching needs a login.",
    params(KeyPath),
    responses(
        (status = 200, description = "The entries on offer, oldest first.", body = Vec<TestDrive>),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
    ),
)]
pub async fn catalog(State(state): State<AppState>, Path(key): Path<String>) -> Result<Json<Vec<TestDrive>>> {
    let widget = keys::find(&state.portico.db, &key).await?;
    Ok(Json(test_drives::catalog(&state.portico.db, &widget.reseller_id).await?))
}

#[utoipa::path(
    get, path = "/api/v1/widgets/{key}/test-drive-instances", tag = TAG,
    summary = "The logged-in customer's test drives",
    params(KeyPath),
    security(("widgetBearer" = [])),
    responses(
        (status = 200, description = "Their instances, newest first.", body = Vec<Instance>),
        (status = 401, description = "Nobody is logged in to this widget (`unauthorized`).", body = ApiError),
        (status = 404, description = "Unknown widget key (`unknown_widget_key`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
    ),
)]
pub async fn instances(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Caller(principal): Caller,
) -> Result<Json<Vec<Instance>>> {
    let widget = keys::find(&state.portico.db, &key).await?;
    let session = principal.customer_of(&widget.reseller_id)?;
    Ok(Json(instances::list(&state.portico, session).await?))
}

#[utoipa::path(
    post, path = "/api/v1/widgets/{key}/test-drive-instances", tag = TAG,
    summary = "Launch a test drive",
    description = "For the logged-in customer (e-mail confirmed, account approved), within the test drive's launch \
        limit. It is Launching, then Running once its sandbox has started, or Failed with the provider's reason.",
    params(KeyPath),
    security(("widgetBearer" = [])),
    request_body(content = LaunchRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Launched.", body = Instance),
        (status = 400, description = "Not a JSON body with a test drive's id (`malformed_request`).", body = ApiError),
        (status = 401, description = "Nobody is logged in to this widget (`unauthorized`).", body = ApiError),
        (status = 403, description = "E-mail not confirmed (`email_not_verified`), account not active \
            (`account_inactive`), test drives not allowed for it, or sent from another site (`forbidden`).",
            body = ApiError),
        (status = 404, description = "Unknown widget key, or no such test drive on offer (`not_found`).",
            body = ApiError),
        (status = 409, description = "As many running as the launch limit allows (`conflict`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
    ),
)]
pub async fn launch(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    Caller(principal): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Instance>)> {
    let widget = keys::find(&state.portico.db, &key).await?;
    let session = principal.customer_of(&widget.reseller_id)?;
    let request: LaunchRequest = json::parse(&headers, &body)?;
    let launched = instances::launch(&state.portico, session, &request.test_drive).await?;
    Ok((StatusCode::CREATED, Json(launched)))
}

#[utoipa::path(
    post, path = "/api/v1/widgets/{key}/test-drive-instances/{instance}/stop", tag = TAG,
    summary = "Stop a test drive",
    description = "One of the customer's launching or running test drives; its sandbox is ended.",
    params(InstancePath),
    security(("widgetBearer" = [])),
    responses(
        (status = 200, description = "Stopped.", body = Instance),
        (status = 401, description = "Nobody is logged in to this widget (`unauthorized`).", body = ApiError),
        (status = 403, description = "Sent from another site (`forbidden`).", body = ApiError),
        (status = 404, description = "Unknown widget key, or not this customer's (`not_found`).", body = ApiError),
        (status = 409, description = "Already ended (`conflict`).", body = ApiError),
        (status = 410, description = "Revoked widget key (`revoked_widget_key`).", body = ApiError),
    ),
)]
pub async fn stop(
    State(state): State<AppState>,
    Path(InstancePath { key, instance }): Path<InstancePath>,
    Caller(principal): Caller,
) -> Result<Json<Instance>> {
    let widget = keys::find(&state.portico.db, &key).await?;
    let session = principal.customer_of(&widget.reseller_id)?;
    // An id of the wrong shape names no instance.
    let instance = InstanceId::parse(&instance).map_err(|_| Error::NotFound)?;
    Ok(Json(instances::stop(&state.portico, session, &instance).await?))
}
