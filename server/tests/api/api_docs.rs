//! The API description: every documented JSON route exists, every portal server function is
//! documented, and the docs page shows them.

use serde_json::Value;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(the_openapi_document_matches_the_routes_and_the_page_shows_it);

async fn the_openapi_document_matches_the_routes_and_the_page_shows_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.client.get(format!("{}/api/v1/openapi.json", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();

    // Each documented API operation is routed: an unrouted one would get axum's bare 404 or 405,
    // while a routed one answers with Portico's own status and, for errors, an ApiError body.
    let mut operations = 0;
    for (path, item) in paths.iter().filter(|(path, _)| path.starts_with("/api/")) {
        let url = format!("{}{}", app.address, path.replace("{key}", &app.widget_key));
        for method in item.as_object().unwrap().keys().filter(|m| *m != "parameters") {
            let request = app
                .client
                .request(method.to_uppercase().parse().unwrap(), &url)
                .header("Origin", &app.address)
                .header("Content-Type", "application/json")
                .body("{}");
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_ne!(status, 405, "{method} {path} is documented but not routed");
            if status >= 400 {
                assert!(body.contains("\"code\""), "{method} {path}: {status} without an ApiError body: {body:?}");
            }
            operations += 1;
        }
    }
    assert_eq!(operations, 12, "the widget's ten operations and the reseller's two");

    // The signup body's schema names every field the server reads, so a new one cannot go
    // undocumented.
    let documented = doc["components"]["schemas"]["SignupRequest"]["properties"].as_object().unwrap();
    let read = serde_json::to_value(portico_shared::signup::SignupRequest::default()).unwrap();
    for field in read.as_object().unwrap().keys() {
        assert!(documented.contains_key(field), "SignupRequest.{field} is not documented");
    }

    // Every portal server function is in the document, described.
    let functions = portico_server::api::docs::portal_functions();
    assert!(functions.len() >= 16);
    for name in &functions {
        let op = &paths[&format!("/portal/{name}")]["post"];
        assert_ne!(op["summary"], "(undocumented)", "{name} has no description");
    }

    let page = app.get(&format!("{}/api/docs", app.address)).await;
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let html = page.text().await.unwrap();
    for shown in
        ["POST /api/v1/widgets/{key}/signups", "PUT /api/v1/reseller/signup-options", "POST /portal/add_customer"]
    {
        assert!(html.contains(shown), "{shown}");
    }
}
