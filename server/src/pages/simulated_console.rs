//! The simulated cloud's stand-in for the AWS console, where the owner of an invited AWS account
//! accepts or declines the platform's invitation (AWS Organizations → Invitations). Served only
//! with the simulated gateway: with AWS itself, owners answer in the real console.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, PreEscaped, DOCTYPE};
use portico_domain::cloud::simulated;
use portico_shared::dates::date_time;
use serde::Deserialize;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/simulated-aws", get(page)).route("/simulated-aws/handshakes/{id}", post(answer))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}\
    li{list-style:none;border:1px solid #ccd;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}\
    button{font:inherit;padding:.4rem .8rem}";

/// No scripts, no outside resources; inline styles only.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

async fn page(State(state): State<AppState>) -> Response {
    let open = match simulated::open_handshakes(&state.portico.db).await {
        Ok(open) => open,
        Err(e) => {
            tracing::error!(error = %e, "simulated console: listing invitations failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let body = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "Simulated AWS console: invitations" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Simulated AWS console" }
                p {
                    "AWS Organizations → Invitations, as the owners of invited accounts see them. This page exists \
                     only while Portico runs with its simulated cloud."
                }
                @if open.is_empty() {
                    p { "No open invitations. When Cloud Support approves a link request, the invitation appears here." }
                } @else {
                    ul {
                        @for h in &open {
                            li {
                                form method="post" action=(format!("/simulated-aws/handshakes/{}", h.id)) {
                                    p {
                                        strong { "AWS account " (h.account_number) }
                                        " is invited to join the platform's organization (handshake "
                                        code { (h.id) } ", expires " (date_time(h.expires_at)) ")."
                                    }
                                    button name="answer" value="accept" { "Accept invitation for " (h.account_number) }
                                    " "
                                    button name="answer" value="decline" { "Decline invitation for " (h.account_number) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    ([(header::CONTENT_SECURITY_POLICY, POLICY)], Html(body.into_string())).into_response()
}

#[derive(Deserialize)]
pub struct Answer {
    answer: String,
}

async fn answer(State(state): State<AppState>, Path(id): Path<String>, Form(form): Form<Answer>) -> Response {
    let accept = match form.answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return (StatusCode::UNPROCESSABLE_ENTITY, "answer must be accept or decline").into_response(),
    };
    match simulated::answer(&state.portico.db, &id, accept).await {
        Ok(true) => Redirect::to("/simulated-aws").into_response(),
        Ok(false) => (StatusCode::CONFLICT, "This invitation is no longer open.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "simulated console: answering failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
