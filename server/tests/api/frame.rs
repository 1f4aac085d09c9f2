//! The widget's iframe page and loader.

use portico_shared::signup_options::SignupOptions;

use crate::helpers::{both_backends, Backend, TestApp, RESELLER_SITE};

both_backends!(
    the_frame_may_only_be_embedded_by_registered_sites,
    an_unknown_key_renders_a_readable_problem,
    the_frame_holds_the_complete_signup_form_before_any_script_runs,
    the_first_paint_speaks_the_visitors_language_and_follows_the_signup_options,
);

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

/// The text of every `<label>` in the page, in order.
fn labels(html: &str) -> Vec<String> {
    html.split("<label")
        .skip(1)
        .filter_map(|rest| {
            let text = rest.split_once('>')?.1.split("</label>").next()?;
            // The required mark is a span inside the label; the label's own words come before it.
            Some(text.split('<').next()?.trim().to_owned())
        })
        .collect()
}

async fn the_frame_holds_the_complete_signup_form_before_any_script_runs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let html = app.page(&format!("/widget/v1/frame?key={}", app.widget_key), None).await.text().await.unwrap();
    // Requested as a crawler would, with no browser: the form is there, with the guide's labels.
    assert!(html.contains(r#"<html lang="en">"#), "{html}");
    assert!(html.contains(r#"<form novalidate class="panel signup">"#), "{html}");
    assert_eq!(
        labels(&html),
        [
            "Company name",
            "Contact name",
            "Title",
            "Phone number",
            "Country",
            "Street Address",
            "Suite #",
            "City",
            "State",
            "Zip",
            "E-mail",
            "Password",
            "Verify password",
            "",
            "Website",
        ]
    );
    assert!(html.contains(r#"<option value="US" selected>United States</option>"#), "{html}");
    assert!(html.contains(r#"<option value="Arizona">Arizona</option>"#), "the United States' states: {html}");
    assert!(
        html.contains(
            r#"<button type="submit" id="portico-signup-submit" aria-busy="false" class="primary">Signup</button>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<button type="button" aria-current="page" class="tab">Signup</button>"#), "{html}");
    assert!(html.contains("Powered By <strong>Reseller One</strong>"), "{html}");
    assert!(html.contains("Use at least 15 characters."), "the password hint: {html}");
    assert!(!html.contains("Loading"), "no placeholder: {html}");
    // The WebAssembly that takes it over, and its configuration.
    assert!(html.contains(r#"<script type="module" src="/widget/assets/widget"#), "{html}");
    assert!(html.contains(r#""language":"en""#), "{html}");
}

async fn the_first_paint_speaks_the_visitors_language_and_follows_the_signup_options(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let options = SignupOptions { require_address: true, require_license_acceptance: true, ..SignupOptions::default() };
    app.set_signup_options(options).await;
    let url = format!("/widget/v1/frame?key={}&origin={RESELLER_SITE}&lang=es-MX", app.widget_key);
    let html = app.page(&url, None).await.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es">"#), "{html}");
    assert!(html.contains(r#""language":"es""#), "{html}");
    assert!(html.contains("<h1>Registro</h1>"), "{html}");
    let labels = labels(&html);
    assert_eq!(&labels[..5], ["Nombre de la empresa", "Nombre de contacto", "Cargo", "Número de teléfono", "País"]);
    // Spanish names, sorted the Spanish way, the United States still chosen.
    assert!(html.contains(r#"<option value="US" selected>Estados Unidos</option>"#), "{html}");
    let afghanistan = html.find(">Afganistán<").unwrap();
    assert!(afghanistan < html.find(">Alemania<").unwrap(), "sorted by Spanish name");
    assert!(html.contains("Con la tecnología de <strong>Reseller One</strong>"), "{html}");
    // The reseller's options: the address required (its red stars shown), and the license box.
    assert!(
        html.contains(
            r#"<label for="portico-street_address">Dirección<span aria-hidden="true" class="required"> *</span>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"id="portico-license_accepted" type="checkbox" name="license_accepted""#), "{html}");
}
