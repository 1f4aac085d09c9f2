//! `POST /api/v1/widgets/{key}/signups`.

use futures::future::join_all;
use serde_json::{json, Value};
use sqlx::Row;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(
    a_valid_signup_stores_a_customer_awaiting_approval,
    each_invalid_field_is_refused_by_name_and_nothing_is_stored,
    unknown_and_revoked_keys_are_refused_clearly,
    a_double_click_creates_one_customer,
    fifty_concurrent_posts_with_one_key_create_one_customer,
    an_idempotency_key_reused_for_another_body_is_refused,
    an_existing_email_gets_the_same_answer_and_nothing_new,
    malformed_bodies_are_refused_without_storing,
    a_post_from_another_site_is_refused,
    robots_are_asked_to_send_again_and_nothing_is_stored,
    many_people_signing_up_at_once_are_all_stored,
);

async fn a_valid_signup_stores_a_customer_awaiting_approval(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.post_signup(&app.widget_key, &valid_signup(), None).await;
    assert_eq!(response.status(), 202);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "next_step": "verify_email" }));

    let customer = sqlx::query(
        "SELECT reseller_id, organization, contact_name, contact_email, contact_phone, country, zip, suite, status, source \
         FROM customers",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(customer.get::<String, _>("reseller_id"), app.reseller.as_str());
    assert_eq!(customer.get::<String, _>("organization"), "Internal-Legal");
    assert_eq!(customer.get::<String, _>("contact_email"), "john@customer.com");
    assert_eq!(customer.get::<String, _>("country"), "US");
    assert_eq!(customer.get::<Option<String>, _>("suite"), None);
    assert_eq!(customer.get::<String, _>("status"), "pending_approval");
    assert_eq!(customer.get::<String, _>("source"), "widget_signup");

    let user =
        sqlx::query("SELECT email, role, password_hash FROM customer_users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(user.get::<String, _>("email"), "john@customer.com");
    assert_eq!(user.get::<String, _>("role"), "admin");
    let hash: String = user.get("password_hash");
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    assert!(!hash.contains("horse"));

    let mail = app.mail.wait_for("john@customer.com", 1).await;
    assert!(mail[0].message.contains("Subject: Confirm your e-mail address for Reseller One"), "{}", mail[0].message);
}

async fn each_invalid_field_is_refused_by_name_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases: &[(&str, Value, &str)] = &[
        ("company_name", json!(""), "required"),
        ("company_name", json!("x".repeat(161)), "too_long"),
        ("contact_name", json!("<script>alert(1)</script>"), "invalid_characters"),
        ("title", json!("t".repeat(81)), "too_long"),
        ("phone", json!("12345"), "invalid_format"),
        ("country", json!("Atlantis"), "unknown_country"),
        ("street_address", json!("1234 Lane\u{0000}"), "invalid_characters"),
        ("suite", json!("s".repeat(41)), "too_long"),
        ("city", json!("c".repeat(81)), "too_long"),
        ("state", json!("Ari\u{202E}zona"), "invalid_characters"),
        ("state", json!("Ontario"), "invalid_format"),
        ("zip", json!("8500"), "invalid_format"),
        ("email", json!("john.customer.com"), "invalid_format"),
        ("password", json!("too short"), "too_short"),
        ("verify_password", json!("not the same passphrase"), "mismatch"),
    ];
    for (field, value, code) in cases {
        let mut body = valid_signup();
        body[*field] = value.clone();
        if *field == "password" {
            body["verify_password"] = value.clone();
        }
        let response = app.post_signup(&app.widget_key, &body, None).await;
        assert_eq!(response.status(), 422, "{field}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["code"], "validation_failed");
        assert_eq!(error["fields"].as_array().unwrap().len(), 1, "{field}: {error}");
        assert_eq!(error["fields"][0]["field"], *field);
        assert_eq!(error["fields"][0]["code"], *code, "{field}");
        assert!(!error["fields"][0]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.count("customers").await, 0);
    assert_eq!(app.count("customer_users").await, 0);
}

async fn unknown_and_revoked_keys_are_refused_clearly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.post_signup("pk_does_not_exist", &valid_signup(), None).await;
    assert_eq!(response.status(), 404);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "unknown_widget_key");
    assert!(error["message"].as_str().unwrap().contains("data-key"));

    portico_domain::widget::keys::revoke(&app.db, &app.widget_key).await.unwrap();
    let response = app.post_signup(&app.widget_key, &valid_signup(), None).await;
    assert_eq!(response.status(), 410);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "revoked_widget_key");
    assert_eq!(app.count("customers").await, 0);
}

async fn a_double_click_creates_one_customer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.post_signup(&app.widget_key, &valid_signup(), Some("form-1")).await;
    let second = app.post_signup(&app.widget_key, &valid_signup(), Some("form-1")).await;
    assert_eq!(first.status(), 202);
    assert_eq!(second.status(), 202);
    assert_eq!(first.text().await.unwrap(), second.text().await.unwrap());
    assert_eq!(app.count("customers").await, 1);
    // Without a key, the second signup for the same e-mail still makes no second customer.
    let third = app.post_signup(&app.widget_key, &valid_signup(), None).await;
    assert_eq!(third.status(), 202);
    assert_eq!(app.count("customers").await, 1);
}

