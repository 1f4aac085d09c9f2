//! Old rows go: expired sessions, long-expired e-mail links, day-old idempotency records, finished
//! jobs past their keeping time, sign-ins whose second step never came. Fresh rows stay.

use portico_domain::janitor::{self, Swept};
use portico_shared::signup_options::SignupOptions;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(a_sweep_removes_only_what_has_served_its_purpose);

async fn a_sweep_removes_only_what_has_served_its_purpose(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let options = SignupOptions { require_email_verification: true, ..SignupOptions::default() };
    app.set_signup_options(options).await;
    // One of each: an idempotency record, an e-mail link and its sent job, a portal session.
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), Some("form-1")).await.status(), 202);
    app.mail.wait_for("john@customer.com", 1).await;
    app.session_cookie().await;
    // A sign-in left at its second step (a person with an authenticator app who went away).
    let cookie = app.session_cookie().await;
    app.portal_post(&cookie, "begin_two_step", &[]).await;
    sqlx::query("UPDATE two_step_keys SET enabled_at = 1").execute(&app.db.pool).await.unwrap();
    let left = app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD).await;
    assert!(crate::helpers::set_cookie(&left, "portico_second_step").is_some());
    let now = portico_domain::db::now_ms();
    // Nothing is old yet.
    assert_eq!(janitor::sweep(&app.db, now).await.unwrap(), Swept::default());

    // A month and a day later, all of it has served its purpose.
    let later = now + 31 * 24 * 60 * 60 * 1000;
    let swept = janitor::sweep(&app.db, later).await.unwrap();
    assert_eq!(
        swept,
        Swept {
            portal_sessions: 2,
            widget_sessions: 0,
            email_tokens: 1,
            idempotency_keys: 1,
            jobs: 1,
            throttle_windows: swept.throttle_windows,
            sign_in_challenges: 1,
        }
    );
    assert!(swept.throttle_windows >= 1, "the signup's per-IP and per-key counters");
    for table in
        ["portal_sessions", "email_tokens", "idempotency_keys", "jobs", "throttle_windows", "sign_in_challenges"]
    {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
    // The customer and its user are records, not leftovers.
    assert_eq!(app.count("customers").await, 1);
    assert_eq!(app.count("customer_users").await, 1);
}
