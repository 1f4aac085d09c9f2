//! The widget's files: the loader resellers embed, and the assets it loads.

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

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
}
