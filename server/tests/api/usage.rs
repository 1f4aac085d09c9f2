//! Usage imports: Cost and Usage Reports and FOCUS exports, uploaded in the portal or dropped in
//! the platform's folder, matched to customers by their linked cloud accounts; the same report
//! again changes nothing, a corrected one replaces its month, a malformed one changes nothing,
//! and rows nobody claims are listed. The Bills tab reckons from what was imported.

use std::io::Write;
use std::time::Duration;

use portico_domain::resellers;
use portico_shared::dates::Month;
use serde_json::Value;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(reports_are_imported_matched_replaced_and_billed, a_platform_import_matches_every_reseller);

const LINKED: &str = "111122223333";
const UNKNOWN: &str = "999900001111";
const CUR_HEADER: &str =
    "identity/LineItemId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,\
lineItem/ProductCode,product/ProductName,lineItem/UnblendedCost,pricing/publicOnDemandCost,lineItem/CurrencyCode\n";

fn cur(rows: &[(&str, &str, &str, &str, &str)]) -> String {
    cur_for(Month::parse("2026-11").unwrap(), rows)
}

/// A Cost and Usage Report of `month`: (account, line item type, product, cost, list cost).
pub(crate) fn cur_for(month: Month, rows: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut text = CUR_HEADER.to_owned();
    for (n, (account, kind, product, cost, list)) in rows.iter().enumerate() {
        text.push_str(&format!("r{n},{month}-01T00:00:00Z,{account},{kind},X,{product},{cost},{list},USD\n"));
    }
    text
}

/// A customer of `reseller` with a linked AWS account `number` (the link itself is walked in
/// `cloud_links`).
pub(crate) async fn linked_customer(
    app: &TestApp,
    reseller: &portico_shared::ids::ResellerId,
    name: &str,
    number: &str,
) -> String {
    let customer = app.add_customer(reseller, name, "Jo Contact", &format!("jo@{}.test", name.to_lowercase())).await;
    sqlx::query(
        "INSERT INTO cloud_accounts (id, reseller_id, customer_id, provider_id, created_at, account_number, \
         root_email, external_id, link_state) VALUES ($1, $2, $3, 'aws', 1, $4, 'root@x.test', 'ext', 'linked')",
    )
    .bind(format!("cla_{number}"))
    .bind(reseller.as_str())
    .bind(&customer)
    .bind(number)
    .execute(&app.db.pool)
    .await
    .unwrap();
    customer
}

