//! A new account's admin access for its end user (the guide's Part 5: "The Admin credentials
//! will be sent to the end user"): never a password by e-mail, but a one-time link. Opening it
//! shows what it grants; confirming asks the gateway to grant it and goes to the sign-in page.
//! The GET does nothing, so a mail scanner that follows links cannot use it up.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use portico_shared::aws::AccountId;
use portico_shared::ids::CustomerId;
use serde::Deserialize;
use sqlx::{Any, Row, Transaction};

use crate::customers::{self, Contact};

use crate::cloud::gateway::AdminAccess;
use crate::cloud::links::LinkConfig;
use crate::db::{now_ms, Db};
use crate::emails;
use crate::error::Result;
use crate::html::escape_html;
use crate::jobs::{self, Job};
use crate::tokens::{new_token, token_hash};
use crate::AppState;

/// How long the link works.
const LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// Issues the link for the customer's primary contact and queues the e-mail that carries it.
pub async fn issue(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    account: &str,
    customer: &CustomerId,
    number: &AccountId,
) -> Result<()> {
    let Contact { name, email, reseller, .. } = customers::contact(tx, customer).await?;
    let link = store(tx, config, account, &email).await?;
    let mail = emails::aws_admin_access(&email, &name, number.as_str(), &reseller, &link);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await
}

/// **Request credentials for me**: the reseller user who asked gets a link of their own.
pub async fn issue_to_reseller_user(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    account: &str,
    user: &str,
    number: &AccountId,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT u.email, u.name, r.name AS reseller FROM reseller_users u JOIN resellers r ON r.id = u.reseller_id \
         WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    let (email, name, reseller): (String, String, String) =
        (row.try_get("email")?, row.try_get("name")?, row.try_get("reseller")?);
    let link = store(tx, config, account, &email).await?;
    let mail = emails::aws_reseller_access(&email, &name, number.as_str(), &reseller, &link);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await
}

/// Stores a new link for `email` to the account's access and returns its address.
async fn store(tx: &mut Transaction<'_, Any>, config: &LinkConfig, account: &str, email: &str) -> Result<String> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cloud_access_links (token_hash, account_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(account)
    .bind(email)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    Ok(format!("{}/cloud-access?token={token}", config.origin))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/cloud-access", get(page).post(open))
}

/// Plain HTML; the form may lead to AWS's sign-in pages.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
    form-action 'self' https://signin.aws.amazon.com https://*.awsapps.com; frame-ancestors 'none'";

#[derive(Deserialize)]
struct Token {
    token: String,
}

/// (account number, e-mail) of a link still usable.
async fn usable(db: &Db, token: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT a.account_number, l.email FROM cloud_access_links l JOIN cloud_accounts a ON a.id = l.account_id \
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| Ok((row.try_get("account_number")?, row.try_get("email")?))).transpose()
}

fn html(status: StatusCode, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your AWS account</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}}\
         button{{font:inherit;padding:.5rem 1rem}}</style></head><body>{body}</body></html>"
    );
    (status, [(header::CONTENT_SECURITY_POLICY, POLICY)], Html(page)).into_response()
}

/// The IAM user the gateway made, shown once: AWS makes them choose their own password at the
/// first sign-in, so the temporary one is worthless afterwards.
fn credentials_page(sign_in_url: &str, user: &str, password: &str) -> String {
    format!(
        "<h1>Your administrator access</h1><p>Sign in at <a href=\"{url}\">{url}</a> as</p>\
         <dl><dt>IAM user name</dt><dd><code>{user}</code></dd><dt>Temporary password</dt><dd><code>{password}</code></dd></dl>\
         <p>AWS asks you to choose your own password when you first sign in. This page is shown only once: \
         keep it open until you have signed in.</p>",
        url = escape_html(sign_in_url),
        user = escape_html(user),
        password = escape_html(password),
    )
}

const CLOSED: &str = "<h1>This link no longer works</h1><p>Links to your AWS account's admin access work once \
    and for 7 days. Ask your provider for a new one.</p>";

async fn page(State(state): State<AppState>, Query(Token { token }): Query<Token>) -> Response {
    match usable(&state.db, &token).await {
        Ok(Some((number, email))) => html(
            StatusCode::OK,
            &format!(
                "<h1>Your new AWS account {number}</h1><p>Your administrator access is ready for {email}. \
                 This link works once: continue when you are ready to sign in.</p>\
                 <form method=\"post\" action=\"/cloud-access\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
                 <button type=\"submit\">Continue to AWS sign-in</button></form>",
                number = escape_html(&number),
                email = escape_html(&email),
                token = escape_html(&token),
            ),
        ),
        Ok(None) => html(StatusCode::GONE, CLOSED),
        Err(e) => {
            tracing::error!(error = %e, "admin access link lookup failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn open(State(state): State<AppState>, Form(Token { token }): Form<Token>) -> Response {
    let granted = async {
        let Some((number, email)) = usable(&state.db, &token).await? else { return Ok(None) };
        let account = AccountId::parse(&number).map_err(|_| anyhow::anyhow!("stored account id {number:?}"))?;
        // Granting twice gives the same access: the link is used up only once it worked.
        let access = state.cloud.grant_admin_access(&account, &email).await?;
        let used = sqlx::query("UPDATE cloud_access_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(now_ms())
            .bind(token_hash(&token))
            .execute(&state.db.pool)
            .await?;
        Ok::<_, crate::error::Error>((used.rows_affected() == 1).then_some(access))
    };
    match granted.await {
        Ok(Some(AdminAccess { sign_in_url, user: None })) => Redirect::to(&sign_in_url).into_response(),
        Ok(Some(AdminAccess { sign_in_url, user: Some((user, password)) })) => {
            let mut page = html(StatusCode::OK, &credentials_page(&sign_in_url, &user, &password));
            // The password is on this page only: no cache may keep it.
            page.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            page
        }
        Ok(None) => html(StatusCode::GONE, CLOSED),
        Err(e) => {
            tracing::error!(error = %e, "granting admin access failed");
            html(
                StatusCode::SERVICE_UNAVAILABLE,
                "<h1>Please try again</h1><p>AWS did not answer. Try again in a minute.</p>",
            )
        }
    }
}
