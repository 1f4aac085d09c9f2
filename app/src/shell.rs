//! The HTML document around the portal, rendered on the server only.

use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use leptos_meta::MetaTags;

use crate::App;

/// URLs of the hydration bundle and the stylesheet, named by content hash.
#[derive(Clone, Debug)]
pub struct PortalAssets {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

pub fn shell(_options: LeptosOptions) -> impl IntoView {
    let assets = use_context::<PortalAssets>().unwrap_or_else(|| PortalAssets {
        js: "/pkg/portal.js".into(),
        wasm: "/pkg/portal_bg.wasm".into(),
        css: "/pkg/portal.css".into(),
    });
    let nonce = use_nonce();
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, content_security_policy(nonce.as_deref()));
    }
    // `data-hydrated` tells scripts and tests that the page now reacts without reloading.
    let boot = format!(
        "import init, {{ hydrate }} from '{}'; init({{ module_or_path: '{}' }}).then(hydrate)\
         .then(() => document.documentElement.dataset.hydrated = '');",
        assets.js, assets.wasm
    );
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="data:,"/>
                <link rel="stylesheet" href=assets.css/>
                <link rel="modulepreload" href=assets.js.clone()/>
                <link rel="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin=""/>
                <script type="module" nonce=nonce inner_html=boot></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Scripts run only from the platform origin or with this response's nonce; nothing may frame
/// the portal.
fn content_security_policy(nonce: Option<&str>) -> http::HeaderValue {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    http::HeaderValue::from_str(&policy)
        .unwrap_or(http::HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}
