//! Two-step sign-in: the platform's staff add an authenticator app at their first sign-in and
//! need its code from then on; anyone may turn it on from their account page; a reseller's admin
//! may require it for the team and reset a member's lost phone. Codes are accepted once, wrong
//! ones are limited per sign-in, per address and per account, and every change is in the log.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;
use serde_json::Value;

use crate::helpers::{app_code_at, both_backends, set_cookie, Backend, TestApp, ADMIN_EMAIL, ADMIN_PASSWORD};

both_backends!(
    staff_add_an_app_at_their_first_sign_in_and_need_its_code_after,
    wrong_codes_end_the_sign_in_and_are_limited_per_address_and_account,
    the_account_page_turns_it_on_makes_new_codes_and_turns_it_off,
    an_admin_requires_it_for_the_team_and_resets_a_lost_phone,
    invited_staff_add_their_app_before_their_first_session,
);

const STAFF: &str = "root@platform.test";
const STAFF_PASSWORD: &str = "platform staff passphrase";

async fn add_staff(app: &TestApp) {
    let email = EmailAddress::parse(STAFF).unwrap();
    resellers::add_platform_user(
        &app.db,
        &app.state.portico.hasher,
        &email,
        "Pia",
        Role::PlatformAdmin,
        STAFF_PASSWORD,
    )
    .await
    .unwrap();
}

/// Signs in with the password and returns the second step's cookie.
async fn challenge(app: &TestApp, email: &str, password: &str) -> String {
    let response = app.sign_in(email, password).await;
    assert!(set_cookie(&response, "portico_session").is_none(), "no session before the second step");
    assert_eq!(response.headers()["location"], "/login/code");
    set_cookie(&response, "portico_second_step").expect("a second step")
}

