//! What a server shows only where it should: HSTS when it is reached over https, portal pages
//! to no cache, and the simulated cloud's console (where anyone may answer an invitation) only
//! when asked for.

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(https_servers_ask_for_https_and_the_simulated_console_is_opt_in);

async fn https_servers_ask_for_https_and_the_simulated_console_is_opt_in(backend: Backend) {
    let plain = TestApp::spawn_with(backend, |config| config.simulated_console = false).await;
    let health = plain.get(&format!("{}/health", plain.address)).await;
    assert!(health.headers().get("strict-transport-security").is_none(), "not over http");
    let console = plain.get(&format!("{}/simulated-aws", plain.address)).await;
    assert_eq!(console.status(), 404, "the simulated console is not served unless asked for");
    drop(plain);

    let https = TestApp::spawn_with(backend, |config| config.public_url = "https://portico.example".into()).await;
    let health = https.get(&format!("{}/health", https.address)).await;
    assert_eq!(health.headers()["strict-transport-security"], "max-age=31536000");
    let page = https.get(&format!("{}/login", https.address)).await;
    assert_eq!(page.headers()["strict-transport-security"], "max-age=31536000");
    // Portal pages, those that carry a token among them, are kept by no cache.
    for path in ["/login", "/invitation?token=abc", "/reset-password?token=abc"] {
        let page = https.page(path, None).await;
        assert_eq!(page.headers()["cache-control"], "no-store", "{path}");
    }
    assert_eq!(https.get(&format!("{}/simulated-aws", https.address)).await.status(), 200, "asked for in tests");
}
