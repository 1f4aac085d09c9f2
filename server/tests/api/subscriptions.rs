//! Products (admins) and subscriptions: a subscription keeps the price it was taken at, follows
//! one table of states, each step a new version in `subscription_versions` and the history, and
//! Portico takes the steps due on its dates (start, renew, expire, end) through the job queue.

use std::time::Duration;

use portico_shared::dates::Day;

use crate::helpers::{assert_refused, both_backends, form_with, Backend, Refusal, TestApp};

both_backends!(
    products_are_kept_by_admins_and_priced_exactly,
    subscriptions_step_through_their_states,
    dates_due_are_acted_on
);

fn today() -> Day {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
    Day::of_ms(i64::try_from(now).unwrap())
}

fn m365() -> Vec<(&'static str, &'static str)> {
    vec![
        ("id", ""),
        ("version", "0"),
        ("product[name]", "Microsoft 365 Business Basic"),
        ("product[sku]", "M365-BB"),
        ("product[unit_price]", "6.00"),
        ("product[currency]", "USD"),
        ("product[billing_period]", "monthly"),
        ("product[term_months]", "12"),
    ]
}

async fn product_id(app: &TestApp, sku: &str) -> String {
    sqlx::query_scalar("SELECT id FROM products WHERE sku = $1").bind(sku).fetch_one(&app.db.pool).await.unwrap()
}