async fn fifty_concurrent_posts_with_one_key_create_one_customer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = valid_signup();
    let responses = join_all((0..50).map(|_| app.post_signup(&app.widget_key, &body, Some("burst")))).await;
    let mut bodies = Vec::new();
    for response in responses {
        assert_eq!(response.status(), 202);
        bodies.push(response.text().await.unwrap());
    }
    bodies.dedup();
    assert_eq!(bodies.len(), 1, "every caller sees the one response");
    assert_eq!(app.count("customers").await, 1);
    assert_eq!(app.count("customer_users").await, 1);
    assert_eq!(app.count("idempotency_keys").await, 1);
}

async fn an_idempotency_key_reused_for_another_body_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), Some("k1")).await.status(), 202);
    let mut other = valid_signup();
    other["email"] = json!("someone.else@customer.com");
    let response = app.post_signup(&app.widget_key, &other, Some("k1")).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "idempotency_key_reused");
    assert_eq!(app.count("customers").await, 1);
}

async fn an_existing_email_gets_the_same_answer_and_nothing_new(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.post_signup(&app.widget_key, &valid_signup(), None).await;
    app.mail.wait_for("john@customer.com", 1).await;
    let mut again = valid_signup();
    again["company_name"] = json!("Another Company");
    again["email"] = json!("  JOHN@customer.com ");
    let second = app.post_signup(&app.widget_key, &again, None).await;
    assert_eq!(first.status(), second.status());
    assert_eq!(first.text().await.unwrap(), second.text().await.unwrap());
    assert_eq!(app.count("customers").await, 1);
    let organization: String =
        sqlx::query_scalar("SELECT organization FROM customers").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(organization, "Internal-Legal");
    // The owner hears about it instead.
    let mail = app.mail.wait_for("john@customer.com", 2).await;
    assert!(mail[1].message.contains("Subject: You already have an account with Reseller One"), "{}", mail[1].message);
}

async fn malformed_bodies_are_refused_without_storing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let url = format!("{}/api/v1/widgets/{}/signups", app.address, app.widget_key);
    let not_json =
        app.client.post(&url).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(not_json.status(), 400);
    assert_eq!(not_json.json::<Value>().await.unwrap()["code"], "malformed_request");
    let as_form = app.client.post(&url).form(&[("company_name", "Acme")]).send().await.unwrap();
    assert_eq!(as_form.status(), 400);
    let wrong_type = app.post_signup(&app.widget_key, &json!({ "company_name": 42 }), None).await;
    assert_eq!(wrong_type.status(), 400);
    assert_eq!(app.count("customers").await, 0);
}

async fn a_post_from_another_site_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .client
        .post(format!("{}/api/v1/widgets/{}/signups", app.address, app.widget_key))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .json(&valid_signup())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "forbidden");
    assert_eq!(app.count("customers").await, 0);
}

async fn robots_are_asked_to_send_again_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    // The frame is served with a token the server signed, dating the form.
    let frame = app.get(&format!("{}/widget/v1/frame?key={}", app.address, app.widget_key)).await;
    assert!(frame.text().await.unwrap().contains(r#""form_token":""#));

    let mut honeypot = valid_signup();
    honeypot["email"] = json!("bot1@spam.example");
    honeypot["website"] = json!("http://spam.example");
    let mut hasty = valid_signup();
    hasty["email"] = json!("bot2@spam.example");
    hasty["form_token"] = json!(app.form_token_served(400));
    let mut forged = valid_signup();
    forged["email"] = json!("bot3@spam.example");
    forged["form_token"] = json!("1000.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    let mut none = valid_signup();
    none["email"] = json!("bot4@spam.example");
    none["form_token"] = json!("");
    for robot in [honeypot, hasty.clone(), forged, none] {
        let response = app.post_signup(&app.widget_key, &robot, None).await;
        assert_eq!(response.status(), 409, "{robot}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "send_again");
        assert_eq!(body["message"], "Please check the form and press Signup again.");
    }
    assert_eq!(app.count("customers").await, 1, "only the person's signup");
    assert!(app.mail.to("bot1@spam.example").is_empty() && app.mail.to("bot2@spam.example").is_empty());

    // A person whose browser filled the form in at once sends it again a moment later: stored.
    hasty["form_token"] = json!(app.form_token_served(3_500));
    assert_eq!(app.post_signup(&app.widget_key, &hasty, None).await.status(), 202);
    assert_eq!(app.count("customers").await, 2);
}

async fn many_people_signing_up_at_once_are_all_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bodies: Vec<Value> = (0..20)
        .map(|i| {
            let mut body = valid_signup();
            body["email"] = json!(format!("person{i}@crowd.example"));
            body
        })
        .collect();
    let responses = join_all(bodies.iter().map(|body| app.post_signup(&app.widget_key, body, None))).await;
    for response in responses {
        assert_eq!(response.status(), 202);
    }
    assert_eq!(app.count("customers").await, 20);
    assert_eq!(app.count("customer_users").await, 20);
}
