//! The API description: the OpenAPI 3.1 document (`/api/v1/openapi.json`), made by utoipa from
//! the JSON API's handlers and the shared types, so it cannot drift from them; the portal's
//! server functions, listed from the server's own registry, so a new one cannot be left out; and
//! a page people read (`/api/docs`), made from the same document.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use maud::{html, Markup, DOCTYPE};
use serde_json::Value;
use utoipa::openapi::path::{Operation, OperationBuilder, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::server::Server;
use utoipa::openapi::{Content, ObjectBuilder, OpenApi, Ref};

use crate::AppState;

/// The tag of the portal's server functions in the document.
const PORTAL_TAG: &str = "Portal server functions";

/// The document and the page, served as they were made at start.
pub fn router(document: Arc<Value>) -> Router<AppState> {
    let json = document.clone();
    Router::new()
        .route("/api/v1/openapi.json", get(move || async move { Json(json.as_ref().clone()) }))
        .route("/api/docs", get(move |state: State<AppState>| page(state, document.clone())))
}

/// The security schemes the operations name.
pub struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "widgetBearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token from POST …/sessions; the widget also keeps it as a partitioned cookie.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "portalSession",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "portico_session",
                "The portal's session cookie (`__Host-portico_session` when served over https). State-changing \
                 requests must come from the platform's origin.",
            ))),
        );
    }
}

/// The finished document: the JSON API as utoipa made it, the portal's server functions, and
/// `origin` as its server.
pub fn complete(mut openapi: OpenApi, origin: &str) -> OpenApi {
    openapi.servers = Some(vec![Server::new(origin)]);
    // Any JSON API operation can fail on Portico's side (the database gone, say).
    for (_, item) in openapi.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/api/")) {
        for operation in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete].into_iter().flatten() {
            let fault = ResponseBuilder::new()
                .description("Portico failed; the body says nothing of why (`internal`).")
                .content("application/json", Content::new(Some(Ref::from_schema_name("ApiError"))))
                .build();
            operation.responses.responses.entry("500".into()).or_insert(fault.into());
        }
    }
    for name in portal_functions() {
        let (summary, fields) = portal_function(&name).unwrap_or(("(undocumented)", ""));
        let mut item = PathItem::default();
        item.post = Some(portal_operation(summary, fields));
        openapi.paths.paths.insert(format!("/portal/{name}"), item);
    }
    openapi
}

/// A server function as an operation: a form-encoded POST with the portal's session, answering
/// JSON, or a refusal with its status.
fn portal_operation(summary: &str, fields: &str) -> Operation {
    let description = format!(
        "Form-encoded (`application/x-www-form-urlencoded`) fields: {}. Answers JSON; a refusal has a 4xx status \
         and says why.",
        if fields.is_empty() { "none" } else { fields }
    );
    let mut operation = OperationBuilder::new()
        .summary(Some(summary))
        .description(Some(description))
        .tag(PORTAL_TAG)
        .security(SecurityRequirement::new("portalSession", Vec::<String>::new()))
        .request_body(Some(
            RequestBodyBuilder::new()
                .content("application/x-www-form-urlencoded", Content::new(Some(ObjectBuilder::new().build())))
                .build(),
        ))
        .response("200", ResponseBuilder::new().description("Done; the result as JSON.").build());
    for (status, what) in [
        ("400", "The fields could not be read."),
        ("401", "Not signed in, or a wrong e-mail or password at sign-in."),
        ("403", "Not for the signed-in person's role, or sent from another site."),
        ("404", "Not there, or not this reseller's."),
        ("409", "Changed by someone else since the page showed it, or not allowed in its current state."),
        ("422", "Refused fields, each named."),
        ("429", "Too many attempts."),
    ] {
        operation = operation.response(status, ResponseBuilder::new().description(what).build());
    }
    operation.build()
}

