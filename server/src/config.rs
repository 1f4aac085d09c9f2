//! Typed configuration, read once in `main` from flags and environment and passed down.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use portico_domain::config::{LinkConfig, Settings};

#[derive(Clone, Debug, Parser)]
#[command(name = "portico", about = "Portico: resellers onboard their end customers to the cloud.")]
pub struct Config {
    /// Address the platform listens on.
    #[arg(long, env = "PORTICO_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// The reverse proxies in front of Portico, as addresses or CIDR ranges separated by commas
    /// (`10.0.0.0/8,127.0.0.1`). A request from one of them is taken to come from the address the
    /// proxy names in `Forwarded` or `X-Forwarded-For`; without it, every client would have the
    /// proxy's address and share its limits. Headers from anyone else are ignored.
    #[arg(long, env = "PORTICO_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::client_addr::parse_range)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// The URL people use to reach the platform. Its origin is the only one allowed to make
    /// state-changing requests, and the widget loader points iframes at it.
    #[arg(long, env = "PORTICO_PUBLIC_URL", default_value = "http://localhost:3000")]
    pub public_url: String,

    /// A `postgres://` URL selects PostgreSQL; without one, an SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Where the embedded database lives, and uploaded usage reports are kept while they are
    /// imported: with several servers, a folder every one of them sees.
    #[arg(long, env = "PORTICO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The built front-end assets (portal hydration bundle, widget, styles).
    #[arg(long, env = "PORTICO_SITE_DIR", default_value = "target/site")]
    pub site_dir: PathBuf,

    /// The folder the providers' billing exports (Cost and Usage Reports, FOCUS) arrive in: each
    /// new CSV or gzip file is imported for the whole platform. Default: `usage-drop` in the
    /// data directory.
    #[arg(long, env = "PORTICO_USAGE_DROP_DIR")]
    pub usage_drop_dir: Option<PathBuf>,

    /// Seed the demo reseller and serve the demo reseller website.
    #[arg(long, env = "PORTICO_DEMO")]
    pub demo: bool,

    /// Where the demo reseller website listens (demo mode only).
    #[arg(long, env = "PORTICO_DEMO_SITE_LISTEN", default_value = "127.0.0.1:3001")]
    pub demo_site_listen: SocketAddr,

    /// The demo website's origin as browsers see it: a different host name from the platform's,
    /// so the embed is cross-site as it is on a real reseller's website.
    #[arg(long, env = "PORTICO_DEMO_SITE_URL", default_value = "http://127.0.0.1:3001")]
    pub demo_site_url: String,

    /// SMTP server for outgoing mail, e.g. `smtp://127.0.0.1:1025` or
    /// `smtps://user:password@smtp.example.com:465`. Without one, e-mails are written to the log.
    #[arg(long, env = "PORTICO_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of Portico's e-mails.
    #[arg(long, env = "PORTICO_MAIL_FROM", default_value = "Portico <no-reply@portico.localhost>")]
    pub mail_from: String,

    /// Signups sent sooner than this after the frame served the form (timed by its signed form
    /// token) are taken for robots: not stored, and asked to be sent again. People need far
    /// longer; automated browser tests set it lower.
    #[arg(long, env = "PORTICO_SIGNUP_MIN_FILL_MS", default_value_t = 3000)]
    pub signup_min_fill_ms: u64,

    /// Widget signups accepted from one IP address per hour (a busy office stays well below).
    #[arg(long, env = "PORTICO_SIGNUPS_PER_IP_PER_HOUR", default_value_t = 100)]
    pub signups_per_ip_per_hour: i64,

    /// Password hashes computed at once; each takes one core for tens of milliseconds.
    #[arg(long, env = "PORTICO_HASHING_THREADS")]
    pub hashing_threads: Option<usize>,

    /// Where the platform's AWS calls go: `simulated` (offline and deterministic) or `aws`
    /// (AWS itself through its SDK, with credentials from where the AWS CLI finds them; only in
    /// servers built with the `aws` feature).
    #[arg(long, env = "PORTICO_CLOUD_GATEWAY", value_enum, default_value_t = CloudGateway::Simulated)]
    pub cloud_gateway: CloudGateway,

    /// An AWS-compatible endpoint that replaces AWS's own for every service (`aws` gateway).
    #[arg(long, env = "PORTICO_AWS_ENDPOINT_URL")]
    pub aws_endpoint_url: Option<String>,

    /// The AWS region of the `aws` gateway's calls (Organizations answers in us-east-1).
    #[arg(long, env = "PORTICO_AWS_REGION", default_value = "us-east-1")]
    pub aws_region: String,

