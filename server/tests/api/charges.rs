//! Charges and discounts: rules of a customer added, changed and removed through the portal,
//! stored exactly (integer minor units, decimal percents, tiers in order), every invalid field
//! refused by name with nothing stored, concurrent changes settled by version, every change in
//! the history.

use crate::helpers::{assert_refused, both_backends, form_with, Backend, Refusal, TestApp};

both_backends!(
    a_rule_is_added_changed_and_removed_with_its_history,
    every_invalid_field_is_named_and_nothing_is_stored
);

/// AWS Business support as a rule of its own: 10% of the first $10,000, 7% to $80,000, 5% to
/// $250,000, 3% above, at least $100.
fn business(customer: &str) -> Vec<(&str, &str)> {
    vec![
        ("customer", customer),
        ("id", ""),
        ("version", "0"),
        ("rule[kind]", "charge"),
        ("rule[description]", "Managed support"),
        ("rule[calculation]", "tiered"),
        ("rule[currency]", "USD"),
        ("rule[tiers][0][up_to]", "10,000"),
        ("rule[tiers][0][value]", "10%"),
        ("rule[tiers][1][up_to]", "80,000.00"),
        ("rule[tiers][1][value]", "7%"),
        ("rule[tiers][2][up_to]", "$250,000"),
        ("rule[tiers][2][value]", "5%"),
        ("rule[tiers][3][up_to]", ""),
        ("rule[tiers][3][value]", "3%"),
        ("rule[minimum]", "100"),
        ("rule[base]", "customer_cost"),
        ("rule[applies_to]", "customer"),
        ("rule[recurrence]", "monthly"),
        ("rule[start_month]", "2026-12"),
    ]
}

