//! Headers and checks every response or request goes through.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use portico_domain::Error;

use crate::error::HttpError;
use crate::AppState;

/// Refuses state-changing requests that a browser sent from another site (CSRF). Modern
/// browsers say where a request comes from in `Sec-Fetch-Site`, which then decides alone (a
/// strict referrer policy makes `Origin` read "null" even for the platform's own forms); older
/// ones are judged by `Origin`. A request carrying neither comes from a program, which holds no
/// victim's cookies.
pub async fn same_origin_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !comes_from_platform(request.headers(), &state.portico.settings.public_origin) {
        let refusal = Error::Forbidden("Requests that change data must come from the Portico platform itself.".into());
        return HttpError(refusal).into_response();
    }
    next.run(request).await
}

fn comes_from_platform(headers: &HeaderMap, platform_origin: &str) -> bool {
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    match (header("sec-fetch-site"), header("origin")) {
        (Some(site), _) => matches!(site, "same-origin" | "none"),
        (None, Some(origin)) => origin.eq_ignore_ascii_case(platform_origin),
        (None, None) => true,
    }
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

/// `Strict-Transport-Security` when the platform is reached over https: browsers then never
/// try plain http for it, where a session cookie or a password could be read on the way. (Not
/// for subdomains, which may be other services of the operator's.)
pub fn strict_transport(
    https: bool,
) -> tower::util::Either<SetResponseHeaderLayer<HeaderValue>, tower::layer::util::Identity> {
    let hsts = SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    tower::util::option_layer(https.then_some(hsts))
}

/// `Cache-Control` for files whose names carry a hash of their content.
pub fn immutable_cache() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (header::HeaderName::from_static(k), HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn fetch_metadata_decides_then_origin() {
        let platform = "https://portico.example";
        assert!(comes_from_platform(&headers(&[("sec-fetch-site", "same-origin"), ("origin", "null")]), platform));
        assert!(!comes_from_platform(&headers(&[("sec-fetch-site", "cross-site")]), platform));
        assert!(!comes_from_platform(&headers(&[("sec-fetch-site", "same-site")]), platform));
        assert!(comes_from_platform(&headers(&[("origin", "https://portico.example")]), platform));
        assert!(!comes_from_platform(&headers(&[("origin", "https://evil.example")]), platform));
        assert!(!comes_from_platform(&headers(&[("origin", "null")]), platform));
        assert!(comes_from_platform(&HeaderMap::new(), platform));
    }
}
