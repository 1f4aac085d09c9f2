//! Customer fields: a reseller admin defines fields; each customer's values are checked against
//! them, all or nothing.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(admins_define_fields_and_customers_values_are_checked_against_them);

async fn define(
    app: &TestApp,
    cookie: &str,
    label: &str,
    kind: &str,
    required: bool,
    choices: &str,
) -> reqwest::Response {
    let mut form = vec![("field[label]", label), ("field[kind]", kind), ("field[choices]", choices)];
    if required {
        form.push(("field[required]", "true"));
    }
    app.portal_post(cookie, "define_customer_field", &form).await
}

async fn field_id(app: &TestApp, label: &str) -> String {
    sqlx::query_scalar("SELECT id FROM customer_field_definitions WHERE label = $1 AND retired_at IS NULL")
        .bind(label)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn admins_define_fields_and_customers_values_are_checked_against_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;

    // Bad definitions name their field; nothing is stored.
    for (label, kind, choices, field, code) in [
        ("", "text", "", "label", "required"),
        (&"l".repeat(61)[..], "text", "", "label", "too_long"),
        ("Tier", "colour", "", "kind", "invalid_format"),
        ("Tier", "choice", " \n ", "choices", "required"),
        ("Tier", "choice", "<Gold>", "choices", "invalid_characters"),
    ] {
        let response = define(&app, &admin, label, kind, false, choices).await;
        assert_eq!(response.status(), 422, "{field}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("customer_field_definitions").await, 0);

    for (label, kind, required, choices) in [
        ("Tier", "choice", true, "Gold\nSilver"),
        ("Seats", "number", false, ""),
        ("Renewal", "date", false, ""),
        ("Managed", "yes_no", false, ""),
        ("Notes", "text", false, ""),
    ] {
        assert_eq!(define(&app, &admin, label, kind, required, choices).await.status(), 200, "{label}");
    }
    let duplicate = define(&app, &admin, "tier", "text", false, "").await;
    assert_eq!(duplicate.status(), 422);
    assert!(duplicate.text().await.unwrap().contains("\"field\":\"label\",\"code\":\"conflict\""));

    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let (tier, seats, renewal, managed) = (
        field_id(&app, "Tier").await,
        field_id(&app, "Seats").await,
        field_id(&app, "Renewal").await,
        field_id(&app, "Managed").await,
    );
    let save = |values: Vec<(String, &'static str)>| {
        let mut form = vec![("customer".to_owned(), customer.clone())];
        form.extend(values.into_iter().map(|(id, value)| (format!("values[{id}]"), value.to_owned())));
        let (app, admin) = (&app, admin.clone());
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.portal_post(&admin, "save_customer_field_values", &form).await
        }
    };

    // Every refused value is named by its field; none is stored.
    let refused = save(vec![
        (tier.clone(), "Bronze"),
        (seats.clone(), "twelve"),
        (renewal.clone(), "2026-02-30"),
        (managed.clone(), "maybe"),
    ])
    .await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    for id in [&tier, &seats, &renewal, &managed] {
        assert!(body.contains(&format!("\"field_id\":\"{id}\"")), "{id}: {body}");
    }
    let missing = save(vec![(seats.clone(), "12")]).await;
    assert!(missing.text().await.unwrap().contains(&format!("\"field_id\":\"{tier}\",\"code\":\"required\"")));
    assert_eq!(app.count("customer_field_values").await, 0);

    let saved = save(vec![
        (tier.clone(), "Gold"),
        (seats.clone(), " 12 "),
        (renewal.clone(), "2027-01-31"),
        (managed.clone(), "yes"),
    ])
    .await;
    assert_eq!(saved.status(), 200);
    let tab = app.page(&format!("/customers/{customer}/fields"), Some(&admin)).await.text().await.unwrap();
    assert!(tab.contains("value=\"12\"") && tab.contains("2027-01-31"), "{tab}");
    let (before, after): (String, String) =
        sqlx::query_as("SELECT before_json, after_json FROM audit_events WHERE action = 'Customer fields changed'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(before.contains("Tier: (empty)") && after.contains("Tier: Gold; Seats: 12"), "{before} → {after}");

    // Retiring hides a field and keeps its value; agents cannot change the definitions.
    assert_eq!(app.portal_post(&admin, "retire_customer_field", &[("field", &seats)]).await.status(), 200);
    assert_eq!(app.portal_post(&admin, "retire_customer_field", &[("field", &seats)]).await.status(), 404);
    let tab = app.page(&format!("/customers/{customer}/fields"), Some(&admin)).await.text().await.unwrap();
    assert!(!tab.contains(&format!("id=\"value-{seats}\"")), "the retired field is no longer asked for");
    assert_eq!(app.count("customer_field_values").await, 4);
    let agent = EmailAddress::parse("agent@reseller.test").unwrap();
    resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &app.reseller,
        &agent,
        "Agnes",
        Role::Agent,
        "reseller agent passphrase",
    )
    .await
    .unwrap();
    let agent = app.cookie_for("agent@reseller.test", "reseller agent passphrase").await;
    assert_eq!(define(&app, &agent, "Sneaky", "text", false, "").await.status(), 403);
    assert_eq!(app.portal_post(&agent, "customer_fields_page", &[]).await.status(), 403);
    // Agents fill values in, as they edit customers.
    let form = [("customer", customer.as_str()), (&format!("values[{tier}]")[..], "Silver")];
    assert_eq!(app.portal_post(&agent, "save_customer_field_values", &form).await.status(), 200);
}
