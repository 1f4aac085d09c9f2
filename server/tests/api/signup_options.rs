//! `GET` / `PUT /api/v1/reseller/signup-options`.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;
use serde_json::{json, Value};

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(
    admins_read_and_change_their_options,
    bad_options_are_refused_field_by_field,
    only_signed_in_admins_of_that_reseller
);

fn url(app: &TestApp) -> String {
    format!("{}/api/v1/reseller/signup-options", app.address)
}

async fn put(app: &TestApp, cookie: &str, body: &Value) -> reqwest::Response {
    app.client.put(url(app)).header("Origin", &app.address).header("Cookie", cookie).json(body).send().await.unwrap()
}

async fn admins_read_and_change_their_options(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let defaults: Value =
        app.client.get(url(&app)).header("Cookie", &cookie).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        defaults,
        json!({
            "require_email_verification": true, "require_address": false, "require_license_acceptance": false,
            "auto_approve": false, "approved_domains": [], "review_domains": [], "custom_text": ""
        })
    );
    let changed = put(
        &app,
        &cookie,
        &json!({
            "require_email_verification": false, "require_address": true, "require_license_acceptance": true,
            "auto_approve": true, "approved_domains": [" Partner.com "], "review_domains": ["gmail.com"],
            "custom_text": " Welcome "
        }),
    )
    .await;
    assert_eq!(changed.status(), 200);
    let saved: Value = app.client.get(url(&app)).header("Cookie", &cookie).send().await.unwrap().json().await.unwrap();
    assert_eq!(saved["approved_domains"], json!(["partner.com"]));
    assert_eq!(saved["custom_text"], "Welcome");
    assert_eq!(saved["auto_approve"], true);
}

async fn bad_options_are_refused_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let bad = put(
        &app,
        &cookie,
        &json!({
            "require_email_verification": true, "require_address": false, "require_license_acceptance": false,
            "auto_approve": false, "approved_domains": ["not a domain"], "review_domains": [],
            "custom_text": "x".repeat(1001)
        }),
    )
    .await;
    assert_eq!(bad.status(), 422);
    let error: Value = bad.json().await.unwrap();
    assert_eq!(error["fields"][0]["field"], "approved_domains");
    assert_eq!(error["fields"][1]["field"], "custom_text");
    assert_eq!(app.count("reseller_signup_options").await, 0, "nothing stored");
    let missing_member = put(&app, &cookie, &json!({ "auto_approve": true })).await;
    assert_eq!(missing_member.status(), 400);
    assert_eq!(app.count("reseller_signup_options").await, 0);
}

async fn only_signed_in_admins_of_that_reseller(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.client.get(url(&app)).send().await.unwrap().status(), 401);

    let cookie = app.agent_cookie().await;
    let refused = app.client.get(url(&app)).header("Cookie", &cookie).send().await.unwrap();
    assert_eq!(refused.status(), 403);

    // Another reseller's admin changes only their own reseller's options.
    let other = resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let email = EmailAddress::parse("admin@two.test").unwrap();
    resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &other,
        &email,
        "Two",
        Role::Admin,
        "second reseller passphrase",
    )
    .await
    .unwrap();
    let cookie = app.cookie_for("admin@two.test", "second reseller passphrase").await;
    let body = json!({
        "require_email_verification": false, "require_address": false, "require_license_acceptance": false,
        "auto_approve": true, "approved_domains": [], "review_domains": [], "custom_text": ""
    });
    assert_eq!(put(&app, &cookie, &body).await.status(), 200);
    let ours = portico_domain::signup_options::load(&app.db, &app.reseller).await.unwrap();
    assert!(ours.require_email_verification && !ours.auto_approve, "untouched");
    let theirs = portico_domain::signup_options::load(&app.db, &other).await.unwrap();
    assert!(theirs.auto_approve);
}
