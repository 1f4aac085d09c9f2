//! The Cloud providers and Customer options tabs: stored per customer, validated, versioned,
//! recorded in the history, and scoped to the reseller.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;
use portico_shared::ids::ResellerId;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(
    ticking_aws_enables_it_and_a_provider_with_accounts_cannot_be_turned_off,
    customer_options_are_validated_versioned_and_recorded,
    another_reseller_cannot_read_or_change_the_settings,
);

async fn customer(app: &TestApp, reseller: &ResellerId, email: &str) -> String {
    app.add_customer(reseller, "Internal-Legal", "John Smith", email).await
}

async fn enabled(app: &TestApp, id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT provider_id FROM customer_cloud_providers WHERE customer_id = $1 ORDER BY provider_id")
        .bind(id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn ticking_aws_enables_it_and_a_provider_with_accounts_cannot_be_turned_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let id = customer(&app, &app.reseller, "john@customer.com").await;

    let page = app.page(&format!("/customers/{id}/providers"), Some(&cookie)).await.text().await.unwrap();
    for provider in ["Amazon Web Services", "Microsoft Azure", "Google Cloud"] {
        assert!(page.contains(provider), "{provider}");
    }
    let saved = app.portal_post(&cookie, "set_cloud_providers", &[("customer", &id), ("enabled[aws]", "true")]).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(enabled(&app, &id).await, ["aws"]);
    let both = [("customer", id.as_str()), ("enabled[aws]", "true"), ("enabled[gcp]", "true")];
    assert_eq!(app.portal_post(&cookie, "set_cloud_providers", &both).await.status(), 200);
    assert_eq!(enabled(&app, &id).await, ["aws", "gcp"]);

    // A provider Portico does not know is refused, and nothing changes.
    let unknown = [("customer", id.as_str()), ("enabled[aws]", "true"), ("enabled[ibm]", "true")];
    assert_eq!(app.portal_post(&cookie, "set_cloud_providers", &unknown).await.status(), 404);
    assert_eq!(enabled(&app, &id).await, ["aws", "gcp"]);

    // With a cloud account on AWS, turning AWS off is refused with the reason; Google Cloud goes.
    let account = [
        ("customer", id.as_str()),
        ("account[provider]", "aws"),
        ("account[account_id]", "123456789012"),
        ("account[email]", "root@customer.com"),
    ];
    assert_eq!(app.portal_post(&cookie, "add_cloud_account", &account).await.status(), 200);
    let refused = app.portal_post(&cookie, "set_cloud_providers", &[("customer", &id)]).await;
    assert_eq!(refused.status(), 409);
    let why = refused.text().await.unwrap();
    assert!(
        why.contains("Amazon Web Services cannot be turned off: this customer has 1 cloud account with it"),
        "{why}"
    );
    assert_eq!(enabled(&app, &id).await, ["aws", "gcp"]);
    let kept = app.portal_post(&cookie, "set_cloud_providers", &[("customer", &id), ("enabled[aws]", "true")]).await;
    assert_eq!(kept.status(), 200);
    assert_eq!(enabled(&app, &id).await, ["aws"]);

    let html = app.page(&format!("/customers/{id}"), Some(&cookie)).await.text().await.unwrap();
    assert!(html.contains("Cloud providers changed"));
    assert!(html.contains("Cloud providers: Amazon Web Services, Google Cloud → Amazon Web Services"), "{html}");
}

async fn options_row(app: &TestApp, id: &str) -> Option<(i64, Option<i64>, i64, i64)> {
    sqlx::query_as(
        "SELECT test_drives_allowed, launch_limit_override, may_request_cloud_accounts, version \
         FROM customer_options WHERE customer_id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db.pool)
    .await
    .unwrap()
}

async fn customer_options_are_validated_versioned_and_recorded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let id = customer(&app, &app.reseller, "john@customer.com").await;
    let page = app.page(&format!("/customers/{id}/options"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("Test drives allowed") && page.contains("May request new cloud accounts"));
    assert_eq!(options_row(&app, &id).await, None, "defaults until first saved");

    for bad in ["0", "101", "2.5", "three", "-4"] {
        let form = [("customer", id.as_str()), ("version", "0"), ("options[launch_limit_override]", bad)];
        let refused = app.portal_post(&cookie, "save_customer_options", &form).await;
        assert_eq!(refused.status(), 422, "{bad}");
        assert!(refused.text().await.unwrap().contains("\"field\":\"launch_limit_override\""));
    }
    assert_eq!(options_row(&app, &id).await, None);

    let form = [
        ("customer", id.as_str()),
        ("version", "0"),
        ("options[test_drives_allowed]", "true"),
        ("options[launch_limit_override]", "3"),
        ("options[may_request_cloud_accounts]", "true"),
    ];
    assert_eq!(app.portal_post(&cookie, "save_customer_options", &form).await.status(), 200);
    assert_eq!(options_row(&app, &id).await, Some((1, Some(3), 1, 1)));
    // The same form again was filled from version 0: it changed meanwhile.
    let stale = app.portal_post(&cookie, "save_customer_options", &form).await;
    assert_eq!(stale.status(), 409);
    assert_eq!(options_row(&app, &id).await, Some((1, Some(3), 1, 1)));
    // Unticked boxes turn options off; an empty limit goes back to each test drive's own.
    let off = [("customer", id.as_str()), ("version", "1"), ("options[launch_limit_override]", "")];
    assert_eq!(app.portal_post(&cookie, "save_customer_options", &off).await.status(), 200);
    assert_eq!(options_row(&app, &id).await, Some((0, None, 0, 2)));

    let html = app.page(&format!("/customers/{id}"), Some(&cookie)).await.text().await.unwrap();
    assert!(
        html.contains("Test drive launch limit: 3 → Each test drive&#x27;s own")
            || html.contains("Test drive launch limit: 3 → Each test drive's own"),
        "{html}"
    );
}

async fn another_reseller_cannot_read_or_change_the_settings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = customer(&app, &app.reseller, "john@customer.com").await;
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
    assert_eq!(app.page(&format!("/customers/{id}/providers"), Some(&cookie)).await.status(), 404);
    let providers =
        app.portal_post(&cookie, "set_cloud_providers", &[("customer", &id), ("enabled[aws]", "true")]).await;
    assert_eq!(providers.status(), 404);
    let form = [("customer", id.as_str()), ("version", "0"), ("options[launch_limit_override]", "5")];
    assert_eq!(app.portal_post(&cookie, "save_customer_options", &form).await.status(), 404);
    assert!(enabled(&app, &id).await.is_empty());
    assert_eq!(options_row(&app, &id).await, None);
    assert_eq!(app.count("audit_events").await, 1, "only the customer's creation");
}
