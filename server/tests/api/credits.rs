//! Credits: an append-only ledger. Grants are exact amounts with a reason; the only correction
//! is one reversal per grant, with a reason; the balance counts grants in force per currency.
//! Every invalid field is refused by name with nothing stored.

use crate::helpers::{assert_refused, both_backends, form_with, Backend, Refusal, TestApp};

both_backends!(credits_are_granted_and_reversed_never_edited);

async fn credits_are_granted_and_reversed_never_edited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let tab =
        || async { app.page(&format!("/customers/{customer}/credits"), Some(&cookie)).await.text().await.unwrap() };
    let page = tab().await;
    assert!(page.contains("No credits yet.") && page.contains("No credit available."));

    let grant = [
        ("customer", customer.as_str()),
        ("credit[amount]", "250.00"),
        ("credit[currency]", "USD"),
        ("credit[reason]", "Outage on 3 December"),
        ("credit[expires_on]", ""),
        ("credit[comment]", "Agreed with John on the phone."),
    ];
    let cases: &[Refusal] = &[
        (&[("credit[amount]", "")], "amount", "required"),
        (&[("credit[amount]", "0")], "amount", "too_short"),
        (&[("credit[amount]", "0.00")], "amount", "too_short"),
        (&[("credit[amount]", "-250")], "amount", "invalid_format"),
        (&[("credit[amount]", "250.001")], "amount", "invalid_format"),
        (&[("credit[amount]", "2,50.00")], "amount", "invalid_format"),
        (&[("credit[amount]", "2000000000000.00")], "amount", "too_long"),
        (&[("credit[currency]", "ABC")], "currency", "invalid_format"),
        (&[("credit[reason]", "")], "reason", "required"),
        (&[("credit[reason]", "<img>")], "reason", "invalid_characters"),
        (&[("credit[expires_on]", "2020-01-01")], "expires_on", "mismatch"),
        (&[("credit[expires_on]", "31/12/2030")], "expires_on", "invalid_format"),
        (&[("credit[comment]", "bell \u{7}")], "comment", "invalid_characters"),
    ];
    let audit = app.count("audit_events").await;
    for (changes, field, code) in cases {
        assert_refused(&app, &cookie, "grant_credit", &form_with(&grant, changes), field, code).await;
    }
    assert_eq!((app.count("credits").await, app.count("audit_events").await), (0, audit));

    assert_eq!(app.portal_post(&cookie, "grant_credit", &grant).await.status(), 200);
    let euros = form_with(
        &grant,
        &[("credit[amount]", "40.5"), ("credit[currency]", "EUR"), ("credit[expires_on]", "2099-12-31")],
    );
    assert_eq!(app.portal_post(&cookie, "grant_credit", &euros).await.status(), 200);
    let stored: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT kind, amount_minor, currency FROM credits ORDER BY created_at, id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, vec![("grant".into(), 25_000, "USD".into()), ("grant".into(), 4_050, "EUR".into())]);
    let page = tab().await;
    assert!(page.contains("$250.00") && page.contains("€40.50") && page.contains("Agreed with John"), "{page}");

    // A reversal needs a reason; of two reversals of one grant at once, one is refused.
    let usd: String =
        sqlx::query_scalar("SELECT id FROM credits WHERE currency = 'USD'").fetch_one(&app.db.pool).await.unwrap();
    let reverse = |reason: &'static str| {
        let (app, cookie, customer, usd) = (&app, cookie.clone(), customer.clone(), usd.clone());
        async move {
            let form = [("customer", customer.as_str()), ("credit", usd.as_str()), ("reason", reason)];
            app.portal_post(&cookie, "reverse_credit", &form).await
        }
    };
    let refused = reverse("").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains(r#""field":"reason","code":"required""#));
    let (first, second) = tokio::join!(reverse("Granted twice by mistake"), reverse("Wrong customer"));
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(reverse("Once more").await.status(), 409);
    let reversals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credits WHERE kind = 'reversal' AND reverses = $1")
        .bind(&usd)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reversals, 1);
    let page = tab().await;
    assert!(page.contains("Reversed") && page.contains("−$250.00"), "{page}");
    assert!(page.contains("Available: <strong>€40.50</strong>") && !page.contains("Available: <strong>$"), "{page}");

    // A grant is reached only through its own customer; a reversal is not itself reversed.
    let other = app.add_customer(&app.reseller, "Other Co", "Olga", "olga@other.test").await;
    let eur: String =
        sqlx::query_scalar("SELECT id FROM credits WHERE currency = 'EUR'").fetch_one(&app.db.pool).await.unwrap();
    let form = [("customer", other.as_str()), ("credit", eur.as_str()), ("reason", "Moved")];
    assert_eq!(app.portal_post(&cookie, "reverse_credit", &form).await.status(), 404);
    let reversal: String =
        sqlx::query_scalar("SELECT id FROM credits WHERE kind = 'reversal'").fetch_one(&app.db.pool).await.unwrap();
    let form = [("customer", customer.as_str()), ("credit", reversal.as_str()), ("reason", "Undo")];
    assert_eq!(app.portal_post(&cookie, "reverse_credit", &form).await.status(), 404);

    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(
        history.contains("Credit granted: $250.00")
            && history.contains("Credit reversed: $250.00 (Outage on 3 December)")
    );
}
