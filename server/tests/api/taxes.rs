//! Taxes: admins keep the reseller's tax rates (agents may not); a customer's tax profile names
//! the rates that apply, its tax id and its exemption. A rate a customer has had is retired,
//! never changed or deleted. Every invalid field is refused by name with nothing stored.

use crate::helpers::{assert_refused, both_backends, form_with, Backend, Refusal, TestApp};

both_backends!(rates_are_kept_by_admins_and_retired_once_used, a_tax_profile_names_rates_an_id_and_an_exemption);

fn ontario() -> Vec<(&'static str, &'static str)> {
    vec![
        ("id", ""),
        ("version", "0"),
        ("rate[name]", "Ontario HST"),
        ("rate[rate]", "13"),
        ("rate[country]", "CA"),
        ("rate[region]", "ON"),
        ("rate[postal_code]", ""),
        ("rate[valid_from]", "2026-01-01"),
    ]
}

async fn rate_id(app: &TestApp, name: &str) -> (String, i64) {
    sqlx::query_as("SELECT id, version FROM tax_rates WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn rates_are_kept_by_admins_and_retired_once_used(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let agent_cookie = app.agent_cookie().await;
    let page = app.page("/settings/tax-rates", Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("No tax rates yet."));
    assert_eq!(app.portal_post(&agent_cookie, "save_tax_rate", &ontario()).await.status(), 403);
    assert_eq!(app.page("/settings/tax-rates", Some(&agent_cookie)).await.status(), 403);

    let audit = app.count("audit_events").await;
    let cases: &[Refusal] = &[
        (&[("rate[name]", "")], "name", "required"),
        (&[("rate[name]", "VAT\u{202E}")], "name", "invalid_characters"),
        (&[("rate[country]", "ZZ")], "country", "unknown_country"),
        (&[("rate[region]", "<b>ON</b>")], "region", "invalid_characters"),
        (
            &[("rate[postal_code]", "M5V 1J1 M5V 1J1 M5V 1J1 M5V 1J1 M5V 1J1 M5V 1J1 M5V 1J1")],
            "postal_code",
            "too_long",
        ),
        (&[("rate[rate]", "")], "rate", "required"),
        (&[("rate[rate]", "13.00001")], "rate", "invalid_format"),
        (&[("rate[rate]", "100.01")], "rate", "too_long"),
        (&[("rate[rate]", "-13")], "rate", "invalid_format"),
        (&[("rate[valid_from]", "")], "valid_from", "required"),
        (&[("rate[valid_from]", "2026-02-30")], "valid_from", "invalid_format"),
    ];
    for (changes, field, code) in cases {
        assert_refused(&app, &cookie, "save_tax_rate", &form_with(&ontario(), changes), field, code).await;
    }
    assert_eq!((app.count("tax_rates").await, app.count("audit_events").await), (0, audit));

    // Added, changed while unused (8.875 kept exact), deleted while unused.
    assert_eq!(app.portal_post(&cookie, "save_tax_rate", &ontario()).await.status(), 200);
    let nyc =
        form_with(&ontario(), &[("rate[name]", "NYC sales tax"), ("rate[country]", "US"), ("rate[region]", "NY")]);
    assert_eq!(app.portal_post(&cookie, "save_tax_rate", &nyc).await.status(), 200);
    let (id, version) = rate_id(&app, "NYC sales tax").await;
    let changed = form_with(&nyc, &[("id", id.as_str()), ("version", "1"), ("rate[rate]", "8.875")]);
    assert_eq!(app.portal_post(&cookie, "save_tax_rate", &changed).await.status(), 200);
    let stored: String =
        sqlx::query_scalar("SELECT rate FROM tax_rates WHERE id = $1").bind(&id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stored, "8.875");
    assert_eq!(app.portal_post(&cookie, "save_tax_rate", &changed).await.status(), 409, "a stale version");
    let remove = [("id", id.as_str()), ("version", "2")];
    assert_eq!(app.portal_post(&agent_cookie, "remove_tax_rate", &remove).await.status(), 403);
    assert_eq!(app.portal_post(&cookie, "remove_tax_rate", &remove).await.status(), 200);
    assert_eq!(app.count("tax_rates").await, 1, "an unused rate is deleted");
    assert_eq!(version, 1);

    // Once a customer has it, the rate is in use: no change, and removing retires it.
    let customer = app.add_customer(&app.reseller, "Maple Ltd", "Mo", "mo@maple.test").await;
    let (ontario_id, _) = rate_id(&app, "Ontario HST").await;
    let ticked = format!("profile[rates][{ontario_id}]");
    let profile =
        [("customer", customer.as_str()), ("version", "0"), (ticked.as_str(), "true"), ("profile[exemption]", "none")];
    assert_eq!(app.portal_post(&cookie, "save_tax_profile", &profile).await.status(), 200);
    // Agents work customers' tabs as admins do: the profile is theirs to change too.
    let by_agent = [
        ("customer", customer.as_str()),
        ("version", "1"),
        (ticked.as_str(), "true"),
        ("profile[tax_id]", "123456789RT0001"),
        ("profile[exemption]", "none"),
    ];
    assert_eq!(app.portal_post(&agent_cookie, "save_tax_profile", &by_agent).await.status(), 200);
    let (_, version) = rate_id(&app, "Ontario HST").await;
    let version = version.to_string();
    let change =
        form_with(&ontario(), &[("id", ontario_id.as_str()), ("version", version.as_str()), ("rate[rate]", "15")]);
    let response = app.portal_post(&cookie, "save_tax_rate", &change).await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.unwrap().contains("retire it and add a new rate"));
    let remove = [("id", ontario_id.as_str()), ("version", version.as_str())];
    assert_eq!(app.portal_post(&cookie, "remove_tax_rate", &remove).await.status(), 200);
    let retired: Option<String> = sqlx::query_scalar("SELECT retired_on FROM tax_rates WHERE id = $1")
        .bind(&ontario_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(retired.is_some(), "retired, not deleted");
    let page = app.page("/settings/tax-rates", Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("Ontario HST · 13%") && page.contains("Retired on "), "{page}");
    // The customer keeps it; another customer can no longer be given it.
    let tab = app.page(&format!("/customers/{customer}/taxes"), Some(&cookie)).await.text().await.unwrap();
    assert!(tab.contains("Ontario HST 13% (CA, ON)") && tab.contains("retired on"), "{tab}");
    let other = app.add_customer(&app.reseller, "Birch Ltd", "Bo", "bo@birch.test").await;
    let profile =
        [("customer", other.as_str()), ("version", "0"), (ticked.as_str(), "true"), ("profile[exemption]", "none")];
    assert_refused(&app, &cookie, "save_tax_profile", &profile, "tax_rates", "invalid_format").await;

    let history = app.page("/history", Some(&cookie)).await.text().await.unwrap();
    for entry in [
        "Tax rate added: Ontario HST",
        "Tax rate changed: NYC sales tax",
        "Tax rate deleted: NYC sales tax",
        "Tax rate retired: Ontario HST",
    ] {
        assert!(history.contains(entry), "{entry}");
    }
}

async fn a_tax_profile_names_rates_an_id_and_an_exemption(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    assert_eq!(app.portal_post(&cookie, "save_tax_rate", &ontario()).await.status(), 200);
    let (rate, _) = rate_id(&app, "Ontario HST").await;
    let customer = app.add_customer(&app.reseller, "Maple Ltd", "Mo", "mo@maple.test").await;
    let tab = || async { app.page(&format!("/customers/{customer}/taxes"), Some(&cookie)).await.text().await.unwrap() };
    assert!(tab().await.contains("Ontario HST 13% (CA, ON)"));
    let ticked = format!("profile[rates][{rate}]");
    let base = [
        ("customer", customer.as_str()),
        ("version", "0"),
        (ticked.as_str(), "true"),
        ("profile[tax_id]", ""),
        ("profile[exemption]", "none"),
        ("profile[certificate_number]", ""),
        ("profile[certificate_expiry]", ""),
    ];
    let audit = app.count("audit_events").await;
    let cases: &[Refusal] = &[
        (&[("profile[exemption]", "partial")], "exemption", "invalid_format"),
        (&[("profile[exemption]", "reverse_charge")], "tax_id", "required"),
        (
            &[("profile[exemption]", "exempt"), ("profile[certificate_expiry]", "2030-01-01")],
            "certificate_number",
            "required",
        ),
        (
            &[("profile[exemption]", "exempt"), ("profile[certificate_number]", "EX-1")],
            "certificate_expiry",
            "required",
        ),
        (
            &[
                ("profile[exemption]", "exempt"),
                ("profile[certificate_number]", "EX-1"),
                ("profile[certificate_expiry]", "2020-01-01"),
            ],
            "certificate_expiry",
            "mismatch",
        ),
        (
            &[
                ("profile[exemption]", "exempt"),
                ("profile[certificate_number]", "EX-1"),
                ("profile[certificate_expiry]", "soon"),
            ],
            "certificate_expiry",
            "invalid_format",
        ),
        (&[("profile[tax_id]", "<DE123>")], "tax_id", "invalid_characters"),
        (&[("profile[rates][txr_0000000000000000000000000000000a]", "true")], "tax_rates", "invalid_format"),
    ];
    for (changes, field, code) in cases {
        assert_refused(&app, &cookie, "save_tax_profile", &form_with(&base, changes), field, code).await;
    }
    assert_eq!(app.count("customer_tax_profiles").await, 0);
    assert_eq!(app.count("audit_events").await, audit);

    // Exempt on a certificate; then reverse charge with the tax id. Two saves of one version at
    // once: one wins.
    let exempt = form_with(
        &base,
        &[
            ("profile[exemption]", "exempt"),
            ("profile[certificate_number]", "EX-2291"),
            ("profile[certificate_expiry]", "2030-06-30"),
        ],
    );
    assert_eq!(app.portal_post(&cookie, "save_tax_profile", &exempt).await.status(), 200);
    assert!(tab().await.contains(r#"value="EX-2291""#));
    let reverse = form_with(
        &base,
        &[("version", "1"), ("profile[exemption]", "reverse_charge"), ("profile[tax_id]", "DE123456789")],
    );
    let none = form_with(&base, &[("version", "1"), (ticked.as_str(), "")]);
    let (first, second) = tokio::join!(
        app.portal_post(&cookie, "save_tax_profile", &reverse),
        app.portal_post(&cookie, "save_tax_profile", &none)
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(
        app.portal_post(&cookie, "save_tax_profile", &exempt).await.status(),
        409,
        "version 0 after the first save"
    );
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(history.contains("Tax profile changed"));
    assert!(history.contains("Exemption: None → Exempt (certificate EX-2291, expires 2030-06-30)"), "{history}");
}
