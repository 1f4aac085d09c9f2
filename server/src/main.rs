use anyhow::Context;
use clap::Parser;
use portico_domain::{staff, Error};
use portico_server::config::{Command, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();
    let config = Config::parse();
    if let Some(Command::CreatePlatformAdmin { email, name }) = &config.command {
        let db = portico_domain::open_database(config.database_url.as_deref(), &config.data_dir).await?;
        match staff::invite_first_platform_admin(&db, &config.public_origin(), email, name).await {
            Ok(link) => {
                println!("Invitation created for {email}. Open this link within 7 days to choose a password:");
                println!("{link}");
                return Ok(());
            }
            Err(Error::Validation(fields)) => {
                let reasons: Vec<String> =
                    fields.iter().map(|f| format!("--{}: {}", f.field.name(), f.message)).collect();
                anyhow::bail!("{}", reasons.join("\n"));
            }
            Err(error) => return Err(error.into()),
        }
    }
    let listener =
        tokio::net::TcpListener::bind(config.listen).await.with_context(|| format!("binding {}", config.listen))?;
    portico_server::serve(config, listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