/// What each portal server function does and the form fields it takes.
fn portal_function(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "sign_in" => ("Sign in to the portal; sets the session cookie, or, where two-step sign-in applies, the second step's cookie.", "email, password"),
        "pending_second_step" => ("What the sign-in's second step asks for: a code, or adding an authenticator app first (its key as a QR code and as text).", ""),
        "sign_in_code" => ("Answer the sign-in's second step with an app code or a recovery code; sets the session cookie and returns the recovery codes when an app was just added.", "code"),
        "account_page" => ("The signed-in person and their two-step sign-in.", ""),
        "begin_two_step" => ("Begin adding an authenticator app: its key as a QR code and as text.", ""),
        "confirm_two_step" => ("Turn two-step sign-in on with the app's first code; returns ten recovery codes.", "code"),
        "replace_recovery_codes" => ("Ten new recovery codes for a current code.", "code"),
        "turn_off_two_step" => ("Turn two-step sign-in off for a current code, where it is not required.", "code"),
        "require_two_step" => ("Require two-step sign-in of the whole team, or leave it to each member (reseller admins).", "required"),
        "reset_two_step" => ("Forget a member's authenticator app and recovery codes, and end their sessions (admins).", "member"),
        "sign_out" => ("End the portal session.", ""),
        "current_user" => ("The signed-in person and their reseller.", ""),
        "customers_page" => ("A page of customers.", "query[q], query[status], query[sort], query[after]"),
        "customer_page" => ("One customer with its history, users, providers, options and commercial settings (charges and discounts, taxes, credits, subscriptions).", "customer"),
        "history_page" => ("Every change in the reseller's account, newest first.", ""),
        "add_customer" => ("Add a customer (active at once).", "details[company_name], details[contact_name], details[title], details[email], details[phone], details[street_address], details[suite], details[city], details[state], details[zip], details[country]"),
        "update_customer" => ("Save Customer information.", "customer, version, details[…] as for add_customer"),
        "suspend_customer" => ("Suspend an active customer.", "customer, version"),
        "reactivate_customer" => ("Reactivate a suspended customer.", "customer, version"),
        "approve_signup" => ("Approve a signup waiting for approval.", "customer, version"),
        "reject_signup" => ("Reject a signup; the reason is e-mailed to the contact.", "customer, version, reason"),
        "set_cloud_providers" => ("Set the customer's cloud providers.", "customer, enabled[aws|azure|gcp]=true"),
        "add_cloud_account" => ("Cloud accounts → ADD → Save: add an AWS account to the customer (Amazon Web Services must be on under Cloud providers); the platform generates its ExternalId. Returns the new account's id.", "customer, account[provider]=aws, account[account_id], account[email]"),
        "known_cloud_accounts" => ("The ADD dialog's Account ID dropdown: the accounts of the platform's AWS organization whose root e-mail reaches one of the customer's mailboxes (its contact's or a user's, a +tag aside) and that no customer has yet, each with its account id, root e-mail and name.", "customer"),
        "change_cloud_link" => ("The reseller's step on a cloud account's link: request (its role must check Valid), answer (Cloud Support's question, with note), cancel (an open invitation), reinvite (after expiry, decline or cancel) or request_unlink. Refused with 409 when the link's state does not allow it or the version is stale.", "customer, account, version, action, note"),
        "mark_notifications_read" => ("Notifications → Mark all as read: the signed-in person's notifications up to until (ms since the epoch, the newest one the page showed) stop counting as unread; other people's stay as they are.", "until"),
        "notifications_page" => ("The Notifications page: what the platform told the signed-in person's team (a reseller's, or Cloud Support), newest first, each with a link to where to act.", ""),
        "request_new_cloud_account" => ("Request a new AWS account for the customer (the guide's Part 5): its root e-mail (never used with AWS), its name (1 to 50 printable ASCII characters) and a support plan of the provider's. It goes to Cloud Support at once; once approved, the platform creates it and e-mails the customer's primary contact a one-time link to their admin access. Returns the new account's id.", "customer, request[provider]=aws, request[email], request[account_name], request[support_plan]"),
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
        "save_charge_rule" => ("Charges and discounts: add a rule (no id) or change one (id and version). Amounts are in the rule's currency (such as 1,250.00); a percent has at most four decimals; tiers ascend, each up_to an amount and a value of a percent (10%) or an amount, the last with no bound. Refused fields are each named.", "customer, id, version, rule[kind] (charge|discount), rule[description], rule[calculation] (fixed|percent|tiered), rule[currency], rule[amount], rule[percent], rule[tiers][<n>][up_to], rule[tiers][<n>][value], rule[minimum], rule[maximum], rule[base] (customer_cost|seller_cost), rule[applies_to] (customer|accounts), rule[accounts][<cloud account id>]=true, rule[recurrence] (one_time|monthly), rule[start_month], rule[end_month] (YYYY-MM)"),
        "remove_charge_rule" => ("Charges and discounts: a rule stops applying from now on; it stays on record.", "customer, id, version"),
        "save_tax_profile" => ("Taxes: the reseller's rates that apply to the customer (in force, or already the customer's), its tax id and its exemption (reverse charge needs the tax id; exempt needs a certificate number and an expiry to come). Version 0: never saved.", "customer, version, profile[rates][<tax rate id>]=true, profile[tax_id], profile[exemption] (none|exempt|reverse_charge), profile[certificate_number], profile[certificate_expiry] (YYYY-MM-DD)"),
        "grant_credit" => ("Credits: grant an amount above zero with a reason and an optional expiry still to come.", "customer, credit[amount], credit[currency], credit[reason], credit[expires_on], credit[comment]"),
        "reverse_credit" => ("Credits: reverse a grant whole, with a reason; a grant is reversed once (a second reversal gets 409).", "customer, credit, reason"),
        "save_subscription" => ("Subscriptions: subscribe the customer to a product on offer (no id; quantity at least 1, start date, optional end date, auto-renew) or change a running one's quantity, end date and auto-renew (id and version).", "customer, id, version, subscription[product], subscription[quantity], subscription[start_date], subscription[end_date], subscription[auto_renew]=true"),
        "change_subscription" => ("Subscriptions: a step its state allows: activate (pending), suspend (active), resume (suspended), cancel (active; it ends at the end of its term or billing period) or keep (pending cancel). Otherwise 409.", "customer, id, version, step"),
        "tax_rates_page" => ("Settings → Tax rates (reseller admins).", ""),
        "save_tax_rate" => ("Add a tax rate (no id) or change one no customer has had (id and version).", "id, version, rate[name], rate[rate], rate[country], rate[region], rate[postal_code], rate[valid_from] (YYYY-MM-DD)"),
        "remove_tax_rate" => ("Delete a tax rate no customer has had, or retire one from today.", "id, version"),
        "products_page" => ("Settings → Products (reseller admins).", ""),
        "save_product" => ("Add a product (no id) or change one (id and version); the SKU is unique among the reseller's products.", "id, version, product[name], product[sku], product[unit_price], product[currency], product[billing_period] (monthly|annual|one_time), product[term_months]"),
        "remove_product" => ("Delete a product no customer has subscribed to, or retire it (no longer offered).", "id, version"),
        "usage_page" => ("Usage (reseller admins, or platform admins for the platform's own): the usage reports imported, newest first, with their progress and what they matched.", ""),
        "upload_usage" => ("Usage → Upload: an AWS Cost and Usage Report (legacy CSV) or a FOCUS 1.0 export, plain or gzip, sent as multipart/form-data with the file in the report field; stored, then imported by a job. Answers the import's id.", "report (a file)"),
        "usage_unmatched" => ("An import's rows no linked cloud account claims, by account, month and currency, with their rows, the provider's cost and why.", "import"),
        "customer_bills" => ("A customer's Bills tab: its bills for a month (empty: this month), reckoned now while the month is open, its invoices once it is closed, and the last 12 months' usage and billed amounts.", "customer, month (YYYY-MM)"),
        "billing_page" => ("Billing (reseller admins): the months closed, the next one to close, and the invoices of a month (empty: the last closed).", "month (YYYY-MM)"),
        "save_auto_close" => ("Billing → Close automatically: the day of the next month (1–28) on which each month closes by itself, or off; 422 for anything else.", "auto_close[close_day] (off or 1–28)"),
        "close_month" => ("Billing → Close month: issues the month's invoices (a job), numbered without gaps and e-mailed; 409 when it is not over, or closed already.", "month (YYYY-MM)"),
        "invoice_page" => ("One of the reseller's invoices, as issued.", "invoice"),
        "home_billing" => ("Home's billing summary: what the last closed month billed, and its top customers (none for the platform's staff, or before a month is closed).", ""),
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

/// Text with `backticked` words as code.
fn prose(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// The schema's name a `$ref` points at.
fn schema_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// What a property is: its type, its values, or the schema it refers to.
fn kind_of(spec: &Value) -> String {
    if let Some(values) = spec["enum"].as_array() {
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return format!("one of: {}", names.join(", "));
    }
    if let Some(reference) = spec["$ref"].as_str() {
        return schema_name(reference).to_owned();
    }
    match &spec["type"] {
        Value::String(kind) if kind == "array" => format!("array of {}", kind_of(&spec["items"])),
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
        _ => spec["oneOf"]
            .as_array()
            .map(|options| options.iter().map(kind_of).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" or "))
            .unwrap_or_default(),
    }
}

/// The document as a page: each operation with its summary, body and answers, then the schemas.
async fn page(State(state): State<AppState>, doc: Arc<Value>) -> Response {
    let operations = doc["paths"].as_object().into_iter().flatten().flat_map(|(path, item)| {
        item.as_object()
            .into_iter()
            .flatten()
            .filter(|(method, _)| *method != "parameters")
            .map(move |(m, op)| (path, m, op))
    });
    let body = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Portico API" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(state.assets.portal_css);
            }
            body {
                main.page {
                    h1 { "Portico API" }
                    p.lede {
                        (prose(doc["info"]["description"].as_str().unwrap_or_default()))
                        " The machine-readable document: " a href="/api/v1/openapi.json" { "/api/v1/openapi.json" }
                        " (OpenAPI 3.1)."
                    }
                    @for (path, method, op) in operations {
                        section.status-box {
                            h2.section { code { (method.to_uppercase()) " " (path) } }
                            p { (prose(op["summary"].as_str().unwrap_or_default())) }
                            @if let Some(description) = op["description"].as_str() { p { (prose(description)) } }
                            @if let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str() {
                                p { "Body: " code { (schema_name(schema)) } }
                            }
                            ul {
                                @for (status, response) in op["responses"].as_object().into_iter().flatten() {
                                    li { code { (status) } " " (prose(response["description"].as_str().unwrap_or_default())) }
                                }
                            }
                        }
                    }
                    h2 { "Schemas" }
                    @for (name, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
                        section.status-box {
                            h3 { code { (name) } }
                            @if let Some(description) = schema["description"].as_str() { p { (prose(description)) } }
                            ul {
                                @for (field, spec) in schema["properties"].as_object().into_iter().flatten() {
                                    li {
                                        code { (field) } " " (kind_of(spec))
                                        @if let Some(note) = spec["description"].as_str() { " — " (prose(note)) }
                                    }
                                }
                                @if let Some(values) = schema["enum"].as_array() {
                                    li { (kind_of(&Value::Object([("enum".to_owned(), Value::Array(values.clone()))].into_iter().collect()))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut response = Html(body.into_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    response
}
