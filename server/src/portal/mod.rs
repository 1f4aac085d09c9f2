//! The reseller portal: the Leptos app of `portico_app`, rendered here (its server functions run
//! here too, calling the domain directly) and hydrated in the browser. This module only mounts it:
//! it gives the app the domain handle and the assets, sends visitors without a session to the
//! sign-in page, and serves the Customers export.

mod export;

use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use portico_app::PortalAssets;
use portico_domain::principal::Principal;

use crate::AppState;

/// The portal's routes, generated once per process. Generating them renders the app with
/// resource loading suspended process-wide, and a page that another server in the same process
/// (the API tests run many) starts rendering meanwhile would never finish.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(portico_app::App)).clone()
}

pub fn router(state: &AppState) -> Router<AppState> {
    let portico = state.portico.clone();
    let assets = PortalAssets {
        js: state.assets.portal_js.clone(),
        wasm: state.assets.portal_wasm.clone(),
        css: state.assets.portal_css.clone(),
    };
    // Read by the Leptos integration, which adds the preloads of a page's lazy route to the
    // page's head.
    let parts = state.assets.portal_parts.as_ref().map(|parts| {
        let manifest = (parts.folder.clone(), parts.preloads.clone(), parts.loader.clone());
        leptos::WasmSplitManifest(leptos::prelude::ArcStoredValue::new(manifest))
    });
    let context = move || {
        provide_context(portico.clone());
        provide_context(assets.clone());
        if let Some(parts) = &parts {
            provide_context(parts.clone());
        }
        leptos::nonce::provide_nonce();
    };
    let leptos_options = state.leptos.clone();
    Router::new()
        .route("/portal/customers.csv", axum::routing::get(export::customers_csv))
        .route("/portal/invoices/{file}", axum::routing::get(export::invoice_file))
        .leptos_routes_with_context(state, routes(), context, move || portico_app::shell(leptos_options.clone()))
        .route_layer(middleware::from_fn(sign_in_first))
}

/// Pages anyone may open: signing in (with its second step), and the pages behind e-mailed links.
const PUBLIC_PAGES: [&str; 5] = ["/login", "/login/code", "/forgot-password", "/reset-password", "/invitation"];

/// A portal page opened without a session goes to the sign-in page: a real redirect, which the
/// browser follows before any of the page loads. Server functions answer 401 themselves. No
/// answer of the portal is stored by a browser or a proxy: its pages and data are one person's,
/// and some carry a token (an invitation, a password link) or a password being set.
async fn sign_in_first(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let page = request.method() == Method::GET && !path.starts_with("/portal/");
    let signed_in =
        matches!(request.extensions().get::<Principal>(), Some(Principal::Reseller(_) | Principal::Staff(_)));
    if page && !signed_in && !PUBLIC_PAGES.contains(&path) {
        return (StatusCode::FOUND, [(header::LOCATION, "/login"), (header::CACHE_CONTROL, "no-store")])
            .into_response();
    }
    let mut response = next.run(request).await;
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(header::HeaderValue::from_static("no-store"));
    response
}
