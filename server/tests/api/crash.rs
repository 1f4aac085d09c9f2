//! The server killed with SIGKILL in the middle of 200 signups sent at once: after a restart,
//! every signup that was answered 202 is there, whole (its customer, its user, its confirmation
//! e-mail queued or sent), and nothing is half-written. And the job worker killed in the middle
//! of sending 300 e-mails, ten times over: every e-mail arrives, and the duplicates (a message
//! the sink took whose job was not yet marked sent when the process died) are counted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;

use crate::helpers::{both_backends, valid_signup, Backend, TestApp};

both_backends!(signups_answered_before_a_kill_survive_it_whole, the_worker_killed_ten_times_loses_no_email);

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
        stored_once_and_whole(&app, &format!("crash{n}@customer.example")).await;
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

const EMAILS: usize = 300;
const KILLS: usize = 10;

async fn the_worker_killed_ten_times_loses_no_email(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    app.stop().await;
    let mut tx = app.db.begin_write().await.unwrap();
    for n in 0..EMAILS {
        let mail = portico_domain::emails::portal_password_changed(&format!("job{n}@mail.example"));
        portico_domain::jobs::enqueue(&mut tx, &portico_domain::jobs::Job::SendEmail(mail)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let listen = app.address.trim_start_matches("http://").to_owned();
    let args = ["--listen", &listen, "--smtp-url", &smtp, "--site-dir", "/nonexistent-portico-site"];
    // Each run is killed once it has sent a few more e-mails: mid-batch, wherever that falls.
    let per_run = EMAILS / (KILLS + 2);
    for kill in 0..KILLS {
        let before = app.mail.total();
        let (mut process, _) = app.start_process(&args, &[]).await;
        for _ in 0..600 {
            if app.mail.total() >= before + per_run {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        process.start_kill().unwrap();
        let _ = process.wait().await;
        assert!(app.mail.total() > before, "run {kill} sent before it was killed");
    }
    // The last run finishes the queue: the jobs a killed worker held come back when their lease
    // runs out.
    let (_last, _) = app.start_process(&args, &[]).await;
    for n in 0..EMAILS {
        app.mail.wait_for_timeout(&format!("job{n}@mail.example"), 1, 60).await;
    }
    // A job whose e-mail arrived before a kill but was not marked sent is sent again once its
    // lease runs out: wait for the queue to be empty.
    every_job_done(&app).await;
    let duplicates = app.mail.total() - EMAILS;
    assert!(duplicates <= KILLS, "at most the one e-mail in flight per kill is sent twice: {duplicates}");
    // A message sent again is the same message: its Message-ID is its job's.
    let ids: std::collections::HashSet<String> = app.mail.message_ids().into_iter().collect();
    assert_eq!(ids.len(), EMAILS, "one Message-ID per e-mail, repeats included");
    println!(
        "worker kills ({backend:?}): {EMAILS} e-mails, killed {KILLS} times mid-batch: {EMAILS} delivered, 0 lost, \
         {duplicates} sent twice, each repeat with its first sending's Message-ID"
    );
}

/// Asserts that the signup of `email` is stored once, its customer with its user.
pub async fn stored_once_and_whole(app: &TestApp, email: &str) {
    let stored: (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), (SELECT COUNT(*) FROM customers c JOIN customer_users u ON u.customer_id = c.id \
         WHERE u.email = $1) FROM customer_users WHERE email = $1",
    )
    .bind(email)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, (1, 1), "{email} stored once, whole");
}

/// Waits (up to 60 s) until the job queue is empty: a job a killed worker held is run again once
/// its lease runs out.
pub async fn every_job_done(app: &TestApp) {
    let mut pending = i64::MAX;
    for _ in 0..600 {
        pending = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status <> 'done'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(pending, 0, "every job done");
}
