//! `GET /widget/v1/frame?key=…`: the page inside the iframe the loader creates. It is served from
//! the platform origin, so the password typed into it never enters the reseller's page, and its
//! `frame-ancestors` names only the reseller's registered websites.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use maud::{html, PreEscaped, DOCTYPE};
use portico_domain::widget::keys::{self, WidgetKey};
use portico_domain::{signup_options, Error};
use portico_shared::branding;
use portico_shared::language::Language;
use portico_shared::signup_options::SignupOptions;
use portico_widget::FrameConfig;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::HttpError;
use crate::AppState;

#[derive(Deserialize)]
pub struct FrameQuery {
    #[serde(default)]
    key: String,
    /// The embedding page's language (the embed tag's `data-lang`, else the page's `lang`).
    #[serde(default)]
    lang: String,
}

pub async fn page(State(state): State<AppState>, Query(query): Query<FrameQuery>) -> Response {
    let db = &state.portico.db;
    let found = match keys::find(db, &query.key).await {
        Ok(widget) => signup_options::load(db, &widget.reseller_id).await.map(|options| (widget, options)),
        Err(e) => Err(e),
    };
    match found {
        Ok((widget, options)) => widget_page(&state, &query, &widget, &options),
        Err(error @ (Error::UnknownWidgetKey | Error::RevokedWidgetKey)) => key_problem_page(&error),
        Err(error) => HttpError(error).into_response(),
    }
}

fn widget_page(state: &AppState, query: &FrameQuery, widget: &WidgetKey, options: &SignupOptions) -> Response {
    let assets = &state.assets;
    let config = FrameConfig {
        key: query.key.clone(),
        reseller_name: widget.reseller_name.clone(),
        license_url: widget.license_url.clone(),
        brand_color: widget.brand_color.clone(),
        logo_url: widget.logo_url.clone(),
        allowed_origins: widget.allowed_origins.clone(),
        rules: options.form_rules(),
        custom_text: options.custom_text.clone(),
        language: Language::from_tag(&query.lang),
        form_token: state.portico.settings.form_key.issue(portico_domain::db::now_ms()),
    };
    let config_json = serde_json::to_string(&config).unwrap_or_default().replace('<', "\\u003c");
    // The widget's stylesheet is inline, so the form paints as soon as the page arrives; the
    // reseller's colour (a checked `#rrggbb`) replaces the default accent from that first paint
    // on. The page's CSP allows this one style element by its hash.
    let brand = widget.brand_color.as_deref().map(|color| format!(":root{{--accent:{color}}}")).unwrap_or_default();
    let style = format!("{}{brand}", assets.widget_style);
    let page = html! {
        (DOCTYPE)
        html lang=(config.language.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (widget.reseller_name) }
                link rel="icon" href="data:,";
                style { (PreEscaped(&style)) }
                link rel="preload" href=(assets.widget_wasm) as="fetch" type="application/wasm" crossorigin;
                script type="module" src=(assets.widget_js) {}
                // JSON, not script: `<` is escaped in it, so no value can close the element early.
                script type="application/json" id="portico-config" { (PreEscaped(config_json)) }
            }
            body {
                // The Signup form, drawn by the widget's own components: on screen before any
                // script runs; the WebAssembly takes it over.
                main id=(portico_widget::ROOT_ID) { (PreEscaped(portico_widget::first_paint(&config))) }
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
    let style_hash = STANDARD.encode(Sha256::digest(&style));
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'sha256-{style_hash}'; \
         img-src 'self' data:{logo_source}; connect-src 'self'; base-uri 'none'; form-action 'none'; \
         frame-ancestors {ancestors}"
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