async fn subscription(app: &TestApp, id: &str) -> (String, i64, Option<String>, i64) {
    sqlx::query_as("SELECT status, quantity, end_date, version FROM subscriptions WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn products_are_kept_by_admins_and_priced_exactly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    assert!(app.page("/settings/products", Some(&cookie)).await.text().await.unwrap().contains("No products yet."));
    let cases: &[Refusal] = &[
        (&[("product[name]", "")], "name", "required"),
        (&[("product[sku]", "")], "sku", "required"),
        (&[("product[sku]", "M365 BB")], "sku", "invalid_format"),
        (&[("product[unit_price]", "")], "unit_price", "required"),
        (&[("product[unit_price]", "6.005")], "unit_price", "invalid_format"),
        (&[("product[unit_price]", "six")], "unit_price", "invalid_format"),
        (&[("product[currency]", "")], "currency", "invalid_format"),
        (&[("product[billing_period]", "weekly")], "billing_period", "invalid_format"),
        (&[("product[term_months]", "0")], "term_months", "invalid_format"),
        (&[("product[term_months]", "121")], "term_months", "invalid_format"),
        (&[("product[term_months]", "1.5")], "term_months", "invalid_format"),
    ];
    for (changes, field, code) in cases {
        assert_refused(&app, &cookie, "save_product", &form_with(&m365(), changes), field, code).await;
    }
    assert_eq!(app.count("products").await, 0);
    assert_eq!(app.portal_post(&cookie, "save_product", &m365()).await.status(), 200);
    // The SKU is the reseller's own key.
    assert_refused(
        &app,
        &cookie,
        "save_product",
        &form_with(&m365(), &[("product[name]", "Again")]),
        "sku",
        "conflict",
    )
    .await;
    let yen = form_with(
        &m365(),
        &[("product[sku]", "SUPPORT-JP"), ("product[unit_price]", "1,200"), ("product[currency]", "JPY")],
    );
    assert_eq!(app.portal_post(&cookie, "save_product", &yen).await.status(), 200);
    let prices: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT sku, unit_price_minor, currency FROM products ORDER BY sku")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(prices, vec![("M365-BB".into(), 600, "USD".into()), ("SUPPORT-JP".into(), 1_200, "JPY".into())]);
    // Two admins changing one product at once: one wins, the other is told.
    let product = product_id(&app, "M365-BB").await;
    let first = form_with(&m365(), &[("id", product.as_str()), ("version", "1"), ("product[unit_price]", "6.50")]);
    let second = form_with(&m365(), &[("id", product.as_str()), ("version", "1"), ("product[name]", "M365 Basic")]);
    let (a, b) = tokio::join!(
        app.portal_post(&cookie, "save_product", &first),
        app.portal_post(&cookie, "save_product", &second)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let id = product_id(&app, "SUPPORT-JP").await;
    let remove = [("id", id.as_str()), ("version", "1")];
    assert_eq!(app.portal_post(&cookie, "remove_product", &remove).await.status(), 200);
    assert_eq!(app.count("products").await, 1, "a product nobody subscribed to is deleted");
    let page = app.page("/settings/products", Some(&cookie)).await.text().await.unwrap();
    assert!(
        (page.contains("Microsoft 365 Business Basic (M365-BB)") && page.contains("$6.50 per unit, monthly"))
            || (page.contains("M365 Basic (M365-BB)") && page.contains("$6.00 per unit, monthly")),
        "{page}"
    );
}

async fn subscriptions_step_through_their_states(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let tab = || async {
        app.page(&format!("/customers/{customer}/subscriptions"), Some(&cookie)).await.text().await.unwrap()
    };
    let page = tab().await;
    assert!(page.contains("No subscriptions yet.") && page.contains("You have no products on offer yet."));
    assert_eq!(app.portal_post(&cookie, "save_product", &m365()).await.status(), 200);
    let product = product_id(&app, "M365-BB").await;
    let (today, start) = (today(), today().to_string());
    let add = [
        ("customer", customer.as_str()),
        ("id", ""),
        ("version", "0"),
        ("subscription[product]", product.as_str()),
        ("subscription[quantity]", "25"),
        ("subscription[start_date]", start.as_str()),
        ("subscription[end_date]", ""),
        ("subscription[auto_renew]", "true"),
    ];
    let cases: &[Refusal] = &[
        (&[("subscription[product]", "prd_0000000000000000000000000000000a")], "product", "invalid_format"),
        (&[("subscription[product]", "")], "product", "invalid_format"),
        (&[("subscription[quantity]", "0")], "quantity", "invalid_format"),
        (&[("subscription[quantity]", "-1")], "quantity", "invalid_format"),
        (&[("subscription[quantity]", "2.5")], "quantity", "invalid_format"),
        (&[("subscription[quantity]", "")], "quantity", "invalid_format"),
        (&[("subscription[start_date]", "")], "start_date", "required"),
        (&[("subscription[start_date]", "2026-02-29")], "start_date", "invalid_format"),
        (&[("subscription[end_date]", start.as_str())], "end_date", "mismatch"),
        (&[("subscription[end_date]", "next year")], "end_date", "invalid_format"),
        (&[("subscription[auto_renew]", "maybe")], "auto_renew", "invalid_format"),
    ];
    for (changes, field, code) in cases {
        assert_refused(&app, &cookie, "save_subscription", &form_with(&add, changes), field, code).await;
    }
    assert_eq!(app.count("subscriptions").await, 0);

    // Starting today, it is active at once, for the product's 12-month term, at $6.00 a unit.
    assert_eq!(app.portal_post(&cookie, "save_subscription", &add).await.status(), 200);
    let id: String = sqlx::query_scalar("SELECT id FROM subscriptions").fetch_one(&app.db.pool).await.unwrap();
    let end = today.add_months(12).to_string();
    assert_eq!(subscription(&app, &id).await, ("active".into(), 25, Some(end.clone()), 1));
    assert!(tab().await.contains("25 × $6.00 = $150.00 monthly"));
    // A new price applies to new subscriptions only.
    let dearer = form_with(&m365(), &[("id", product.as_str()), ("version", "2"), ("product[unit_price]", "7.00")]);
    assert_eq!(app.portal_post(&cookie, "save_product", &dearer).await.status(), 200);
    let kept: i64 =
        sqlx::query_scalar("SELECT unit_price_minor FROM subscriptions").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(kept, 600);

    let step = |step: &'static str, version: &'static str| {
        let (app, cookie, customer, id) = (&app, cookie.clone(), customer.clone(), id.clone());
        async move {
            let form = [("customer", customer.as_str()), ("id", id.as_str()), ("version", version), ("step", step)];
            app.portal_post(&cookie, "change_subscription", &form).await.status().as_u16()
        }
    };
    assert_eq!(step("activate", "1").await, 409, "already active");
    assert_eq!(step("teleport", "1").await, 400);
    let (first, second) = tokio::join!(step("suspend", "1"), step("cancel", "1"));
    let mut statuses = [first, second];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "one step per version");
    let (status, ..) = subscription(&app, &id).await;
    let version = if status == "suspended" {
        assert_eq!(step("resume", "2").await, 200);
        assert_eq!(step("cancel", "3").await, 200);
        4
    } else {
        2
    };
    assert_eq!(subscription(&app, &id).await, ("pending_cancel".into(), 25, Some(end.clone()), version));
    assert!(tab().await.contains("Pending cancel"));
    let keep_version: &'static str = if version == 4 { "4" } else { "2" };
    assert_eq!(step("keep", keep_version).await, 200);

    // Changing the quantity: a new version; a form of the old one is refused.
    let change = |quantity: &'static str, version: &'static str| {
        let (app, cookie, customer, id, end) = (&app, cookie.clone(), customer.clone(), id.clone(), end.clone());
        async move {
            let form = [
                ("customer", customer.as_str()),
                ("id", id.as_str()),
                ("version", version),
                ("subscription[quantity]", quantity),
                ("subscription[end_date]", end.as_str()),
                ("subscription[auto_renew]", "true"),
            ];
            app.portal_post(&cookie, "save_subscription", &form).await
        }
    };
    let current: &'static str = if version == 4 { "5" } else { "3" };
    let refused = change("0", current).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(change("30", current).await.status(), 200);
    assert_eq!(change("31", current).await.status(), 409);
    let (_, quantity, _, latest) = subscription(&app, &id).await;
    assert_eq!(quantity, 30);
    let versions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subscription_versions WHERE subscription_id = $1")
        .bind(&id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(versions, latest, "one version row per step");

    // A product in use is retired, not deleted: it stays on the subscription, offered no more.
    let product_version: i64 = sqlx::query_scalar("SELECT version FROM products WHERE id = $1")
        .bind(&product)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let product_version = product_version.to_string();
    let remove = [("id", product.as_str()), ("version", product_version.as_str())];
    assert_eq!(app.portal_post(&cookie, "remove_product", &remove).await.status(), 200);
    assert_eq!(app.count("products").await, 1);
    assert_refused(&app, &cookie, "save_subscription", &add, "product", "invalid_format").await;
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    for entry in [
        "Subscription added: Microsoft 365 Business Basic × 25",
        "Subscription cancelled at the end of its term: Microsoft 365 Business Basic",
        "Subscription kept: ",
        "Subscription changed: ",
        "Quantity: 25 → 30",
    ] {
        assert!(history.contains(entry), "{entry}");
    }
}

/// Waits for the job worker to bring a subscription to `status`.
async fn eventually(app: &TestApp, id: &str, status: &str) -> (String, i64, Option<String>, i64) {
    for _ in 0..100 {
        let now = subscription(app, id).await;
        if now.0 == status {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("subscription {id} never became {status}: {:?}", subscription(app, id).await);
}

async fn dates_due_are_acted_on(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    assert_eq!(app.portal_post(&cookie, "save_product", &m365()).await.status(), 200);
    let once = form_with(
        &m365(),
        &[("product[sku]", "SETUP"), ("product[billing_period]", "one_time"), ("product[term_months]", "")],
    );
    assert_eq!(app.portal_post(&cookie, "save_product", &once).await.status(), 200);
    let (monthly, setup) = (product_id(&app, "M365-BB").await, product_id(&app, "SETUP").await);
    let today = today();
    let (yesterday, tomorrow) = (Day::from_days(today.days() - 1), Day::from_days(today.days() + 1));
    let started = Day::from_days(today.days() - 400).to_string();
    let add = |product: &str, start: String, end: String, renew: &'static str| {
        let (app, cookie, customer, product) = (&app, cookie.clone(), customer.clone(), product.to_owned());
        async move {
            let form = [
                ("customer", customer.as_str()),
                ("id", ""),
                ("version", "0"),
                ("subscription[product]", product.as_str()),
                ("subscription[quantity]", "1"),
                ("subscription[start_date]", start.as_str()),
                ("subscription[end_date]", end.as_str()),
                ("subscription[auto_renew]", renew),
            ];
            assert_eq!(app.portal_post(&cookie, "save_subscription", &form).await.status(), 200);
            sqlx::query_scalar::<_, String>("SELECT id FROM subscriptions ORDER BY created_at DESC, id DESC")
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
        }
    };
    // Ended yesterday without auto-renew: expired. With it: renewed by its term past today.
    let expiring = add(&monthly, started.clone(), yesterday.to_string(), "").await;
    assert_eq!(eventually(&app, &expiring, "expired").await.3, 2);
    let renewing = add(&monthly, started.clone(), yesterday.to_string(), "true").await;
    let renewed = yesterday.add_months(12).to_string();
    for _ in 0..100 {
        if subscription(&app, &renewing).await.3 == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(subscription(&app, &renewing).await, ("active".into(), 1, Some(renewed), 2));
    // Starting tomorrow: pending, with the job due at tomorrow's start.
    let pending = add(&monthly, tomorrow.to_string(), String::new(), "").await;
    assert_eq!(subscription(&app, &pending).await.0, "pending");
    let due: i64 = sqlx::query_scalar("SELECT MAX(run_at) FROM jobs WHERE payload LIKE $1")
        .bind(format!("%{pending}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(due, tomorrow.start_ms());
    // A one-time product cancelled today ends today.
    let setup_fee = add(&setup, today.to_string(), String::new(), "").await;
    let form = [("customer", customer.as_str()), ("id", setup_fee.as_str()), ("version", "1"), ("step", "cancel")];
    assert_eq!(app.portal_post(&cookie, "change_subscription", &form).await.status(), 200);
    assert_eq!(eventually(&app, &setup_fee, "cancelled").await.2, Some(today.to_string()));
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(
        history.contains("Portico, on the subscription&#x27;s date")
            || history.contains("Portico, on the subscription's date")
    );
    assert!(
        history.contains("Subscription expired: ")
            && history.contains("Subscription renewed: ")
            && history.contains("Subscription ended: ")
    );
}
