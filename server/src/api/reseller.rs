//! The reseller's JSON API, with the portal's session: what a reseller's own systems may read
//! and change. Admins only.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use portico_domain::signup_options;
use portico_shared::api::ApiError;
use portico_shared::signup_options::SignupOptions;

use crate::caller::Caller;
use crate::error::Result;
use crate::json;
use crate::AppState;

/// The reseller API's tag in the API description.
pub const TAG: &str = "Reseller";

#[utoipa::path(
    get, path = "/api/v1/reseller/signup-options", tag = TAG,
    summary = "The reseller's signup options",
    security(("portalSession" = [])),
    responses(
        (status = 200, description = "The options; the defaults until first saved.", body = SignupOptions),
        (status = 401, description = "Not signed in (`unauthorized`).", body = ApiError),
        (status = 403, description = "Not a reseller admin (`forbidden`).", body = ApiError),
    ),
)]
pub async fn read_signup_options(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> Result<Json<SignupOptions>> {
    let admin = principal.reseller_admin()?;
    Ok(Json(signup_options::load(&state.portico.db, &admin.reseller_id).await?))
}

#[utoipa::path(
    put, path = "/api/v1/reseller/signup-options", tag = TAG,
    summary = "Replace the reseller's signup options",
    description = "The change is in the reseller's History. Answers the options as stored (domains cleaned).",
    security(("portalSession" = [])),
    request_body(content = SignupOptions, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved.", body = SignupOptions),
        (status = 400, description = "Not a JSON body of this shape (`malformed_request`).", body = ApiError),
        (status = 401, description = "Not signed in (`unauthorized`).", body = ApiError),
        (status = 403, description = "Not a reseller admin, or sent from another site (`forbidden`).",
            body = ApiError),
        (status = 422, description = "Refused fields (`validation_failed`).", body = ApiError),
    ),
)]
pub async fn replace_signup_options(
    State(state): State<AppState>,
    Caller(principal): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SignupOptions>> {
    let admin = principal.reseller_admin()?;
    let options: SignupOptions = json::parse(&headers, &body)?;
    Ok(Json(signup_options::save(&state.portico, &admin, options).await?))
}
