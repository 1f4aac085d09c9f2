//! E-mail verification and what the reseller's options decide about a signup.

use portico_shared::signup_options::SignupOptions;
use serde_json::{json, Value};

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};
use crate::smtp::verification_link;

both_backends!(
    the_link_confirms_the_address_once,
    an_expired_link_says_so_and_offers_a_new_one,
    an_approved_domain_is_active_once_confirmed,
    without_verification_the_options_decide_at_once,
    resending_never_reveals_an_account_and_is_paced,
    the_resellers_form_rules_are_enforced_by_the_server,
    a_spanish_signup_gets_spanish_mail_and_pages,
);

const JOHN: &str = "john@customer.com";

async fn status_of_customer(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT status FROM customers").fetch_one(&app.db.pool).await.unwrap()
}

async fn the_link_confirms_the_address_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    let link = verification_link(&app.mail.wait_for(JOHN, 1).await[0].message);
    assert!(link.starts_with(&app.address), "{link}");

    // Opening the link changes nothing by itself (mail scanners open links too).
    let page = app.get(&link).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Confirm my e-mail address"), "{html}");
    let verified: Option<i64> =
        sqlx::query_scalar("SELECT email_verified_at FROM customer_users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(verified, None);

    let token = link.split("token=").nth(1).unwrap();
    let confirmed = app.post_form("/widget/v1/verify", &[("token", token)]).await;
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed.text().await.unwrap().contains("Your e-mail address is confirmed"));
    let verified: Option<i64> =
        sqlx::query_scalar("SELECT email_verified_at FROM customer_users").fetch_one(&app.db.pool).await.unwrap();
    assert!(verified.is_some());
    assert!(crate::helpers::actions(&app).await.contains(&format!("User {JOHN} confirmed their e-mail address")));
    // Approval stays with the reseller by default, and the person is told so.
    assert_eq!(status_of_customer(&app).await, "pending_approval");
    let mail = app.mail.wait_for(JOHN, 2).await;
    assert!(mail[1].message.contains("Subject: We received your signup for Reseller One"));

    let again = app.post_form("/widget/v1/verify", &[("token", token)]).await;
    assert_eq!(again.status(), 410);
    assert!(again.text().await.unwrap().contains("This link was already used"));
    let nonsense = app.get(&format!("{}/widget/v1/verify?token=made-up", app.address)).await;
    assert_eq!(nonsense.status(), 404);
    assert!(nonsense.text().await.unwrap().contains("This link is not valid"));
}

async fn an_expired_link_says_so_and_offers_a_new_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_signup(&app.widget_key, &valid_signup(), None).await;
    let link = verification_link(&app.mail.wait_for(JOHN, 1).await[0].message);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    // A day and a bit later, and long enough after the last link that a new one may be sent.
    sqlx::query("UPDATE email_tokens SET expires_at = expires_at - 90000000, created_at = created_at - 90000000")
        .execute(&app.db.pool)
        .await
        .unwrap();

    let page = app.get(&link).await;
    assert_eq!(page.status(), 410);
    assert!(page.text().await.unwrap().contains("This link has expired"));
    let refused = app.post_form("/widget/v1/verify", &[("token", &token)]).await;
    assert_eq!(refused.status(), 410);

    let resent = app.post_form("/widget/v1/verify/resend", &[("token", &token)]).await;
    assert_eq!(resent.status(), 200);
    assert!(resent.text().await.unwrap().contains("We sent you a new link"));
    let fresh = verification_link(&app.mail.wait_for(JOHN, 2).await[1].message);
    assert_ne!(fresh, link);
    let fresh_token = fresh.split("token=").nth(1).unwrap();
    assert_eq!(app.post_form("/widget/v1/verify", &[("token", fresh_token)]).await.status(), 200);
}

async fn an_approved_domain_is_active_once_confirmed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_signup_options(SignupOptions { approved_domains: vec!["customer.com".into()], ..SignupOptions::default() })
        .await;
    let answer: Value = app.post_signup(&app.widget_key, &valid_signup(), None).await.json().await.unwrap();
    assert_eq!(answer["next_step"], "verify_email");
    assert_eq!(status_of_customer(&app).await, "pending_approval", "not before the address is confirmed");
    let link = verification_link(&app.mail.wait_for(JOHN, 1).await[0].message);
    let token = link.split("token=").nth(1).unwrap();
    let page = app.post_form("/widget/v1/verify", &[("token", token)]).await.text().await.unwrap();
    assert!(page.contains("Your account is ready"), "{page}");
    assert_eq!(status_of_customer(&app).await, "active");
    let version: i64 = sqlx::query_scalar("SELECT version FROM customers").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(version, 2, "the transition bumps the row version");
    assert!(app.mail.wait_for(JOHN, 2).await[1].message.contains("Subject: Your Reseller One account is ready"));
}

