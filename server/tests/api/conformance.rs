//! The JSON API against its own description: schemathesis (installed by `cargo xtask setup`)
//! generates thousands of requests from `/api/v1/openapi.json` and sends them to a running server
//! with a real widget key, a real widget session and a real portal session. Every answer must be
//! no server error, and must match the description: a documented status, content type, response
//! schema and headers.

use std::process::Stdio;

use serde_json::{json, Value};
use tokio::process::Command;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};
use crate::smtp::verification_link;

both_backends!(the_json_api_answers_as_it_is_described);

/// At least this many generated requests, across the operations.
const CASES: u64 = 2_000;

fn schemathesis() -> String {
    // `cargo xtask test` installs schemathesis and says where; `cargo xtask setup` puts it here.
    let program = std::env::var("PORTICO_SCHEMATHESIS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/schemathesis/bin/schemathesis").to_owned());
    assert!(
        std::path::Path::new(&program).exists(),
        "schemathesis is not installed at {program}: run `cargo xtask setup` (or set PORTICO_SCHEMATHESIS)"
    );
    program
}

/// A customer user of the test's reseller, confirmed, approved and logged in: their bearer token,
/// and a test drive instance of theirs (for the path of Stop).
async fn signed_in_customer(app: &TestApp, admin: &str) -> (String, String) {
    let drive = [
        ("id", ""),
        ("version", "0"),
        ("drive[name]", "Conformance Lab"),
        ("drive[duration_minutes]", "60"),
        ("drive[launch_limit]", "100"),
        ("drive[provider]", "aws"),
    ];
    assert_eq!(app.portal_post(admin, "save_test_drive", &drive).await.status(), 200);
    let drive: String = sqlx::query_scalar("SELECT id FROM test_drives").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    let link = verification_link(&app.mail.wait_for("john@customer.com", 1).await[0].message);
    app.post_form("/widget/v1/verify", &[("token", link.split("token=").nth(1).unwrap())]).await;
    let (customer, version): (String, i64) =
        sqlx::query_as("SELECT id, version FROM customers").fetch_one(&app.db.pool).await.unwrap();
    let approve = [("customer", customer.as_str()), ("version", &version.to_string())];
    assert_eq!(app.portal_post(admin, "approve_signup", &approve).await.status(), 200);
    let login = app.widget_login(&app.widget_key, "john@customer.com", "correct horse battery lamp").await;
    let token = login.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let url = format!("{}/api/v1/widgets/{}/test-drive-instances", app.address, app.widget_key);
    let launched = app.client.post(url).bearer_auth(&token).json(&json!({ "test_drive": drive })).send().await.unwrap();
    assert_eq!(launched.status(), 201);
    let instance = launched.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    (token, instance)
}

async fn the_json_api_answers_as_it_is_described(backend: Backend) {
    // Enough signups per address that generated bodies reach the checks rather than the limit.
    let app = TestApp::spawn_with(backend, |config| config.signups_per_ip_per_hour = 100_000).await;
    let admin = app.session_cookie().await;
    let (token, instance) = signed_in_customer(&app, &admin).await;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let config = dir.path().join("schemathesis.toml");
    let checks = [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ];
    let enabled: String = checks.iter().map(|check| format!("{check}.enabled = true\n")).collect();
    std::fs::write(
        &config,
        format!(
            "seed = 42\nworkers = 1\nrequest-timeout = 20.0\n\
             [headers]\nAuthorization = \"Bearer {token}\"\nCookie = \"{admin}\"\n\
             [parameters]\n\"path.key\" = \"{key}\"\n\"path.instance\" = \"{instance}\"\n\
             [generation]\nmax-examples = 300\n\
             [checks]\nenabled = false\n{enabled}\
             [reports.json]\nenabled = true\npath = \"{report}\"\n",
            key = app.widget_key,
            report = report.display(),
        ),
    )
    .unwrap();
    let run = Command::new(schemathesis())
        .arg("--config-file")
        .arg(&config)
        .args(["run", &format!("{}/api/v1/openapi.json", app.address)])
        // The JSON API; the portal's server functions take forms and have their own tests.
        .args(["--include-path-regex", "^/(api|health)"])
        // Logging out would end the session the other operations are tested with.
        .args(["--exclude-operation-id", "log_out"])
        .args(["--continue-on-failure", "--no-color"])
        // Its cache of past failures goes with the run, not into the source tree.
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let output = String::from_utf8_lossy(&run.stdout);
    let summary: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let cases = &summary["test_cases"];
    let generated = cases["generated"].as_u64().unwrap();
    let failures = cases["with_failures"].as_u64().unwrap() + cases["errored"].as_u64().unwrap();
    println!(
        "schemathesis ({backend:?}): {generated} cases over {} operations, {failures} failing; checks: {}",
        summary["operations"]["tested"],
        checks.join(", ")
    );
    assert_eq!(failures, 0, "{output}");
    assert!(run.status.success(), "{output}");
    assert!(generated >= CASES, "only {generated} cases were generated:\n{output}");
}
