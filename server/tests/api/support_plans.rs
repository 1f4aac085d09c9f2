//! Charges and discounts → Support plans: a customer gets one of its provider's plans (data, with
//! their pricing in words) as a charge rule made from the plan; a plan of nowhere, or of a
//! provider the customer does not have, is refused with nothing stored.

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(a_customer_gets_a_support_plan_and_bad_choices_are_refused);

async fn a_customer_gets_a_support_plan_and_bad_choices_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let choose = |provider: &'static str, plan: &'static str| {
        let (app, cookie, customer) = (&app, cookie.clone(), customer.clone());
        async move {
            let form = [("customer", customer.as_str()), ("provider", provider), ("plan", plan)];
            let response = app.portal_post(&cookie, "set_support_plan", &form).await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let tab =
        || async { app.page(&format!("/customers/{customer}/charges"), Some(&cookie)).await.text().await.unwrap() };

    // Without AWS under Cloud providers there is no AWS plan to choose.
    assert!(tab().await.contains("to choose its support plan"));
    let (status, body) = choose("aws", "aws-business").await;
    assert_eq!(status, 409);
    assert!(body.contains("Turn this cloud provider on under Cloud providers"), "{body}");

    let aws = [("customer", customer.as_str()), ("enabled[aws]", "true")];
    assert_eq!(app.portal_post(&cookie, "set_cloud_providers", &aws).await.status(), 200);
    let page = tab().await;
    for expected in [
        "Amazon Web Services support plan",
        "AWS Business Level Support",
        "Greater of $100 or 10% of the first $10,000, 7% up to $80,000, 5% up to $250,000 and 3% above",
        "AWS Enterprise On-Ramp Support",
        "Included at no charge",
    ] {
        assert!(page.contains(expected), "{expected}");
    }

    // Bad choices: named on the plan field, or refused for the provider; nothing stored.
    let audit = app.count("audit_events").await;
    for (provider, plan, status, code) in [
        ("aws", "aws-platinum", 422, Some("invalid_format")),
        ("aws", "AWS Business Level Support", 422, Some("invalid_format")),
        ("azure", "aws-business", 409, None),
        ("nowhere", "aws-business", 409, None),
    ] {
        let (got, body) = choose(provider, plan).await;
        assert_eq!(got, status, "{provider} {plan}: {body}");
        if let Some(code) = code {
            assert!(body.contains(&format!("\"field\":\"support_plan\",\"code\":\"{code}\"")), "{body}");
        }
    }
    assert_eq!(app.count("charge_rules").await, 0);
    assert_eq!(app.count("audit_events").await, audit);

    // The guide's choice: AWS Business Level Support.
    assert_eq!(choose("aws", "aws-business").await.0, 200);
    let page = tab().await;
    assert!(page.contains(r#"id="plan-aws-aws-business" name="plan" value="aws-business" checked"#));
    // The plan is the customer's rule: a monthly charge on its customer cost, from this month.
    assert!(page.contains(r#"<section aria-label="AWS Business Level Support" class="card">"#), "{page}");
    assert!(page.contains(r#"<span class="status status-charge">Support plan</span>"#));
    let rule: (String, String, Option<String>, Option<i64>, String) = sqlx::query_as(
        "SELECT base, recurrence, tiers, minimum_minor, template_id FROM charge_rules WHERE removed_at IS NULL",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        rule,
        (
            "customer_cost".into(),
            "monthly".into(),
            Some("1000000:10%,8000000:7%,25000000:5%,:3%".into()),
            Some(10_000),
            "aws-business".into()
        )
    );
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(history.contains("Support plan changed (Amazon Web Services)"));
    assert!(history.contains("AWS support plan: None → AWS Business Level Support"));
    // The same choice again changes nothing; another replaces it; none removes it.
    let audit = app.count("audit_events").await;
    assert_eq!(choose("aws", "aws-business").await.0, 200);
    assert_eq!(app.count("audit_events").await, audit);
    assert_eq!(choose("aws", "aws-enterprise").await.0, 200);
    assert_eq!(choose("aws", "").await.0, 200);
    // Each plan's rule ended when the next was chosen; they stay on record.
    let rules: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT template_id, removed_at FROM charge_rules ORDER BY created_at")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(rules.iter().map(|(plan, _)| plan.as_str()).collect::<Vec<_>>(), ["aws-business", "aws-enterprise"]);
    assert!(rules.iter().all(|(_, removed)| removed.is_some()));
    assert_eq!(app.count("audit_events").await, audit + 2);
}