    /// Where AWS delivers the platform's billing export (Cost and Usage Report or FOCUS), as
    /// `s3://bucket/prefix/` (`aws` gateway): each new report there is imported for the whole
    /// platform, as from the drop folder.
    #[arg(long, env = "PORTICO_USAGE_S3_URL")]
    pub usage_s3_url: Option<String>,

    /// The platform's own AWS account: the one the role trust policies of linked accounts name.
    /// The default is the simulated cloud gateway's; the `aws` gateway asks AWS instead.
    #[arg(long, env = "PORTICO_AWS_ACCOUNT_ID", default_value = "111122223333")]
    pub aws_account_id: String,

    /// Where the CloudFormation template of the access role is published (an S3 address, as the
    /// AWS console's quick-create page requires). Without one, the Role ARN dialog offers the
    /// template to copy but no quick-create link.
    #[arg(long, env = "PORTICO_ROLE_TEMPLATE_URL")]
    pub role_template_url: Option<String>,

    /// Serve the simulated cloud's console for account owners (`/simulated-aws`, where anyone may
    /// accept or decline an invitation) outside the demo too: for tests and trials. The demo
    /// serves it always; a server with the simulated gateway otherwise does not.
    #[arg(long, env = "PORTICO_SIMULATED_CONSOLE")]
    pub simulated_console: bool,

    /// How long the simulated cloud keeps an AWS Organizations invitation open, in ms (the guide's
    /// two weeks by default).
    #[arg(long, env = "PORTICO_SIMULATED_HANDSHAKE_MS", default_value_t = 14 * 24 * 3600 * 1000)]
    pub simulated_handshake_ms: i64,

    /// How long the simulated cloud takes to create an account, in ms.
    #[arg(long, env = "PORTICO_SIMULATED_CREATION_MS", default_value_t = 5_000)]
    pub simulated_creation_ms: i64,

    /// How long the simulated cloud takes to start a test drive's sandbox, in ms.
    #[arg(long, env = "PORTICO_SIMULATED_LAUNCH_MS", default_value_t = 3_000)]
    pub simulated_launch_ms: i64,

    /// How often to ask AWS whether an invitation was answered, in ms (one minute; one second in
    /// the demo, whose simulated owner answers at once).
    #[arg(long, env = "PORTICO_HANDSHAKE_POLL_MS")]
    pub handshake_poll_ms: Option<i64>,

    /// Without a command, the platform is served.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The cloud gateways a server can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CloudGateway {
    Simulated,
    Aws,
}

/// One-off tasks run instead of serving.
#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Invites the platform's first admin: prints a one-time link (also e-mailed when SMTP is
    /// configured) where they choose their password. Refused once a platform admin exists.
    CreatePlatformAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

impl Config {
    /// The domain's part of the settings. Invitations and account creations are polled as
    /// configured (every second in the demo), and the owner is reminded three days before an
    /// invitation expires (or halfway through a shorter one).
    pub fn settings(&self) -> Settings {
        let origin: Arc<str> = self.public_origin().into();
        let poll_ms = self.handshake_poll_ms.unwrap_or(if self.demo { 1_000 } else { 60_000 }).max(100);
        let reminder_lead_ms = (3 * 24 * 3600 * 1000).min(self.simulated_handshake_ms / 2);
        Settings {
            public_origin: origin.clone(),
            https: self.is_https(),
            links: LinkConfig { poll_ms, reminder_lead_ms, origin },
            signup_min_fill_ms: self.signup_min_fill_ms,
            // The demo's staff accounts are tried by people without an authenticator app at hand.
            staff_two_step_required: !self.demo,
            // The platform's own key is read from the database when the server starts.
            form_key: portico_domain::widget::form_token::FormKey::random(),
            signups_per_ip_per_hour: self.signups_per_ip_per_hour,
            aws_account_id: self.aws_account_id.clone(),
            role_template_url: self.role_template_url.clone(),
            usage_dir: self.data_dir.join("usage"),
            usage_drop_dir: self.usage_drop_dir.clone().unwrap_or_else(|| self.data_dir.join("usage-drop")),
        }
    }

    /// The platform origin (scheme, host and port) without any path.
    pub fn public_origin(&self) -> String {
        origin_of(&self.public_url)
    }

    /// Session cookies may only be `Secure` (and `__Host-`) when the platform is served over https.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// `scheme://host[:port]` of a URL, dropping any path, query or trailing slash.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_drops_path_and_normalises_case() {
        assert_eq!(origin_of("http://localhost:3000/"), "http://localhost:3000");
        assert_eq!(origin_of("HTTPS://Portal.Example.com/app?x=1"), "https://portal.example.com");
    }
}
