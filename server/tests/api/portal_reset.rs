//! "Forgot your password?" in the portal: the same answer for every address, a one-time link by
//! e-mail, a new password that ends every session.

use crate::helpers::{both_backends, Backend, TestApp, ADMIN_EMAIL, ADMIN_PASSWORD};
use crate::smtp::link_to;

both_backends!(a_forgotten_portal_password_is_replaced_through_a_one_time_link);

const NEW: &str = "a brand new portal passphrase";

async fn reset(app: &TestApp, token: &str, password: &str, verify: &str) -> reqwest::Response {
    app.post_form("/portal/reset_password", &[("token", token), ("password", password), ("verify_password", verify)])
        .await
}

async fn a_forgotten_portal_password_is_replaced_through_a_one_time_link(backend: Backend) {
    crate::helpers::clear_of_a_window_end().await;
    let app = TestApp::spawn(backend).await;
    let old_session = app.session_cookie().await;

    // Known, unknown and malformed addresses get the same answer (the address, echoed for the
    // page to say where a link went, if anywhere); only the known one gets mail.
    for email in ["nobody@reseller.test", "not an address", "Admin@Reseller.test"] {
        let response = app.post_form("/portal/request_password_reset", &[("email", email)]).await;
        assert_eq!(response.status(), 200, "{email}");
        assert_eq!(response.text().await.unwrap(), format!("\"{email}\""));
    }
    let mail = app.mail.wait_for(ADMIN_EMAIL, 1).await;
    let (link, token) = link_to(&mail[0].message, "/reset-password?token=");
    assert!(link.starts_with(&app.address));
    // Asking again at once sends nothing more.
    app.post_form("/portal/request_password_reset", &[("email", ADMIN_EMAIL)]).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mail.to(ADMIN_EMAIL).len(), 1);
    assert_eq!(app.mail.to("nobody@reseller.test").len(), 0);
    // Each request was the same work, a job, known address or not.
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'portal_password_reset'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 4);

    // The page behind the link offers the form; a bad password names its field and changes nothing.
    let page = app.page(&format!("/reset-password?token={token}"), None).await.text().await.unwrap();
    assert!(page.contains("Choose a new password"));
    let weak = reset(&app, &token, "passwordpassword", "passwordpassword").await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("\"field\":\"password\",\"code\":\"too_common\""));
    let mismatch = reset(&app, &token, NEW, "not the same").await;
    assert!(mismatch.text().await.unwrap().contains("\"field\":\"verify_password\",\"code\":\"mismatch\""));
    assert_eq!(app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 200, "old password still works");

    // The new password replaces the old one and ends the sessions opened with it.
    let changed = reset(&app, &token, NEW, NEW).await;
    assert!(changed.status().is_redirection() || changed.status() == 200, "{}", changed.status());
    assert_eq!(app.portal_post(&old_session, "current_user", &[]).await.status(), 401);
    assert_eq!(app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 401);
    assert_eq!(app.sign_in(ADMIN_EMAIL, NEW).await.status(), 200);
    let team_log: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_events WHERE reseller_id = $1")
        .bind(app.reseller.as_str())
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(team_log.contains(&format!("Team: {ADMIN_EMAIL} reset their password")), "{team_log:?}");
    let notices = app.mail.wait_for(ADMIN_EMAIL, 2).await;
    assert!(notices[1].message.contains("Your Portico password was changed"));

    // The link works once; an unknown one and an expired one say why.
    let reused = reset(&app, &token, "yet another long passphrase", "yet another long passphrase").await;
    assert_eq!(reused.status(), 409);
    assert!(reused.text().await.unwrap().contains("already used"));
    let unknown = app.page("/reset-password?token=not-a-token", None).await.text().await.unwrap();
    assert!(unknown.contains("This link is not valid"));
    sqlx::query("UPDATE portal_password_resets SET created_at = 0").execute(&app.db.pool).await.unwrap();
    app.post_form("/portal/request_password_reset", &[("email", ADMIN_EMAIL)]).await;
    let third = app.mail.wait_for(ADMIN_EMAIL, 3).await;
    let token = link_to(&third[2].message, "/reset-password?token=").1;
    sqlx::query("UPDATE portal_password_resets SET expires_at = 0 WHERE used_at IS NULL")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let expired = reset(&app, &token, NEW, NEW).await;
    assert_eq!(expired.status(), 409);
    assert!(expired.text().await.unwrap().contains("expired"));

    // Ten requests from one address in ten minutes (five were made above); the eleventh waits.
    for _ in 5..10 {
        let asked = app.post_form("/portal/request_password_reset", &[("email", "someone@reseller.test")]).await;
        assert_eq!(asked.status(), 200);
    }
    let limited = app.post_form("/portal/request_password_reset", &[("email", "someone@reseller.test")]).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.text().await.unwrap().contains("TooManyAttempts"));
}
