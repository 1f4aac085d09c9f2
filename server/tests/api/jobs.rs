//! The jobs table with two real server processes on one database: every job runs exactly once,
//! shared between them, with nothing left behind — not even the messages sent.

use std::collections::HashMap;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use portico_domain::jobs::{self, Job};
use portico_domain::mail::{Mailer, OutgoingMail};
use portico_domain::worker::Worker;
use portico_domain::Portico;

use crate::helpers::{both_backends, Backend, TestApp};
use crate::probe_cloud::ProbeCloud;

both_backends!(two_server_processes_run_each_job_exactly_once, a_call_outlasting_the_lease_is_made_once);

const JOBS: usize = 300;

async fn two_server_processes_run_each_job_exactly_once(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    // Only the two processes below work the table.
    app.stop().await;
    // Outside the demo, a server with no SMTP server to send through does not start.
    let refused = app.command(&["--listen", "127.0.0.1:0"]).env_remove("PORTICO_SMTP_URL").output().await.unwrap();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("set PORTICO_SMTP_URL"), "{said}");

    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let mut processes = Vec::new();
    for _ in 0..2 {
        let args = ["--listen", "127.0.0.1:0", "--smtp-url", &smtp, "--site-dir", "/nonexistent-portico-site"];
        processes.push(app.start_process(&args, &[]).await.0);
    }

    let mut tx = app.db.begin_write().await.unwrap();
    for n in 0..JOBS {
        let mail = OutgoingMail {
            to: "jobs@reseller.test".into(),
            subject: format!("Job {n}"),
            text: format!("Job {n}"),
            html: format!("<p>Job {n}</p>"),
        };
        jobs::enqueue(&mut tx, &Job::SendEmail(mail)).await.unwrap();
    }
    tx.commit().await.unwrap();

    let received = app.mail.wait_for_timeout("jobs@reseller.test", JOBS, 60).await;
    // A moment for a duplicate, if there were one, to arrive too.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let received = app.mail.to("jobs@reseller.test").len().max(received.len());
    let mut by_worker: Vec<(String, i64)> =
        sqlx::query_as("SELECT locked_by, COUNT(*) FROM jobs WHERE status = 'done' GROUP BY locked_by")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    by_worker.sort();
    let subjects: HashMap<String, usize> =
        app.mail.to("jobs@reseller.test").iter().fold(HashMap::new(), |mut seen, m| {
            let subject = m.message.lines().find(|l| l.starts_with("Subject: ")).unwrap_or_default().to_owned();
            *seen.entry(subject).or_default() += 1;
            seen
        });
    let duplicates = subjects.values().filter(|&&count| count > 1).count();
    println!(
        "jobs, two server processes on {backend:?}: {JOBS} jobs, {received} e-mails, {} distinct, duplicates: \
         {duplicates}, per process: {:?}",
        subjects.len(),
        by_worker.iter().map(|(_, n)| n).collect::<Vec<_>>()
    );
    assert_eq!((received, subjects.len(), duplicates), (JOBS, JOBS, 0));
    assert_eq!(by_worker.len(), 2, "both processes ran jobs: {by_worker:?}");
    assert_eq!(by_worker.iter().map(|(_, n)| n).sum::<i64>(), JOBS as i64);
    assert_eq!(app.count("jobs").await, JOBS as i64, "no job was written twice");
    // A sent message is wiped from its job: the links e-mails carry are not kept at rest.
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE payload <> '{}'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(kept, 0);
}

/// Two workers, and a call to the cloud that takes longer than a job's lease (15 s): the worker
/// running it keeps renewing the lease, so the other never takes the job over and the call is
/// made once.
async fn a_call_outlasting_the_lease_is_made_once(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    app.stop().await;
    let served = &app.state.portico;
    let probe = Arc::new(ProbeCloud::around(served.cloud.clone(), Duration::from_secs(20)));
    let portico = Portico::new(app.db.clone(), served.hasher.clone(), probe.clone(), (*served.settings).clone());
    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            Worker::new(portico.clone(), Mailer::new(Some(&smtp), "Portico <no-reply@portico.test>").unwrap()).spawn()
        })
        .collect();
    let mut tx = app.db.begin_write().await.unwrap();
    jobs::enqueue(&mut tx, &Job::CancelHandshake { handshake: "h-slow".into() }).await.unwrap();
    tx.commit().await.unwrap();
    let mut status = String::new();
    for _ in 0..40 * 10 {
        status = sqlx::query_scalar("SELECT status FROM jobs").fetch_one(&app.db.pool).await.unwrap();
        if status == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for worker in workers {
        worker.abort();
    }
    assert_eq!(status, "done");
    assert_eq!(probe.cancels.load(Ordering::SeqCst), 1, "the call was made once");
}
