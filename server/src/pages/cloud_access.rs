//! The one-time link to a new AWS account's admin access (the guide's Part 5). Opening it only
//! shows what it grants, so a mail scanner following links cannot use it up; confirming asks the
//! cloud gateway to grant it and goes to the sign-in page (or shows the IAM user once).

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use portico_domain::cloud::access;
use portico_domain::cloud::gateway::AdminAccess;
use serde::Deserialize;

use crate::AppState;

/// Plain HTML; the form may lead to AWS's sign-in pages.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
    form-action 'self' https://signin.aws.amazon.com https://*.awsapps.com; frame-ancestors 'none'";

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;\
    line-height:1.5}button{font:inherit;padding:.5rem 1rem}";

#[derive(Deserialize)]
pub struct Token {
    token: String,
}

fn page(status: StatusCode, body: Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Your AWS account" } style { (PreEscaped(STYLE)) } }
            body { (body) }
        }
    };
    (status, [(header::CONTENT_SECURITY_POLICY, POLICY)], Html(page.into_string())).into_response()
}

fn closed() -> Markup {
    html! {
        h1 { "This link no longer works" }
        p { "Links to your AWS account's admin access work once and for 7 days. Ask your provider for a new one." }
    }
}

/// `GET /cloud-access?token=…`: what the link grants, and a button to continue.
pub async fn show(State(state): State<AppState>, Query(Token { token }): Query<Token>) -> Response {
    match access::usable(&state.portico.db, &token).await {
        Ok(Some((number, email))) => page(
            StatusCode::OK,
            html! {
                h1 { "Your new AWS account " (number) }
                p {
                    "Your administrator access is ready for " (email) ". "
                    "This link works once: continue when you are ready to sign in."
                }
                form method="post" action="/cloud-access" {
                    input type="hidden" name="token" value=(token);
                    button type="submit" { "Continue to AWS sign-in" }
                }
            },
        ),
        Ok(None) => page(StatusCode::GONE, closed()),
        Err(e) => {
            tracing::error!(error = %e, "admin access link lookup failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `POST /cloud-access`: grants the access and goes to the sign-in page, or shows the IAM user
/// and its temporary password, once (AWS makes them choose their own at the first sign-in).
pub async fn open(State(state): State<AppState>, Form(Token { token }): Form<Token>) -> Response {
    match access::open(&state.portico.db, state.portico.cloud.as_ref(), &token).await {
        Ok(Some(AdminAccess { sign_in_url, user: None })) => Redirect::to(&sign_in_url).into_response(),
        Ok(Some(AdminAccess { sign_in_url, user: Some((user, password)) })) => {
            let mut response = page(
                StatusCode::OK,
                html! {
                    h1 { "Your administrator access" }
                    p { "Sign in at " a href=(sign_in_url) { (sign_in_url) } " as" }
                    dl {
                        dt { "IAM user name" } dd { code { (user) } }
                        dt { "Temporary password" } dd { code { (password) } }
                    }
                    p {
                        "AWS asks you to choose your own password when you first sign in. This page is shown only \
                         once: keep it open until you have signed in."
                    }
                },
            );
            // The password is on this page only: no cache may keep it.
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(None) => page(StatusCode::GONE, closed()),
        Err(e) => {
            tracing::error!(error = %e, "granting admin access failed");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                html! { h1 { "Please try again" } p { "AWS did not answer. Try again in a minute." } },
            )
        }
    }
}
