//! A reseller approves or rejects signups from the portal.

use futures::future::join_all;
use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(
    approving_activates_the_customer_and_tells_the_contact,
    rejecting_needs_a_reason_and_mails_it,
    another_resellers_admin_cannot_decide,
    two_people_deciding_at_once_get_one_success_and_one_conflict,
);

const JOHN: &str = "john@customer.com";

async fn pending_customer(app: &TestApp) -> String {
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    sqlx::query_scalar("SELECT id FROM customers").fetch_one(&app.db.pool).await.unwrap()
}

async fn decide(app: &TestApp, cookie: &str, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.portal_post(cookie, endpoint, form).await
}

async fn state(app: &TestApp) -> (String, i64) {
    let row: (String, i64) =
        sqlx::query_as("SELECT status, version FROM customers").fetch_one(&app.db.pool).await.unwrap();
    row
}

async fn approving_activates_the_customer_and_tells_the_contact(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let customer = pending_customer(&app).await;
    let cookie = app.session_cookie().await;
    let approved = decide(&app, &cookie, "approve_signup", &[("customer", &customer), ("version", "1")]).await;
    assert_eq!(approved.status(), 200);
    assert_eq!(state(&app).await, ("active".into(), 2));
    let decided_by: Option<String> =
        sqlx::query_scalar("SELECT decided_by FROM customers").fetch_one(&app.db.pool).await.unwrap();
    assert!(decided_by.unwrap().starts_with("rsu_"));
    let mail = app.mail.wait_for(JOHN, 2).await;
    assert!(mail[1].message.contains("Subject: Your Reseller One account is ready"), "{}", mail[1].message);

    // Deciding again, on the version the page showed before, is refused: it changed meanwhile.
    let again = decide(&app, &cookie, "approve_signup", &[("customer", &customer), ("version", "1")]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("decided or changed meanwhile"));
    assert_eq!(state(&app).await, ("active".into(), 2));
}

async fn rejecting_needs_a_reason_and_mails_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let customer = pending_customer(&app).await;
    let cookie = app.session_cookie().await;
    for reason in ["", "   ", &"x".repeat(501)] {
        let refused =
            decide(&app, &cookie, "reject_signup", &[("customer", &customer), ("version", "1"), ("reason", reason)])
                .await;
        assert_eq!(refused.status(), 422, "{reason:?}");
        assert_eq!(state(&app).await, ("pending_approval".into(), 1), "nothing changed");
    }
    let reason = "We only serve customers in Arizona.";
    let rejected =
        decide(&app, &cookie, "reject_signup", &[("customer", &customer), ("version", "1"), ("reason", reason)]).await;
    assert_eq!(rejected.status(), 200);
    assert_eq!(state(&app).await, ("rejected".into(), 2));
    let mail = app.mail.wait_for(JOHN, 2).await;
    assert!(mail[1].message.contains("Subject: Your signup with Reseller One"));
    assert!(mail[1].message.contains(reason));
}

async fn another_resellers_admin_cannot_decide(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let customer = pending_customer(&app).await;
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
    let refused = decide(&app, &cookie, "approve_signup", &[("customer", &customer), ("version", "1")]).await;
    assert_eq!(refused.status(), 404);
    assert_eq!(state(&app).await, ("pending_approval".into(), 1));
    let anonymous =
        decide(&app, "portico_session=nobody", "approve_signup", &[("customer", &customer), ("version", "1")]).await;
    assert_eq!(anonymous.status(), 401);
}

async fn two_people_deciding_at_once_get_one_success_and_one_conflict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let customer = pending_customer(&app).await;
    let cookie = app.session_cookie().await;
    let approve = [("customer", customer.as_str()), ("version", "1")];
    let reject = [("customer", customer.as_str()), ("version", "1"), ("reason", "Duplicate of an existing customer.")];
    let answers =
        join_all([decide(&app, &cookie, "approve_signup", &approve), decide(&app, &cookie, "reject_signup", &reject)])
            .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 409]);
    let (status, version) = state(&app).await;
    assert!(status == "active" || status == "rejected");
    assert_eq!(version, 2, "exactly one transition");
}
