//! The one error type of Portico. Domain functions return `Result<T>`; the server turns an error
//! into the shared `ApiError` body with its stable code (never the internals of a fault), and the
//! portal into its own words.

use std::borrow::Cow;

use portico_shared::api::{ErrorCode, FieldError};
use portico_shared::custom_fields::ValueError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("request body is not valid: {0}")]
    MalformedRequest(String),
    #[error("{} field(s) refused", .0.len())]
    Validation(Vec<FieldError>),
    /// Values of the reseller's own customer fields were refused, each named by its field's id.
    #[error("{} customer field value(s) refused", .0.len())]
    InvalidValues(Vec<ValueError>),
    #[error("unknown widget key")]
    UnknownWidgetKey,
    #[error("revoked widget key")]
    RevokedWidgetKey,
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but not for this person's role; says who may do it.
    #[error("forbidden: {0}")]
    Forbidden(Cow<'static, str>),
    #[error("not found")]
    NotFound,
    /// The change does not fit the current state (changed meanwhile, or not allowed now); the
    /// text says why, in words for the person who asked.
    #[error("conflict: {0}")]
    Conflict(Cow<'static, str>),
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
    #[error("at capacity; retry in {seconds} s")]
    Busy { seconds: i64 },
    /// A form sent the way robots send it (at once, or with the hidden field filled): nothing
    /// was stored, and the person is asked to check it and send it again.
    #[error("form to be sent again")]
    SendAgain,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// The stable code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::MalformedRequest(_) => ErrorCode::MalformedRequest,
            Error::Validation(_) | Error::InvalidValues(_) => ErrorCode::ValidationFailed,
            Error::UnknownWidgetKey => ErrorCode::UnknownWidgetKey,
            Error::RevokedWidgetKey => ErrorCode::RevokedWidgetKey,
            Error::Unauthorized => ErrorCode::Unauthorized,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::NotFound => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            Error::LoginFailed => ErrorCode::LoginFailed,
            Error::EmailNotVerified => ErrorCode::EmailNotVerified,
            Error::AccountInactive => ErrorCode::AccountInactive,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::Busy { .. } => ErrorCode::Busy,
            Error::SendAgain => ErrorCode::SendAgain,
            Error::Database(_) | Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Whether this is Portico's fault rather than the caller's: logged, and worded vaguely.
    pub fn is_fault(&self) -> bool {
        matches!(self, Error::Database(_) | Error::Internal(_))
    }

    /// What the person who asked is told. Faults say nothing about internals.
    pub fn public_message(&self) -> String {
        match self {
            Error::MalformedRequest(detail) => {
                format!("The request body could not be read: {detail}.")
            }
            Error::Validation(_) | Error::InvalidValues(_) => "Some fields need your attention.".into(),
            Error::UnknownWidgetKey => "This widget key is not known. Check the data-key of the embed tag.".into(),
            Error::RevokedWidgetKey => {
                "This widget key has been revoked. The reseller needs to embed their current key.".into()
            }
            Error::Unauthorized => "Please sign in.".into(),
            Error::Forbidden(why) => why.to_string(),
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
                format!("Too many attempts. Please wait {} and try again.", duration_words(*seconds))
            }
            Error::Busy { .. } => "Portico is very busy right now. Please try again in a few seconds.".into(),
            Error::SendAgain => "Please check the form and press Signup again.".into(),
            Error::Database(_) | Error::Internal(_) => "Something went wrong on our side. Please try again.".into(),
        }
    }

    /// "outer: inner: innermost", for the log.
    pub fn cause_chain(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
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

/// Someone else changed `what` first: the page reloads to show their change.
pub(crate) fn changed_meanwhile(what: &str) -> Error {
    Error::Conflict(format!("Someone changed this {what} meanwhile. The page now shows the latest.").into())
}
