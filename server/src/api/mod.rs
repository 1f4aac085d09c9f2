//! The JSON API: the widget's (per publishable key) and the reseller's, routed and described
//! from the same handlers (utoipa), so the description cannot drift from the routes.

pub mod docs;
mod reseller;
mod widget;

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Json, Router};
use portico_shared::api::ApiError;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::docs::SecuritySchemes;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico API",
        version = "1",
        description = "The widget's API (per publishable key), the reseller's JSON API, and the portal's server \
            functions. A refusal is an `ApiError` body with a stable snake_case `code`; refused fields are listed \
            in its `fields`, each with its own code."
    ),
    modifiers(&SecuritySchemes),
    components(schemas(ApiError)),
    tags(
        (name = widget::TAG, description = "Called by the widget in its iframe, same-origin."),
        (name = reseller::TAG, description = "A reseller's own systems, with a portal session."),
    )
)]
struct ApiDoc;

/// Whether the server and its database answer.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    /// `ok`, or `unreachable`.
    pub database: String,
}

#[utoipa::path(
    get, path = "/health", tag = "Platform",
    summary = "Whether the server and its database answer",
    description = "For load balancers and replicas' health checks.",
    responses(
        (status = 200, description = "Serving.", body = Health),
        (status = 503, description = "The database does not answer.", body = Health),
    ),
)]
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.portico.db.pool).await {
        Ok(_) => (StatusCode::OK, Json(Health { status: "ok".into(), database: "ok".into() })),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health { status: "degraded".into(), database: "unreachable".into() }),
            )
        }
    }
}

/// The API's routes and their description.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(widget::create_signup))
        .routes(routes!(widget::resend_verification))
        .routes(routes!(widget::log_in))
        .routes(routes!(widget::current_session, widget::log_out))
        .routes(routes!(widget::request_password_reset))
        .routes(routes!(widget::catalog))
        .routes(routes!(widget::instances, widget::launch))
        .routes(routes!(widget::stop))
        .routes(routes!(reseller::read_signup_options, reseller::replace_signup_options))
}

/// The API description, as `/api/v1/openapi.json` serves it for `origin`.
pub fn openapi(origin: &str) -> utoipa::openapi::OpenApi {
    docs::complete(api().into_openapi(), origin)
}

/// The API's routes, the document and its page.
pub fn router(state: &AppState) -> Router<AppState> {
    let (routes, openapi) = api().split_for_parts();
    let document = docs::complete(openapi, &state.portico.settings.public_origin);
    let document = serde_json::to_value(&document).unwrap_or_default();
    routes.merge(docs::router(Arc::new(document)))
}
