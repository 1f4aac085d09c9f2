//! Calls to the platform's versioned widget API, same-origin from inside the iframe. Bodies are
//! the shared request types, written and read through the browser's JSON (see `json.rs`).

use portico_shared::api::Problem;
use portico_shared::ids::{InstanceId, ProviderId, TestDriveId};
use portico_shared::signup::{NextStep, SignupRequest};
use portico_shared::test_drives::{Instance, InstanceState, TestDrive};
use portico_shared::{Field, FieldError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::json::{Json, JsonObject};
use crate::words::{self, w};

pub enum Failure {
    /// The server refused these fields.
    Fields(Vec<FieldError>),
    /// Anything else, in words for the person filling the form.
    Message(String),
}

impl Failure {
    /// The refusal as one sentence or a few, for a note under a button.
    pub fn words(self) -> String {
        match self {
            Failure::Message(message) => message,
            Failure::Fields(errors) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "),
        }
    }
}

/// The server could not be reached, or answered something unreadable.
fn unreachable() -> Failure {
    Failure::Message(w().unreachable.into())
}

/// An error body's message in the widget's language, by its code.
fn message_of(error: &Json) -> String {
    let code = error.string("code").unwrap_or_default();
    match (words::api_message(&code), error.string("message")) {
        (Some(words), _) => words.into(),
        (None, Some(message)) => message,
        (None, None) => w().unreachable.into(),
    }
}

pub async fn signup(key: &str, body: &SignupRequest, idempotency_key: &str) -> Result<NextStep, Failure> {
    let payload = Field::SIGNUP
        .iter()
        .fold(JsonObject::new(), |object, field| object.set(field.name(), body.value(*field)))
        .set(Field::LicenseAccepted.name(), body.license_accepted)
        .set("website", body.website.as_str())
        .set("fill_ms", body.fill_ms as f64)
        .set("language", body.language.tag());
    let (ok, answer) = post(&format!("/api/v1/widgets/{key}/signups"), payload.text(), Some(idempotency_key)).await?;
    if !ok {
        return Err(refusal(&answer));
    }
    let step = answer.string("next_step");
    [NextStep::VerifyEmail, NextStep::AwaitApproval, NextStep::SignIn]
        .into_iter()
        .find(|next| step.as_deref() == Some(next.as_str()))
        .ok_or_else(unreachable)
}

/// Asks for another confirmation e-mail. The answer never says whether the address has an account.
pub async fn resend_verification(key: &str, email: &str) -> Result<(), Failure> {
    let payload = JsonObject::new().set("email", email);
    let (ok, answer) = post(&format!("/api/v1/widgets/{key}/verification-emails"), payload.text(), None).await?;
    if ok {
        Ok(())
    } else {
        Err(refusal(&answer))
    }
}

/// The reseller's Test Drives catalog, open to anyone visiting.
pub async fn test_drives(key: &str) -> Result<Vec<TestDrive>, Failure> {
    let (ok, answer) = send("GET", &format!("/api/v1/widgets/{key}/test-drives"), None, &[]).await?;
    if !ok {
        return Err(refusal(&answer));
    }
    let read = |entry: &Json| {
        Some(TestDrive {
            id: TestDriveId(entry.string("id")?),
            name: entry.string("name")?,
            description: entry.string("description")?,
            duration_minutes: entry.integer("duration_minutes")?,
            launch_limit: entry.integer("launch_limit")?,
            provider_id: ProviderId(entry.string("provider_id")?),
            provider_name: entry.string("provider_name")?,
            version: entry.integer("version")?,
        })
    };
    Ok(answer.items().iter().filter_map(read).collect())
}

/// The signed-in customer's launched test drives, newest first.
pub async fn test_drive_instances(key: &str, token: Option<&str>) -> Result<Vec<Instance>, Failure> {
    let (ok, answer) =
        send("GET", &format!("/api/v1/widgets/{key}/test-drive-instances"), None, &bearer(token)).await?;
    if !ok {
        return Err(refusal(&answer));
    }
    Ok(answer.items().iter().filter_map(read_instance).collect())
}

/// Launches test drive `drive`; the answer is the new instance, Launching.
pub async fn launch_test_drive(key: &str, token: Option<&str>, drive: &str) -> Result<Instance, Failure> {
    let payload = JsonObject::new().set("test_drive", drive).text().ok_or_else(unreachable)?;
    let url = format!("/api/v1/widgets/{key}/test-drive-instances");
    let (ok, answer) = send("POST", &url, Some(&payload), &bearer(token)).await?;
    // The launch limit and a customer without test drives come as a plain conflict and refusal.
    match answer.string("code").as_deref().and_then(words::launch_refusal) {
        Some(words) if !ok => Err(Failure::Message(words.into())),
        _ => instance_answer((ok, answer)),
    }
}

pub async fn stop_test_drive(key: &str, token: Option<&str>, instance: &str) -> Result<Instance, Failure> {
    let url = format!("/api/v1/widgets/{key}/test-drive-instances/{instance}/stop");
    instance_answer(send("POST", &url, None, &bearer(token)).await?)
}

fn instance_answer((ok, answer): (bool, Json)) -> Result<Instance, Failure> {
    if !ok {
        return Err(refusal(&answer));
    }
    read_instance(&answer).ok_or_else(unreachable)
}

fn read_instance(entry: &Json) -> Option<Instance> {
    Some(Instance {
        id: InstanceId(entry.string("id")?),
        test_drive: entry.string("test_drive")?,
        state: InstanceState::parse(&entry.string("state")?)?,
        launched_at: entry.integer("launched_at")?,
        expires_at: entry.integer("expires_at")?,
        ended_at: entry.integer("ended_at"),
        failure: entry.string("failure"),
    })
}

/// An API error body: its per-field messages when validation failed, else its message.
fn refusal(error: &Json) -> Failure {
    if error.string("code").as_deref() == Some("validation_failed") {
        let fields = error
            .list("fields")
            .iter()
            .filter_map(|entry| {
                Some(FieldError {
                    field: Field::from_name(&entry.string("field")?)?,
                    code: Problem::from_name(&entry.string("code")?)?,
                    message: entry.string("message")?,
                })
            })
            .collect();
        return Failure::Fields(fields);
    }
    Failure::Message(message_of(error))
}

/// POSTs JSON and returns whether the status was 2xx, with the parsed answer.
async fn post(url: &str, body: Option<String>, idempotency_key: Option<&str>) -> Result<(bool, Json), Failure> {
    let body = body.ok_or_else(unreachable)?;
    let headers: Vec<(&str, String)> =
        idempotency_key.map(|key| ("Idempotency-Key", key.to_owned())).into_iter().collect();
    send("POST", url, Some(&body), &headers).await
}

/// Sends a request to the platform (same origin) and reads the JSON answer, if any.
async fn send(method: &str, url: &str, body: Option<&str>, extra: &[(&str, String)]) -> Result<(bool, Json), Failure> {
    let failed = |_| unreachable();
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(failed)?;
    let headers = request.headers();
    if body.is_some() {
        headers.set("Content-Type", "application/json").map_err(failed)?;
    }
    for (name, value) in extra {
        headers.set(name, value).map_err(failed)?;
    }
    let window = web_sys::window().ok_or_else(unreachable)?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(failed)?.unchecked_into();
    // 204 has no body; anything unreadable reads as an empty object.
    let answer = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.unwrap_or(wasm_bindgen::JsValue::NULL),
        Err(_) => wasm_bindgen::JsValue::NULL,
    };
    Ok((response.ok(), Json::from_js(answer)))
}

