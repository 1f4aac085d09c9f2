//! The server killed with SIGKILL in the middle of 200 signups sent at once: after a restart,
//! every signup that was answered 202 is there, whole (its customer, its user, its confirmation
//! e-mail queued or sent), and nothing is half-written.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(signups_answered_before_a_kill_survive_it_whole);

const SIGNUPS: usize = 200;
/// The process is killed once this many signups have been answered.
const KILL_AFTER: usize = 40;

async fn signups_answered_before_a_kill_survive_it_whole(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    app.stop().await;
    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let listen = app.address.trim_start_matches("http://").to_owned();
    let args = [
        "--listen",
        &listen,
        "--smtp-url",
        &smtp,
        "--signups-per-ip-per-hour",
        "100000",
        "--site-dir",
        "/nonexistent-portico-site",
    ];
    let (process, _) = app.start_process(&args, &[]).await;
    let process = Arc::new(tokio::sync::Mutex::new(process));
    let answered = Arc::new(AtomicUsize::new(0));
    let sends = (0..SIGNUPS).map(|n| {
        let (app, process, answered) = (&app, process.clone(), answered.clone());
        async move {
            let mut body = valid_signup();
            body["email"] = json!(format!("crash{n}@customer.example"));
            body["form_token"] = json!(app.signup_token);
            let sent = app
                .client
                .post(format!("{}/api/v1/widgets/{}/signups", app.address, app.widget_key))
                .header("Origin", &app.address)
                .json(&body)
                .send()
                .await;
            let status = sent.ok().map(|response| response.status().as_u16());
            if status == Some(202) && answered.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                // SIGKILL: no shutdown, no flush, whatever was in flight.
                process.lock().await.start_kill().unwrap();
            }
            (n, status)
        }
    });
    let outcomes = futures::future::join_all(sends).await;
    let _ = process.lock().await.wait().await;
    let accepted: Vec<usize> = outcomes.iter().filter(|(_, s)| *s == Some(202)).map(|(n, _)| *n).collect();
    let cut_off = outcomes.iter().filter(|(_, s)| s.is_none()).count();

    // After a restart, each accepted signup is whole; no customer lacks its user or the reverse.
    let (_again, _) = app.start_process(&args, &[]).await;
    for n in &accepted {
        let email = format!("crash{n}@customer.example");
        let stored: (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), (SELECT COUNT(*) FROM customers c JOIN customer_users u ON u.customer_id = c.id \
             WHERE u.email = $1) FROM customer_users WHERE email = $1",
        )
        .bind(&email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(stored, (1, 1), "{email} was answered 202 and is stored whole");
    }
    let orphans: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM customers c WHERE NOT EXISTS \
         (SELECT 1 FROM customer_users u WHERE u.customer_id = c.id)), \
         (SELECT COUNT(*) FROM customer_users u WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = u.customer_id))",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(orphans, (0, 0), "nothing half-written");
    // Every stored signup's confirmation goes out, from the restarted server if need be.
    let stored = app.count("customer_users").await;
    for n in &accepted {
        app.mail.wait_for_timeout(&format!("crash{n}@customer.example"), 1, 30).await;
    }
    println!(
        "crash ({backend:?}): {SIGNUPS} signups at once, killed after {KILL_AFTER} answers: {} answered 202, \
         {cut_off} cut off, {stored} stored, every answered one whole and e-mailed, 0 half-written",
        accepted.len()
    );
    assert!(accepted.len() >= KILL_AFTER && cut_off > 0, "the kill came midway");
}
