//! Calls to the platform's versioned widget API, same-origin from inside the iframe. Bodies are
//! the shared request types, written and read through the browser's JSON (see `json.rs`).

use portico_shared::api::Problem;
use portico_shared::signup::{NextStep, SignupRequest};
use portico_shared::{Field, FieldError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::json::{Json, JsonObject};

pub enum Failure {
    /// The server refused these fields.
    Fields(Vec<FieldError>),
    /// Anything else, in words for the person filling the form.
    Message(String),
}

const UNREACHABLE: &str = "We could not reach the server. Check your connection and try again.";

pub async fn signup(key: &str, body: &SignupRequest, idempotency_key: &str) -> Result<NextStep, Failure> {
    let payload = Field::SIGNUP
        .iter()
        .fold(JsonObject::new(), |object, field| object.set(field.name(), body.value(*field)))
        .set(Field::LicenseAccepted.name(), body.license_accepted);
    let (ok, answer) = post(&format!("/api/v1/widgets/{key}/signups"), payload.text(), Some(idempotency_key)).await?;
    if !ok {
        return Err(refusal(&answer));
    }
    let step = answer.string("next_step");
    [NextStep::VerifyEmail, NextStep::AwaitApproval, NextStep::SignIn]
        .into_iter()
        .find(|next| step.as_deref() == Some(next.as_str()))
        .ok_or(Failure::Message(UNREACHABLE.into()))
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
    Failure::Message(error.string("message").unwrap_or_else(|| UNREACHABLE.into()))
}

/// POSTs JSON and returns whether the status was 2xx, with the parsed answer.
async fn post(url: &str, body: Option<String>, idempotency_key: Option<&str>) -> Result<(bool, Json), Failure> {
    let unreachable = |_| Failure::Message(UNREACHABLE.into());
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.ok_or(Failure::Message(UNREACHABLE.into()))?.into());
    let request = Request::new_with_str_and_init(url, &init).map_err(unreachable)?;
    let headers = request.headers();
    headers.set("Content-Type", "application/json").map_err(unreachable)?;
    if let Some(key) = idempotency_key {
        headers.set("Idempotency-Key", key).map_err(unreachable)?;
    }
    let window = web_sys::window().ok_or(Failure::Message(UNREACHABLE.into()))?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(unreachable)?.unchecked_into();
    let answer = JsFuture::from(response.json().map_err(unreachable)?).await.map_err(unreachable)?;
    Ok((response.ok(), Json::from_js(answer)))
}
