//! Widget Login, sessions, limits and "Forgot password".

use serde_json::{json, Value};

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};
use crate::smtp::verification_link;

both_backends!(
    login_needs_a_confirmed_address_and_gives_a_bearer_session,
    every_login_failure_looks_the_same,
    a_session_works_only_through_its_resellers_widget,
    repeated_failures_are_slowed_without_locking_out_others,
    forgot_password_sets_a_new_one_and_ends_sessions,
    a_burst_of_guesses_is_limited_before_any_hash,
    behind_a_trusted_proxy_each_client_has_its_own_limits,
);

const JOHN: &str = "john@customer.com";
const PASSWORD: &str = "correct horse battery lamp";

async fn login(app: &TestApp, key: &str, email: &str, password: &str) -> reqwest::Response {
    app.widget_login(key, email, password).await
}

/// A widget login sent with `client` (bound to an address of its own), as relayed by a proxy
/// that names `forwarded_for` as its client.
async fn login_via(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/api/v1/widgets/{}/sessions", app.address, app.widget_key))
        .header("Origin", &app.address)
        .header("X-Forwarded-For", forwarded_for)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

/// A client whose connections come from `address` (any of 127.0.0.0/8 is loopback).
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(address.parse::<std::net::IpAddr>().unwrap()).build().unwrap()
}

async fn session(app: &TestApp, key: &str, token: &str) -> reqwest::Response {
    app.client.get(format!("{}/api/v1/widgets/{key}/session", app.address)).bearer_auth(token).send().await.unwrap()
}

/// Signs John up and confirms his address through the e-mailed link.
async fn signed_up_and_confirmed(app: &TestApp) {
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    let link = verification_link(&app.mail.wait_for(JOHN, 1).await[0].message);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    assert_eq!(app.post_form("/widget/v1/verify", &[("token", &token)]).await.status(), 200);
}

async fn login_needs_a_confirmed_address_and_gives_a_bearer_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_signup(&app.widget_key, &valid_signup(), None).await;
    let early = login(&app, &app.widget_key, JOHN, PASSWORD).await;
    assert_eq!(early.status(), 403);
    assert_eq!(early.json::<Value>().await.unwrap()["code"], "email_not_verified");

    let link = verification_link(&app.mail.wait_for(JOHN, 1).await[0].message);
    app.post_form("/widget/v1/verify", &[("token", link.split("token=").nth(1).unwrap())]).await;
    let response = login(&app, &app.widget_key, "  JOHN@customer.com ", PASSWORD).await;
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-portico_widget="), "{cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=None", "Partitioned", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 43);
    assert_eq!(body["account"]["organization"], "Internal-Legal");
    assert_eq!(body["account"]["status"], "pending_approval");

    let me = session(&app, &app.widget_key, &token).await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["email"], JOHN);
    // The partitioned cookie stands for the same session (a reload in browsers that keep it).
    let by_cookie = app
        .client
        .get(format!("{}/api/v1/widgets/{}/session", app.address, app.widget_key))
        .header("Cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), 200);
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM widget_sessions").fetch_one(&app.db.pool).await.unwrap();
    assert_ne!(stored, token, "only a hash is stored");

    let logout = app
        .client
        .delete(format!("{}/api/v1/widgets/{}/session", app.address, app.widget_key))
        .header("Origin", &app.address)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert!(logout.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    for gone in [token.as_str(), "not-a-token"] {
        let answer = session(&app, &app.widget_key, gone).await;
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.json::<Value>().await.unwrap(), Value::Null, "nobody is signed in");
    }
}

async fn every_login_failure_looks_the_same(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    signed_up_and_confirmed(&app).await;
    let mut answers = Vec::new();
    for (email, password) in
        [(JOHN, "the wrong passphrase"), ("nobody@customer.com", PASSWORD), ("not an e-mail", PASSWORD), ("", "")]
    {
        let response = login(&app, &app.widget_key, email, password).await;
        assert_eq!(response.status(), 401, "{email}");
        answers.push(response.text().await.unwrap());
    }
    answers.dedup();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(answers[0].contains("login_failed"));
    assert_eq!(app.count("widget_sessions").await, 0);
}

async fn a_session_works_only_through_its_resellers_widget(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    signed_up_and_confirmed(&app).await;
    let body: Value = login(&app, &app.widget_key, JOHN, PASSWORD).await.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    let other = portico_domain::resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let (_, other_key) = portico_domain::widget::keys::create(&app.db.pool, &other, None).await.unwrap();
    assert_eq!(session(&app, &other_key, token).await.json::<Value>().await.unwrap(), Value::Null);
    // Nor can John log in through the other reseller's widget: he is not their customer.
    assert_eq!(login(&app, &other_key, JOHN, PASSWORD).await.status(), 401);
}

async fn repeated_failures_are_slowed_without_locking_out_others(backend: Backend) {
    crate::helpers::clear_of_a_window_end().await;
    let app = TestApp::spawn(backend).await;
    signed_up_and_confirmed(&app).await;
    for _ in 0..5 {
        assert_eq!(login(&app, &app.widget_key, JOHN, "a wrong passphrase!").await.status(), 401);
    }
    let slowed = login(&app, &app.widget_key, JOHN, PASSWORD).await;
    assert_eq!(slowed.status(), 429);
    let wait: i64 = slowed.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(slowed.json::<Value>().await.unwrap()["message"].as_str().unwrap().starts_with("Too many attempts"));

    // Another account from the same address is not affected.
    let mut ann = valid_signup();
    ann["email"] = json!("ann@customer.com");
    app.post_signup(&app.widget_key, &ann, None).await;
    let link = verification_link(&app.mail.wait_for("ann@customer.com", 1).await[0].message);
    app.post_form("/widget/v1/verify", &[("token", link.split("token=").nth(1).unwrap())]).await;
    assert_eq!(login(&app, &app.widget_key, "ann@customer.com", PASSWORD).await.status(), 201);
}

