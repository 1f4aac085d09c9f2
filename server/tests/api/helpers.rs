//! `TestApp`: a running Portico with its own database, and typed helpers to talk to it.

use std::net::SocketAddr;
use std::path::PathBuf;

use portico_domain::db::Db;
use portico_domain::principal::{Principal, ResellerAdmin, ResellerUser};
use portico_domain::resellers::{self, Role};
use portico_domain::signup_options;
use portico_domain::widget::keys;
use portico_server::config::Config;
use portico_server::AppState;
use portico_shared::email::EmailAddress;
use portico_shared::ids::ResellerId;
use portico_shared::signup_options::SignupOptions;
use serde_json::{json, Value};
use sqlx::Connection;
use tokio::sync::oneshot;

use crate::smtp::SmtpSink;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates one `#[tokio::test]` per backend for each `async fn name(backend: Backend)`.
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if $crate::helpers::postgres_url().is_some() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            })+
        }
    };
}
pub(crate) use both_backends;

/// The PostgreSQL server to create test databases on. Without one, PostgreSQL variants are
/// skipped with a warning, unless `PORTICO_REQUIRE_POSTGRES=1` (CI), where that is a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("PORTICO_TEST_POSTGRES") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("PORTICO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
            panic!("PORTICO_REQUIRE_POSTGRES=1 but PORTICO_TEST_POSTGRES is not set")
        }
        Err(_) => {
            eprintln!("PORTICO_TEST_POSTGRES is not set: skipping the PostgreSQL variant");
            None
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub state: AppState,
    pub client: reqwest::Client,
    /// A reseller with a widget key, created for every test.
    pub reseller: ResellerId,
    pub widget_key: String,
    /// The form token of a frame served 20 s before the test began: what the widget sends with
    /// its signups (one per frame, so a double click sends the same body twice).
    pub signup_token: String,
    /// Every e-mail the server sends ends up here.
    pub mail: SmtpSink,
    shutdown: Option<(oneshot::Sender<()>, tokio::task::JoinHandle<anyhow::Result<()>>)>,
    config: Config,
    _data_dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
    /// The authenticator apps the test added for people (two-step sign-in): by e-mail, the key
    /// in base32 and the last 30-second step whose code was used.
    apps: std::sync::Mutex<std::collections::HashMap<String, (String, u64)>>,
}

