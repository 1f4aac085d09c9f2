//! The Customers module: Add (the seed's Part 2), edit, suspend and reactivate, the audit log,
//! search, filter, sort, keyset pages and CSV export — each scoped to the caller's reseller.

use portico_domain::customers::{self, list};
use portico_domain::resellers::{self, Role};
use portico_shared::customer::{CustomerQuery, CustomerSort, CustomerStatus};
use portico_shared::email::EmailAddress;
use portico_shared::ids::{CustomerId, ResellerId};
use portico_shared::signup_options::SignupOptions;
use portico_shared::VariantArray;

use crate::helpers::{acting_for, both_backends, valid_signup, Backend, TestApp};

both_backends!(
    adding_a_customer_follows_the_seeds_part_2,
    each_bad_field_is_named_and_nothing_is_stored,
    editing_is_versioned_and_recorded_in_the_history,
    suspending_signs_users_out_and_reactivating_lets_them_back,
    search_filter_and_every_sort_page_through_all_customers_once,
    the_list_page_searches_and_the_export_is_safe_csv,
    another_reseller_sees_none_of_it,
);

/// The seed's Part 2 example, as the Add form posts it.
pub(crate) fn part_2_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("details[company_name]", "Internal-Legal"),
        ("details[contact_name]", "John Smith"),
        ("details[title]", "Manager"),
        ("details[email]", "john@customer.com"),
        ("details[phone]", "555-555-5555"),
        ("details[street_address]", "1234 Lane"),
        ("details[suite]", ""),
        ("details[city]", "Anytown"),
        ("details[state]", "Arizona"),
        ("details[zip]", "85001"),
        ("details[country]", "US"),
    ]
}

async fn add(app: &TestApp, reseller: &ResellerId, organization: &str, name: &str, email: &str) -> String {
    app.add_customer(reseller, organization, name, email).await
}