/// What the second step asks for, as JSON (`"Code"`, or `{"SetUp": {…}}`).
async fn step(app: &TestApp, challenge: &str) -> Value {
    let response = app.portal_post(challenge, "pending_second_step", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// A six-digit code that is not one of the three the app's key makes acceptable now.
fn wrong_code(secret: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let valid: Vec<String> = [now - 30, now, now + 30].iter().map(|at| app_code_at(secret, *at)).collect();
    (0..).map(|n: u32| format!("{:06}", 100_000 + n)).find(|code| !valid.contains(code)).unwrap()
}

/// The field and problem of a 422 refusal.
async fn refusal(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (status, body)
}

async fn log_has(app: &TestApp, action: &str) -> bool {
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    rows == 1
}

async fn staff_add_an_app_at_their_first_sign_in_and_need_its_code_after(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    add_staff(&app).await;
    let first = challenge(&app, STAFF, STAFF_PASSWORD).await;
    // The second step's cookie opens no page.
    let home = app.page("/", Some(&first)).await;
    assert_eq!(home.status(), 302, "no session yet");
    let setup = step(&app, &first).await;
    let key = setup["SetUp"]["key"].as_str().expect("asked to add an app").replace(' ', "");
    assert_eq!(key.len(), 32, "160 bits in base32");
    assert!(setup["SetUp"]["qr_image"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"));
    assert_eq!(step(&app, &first).await, setup, "the same key until it is confirmed");

    // Refused codes say why on the Code field, and change nothing.
    let before = (app.count("recovery_codes").await, app.count("platform_sessions").await);
    for (typed, problem) in [("", "required"), ("12345", "invalid_format"), ("abc", "invalid_format")] {
        let (status, body) = refusal(app.portal_post(&first, "sign_in_code", &[("code", typed)]).await).await;
        assert_eq!(status, 422, "{typed:?}: {body}");
        assert!(body.contains("\"code\"") && body.contains(problem), "{typed:?}: {body}");
    }
    let (status, body) = refusal(app.portal_post(&first, "sign_in_code", &[("code", &wrong_code(&key))]).await).await;
    assert_eq!(status, 422);
    assert!(body.contains("mismatch") && body.contains("That code is not right"), "{body}");
    assert_eq!((app.count("recovery_codes").await, app.count("platform_sessions").await), before);
    let enabled: Option<i64> =
        sqlx::query_scalar("SELECT enabled_at FROM two_step_keys").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(enabled, None);

    // The app's code turns it on, signs in and shows ten recovery codes once.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = app_code_at(&key, now);
    let answered = app.portal_post(&first, "sign_in_code", &[("code", &code)]).await;
    assert_eq!(answered.status(), 200);
    let session = set_cookie(&answered, "portico_session").expect("signed in");
    let codes: Vec<String> = answered.json::<Option<Vec<String>>>().await.unwrap().expect("recovery codes");
    assert_eq!(codes.len(), 10);
    assert!(codes.iter().all(|code| code.len() == 19 && code.matches('-').count() == 3), "{codes:?}");
    assert_eq!(app.page("/", Some(&session)).await.status(), 200);
    assert!(log_has(&app, &format!("Team: {STAFF} turned on two-step sign-in")).await);
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM recovery_codes").fetch_all(&app.db.pool).await.unwrap();
    assert!(stored.iter().all(|hash| !codes.iter().any(|code| hash.contains(&code.replace('-', "")))), "hashed");

    // The next sign-in asks for a code; the one just used is refused (each code once).
    let second = challenge(&app, STAFF, STAFF_PASSWORD).await;
    assert_eq!(step(&app, &second).await, Value::String("Code".into()));
    let (status, _) = refusal(app.portal_post(&second, "sign_in_code", &[("code", &code)]).await).await;
    assert_eq!(status, 422, "a code is accepted once");
    // A recovery code works once, typed any way, and is logged.
    let recovery = codes[3].to_uppercase().replace('-', " ");
    let answered = app.portal_post(&second, "sign_in_code", &[("code", &recovery)]).await;
    assert_eq!(answered.status(), 200);
    assert!(set_cookie(&answered, "portico_session").is_some());
    assert!(log_has(&app, &format!("Team: {STAFF} signed in with a recovery code")).await);
    let third = challenge(&app, STAFF, STAFF_PASSWORD).await;
    let (status, _) = refusal(app.portal_post(&third, "sign_in_code", &[("code", &codes[3])]).await).await;
    assert_eq!(status, 422, "a recovery code is used once");
    let left: Value = app.portal_post(&session, "account_page", &[]).await.json().await.unwrap();
    assert_eq!(left["two_step"], serde_json::json!({"enabled": true, "required": true, "recovery_codes_left": 9}));
    // Staff cannot turn it off.
    let next = app_code_at(&key, now + 30);
    let off = app.portal_post(&session, "turn_off_two_step", &[("code", &next)]).await;
    assert_eq!(off.status(), 403);
    // The helper signs in as the app would, on a later step.
    app.add_app(STAFF, &key, now / 30);
    let cookie = app.cookie_for(STAFF, STAFF_PASSWORD).await;
    assert_eq!(app.page("/resellers", Some(&cookie)).await.status(), 200);
}

async fn wrong_codes_end_the_sign_in_and_are_limited_per_address_and_account(backend: Backend) {
    crate::helpers::clear_of_a_window_end().await;
    let app = TestApp::spawn_with(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    add_staff(&app).await;
    app.cookie_for(STAFF, STAFF_PASSWORD).await;
    let key = app.app_key(STAFF).unwrap();
    let wrong = wrong_code(&key);
    let from = |address: &'static str, cookie: String, code: String| {
        let request = app.client.post(format!("{}/portal/sign_in_code", app.address));
        let request =
            request.header("Origin", &app.address).header("Cookie", cookie).header("X-Forwarded-For", address);
        async move { request.form(&[("code", code)]).send().await.unwrap().status().as_u16() }
    };
    // Five wrong codes end the sign-in: the right code then finds none.
    let first = challenge(&app, STAFF, STAFF_PASSWORD).await;
    for n in 0..5 {
        assert_eq!(from("203.0.113.1", first.clone(), wrong.clone()).await, 422, "wrong code {n}");
    }
    assert_eq!(from("203.0.113.2", first.clone(), app.app_code(STAFF).await).await, 401, "the sign-in ended");
    // That address has used its attempts on this account; another address has not.
    let second = challenge(&app, STAFF, STAFF_PASSWORD).await;
    assert_eq!(from("203.0.113.1", second.clone(), wrong.clone()).await, 429);
    for n in 0..4 {
        assert_eq!(from("203.0.113.3", second.clone(), wrong.clone()).await, 422, "wrong code {n}");
    }
    // Ten wrong codes on the account in an hour, from anywhere: its codes are refused for the
    // hour, the right one included, from a fresh address and a fresh sign-in.
    let third = challenge(&app, STAFF, STAFF_PASSWORD).await;
    assert_eq!(from("203.0.113.4", third.clone(), wrong.clone()).await, 422, "the tenth");
    let fourth = challenge(&app, STAFF, STAFF_PASSWORD).await;
    assert_eq!(from("203.0.113.5", fourth.clone(), app.app_code(STAFF).await).await, 429);
    assert_eq!(app.count("platform_sessions").await, 1, "only the helper's first session");
}

async fn the_account_page_turns_it_on_makes_new_codes_and_turns_it_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let page: Value = app.portal_post(&cookie, "account_page", &[]).await.json().await.unwrap();
    assert_eq!(page["two_step"], serde_json::json!({"enabled": false, "required": false, "recovery_codes_left": 0}));
    let setup: Value = app.portal_post(&cookie, "begin_two_step", &[]).await.json().await.unwrap();
    let key = setup["key"].as_str().unwrap().replace(' ', "");
    assert_eq!(setup["account"], ADMIN_EMAIL);
    // A wrong first code leaves it off; a recovery code cannot confirm an app.
    for typed in [wrong_code(&key), "abcd-efgh-2345-67qr".to_owned()] {
        let (status, body) = refusal(app.portal_post(&cookie, "confirm_two_step", &[("code", &typed)]).await).await;
        assert_eq!(status, 422, "{typed}: {body}");
    }
    assert_eq!(app.count("recovery_codes").await, 0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let confirmed = app.portal_post(&cookie, "confirm_two_step", &[("code", &app_code_at(&key, now))]).await;
    assert_eq!(confirmed.status(), 200);
    let first_codes: Vec<String> = confirmed.json().await.unwrap();
    assert_eq!(first_codes.len(), 10);
    let again = app.portal_post(&cookie, "begin_two_step", &[]).await;
    assert_eq!(again.status(), 409, "already on");
    // New recovery codes, for a current code: the old ones stop working.
    let replaced = app.portal_post(&cookie, "replace_recovery_codes", &[("code", &first_codes[0])]).await;
    assert_eq!(replaced.status(), 200);
    let new_codes: Vec<String> = replaced.json().await.unwrap();
    assert!(new_codes.iter().all(|code| !first_codes.contains(code)));
    let page: Value = app.portal_post(&cookie, "account_page", &[]).await.json().await.unwrap();
    assert_eq!(page["two_step"]["recovery_codes_left"], 10);
    let challenge_cookie = challenge(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let old = app.portal_post(&challenge_cookie, "sign_in_code", &[("code", &first_codes[1])]).await;
    assert_eq!(old.status(), 422, "old recovery codes are gone");
    // Turning off takes a current code; a wrong one leaves it on.
    let (status, _) =
        refusal(app.portal_post(&cookie, "turn_off_two_step", &[("code", &wrong_code(&key))]).await).await;
    assert_eq!(status, 422);
    assert_eq!(app.count("two_step_keys").await, 1);
    let off = app.portal_post(&cookie, "turn_off_two_step", &[("code", &app_code_at(&key, now + 30))]).await;
    assert_eq!(off.status(), 200);
    assert_eq!((app.count("two_step_keys").await, app.count("recovery_codes").await), (0, 0));
    // The password alone signs in again.
    assert!(set_cookie(&app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await, "portico_session").is_some());
    for action in ["turned on two-step sign-in", "replaced their recovery codes", "turned off two-step sign-in"] {
        assert!(log_has(&app, &format!("Team: {ADMIN_EMAIL} {action}")).await, "{action}");
    }
}

async fn an_admin_requires_it_for_the_team_and_resets_a_lost_phone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let agent = app.agent_cookie().await;
    // Only an admin decides, and nothing changes otherwise.
    let refused = app.portal_post(&agent, "require_two_step", &[("required", "true")]).await;
    assert_eq!(refused.status(), 403);
    let required: Option<i64> = sqlx::query_scalar("SELECT two_step_required_at FROM resellers WHERE id = $1")
        .bind(app.reseller.as_str())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(required, None);
    assert_eq!(app.portal_post(&admin, "require_two_step", &[("required", "true")]).await.status(), 200);
    assert!(log_has(&app, "Team: two-step sign-in required").await);
    let team: Value = app.portal_post(&admin, "team_page", &[]).await.json().await.unwrap();
    assert_eq!(team["team"]["requires_two_step"], true);
    // Open sessions go on; the next sign-in adds the app.
    assert_eq!(app.page("/customers", Some(&agent)).await.status(), 200);
    let agent = app.cookie_for("agent@reseller.test", "reseller agent passphrase").await;
    let page: Value = app.portal_post(&agent, "account_page", &[]).await.json().await.unwrap();
    assert_eq!(page["two_step"]["enabled"], true);
    assert_eq!(page["two_step"]["required"], true);
    let team: Value = app.portal_post(&admin, "team_page", &[]).await.json().await.unwrap();
    let member = team["team"]["members"].as_array().unwrap().iter().find(|m| m["email"] == "agent@reseller.test");
    let member = member.unwrap().clone();
    assert_eq!(member["two_step"], true);
    // The agent lost their phone: an admin resets it; the agent is signed out and adds a new app.
    let member_id = member["id"].as_str().unwrap();
    assert_eq!(app.portal_post(&agent, "reset_two_step", &[("member", member_id)]).await.status(), 403);
    assert_eq!(app.portal_post(&admin, "reset_two_step", &[("member", member_id)]).await.status(), 200);
    assert!(log_has(&app, "Team: two-step sign-in of agent@reseller.test reset").await);
    assert_eq!(app.page("/customers", Some(&agent)).await.status(), 302, "signed out");
    assert_eq!(app.count("two_step_keys").await, 0);
    let again = app.portal_post(&admin, "reset_two_step", &[("member", member_id)]).await;
    assert_eq!(again.status(), 409, "nothing to reset");
    let next = challenge(&app, "agent@reseller.test", "reseller agent passphrase").await;
    assert!(step(&app, &next).await["SetUp"].is_object(), "adds an app again");
    // Left to each member again: the admin, without an app, signs in with the password alone.
    assert_eq!(app.portal_post(&admin, "require_two_step", &[("required", "false")]).await.status(), 200);
    assert!(log_has(&app, "Team: two-step sign-in left to each member").await);
    assert!(set_cookie(&app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await, "portico_session").is_some());
}

async fn invited_staff_add_their_app_before_their_first_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let link = portico_domain::staff::invite_first_platform_admin(&app.db, &app.address, "first@platform.test", "Fay")
        .await
        .unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let accepted = app
        .post_form(
            "/portal/accept_invitation",
            &[
                ("token", token),
                ("password", "a long enough passphrase"),
                ("verify_password", "a long enough passphrase"),
            ],
        )
        .await;
    assert!(accepted.status().is_success(), "{}", accepted.status());
    assert!(set_cookie(&accepted, "portico_session").is_none(), "no session without the second factor");
    let challenge = set_cookie(&accepted, "portico_second_step").expect("the second step");
    assert!(step(&app, &challenge).await["SetUp"].is_object());
    let session = app.second_step("first@platform.test", &challenge).await;
    assert_eq!(app.page("/resellers", Some(&session)).await.status(), 200);
}