pub(crate) async fn upload(app: &TestApp, cookie: &str, name: &str, body: Vec<u8>) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(body).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("report", part);
    let response = app
        .client
        .post(format!("{}/portal/upload_usage", app.address))
        .header("Origin", &app.address)
        .header("Cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Uploads a report and waits for its import to finish; its status, error and counts.
async fn import(app: &TestApp, cookie: &str, name: &str, body: Vec<u8>) -> (String, Option<String>, i64, i64) {
    let (status, id) = upload(app, cookie, name, body).await;
    assert_eq!(status, 200, "{id}");
    let id: String = serde_json::from_str(&id).unwrap();
    finished(app, &id).await
}

pub(crate) async fn finished(app: &TestApp, id: &str) -> (String, Option<String>, i64, i64) {
    for _ in 0..200 {
        let row: (String, Option<String>, i64, i64) =
            sqlx::query_as("SELECT status, error, rows_matched, rows_unmatched FROM usage_imports WHERE id = $1")
                .bind(id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        if row.0 == "done" || row.0 == "failed" {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish");
}

async fn usage_lines(app: &TestApp) -> Vec<(String, String, String, String, String, i64)> {
    sqlx::query_as(
        "SELECT cloud_account_id, service, category, customer_cost, seller_cost, row_count FROM usage_lines \
         ORDER BY cloud_account_id, service, category",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

pub(crate) fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

async fn reports_are_imported_matched_replaced_and_billed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let customer = linked_customer(&app, &app.reseller, "Acme", LINKED).await;

    // Refused uploads: no file, an empty file; an agent may not import.
    let form = reqwest::multipart::Form::new().text("note", "no file");
    let none = app
        .client
        .post(format!("{}/portal/upload_usage", app.address))
        .header("Origin", &app.address)
        .header("Cookie", &admin)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status().as_u16(), 422);
    assert!(none.text().await.unwrap().contains(r#""field":"report","code":"required""#));
    let (status, body) = upload(&app, &admin, "empty.csv", Vec::new()).await;
    assert_eq!((status, body.contains(r#""field":"report""#)), (422, true), "{body}");
    let agent = app.agent_cookie().await;
    assert_eq!(upload(&app, &agent, "nov.csv", cur(&[]).into_bytes()).await.0, 403);
    assert_eq!(app.count("usage_imports").await, 0);

    // A November report: EC2 in two rows (one of them 1.81E-8), a fee, the provider's tax, and
    // an account nobody linked.
    let november = cur(&[
        (LINKED, "Usage", "Amazon Elastic Compute Cloud", "64000", "80000"),
        (LINKED, "Usage", "Amazon Elastic Compute Cloud", "1.81E-8", "2E-8"),
        (LINKED, "Fee", "AWS Support (Business)", "100", ""),
        (LINKED, "Tax", "Amazon Elastic Compute Cloud", "5120", ""),
        (UNKNOWN, "Usage", "Amazon S3", "9.99", "12.50"),
    ]);
    let (status, error, matched, unmatched) =
        import(&app, &admin, "cur-2026-11.csv", november.clone().into_bytes()).await;
    assert_eq!((status.as_str(), error, matched, unmatched), ("done", None, 4, 1));
    let lines = usage_lines(&app).await;
    let ec2 = lines.iter().find(|line| line.1 == "Amazon Elastic Compute Cloud" && line.2 == "usage").unwrap();
    assert_eq!((ec2.3.as_str(), ec2.4.as_str(), ec2.5), ("80000.00000002", "64000.0000000181", 2));
    assert_eq!(lines.len(), 3);

    // The rows nobody claimed are listed with the account and why.
    let import_id: String = sqlx::query_scalar("SELECT id FROM usage_imports").fetch_one(&app.db.pool).await.unwrap();
    let listed = app.portal_post(&admin, "usage_unmatched", &[("import", &import_id)]).await;
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed[0]["account"], UNKNOWN);
    assert_eq!((listed[0]["rows"].as_i64(), listed[0]["cost"].as_str()), (Some(1), Some("9.99")));
    assert!(listed[0]["reason"].as_str().unwrap().contains("No linked cloud account"));
    let page = app.page("/usage", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("cur-2026-11.csv") && page.contains("1 unmatched") && page.contains("2026-11"), "{page}");

    // The same report again changes nothing.
    assert_eq!(import(&app, &admin, "cur-2026-11.csv", november.into_bytes()).await.0, "done");
    assert_eq!(usage_lines(&app).await, lines);

    // A malformed report names its line and changes nothing.
    let broken = cur(&[(LINKED, "Usage", "Amazon S3", "ten", "12")]);
    let (status, error, ..) = import(&app, &admin, "broken.csv", broken.into_bytes()).await;
    assert_eq!(status, "failed");
    assert_eq!(error.as_deref(), Some("Line 2: lineItem/UnblendedCost \"ten\" is not a number."));
    assert_eq!(usage_lines(&app).await, lines);
    let (status, error, ..) = import(&app, &admin, "notes.csv", b"name,amount\nx,1\n".to_vec()).await;
    assert!(status == "failed" && error.unwrap().contains("neither an AWS Cost and Usage Report"));
    assert_eq!(usage_lines(&app).await, lines);

    // The bill reckons from it: EC2 $80,000.00 and the fee $100.00 at customer cost; the
    // provider's tax is not the customer's.
    let bills = app.portal_post(&admin, "customer_bills", &[("customer", &customer), ("month", "2026-11")]).await;
    let bills: Value = bills.json().await.unwrap();
    assert_eq!(bills["bills"][0]["subtotal"]["minor"], 8_010_000);
    assert_eq!(bills["usage_rows"], 4);
    let tab = app.page(&format!("/customers/{customer}/bills?month=2026-11"), Some(&admin)).await.text().await.unwrap();
    assert!(tab.contains("$80,000.00") && tab.contains("$80,100.00") && tab.contains("cur-2026-11.csv"), "{tab}");
    let bad = app.portal_post(&admin, "customer_bills", &[("customer", &customer), ("month", "November")]).await;
    assert_eq!(bad.status().as_u16(), 400);

    // A report larger than a form post may usually be (3 MB) streams through.
    let rows: Vec<(&str, &str, &str, &str, &str)> =
        (0..40_000).map(|_| (LINKED, "Usage", "Amazon EC2 Spot", "0.0004000", "0.0005000")).collect();
    let large = cur_for(Month::parse("2026-10").unwrap(), &rows);
    assert!(large.len() > 3_000_000, "{} bytes", large.len());
    let (status, _, matched, _) = import(&app, &admin, "cur-2026-10.csv", large.into_bytes()).await;
    assert_eq!((status.as_str(), matched), ("done", 40_000));

    // A corrected November report (FOCUS, gzip) replaces November for that account.
    let focus = format!(
        "BillingAccountId,SubAccountId,ProviderName,ServiceName,ChargeCategory,BilledCost,ListCost,BillingCurrency,\
         BillingPeriodStart\nb,{LINKED},AWS,Amazon S3,Usage,40,50.5,USD,2026-11-01T00:00:00Z\n"
    );
    let (status, _, matched, _) = import(&app, &admin, "focus-2026-11.csv.gz", gzip(&focus)).await;
    assert_eq!((status.as_str(), matched), ("done", 1));
    let replaced: Vec<_> = usage_lines(&app).await.into_iter().filter(|line| line.1 != "Amazon EC2 Spot").collect();
    assert_eq!(replaced.len(), 1);
    assert_eq!((replaced[0].1.as_str(), replaced[0].3.as_str()), ("Amazon S3", "50.5"));
}

async fn a_platform_import_matches_every_reseller(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let one = linked_customer(&app, &app.reseller, "Acme", LINKED).await;
    let two_reseller = resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let two = linked_customer(&app, &two_reseller, "Bravo", "444455556666").await;
    let platform = app.platform_admin_cookie().await;
    let report = cur(&[(LINKED, "Usage", "Amazon EC2", "1", "2"), ("444455556666", "Usage", "Amazon EC2", "3", "4")]);
    assert_eq!(import(&app, &platform, "payer.csv", report.clone().into_bytes()).await.2, 2);
    let owners: Vec<(String,)> = sqlx::query_as("SELECT customer_id FROM usage_lines ORDER BY customer_id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut expected = vec![(one.clone(),), (two,)];
    expected.sort();
    assert_eq!(owners, expected);

    // A reseller's own import matches only its own accounts.
    let admin = app.session_cookie().await;
    let (_, _, matched, unmatched) = import(&app, &admin, "mine.csv", report.into_bytes()).await;
    assert_eq!((matched, unmatched), (1, 1));
    let page = app.page("/usage", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("mine.csv") && !page.contains("payer.csv"), "a reseller sees only its own imports");

    // A report dropped in the platform's folder is imported once.
    let drop = app.state.portico.settings.usage_drop_dir.clone();
    std::fs::create_dir_all(&drop).unwrap();
    let dropped = cur(&[(LINKED, "Usage", "Amazon RDS", "7", "9")]);
    let path = drop.join("cur-dropped.csv");
    std::fs::write(&path, dropped).unwrap();
    // Dated back so it counts as settled (whole) at once.
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
    let mut id = None;
    for _ in 0..300 {
        id = sqlx::query_scalar::<_, String>("SELECT id FROM usage_imports WHERE source = 'drop'")
            .fetch_optional(&app.db.pool)
            .await
            .unwrap();
        if id.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let id = id.expect("the dropped report was picked up");
    assert_eq!(finished(&app, &id).await.0, "done");
    tokio::time::sleep(Duration::from_secs(6)).await;
    let drops: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_imports WHERE source = 'drop'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(drops, 1, "a dropped report is imported once");
    let rds: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM usage_lines WHERE service = 'Amazon RDS' AND customer_id = $1")
            .bind(&one)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(rds, 1);
}
