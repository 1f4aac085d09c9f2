//! Widget settings: a reseller admin sets the widget's look and websites, rotates its key and
//! changes the signup options; the widget's page follows at once.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use base64::Engine as _;
use sha2::Digest as _;

use crate::helpers::{both_backends, Backend, TestApp, RESELLER_SITE};

both_backends!(
    saved_settings_change_what_the_widget_shows_and_where,
    bad_settings_name_their_field_and_change_nothing,
    rotating_the_key_revokes_the_old_one_and_keeps_the_websites,
    signup_options_are_saved_from_the_form,
    only_reseller_admins_reach_widget_settings,
);

fn settings<'a>(
    name: &'a str,
    license: &'a str,
    color: &'a str,
    logo: &'a str,
    origins: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("settings[reseller_name]", name),
        ("settings[license_url]", license),
        ("settings[brand_color]", color),
        ("settings[logo_url]", logo),
        ("settings[allowed_origins]", origins),
    ]
}

async fn frame(app: &TestApp, key: &str) -> (u16, String, String) {
    let response = app.page(&format!("/widget/v1/frame?key={key}"), None).await;
    let status = response.status().as_u16();
    let csp =
        response.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    // The form token dates each serving of the frame; the rest is what the settings made.
    let html = response.text().await.unwrap();
    let undated = match html.split_once(r#""form_token":""#) {
        Some((before, after)) => format!("{before}{}", after.split_once('"').map_or("", |(_, rest)| rest)),
        None => html,
    };
    (status, csp, undated)
}

