//! Reading JSON request bodies into the shared request types, with the one error type.

use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use portico_domain::{Error, Result};

/// Parses `body` as JSON. Requires a JSON content type: browsers only send one cross-origin after
/// a CORS preflight, which Portico never grants, so forms on other sites cannot post here.
pub fn parse<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")));
    if !is_json {
        return Err(Error::MalformedRequest("send the body as application/json".into()));
    }
    serde_json::from_slice(body).map_err(|e| Error::MalformedRequest(e.to_string()))
}
