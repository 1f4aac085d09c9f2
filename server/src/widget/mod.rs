//! The end-customer widget: its loader script, the page inside its iframe, its assets and the
//! public JSON API it calls.

pub mod frame;
pub mod keys;
mod login;
mod page;
mod reset;
pub mod sessions;
pub mod settings;
mod signup;
mod verify;

use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::test_drives::instances;
use crate::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let site = &state.config.site_dir;
    // The loader's URL is pasted into reseller pages and never changes, so it may only be cached
    // briefly; everything it loads is named by content hash and cached for a year.
    let loader = ServeFile::new(site.join("widget/embed.js")).precompressed_br().precompressed_gzip();
    let assets = ServeDir::new(site.join("widget")).precompressed_br().precompressed_gzip();
    Router::new()
        .route_service(
            "/widget/v1/embed.js",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ))
                // Unlike every other response, the loader is meant to be loaded by other sites.
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("cross-origin-resource-policy"),
                    HeaderValue::from_static("cross-origin"),
                ))
                .service(loader),
        )
        .nest_service(
            "/widget/assets",
            tower::ServiceBuilder::new().layer(crate::security::immutable_cache()).service(assets),
        )
        .route("/widget/v1/frame", get(frame::page))
        .route("/api/v1/widgets/{key}/signups", post(signup::create))
        .route("/api/v1/widgets/{key}/verification-emails", post(verify::resend_from_widget))
        .route("/api/v1/widgets/{key}/sessions", post(login::create))
        .route("/api/v1/widgets/{key}/session", get(login::current).delete(login::delete))
        .route("/api/v1/widgets/{key}/password-resets", post(reset::request))
        .route("/api/v1/widgets/{key}/test-drives", get(crate::test_drives::for_widget))
        .route(
            "/api/v1/widgets/{key}/test-drive-instances",
            get(instances::for_widget).post(instances::launch_from_widget),
        )
        .route("/api/v1/widgets/{key}/test-drive-instances/{instance}/stop", post(instances::stop_from_widget))
        .route("/widget/v1/reset", get(reset::show).post(reset::change))
        .route("/widget/v1/verify", get(verify::show).post(verify::confirm))
        .route("/widget/v1/verify/resend", post(verify::resend_for_link))
}
