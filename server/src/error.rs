//! The domain's one error type as an HTTP answer: the shared `ApiError` body with its stable code
//! and the status that code means. Faults are logged with their cause chain and say nothing inside.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_domain::Error;
use portico_shared::api::{ApiError, ErrorCode};

/// What handlers return.
pub type Result<T, E = HttpError> = std::result::Result<T, E>;

/// A domain [`Error`] on its way out as a response.
#[derive(Debug)]
pub struct HttpError(pub Error);

impl<E: Into<Error>> From<E> for HttpError {
    fn from(error: E) -> Self {
        HttpError(error.into())
    }
}

/// The HTTP status of each code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::MalformedRequest => StatusCode::BAD_REQUEST,
        ErrorCode::ValidationFailed | ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::UnknownWidgetKey | ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::RevokedWidgetKey => StatusCode::GONE,
        ErrorCode::Unauthorized | ErrorCode::LoginFailed => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden | ErrorCode::EmailNotVerified | ErrorCode::AccountInactive => StatusCode::FORBIDDEN,
        ErrorCode::Conflict | ErrorCode::SendAgain => StatusCode::CONFLICT,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let HttpError(error) = self;
        let code = error.code();
        if error.is_fault() {
            tracing::error!(error = %error.cause_chain(), "request failed");
        }
        let message = error.public_message();
        let retry_after = match &error {
            Error::RateLimited { seconds } | Error::Busy { seconds } => Some(*seconds),
            _ => None,
        };
        let fields = match error {
            Error::Validation(fields) => fields,
            _ => Vec::new(),
        };
        let mut response = (status_of(code), Json(ApiError { code, message, fields })).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