async fn row(app: &TestApp, id: &str) -> (String, String, i64, String) {
    sqlx::query_as("SELECT organization, status, version, source FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn adding_a_customer_follows_the_seeds_part_2(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let saved = app.portal_post(&cookie, "add_customer", &part_2_form()).await;
    assert!(saved.status().is_redirection() || saved.status().is_success(), "{}", saved.status());
    let id: String = sqlx::query_scalar("SELECT id FROM customers").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(saved.headers()["location"], format!("/customers/{id}"), "Save opens the new customer");
    assert_eq!(row(&app, &id).await, ("Internal-Legal".into(), "active".into(), 1, "portal".into()));

    let page = app.page(&format!("/customers/{id}"), Some(&cookie)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for shown in ["Internal-Legal", "john@customer.com", "Customer added", "Ada Admin", "Customer information"] {
        assert!(html.contains(shown), "{shown} missing");
    }
    for tab in
        ["Users", "Customer fields", "Cloud providers", "Cloud accounts", "Charges and discounts", "Subscriptions"]
    {
        assert!(html.contains(tab), "tab {tab} missing");
    }
    let nowhere = app.page(&format!("/customers/{id}/invoices-of-1999"), Some(&cookie)).await.text().await.unwrap();
    assert!(
        nowhere.contains("This customer&#x27;s page has no such tab.")
            || nowhere.contains("This customer's page has no such tab.")
    );

    // The same contact e-mail again is refused on the Email field.
    let again = app.portal_post(&cookie, "add_customer", &part_2_form()).await;
    assert_eq!(again.status(), 422);
    let body = again.text().await.unwrap();
    assert!(body.contains("\"field\":\"email\"") && body.contains("already has this contact e-mail"), "{body}");
    assert_eq!(app.count("customers").await, 1);
    assert_eq!(app.count("audit_events").await, 1);
}

async fn each_bad_field_is_named_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let cases: [(&str, &str, &str, &str); 12] = [
        ("company_name", "", "company_name", "required"),
        ("company_name", "<script>", "company_name", "invalid_characters"),
        ("contact_name", "  ", "contact_name", "required"),
        ("title", &"t".repeat(81), "title", "too_long"),
        ("email", "john at customer.com", "email", "invalid_format"),
        ("email", "", "email", "required"),
        ("phone", "12345", "phone", "invalid_format"),
        ("phone", "", "phone", "required"),
        ("country", "ZZ", "country", "unknown_country"),
        ("street_address", "1\u{7}", "street_address", "invalid_characters"),
        ("suite", &"s".repeat(41), "suite", "too_long"),
        ("zip", "1234", "zip", "invalid_format"),
    ];
    for (field, value, expected_field, code) in cases {
        let name = format!("details[{field}]");
        let form: Vec<(&str, &str)> =
            part_2_form().into_iter().map(|(k, v)| if k == name { (k, value) } else { (k, v) }).collect();
        let refused = app.portal_post(&cookie, "add_customer", &form).await;
        assert_eq!(refused.status(), 422, "{field}={value:?}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{expected_field}\"")), "{field}: {body}");
        assert!(body.contains(&format!("\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("customers").await, 0);
    assert_eq!(app.count("customer_search_terms").await, 0);
    assert_eq!(app.count("audit_events").await, 0);

    // Without a session nothing is added either.
    let anonymous = app.post_form("/portal/add_customer", &part_2_form()).await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(app.count("customers").await, 0);
}

async fn editing_is_versioned_and_recorded_in_the_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let id = add(&app, &app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let mut form = part_2_form();
    form.push(("customer", &id));
    form.push(("version", "1"));
    for pair in form.iter_mut() {
        if pair.0 == "details[title]" {
            pair.1 = "Director";
        }
    }
    let saved = app.portal_post(&cookie, "update_customer", &form).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    assert_eq!(row(&app, &id).await.2, 2);

    // The same form again was filled from version 1: someone changed it meanwhile.
    let stale = app.portal_post(&cookie, "update_customer", &form).await;
    assert_eq!(stale.status(), 409);
    assert!(stale.text().await.unwrap().contains("changed this customer meanwhile"));

    // A bad field on edit is refused and changes nothing.
    let mut bad = form.clone();
    for pair in bad.iter_mut() {
        match pair.0 {
            "version" => pair.1 = "2",
            "details[email]" => pair.1 = "nope",
            _ => {}
        }
    }
    assert_eq!(app.portal_post(&cookie, "update_customer", &bad).await.status(), 422);
    assert_eq!(row(&app, &id).await.2, 2);

    let history: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, before_json, after_json FROM audit_events WHERE customer_id = $1 ORDER BY at, id",
    )
    .bind(&id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].0, "Customer information changed");
    // Only what changed is kept: the title (the form also added the address).
    let before: serde_json::Value = serde_json::from_str(history[1].1.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(history[1].2.as_deref().unwrap()).unwrap();
    assert_eq!(before["Title"], "");
    assert_eq!(after["Title"], "Director");
    assert_eq!(after["City"], "Anytown");
    assert!(after.get("Organization").is_none(), "{after}");
    let html = app.page(&format!("/customers/{id}"), Some(&cookie)).await.text().await.unwrap();
    assert!(html.contains("Title: Director"), "the history shows the change");

    // Search follows the edit.
    let found = list::page(&app.db, &app.reseller, &query("director"), 10).await.unwrap();
    assert!(found.customers.is_empty(), "titles are not searched");
    let found = list::page(&app.db, &app.reseller, &query("smith"), 10).await.unwrap();
    assert_eq!(found.customers.len(), 1);
}

async fn suspending_signs_users_out_and_reactivating_lets_them_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let id = add(&app, &app.reseller, "Internal-Legal", "John Smith", "jane@legal.test").await;
    let suspended = app.portal_post(&cookie, "suspend_customer", &[("customer", &id), ("version", "1")]).await;
    assert_eq!(suspended.status(), 200);
    assert_eq!(row(&app, &id).await.1, "suspended");
    let again = app.portal_post(&cookie, "suspend_customer", &[("customer", &id), ("version", "2")]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("Only an active customer can be suspended."));
    let back = app.portal_post(&cookie, "reactivate_customer", &[("customer", &id), ("version", "2")]).await;
    assert_eq!(back.status(), 200);
    assert_eq!(row(&app, &id).await.1, "active");
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE customer_id = $1 ORDER BY at, id")
            .bind(&id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(actions, ["Customer added", "Customer suspended", "Customer reactivated"]);

    // A widget customer who is signed in is signed out by a suspension, and cannot sign in again.
    let options = SignupOptions { require_email_verification: false, auto_approve: true, ..SignupOptions::default() };
    app.set_signup_options(options).await;
    let signup = valid_signup();
    assert_eq!(app.post_signup(&app.widget_key, &signup, None).await.status(), 202);
    let widget_customer: String =
        sqlx::query_scalar("SELECT customer_id FROM customer_users").fetch_one(&app.db.pool).await.unwrap();
    let (email, password) = (signup["email"].as_str().unwrap(), signup["password"].as_str().unwrap());
    let login = app.widget_login(&app.widget_key, email, password).await;
    assert_eq!(login.status(), 201, "{}", login.text().await.unwrap());
    assert_eq!(app.count("widget_sessions").await, 1);
    let suspended =
        app.portal_post(&cookie, "suspend_customer", &[("customer", &widget_customer), ("version", "1")]).await;
    assert_eq!(suspended.status(), 200);
    assert_eq!(app.count("widget_sessions").await, 0);
    let refused = app.widget_login(&app.widget_key, email, password).await;
    assert_eq!(refused.status(), 403);
}

fn query(q: &str) -> CustomerQuery {
    CustomerQuery { q: q.into(), ..CustomerQuery::default() }
}

async fn search_filter_and_every_sort_page_through_all_customers_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let people = [
        ("Acme Corp", "Ann Lee", "ann@acme.test"),
        ("acme labs", "Bo Chen", "bo@labs.test"),
        ("Zeta Ltd", "Cy Acmeson", "cy@zeta.test"),
        ("Beta GmbH", "Di Ngo", "di@beta.test"),
        ("Ærø Værft", "Ed Lund", "ed@aero.test"),
        ("Gamma Inc", "Fa Smith", "fa@gamma.test"),
        ("Delta Co", "Gu Smith", "gu@delta.test"),
    ];
    let mut ids = Vec::new();
    for (organization, name, email) in people {
        ids.push(add(&app, &app.reseller, organization, name, email).await);
    }
    let names = |list: &portico_shared::customer::CustomerList| -> Vec<String> {
        list.customers.iter().map(|c| c.organization.clone()).collect()
    };

    // Word prefixes of organization, name and e-mail; every word must match.
    assert_eq!(names(&list::page(&app.db, &app.reseller, &query("acm"), 10).await.unwrap()).len(), 3);
    assert_eq!(
        names(&list::page(&app.db, &app.reseller, &query("ACME lab"), 10).await.unwrap()),
        vec!["acme labs".to_owned()]
    );
    assert_eq!(
        names(&list::page(&app.db, &app.reseller, &query("gu@delta.test"), 10).await.unwrap()),
        vec!["Delta Co".to_owned()]
    );
    assert_eq!(names(&list::page(&app.db, &app.reseller, &query("værft"), 10).await.unwrap()), vec!["Ærø Værft"]);
    assert!(list::page(&app.db, &app.reseller, &query("cme"), 10).await.unwrap().customers.is_empty());
    assert!(list::page(&app.db, &app.reseller, &query("%"), 10).await.unwrap().customers.len() == 7, "no words");
    // Search words are not patterns: `_` and `%` are separators, never wildcards.
    assert!(list::page(&app.db, &app.reseller, &query("_mith"), 10).await.unwrap().customers.is_empty());

    // Status filter.
    let beta = CustomerId(ids[3].clone());
    let user = acting_for(&app.reseller);
    let user = user.reseller_user().unwrap();
    customers::set_status(&app.state.portico, user, &beta, 1, customers::StatusChange::Suspend).await.unwrap();
    let suspended = CustomerQuery { status: Some(CustomerStatus::Suspended), ..CustomerQuery::default() };
    assert_eq!(names(&list::page(&app.db, &app.reseller, &suspended, 10).await.unwrap()), vec!["Beta GmbH"]);
    // The search index follows the status change too.
    let searched = CustomerQuery { q: "beta".into(), ..suspended.clone() };
    assert_eq!(names(&list::page(&app.db, &app.reseller, &searched, 10).await.unwrap()), vec!["Beta GmbH"]);
    let active = CustomerQuery { status: Some(CustomerStatus::Active), ..searched };
    assert!(list::page(&app.db, &app.reseller, &active, 10).await.unwrap().customers.is_empty());

    // Every sort, two rows a page: each customer exactly once, in order.
    for sort in CustomerSort::VARIANTS.iter().copied() {
        let mut seen = Vec::new();
        let mut query = CustomerQuery { sort, ..CustomerQuery::default() };
        loop {
            let page = list::page(&app.db, &app.reseller, &query, 2).await.unwrap();
            assert!(page.customers.len() <= 2);
            seen.extend(page.customers.iter().map(|c| (c.organization.clone(), c.created_at, c.id.0.clone())));
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen.len(), 7, "{sort:?}: {seen:?}");
        let mut expected = seen.clone();
        match sort {
            CustomerSort::Newest => expected.sort_by(|a, b| (b.1, &b.2).cmp(&(a.1, &a.2))),
            CustomerSort::Oldest => expected.sort_by(|a, b| (a.1, &a.2).cmp(&(b.1, &b.2))),
            CustomerSort::Organization => expected.sort_by_key(|a| (a.0.to_lowercase(), a.2.clone())),
        }
        assert_eq!(seen, expected, "{sort:?}");
    }

    // A search pages the same way: "smith" matches two customers, one a page.
    for sort in CustomerSort::VARIANTS.iter().copied() {
        let first = CustomerQuery { q: "smith".into(), sort, ..CustomerQuery::default() };
        let page_one = list::page(&app.db, &app.reseller, &first, 1).await.unwrap();
        let second = CustomerQuery { after: page_one.next.clone(), ..first.clone() };
        let page_two = list::page(&app.db, &app.reseller, &second, 1).await.unwrap();
        assert!(page_two.next.is_none(), "{sort:?}");
        let mut both = names(&page_one);
        both.extend(names(&page_two));
        both.sort();
        assert_eq!(both, vec!["Delta Co", "Gamma Inc"], "{sort:?}");
    }

    // A cursor edited by hand starts the list over rather than failing.
    let odd = CustomerQuery { after: Some("garbage".into()), ..CustomerQuery::default() };
    assert_eq!(list::page(&app.db, &app.reseller, &odd, 50).await.unwrap().customers.len(), 7);
}

async fn the_list_page_searches_and_the_export_is_safe_csv(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    add(&app, &app.reseller, "=HYPERLINK(\"http://evil.test\")", "Mal Lory", "mal@evil.test").await;
    add(&app, &app.reseller, "Acme, \"The\" Corp", "Ann Lee", "ann@acme.test").await;

    let html = app.page("/customers?q=acme", Some(&cookie)).await.text().await.unwrap();
    assert!(html.contains("Acme, &quot;The&quot; Corp") || html.contains("Acme, \"The\" Corp"), "{html}");
    assert!(!html.contains("Mal Lory"));
    let none = app.page("/customers?q=nobody", Some(&cookie)).await.text().await.unwrap();
    assert!(none.contains("No customers match."));

    let csv = app.page("/portal/customers.csv?sort=organization", Some(&cookie)).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("customers.csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Organization,Name,Email,Status,Created (UTC),Email confirmed");
    assert!(lines[1].starts_with("\"'=HYPERLINK(\"\"http://evil.test\"\")\",\"Mal Lory\""), "{}", lines[1]);
    assert!(
        lines[2].starts_with("\"Acme, \"\"The\"\" Corp\",\"Ann Lee\",\"ann@acme.test\",\"Active\""),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 3);
    let filtered = app.page("/portal/customers.csv?q=ann", Some(&cookie)).await.text().await.unwrap();
    assert_eq!(filtered.lines().count(), 2);

    assert_eq!(app.page("/portal/customers.csv", None).await.status(), 401);
}

async fn another_reseller_sees_none_of_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mine = add(&app, &app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let other = resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let theirs = add(&app, &other, "Other Org", "Olga Other", "olga@other.test").await;
    // The same contact e-mail may be a customer of two resellers.
    add(&app, &other, "Internal-Legal Two", "John Smith", "john@customer.com").await;
    let email = EmailAddress::parse("admin@two.test").unwrap();
    resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &other,
        &email,
        "Two",
        Role::Admin,
        "second reseller passphrase",
    )
    .await
    .unwrap();
    let cookie = app.cookie_for("admin@two.test", "second reseller passphrase").await;

    assert_eq!(app.page(&format!("/customers/{mine}"), Some(&cookie)).await.status(), 404);
    let version = [("customer", mine.as_str()), ("version", "1")];
    assert_eq!(app.portal_post(&cookie, "suspend_customer", &version).await.status(), 404);
    let mut form = part_2_form();
    form.extend(version);
    assert_eq!(app.portal_post(&cookie, "update_customer", &form).await.status(), 404);
    assert_eq!(row(&app, &mine).await, ("Internal-Legal".into(), "active".into(), 1, "portal".into()));

    let html = app.page("/customers?q=john", Some(&cookie)).await.text().await.unwrap();
    assert!(html.contains("Internal-Legal Two") && !html.contains(&format!("/customers/{mine}")));
    let csv = app.page("/portal/customers.csv", Some(&cookie)).await.text().await.unwrap();
    assert!(csv.contains("Other Org") && !csv.contains("\"Internal-Legal\""), "{csv}");
    assert!(app.page(&format!("/customers/{theirs}"), Some(&cookie)).await.status() == 200);
}
