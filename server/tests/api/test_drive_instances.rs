//! Test drives launched from the widget: who may launch, the launch limit, Launching → Running →
//! Stopped / Expired / Failed through the simulated cloud, and an expiry kept across a restart.

use serde_json::{json, Value};

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};
use crate::smtp::verification_link;

both_backends!(a_customer_launches_stops_and_outlives_test_drives);

const JOHN: &str = "john@customer.com";

async fn add_drive(app: &TestApp, admin: &str, name: &str, limit: &str) -> String {
    let form = [
        ("id", ""),
        ("version", "0"),
        ("drive[name]", name),
        ("drive[description]", "A ready-made sandbox."),
        ("drive[duration_minutes]", "15"),
        ("drive[launch_limit]", limit),
        ("drive[provider]", "aws"),
    ];
    assert_eq!(app.portal_post(admin, "save_test_drive", &form).await.status(), 200);
    sqlx::query_scalar("SELECT id FROM test_drives WHERE name = $1").bind(name).fetch_one(&app.db.pool).await.unwrap()
}

fn instances_url(app: &TestApp) -> String {
    format!("{}/api/v1/widgets/{}/test-drive-instances", app.address, app.widget_key)
}

async fn launch(app: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    let response = app.client.post(instances_url(app)).bearer_auth(token).json(body).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn stop(app: &TestApp, token: &str, instance: &str) -> (u16, Value) {
    let url = format!("{}/{instance}/stop", instances_url(app));
    let response = app.client.post(url).bearer_auth(token).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn listed(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.client.get(instances_url(app)).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Waits (up to 10 s) for the instance to reach `state`.
async fn until(app: &TestApp, token: &str, instance: &str, state: &str) -> Value {
    for _ in 0..200 {
        let now = listed(app, token).await.into_iter().find(|i| i["id"] == instance).unwrap();
        if now["state"] == state {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{instance} never became {state}");
}

async fn sandbox_ended(app: &TestApp, instance: &str) -> bool {
    let ended: Option<i64> = sqlx::query_scalar("SELECT ended_at FROM simulated_sandboxes WHERE instance_id = $1")
        .bind(instance)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    ended.is_some()
}

async fn a_customer_launches_stops_and_outlives_test_drives(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let lab = add_drive(&app, &admin, "Data Lab", "1").await;
    let broken = add_drive(&app, &admin, "Broken Lab [fail]", "2").await;

    // John signs up and confirms his address; his account waits for the reseller's approval.
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    let link = verification_link(&app.mail.wait_for(JOHN, 1).await[0].message);
    app.post_form("/widget/v1/verify", &[("token", link.split("token=").nth(1).unwrap())]).await;
    let login: Value =
        app.widget_login(&app.widget_key, JOHN, "correct horse battery lamp").await.json().await.unwrap();
    let token = login["token"].as_str().unwrap().to_owned();

    // Refused, with nothing written: no session, a pending account, bad bodies, unknown drives.
    let anonymous = app.client.post(instances_url(&app)).json(&json!({ "test_drive": lab })).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let (status, body) = launch(&app, &token, &json!({ "test_drive": lab })).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("account_inactive")));
    sqlx::query("UPDATE customers SET status = 'active'").execute(&app.db.pool).await.unwrap();
    let not_json = app.client.post(instances_url(&app)).bearer_auth(&token).body("test_drive=x").send().await.unwrap();
    assert_eq!(not_json.status(), 400);
    for (body, expected) in
        [(json!({}), 400), (json!({ "test_drive": 7 }), 400), (json!({ "test_drive": "tdr_none" }), 404)]
    {
        assert_eq!(launch(&app, &token, &body).await.0, expected, "{body}");
    }
    assert_eq!(app.count("test_drive_instances").await, 0);
    assert_eq!(app.count("jobs WHERE kind LIKE '%test_drive%'").await, 0);

    // Launched: Launching, then Running once the sandbox has started; it ends after its 15 minutes.
    let (status, launched) = launch(&app, &token, &json!({ "test_drive": lab })).await;
    assert_eq!(status, 201, "{launched}");
    assert_eq!((launched["state"].as_str(), launched["test_drive"].as_str()), (Some("launching"), Some("Data Lab")));
    let first = launched["id"].as_str().unwrap().to_owned();
    let length = launched["expires_at"].as_i64().unwrap() - launched["launched_at"].as_i64().unwrap();
    assert_eq!(length, 15 * 60_000);
    // The limit of one at once holds.
    let (status, refused) = launch(&app, &token, &json!({ "test_drive": lab })).await;
    assert_eq!(status, 409);
    assert!(refused["message"].as_str().unwrap().contains("stop one to launch another"), "{refused}");
    until(&app, &token, &first, "running").await;

    // Stopped by the customer: the sandbox ends; a second stop is refused.
    let (status, stopped) = stop(&app, &token, &first).await;
    assert_eq!((status, stopped["state"].as_str()), (200, Some("stopped")));
    assert_eq!(stop(&app, &token, &first).await.0, 409);
    assert_eq!(stop(&app, &token, "tdi_someone_elses").await.0, 404);
    for _ in 0..100 {
        if sandbox_ended(&app, &first).await {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(sandbox_ended(&app, &first).await, "the stopped sandbox ended");

    // The provider's failure is shown with its reason.
    let (_, failing) = launch(&app, &token, &json!({ "test_drive": broken })).await;
    let failed = until(&app, &token, failing["id"].as_str().unwrap(), "failed").await;
    assert!(failed["failure"].as_str().unwrap().starts_with("InsufficientInstanceCapacity"), "{failed}");

    // A stopped one no longer counts: another launch is allowed, and it expires on time even
    // though the server was down when its time came.
    let (status, second) = launch(&app, &token, &json!({ "test_drive": lab })).await;
    assert_eq!(status, 201);
    let second = second["id"].as_str().unwrap().to_owned();
    until(&app, &token, &second, "running").await;

    // Another customer of the same reseller sees none of John's instances and cannot stop them.
    let mut ann = valid_signup();
    ann["email"] = json!("ann@other-customer.com");
    ann["company_name"] = json!("Other Customer");
    assert_eq!(app.post_signup(&app.widget_key, &ann, None).await.status(), 202);
    let link = verification_link(&app.mail.wait_for("ann@other-customer.com", 1).await[0].message);
    app.post_form("/widget/v1/verify", &[("token", link.split("token=").nth(1).unwrap())]).await;
    sqlx::query("UPDATE customers SET status = 'active'").execute(&app.db.pool).await.unwrap();
    let ann_login: Value = app
        .widget_login(&app.widget_key, "ann@other-customer.com", "correct horse battery lamp")
        .await
        .json()
        .await
        .unwrap();
    let ann_token = ann_login["token"].as_str().unwrap().to_owned();
    assert!(listed(&app, &ann_token).await.is_empty(), "Ann lists none of John's instances");
    assert_eq!(stop(&app, &ann_token, &second).await.0, 404, "nor stops one");
    assert_eq!(until(&app, &token, &second, "running").await["state"], "running");

    let db = app.db.clone();
    let id = second.clone();
    app.restart(async move {
        // Its time runs out while the server is down.
        let past = portico_domain::db::now_ms() - 1;
        sqlx::query("UPDATE test_drive_instances SET expires_at = $1 WHERE id = $2")
            .bind(past)
            .bind(&id)
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE jobs SET run_at = $1 WHERE kind = 'expire_test_drive' AND payload LIKE $2")
            .bind(past)
            .bind(format!("%{id}%"))
            .execute(&db.pool)
            .await
            .unwrap();
    })
    .await;
    let expired = until(&app, &token, &second, "expired").await;
    assert!(expired["ended_at"].as_i64().is_some());
    assert!(sandbox_ended(&app, &second).await, "nothing left running");
    let states: Vec<String> =
        listed(&app, &token).await.iter().map(|i| i["state"].as_str().unwrap().to_owned()).collect();
    assert_eq!(states, ["expired", "failed", "stopped"], "newest first");
}
