//! The API description: an OpenAPI 3.1 document of the JSON API (`/api/v1/openapi.json`) and a
//! page people read (`/api/docs`), made from the same document. The portal's server functions are
//! listed from the server's own registry, so a new one cannot be left out.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::html::escape_html;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(document)).route("/api/docs", get(page))
}

async fn document(State(state): State<AppState>) -> Json<Value> {
    Json(openapi(&state.public_origin))
}

/// What each portal server function does and the form fields it takes.
fn portal_function(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "sign_in" => ("Sign in to the portal; sets the session cookie.", "email, password"),
        "sign_out" => ("End the portal session.", ""),
        "current_user" => ("The signed-in person and their reseller.", ""),
        "customers_page" => ("A page of customers.", "query[q], query[status], query[sort], query[after]"),
        "customer_page" => ("One customer with its history, users, providers and options.", "customer"),
        "history_page" => ("Every change in the reseller's account, newest first.", ""),
        "add_customer" => ("Add a customer (active at once).", "details[company_name], details[contact_name], details[title], details[email], details[phone], details[street_address], details[suite], details[city], details[state], details[zip], details[country]"),
        "update_customer" => ("Save Customer information.", "customer, version, details[…] as for add_customer"),
        "suspend_customer" => ("Suspend an active customer.", "customer, version"),
        "reactivate_customer" => ("Reactivate a suspended customer.", "customer, version"),
        "approve_signup" => ("Approve a signup waiting for approval.", "customer, version"),
        "reject_signup" => ("Reject a signup; the reason is e-mailed to the contact.", "customer, version, reason"),
        "set_cloud_providers" => ("Set the customer's cloud providers.", "customer, enabled[aws|azure|gcp]=true"),
        "add_cloud_account" => ("Add an AWS account to the customer (Amazon Web Services must be on under Cloud providers); the platform generates its ExternalId.", "customer, account[provider]=aws, account[account_id], account[email]"),
        "change_cloud_link" => ("The reseller's step on a cloud account's link: request (its role must check Valid), answer (Cloud Support's question, with note), cancel (an open invitation), reinvite (after expiry, decline or cancel) or request_unlink. Refused with 409 when the link's state does not allow it or the version is stale.", "customer, account, version, action, note"),
        "mark_notifications_read" => ("Notifications → Mark all as read: the signed-in person's notifications up to until (ms since the epoch, the newest one the page showed) stop counting as unread; other people's stay as they are.", "until"),
        "notifications_page" => ("The Notifications page: what the platform told the signed-in person's team (a reseller's, or Cloud Support), newest first, each with a link to where to act.", ""),
        "request_new_cloud_account" => ("Request a new AWS account for the customer (the guide's Part 5): its root e-mail (never used with AWS), its name (1 to 50 printable ASCII characters) and a support plan of the provider's. It goes to Cloud Support at once; once approved, the platform creates it and e-mails the customer's primary contact a one-time link to their admin access.", "customer, request[provider]=aws, request[email], request[account_name], request[support_plan]"),
        "set_support_plan" => ("Charges and discounts → Support plans: the customer's plan with a provider it has under Cloud providers (a plan id such as aws-business, or empty for none).", "customer, provider, plan"),
        "cloud_support_page" => ("The Cloud Support console (platform staff): link and unlink requests across resellers, with each request's history.", "filter=waiting|awaiting_reseller|invited|all"),
        "decide_cloud_request" => ("Cloud Support's decision on a request still at version: approve, reject (with the reason in note) or inquire (with the question in note). Of two agents deciding at once, one gets 409.", "account, version, action, note"),
        "check_role_arn" => ("Check the AWS Role ARN of a cloud account: assumable with its ExternalId, not without. Stores the ARN and the result (Valid, or Invalid with the reason) and returns it. With save_only=true (the dialog's Save), stores the ARN as Not Checked without asking AWS.", "customer, account, version, role_arn, save_only"),
        "save_customer_options" => ("Save Customer options.", "customer, version, options[test_drives_allowed], options[launch_limit_override], options[may_request_cloud_accounts], options[notify_cloud_accounts], options[notify_test_drives]"),
        "set_customer_user_role" => ("Make a customer user an admin or a user.", "customer, user, version, role"),
        "set_customer_user_disabled" => ("Disable or enable a customer user.", "customer, user, version, disabled"),
        "team_page" => ("The signed-in person's team (their reseller's, or the platform's staff) and its pending invitations.", ""),
        "invite" => ("Invite someone to the team by e-mail (admins and platform admins).", "invitation[email], invitation[name], invitation[role]"),
        "resend_invitation" => ("Send a pending invitation again with a new link; the old link stops working.", "invitation"),
        "revoke_invitation" => ("Withdraw a pending invitation.", "invitation"),
        "set_member_role" => ("Give a team member another role.", "member, version, role"),
        "set_member_disabled" => ("Disable a team member (signed out at once) or enable them again.", "member, version, disabled"),
        "resellers_page" => ("Every reseller on the platform (platform staff).", ""),
        "create_reseller" => ("Add a reseller with a widget key and invite its first admin (platform admins).", "reseller[reseller_name], reseller[license_url], reseller[email], reseller[name]"),
        "invitation" => ("What an invitation link offers, or why it no longer works.", "token"),
        "accept_invitation" => ("Accept an invitation with a new password; signs the person in.", "token, password, verify_password"),
        "request_password_reset" => ("E-mail a password-reset link if the address signs in; the same answer either way.", "email"),
        "password_reset_link" => ("Whether a password-reset link still works.", "token"),
        "reset_password" => ("Set a new password through a reset link; every session of the person ends.", "token, password, verify_password"),
        "widget_settings_page" => ("Widget settings: the embed code, websites, branding and signup options (reseller admins).", ""),
        "save_widget_settings" => ("Save the widget's name, license URL, colour, logo and allowed websites.", "settings[reseller_name], settings[license_url], settings[brand_color], settings[logo_url], settings[allowed_origins] (one per line)"),
        "save_signup_options" => ("Save the signup options.", "options[require_email_verification|require_address|require_license_acceptance|auto_approve]=true, options[approved_domains], options[review_domains] (one per line), options[custom_text]"),
        "rotate_widget_key" => ("Revoke the widget key and issue a new one for the same websites.", ""),
        "invite_customer_user" => ("Invite a person to a customer; they choose a password through an e-mailed link (7 days).", "customer, invitation[email], invitation[name], invitation[role] (admin or user)"),
        "resend_customer_invitation" => ("Send an invited customer user a new link (at most one a minute).", "customer, user"),
        "customer_fields_page" => ("The reseller's customer fields in use (reseller admins).", ""),
        "define_customer_field" => ("Add a customer field.", "field[label], field[kind] (text|number|date|yes_no|choice), field[required]=true, field[choices] (one per line)"),
        "retire_customer_field" => ("Retire a customer field: no longer shown; stored values stay.", "field"),
        "save_customer_field_values" => ("Save a customer's values of every field in use, all or nothing.", "customer, values[<field id>]"),
        "test_drives_page" => ("The reseller's Test Drives catalog and the cloud providers (reseller admins).", ""),
        "save_test_drive" => ("Add a test drive (no id) or change one (id and version).", "id, version, drive[name], drive[description], drive[duration_minutes], drive[launch_limit], drive[provider]"),
        "retire_test_drive" => ("Take a test drive off the catalog; it stays stored.", "drive"),
        _ => return None,
    })
}

