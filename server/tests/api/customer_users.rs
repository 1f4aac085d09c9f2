//! The Users tab: a customer's users, their role, and disabling them; a customer keeps an admin.

use portico_shared::signup_options::SignupOptions;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(roles_change_a_customer_keeps_an_admin_and_disabled_users_cannot_sign_in);

async fn user(app: &TestApp, email: &str) -> (String, String, Option<i64>, i64) {
    sqlx::query_as("SELECT id, role, disabled_at, version FROM customer_users WHERE email = $1")
        .bind(email.to_lowercase())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn roles_change_a_customer_keeps_an_admin_and_disabled_users_cannot_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let options = SignupOptions { require_email_verification: false, auto_approve: true, ..SignupOptions::default() };
    app.set_signup_options(options).await;
    let signup = valid_signup();
    assert_eq!(app.post_signup(&app.widget_key, &signup, None).await.status(), 202);
    let (john, password) = (signup["email"].as_str().unwrap(), signup["password"].as_str().unwrap());
    let (john_id, role, _, _) = user(&app, john).await;
    assert_eq!(role, "admin", "the contact who signed up is the first admin");
    let customer: String = sqlx::query_scalar("SELECT id FROM customers").fetch_one(&app.db.pool).await.unwrap();
    // A second user of the same customer (inviting by e-mail comes later).
    sqlx::query(
        "INSERT INTO customer_users (id, reseller_id, customer_id, email, name, role, created_at) \
         VALUES ('cuu_jane', $1, $2, 'jane@customer.com', 'Jane Doe', 'user', 0)",
    )
    .bind(app.reseller.as_str())
    .bind(&customer)
    .execute(&app.db.pool)
    .await
    .unwrap();

    let cookie = app.session_cookie().await;
    let tab = app.page(&format!("/customers/{customer}/users"), Some(&cookie)).await.text().await.unwrap();
    assert!(tab.contains("John Smith") && tab.contains("jane@customer.com") && tab.contains("Make Jane Doe an admin"));

    let form = |user: &str, version: &str, key: &'static str, value: &str| -> Vec<(&'static str, String)> {
        vec![
            ("customer", customer.clone()),
            ("user", user.to_owned()),
            ("version", version.to_owned()),
            (key, value.to_owned()),
        ]
    };
    let post = |endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.portal_post(&cookie, endpoint, &form).await
        }
    };

    // John is the only admin: he can be neither demoted nor disabled.
    let demote = post("set_customer_user_role", form(&john_id, "1", "role", "user")).await;
    assert_eq!(demote.status(), 409);
    assert!(demote.text().await.unwrap().contains("John Smith is the customer's only admin"));
    assert_eq!(post("set_customer_user_disabled", form(&john_id, "1", "disabled", "true")).await.status(), 409);
    assert_eq!(post("set_customer_user_role", form("cuu_jane", "1", "role", "owner")).await.status(), 404);
    assert_eq!(user(&app, john).await.1, "admin");

    // Jane becomes an admin; then John may be disabled, which ends his widget session.
    assert_eq!(post("set_customer_user_role", form("cuu_jane", "1", "role", "admin")).await.status(), 200);
    assert_eq!(user(&app, "jane@customer.com").await.1, "admin");
    assert_eq!(app.widget_login(&app.widget_key, john, password).await.status(), 201);
    assert_eq!(app.count("widget_sessions").await, 1);
    assert_eq!(post("set_customer_user_disabled", form(&john_id, "1", "disabled", "true")).await.status(), 200);
    assert!(user(&app, john).await.2.is_some());
    assert_eq!(app.count("widget_sessions").await, 0);
    assert_eq!(app.widget_login(&app.widget_key, john, password).await.status(), 403);
    // A stale version changes nothing; the current one enables him again.
    assert_eq!(post("set_customer_user_disabled", form(&john_id, "1", "disabled", "false")).await.status(), 409);
    assert_eq!(post("set_customer_user_disabled", form(&john_id, "2", "disabled", "false")).await.status(), 200);
    assert_eq!(app.widget_login(&app.widget_key, john, password).await.status(), 201);

    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    for entry in ["Role of Jane Doe &lt;jane@customer.com&gt; changed", "John Smith &lt;john@customer.com&gt; disabled"]
    {
        assert!(history.contains(entry), "{entry}");
    }
}