pub const ADMIN_EMAIL: &str = "admin@reseller.test";
pub const ADMIN_PASSWORD: &str = "reseller admin passphrase";
pub const RESELLER_SITE: &str = "http://127.0.0.1:4100";
const PLATFORM_PASSWORD: &str = "platform staff passphrase";
const AGENT_PASSWORD: &str = "reseller agent passphrase";

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// As [`TestApp::spawn`], with the configuration changed by `tweak` first.
    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        // Server errors appear in the output of the test that caused them.
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("error").try_init();
        let data_dir = tempfile::tempdir().unwrap();
        let postgres = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(create_postgres_database().await),
        };
        let mail = SmtpSink::start().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let mut config = Config {
            listen: address,
            public_url: format!("http://{address}"),
            database_url: postgres.as_ref().map(|(url, _)| url.clone()),
            data_dir: data_dir.path().join("data"),
            site_dir: PathBuf::from("/nonexistent-portico-site"),
            usage_drop_dir: None,
            demo: false,
            demo_site_listen: "127.0.0.1:0".parse().unwrap(),
            demo_site_url: RESELLER_SITE.into(),
            hashing_threads: Some(2),
            cloud_gateway: portico_server::config::CloudGateway::Simulated,
            aws_endpoint_url: None,
            aws_region: "us-east-1".into(),
            usage_s3_url: None,
            trusted_proxies: Vec::new(),
            aws_account_id: "111122223333".into(),
            role_template_url: None,
            simulated_console: true,
            simulated_handshake_ms: 14 * 24 * 3600 * 1000,
            handshake_poll_ms: Some(200),
            simulated_launch_ms: 300,
            simulated_creation_ms: 300,
            command: None,
            signup_min_fill_ms: 3000,
            signups_per_ip_per_hour: 100,
            smtp_url: Some(format!("smtp://127.0.0.1:{}", mail.port)),
            mail_from: "Portico <no-reply@portico.test>".into(),
        };
        tweak(&mut config);
        let state = AppState::new(config.clone()).await.expect("server state");
        let db = state.portico.db.clone();
        let shutdown = Some(serve(&state, listener));

        let reseller = resellers::create(&db, "Reseller One", Some("https://reseller.test/license")).await.unwrap();
        let admin = EmailAddress::parse(ADMIN_EMAIL).unwrap();
        resellers::add_user(&db, &state.portico.hasher, &reseller, &admin, "Ada Admin", Role::Admin, ADMIN_PASSWORD)
            .await
            .unwrap();
        let (key_id, widget_key) = keys::create(&db.pool, &reseller, None).await.unwrap();
        keys::set_origins(&db, &key_id, &[RESELLER_SITE.to_owned()]).await.unwrap();

        let signup_token = state.portico.settings.form_key.issue(portico_domain::db::now_ms() - 20_000);
        TestApp {
            address: format!("http://{address}"),
            signup_token,
            db,
            state,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // A request that never completes fails the test instead of stalling the run.
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            reseller,
            widget_key,
            mail,
            shutdown,
            config,
            _data_dir: data_dir,
            postgres,
            apps: Default::default(),
        }
    }

    /// Stops the server (its job worker too) and starts a new one on the same database and
    /// address: nothing in memory survives, as after a real restart. `while_down` runs between.
    pub async fn restart(&mut self, while_down: impl std::future::Future<Output = ()>) {
        self.stop().await;
        while_down.await;
        let listener = tokio::net::TcpListener::bind(self.config.listen).await.unwrap();
        let state = AppState::new(self.config.clone()).await.expect("server state");
        self.db = state.portico.db.clone();
        self.shutdown = Some(serve(&state, listener));
        self.state = state;
    }

    /// POSTs a signup as the widget does: same-origin, JSON, with an optional Idempotency-Key.
    /// POSTs a signup as the widget does: with [`TestApp::signup_token`], unless `body` has a
    /// form token of its own.
    pub async fn post_signup(&self, key: &str, body: &Value, idempotency_key: Option<&str>) -> reqwest::Response {
        let mut body = body.clone();
        if body.get("form_token").is_none() {
            body["form_token"] = json!(self.signup_token);
        }
        let mut request = self
            .client
            .post(format!("{}/api/v1/widgets/{key}/signups", self.address))
            .header("Origin", &self.address)
            .header("Sec-Fetch-Site", "same-origin")
            .json(&body);
        if let Some(idempotency_key) = idempotency_key {
            request = request.header("Idempotency-Key", idempotency_key);
        }
        request.send().await.unwrap()
    }

    /// The form token of a frame served `ago_ms` before now.
    pub fn form_token_served(&self, ago_ms: i64) -> String {
        self.state.portico.settings.form_key.issue(portico_domain::db::now_ms() - ago_ms)
    }

    /// Replaces this test reseller's signup options.
    pub async fn set_signup_options(&self, options: SignupOptions) {
        let actor = portico_domain::principal::Actor { id: None, label: "test".into() };
        signup_options::store(&self.db, &self.reseller, &options.validate().unwrap(), &actor).await.unwrap();
    }

    /// GETs a page with a browser's Accept header, following nothing.
    /// Runs the `portico` binary on this app's database with `args` (a command and its flags).
    pub async fn run_command(&self, args: &[&str]) -> std::process::Output {
        self.command(args).env("RUST_LOG", "error").output().await.unwrap()
    }

    /// The `portico` binary, configured for this app's database, with `args` after.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_portico"));
        match &self.postgres {
            Some((url, _)) => command.args(["--database-url", url]),
            None => command.arg("--data-dir").arg(self._data_dir.path().join("data")),
        };
        command.args(["--public-url", &self.address]).args(args);
        command
    }

    /// Starts a `portico` process built by [`TestApp::command`] with `args`, logging at info, and
    /// waits until it listens (its job worker polls by then). Returns it, stopped when dropped,
    /// with the lines it logged until then.
    pub async fn start_process(&self, args: &[&str], env: &[(&str, &str)]) -> (tokio::process::Child, Vec<String>) {
        use tokio::io::AsyncBufReadExt;
        let mut command = self.command(args);
        command.envs(env.iter().copied()).env("RUST_LOG", "info,sqlx=warn");
        let mut process = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = tokio::io::BufReader::new(process.stdout.take().unwrap()).lines();
        let mut logged = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            let listening = line.contains("Portico is listening");
            logged.push(line);
            if listening {
                break;
            }
        }
        (process, logged)
    }

    /// Stops the in-process server and its job worker; the database stays.
    pub async fn stop(&mut self) {
        if let Some((stop, stopped)) = self.shutdown.take() {
            let _ = stop.send(());
            stopped.await.unwrap().unwrap();
        }
    }

    pub async fn get(&self, url: &str) -> reqwest::Response {
        self.client.get(url).header("Accept", "text/html").send().await.unwrap()
    }

    /// POSTs a same-origin HTML form, as a browser would from one of the platform's pages.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("Origin", &self.address)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.db.pool).await.unwrap()
    }

    /// Signs into the portal and returns the session cookie (`name=value`).
    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/portal/sign_in", self.address))
            .header("Origin", &self.address)
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    pub async fn session_cookie(&self) -> String {
        self.cookie_for(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Adds an agent to the test's reseller (`agent@reseller.test`) and returns their session cookie.
    pub async fn agent_cookie(&self) -> String {
        let email = EmailAddress::parse("agent@reseller.test").unwrap();
        let hasher = &self.state.portico.hasher;
        resellers::add_user(&self.db, hasher, &self.reseller, &email, "Agnes Agent", Role::Agent, AGENT_PASSWORD)
            .await
            .unwrap();
        self.cookie_for("agent@reseller.test", AGENT_PASSWORD).await
    }

    /// Adds a platform admin (`root@platform.test`) and returns their session cookie.
    pub async fn platform_admin_cookie(&self) -> String {
        let email = EmailAddress::parse("root@platform.test").unwrap();
        let hasher = &self.state.portico.hasher;
        resellers::add_platform_user(&self.db, hasher, &email, "Pia", Role::PlatformAdmin, PLATFORM_PASSWORD)
            .await
            .unwrap();
        self.cookie_for("root@platform.test", PLATFORM_PASSWORD).await
    }

    /// Signs in as someone and returns their session cookie (`name=value`), through the second
    /// step when they have an authenticator app or must add one (the platform's staff): the test
    /// plays the app.
    pub async fn cookie_for(&self, email: &str, password: &str) -> String {
        let response = self.sign_in(email, password).await;
        if let Some(challenge) = set_cookie(&response, "portico_second_step") {
            return self.second_step(email, &challenge).await;
        }
        set_cookie(&response, "portico_session").expect("a session cookie")
    }

    /// Answers a sign-in's second step (`challenge`: its cookie) with the person's app, adding
    /// the app first when asked to; returns the session cookie.
    pub async fn second_step(&self, email: &str, challenge: &str) -> String {
        let response = self.portal_post(challenge, "pending_second_step", &[]).await;
        assert_eq!(response.status(), 200, "the second step is there");
        let step: Value = response.json().await.unwrap();
        if let Some(key) = step["SetUp"]["key"].as_str() {
            self.apps.lock().unwrap().insert(email.to_owned(), (key.replace(' ', ""), 0));
        }
        let code = self.app_code(email).await;
        let response = self.portal_post(challenge, "sign_in_code", &[("code", &code)]).await;
        assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
        set_cookie(&response, "portico_session").expect("a session after the second step")
    }

    /// The code the person's authenticator app shows for the earliest step not used yet that the
    /// server still accepts (a code is accepted once; the step before and after the current one
    /// are accepted), waiting for the next step when those are used up.
    pub async fn app_code(&self, email: &str) -> String {
        loop {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            let current = now / 30;
            let code = {
                let mut apps = self.apps.lock().unwrap();
                let (secret, last) = apps.get_mut(email).expect("an app added for this person");
                let step = current.max(*last + 1);
                (step <= current + 1).then(|| {
                    *last = step;
                    app_code_at(secret, step * 30)
                })
            };
            match code {
                Some(code) => return code,
                None => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
            }
        }
    }

    /// Plays the app with `key` (base32) for the person, whose codes up to `last_step` are used.
    pub fn add_app(&self, email: &str, key: &str, last_step: u64) {
        self.apps.lock().unwrap().insert(email.to_owned(), (key.to_owned(), last_step));
    }

    /// The person's authenticator key, in base32, once the test added their app.
    pub fn app_key(&self, email: &str) -> Option<String> {
        self.apps.lock().unwrap().get(email).map(|(secret, _)| secret.clone())
    }

    /// Adds a second user to a customer: Jane Doe (`cuu_jane`, jane@customer.com), a user.
    pub async fn add_jane(&self, customer: &str) {
        sqlx::query(
            "INSERT INTO customer_users (id, reseller_id, customer_id, email, name, role, created_at) \
             VALUES ('cuu_jane', $1, $2, 'jane@customer.com', 'Jane Doe', 'user', 0)",
        )
        .bind(self.reseller.as_str())
        .bind(customer)
        .execute(&self.db.pool)
        .await
        .unwrap();
    }

    /// Adds an active customer to `reseller` as the portal's Add does; returns its id.
    pub async fn add_customer(&self, reseller: &ResellerId, organization: &str, name: &str, email: &str) -> String {
        let details = portico_shared::details::DetailsInput {
            company_name: organization.into(),
            contact_name: name.into(),
            email: email.into(),
            phone: "555-555-5555".into(),
            country: "US".into(),
            ..Default::default()
        };
        portico_domain::customers::add(&self.state.portico, &admin_of(reseller), &details).await.unwrap().0
    }

    /// Calls a portal server function as the portal's own page would: same origin, with a session.
    pub async fn portal_post(&self, cookie: &str, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.portal_post_at(&self.address, cookie, endpoint, form).await
    }

    /// As [`TestApp::portal_post`], to another server process on this app's database.
    pub async fn portal_post_at(
        &self,
        base: &str,
        cookie: &str,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(format!("{base}/portal/{endpoint}"))
            .header("Origin", &self.address)
            .header("Cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Logs a customer user in through a widget, as the widget does.
    pub async fn widget_login(&self, key: &str, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/widgets/{key}/sessions", self.address))
            .header("Origin", &self.address)
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// GETs a portal page as a browser would.
    pub async fn page(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address)).header("Accept", "text/html");
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send().await.unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((_, name)) = self.postgres.take() {
            let admin = postgres_url().unwrap();
            // Drop runs inside the test's runtime; the database is removed from a thread of its own.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                runtime.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// Serves `state` until the returned sender is used; the handle ends when the server has stopped.
fn serve(
    state: &AppState,
    listener: tokio::net::TcpListener,
) -> (oneshot::Sender<()>, tokio::task::JoinHandle<anyhow::Result<()>>) {
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(portico_server::serve_state(state.clone(), listener, async {
        let _ = stopped.await;
    }));
    (stop, served)
}

/// A new, empty database on the test PostgreSQL server: (its URL, its name).
async fn create_postgres_database() -> (String, String) {
    let admin = postgres_url().expect("PostgreSQL URL");
    let name = format!("portico_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is unreachable: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
    (format!("{base}/{name}"), name)
}

/// The seed's example customer, as the widget would send it.
pub fn valid_signup() -> Value {
    json!({
        "company_name": "Internal-Legal",
        "contact_name": "John Smith",
        "title": "Manager",
        "phone": "555-555-5555",
        "country": "US",
        "street_address": "1234 Lane",
        "suite": "",
        "city": "Anytown",
        "state": "Arizona",
        "zip": "85001",
        "email": "John@customer.com",
        "password": "correct horse battery lamp",
        "verify_password": "correct horse battery lamp"
    })
}

/// The audit log's actions, oldest first.
pub async fn actions(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_events ORDER BY at, id").fetch_all(&app.db.pool).await.unwrap()
}

/// An admin of `reseller`, as a session would make them, for setting up a test's data through
/// the domain (the audit log names them "Test Admin").
pub fn admin_of(reseller: &ResellerId) -> ResellerAdmin {
    acting_for(reseller).reseller_admin().unwrap()
}

/// A signed-in admin of `reseller`, as the server resolves one from a session.
pub fn acting_for(reseller: &ResellerId) -> Principal {
    Principal::Reseller(ResellerUser {
        user_id: portico_shared::ids::ResellerUserId("rsu_test".into()),
        reseller_id: reseller.clone(),
        name: "Test Admin".into(),
        email: "test-admin@reseller.test".into(),
        role: Role::Admin,
        reseller_name: "Test reseller".into(),
    })
}

/// An invalid case of a form: the fields changed from a valid form, the field refused, its code.
pub type Refusal<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

/// `base` with each of `changes` replacing the field of its name, or added when there is none.
pub fn form_with<'a>(base: &[(&'a str, &'a str)], changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = base.to_vec();
    for (name, value) in changes {
        match form.iter_mut().find(|(existing, _)| existing == name) {
            Some(field) => field.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

/// Sends `form` to a portal server function and checks it is refused on `field` with `code`
/// (422, the field named in the body).
pub async fn assert_refused(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    form: &[(&str, &str)],
    field: &str,
    code: &str,
) {
    let response = app.portal_post(cookie, endpoint, form).await;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(status, 422, "{endpoint} {form:?}: {body}");
    assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{endpoint} {field} {code}: {body}");
}

/// The `name=value` of the cookie named `name` (or `__Host-name`) that the response sets with a
/// value, if any.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| {
            pair.split_once('=')
                .is_some_and(|(found, value)| found.trim_start_matches("__Host-") == name && !value.is_empty())
        })
        .map(str::to_owned)
}

/// What an authenticator app with `secret` (base32) shows at `unix_seconds`.
pub fn app_code_at(secret: &str, unix_seconds: u64) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret).unwrap().as_ref().to_vec();
    totp_rs::Builder::new().with_secret(bytes).build().unwrap().generate(unix_seconds).to_string()
}

/// Waits, if a rate-limit window may end during the test, until it has ended. Limits count in
/// windows aligned to the clock, of 10, 15 or 60 minutes, so every window ends on a 5-minute
/// mark; a test that uses up a limit and expects the next attempt refused fails when a window
/// ends in between and the count starts again. Such a test calls this first: it then has at
/// least 90 seconds before the next mark.
pub async fn clear_of_a_window_end() {
    const MARK_MS: u64 = 5 * 60 * 1000;
    const ROOM_MS: u64 = 90 * 1000;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let into_mark = u64::try_from(now.as_millis() % u128::from(MARK_MS)).unwrap_or(0);
    let left = MARK_MS - into_mark;
    if left < ROOM_MS {
        tokio::time::sleep(std::time::Duration::from_millis(left + 1_000)).await;
    }
}