async fn rules_of(
    app: &TestApp,
    customer: &str,
) -> Vec<(String, String, Option<String>, Option<i64>, i64, Option<i64>)> {
    sqlx::query_as(
        "SELECT description, calculation, tiers, minimum_minor, version, removed_at FROM charge_rules \
         WHERE customer_id = $1 ORDER BY created_at",
    )
    .bind(customer)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn a_rule_is_added_changed_and_removed_with_its_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let tab =
        || async { app.page(&format!("/customers/{customer}/charges"), Some(&cookie)).await.text().await.unwrap() };
    assert!(tab().await.contains("No charges or discounts yet."));

    let response = app.portal_post(&cookie, "save_charge_rule", &business(&customer)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let stored = rules_of(&app, &customer).await;
    assert_eq!(
        stored,
        vec![(
            "Managed support".into(),
            "tiered".into(),
            Some("1000000:10%,8000000:7%,25000000:5%,:3%".into()),
            Some(10_000),
            1,
            None
        )]
    );
    let page = tab().await;
    assert!(
        page.contains("Greater of $100 or 10% of the first $10,000, 7% up to $80,000, 5% up to $250,000 and 3% above")
    );
    assert!(page.contains("Monthly, from December 2026"));

    // A discount of 7.5% of the seller cost of one cloud account, for three months.
    let aws = [("customer", customer.as_str()), ("enabled[aws]", "true")];
    assert_eq!(app.portal_post(&cookie, "set_cloud_providers", &aws).await.status(), 200);
    let account = [
        ("customer", customer.as_str()),
        ("account[provider]", "aws"),
        ("account[account_id]", "123456789012"),
        ("account[email]", "root@customer.com"),
    ];
    assert_eq!(app.portal_post(&cookie, "add_cloud_account", &account).await.status(), 200);
    let account_id: String = sqlx::query_scalar("SELECT id FROM cloud_accounts WHERE customer_id = $1")
        .bind(&customer)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let ticked = format!("rule[accounts][{account_id}]");
    let discount = form_with(
        &business(&customer),
        &[
            ("rule[kind]", "discount"),
            ("rule[description]", "Launch discount"),
            ("rule[calculation]", "percent"),
            ("rule[percent]", "7.5"),
            ("rule[minimum]", ""),
            ("rule[base]", "seller_cost"),
            ("rule[applies_to]", "accounts"),
            (ticked.as_str(), "true"),
            ("rule[end_month]", "2027-02"),
        ],
    );
    assert_eq!(app.portal_post(&cookie, "save_charge_rule", &discount).await.status(), 200);
    let (discount_id, percent): (String, String) =
        sqlx::query_as("SELECT id, percent FROM charge_rules WHERE description = 'Launch discount'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(percent, "7.5");
    let linked: Vec<String> = sqlx::query_scalar("SELECT account_id FROM charge_rule_accounts WHERE rule_id = $1")
        .bind(&discount_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(linked, vec![account_id.clone()]);
    let page = tab().await;
    assert!(page.contains("7.5% of the base") && page.contains("Cloud accounts 123456789012"), "{page}");

    // A change: a fixed $250.00 a month for the whole customer. Two saves of the same version at
    // once: one wins, the other is told someone changed it.
    let change = |description: &'static str| {
        let (app, cookie) = (&app, cookie.clone());
        let form: Vec<(String, String)> = form_with(
            &discount,
            &[
                ("id", discount_id.as_str()),
                ("version", "1"),
                ("rule[calculation]", "fixed"),
                ("rule[amount]", "250.00"),
                ("rule[applies_to]", "customer"),
                (ticked.as_str(), ""),
                ("rule[description]", description),
            ],
        )
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.portal_post(&cookie, "save_charge_rule", &form).await.status().as_u16()
        }
    };
    let (first, second) = tokio::join!(change("Loyalty discount"), change("Other discount"));
    let mut statuses = [first, second];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let (amount, version): (Option<i64>, i64) =
        sqlx::query_as("SELECT amount_minor, version FROM charge_rules WHERE id = $1")
            .bind(&discount_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((amount, version), (Some(25_000), 2));
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM charge_rule_accounts WHERE rule_id = $1")
        .bind(&discount_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0);

    // Removing with a stale version is a conflict; with the current one the rule ends, and stays.
    let remove = |version: &'static str| {
        let (app, cookie, customer, id) = (&app, cookie.clone(), customer.clone(), discount_id.clone());
        async move {
            let form = [("customer", customer.as_str()), ("id", id.as_str()), ("version", version)];
            app.portal_post(&cookie, "remove_charge_rule", &form).await.status().as_u16()
        }
    };
    assert_eq!(remove("1").await, 409);
    assert_eq!(remove("2").await, 200);
    assert_eq!(remove("3").await, 404, "a removed rule is no longer there to remove");
    let removed: Option<i64> = sqlx::query_scalar("SELECT removed_at FROM charge_rules WHERE id = $1")
        .bind(&discount_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(removed.is_some());
    let page = tab().await;
    assert!(!page.contains(r#"aria-label="Loyalty discount""#) && !page.contains(r#"aria-label="Other discount""#));
    assert!(page.contains(r#"aria-label="Managed support""#));

    // Another customer of the same reseller cannot reach the rule through its own id.
    let other = app.add_customer(&app.reseller, "Other Co", "Olga", "olga@other.test").await;
    let rule: String = sqlx::query_scalar("SELECT id FROM charge_rules WHERE description = 'Managed support'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let form = [("customer", other.as_str()), ("id", rule.as_str()), ("version", "1")];
    assert_eq!(app.portal_post(&cookie, "remove_charge_rule", &form).await.status(), 404);

    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    for entry in
        ["Charge added: Managed support", "Discount added: Launch discount", "Discount changed: ", "Discount removed: "]
    {
        assert!(history.contains(entry), "{entry}");
    }
    assert!(history.contains("Calculation: 7.5% of the base → $250"), "{history}");
}

async fn every_invalid_field_is_named_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let base = business(&customer);
    let audit = app.count("audit_events").await;
    let cases: &[Refusal] = &[
        (&[("rule[kind]", "surcharge")], "kind", "invalid_format"),
        (&[("rule[description]", "")], "description", "required"),
        (&[("rule[description]", "<script>")], "description", "invalid_characters"),
        (&[("rule[calculation]", "sliding")], "calculation", "invalid_format"),
        (&[("rule[currency]", "XYZ")], "currency", "invalid_format"),
        (&[("rule[calculation]", "fixed"), ("rule[amount]", "")], "amount", "required"),
        (&[("rule[calculation]", "fixed"), ("rule[amount]", "0")], "amount", "too_short"),
        (&[("rule[calculation]", "fixed"), ("rule[amount]", "12.345")], "amount", "invalid_format"),
        (&[("rule[calculation]", "fixed"), ("rule[amount]", "-5")], "amount", "invalid_format"),
        (
            &[("rule[calculation]", "fixed"), ("rule[currency]", "JPY"), ("rule[amount]", "10.5")],
            "amount",
            "invalid_format",
        ),
        (&[("rule[calculation]", "percent"), ("rule[percent]", "")], "percent", "required"),
        (&[("rule[calculation]", "percent"), ("rule[percent]", "100.5")], "percent", "too_long"),
        (&[("rule[calculation]", "percent"), ("rule[percent]", "7.12345")], "percent", "invalid_format"),
        (&[("rule[tiers][1][up_to]", "5,000")], "tiers", "mismatch"),
        (&[("rule[tiers][3][up_to]", "900,000")], "tiers", "mismatch"),
        (&[("rule[tiers][0][value]", "ten")], "tiers", "invalid_format"),
        (
            &[
                ("rule[tiers][0][up_to]", ""),
                ("rule[tiers][0][value]", ""),
                ("rule[tiers][1][up_to]", ""),
                ("rule[tiers][1][value]", ""),
                ("rule[tiers][2][up_to]", ""),
                ("rule[tiers][2][value]", ""),
                ("rule[tiers][3][value]", ""),
            ],
            "tiers",
            "required",
        ),
        (&[("rule[minimum]", "lots")], "minimum", "invalid_format"),
        (&[("rule[maximum]", "50")], "maximum", "mismatch"),
        (&[("rule[base]", "list_price")], "base", "invalid_format"),
        (&[("rule[applies_to]", "everyone")], "applies_to", "invalid_format"),
        (&[("rule[applies_to]", "accounts")], "accounts", "required"),
        (&[("rule[applies_to]", "accounts"), ("rule[accounts][cla_elsewhere]", "true")], "accounts", "invalid_format"),
        (&[("rule[recurrence]", "weekly")], "recurrence", "invalid_format"),
        (&[("rule[start_month]", "")], "start_month", "required"),
        (&[("rule[start_month]", "2026-13")], "start_month", "invalid_format"),
        (&[("rule[end_month]", "2026-11")], "end_month", "mismatch"),
        (&[("rule[end_month]", "December")], "end_month", "invalid_format"),
    ];
    for (changes, field, code) in cases {
        assert_refused(&app, &cookie, "save_charge_rule", &form_with(&base, changes), field, code).await;
    }
    assert_eq!(app.count("charge_rules").await, 0);
    assert_eq!(app.count("audit_events").await, audit);
    // A customer of nobody's, or a malformed id, is not found or not read.
    let unknown = form_with(&base, &[("customer", "cus_0000000000000000000000000000000a")]);
    assert_eq!(app.portal_post(&cookie, "save_charge_rule", &unknown).await.status(), 404);
    let malformed = form_with(&base, &[("id", "not-an-id")]);
    assert_eq!(app.portal_post(&cookie, "save_charge_rule", &malformed).await.status(), 400);
    assert_eq!(app.count("charge_rules").await, 0);
}
