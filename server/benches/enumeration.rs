//! Whether an answer gives away that an e-mail address has an account: for each form that takes
//! an address (widget signup, login, password reset and confirmation resend; portal password
//! reset), the median time of requests with a known address against an unknown one, sent in
//! turns, and whether the bodies are the same. Budget (issue "Security and reliability proof"):
//! medians within 5 ms, identical bodies. Prints figures; asserts nothing. Run with
//! `cargo bench -p portico-server --bench enumeration`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod backends;
mod support {
    // The API tests' SMTP server on loopback; the benchmarks use only its discarding kind.
    pub mod server;
    #[allow(dead_code)]
    #[path = "../../tests/api/smtp.rs"]
    pub mod smtp;
}

use std::time::Instant;

use portico_domain::{resellers, widget};
use serde_json::json;

/// Samples per address, as the issue asks.
const SAMPLES: usize = 200;
/// Known addresses, each given fewer than the 100 failures after which a login waits 2 s.
const KNOWN: usize = 4;

fn main() {
    tracing_subscriber::fmt().with_env_filter("error").init();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(cores).enable_all().build().unwrap();
    runtime.block_on(async move {
        measure("SQLite", cores, None).await;
        if let Some(database) = backends::FreshPostgres::create().await {
            measure("PostgreSQL", cores, Some(database.url.clone())).await;
            database.drop().await;
        }
    });
}

/// Measures every form on a server with this database (`None`: SQLite).
async fn measure(backend: &str, cores: usize, database_url: Option<String>) {
    // Every request comes through a "proxy" on loopback naming a client of its own, so the
    // per-address limits never answer instead of the form.
    let served = support::server::start(cores, |config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        config.database_url = database_url;
    })
    .await;
    let client = reqwest::Client::new();
    let form_token = served.state.portico.settings.form_key.issue(portico_domain::db::now_ms() - 60_000);
    let known: Vec<String> = (0..KNOWN).map(|n| format!("known{n}@customer.example")).collect();
    for email in &known {
        let response = client
            .post(format!("{}/api/v1/widgets/{}/signups", served.base, served.key))
            .header("Origin", &served.base)
            .json(&signup(email, &form_token))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
    }
    // The known addresses are confirmed, as most accounts are, and are portal users too.
    let portico = &served.state.portico;
    let reseller = widget::keys::find(&portico.db, &served.key).await.unwrap().reseller_id;
    sqlx::query("UPDATE customer_users SET email_verified_at = 1").execute(&portico.db.pool).await.unwrap();
    for email in &known {
        let email = portico_shared::email::EmailAddress::parse(email).unwrap();
        let (db, hasher, agent) = (&portico.db, &portico.hasher, resellers::Role::Agent);
        resellers::add_user(db, hasher, &reseller, &email, "Known", agent, "a benchmark passphrase").await.unwrap();
    }
    let base = &served.base;
    let key = &served.key;
    let widget = |path: &str| format!("{base}/api/v1/widgets/{key}/{path}");

    println!(
        "enumeration: known against unknown address, {SAMPLES} samples each, {backend}, release server in process"
    );
    println!("  {:<32} {:>12} {:>12} {:>9} same body", "form", "known p50", "unknown p50", "diff");
    let mut sample = 0_u32;
    let mut forms: Vec<(&str, Request)> = Vec::new();
    let (c, w, t) = (client.clone(), widget("signups"), form_token.clone());
    forms.push(("widget signup", Box::new(move |email, _| c.post(&w).json(&signup(email, &t)))));
    let (c, w) = (client.clone(), widget("sessions"));
    forms.push((
        "widget login (wrong password)",
        Box::new(move |email, _| c.post(&w).json(&json!({ "email": email, "password": "not the password at all" }))),
    ));
    let (c, w) = (client.clone(), widget("password-resets"));
    forms.push(("widget password reset", Box::new(move |email, _| c.post(&w).json(&json!({ "email": email })))));
    let (c, w) = (client.clone(), widget("verification-emails"));
    forms.push(("widget confirmation resend", Box::new(move |email, _| c.post(&w).json(&json!({ "email": email })))));
    let (c, p) = (client.clone(), format!("{base}/portal/request_password_reset"));
    forms.push(("portal password reset", Box::new(move |email, _| c.post(&p).form(&[("email", email)]))));

    for (name, request) in &forms {
        let (mut known_ms, mut unknown_ms) = (Vec::new(), Vec::new());
        let (mut known_body, mut unknown_body) = (String::new(), String::new());
        for n in 0..SAMPLES {
            for is_known in [true, false] {
                sample += 1;
                let email = if is_known {
                    known[n % KNOWN].clone()
                } else if *name == "widget signup" {
                    // A new address each time: an unknown one signs up once.
                    format!("new{sample}@customer.example")
                } else {
                    format!("unknown{}@customer.example", n % KNOWN)
                };
                let client_address = format!("10.{}.{}.{}", sample >> 16 & 255, sample >> 8 & 255, sample & 255);
                let started = Instant::now();
                let response = request(&email, sample)
                    .header("Origin", base.as_str())
                    .header("X-Forwarded-For", client_address)
                    .send()
                    .await
                    .unwrap();
                let elapsed = started.elapsed().as_secs_f64() * 1000.0;
                let status = response.status().as_u16();
                let body = format!("{status} {}", response.text().await.unwrap().replace(&email, "<email>"));
                if is_known {
                    known_ms.push(elapsed);
                    known_body = body;
                } else {
                    unknown_ms.push(elapsed);
                    unknown_body = body;
                }
            }
        }
        let (known_p50, unknown_p50) = (median(&mut known_ms), median(&mut unknown_ms));
        println!(
            "  {name:<32} {known_p50:>9.2} ms {unknown_p50:>9.2} ms {:>+6.2} ms {}",
            known_p50 - unknown_p50,
            if known_body == unknown_body { "yes".to_owned() } else { format!("NO: {known_body} / {unknown_body}") }
        );
    }
}

/// A form's request for an address (and the sample's number).
type Request = Box<dyn Fn(&str, u32) -> reqwest::RequestBuilder>;

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn signup(email: &str, form_token: &str) -> serde_json::Value {
    json!({
        "company_name": "Timing Test Inc", "contact_name": "Tim Timer", "phone": "555-555-5555", "country": "US",
        "email": email, "password": "a benchmark passphrase", "verify_password": "a benchmark passphrase",
        "form_token": form_token
    })
}