async fn saved_settings_change_what_the_widget_shows_and_where(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let page = app.page("/settings/widget", Some(&admin)).await.text().await.unwrap();
    assert!(
        page.contains(&format!("data-key=&quot;{}&quot;", app.widget_key))
            || page.contains(&format!("data-key=\"{}\"", app.widget_key)),
        "the embed code carries the key"
    );

    let form = settings(
        "Reseller One Cloud",
        "https://reseller.test/terms",
        "#0B5D1E",
        "https://cdn.reseller.test/logo.png",
        "https://shop.reseller.test/\nhttp://localhost:8080",
    );
    let saved = app.portal_post(&admin, "save_widget_settings", &form).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());

    let (status, csp, html) = frame(&app, &app.widget_key).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#""reseller_name":"Reseller One Cloud""#), "{html}");
    assert!(html.contains(r##""brand_color":"#0b5d1e""##), "{html}");
    assert!(html.contains(r#""logo_url":"https://cdn.reseller.test/logo.png""#), "{html}");
    assert!(html.contains(r#""license_url":"https://reseller.test/terms""#), "{html}");
    assert!(csp.contains("img-src 'self' data: https://cdn.reseller.test;"), "{csp}");
    // The colour is in the first paint, in the one style element the CSP allows by its hash.
    let style = html.split("<style>").nth(1).and_then(|rest| rest.split("</style>").next()).unwrap();
    assert!(style.ends_with(":root{--accent:#0b5d1e}"), "{style}");
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style));
    assert!(csp.contains(&format!("style-src 'sha256-{hash}';")), "{csp}");
    assert!(html.contains(r#"<img src="https://cdn.reseller.test/logo.png" alt="Reseller One Cloud logo""#), "{html}");
    assert!(
        csp.ends_with(&format!("frame-ancestors {} http://localhost:8080 https://shop.reseller.test", app.address)),
        "the old site is gone, the new ones are in: {csp}"
    );
    assert!(!csp.contains(RESELLER_SITE));

    let entry: (String, String) =
        sqlx::query_as("SELECT before_json, after_json FROM audit_events WHERE action = 'Widget settings changed'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(entry.0.contains("Reseller One") && entry.1.contains("#0b5d1e"), "{entry:?}");
}

async fn bad_settings_name_their_field_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let long_name = "n".repeat(101);
    let many: String = (0..21).map(|i| format!("https://s{i}.reseller.test\n")).collect();
    let cases = [
        (settings("", "", "", "", ""), "reseller_name", "required"),
        (settings(&long_name, "", "", "", ""), "reseller_name", "too_long"),
        (settings("R<1>", "", "", "", ""), "reseller_name", "invalid_characters"),
        (settings("R", "reseller.test/eula", "", "", ""), "license_url", "invalid_format"),
        (settings("R", "", "green", "", ""), "brand_color", "invalid_format"),
        (settings("R", "", "#ffee00", "", ""), "brand_color", "too_short"),
        (settings("R", "", "", "javascript:alert(1)", ""), "logo_url", "invalid_format"),
        (settings("R", "", "", "", "shop.reseller.test"), "allowed_origins", "invalid_format"),
        (settings("R", "", "", "", "https://shop.reseller.test/signup"), "allowed_origins", "invalid_format"),
        (settings("R", "", "", "", &many), "allowed_origins", "too_long"),
    ];
    let (before_status, before_csp, before_html) = frame(&app, &app.widget_key).await;
    for (form, field, code) in &cases {
        let response = app.portal_post(&admin, "save_widget_settings", form).await;
        assert_eq!(response.status(), 422, "{field} {code}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field} {code}: {body}");
    }
    assert_eq!(frame(&app, &app.widget_key).await, (before_status, before_csp, before_html), "the widget is as it was");
    assert_eq!(app.count("audit_events").await, 0);
}

async fn rotating_the_key_revokes_the_old_one_and_keeps_the_websites(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    assert_eq!(app.portal_post(&admin, "rotate_widget_key", &[]).await.status(), 200);
    let (status, _, html) = frame(&app, &app.widget_key).await;
    assert_eq!(status, 410);
    assert!(html.contains("revoked"));
    let new_key: String = sqlx::query_scalar("SELECT publishable_key FROM widget_keys WHERE revoked_at IS NULL")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(new_key, app.widget_key);
    let (status, csp, _) = frame(&app, &new_key).await;
    assert_eq!(status, 200);
    assert!(csp.ends_with(RESELLER_SITE), "the websites moved to the new key: {csp}");
    let page = app.page("/settings/widget", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains(&new_key) && !page.contains(&app.widget_key));
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(actions, ["Widget key rotated"]);
}

async fn signup_options_are_saved_from_the_form(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    // Unticked boxes are absent from the form: off.
    let form = [
        ("options[require_address]", "true"),
        ("options[auto_approve]", "true"),
        ("options[approved_domains]", "Partner.test\n\nfriends.test"),
        ("options[review_domains]", "rivals.test"),
        ("options[custom_text]", "Welcome!"),
    ];
    assert_eq!(app.portal_post(&admin, "save_signup_options", &form).await.status(), 200);
    let options: serde_json::Value = app
        .client
        .get(format!("{}/api/v1/reseller/signup-options", app.address))
        .header("Cookie", &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(options["require_email_verification"], false);
    assert_eq!(options["require_address"], true);
    assert_eq!(options["auto_approve"], true);
    assert_eq!(options["approved_domains"], serde_json::json!(["partner.test", "friends.test"]));
    assert_eq!(options["custom_text"], "Welcome!");

    for (form, field, code) in [
        (vec![("options[approved_domains]", "not a domain")], "approved_domains", "invalid_format"),
        (
            vec![("options[approved_domains]", "a.test"), ("options[review_domains]", "a.test")],
            "review_domains",
            "conflict",
        ),
        (vec![("options[custom_text]", "<script>")], "custom_text", "invalid_characters"),
    ] {
        let response = app.portal_post(&admin, "save_signup_options", &form).await;
        assert_eq!(response.status(), 422, "{field}");
        assert!(response.text().await.unwrap().contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")));
    }
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(actions, ["Signup options changed"], "refused saves change nothing");
}

async fn only_reseller_admins_reach_widget_settings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = EmailAddress::parse("agent@reseller.test").unwrap();
    let strong = "reseller agent passphrase";
    resellers::add_user(&app.db, &app.state.portico.hasher, &app.reseller, &email, "Agnes", Role::Agent, strong)
        .await
        .unwrap();
    let platform = EmailAddress::parse("staff@platform.test").unwrap();
    resellers::add_platform_user(&app.db, &app.state.portico.hasher, &platform, "Pia", Role::PlatformAdmin, strong)
        .await
        .unwrap();
    let calls: [(&str, Vec<(&str, &str)>); 4] = [
        ("widget_settings_page", vec![]),
        ("save_widget_settings", settings("Hijacked", "", "", "", "https://evil.test")),
        ("save_signup_options", vec![("options[auto_approve]", "true")]),
        ("rotate_widget_key", vec![]),
    ];
    for cookie in
        [app.cookie_for("agent@reseller.test", strong).await, app.cookie_for("staff@platform.test", strong).await]
    {
        for (endpoint, form) in &calls {
            assert_eq!(app.portal_post(&cookie, endpoint, form).await.status(), 403, "{endpoint}");
        }
    }
    for (endpoint, form) in &calls {
        assert_eq!(app.post_form(&format!("/portal/{endpoint}"), form).await.status(), 401, "{endpoint}");
    }
    assert_eq!(frame(&app, &app.widget_key).await.0, 200, "the key still works");
    let reseller_changes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE reseller_id = $1")
        .bind(app.reseller.as_str())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reseller_changes, 0, "nothing changed in the reseller's settings");
}
