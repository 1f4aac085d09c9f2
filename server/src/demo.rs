//! Demo mode: the reseller "SES Reseller Demo" with an admin and a widget key, and a stand-in for
//! the reseller's own website that embeds the widget exactly as a real one would.

use axum::http::{header, HeaderValue};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use portico_shared::email::EmailAddress;
use portico_shared::ids::{ResellerId, WidgetKeyId};

use crate::config::{origin_of, Config};
use crate::html::escape_html;
use crate::resellers::{self, Role};
use crate::widget::keys;
use crate::AppState;

pub const RESELLER_ID: &str = "res_demo";
pub const RESELLER_NAME: &str = "SES Reseller Demo";
pub const ADMIN_EMAIL: &str = "admin@ses-reseller.demo";
/// Printed by the run command; demo mode only.
pub const ADMIN_PASSWORD: &str = "portico demo reseller";
pub const PUBLISHABLE_KEY: &str = "pk_demo_ses_reseller";
/// The platform's demo staff: a platform admin and a Cloud Support agent (demo mode only).
pub const PLATFORM_ADMIN_EMAIL: &str = "platform@portico.demo";
pub const PLATFORM_ADMIN_PASSWORD: &str = "portico demo platform";
pub const CLOUD_SUPPORT_EMAIL: &str = "support@portico.demo";
pub const CLOUD_SUPPORT_PASSWORD: &str = "portico demo support";

pub struct Demo {
    pub publishable_key: String,
    website: String,
}

/// Creates the demo reseller on first start; on every start, points its widget key at the demo
/// website's current origin.
pub async fn seed(state: &AppState) -> anyhow::Result<Demo> {
    let db = &state.db;
    let website = origin_of(&state.config.demo_site_url);
    let reseller = ResellerId(RESELLER_ID.to_owned());
    let key_id: Option<String> = sqlx::query_scalar("SELECT id FROM widget_keys WHERE publishable_key = $1")
        .bind(PUBLISHABLE_KEY)
        .fetch_optional(&db.pool)
        .await?;
    let key_id = match key_id {
        Some(id) => WidgetKeyId(id),
        None => {
            resellers::insert(db, &reseller, RESELLER_NAME, Some(&format!("{website}/license"))).await?;
            let email = EmailAddress::parse(ADMIN_EMAIL).map_err(|e| anyhow::anyhow!("demo e-mail: {e:?}"))?;
            resellers::add_user(db, &state.hasher, &reseller, &email, "Demo Admin", Role::Admin, ADMIN_PASSWORD)
                .await?;
            keys::create(&db.pool, &reseller, Some(PUBLISHABLE_KEY)).await?.0
        }
    };
    keys::set_origins(db, &key_id, std::slice::from_ref(&website)).await?;
    seed_platform_staff(state).await?;
    seed_test_drives(state, &reseller).await?;
    Ok(Demo { publishable_key: PUBLISHABLE_KEY.to_owned(), website })
}

/// Two entries in the demo reseller's Test Drives catalog, on first start.
async fn seed_test_drives(state: &AppState, reseller: &ResellerId) -> anyhow::Result<()> {
    if !crate::test_drives::catalog(&state.db, reseller).await?.is_empty() {
        return Ok(());
    }
    let actor = crate::audit::Actor { id: None, label: "Portico demo".into() };
    let entries = [
        ("Data Lake Quick Start", "A ready-made data lake with sample data and notebooks.", "240", "2", "aws"),
        ("Secure Web App", "A load-balanced web application behind a firewall, ready to explore.", "120", "1", "aws"),
    ];
    for (name, description, minutes, limit, provider) in entries {
        let input = portico_shared::test_drives::TestDriveInput {
            name: name.into(),
            description: description.into(),
            duration_minutes: minutes.into(),
            launch_limit: limit.into(),
            provider: provider.into(),
        };
        let valid = input.validate(&[provider.to_owned()]).map_err(|e| anyhow::anyhow!("demo test drive: {e:?}"))?;
        crate::test_drives::create(&state.db, reseller, &valid, &actor).await?;
    }
    Ok(())
}

async fn seed_platform_staff(state: &AppState) -> anyhow::Result<()> {
    let staff = [
        (PLATFORM_ADMIN_EMAIL, "Demo Platform Admin", Role::PlatformAdmin, PLATFORM_ADMIN_PASSWORD),
        (CLOUD_SUPPORT_EMAIL, "Demo Cloud Support", Role::CloudSupport, CLOUD_SUPPORT_PASSWORD),
    ];
    for (email, name, role, password) in staff {
        if crate::staff::find_login(&state.db, email).await?.is_none() {
            let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("demo e-mail: {e:?}"))?;
            resellers::add_platform_user(&state.db, &state.hasher, &email, name, role, password).await?;
        }
    }
    Ok(())
}

impl Demo {
    /// Tells whoever started the demo where to go and how to sign in.
    pub fn announce(&self, config: &Config) {
        println!();
        println!("  Portico demo is running.");
        println!("  Reseller website (widget embedded): {}/", self.website);
        println!("  The same website in Spanish:        {}/es/", self.website);
        println!("  Reseller portal:                    {}/login", config.public_origin());
        println!("  Portal sign-in (reseller admin):    {ADMIN_EMAIL} / {ADMIN_PASSWORD}");
        println!("  Portal sign-in (platform admin):    {PLATFORM_ADMIN_EMAIL} / {PLATFORM_ADMIN_PASSWORD}");
        println!("  Portal sign-in (Cloud Support):     {CLOUD_SUPPORT_EMAIL} / {CLOUD_SUPPORT_PASSWORD}");
        println!();
    }
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
        .route("/license", get(|| async { Html(LICENSE_PAGE) }))
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

fn website_page(platform: &str, key: &str, words: &SiteWords) -> String {
    let platform = escape_html(platform);
    let key = escape_html(key);
    let SiteWords { lang, tagline, heading, pitch, invitation, region } = words;
    format!(
        r##"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SES Reseller Demo: cloud made simple</title>
<link rel="icon" href="data:,">
<style>
  body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f4f6f8; }}
  header {{ background: #123c69; color: #fff; padding: 1rem 2rem; }}
  main {{ max-width: 60rem; margin: 0 auto; padding: 2rem; display: grid; gap: 2rem; grid-template-columns: 1fr 28rem; }}
  @media (max-width: 50rem) {{ main {{ grid-template-columns: 1fr; }} }}
</style>
</head>
<body>
<header><strong>SES Reseller Demo</strong>: {tagline}</header>
<main>
  <section>
    <h1>{heading}</h1>
    <p>{pitch}</p>
    <p>{invitation}</p>
  </section>
  <section aria-label="{region}">
    <div id="portico-widget"></div>
    <script async src="{platform}/widget/v1/embed.js" data-key="{key}" data-target="#portico-widget"></script>
  </section>
</main>
</body>
</html>
"##
    )
}

const LICENSE_PAGE: &str =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>License agreement</title></head>\
<body><h1>License agreement</h1><p>This is the demo reseller's license agreement for Test Drives.</p></body></html>";