async fn forgot_password_sets_a_new_one_and_ends_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    signed_up_and_confirmed(&app).await;
    let body: Value = login(&app, &app.widget_key, JOHN, PASSWORD).await.json().await.unwrap();
    let old_session = body["token"].as_str().unwrap().to_owned();
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/widgets/{}/password-resets", app.address, app.widget_key))
                .header("Origin", &app.address)
                .json(&json!({ "email": email }))
                .send()
                .await
                .unwrap()
        }
    };
    let unknown = ask("nobody@customer.com").await;
    let known = ask(JOHN).await;
    assert_eq!((unknown.status(), known.status()), (reqwest::StatusCode::ACCEPTED, reqwest::StatusCode::ACCEPTED));
    assert_eq!(unknown.text().await.unwrap(), known.text().await.unwrap());
    assert_eq!(ask("nonsense").await.status(), 422);

    let mails = app.mail.wait_for(JOHN, 3).await;
    assert!(mails[2].message.contains("Subject: Choose a new password for Reseller One"));
    let start = mails[2].message.find("http").unwrap();
    let link: String = mails[2].message[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert!(link.contains("/widget/v1/reset?token="), "{link}");
    let token = link.split("token=").nth(1).unwrap().to_owned();

    let form = app.get(&link).await;
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Choose a new password"));
    let weak = app
        .post_form(
            "/widget/v1/reset",
            &[("token", &token), ("password", "too short"), ("verify_password", "too short")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("Use at least 15 characters"));

    let new = "a brand new passphrase";
    let changed =
        app.post_form("/widget/v1/reset", &[("token", &token), ("password", new), ("verify_password", new)]).await;
    assert_eq!(changed.status(), 200);
    assert!(changed.text().await.unwrap().contains("Your password is changed"));
    assert_eq!(
        session(&app, &app.widget_key, &old_session).await.json::<Value>().await.unwrap(),
        Value::Null,
        "sessions end"
    );
    assert_eq!(login(&app, &app.widget_key, JOHN, PASSWORD).await.status(), 401);
    assert_eq!(login(&app, &app.widget_key, JOHN, new).await.status(), 201);
    assert!(crate::helpers::actions(&app).await.contains(&format!("User {JOHN} reset their password")));
    assert!(app.mail.wait_for(JOHN, 4).await[3].message.contains("Subject: Your Reseller One password was changed"));
    let again =
        app.post_form("/widget/v1/reset", &[("token", &token), ("password", new), ("verify_password", new)]).await;
    assert_eq!(again.status(), 410);
}

/// 200 wrong passwords for one account sent at once from one address: each is admitted (and
/// counted) before its hash, so at most the limit's five are checked and the rest refused — and
/// an `X-Forwarded-For` from a client that is no trusted proxy changes nothing. The owner still
/// signs in from another address.
async fn a_burst_of_guesses_is_limited_before_any_hash(backend: Backend) {
    crate::helpers::clear_of_a_window_end().await;
    let app = TestApp::spawn(backend).await;
    signed_up_and_confirmed(&app).await;
    let attacker = client_from("127.0.0.1");
    let guesses = (0..200).map(|n| {
        let (app, attacker) = (&app, &attacker);
        async move {
            let forged = format!("198.51.100.{}", n % 250);
            login_via(app, attacker, &forged, JOHN, &format!("wrong guess number {n}")).await.status().as_u16()
        }
    });
    let answers = futures::future::join_all(guesses).await;
    let checked = answers.iter().filter(|status| **status == 401).count();
    let refused = answers.iter().filter(|status| **status == 429).count();
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(checked + refused, 200, "{answers:?}");

    let owner = client_from("127.0.0.2");
    assert_eq!(login_via(&app, &owner, "127.0.0.2", JOHN, PASSWORD).await.status(), 201);
}

/// Behind a reverse proxy every connection comes from the proxy. With it trusted, its clients
/// are told apart by the address it forwards: 30 failures from client A leave client B's login
/// working.
async fn behind_a_trusted_proxy_each_client_has_its_own_limits(backend: Backend) {
    crate::helpers::clear_of_a_window_end().await;
    let app = TestApp::spawn_with(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    signed_up_and_confirmed(&app).await;
    let proxy = client_from("127.0.0.1");
    for n in 0..30 {
        let email = format!("guess{n}@nowhere.test");
        assert_eq!(login_via(&app, &proxy, "203.0.113.5", &email, "wrong password!").await.status(), 401);
    }
    let more = login_via(&app, &proxy, "203.0.113.5", "guess31@nowhere.test", "wrong password!").await;
    assert_eq!(more.status(), 429, "client A has used its attempts");
    assert_eq!(login_via(&app, &proxy, "203.0.113.6", JOHN, "wrong password!").await.status(), 401);
    assert_eq!(login_via(&app, &proxy, "203.0.113.6", JOHN, PASSWORD).await.status(), 201, "client B signs in");
    // An IPv6 client counts by its /64: another address in it has no fresh attempts.
    for n in 0..30 {
        let email = format!("v6-{n}@nowhere.test");
        let from = format!("2001:db8:1:2::{n:x}");
        assert_eq!(login_via(&app, &proxy, &from, &email, "wrong password!").await.status(), 401);
    }
    let same_64 = login_via(&app, &proxy, "2001:db8:1:2:ffff::1", "x@nowhere.test", "wrong password!").await;
    assert_eq!(same_64.status(), 429);
    let next_64 = login_via(&app, &proxy, "2001:db8:1:3::1", "x@nowhere.test", "wrong password!").await;
    assert_eq!(next_64.status(), 401);
}
