//! The Portico server: the HTTP face of the domain (`portico_domain`). It serves the widget's
//! loader, assets and JSON API, the pages behind e-mailed links, and the reseller portal (the
//! Leptos app of `portico_app`, rendered here and hydrated in the browser). Who is asking is
//! resolved once per request (`caller`), before any handler runs.

pub mod api;
pub mod assets;
mod caller;
pub mod client_addr;
pub mod config;
pub mod demo;
pub mod error;
mod json;
mod pages;
mod portal;
mod security;
mod widget_assets;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use axum::{middleware, Router};
use leptos::config::LeptosOptions;
use portico_domain::cloud::gateway::CloudGateway;
use portico_domain::config::Settings;
use portico_domain::mail::Mailer;
use portico_domain::passwords::Hasher;
use portico_domain::widget::form_token::FormKey;
use portico_domain::worker::Worker;
use portico_domain::Portico;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::assets::AssetManifest;
pub use crate::caller::Caller;
use crate::config::Config;

/// Everything a request handler may need, cloned cheaply into each.
#[derive(Clone)]
pub struct AppState {
    /// The domain: database, hasher, cloud gateway, job wake-up, settings.
    pub portico: Portico,
    pub config: Arc<Config>,
    pub assets: Arc<AssetManifest>,
    pub leptos: LeptosOptions,
    /// Runs the jobs; started by [`serve_state`].
    pub worker: Worker,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos.clone()
    }
}

impl AppState {
    pub async fn new(mut config: Config) -> anyhow::Result<AppState> {
        let db = portico_domain::open_database(config.database_url.as_deref(), &config.data_dir).await?;
        let threads = config
            .hashing_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get));
        let hasher = Hasher::new(threads).await?;
        let assets = Arc::new(AssetManifest::load(&config.site_dir));
        if config.smtp_url.is_none() && !config.demo {
            anyhow::bail!(
                "Portico sends e-mail (confirmations, invitations, password links): set PORTICO_SMTP_URL \
                 (--smtp-url) to an SMTP server; only the demo (--demo) runs without one"
            );
        }
        let mailer = Mailer::new(config.smtp_url.as_deref(), &config.mail_from)?;
        let cloud = cloud_gateway(&mut config, &db).await?;
        let settings = Settings { form_key: FormKey::load(&db).await?, ..config.settings() };
        let portico = Portico::new(db, hasher, cloud, settings);
        let worker = Worker::new(portico.clone(), mailer);
        let leptos = LeptosOptions::builder()
            .output_name("portal")
            .site_root(config.site_dir.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.listen)
            .build();
        Ok(AppState { portico, config: Arc::new(config), assets, leptos, worker })
    }
}

/// The gateway the configuration asks for. The `aws` one learns the platform's account from AWS,
/// and refuses to start when AWS does not accept its credentials.
async fn cloud_gateway(config: &mut Config, db: &portico_domain::db::Db) -> anyhow::Result<Arc<dyn CloudGateway>> {
    use portico_domain::cloud;
    match config.cloud_gateway {
        config::CloudGateway::Simulated => Ok(Arc::new(cloud::simulated::SimulatedCloud {
            db: db.clone(),
            handshake_lifetime_ms: config.simulated_handshake_ms,
            creation_ms: config.simulated_creation_ms,
            launch_ms: config.simulated_launch_ms,
        })),
        #[cfg(feature = "aws")]
        config::CloudGateway::Aws => {
            let mut aws =
                cloud::aws_sdk::SdkCloud::connect(config.aws_endpoint_url.as_deref(), &config.aws_region).await;
            if let Some(url) = &config.usage_s3_url {
                aws = aws.with_exports(url)?;
            }
            config.aws_account_id =
                aws.platform_account().await.map_err(|e| anyhow::anyhow!("the AWS gateway cannot start: {e}"))?;
            tracing::info!(account = %config.aws_account_id, "AWS gateway: signed in");
            Ok(Arc::new(aws))
        }
        #[cfg(not(feature = "aws"))]
        config::CloudGateway::Aws => {
            anyhow::bail!("this server was built without the AWS gateway: build it with `--features aws`")
        }
    }
}

/// The whole HTTP surface of the platform.
pub fn router(state: AppState) -> Router {
    let portal_assets = ServeDir::new(state.config.site_dir.join("pkg")).precompressed_br().precompressed_gzip();
    Router::new()
        .merge(widget_assets::router(&state))
        .merge(api::router(&state))
        .merge(pages::router(&state))
        .nest_service("/pkg", tower::ServiceBuilder::new().layer(security::immutable_cache()).service(portal_assets))
        .merge(portal::router(&state))
        .layer(middleware::from_fn_with_state(state.clone(), caller::resolve))
        .layer(middleware::from_fn_with_state(state.clone(), security::same_origin_writes))
        .layer(middleware::from_fn(security::baseline_headers))
        .layer(security::strict_transport(state.config.is_https()))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the platform on `listener` until `shutdown` completes; in demo mode also seeds the demo
/// reseller and serves its website.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_state(AppState::new(config).await?, listener, shutdown).await
}

/// As [`serve`], with a state the caller built (tests keep a handle on its database).
pub async fn serve_state(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let worker = state.worker.clone().spawn();
    if state.config.demo {
        let website = config::origin_of(&state.config.demo_site_url);
        let demo = portico_domain::demo::seed(&state.portico, &website).await?;
        let site = TcpListener::bind(state.config.demo_site_listen)
            .await
            .with_context(|| format!("binding the demo website to {}", state.config.demo_site_listen))?;
        tokio::spawn(demo::serve_website(site, state.config.public_origin(), demo.publishable_key.clone()));
        demo::announce(&state.config, &website);
    }
    tracing::info!(address = %listener.local_addr()?, public_url = %state.config.public_url, "Portico is listening");
    // Handlers see the peer address, for per-address limits.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown).await.context("serving HTTP");
    // A stopped server takes no more jobs: what is left waits in the table for the next start.
    worker.abort();
    served
}
