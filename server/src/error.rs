//! The one error type of the server. Every handler returns `Result<T>`; the response body is the
//! shared `ApiError`, with a stable code, and never the internals of a 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_shared::api::{ApiError, ErrorCode, FieldError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("request body is not valid: {0}")]
    MalformedRequest(String),
    #[error("{} field(s) refused", .0.len())]
    Validation(Vec<FieldError>),
    #[error("unknown widget key")]
    UnknownWidgetKey,
    #[error("revoked widget key")]
    RevokedWidgetKey,
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    /// The change does not fit the current state (changed meanwhile, or not allowed now); the
    /// text says why, in words for the person who asked.
    #[error("conflict: {0}")]
    Conflict(std::borrow::Cow<'static, str>),
    #[error("idempotency key reused with a different request")]
    IdempotencyKeyReused,
    #[error("login refused")]
    LoginFailed,
    #[error("e-mail address not verified")]
    EmailNotVerified,
    #[error("account not active")]
    AccountInactive,
    #[error("too many attempts; retry in {seconds} s")]
    RateLimited { seconds: i64 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            Error::MalformedRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::MalformedRequest),
            Error::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ValidationFailed),
            Error::UnknownWidgetKey => (StatusCode::NOT_FOUND, ErrorCode::UnknownWidgetKey),
            Error::RevokedWidgetKey => (StatusCode::GONE, ErrorCode::RevokedWidgetKey),
            Error::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            Error::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Error::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            Error::IdempotencyKeyReused => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::IdempotencyKeyReused),
            Error::LoginFailed => (StatusCode::UNAUTHORIZED, ErrorCode::LoginFailed),
            Error::EmailNotVerified => (StatusCode::FORBIDDEN, ErrorCode::EmailNotVerified),
            Error::AccountInactive => (StatusCode::FORBIDDEN, ErrorCode::AccountInactive),
            Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            Error::Database(_) | Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }

    fn public_message(&self) -> String {
        match self {
            Error::MalformedRequest(detail) => {
                format!("The request body could not be read: {detail}.")
            }
            Error::Validation(_) => "Some fields need your attention.".into(),
            Error::UnknownWidgetKey => "This widget key is not known. Check the data-key of the embed tag.".into(),
            Error::RevokedWidgetKey => {
                "This widget key has been revoked. The reseller needs to embed their current key.".into()
            }
            Error::Unauthorized => "Please sign in.".into(),
            Error::Forbidden(why) => (*why).into(),
            Error::NotFound => "Not found.".into(),
            Error::Conflict(why) => why.to_string(),
            Error::IdempotencyKeyReused => "This Idempotency-Key was already used for a different request.".into(),
            Error::LoginFailed => "That e-mail and password do not match an account.".into(),
            Error::EmailNotVerified => {
                "Please confirm your e-mail address first: open the link we sent you, or ask for a new one.".into()
            }
            Error::AccountInactive => {
                "This account is not active. Please contact the company you signed up with.".into()
            }
            Error::RateLimited { seconds } => {
                format!("Too many attempts. Please wait {} and try again.", crate::error::duration_words(*seconds))
            }
            Error::Database(_) | Error::Internal(_) => "Something went wrong on our side. Please try again.".into(),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            // The cause chain goes to the log only; the body says nothing about internals.
            tracing::error!(error = %cause_chain(&self), "request failed");
        }
        let message = self.public_message();
        let retry_after = match &self {
            Error::RateLimited { seconds } => Some(*seconds),
            _ => None,
        };
        let fields = match self {
            Error::Validation(fields) => fields,
            _ => Vec::new(),
        };
        let mut response = (status, Json(ApiError { code, message, fields })).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// "2 minutes", "1 minute", "40 seconds".
pub fn duration_words(seconds: i64) -> String {
    match seconds {
        s if s >= 120 => format!("{} minutes", (s + 59) / 60),
        s if s >= 60 => "a minute".into(),
        1 => "a second".into(),
        s => format!("{s} seconds"),
    }
}

/// "outer: inner: innermost", for the log.
fn cause_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Is this database error a violation of a uniqueness constraint? Both backends report it with
/// SQLSTATE-like codes: 23505 on PostgreSQL, 2067 (or 1555 for a primary key) on SQLite.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("23505" | "2067" | "1555"))
        }
        _ => false,
    }
}