async fn without_verification_the_options_decide_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let no_verification = SignupOptions { require_email_verification: false, ..SignupOptions::default() };
    app.set_signup_options(no_verification.clone()).await;
    let answer: Value = app.post_signup(&app.widget_key, &valid_signup(), None).await.json().await.unwrap();
    assert_eq!(answer["next_step"], "await_approval");
    assert_eq!(status_of_customer(&app).await, "pending_approval");
    assert!(app.mail.wait_for(JOHN, 1).await[0].message.contains("Subject: We received your signup"));

    app.set_signup_options(SignupOptions {
        auto_approve: true,
        review_domains: vec!["gmail.com".into()],
        ..no_verification
    })
    .await;
    let mut other = valid_signup();
    other["email"] = json!("ann@other.example");
    let answer: Value = app.post_signup(&app.widget_key, &other, None).await.json().await.unwrap();
    assert_eq!(answer["next_step"], "sign_in");
    let status: String = sqlx::query_scalar("SELECT status FROM customers WHERE contact_email = 'ann@other.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "active");
    assert!(app.mail.wait_for("ann@other.example", 1).await[0].message.contains("account is ready"));

    // The review list wins over auto-approve.
    let mut free_mail = valid_signup();
    free_mail["email"] = json!("bob@gmail.com");
    let answer: Value = app.post_signup(&app.widget_key, &free_mail, None).await.json().await.unwrap();
    assert_eq!(answer["next_step"], "await_approval");
}

async fn resending_never_reveals_an_account_and_is_paced(backend: Backend) {
    crate::helpers::clear_of_a_window_end().await;
    let app = TestApp::spawn(backend).await;
    app.post_signup(&app.widget_key, &valid_signup(), None).await;
    app.mail.wait_for(JOHN, 1).await;
    let resend = |email: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/widgets/{}/verification-emails", app.address, app.widget_key))
                .header("Origin", &app.address)
                .json(&json!({ "email": email }))
                .send()
                .await
                .unwrap()
        }
    };
    let unknown = resend("nobody@customer.com").await;
    let known = resend(JOHN).await;
    assert_eq!(unknown.status(), 202);
    assert_eq!(known.status(), 202);
    assert_eq!(unknown.text().await.unwrap(), known.text().await.unwrap());
    // The same work for both: each is a job, which finds out later whether there is an account.
    assert_eq!(kind_of_jobs(&app, "resend_confirmation").await, 2);
    // The first link went out moments ago, so no second one yet.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mail.to(JOHN).len(), 1);
    assert!(app.mail.to("nobody@customer.com").is_empty());

    sqlx::query("UPDATE email_tokens SET created_at = created_at - 120000").execute(&app.db.pool).await.unwrap();
    assert_eq!(resend(JOHN).await.status(), 202);
    app.mail.wait_for(JOHN, 2).await;

    let malformed = resend("not-an-address").await;
    assert_eq!(malformed.status(), 422);
    assert_eq!(malformed.json::<Value>().await.unwrap()["fields"][0]["field"], "email");

    // Ten requests from one address in ten minutes; the eleventh waits.
    for _ in 3..10 {
        assert_eq!(resend("someone@customer.com").await.status(), 202);
    }
    let limited = resend("someone@customer.com").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(kind_of_jobs(&app, "resend_confirmation").await, 10);
}

async fn kind_of_jobs(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1").bind(kind).fetch_one(&app.db.pool).await.unwrap()
}

