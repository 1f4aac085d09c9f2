//! Who is asking, resolved once per request before any handler runs. A request to the widget's
//! API carries the widget session (bearer token, or the partitioned cookie); any other request
//! may carry the portal's session cookie. The middleware looks that one session up and puts the
//! [`Principal`] into the request's extensions, where API handlers ([`Caller`]) and the portal's
//! server functions (through the request parts Leptos provides) read it. Requests that carry no
//! session, and those to paths that serve anyone alike, cost no lookup.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use portico_domain::principal::Principal;
use portico_domain::sessions;
use portico_domain::Portico;

use crate::error::HttpError;
use crate::AppState;

/// Where the widget's session applies; the portal's applies everywhere else.
const WIDGET_API: &str = "/api/v1/widgets/";

/// Paths that never need to know who is asking: the portal's and the widget's files, the widget's
/// own pages (its frame, the pages behind e-mailed links, which carry their own tokens), the
/// cloud access link, the simulated console, the API's description and the health check.
const ANONYMOUS: [&str; 7] =
    ["/pkg/", "/widget/", "/cloud-access", "/simulated-aws", "/api/docs", "/api/v1/openapi.json", "/health"];

/// Resolves the request's session into a [`Principal`] extension, and its client's address into
/// a [`ClientAddr`](portico_domain::principal::ClientAddr) one.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let client = crate::client_addr::resolve(
        request.extensions().get::<ConnectInfo<SocketAddr>>(),
        request.headers(),
        &state.config.trusted_proxies,
    );
    request.extensions_mut().insert(client);
    let path = request.uri().path();
    let principal = if ANONYMOUS.iter().any(|prefix| path.starts_with(prefix)) {
        Ok(Principal::Nobody)
    } else if path.starts_with(WIDGET_API) {
        widget_session(&state.portico, request.headers()).await
    } else {
        portal_session(&state.portico, request.headers()).await
    };
    match principal {
        Ok(principal) => {
            request.extensions_mut().insert(principal);
            next.run(request).await
        }
        Err(error) => HttpError(error).into_response(),
    }
}

fn cookie_headers(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok())
}

async fn portal_session(portico: &Portico, headers: &HeaderMap) -> portico_domain::Result<Principal> {
    match portico.cookies().token(cookie_headers(headers)) {
        Some(token) => sessions::portal::find(portico, token).await,
        None => Ok(Principal::Nobody),
    }
}

async fn widget_session(portico: &Portico, headers: &HeaderMap) -> portico_domain::Result<Principal> {
    let authorization = headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
    match sessions::widget::token_from(authorization, cookie_headers(headers)) {
        Some(token) => sessions::widget::find(portico, token).await,
        None => Ok(Principal::Nobody),
    }
}

/// The principal the middleware resolved, for API handlers.
#[derive(Clone, Debug)]
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Caller(parts.extensions.get::<Principal>().cloned().unwrap_or_default()))
    }
}
