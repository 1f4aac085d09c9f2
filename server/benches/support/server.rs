//! A Portico server in the benchmark's own process, on SQLite in a temporary folder, sending its
//! e-mail over SMTP to a sink on loopback that keeps nothing, with one reseller and widget key.

use portico_domain::{resellers, widget};
use portico_server::config::Config;
use portico_server::AppState;

use super::smtp;

/// A running server: its address, its state (database, hasher, settings), and its reseller's
/// widget key.
pub struct Served {
    pub base: String,
    pub state: AppState,
    pub key: String,
}

/// Starts a server with `hashing_threads`; `tweak` changes its configuration first.
pub async fn start(hashing_threads: usize, tweak: impl FnOnce(&mut Config)) -> Served {
    let mailbox = smtp::SmtpSink::start_discarding().await;
    let data = tempfile::tempdir().unwrap().keep();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut config = Config {
        listen: address,
        public_url: format!("http://{address}"),
        database_url: None,
        data_dir: data.join("data"),
        site_dir: data.join("site"),
        usage_drop_dir: None,
        demo: false,
        demo_site_listen: "127.0.0.1:0".parse().unwrap(),
        demo_site_url: "http://127.0.0.1:1".into(),
        smtp_url: Some(format!("smtp://127.0.0.1:{}", mailbox.port)),
        mail_from: "Portico <bench@portico.test>".into(),
        signup_min_fill_ms: 0,
        signups_per_ip_per_hour: i64::MAX,
        hashing_threads: Some(hashing_threads),
        cloud_gateway: portico_server::config::CloudGateway::Simulated,
        aws_endpoint_url: None,
        aws_region: "us-east-1".into(),
        usage_s3_url: None,
        trusted_proxies: Vec::new(),
        aws_account_id: "111122223333".into(),
        role_template_url: None,
        simulated_console: false,
        simulated_handshake_ms: 14 * 24 * 3600 * 1000,
        handshake_poll_ms: None,
        simulated_launch_ms: 3_000,
        simulated_creation_ms: 5_000,
        command: None,
    };
    tweak(&mut config);
    let state = AppState::new(config).await.unwrap();
    let reseller = resellers::create(&state.portico.db, "Bench Reseller", None).await.unwrap();
    let (_, key) = widget::keys::create(&state.portico.db.pool, &reseller, None).await.unwrap();
    tokio::spawn(portico_server::serve_state(state.clone(), listener, std::future::pending()));
    Served { base: format!("http://{address}"), state, key }
}
