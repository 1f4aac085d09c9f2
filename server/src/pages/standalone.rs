//! The frame of the pages behind e-mailed links (confirm an address, choose a password): small
//! pages of the reseller's, in the customer's language, that open on their own, not in the widget.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use portico_shared::language::Language;

/// A small branded page with `body` under its title.
pub fn standalone(
    css: &str,
    language: Language,
    status: StatusCode,
    reseller: &str,
    title: &str,
    body: Markup,
) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang=(language.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (reseller) }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(css);
            }
            body.standalone {
                main.panel {
                    h1 { (title) }
                    (body)
                }
                footer.powered { (language.say("Powered By", "Con la tecnología de")) " " strong { (reseller) } }
            }
        }
    };
    let mut response =
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page.into_string()).into_response();
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
