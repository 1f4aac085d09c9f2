//! Calls to the platform's versioned widget API, same-origin from inside the iframe, through
//! gloo-net with the shared request and response types. Bodies go through serde into the
//! browser's own JSON (serde-wasm-bindgen and `JSON.parse` / `JSON.stringify`): serde_json's
//! parser would add tens of kilobytes to every reseller page view.

use gloo_net::http::{Request, RequestBuilder};
use portico_shared::api::{ApiError, ErrorCode};
use portico_shared::ids::{InstanceId, TestDriveId};
use portico_shared::login::{EmailRequest, LoginRequest, LoginResponse, WidgetAccount};
use portico_shared::signup::{NextStep, SignupReceived, SignupRequest};
use portico_shared::test_drives::{Instance, LaunchRequest, TestDrive};
use portico_shared::FieldError;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::words::{self, w};

/// Why a request did not do what was asked.
pub enum Failure {
    /// The server refused these fields.
    Fields(Vec<FieldError>),
    /// Anything else, in words for the person filling the form, and the server's code if it sent one.
    Message(String, Option<ErrorCode>),
}

impl Failure {
    /// The refusal as one sentence or a few, for a note under a button.
    pub fn words(self) -> String {
        match self {
            Failure::Message(message, _) => message,
            Failure::Fields(errors) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "),
        }
    }

    fn code(&self) -> Option<ErrorCode> {
        match self {
            Failure::Message(_, code) => *code,
            Failure::Fields(_) => Some(ErrorCode::ValidationFailed),
        }
    }
}

/// The server could not be reached, or answered something unreadable.
fn unreachable() -> Failure {
    Failure::Message(w().unreachable.into(), None)
}

/// An error body: its per-field messages when validation failed, else its message in the
/// widget's language.
fn refusal(error: ApiError) -> Failure {
    if error.code == ErrorCode::ValidationFailed && !error.fields.is_empty() {
        return Failure::Fields(error.fields);
    }
    let message = words::api_message(error.code).map_or(error.message, str::to_owned);
    Failure::Message(message, Some(error.code))
}

fn url(key: &str, path: &str) -> String {
    format!("/api/v1/widgets/{key}/{path}")
}

/// The body as JSON text, written by the browser.
fn json<T: Serialize>(body: &T) -> Result<String, Failure> {
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| unreachable())?;
    js_sys::JSON::stringify(&value).ok().and_then(|text| text.as_string()).ok_or_else(unreachable)
}

/// Sends the request and reads the answer as `T`, or the refusal.
async fn send<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, Failure> {
    let response = request.map_err(|_| unreachable())?.send().await.map_err(|_| unreachable())?;
    let text = response.text().await.map_err(|_| unreachable())?;
    // 204 has no body: it reads as JSON null.
    let value = if text.is_empty() {
        wasm_bindgen::JsValue::NULL
    } else {
        js_sys::JSON::parse(&text).map_err(|_| unreachable())?
    };
    if response.ok() {
        serde_wasm_bindgen::from_value(value).map_err(|_| unreachable())
    } else {
        Err(serde_wasm_bindgen::from_value(value).map_or_else(|_| unreachable(), refusal))
    }
}

fn post<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    // A body that cannot be written is sent empty, and refused by the server as malformed.
    let text = json(body).unwrap_or_default();
    builder.header("Content-Type", "application/json").body(text)
}

fn bearer(builder: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

pub async fn signup(key: &str, body: &SignupRequest, idempotency_key: &str) -> Result<NextStep, Failure> {
    let builder = Request::post(&url(key, "signups")).header("Idempotency-Key", idempotency_key);
    let received: SignupReceived = send(post(builder, body)).await?;
    Ok(received.next_step)
}

/// Asks for another confirmation e-mail. The answer never says whether the address has an account.
pub async fn resend_verification(key: &str, email: &str) -> Result<(), Failure> {
    let body = EmailRequest { email: email.to_owned() };
    send::<serde::de::IgnoredAny>(post(Request::post(&url(key, "verification-emails")), &body)).await.map(drop)
}

/// Asks for a password link. The answer never says whether the address has an account.
pub async fn request_password_reset(key: &str, email: &str) -> Result<(), Failure> {
    let body = EmailRequest { email: email.to_owned() };
    send::<serde::de::IgnoredAny>(post(Request::post(&url(key, "password-resets")), &body)).await.map(drop)
}

pub async fn login(key: &str, email: &str, password: &str) -> Result<LoginResponse, Failure> {
    let body = LoginRequest { email: email.to_owned(), password: password.to_owned() };
    send(post(Request::post(&url(key, "sessions")), &body)).await
}

/// Whether a login was refused because the e-mail address is not confirmed yet.
pub fn needs_verification(failure: &Failure) -> bool {
    failure.code() == Some(ErrorCode::EmailNotVerified)
}

/// The account of the current session (the token held in memory, else the session cookie),
/// or `None` when there is none.
pub async fn current_account(key: &str, token: Option<&str>) -> Option<WidgetAccount> {
    send::<Option<WidgetAccount>>(bearer(Request::get(&url(key, "session")), token).build()).await.ok().flatten()
}

pub async fn logout(key: &str, token: Option<&str>) {
    let _ = send::<serde::de::IgnoredAny>(bearer(Request::delete(&url(key, "session")), token).build()).await;
}

/// The reseller's Test Drives catalog, open to anyone visiting.
pub async fn test_drives(key: &str) -> Result<Vec<TestDrive>, Failure> {
    send(Request::get(&url(key, "test-drives")).build()).await
}

/// The signed-in customer's launched test drives, newest first.
pub async fn test_drive_instances(key: &str, token: Option<&str>) -> Result<Vec<Instance>, Failure> {
    send(bearer(Request::get(&url(key, "test-drive-instances")), token).build()).await
}

/// Launches test drive `drive`; the answer is the new instance, Launching.
pub async fn launch_test_drive(key: &str, token: Option<&str>, drive: &TestDriveId) -> Result<Instance, Failure> {
    let body = LaunchRequest { test_drive: drive.clone() };
    let builder = bearer(Request::post(&url(key, "test-drive-instances")), token);
    // The launch limit and a customer without test drives come as a plain conflict and refusal.
    send(post(builder, &body)).await.map_err(|failure| match failure.code().and_then(words::launch_refusal) {
        Some(words) => Failure::Message(words.into(), failure.code()),
        None => failure,
    })
}

pub async fn stop_test_drive(key: &str, token: Option<&str>, instance: &InstanceId) -> Result<Instance, Failure> {
    let path = format!("test-drive-instances/{instance}/stop");
    send(bearer(Request::post(&url(key, &path)), token).build()).await
}