/// The portal's server functions, by name, as the server registered them.
pub fn portal_functions() -> Vec<String> {
    let mut names: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/portal/").to_owned())
        .collect();
    names.sort();
    names
}

fn error_responses(codes: &[(&str, &str)]) -> Map<String, Value> {
    codes
        .iter()
        .map(|(status, what)| {
            let body = json!({ "application/json": { "schema": { "$ref": "#/components/schemas/ApiError" } } });
            ((*status).to_owned(), json!({ "description": what, "content": body }))
        })
        .collect()
}

fn operation(summary: &str, body: Option<&str>, ok: (&str, &str, Option<&str>), errors: &[(&str, &str)]) -> Value {
    let mut responses = error_responses(errors);
    let ok_body = ok.2.map(
        |schema| json!({ "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }),
    );
    let mut ok_response = json!({ "description": ok.1 });
    if let Some(content) = ok_body {
        ok_response["content"] = content;
    }
    responses.insert(ok.0.to_owned(), ok_response);
    let mut op = json!({ "summary": summary, "responses": responses });
    if let Some(schema) = body {
        op["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }
        });
    }
    op
}

/// The OpenAPI document, with `origin` as its server.
pub fn openapi(origin: &str) -> Value {
    let key = json!([{ "name": "key", "in": "path", "required": true, "description": "The reseller's publishable widget key.", "schema": { "type": "string" } }]);
    let unknown = ("404", "Unknown widget key (`unknown_widget_key`).");
    let revoked = ("410", "Revoked widget key (`revoked_widget_key`).");
    let invalid = ("422", "Refused fields, each with its code and message (`validation_failed`).");
    let limited = ("429", "Too many attempts (`rate_limited`); see Retry-After.");
    let mut paths = Map::new();
    let mut signup = operation(
        "Sign up through the widget. The same body for a new and an existing e-mail.",
        Some("SignupRequest"),
        ("202", "Received; says what the person does next.", Some("SignupReceived")),
        &[invalid, unknown, revoked, limited],
    );
    signup["parameters"] = json!([{ "name": "Idempotency-Key", "in": "header", "required": false, "description": "Replays the first response for the same key and body.", "schema": { "type": "string", "maxLength": 200 } }]);
    paths.insert("/api/v1/widgets/{key}/signups".into(), json!({ "parameters": key, "post": signup }));
    paths.insert(
        "/api/v1/widgets/{key}/verification-emails".into(),
        json!({ "parameters": key, "post": operation("Send the e-mail confirmation link again. Always 202.", Some("EmailRequest"), ("202", "Accepted.", None), &[unknown, limited]) }),
    );
    paths.insert(
        "/api/v1/widgets/{key}/sessions".into(),
        json!({ "parameters": key, "post": operation("Log in a customer user; returns an opaque bearer token.", Some("LoginRequest"), ("201", "Logged in.", Some("LoginResponse")), &[("401", "Wrong e-mail or password, one message for both (`login_failed`)."), ("403", "E-mail not confirmed (`email_not_verified`) or account not active (`account_inactive`)."), unknown, limited]) }),
    );
    paths.insert(
        "/api/v1/widgets/{key}/session".into(),
        json!({
            "parameters": key,
            "get": { "summary": "The logged-in account, or null.", "security": [{ "widgetBearer": [] }], "responses": { "200": { "description": "The account, or null when nobody is logged in.", "content": { "application/json": { "schema": { "oneOf": [{ "$ref": "#/components/schemas/WidgetAccount" }, { "type": "null" }] } } } } } },
            "delete": { "summary": "Log out.", "security": [{ "widgetBearer": [] }], "responses": { "204": { "description": "Logged out." } } }
        }),
    );
    paths.insert(
        "/api/v1/widgets/{key}/password-resets".into(),
        json!({ "parameters": key, "post": operation("E-mail a one-time link to set a new password. Always 202.", Some("EmailRequest"), ("202", "Accepted.", None), &[invalid, unknown, limited]) }),
    );
    paths.insert(
        "/api/v1/widgets/{key}/test-drives".into(),
        json!({ "parameters": key, "get": { "summary": "The reseller's Test Drives catalog (no login needed).", "responses": { "200": { "description": "The entries on offer.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/TestDrive" } } } } }, "404": { "description": "Unknown widget key." }, "410": { "description": "Revoked widget key." } } } }),
    );
    let signed_in = ("401", "Nobody is logged in (`unauthorized`).");
    let mut launched = operation(
        "Launch a test drive for the logged-in customer (e-mail confirmed, account approved), within its launch limit.",
        Some("LaunchRequest"),
        ("201", "Launched: Launching, then Running once its sandbox has started.", Some("TestDriveInstance")),
        &[
            ("400", "Not a JSON body with a test_drive (`malformed_request`)."),
            signed_in,
            ("403", "E-mail not confirmed (`email_not_verified`), account not active (`account_inactive`), or test drives not allowed for it (`forbidden`)."),
            ("404", "No such test drive on offer (`not_found`)."),
            ("409", "As many running as the launch limit allows (`conflict`)."),
        ],
    );
    launched["security"] = json!([{ "widgetBearer": [] }]);
    let mut stopped = operation(
        "Stop one of the customer's launching or running test drives.",
        None,
        ("200", "Stopped.", Some("TestDriveInstance")),
        &[signed_in, ("404", "Not this customer's (`not_found`)."), ("409", "Already ended (`conflict`).")],
    );
    stopped["security"] = json!([{ "widgetBearer": [] }]);
    paths.insert(
        "/api/v1/widgets/{key}/test-drive-instances".into(),
        json!({
            "parameters": key,
            "get": { "summary": "The logged-in customer's test drives, newest first.", "security": [{ "widgetBearer": [] }], "responses": { "200": { "description": "Their instances.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/TestDriveInstance" } } } } }, "401": { "description": "Nobody is logged in." } } },
            "post": launched
        }),
    );
    let instance = json!({ "name": "instance", "in": "path", "required": true, "schema": { "type": "string" } });
    paths.insert(
        "/api/v1/widgets/{key}/test-drive-instances/{instance}/stop".into(),
        json!({ "parameters": [key[0].clone(), instance], "post": stopped }),
    );
    let mut read = operation(
        "The reseller's signup options.",
        None,
        ("200", "The options.", Some("SignupOptions")),
        &[("401", "Not signed in."), ("403", "Not an admin.")],
    );
    read["security"] = json!([{ "portalSession": [] }]);
    let mut replace = operation(
        "Replace the reseller's signup options.",
        Some("SignupOptions"),
        ("200", "Saved.", Some("SignupOptions")),
        &[("401", "Not signed in."), ("403", "Not an admin."), invalid],
    );
    replace["security"] = json!([{ "portalSession": [] }]);
    paths.insert("/api/v1/reseller/signup-options".into(), json!({ "get": read, "put": replace }));
    for name in portal_functions() {
        let (summary, fields) = portal_function(&name).unwrap_or(("(undocumented)", ""));
        paths.insert(
            format!("/portal/{name}"),
            json!({ "post": {
                "summary": summary,
                "tags": ["Portal server functions"],
                "security": [{ "portalSession": [] }],
                "description": format!("Form-encoded (`application/x-www-form-urlencoded`) fields: {}. Answers JSON; a refusal has a 4xx status.", if fields.is_empty() { "none" } else { fields }),
                "responses": { "200": { "description": "Done; the result as JSON." } }
            }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Portico API", "version": "1", "description": "The widget's API (per publishable key), the reseller's JSON API, and the portal's server functions. Errors are `ApiError` bodies with stable snake_case codes." },
        "servers": [{ "url": origin }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "widgetBearer": { "type": "http", "scheme": "bearer", "description": "The token from POST …/sessions." },
                "portalSession": { "type": "apiKey", "in": "cookie", "name": "portico_session", "description": "`__Host-portico_session` when served over https. State-changing requests must come from the platform's origin." }
            },
            "schemas": schemas()
        }
    })
}

