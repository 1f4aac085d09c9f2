//! The Portico server: the widget's API and assets, the reseller portal, and the database.

pub mod api_docs;
pub mod assets;
pub mod audit;
pub mod cloud;
pub mod config;
pub mod customers;
pub mod db;
pub mod demo;
mod email_tokens;
mod emails;
pub mod error;
mod html;
mod idempotency;
pub mod janitor;
pub mod jobs;
mod json;
pub mod mail;
pub mod notifications;
pub mod passwords;
pub mod portal;
pub mod resellers;
mod security;
pub mod signup_options;
pub mod staff;
pub mod test_drives;
mod throttle;
mod tokens;
pub mod widget;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::assets::AssetManifest;
use crate::config::Config;
use crate::db::Db;
use crate::jobs::Worker;
use crate::mail::Mailer;
use crate::passwords::Hasher;
use crate::portal::sessions::CookiePolicy;

/// Everything a request handler may need, cloned cheaply into each.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub hasher: Hasher,
    pub assets: Arc<AssetManifest>,
    pub leptos: LeptosOptions,
    pub cookies: CookiePolicy,
    pub public_origin: Arc<str>,
    pub jobs: Worker,
    /// Where AWS calls go: the simulated cloud unless configured otherwise.
    pub cloud: Arc<dyn cloud::gateway::CloudGateway>,
    /// When invitations and account creations are looked at, and the origin their e-mails link to.
    pub links: cloud::links::LinkConfig,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos.clone()
    }
}

impl AppState {
    pub async fn new(mut config: Config) -> anyhow::Result<AppState> {
        let db = Db::connect(config.database_url.as_deref(), &config.data_dir).await?;
        let threads = config
            .hashing_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get));
        let hasher = Hasher::new(threads).await?;
        let assets = Arc::new(AssetManifest::load(&config.site_dir));
        let mailer = Mailer::new(config.smtp_url.as_deref(), &config.mail_from)?;
        let cloud = cloud_gateway(&mut config, &db).await?;
        let links = config.link_config();
        let jobs = Worker::new(db.clone(), mailer, cloud.clone(), links.clone());
        let leptos = LeptosOptions::builder()
            .output_name("portal")
            .site_root(config.site_dir.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.listen)
            .build();
        Ok(AppState {
            cookies: CookiePolicy { secure: config.is_https() },
            public_origin: config.public_origin().into(),
            config: Arc::new(config),
            db,
            hasher,
            assets,
            leptos,
            jobs,
            cloud,
            links,
        })
    }
}

/// The gateway the configuration asks for. The `aws` one learns the platform's account from AWS,
/// and refuses to start when AWS does not accept its credentials.
async fn cloud_gateway(config: &mut Config, db: &Db) -> anyhow::Result<Arc<dyn cloud::gateway::CloudGateway>> {
    match config.cloud_gateway {
        config::CloudGateway::Simulated => Ok(Arc::new(cloud::simulated::SimulatedCloud {
            db: db.clone(),
            handshake_lifetime_ms: config.simulated_handshake_ms,
            creation_ms: config.simulated_creation_ms,
            launch_ms: config.simulated_launch_ms,
        })),
        #[cfg(feature = "aws")]
        config::CloudGateway::Aws => {
            let aws = cloud::aws_sdk::SdkCloud::connect(config.aws_endpoint_url.as_deref(), &config.aws_region).await;
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
        .route("/health", get(health))
        .merge(widget::router(&state))
        .merge(signup_options::router())
        .merge(api_docs::router())
        // The simulated cloud's account owners answer here; AWS has its own console.
        .merge(if state.config.cloud_gateway == config::CloudGateway::Simulated {
            cloud::owner_console::router()
        } else {
            Router::new()
        })
        .merge(cloud::access::router())
        .nest_service("/pkg", tower::ServiceBuilder::new().layer(security::immutable_cache()).service(portal_assets))
        .merge(portal::router(&state))
        .layer(middleware::from_fn_with_state(state.clone(), security::same_origin_writes))
        .layer(middleware::from_fn(security::baseline_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.db.pool).await {
        Ok(_) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": "ok" }))),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "degraded", "database": "unreachable" })),
            )
        }
    }
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
    let worker = state.jobs.clone().spawn();
    if state.config.demo {
        let demo = demo::seed(&state).await?;
        let site = TcpListener::bind(state.config.demo_site_listen)
            .await
            .with_context(|| format!("binding the demo website to {}", state.config.demo_site_listen))?;
        tokio::spawn(demo::serve_website(site, state.config.public_origin(), demo.publishable_key.clone()));
        demo.announce(&state.config);
    }
    tracing::info!(address = %listener.local_addr()?, public_url = %state.config.public_url, "Portico is listening");
    // Handlers see the peer address, for per-address limits.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown).await.context("serving HTTP");
    // A stopped server takes no more jobs: what is left waits in the table for the next start.
    worker.abort();
    served
}
