//! The widget's iframe page and loader.

use crate::helpers::{both_backends, Backend, TestApp, RESELLER_SITE};

both_backends!(the_frame_may_only_be_embedded_by_registered_sites, an_unknown_key_renders_a_readable_problem);

async fn the_frame_may_only_be_embedded_by_registered_sites(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.page(&format!("/widget/v1/frame?key={}", app.widget_key), None).await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    // The reseller's website, and the platform itself for the portal's live preview.
    assert!(csp.ends_with(&format!("frame-ancestors {} {RESELLER_SITE}", app.address)), "{csp}");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(response.headers().get("x-frame-options").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains(r#""reseller_name":"Reseller One""#), "{html}");
    assert!(html.contains(r#"id="portico-root""#));
}

async fn an_unknown_key_renders_a_readable_problem(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.page("/widget/v1/frame?key=pk_nope", None).await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("This widget key is not known"));
    let health = app.page("/health", None).await;
    assert_eq!(health.status(), 200);
}
