//! The Test Drives catalog: admins add, change and retire entries; the widget lists those on offer.

use serde_json::Value;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(admins_keep_the_catalog_the_widget_lists);

fn drive<'a>(
    id: &'a str,
    version: &'a str,
    name: &'a str,
    minutes: &'a str,
    limit: &'a str,
    provider: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("id", id),
        ("version", version),
        ("drive[name]", name),
        ("drive[description]", "A ready-made sandbox."),
        ("drive[duration_minutes]", minutes),
        ("drive[launch_limit]", limit),
        ("drive[provider]", provider),
    ]
}

async fn catalog(app: &TestApp) -> Vec<Value> {
    let response = app.get(&format!("{}/api/v1/widgets/{}/test-drives", app.address, app.widget_key)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn admins_keep_the_catalog_the_widget_lists(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    assert!(catalog(&app).await.is_empty());

    for (form, field, code) in [
        (drive("", "0", "", "120", "1", "aws"), "name", "required"),
        (drive("", "0", "Lab", "", "1", "aws"), "duration_minutes", "required"),
        (drive("", "0", "Lab", "10", "1", "aws"), "duration_minutes", "invalid_format"),
        (drive("", "0", "Lab", "120", "0", "aws"), "launch_limit", "invalid_format"),
        (drive("", "0", "Lab", "120", "many", "aws"), "launch_limit", "invalid_format"),
        (drive("", "0", "Lab", "120", "1", "ibm"), "provider", "invalid_format"),
    ] {
        let response = app.portal_post(&admin, "save_test_drive", &form).await;
        assert_eq!(response.status(), 422, "{field}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("test_drives").await, 0);

    assert_eq!(
        app.portal_post(&admin, "save_test_drive", &drive("", "0", "Data Lab", "120", "2", "aws")).await.status(),
        200
    );
    let listed = catalog(&app).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "Data Lab");
    assert_eq!(listed[0]["provider_name"], "Amazon Web Services");
    let id = listed[0]["id"].as_str().unwrap().to_owned();

    assert_eq!(
        app.portal_post(&admin, "save_test_drive", &drive(&id, "1", "Data Lab Pro", "240", "3", "gcp")).await.status(),
        200
    );
    let stale = app.portal_post(&admin, "save_test_drive", &drive(&id, "1", "Stale", "60", "1", "aws")).await;
    assert_eq!(stale.status(), 409);
    let listed = catalog(&app).await;
    assert_eq!((listed[0]["name"].as_str(), listed[0]["duration_minutes"].as_i64()), (Some("Data Lab Pro"), Some(240)));

    let agent = app.agent_cookie().await;
    assert_eq!(app.portal_post(&agent, "retire_test_drive", &[("drive", &id)]).await.status(), 403);

    assert_eq!(app.portal_post(&admin, "retire_test_drive", &[("drive", &id)]).await.status(), 200);
    assert!(catalog(&app).await.is_empty());
    assert_eq!(app.portal_post(&admin, "retire_test_drive", &[("drive", &id)]).await.status(), 404);
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events ORDER BY at, id").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(actions, ["Test drive added", "Test drive changed", "Test drive retired"]);
    let unknown = app.get(&format!("{}/api/v1/widgets/pk_nope/test-drives", app.address)).await;
    assert_eq!(unknown.status(), 404);
}
