//! The Users tab: a customer's users, their role, and disabling them; a customer keeps an admin.

use portico_shared::signup_options::SignupOptions;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(
    roles_change_a_customer_keeps_an_admin_and_disabled_users_cannot_sign_in,
    a_reseller_invites_a_customer_user_who_chooses_a_password_and_logs_in,
);

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
    app.add_jane(&customer).await;

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
    // A role that does not exist is refused with the request, before anything is looked up.
    assert_eq!(post("set_customer_user_role", form("cuu_jane", "1", "role", "owner")).await.status(), 400);
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

async fn a_reseller_invites_a_customer_user_who_chooses_a_password_and_logs_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let invite = |email: &str, name: &str, role: &str| {
        let form = [
            ("customer", customer.clone()),
            ("invitation[email]", email.to_owned()),
            ("invitation[name]", name.to_owned()),
            ("invitation[role]", role.to_owned()),
        ];
        let (app, cookie) = (&app, cookie.clone());
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.portal_post(&cookie, "invite_customer_user", &form).await
        }
    };

    // Each bad field is named and nothing is stored or sent.
    for (email, name, role, field, code) in [
        ("", "Jane", "user", "email", "required"),
        ("jane@", "Jane", "user", "email", "invalid_format"),
        ("jane@customer.com", "", "user", "name", "required"),
        ("jane@customer.com", "<Jane>", "user", "name", "invalid_characters"),
        ("jane@customer.com", "Jane", "agent", "role", "invalid_format"),
    ] {
        let response = invite(email, name, role).await;
        assert_eq!(response.status(), 422, "{field}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("customer_users").await, 0);
    assert_eq!(app.count("jobs").await, 0);

    assert_eq!(invite("Jane@Customer.com", "Jane Doe", "user").await.status(), 200);
    let taken = invite("jane@customer.com", "Jane Again", "user").await;
    assert_eq!(taken.status(), 422, "one address, one user per reseller");
    let tab = app.page(&format!("/customers/{customer}/users"), Some(&cookie)).await.text().await.unwrap();
    assert!(tab.contains("Invited") && tab.contains("Resend the invitation to jane@customer.com"));
    // Before choosing a password, she cannot log in.
    assert_eq!(app.widget_login(&app.widget_key, "jane@customer.com", "anything at all here").await.status(), 401);

    let mail = app.mail.wait_for("jane@customer.com", 1).await;
    assert!(mail[0].message.contains("Reseller One added you as a user of Internal-Legal's account"));
    let (_, token) = crate::smtp::link_to(&mail[0].message, "/widget/v1/reset?token=");
    let user: String = sqlx::query_scalar("SELECT id FROM customer_users WHERE email = 'jane@customer.com'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // A resend within the minute is refused with the reason; a later one sends a new link.
    let resend_form = [("customer", customer.as_str()), ("user", user.as_str())];
    let resend = || app.portal_post(&cookie, "resend_customer_invitation", &resend_form);
    let early = resend().await;
    assert_eq!(early.status(), 409);
    assert!(early.text().await.unwrap().contains("less than a minute ago"));
    sqlx::query("UPDATE email_tokens SET created_at = created_at - 120000").execute(&app.db.pool).await.unwrap();
    assert_eq!(resend().await.status(), 200);
    app.mail.wait_for("jane@customer.com", 2).await;

    let page = app.page(&format!("/widget/v1/reset?token={token}"), None).await.text().await.unwrap();
    assert!(page.contains("Choose your password") && page.contains("Welcome, Jane Doe."), "{page}");
    let password = "janes own long passphrase";
    let set = app
        .post_form("/widget/v1/reset", &[("token", &token), ("password", password), ("verify_password", password)])
        .await;
    assert_eq!(set.status(), 200);
    assert!(set.text().await.unwrap().contains("Your password is set"));
    assert_eq!(app.widget_login(&app.widget_key, "jane@customer.com", password).await.status(), 201);
    let after = resend().await;
    assert_eq!(after.status(), 409, "she has a password now");

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE customer_id = $1 ORDER BY at, id")
            .bind(&customer)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert!(actions.contains(&"User jane@customer.com invited".to_owned()), "{actions:?}");
    assert!(actions.contains(&"Invitation to jane@customer.com sent again".to_owned()), "{actions:?}");
    assert!(actions.contains(&"User jane@customer.com chose their password".to_owned()), "{actions:?}");
}
