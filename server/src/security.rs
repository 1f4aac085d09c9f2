//! Headers and checks every response or request goes through.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::Error;
use crate::AppState;

/// Refuses state-changing requests that a browser sent from another site (CSRF). Browsers name
/// the initiator in `Origin` and `Sec-Fetch-Site`; a request carrying neither comes from a
/// program, which holds no victim's cookies.
pub async fn same_origin_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        let origin_ok = headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|origin| origin.eq_ignore_ascii_case(&state.public_origin));
        let fetch_site_ok = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_none_or(|site| matches!(site, "same-origin" | "none"));
        if !origin_ok || !fetch_site_ok {
            return Error::Forbidden("Requests that change data must come from the Portico platform itself.")
                .into_response();
        }
    }
    next.run(request).await
}

/// Headers for every response. Pages set their own Content-Security-Policy.
pub async fn baseline_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    // Only the widget loader is meant to be loaded by other sites; it sets its own policy.
    headers.entry("cross-origin-resource-policy").or_insert(HeaderValue::from_static("same-origin"));
    headers
        .insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    response
}

/// `Cache-Control` for files whose names carry a hash of their content.
pub fn immutable_cache() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
}
