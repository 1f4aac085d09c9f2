//! Signup throughput against raw argon2 speed, and the latency of other requests meanwhile.
//!
//! Budget (DESIGN.md): signups/s ≥ 0.9 × raw argon2 hashes/s on the same cores, measured in the
//! same run; other requests keep p99 ≤ 10 ms while hashing saturates the cores. Prints figures;
//! asserts nothing. Run with `cargo bench -p portico-server --bench signup_throughput`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support {
    // The API tests' SMTP server on loopback; the benchmarks use only its discarding kind.
    pub mod server;
    #[allow(dead_code)]
    #[path = "../../tests/api/smtp.rs"]
    pub mod smtp;
}

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use portico_domain::passwords;
use serde_json::json;

const PHASE: Duration = Duration::from_secs(6);
const CLIENTS: usize = 8;

fn main() {
    tracing_subscriber::fmt().with_env_filter("error").init();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let raw = raw_hashes_per_second(cores);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(cores).enable_all().build().unwrap();
    runtime.block_on(async move {
        let hasher = passwords::Hasher::new(cores).await.unwrap();
        let portico = hasher_hashes_per_second(&hasher, cores).await;
        drop(hasher);
        let (base, key, form_token) = start_server(cores).await;
        let client = reqwest::Client::new();
        let idle = latencies(&client, &base, Duration::from_secs(2), Arc::new(AtomicBool::new(false))).await;

        let resident_before = resident_mb();
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let mut workers = Vec::new();
        for worker in 0..CLIENTS {
            let (client, base, key, form_token, done, stop) =
                (client.clone(), base.clone(), key.clone(), form_token.clone(), done.clone(), stop.clone());
            workers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let response = client
                        .post(format!("{base}/api/v1/widgets/{key}/signups"))
                        .json(&signup(&format!("bench-{worker}-{n}@load.example"), &form_token))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 202);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        let probe = {
            let (client, base, stop) = (client.clone(), base.clone(), stop.clone());
            tokio::spawn(async move { latencies(&client, &base, PHASE, stop).await })
        };
        tokio::time::sleep(PHASE).await;
        stop.store(true, Ordering::Relaxed);
        let elapsed = started.elapsed().as_secs_f64();
        for worker in workers {
            worker.await.unwrap();
        }
        let loaded = probe.await.unwrap();
        let signups = done.load(Ordering::Relaxed) as f64 / elapsed;
        let resident_after = resident_mb();
        // The hashing threads give their memory back after a few idle seconds.
        tokio::time::sleep(Duration::from_secs(8)).await;
        let resident_settled = resident_mb();

        println!("cores: {cores}, concurrent signup clients: {CLIENTS}");
        println!("raw argon2id (m=19 MiB, t=2, p=1) on {cores} threads: {raw:.1} hashes/s");
        println!("Portico's hashing threads alone:            {portico:.1} hashes/s ({:.2} x raw)", portico / raw);
        println!("widget signups over HTTP (SQLite):          {signups:.1} signups/s");
        println!("ratio signups / raw hashes:                 {:.2} (budget >= 0.90)", signups / raw);
        println!(
            "ratio signups / Portico's hashing alone:    {:.2} (what HTTP and the database cost)",
            signups / portico
        );
        println!("GET /health idle:           p50 {:.2} ms, p99 {:.2} ms ({} requests)", idle.0, idle.1, idle.2);
        println!(
            "GET /health during signups: p50 {:.2} ms, p99 {:.2} ms ({} requests; budget p99 <= 10 ms)",
            loaded.0, loaded.1, loaded.2
        );
        println!(
            "resident memory (this process: server and clients): {resident_before:.0} MB before the signups, \
             {resident_after:.0} MB as they end, {resident_settled:.0} MB 8 s later (budget: idle server <= 50 MB)"
        );
    });
}

/// Hashes per second with every core hashing, as fast as argon2 can go here.
fn raw_hashes_per_second(threads: usize) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (stop, count) = (stop.clone(), count.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    passwords::hash_blocking("a benchmark passphrase".into()).unwrap();
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(PHASE);
    stop.store(true, Ordering::Relaxed);
    for handle in handles {
        handle.join().unwrap();
    }
    count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Hashes per second through Portico's hashing threads, kept busy, with nothing else running.
async fn hasher_hashes_per_second(hasher: &passwords::Hasher, threads: usize) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..threads * 2)
        .map(|_| {
            let (hasher, stop, count) = (hasher.clone(), stop.clone(), count.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    hasher.hash("a benchmark passphrase").await.unwrap();
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(PHASE).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// The server's address, a widget key, and the form token of a frame served then.
async fn start_server(cores: usize) -> (String, String, String) {
    let served = support::server::start(cores, |_| {}).await;
    let form_token = served.state.portico.settings.form_key.issue(portico_domain::db::now_ms());
    (served.base, served.key, form_token)
}

/// This process's resident memory, from /proc (0 where there is none).
fn resident_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Sequential GETs of /health for `length` (or until `stop`): (p50 ms, p99 ms, count).
async fn latencies(client: &reqwest::Client, base: &str, length: Duration, stop: Arc<AtomicBool>) -> (f64, f64, usize) {
    let mut samples = Vec::new();
    let started = Instant::now();
    while started.elapsed() < length && !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        let response = client.get(format!("{base}/health")).send().await.unwrap();
        assert!(response.status().is_success());
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), samples.len())
}

fn signup(email: &str, form_token: &str) -> serde_json::Value {
    json!({
        "company_name": "Load Test Inc", "contact_name": "Lee Load", "phone": "555-555-5555", "country": "US",
        "email": email, "password": "a benchmark passphrase", "verify_password": "a benchmark passphrase",
        "form_token": form_token
    })
}