async fn the_resellers_form_rules_are_enforced_by_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_signup_options(SignupOptions {
        require_address: true,
        require_license_acceptance: true,
        custom_text: "Reseller One serves businesses in Arizona.".into(),
        ..SignupOptions::default()
    })
    .await;
    let mut body = valid_signup();
    body["street_address"] = json!("");
    let response = app.post_signup(&app.widget_key, &body, None).await;
    assert_eq!(response.status(), 422);
    let fields: Vec<String> = response.json::<Value>().await.unwrap()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, vec!["street_address", "license_accepted"]);
    assert_eq!(app.count("customers").await, 0);

    let mut accepted = valid_signup();
    accepted["license_accepted"] = json!(true);
    assert_eq!(app.post_signup(&app.widget_key, &accepted, None).await.status(), 202);

    // The frame page hands the same rules and text to the widget.
    let frame = app.get(&format!("{}/widget/v1/frame?key={}", app.address, app.widget_key)).await.text().await.unwrap();
    assert!(frame.contains(r#""rules":{"require_address":true,"require_license_acceptance":true}"#), "{frame}");
    assert!(frame.contains("Reseller One serves businesses in Arizona."));
}

/// The widget sends its language with the signup; the e-mails and the pages behind their links
/// speak it from then on.
async fn a_spanish_signup_gets_spanish_mail_and_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut signup = valid_signup();
    signup["language"] = json!("fr");
    let refused = app.post_signup(&app.widget_key, &signup, None).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("language"));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stored, 0);

    signup["language"] = json!("es");
    assert_eq!(app.post_signup(&app.widget_key, &signup, None).await.status(), 202);
    let stored: String =
        sqlx::query_scalar("SELECT language FROM customer_users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stored, "es");
    let mail = &app.mail.wait_for(JOHN, 1).await[0].message;
    for words in [
        "Hola, John Smith:",
        "Gracias por registrarse con Reseller One.",
        "Confirmar mi dirección de correo",
        "Si el botón no funciona",
        "Reseller One, con la tecnología de Portico",
        "<html lang=\"es\">",
    ] {
        assert!(mail.contains(words), "{words} in {mail}");
    }
    let link = verification_link(mail);
    let page = app.get(&link).await.text().await.unwrap();
    for words in ["<html lang=\"es\">", "Confirme su dirección de correo", "Con la tecnología de <strong>Reseller One"]
    {
        assert!(page.contains(words), "{words} in {page}");
    }
    let token = link.split("token=").nth(1).unwrap();
    let confirmed = app.post_form("/widget/v1/verify", &[("token", token)]).await.text().await.unwrap();
    assert!(confirmed.contains("Su dirección de correo está confirmada"), "{confirmed}");
    let again = app.post_form("/widget/v1/verify", &[("token", token)]).await.text().await.unwrap();
    assert!(again.contains("Este enlace ya se ha usado"), "{again}");
    assert!(app.mail.wait_for(JOHN, 2).await[1].message.contains("Reseller One tiene su solicitud"));

    // Forgot password: the mail, the form, its errors and the result, all in Spanish.
    let asked = app
        .client
        .post(format!("{}/api/v1/widgets/{}/password-resets", app.address, app.widget_key))
        .header("Origin", &app.address)
        .json(&json!({ "email": JOHN }))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    let mail = app.mail.wait_for(JOHN, 3).await[2].message.clone();
    assert!(mail.contains("Alguien ha pedido restablecer la contraseña de su cuenta."), "{mail}");
    let (link, token) = crate::smtp::link_to(&mail, "/widget/v1/reset?token=");
    assert!(app.get(&link).await.text().await.unwrap().contains("Elija una contraseña nueva para john@customer.com."));
    let reset = |password: &'static str, verify: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            app.post_form("/widget/v1/reset", &[("token", &token), ("password", password), ("verify_password", verify)])
                .await
        }
    };
    let weak = reset("corta", "corta").await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("Use al menos 15 caracteres."));
    let mismatch = reset("una frase de paso bastante larga", "otra frase de paso bastante larga").await;
    assert!(mismatch.text().await.unwrap().contains("Las dos contraseñas no coinciden."));
    let changed = reset("una frase de paso bastante larga", "una frase de paso bastante larga").await;
    assert_eq!(changed.status(), 200);
    assert!(changed.text().await.unwrap().contains("Su contraseña está cambiada"));
    let used = app.get(&link).await.text().await.unwrap();
    assert!(used.contains("Este enlace ya se ha usado"), "{used}");
    assert!(app.mail.wait_for(JOHN, 4).await[3].message.contains("Se acaba de cambiar la contraseña de su cuenta"));
}
