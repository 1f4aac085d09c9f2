//! `GET /widget/v1/frame?key=…`: the page inside the iframe the loader creates. It is served from
//! the platform origin, so the password typed into it never enters the reseller's page, and its
//! `frame-ancestors` names only the reseller's registered websites.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, PreEscaped, DOCTYPE};
use portico_domain::widget::keys::{self, WidgetKey};
use portico_domain::{signup_options, Error};
use portico_shared::branding;
use portico_shared::signup::FormRules;
use portico_shared::signup_options::SignupOptions;
use serde::{Deserialize, Serialize};

use crate::error::HttpError;
use crate::AppState;

#[derive(Deserialize)]
pub struct FrameQuery {
    #[serde(default)]
    key: String,
}

/// What the widget's WebAssembly reads from the page at start, instead of fetching it.
#[derive(Serialize)]
struct FrameConfig<'a> {
    key: &'a str,
    reseller_name: &'a str,
    license_url: Option<&'a str>,
    brand_color: Option<&'a str>,
    logo_url: Option<&'a str>,
    allowed_origins: &'a [String],
    rules: FormRules,
    custom_text: &'a str,
}

pub async fn page(State(state): State<AppState>, Query(query): Query<FrameQuery>) -> Response {
    let db = &state.portico.db;
    let found = match keys::find(db, &query.key).await {
        Ok(widget) => signup_options::load(db, &widget.reseller_id).await.map(|options| (widget, options)),
        Err(e) => Err(e),
    };
    match found {
        Ok((widget, options)) => widget_page(&state, &query.key, &widget, &options),
        Err(error @ (Error::UnknownWidgetKey | Error::RevokedWidgetKey)) => key_problem_page(&error),
        Err(error) => HttpError(error).into_response(),
    }
}

fn widget_page(state: &AppState, key: &str, widget: &WidgetKey, options: &SignupOptions) -> Response {
    let assets = &state.assets;
    let config = FrameConfig {
        key,
        reseller_name: &widget.reseller_name,
        license_url: widget.license_url.as_deref(),
        brand_color: widget.brand_color.as_deref(),
        logo_url: widget.logo_url.as_deref(),
        allowed_origins: &widget.allowed_origins,
        rules: options.form_rules(),
        custom_text: &options.custom_text,
    };
    let config_json = serde_json::to_string(&config).unwrap_or_default().replace('<', "\\u003c");
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (widget.reseller_name) }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(assets.widget_css);
                link rel="preload" href=(assets.widget_wasm) as="fetch" type="application/wasm" crossorigin;
                script type="module" src=(assets.widget_js) {}
                // JSON, not script: `<` is escaped in it, so no value can close the element early.
                script type="application/json" id="portico-config" { (PreEscaped(config_json)) }
            }
            body {
                main id="portico-root" aria-busy="true" { p.portico-loading { "Loading…" } }
            }
        }
    };
    let html = page.into_string();
    // The reseller's websites, and the platform itself: the portal's Widget settings show a
    // live preview of the widget in a frame.
    let ancestors = std::iter::once(state.portico.settings.public_origin.to_string())
        .chain(widget.allowed_origins.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    // The logo is the one image from elsewhere, allowed by its origin only.
    let logo_source =
        widget.logo_url.as_deref().and_then(branding::origin).map(|o| format!(" {o}")).unwrap_or_default();
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:{logo_source}; \
         connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    );
    html_response(StatusCode::OK, html, &csp)
}

/// An unknown or revoked key still renders something readable in the reseller's page, so whoever
/// embedded it sees what to fix; it contains nothing worth protecting, so any site may frame it.
fn key_problem_page(error: &Error) -> Response {
    let (status, text) = match error {
        Error::RevokedWidgetKey => {
            (StatusCode::GONE, "This widget key has been revoked. The website owner needs to embed their current key.")
        }
        _ => (
            StatusCode::NOT_FOUND,
            "This widget key is not known. The website owner needs to check the data-key of the embed tag.",
        ),
    };
    let html = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Widget unavailable" } }
            body { p role="alert" { (text) } }
        }
    }
    .into_string();
    html_response(status, html, "default-src 'none'; base-uri 'none'; form-action 'none'")
}

fn html_response(status: StatusCode, html: String, csp: &str) -> Response {
    let mut response = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}