fn strings(names: &[&str]) -> Value {
    Value::Object(names.iter().map(|name| ((*name).to_owned(), json!({ "type": "string" }))).collect())
}

fn schemas() -> Value {
    let field_names: Vec<&str> = portico_shared::Field::ALL.iter().map(|field| field.name()).collect();
    json!({
        "SignupRequest": {
            "type": "object",
            "properties": {
                "company_name": { "type": "string", "maxLength": 160 }, "contact_name": { "type": "string", "maxLength": 120 },
                "title": { "type": "string", "maxLength": 80 }, "phone": { "type": "string" },
                "country": { "type": "string", "description": "ISO 3166-1 alpha-2" }, "street_address": { "type": "string" },
                "suite": { "type": "string" }, "city": { "type": "string" }, "state": { "type": "string" }, "zip": { "type": "string" },
                "email": { "type": "string", "format": "email" }, "password": { "type": "string", "minLength": 15, "maxLength": 256 },
                "verify_password": { "type": "string" }, "license_accepted": { "type": "boolean" },
                "website": { "type": "string", "description": "Leave empty (a field robots fill)." },
                "fill_ms": { "type": "integer", "description": "How long the form was open, in milliseconds." },
                "language": { "enum": ["en", "es"], "default": "en", "description": "The language of the e-mails and pages that follow." }
            }
        },
        "SignupReceived": { "type": "object", "properties": { "next_step": { "enum": ["verify_email", "await_approval", "sign_in"] } } },
        "EmailRequest": { "type": "object", "properties": { "email": { "type": "string", "format": "email" } } },
        "LoginRequest": { "type": "object", "properties": strings(&["email", "password"]) },
        "WidgetAccount": { "type": "object", "properties": { "name": { "type": "string" }, "email": { "type": "string" }, "organization": { "type": "string" }, "status": { "enum": ["pending_approval", "active", "rejected", "suspended"] } } },
        "LoginResponse": { "type": "object", "properties": { "token": { "type": "string" }, "account": { "$ref": "#/components/schemas/WidgetAccount" } } },
        "SignupOptions": {
            "type": "object",
            "properties": {
                "require_email_verification": { "type": "boolean" }, "require_address": { "type": "boolean" },
                "require_license_acceptance": { "type": "boolean" }, "auto_approve": { "type": "boolean" },
                "approved_domains": { "type": "array", "items": { "type": "string" } },
                "review_domains": { "type": "array", "items": { "type": "string" } },
                "custom_text": { "type": "string", "maxLength": 1000 }
            }
        },
        "LaunchRequest": { "type": "object", "required": ["test_drive"], "properties": { "test_drive": { "type": "string", "description": "A catalog entry's id." } } },
        "TestDriveInstance": { "type": "object", "properties": { "id": { "type": "string" }, "test_drive": { "type": "string", "description": "The test drive's name." }, "state": { "type": "string", "enum": ["launching", "running", "stopped", "expired", "failed"] }, "launched_at": { "type": "integer", "description": "ms since the epoch" }, "expires_at": { "type": "integer" }, "ended_at": { "type": ["integer", "null"] }, "failure": { "type": ["string", "null"], "description": "The provider's reason, when it failed." } } },
        "TestDrive": { "type": "object", "properties": { "id": { "type": "string" }, "name": { "type": "string" }, "description": { "type": "string" }, "duration_minutes": { "type": "integer" }, "launch_limit": { "type": "integer" }, "provider_id": { "type": "string" }, "provider_name": { "type": "string" }, "version": { "type": "integer" } } },
        "FieldError": { "type": "object", "properties": { "field": { "enum": field_names }, "code": { "type": "string" }, "message": { "type": "string" } } },
        "ApiError": { "type": "object", "properties": { "code": { "type": "string" }, "message": { "type": "string" }, "fields": { "type": "array", "items": { "$ref": "#/components/schemas/FieldError" } } } }
    })
}

