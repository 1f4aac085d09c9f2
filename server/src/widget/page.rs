//! Pages of the widget that open on their own (from a link in an e-mail), not inside the iframe.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use portico_shared::language::Language;

use crate::html::escape_html;

/// A small branded page. `body` is trusted HTML: callers escape what they put in it.
pub fn standalone(
    css: &str,
    language: Language,
    status: StatusCode,
    reseller: &str,
    title: &str,
    body: &str,
) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · {reseller}</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body class=\"standalone\"><main class=\"panel\"><h1>{title}</h1>{body}</main>\
         <footer class=\"powered\">{powered} <strong>{reseller}</strong></footer></body></html>",
        lang = language.tag(),
        powered = language.say("Powered By", "Con la tecnología de"),
        title = escape_html(title),
        reseller = escape_html(reseller),
    );
    let mut response = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The token in the address must not leak to other sites; "same-origin" keeps it home while
    // still letting the page's own forms say where they come from.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}
