//! Calls to the platform's versioned widget API, same-origin from inside the iframe.

use gloo_net::http::Request;
use portico_shared::api::{ApiError, ErrorCode, FieldError};
use portico_shared::signup::{SignupReceived, SignupRequest};

pub enum Failure {
    /// The server refused these fields.
    Fields(Vec<FieldError>),
    /// Anything else, in words for the person filling the form.
    Message(String),
}

const UNREACHABLE: &str = "We could not reach the server. Check your connection and try again.";

pub async fn signup(key: &str, body: &SignupRequest, idempotency_key: &str) -> Result<SignupReceived, Failure> {
    let url = format!("/api/v1/widgets/{key}/signups");
    let response = Request::post(&url)
        .header("Idempotency-Key", idempotency_key)
        .json(body)
        .map_err(|_| Failure::Message(UNREACHABLE.into()))?
        .send()
        .await
        .map_err(|_| Failure::Message(UNREACHABLE.into()))?;
    if response.ok() {
        return response.json().await.map_err(|_| Failure::Message(UNREACHABLE.into()));
    }
    match response.json::<ApiError>().await {
        Ok(error) if error.code == ErrorCode::ValidationFailed => Err(Failure::Fields(error.fields)),
        Ok(error) => Err(Failure::Message(error.message)),
        Err(_) => Err(Failure::Message(UNREACHABLE.into())),
    }
}