/// The signed-in person, as the Login tab shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub email: String,
    pub organization: String,
    /// The customer's status, by its JSON name (`pending_approval`, `active`, …).
    pub status: String,
}

impl Account {
    fn read(json: &Json) -> Option<Account> {
        Some(Account {
            name: json.string("name")?,
            email: json.string("email")?,
            organization: json.string("organization")?,
            status: json.string("status")?,
        })
    }
}

/// Why a login did not go through, in the server's words, and whether confirming the e-mail
/// address is what is missing.
pub struct LoginRefusal {
    pub message: String,
    pub needs_verification: bool,
}

pub async fn login(key: &str, email: &str, password: &str) -> Result<(String, Account), LoginRefusal> {
    let payload = JsonObject::new().set("email", email).set("password", password);
    let refused = |message: String, needs_verification| LoginRefusal { message, needs_verification };
    let (ok, answer) = post(&format!("/api/v1/widgets/{key}/sessions"), payload.text(), None)
        .await
        .map_err(|_| refused(w().unreachable.into(), false))?;
    if !ok {
        let needs_verification = answer.string("code").as_deref() == Some("email_not_verified");
        return Err(refused(message_of(&answer), needs_verification));
    }
    let token = answer.string("token");
    let account = answer.get("account").as_ref().and_then(Account::read);
    token.zip(account).ok_or_else(|| refused(w().unreachable.into(), false))
}

/// The account of the current session (the token held in memory, else the session cookie),
/// or `None` when there is none.
pub async fn current_account(key: &str, token: Option<&str>) -> Option<Account> {
    let (ok, answer) = send("GET", &format!("/api/v1/widgets/{key}/session"), None, &bearer(token)).await.ok()?;
    if ok {
        Account::read(&answer)
    } else {
        None
    }
}

pub async fn logout(key: &str, token: Option<&str>) {
    let _ = send("DELETE", &format!("/api/v1/widgets/{key}/session"), None, &bearer(token)).await;
}

fn bearer(token: Option<&str>) -> Vec<(&'static str, String)> {
    token.map(|t| ("Authorization", format!("Bearer {t}"))).into_iter().collect()
}

/// Asks for a password link. The answer never says whether the address has an account.
pub async fn request_password_reset(key: &str, email: &str) -> Result<(), Failure> {
    let payload = JsonObject::new().set("email", email);
    let (ok, answer) = post(&format!("/api/v1/widgets/{key}/password-resets"), payload.text(), None).await?;
    if ok {
        Ok(())
    } else {
        Err(refusal(&answer))
    }
}
