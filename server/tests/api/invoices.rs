//! Closing a month: invoices numbered per reseller without gaps, once each even when the close
//! is asked twice at once or its server is killed midway; credits used up in the ledger; each
//! invoice as a page, a PDF and a CSV, e-mailed with its PDF; closed months no longer change.

use std::time::Duration;

use portico_domain::billing::close;
use portico_domain::commerce::today;
use portico_shared::dates::{Day, Month};
use serde_json::Value;

use crate::helpers::{both_backends, Backend, TestApp};
use crate::usage::{cur_for, linked_customer, upload};

both_backends!(
    closing_a_month_issues_numbered_invoices_once,
    a_close_killed_midway_finishes_after_a_restart,
    months_close_by_themselves_on_their_day
);

fn last_month() -> Month {
    today().month().minus(1)
}

async fn wait_closed(app: &TestApp, month: Month, seconds: u64) {
    for _ in 0..seconds * 20 {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM month_closes WHERE month = $1")
            .bind(month.to_string())
            .fetch_optional(&app.db.pool)
            .await
            .unwrap();
        if status.as_deref() == Some("closed") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{month} did not close");
}

async fn numbers(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT number, customer_id FROM invoices ORDER BY number").fetch_all(&app.db.pool).await.unwrap()
}

async fn closing_a_month_issues_numbered_invoices_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let month = last_month();
    let acme = linked_customer(&app, &app.reseller, "Acme", "111122223333").await;
    let bravo = linked_customer(&app, &app.reseller, "Bravo", "444455556666").await;
    let _idle = linked_customer(&app, &app.reseller, "Idle", "777788889999").await;
    let report = cur_for(
        month,
        &[("111122223333", "Usage", "Amazon EC2", "800", "1000"), ("444455556666", "Usage", "Amazon S3", "40", "50")],
    );
    let (status, _) = upload(&app, &admin, "cur.csv", report.into_bytes()).await;
    assert_eq!(status, 200);
    for _ in 0..200 {
        if app.count("usage_lines").await == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Bravo has a $80.00 credit: its $50.00 bill uses $50.00 of it.
    let grant = [
        ("customer", bravo.as_str()),
        ("credit[amount]", "80"),
        ("credit[currency]", "USD"),
        ("credit[reason]", "Welcome credit"),
    ];
    assert_eq!(app.portal_post(&admin, "grant_credit", &grant).await.status(), 200);

    // Who may close what: agents may not; the current month has not ended.
    let agent = app.agent_cookie().await;
    let close_form = |month: Month| vec![("month", month.to_string())];
    let post = |cookie: String, month: Month| {
        let app = &app;
        async move {
            let form = close_form(month);
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = app.portal_post(&cookie, "close_month", &form).await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(post(agent, month).await.0, 403);
    let (status, body) = post(admin.clone(), today().month()).await;
    assert!(status == 409 && body.contains("is not over yet"), "{body}");
    assert_eq!(app.count("month_closes").await, 0);

    // Closing twice at once closes once.
    let (first, second) = tokio::join!(post(admin.clone(), month), post(admin.clone(), month));
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{first:?} {second:?}");
    wait_closed(&app, month, 30).await;
    let issued = numbers(&app).await;
    // One invoice each for Acme and Bravo, numbered 1 and 2; Idle had nothing to bill.
    assert_eq!(issued.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2]);
    let mut customers: Vec<String> = issued.into_iter().map(|(_, c)| c).collect();
    customers.sort();
    let mut wanted = vec![acme.clone(), bravo.clone()];
    wanted.sort();
    assert_eq!(customers, wanted);
    assert_eq!(post(admin.clone(), month).await.0, 409);

    // Bravo's credit: $50.00 used by its invoice, $30.00 left for the next.
    let used: i64 = sqlx::query_scalar("SELECT CAST(SUM(amount_minor) AS BIGINT) FROM credit_uses")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(used, 5_000);
    let next = app.portal_post(&admin, "customer_bills", &[("customer", &bravo), ("month", "")]).await;
    let next: Value = next.json().await.unwrap();
    assert!(next["bills"].as_array().unwrap().is_empty(), "no usage yet this month: {next}");
    let credits = app.page(&format!("/customers/{bravo}/credits"), Some(&admin)).await.text().await.unwrap();
    assert!(credits.contains("$50.00 used by invoices, $30.00 left") && credits.contains("$30.00"), "{credits}");
    let grant_id: String = sqlx::query_scalar("SELECT id FROM credits").fetch_one(&app.db.pool).await.unwrap();
    let reverse = [("customer", bravo.as_str()), ("credit", grant_id.as_str()), ("reason", "Changed our mind")];
    let refused = app.portal_post(&admin, "reverse_credit", &reverse).await;
    assert_eq!(refused.status().as_u16(), 409, "a credit invoices drew on is not reversed");

    // The closed month shows its invoices; a re-import for it changes no invoice.
    let tab = app.page(&format!("/customers/{acme}/bills?month={month}"), Some(&admin)).await.text().await.unwrap();
    assert!(tab.contains("is closed") && tab.contains("INV-00000"), "{tab}");
    let invoice: (String, i64) = sqlx::query_as("SELECT id, total_minor FROM invoices WHERE customer_id = $1")
        .bind(&acme)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(invoice.1, 100_000);
    let corrected = cur_for(month, &[("111122223333", "Usage", "Amazon EC2", "1", "2")]);
    assert_eq!(upload(&app, &admin, "late.csv", corrected.into_bytes()).await.0, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let total: i64 = sqlx::query_scalar("SELECT total_minor FROM invoices WHERE id = $1")
        .bind(&invoice.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(total, 100_000, "an issued invoice never changes");

    // A one-time charge dated in the closed month would never be billed: refused, nothing stored.
    let rules = app.count("charge_rules").await;
    let one_time = [
        ("customer", acme.as_str()),
        ("id", ""),
        ("version", "0"),
        ("rule[kind]", "charge"),
        ("rule[calculation]", "fixed"),
        ("rule[amount]", "50"),
        ("rule[base]", "customer_cost"),
        ("rule[applies_to]", "customer"),
        ("rule[recurrence]", "one_time"),
        ("rule[start_month]", &month.to_string()),
        ("rule[description]", "Late onboarding fee"),
        ("rule[currency]", "USD"),
    ];
    let refused = app.portal_post(&admin, "save_charge_rule", &one_time).await;
    assert_eq!(refused.status().as_u16(), 422);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains(r#""field":"start_month""#) && body.contains("is closed and its invoices are issued"),
        "{body}"
    );
    assert_eq!(app.count("charge_rules").await, rules);
    // A monthly rule from the closed month is taken, and applies from the next open month: the
    // closed month's invoice stays as issued.
    let mut monthly = one_time;
    monthly[8] = ("rule[recurrence]", "monthly");
    monthly[10] = ("rule[description]", "Management fee");
    assert_eq!(app.portal_post(&admin, "save_charge_rule", &monthly).await.status(), 200);
    let current = app.portal_post(&admin, "customer_bills", &[("customer", &acme), ("month", "")]).await;
    let current: Value = current.json().await.unwrap();
    assert!(current.to_string().contains("Management fee"), "{current}");
    let closed = app.portal_post(&admin, "customer_bills", &[("customer", &acme), ("month", &month.to_string())]).await;
    let closed: Value = closed.json().await.unwrap();
    assert!(closed["closed"] == true && !closed.to_string().contains("Management fee"), "{closed}");

    // The invoice as a page, a PDF and a CSV.
    let page = app.page(&format!("/invoices/{}", invoice.0), Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("Amazon EC2") && page.contains("$1,000.00") && page.contains("Bill to"), "{page}");
    let pdf = app.page(&format!("/portal/invoices/{}.pdf", invoice.0), Some(&admin)).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.windows(9).any(|w| w == b"INV-00000"), "the PDF names its invoice");
    let csv = app.page(&format!("/portal/invoices/{}.csv", invoice.0), Some(&admin)).await.text().await.unwrap();
    assert!(csv.starts_with("invoice,month,line,description,source,amount,currency"), "{csv}");
    assert!(csv.contains("usage,Amazon EC2 — account 111122223333") && csv.contains("total,,,1000.00,USD"), "{csv}");

    // Each customer's primary contact got theirs, with the PDF.
    let mails = app.mail.wait_for("jo@acme.test", 1).await;
    let mail = &mails[0].message;
    assert!(mail.contains("Subject: Reseller One invoice INV-00000") && mail.contains("application/pdf"), "{mail}");
    assert!(mail.contains(".pdf"));

    // Another reseller's invoice is not found.
    let other = portico_domain::resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let stranger_email = portico_shared::email::EmailAddress::parse("boss@two.test").unwrap();
    portico_domain::resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &other,
        &stranger_email,
        "Bo",
        portico_domain::resellers::Role::Admin,
        "reseller two passphrase",
    )
    .await
    .unwrap();
    let stranger = app.cookie_for("boss@two.test", "reseller two passphrase").await;
    for path in [format!("/portal/invoices/{}.pdf", invoice.0), format!("/invoices/{}", invoice.0)] {
        let response = app.page(&path, Some(&stranger)).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
    }
    let page = app.page("/billing", Some(&stranger)).await.text().await.unwrap();
    assert!(!page.contains("Acme") && page.contains("No month closed yet."));
}

/// The server closing a month is killed midway; another takes the job over after its lease and
/// finishes: every customer invoiced once, numbers 1 to N with none missing.
async fn a_close_killed_midway_finishes_after_a_restart(backend: Backend) {
    const CUSTOMERS: usize = 120;
    let mut app = TestApp::spawn(backend).await;
    let month = last_month();
    let admin = app.session_cookie().await;
    let mut rows = Vec::new();
    let mut numbers_of = Vec::new();
    for n in 0..CUSTOMERS {
        let number = format!("5000{n:08}");
        linked_customer(&app, &app.reseller, &format!("Customer{n:03}"), &number).await;
        numbers_of.push(number);
    }
    for number in &numbers_of {
        rows.push((number.as_str(), "Usage", "Amazon EC2", "8", "10"));
    }
    assert_eq!(upload(&app, &admin, "many.csv", cur_for(month, &rows).into_bytes()).await.0, 200);
    for _ in 0..400 {
        if app.count("usage_lines").await == i64::try_from(CUSTOMERS).unwrap() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.stop().await;

    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let args = ["--listen", "127.0.0.1:0", "--smtp-url", &smtp, "--site-dir", "/nonexistent-portico-site"];
    let (mut first, _) = app.start_process(&args, &[]).await;
    let admin_of = crate::helpers::acting_for(&app.reseller).reseller_admin().unwrap();
    close::request(&app.state.portico, &admin_of, month).await.unwrap();
    let mut issued_before_kill = 0;
    for _ in 0..2000 {
        issued_before_kill = app.count("invoices").await;
        if issued_before_kill >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().await.unwrap();
    let issued_before_kill = app.count("invoices").await.max(issued_before_kill);
    assert!(issued_before_kill >= 5, "the close had started");
    assert!(issued_before_kill < i64::try_from(CUSTOMERS).unwrap(), "the close was killed midway");

    let (_second, _) = app.start_process(&args, &[]).await;
    wait_closed(&app, month, 60).await;
    let issued = numbers(&app).await;
    let numbers: Vec<i64> = issued.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=i64::try_from(CUSTOMERS).unwrap()).collect::<Vec<_>>(), "no number missing or doubled");
    let mut customers: Vec<&String> = issued.iter().map(|(_, c)| c).collect();
    customers.sort();
    customers.dedup();
    assert_eq!(customers.len(), CUSTOMERS, "every customer invoiced once");
    println!(
        "close killed after {issued_before_kill} of {CUSTOMERS} invoices on {backend:?}: finished after a restart"
    );
}

/// **Close automatically**: the setting refuses what is not off or a day from 1 to 28; on its day
/// of the next month the worker's scheduled close closes last month, once.
async fn months_close_by_themselves_on_their_day(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let month = last_month();
    linked_customer(&app, &app.reseller, "Acme", "111122223333").await;
    let report = cur_for(month, &[("111122223333", "Usage", "Amazon EC2", "800", "1000")]);
    assert_eq!(upload(&app, &admin, "cur.csv", report.into_bytes()).await.0, 200);
    for _ in 0..200 {
        if app.count("usage_lines").await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stored_day = || async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT auto_close_day FROM resellers WHERE id = $1")
            .bind(app.reseller.as_str())
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    for bad in ["0", "29", "fifth", "-3", "5.5"] {
        let refused = app.portal_post(&admin, "save_auto_close", &[("auto_close[close_day]", bad)]).await;
        assert_eq!(refused.status().as_u16(), 422, "{bad}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(r#""field":"close_day""#) && body.contains("a day from 1 to 28"), "{body}");
    }
    let agent = app.agent_cookie().await;
    let forbidden = app.portal_post(&agent, "save_auto_close", &[("auto_close[close_day]", "5")]).await;
    assert_eq!(forbidden.status().as_u16(), 403);
    assert_eq!(stored_day().await, None, "nothing refused was stored");

    // Off: the scheduled close leaves the month open.
    let portico = &app.state.portico;
    let fifth = Day::from_days(today().month().first_day().days() + 4);
    assert_eq!(close::scheduled(portico, fifth).await.unwrap(), 0);

    let saved = app.portal_post(&admin, "save_auto_close", &[("auto_close[close_day]", "5")]).await;
    assert_eq!(saved.status().as_u16(), 200);
    assert_eq!(stored_day().await, Some(5));
    let page = app.page("/billing", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains(r#"<option value="5" selected"#), "the page shows the saved day");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'Automatic close changed'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(logged, 1);

    // The 4th: not yet. The 5th (and any day after): last month closes, by the schedule, once.
    let fourth = Day::from_days(fifth.days() - 1);
    assert_eq!(close::scheduled(portico, fourth).await.unwrap(), 0);
    assert_eq!(app.count("month_closes").await, 0);
    let (first, second) = tokio::join!(close::scheduled(portico, fifth), close::scheduled(portico, fifth));
    assert_eq!(first.unwrap() + second.unwrap(), 1, "two servers' schedules close the month once");
    wait_closed(&app, month, 30).await;
    let by: String = sqlx::query_scalar("SELECT actor_label FROM month_closes").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(by, "Scheduled close");
    assert_eq!(numbers(&app).await.len(), 1);
    // This month is not over: nothing more to close until the 5th of the next.
    assert_eq!(close::scheduled(portico, fifth).await.unwrap(), 0);
    assert_eq!(app.count("month_closes").await, 1);

    // Off again, in words the page shows.
    let off = app.portal_post(&admin, "save_auto_close", &[("auto_close[close_day]", "off")]).await;
    assert_eq!(off.status().as_u16(), 200);
    assert_eq!(stored_day().await, None);
}
