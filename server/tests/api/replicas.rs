//! Two `portico` replicas on one PostgreSQL behind HAProxy (Debian's) on loopback, as "Running
//! more than one server" in the README sets them up: widget signups and portal sign-ins go
//! through the proxy, one replica is killed with SIGKILL midway, and nothing acknowledged is
//! lost, every confirmation e-mail goes out, and sign-in limits still count per client.
//! PostgreSQL only: the embedded SQLite database is one server's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::crash::{every_job_done, stored_once_and_whole};
use crate::helpers::{postgres_url, set_cookie, valid_signup, Backend, TestApp, ADMIN_EMAIL, ADMIN_PASSWORD};

const SIGNUPS: usize = 200;
/// Replica A is killed once this many signups have been answered.
const KILL_AFTER: usize = 80;
const HAPROXY: &str = "/usr/sbin/haproxy";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// HAProxy in front of the replicas: round robin, health checks on `/health` every 200 ms, a
/// request whose connection failed (a replica just killed) sent to the other one, and the
/// client's address passed on in `X-Forwarded-For`. A check may take a second: without
/// `timeout check` it times out after `inter` (200 ms), and a replica busy hashing a burst of
/// passwords on two cores would be taken out although it answers.
fn haproxy_config(listen: &str, replicas: &[u16]) -> String {
    let servers: String = replicas
        .iter()
        .enumerate()
        .map(|(n, port)| format!("    server replica{n} 127.0.0.1:{port} check inter 200 fall 1 rise 2\n"))
        .collect();
    format!(
        "global\n    maxconn 2000\n\
         defaults\n    mode http\n    timeout connect 1s\n    timeout client 30s\n    timeout server 30s\n\
         \x20   timeout check 1s\n    retries 3\n    option redispatch\n    retry-on conn-failure\n    option forwardfor\n\
         frontend web\n    bind {listen}\n    default_backend portico\n\
         backend portico\n    balance roundrobin\n    option httpchk GET /health\n    http-check expect status 200\n\
         {servers}"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_behind_haproxy_survive_losing_one() {
    crate::helpers::clear_of_a_window_end().await;
    if postgres_url().is_none() {
        return;
    }
    assert!(std::path::Path::new(HAPROXY).exists(), "HAProxy is installed by `cargo xtask setup`");
    let mut app = TestApp::spawn(Backend::Postgres).await;
    // The proxy takes the test server's address, which the replicas' links point to.
    app.stop().await;
    let listen = app.address.trim_start_matches("http://").to_owned();
    let shared = tempfile::tempdir().unwrap();
    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let ports = [free_port(), free_port()];
    let shared_dir = shared.path().to_string_lossy().into_owned();
    let args = |port: u16| {
        vec![
            "--listen".to_owned(),
            format!("127.0.0.1:{port}"),
            "--smtp-url".into(),
            smtp.clone(),
            "--data-dir".into(),
            shared_dir.clone(),
            "--trusted-proxies".into(),
            "127.0.0.1/32".into(),
            "--signups-per-ip-per-hour".into(),
            "100000".into(),
            "--site-dir".into(),
            "/nonexistent-portico-site".into(),
        ]
    };
    let start = |port: u16| {
        let args = args(port);
        let app = &app;
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            app.start_process(&args, &[]).await.0
        }
    };
    let replica_a = Arc::new(tokio::sync::Mutex::new(start(ports[0]).await));
    let _replica_b = start(ports[1]).await;
    let config = shared.path().join("haproxy.cfg");
    std::fs::write(&config, haproxy_config(&listen, &ports)).unwrap();
    let _proxy = tokio::process::Command::new(HAPROXY)
        .arg("-db")
        .arg("-f")
        .arg(&config)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    for _ in 0..100 {
        let up = app.client.get(format!("{}/health", app.address)).send().await;
        if up.is_ok_and(|r| r.status() == 200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A portal session made through one replica works through the other.
    let cookie = app.session_cookie().await;
    for n in 0..4 {
        assert_eq!(app.page("/customers", Some(&cookie)).await.status(), 200, "request {n}, either replica");
    }

    // A signup as the widget sends it, through the proxy: its status, or `None` when the
    // connection broke before an answer (a request the proxy was relaying when A died).
    let signup = |n: usize| {
        let mut body = valid_signup();
        body["email"] = json!(format!("replica{n}@customer.example"));
        body["form_token"] = json!(app.signup_token);
        let request = app
            .client
            .post(format!("{}/api/v1/widgets/{}/signups", app.address, app.widget_key))
            .header("Origin", &app.address)
            .header("Idempotency-Key", format!("replica-signup-{n}"))
            .json(&body);
        async move { request.send().await.ok().map(|response| response.status().as_u16()) }
    };

    // 200 signups at once through the proxy; replica A is killed with SIGKILL midway.
    let started = Instant::now();
    let answered = Arc::new(AtomicUsize::new(0));
    let sends = (0..SIGNUPS).map(|n| {
        let (signup, replica_a, answered) = (&signup, replica_a.clone(), answered.clone());
        async move {
            let status = signup(n).await;
            if status == Some(202) && answered.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                replica_a.lock().await.start_kill().unwrap();
            }
            (n, status)
        }
    });
    let outcomes = futures::future::join_all(sends).await;
    let signups_took = started.elapsed();
    let _ = replica_a.lock().await.wait().await;
    let acknowledged: Vec<usize> = outcomes.iter().filter(|(_, s)| *s == Some(202)).map(|(n, _)| *n).collect();
    let refused: Vec<Option<u16>> = outcomes.iter().filter(|(_, s)| *s != Some(202)).map(|(_, s)| *s).collect();
    // A signup the proxy could not deliver is answered 502 or 503 (or its connection breaks) and
    // may be sent again with its Idempotency-Key, as the widget does when the person presses
    // again; sent again now, through the surviving replica, each is stored once.
    for (n, status) in &outcomes {
        if *status != Some(202) {
            let mut again = signup(*n).await;
            for _ in 0..3 {
                match again {
                    Some(503) => tokio::time::sleep(Duration::from_secs(1)).await,
                    None => {}
                    Some(_) => break,
                }
                again = signup(*n).await;
            }
            assert_eq!(again, Some(202), "signup {n} sent again");
        }
    }

    // Every signup is stored once and whole.
    for n in 0..SIGNUPS {
        stored_once_and_whole(&app, &format!("replica{n}@customer.example")).await;
    }
    // Every confirmation e-mail goes out: those queued on the killed replica too, once its job
    // lease runs out and the surviving replica takes them.
    for n in 0..SIGNUPS {
        app.mail.wait_for_timeout(&format!("replica{n}@customer.example"), 1, 60).await;
    }
    every_job_done(&app).await;
    let delivered = app.mail.total();
    let ids: std::collections::HashSet<String> = app.mail.message_ids().into_iter().collect();
    let emails = SIGNUPS;
    assert_eq!(ids.len(), emails, "one message per signup");
    let repeated = delivered - emails;
    assert!(repeated <= 1, "only the message in flight at the kill may go out twice: {repeated}");

    // The portal still signs in through the proxy, and the limits count per client: 30 wrong
    // passwords from client A refuse A, not client B.
    let sign_in = |client: &'static str, email: String, password: &'static str| {
        let request = app.client.post(format!("{}/portal/sign_in", app.address)).header("Origin", &app.address);
        let request =
            request.header("X-Forwarded-For", client).form(&[("email", email.as_str()), ("password", password)]);
        async move { request.send().await.unwrap() }
    };
    for n in 0..30 {
        let response = sign_in("203.0.113.5", format!("guess{n}@reseller.test"), "a wrong password").await;
        assert_eq!(response.status(), 401, "guess {n} from A");
    }
    let more = sign_in("203.0.113.5", "guess31@reseller.test".into(), "a wrong password").await;
    assert_eq!(more.status(), 429, "client A has used its attempts");
    let b = sign_in("203.0.113.6", ADMIN_EMAIL.into(), ADMIN_PASSWORD).await;
    assert_eq!(b.status(), 200, "client B signs in");
    let session = set_cookie(&b, "portico_session").expect("a session");
    assert_eq!(app.page("/customers", Some(&session)).await.status(), 200);

    println!(
        "two replicas behind HAProxy, replica A killed after {KILL_AFTER} answers: {SIGNUPS} signups in {:.1} s, \
         {} acknowledged, {} not (statuses {:?}; None: connection broken) and stored once when sent again, \
         {SIGNUPS} stored whole, \
         {emails} e-mails delivered ({repeated} repeated), sign-in limits per client held",
        signups_took.as_secs_f64(),
        acknowledged.len(),
        refused.len(),
        refused.iter().collect::<std::collections::BTreeSet<_>>(),
    );
}