/// Escaped text, with `backticked` words as code.
fn prose(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { format!("<code>{}</code>", escape_html(part)) } else { escape_html(part) })
        .collect()
}

/// The document as a page: each operation with its summary, body and answers, then the schemas.
async fn page(State(state): State<AppState>) -> Response {
    let doc = openapi(&state.public_origin);
    let mut html = String::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for (method, op) in item.iter().filter(|(method, _)| *method != "parameters") {
                let body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .map(|schema| {
                        format!(
                            "<p>Body: <code>{}</code></p>",
                            escape_html(schema.rsplit('/').next().unwrap_or(schema))
                        )
                    })
                    .unwrap_or_default();
                let answers: String = op["responses"]
                    .as_object()
                    .map(|responses| {
                        responses
                            .iter()
                            .map(|(status, r)| {
                                format!(
                                    "<li><code>{}</code> {}</li>",
                                    escape_html(status),
                                    escape_html(r["description"].as_str().unwrap_or(""))
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let description =
                    op["description"].as_str().map(|d| format!("<p>{}</p>", escape_html(d))).unwrap_or_default();
                html += &format!(
                    "<section class=\"status-box\"><h2 class=\"section\"><code>{} {}</code></h2><p>{}</p>{description}{body}<ul>{answers}</ul></section>",
                    escape_html(&method.to_uppercase()),
                    escape_html(path),
                    prose(op["summary"].as_str().unwrap_or("")),
                );
            }
        }
    }
    html += "<h2>Schemas</h2>";
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            let fields: String = schema["properties"]
                .as_object()
                .map(|properties| {
                    properties
                        .iter()
                        .map(|(field, spec)| {
                            let kind = spec["type"]
                                .as_str()
                                .map(str::to_owned)
                                .or_else(|| {
                                    spec["enum"].as_array().map(|values| {
                                        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                                        format!("one of: {}", names.join(", "))
                                    })
                                })
                                .or_else(|| spec["$ref"].as_str().map(|r| r.rsplit('/').next().unwrap_or(r).to_owned()))
                                .unwrap_or_default();
                            let note =
                                spec["description"].as_str().map(|d| format!(" — {}", prose(d))).unwrap_or_default();
                            format!("<li><code>{}</code> {}{note}</li>", escape_html(field), escape_html(&kind))
                        })
                        .collect()
                })
                .unwrap_or_default();
            html += &format!(
                "<section class=\"status-box\"><h3><code>{}</code></h3><ul>{fields}</ul></section>",
                escape_html(name)
            );
        }
    }
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Portico API</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"{css}\"></head><body><main class=\"page\">\
         <h1>Portico API</h1><p class=\"lede\">{intro} The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>{html}</main></body></html>",
        css = escape_html(&state.assets.portal_css),
        intro = prose(doc["info"]["description"].as_str().unwrap_or("")),
    );
    let mut response = Html(page).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    response
}
