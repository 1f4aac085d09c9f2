//! Demo mode's website: a stand-in for a reseller's own website that embeds the widget exactly as
//! a real one would, on a host name other than the platform's, and what the demo prints at start.

use axum::http::{header, HeaderValue};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use portico_domain::demo::{
    ADMIN_EMAIL, ADMIN_PASSWORD, CLOUD_SUPPORT_EMAIL, CLOUD_SUPPORT_PASSWORD, PLATFORM_ADMIN_EMAIL,
    PLATFORM_ADMIN_PASSWORD,
};
use tokio::net::TcpListener;

use crate::config::Config;

/// Tells whoever started the demo where to go and how to sign in.
pub fn announce(config: &Config, website: &str) {
    println!();
    println!("  Portico demo is running.");
    println!("  Reseller website (widget embedded): {website}/");
    println!("  The same website in Spanish:        {website}/es/");
    println!("  Reseller portal:                    {}/login", config.public_origin());
    println!("  Portal sign-in (reseller admin):    {ADMIN_EMAIL} / {ADMIN_PASSWORD}");
    println!("  Portal sign-in (platform admin):    {PLATFORM_ADMIN_EMAIL} / {PLATFORM_ADMIN_PASSWORD}");
    println!("  Portal sign-in (Cloud Support):     {CLOUD_SUPPORT_EMAIL} / {CLOUD_SUPPORT_PASSWORD}");
    println!();
}

/// Serves the demo reseller's website until the process ends.
pub async fn serve_website(listener: TcpListener, platform: String, publishable_key: String) {
    let page = website_page(&platform, &publishable_key, &ENGLISH);
    let spanish = website_page(&platform, &publishable_key, &SPANISH);
    // The reseller's own CSP: scripts and frames from the platform only, nothing inline.
    let csp = format!(
        "default-src 'none'; script-src {platform}; frame-src {platform}; style-src 'unsafe-inline'; img-src data:"
    );
    let app = Router::new()
        .route("/", get(move || async move { Html(page) }))
        // The same website in Spanish: the widget follows the page's language.
        .route("/es/", get(move || async move { Html(spanish) }))
        .route("/license", get(|| async { Html(license_page()) }))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'none'")),
        ));
    if let Err(e) = axum::serve(listener, app.into_make_service()).await {
        tracing::error!(error = %e, "the demo website stopped");
    }
}

/// The words of the demo website in one language.
struct SiteWords {
    lang: &'static str,
    tagline: &'static str,
    heading: &'static str,
    pitch: &'static str,
    invitation: &'static str,
    region: &'static str,
}

const ENGLISH: SiteWords = SiteWords {
    lang: "en",
    tagline: "your partner for AWS",
    heading: "Move your business to the cloud",
    pitch: "We set up, run and bill your AWS accounts, with support from people who know your business.",
    invitation:
        "Create your account to try one of our Test Drives, or to have us link the AWS account you already have.",
    region: "Create your account",
};

const SPANISH: SiteWords = SiteWords {
    lang: "es",
    tagline: "su socio para AWS",
    heading: "Lleve su negocio a la nube",
    pitch: "Configuramos, gestionamos y facturamos sus cuentas de AWS, con el apoyo de gente que conoce su negocio.",
    invitation: "Cree su cuenta para probar nuestras pruebas, o para que vinculemos la cuenta de AWS que ya tiene.",
    region: "Cree su cuenta",
};

/// The demo website's stylesheet: the reseller's own, inline as many real sites have it.
const STYLE: &str = "body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f4f6f8; } \
    header { background: #123c69; color: #fff; padding: 1rem 2rem; } \
    main { max-width: 60rem; margin: 0 auto; padding: 2rem; display: grid; gap: 2rem; grid-template-columns: 1fr 28rem; } \
    @media (max-width: 50rem) { main { grid-template-columns: 1fr; } }";

fn website_page(platform: &str, key: &str, words: &SiteWords) -> String {
    let SiteWords { lang, tagline, heading, pitch, invitation, region } = words;
    let page: Markup = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "SES Reseller Demo: cloud made simple" }
                link rel="icon" href="data:,";
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { strong { "SES Reseller Demo" } ": " (tagline) }
                main {
                    section {
                        h1 { (heading) }
                        p { (pitch) }
                        p { (invitation) }
                    }
                    section aria-label=(region) {
                        div id="portico-widget" {}
                        // The one tag a reseller pastes into their page.
                        script async src=(format!("{platform}/widget/v1/embed.js")) data-key=(key)
                            data-target="#portico-widget" {}
                    }
                }
            }
        }
    };
    page.into_string()
}

fn license_page() -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "License agreement" } }
            body {
                h1 { "License agreement" }
                p { "This is the demo reseller's license agreement for Test Drives." }
            }
        }
    }
    .into_string()
}
