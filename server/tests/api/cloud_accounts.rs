//! The Cloud accounts tab (the guide's Part 3): adding an AWS account, each bad field refused by
//! name with nothing stored, and the Role ARN check against the simulated cloud, with each reason
//! a role can fail for.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(
    an_aws_account_is_added_with_its_own_external_id,
    each_bad_field_is_named_and_nothing_is_stored,
    the_role_check_says_why_a_role_fails,
    the_add_dialog_offers_the_accounts_the_organization_holds_for_the_customer,
);

const ACCOUNT: &str = "012345678901";

pub(crate) async fn customer_with_aws(app: &TestApp, cookie: &str) -> String {
    let id = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let on = app.portal_post(cookie, "set_cloud_providers", &[("customer", &id), ("enabled[aws]", "true")]).await;
    assert_eq!(on.status(), 200);
    id
}

pub(crate) async fn add(
    app: &TestApp,
    cookie: &str,
    customer: &str,
    provider: &str,
    number: &str,
    email: &str,
) -> reqwest::Response {
    let form = [
        ("customer", customer),
        ("account[provider]", provider),
        ("account[account_id]", number),
        ("account[email]", email),
    ];
    app.portal_post(cookie, "add_cloud_account", &form).await
}

/// (id, external id, version) of the customer's account with this number.
pub(crate) async fn stored(app: &TestApp, number: &str) -> (String, String, i64) {
    sqlx::query_as("SELECT id, external_id, version FROM cloud_accounts WHERE account_number = $1")
        .bind(number)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn an_aws_account_is_added_with_its_own_external_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = customer_with_aws(&app, &cookie).await;
    assert_eq!(add(&app, &cookie, &customer, "aws", "0123-4567-8901", "Root@Customer.com").await.status(), 200);
    assert_eq!(add(&app, &cookie, &customer, "aws", "210987654321", "root2@customer.com").await.status(), 200);
    let (_, first, version) = stored(&app, ACCOUNT).await;
    let (_, second, _) = stored(&app, "210987654321").await;
    assert_eq!(version, 1);
    assert!(first.len() >= 32 && first != second, "each account has its own ExternalId");

    // The tab lists it, Not Checked, with the owner's instructions naming the platform and the ExternalId.
    let page = app.page(&format!("/customers/{customer}/accounts"), Some(&cookie)).await.text().await.unwrap();
    for expected in [ACCOUNT, "root@customer.com", "Not Checked", "arn:aws:iam::111122223333:root", first.as_str()] {
        assert!(page.contains(expected), "{expected}");
    }
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(history.contains(&format!("Cloud account {ACCOUNT} added")));

    // An agent adds accounts too.
    let email = EmailAddress::parse("agent@reseller.test").unwrap();
    let password = "reseller agent passphrase";
    resellers::add_user(&app.db, &app.state.portico.hasher, &app.reseller, &email, "Agnes", Role::Agent, password)
        .await
        .unwrap();
    let agent = app.cookie_for("agent@reseller.test", "reseller agent passphrase").await;
    assert_eq!(add(&app, &agent, &customer, "aws", "333344445555", "root3@customer.com").await.status(), 200);
}

async fn each_bad_field_is_named_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = customer_with_aws(&app, &cookie).await;
    assert_eq!(add(&app, &cookie, &customer, "aws", ACCOUNT, "root@customer.com").await.status(), 200);
    let audit_before = app.count("audit_events").await;
    for (provider, number, email, field, code) in [
        ("aws", "", "root@customer.com", "account_id", "required"),
        ("aws", "12345678901", "root@customer.com", "account_id", "invalid_format"),
        ("aws", "12345678901x", "root@customer.com", "account_id", "invalid_format"),
        ("aws", "210987654321", "", "email", "required"),
        ("aws", "210987654321", "root at customer", "email", "invalid_format"),
        ("azure", "210987654321", "root@customer.com", "provider", "invalid_format"),
        ("ibm", "210987654321", "root@customer.com", "provider", "invalid_format"),
        ("aws", ACCOUNT, "other@customer.com", "account_id", "conflict"),
    ] {
        let response = add(&app, &cookie, &customer, provider, number, email).await;
        assert_eq!(response.status(), 422, "{field} {code}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("cloud_accounts").await, 1);
    assert_eq!(app.count("audit_events").await, audit_before);

    // With AWS off under Cloud providers, no AWS account can be added.
    let other = app.add_customer(&app.reseller, "No Cloud", "Nora", "nora@nocloud.test").await;
    let refused = add(&app, &cookie, &other, "aws", "210987654321", "root@nocloud.test").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(app.count("cloud_accounts").await, 1);
}

/// The Role ARN dialog's Check (or Save, `save_only`) at the account's current version:
/// (status, body).
async fn role_arn_dialog(
    app: &TestApp,
    cookie: &str,
    customer: &str,
    account: &str,
    arn: &str,
    save_only: bool,
) -> (u16, String) {
    let version = stored(app, ACCOUNT).await.2.to_string();
    let save_only = save_only.to_string();
    let form = [
        ("customer", customer),
        ("account", account),
        ("version", &version),
        ("role_arn", arn),
        ("save_only", &save_only),
    ];
    let response = app.portal_post(cookie, "check_role_arn", &form).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_role_check_says_why_a_role_fails(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = customer_with_aws(&app, &cookie).await;
    assert_eq!(add(&app, &cookie, &customer, "aws", ACCOUNT, "root@customer.com").await.status(), 200);
    let (account, _, _) = stored(&app, ACCOUNT).await;
    let check = |arn: &'static str| role_arn_dialog(&app, &cookie, &customer, &account, arn, false);

    // Malformed, or a role of another account: refused on the field, nothing stored.
    for (arn, code) in [
        ("", "required"),
        ("PorticoAccess", "invalid_format"),
        ("arn:aws:iam::012345678901:user/PorticoAccess", "invalid_format"),
        ("arn:aws:iam::999999999999:role/PorticoAccess", "mismatch"),
    ] {
        let (status, body) = check(arn).await;
        assert_eq!(status, 422, "{arn}");
        assert!(body.contains(&format!("\"field\":\"role_arn\",\"code\":\"{code}\"")), "{arn}: {body}");
    }
    assert_eq!(stored(&app, ACCOUNT).await.2, 1, "nothing stored");

    // The simulated cloud refuses a role that does not trust the platform…
    let (status, body) = check("arn:aws:iam::012345678901:role/PorticoNoTrust").await;
    assert_eq!(status, 200);
    assert!(body.contains("Invalid") && body.contains("cannot be assumed"), "{body}");
    // …and a role that trusts it without the ExternalId condition fails the check too.
    let (_, body) = check("arn:aws:iam::012345678901:role/ops/PorticoNoExternalId").await;
    assert!(body.contains("without this account's ExternalId"), "{body}");
    let (_, body) = check("arn:aws:iam::012345678901:role/PorticoAccess").await;
    assert!(body.contains("Valid"), "{body}");
    let (role_arn, result, version): (String, String, i64) =
        sqlx::query_as("SELECT role_arn, role_check, version FROM cloud_accounts WHERE id = $1")
            .bind(&account)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (role_arn.as_str(), result.as_str(), version),
        ("arn:aws:iam::012345678901:role/PorticoAccess", "valid", 4)
    );

    // A check against a version the page no longer has is refused.
    let stale = [
        ("customer", customer.as_str()),
        ("account", account.as_str()),
        ("version", "1"),
        ("role_arn", "arn:aws:iam::012345678901:role/Other"),
    ];
    assert_eq!(app.portal_post(&cookie, "check_role_arn", &stale).await.status(), 409);
    let page = app.page(&format!("/customers/{customer}/accounts"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("arn:aws:iam::012345678901:role/PorticoAccess") && page.contains(">Valid<"));
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(history.contains(&format!("Cloud account {ACCOUNT}: role checked (Invalid)")));
    assert!(history.contains(&format!("Cloud account {ACCOUNT}: role checked (Valid)")));

    // **Save** keeps a well-formed ARN as Not Checked without asking AWS (a NoTrust role would
    // have checked Invalid); a malformed one is refused on the field as by Check.
    let save = |arn: &'static str| role_arn_dialog(&app, &cookie, &customer, &account, arn, true);
    let (status, body) = save("arn:aws:iam::999999999999:role/PorticoAccess").await;
    assert_eq!(status, 422);
    assert!(body.contains("\"field\":\"role_arn\",\"code\":\"mismatch\""), "{body}");
    let (status, body) = save("arn:aws:iam::012345678901:role/PorticoNoTrust").await;
    assert_eq!((status, body.as_str()), (200, "\"NotChecked\""));
    let (role_arn, result): (String, String) =
        sqlx::query_as("SELECT role_arn, role_check FROM cloud_accounts WHERE id = $1")
            .bind(&account)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((role_arn.as_str(), result.as_str()), ("arn:aws:iam::012345678901:role/PorticoNoTrust", "not_checked"));
    let history = app.page(&format!("/customers/{customer}"), Some(&cookie)).await.text().await.unwrap();
    assert!(history.contains(&format!("Cloud account {ACCOUNT}: role saved (Not Checked)")), "audited");
}

/// The Add dialog's Account ID dropdown: (account number, name) of each account offered.
async fn known(app: &TestApp, cookie: &str, customer: &str) -> Vec<(String, String)> {
    let response = app.portal_post(cookie, "known_cloud_accounts", &[("customer", customer)]).await;
    assert_eq!(response.status(), 200);
    let accounts: Vec<serde_json::Value> = response.json().await.unwrap();
    accounts.iter().map(|a| (a["account_id"].as_str().unwrap().into(), a["name"].as_str().unwrap().into())).collect()
}

async fn the_add_dialog_offers_the_accounts_the_organization_holds_for_the_customer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let customer = customer_with_aws(&app, &cookie).await;
    assert_eq!(known(&app, &cookie, &customer).await, vec![], "an empty organization offers nothing");

    // The organization's accounts, by root e-mail: the contact's mailbox (tagged or in capitals),
    // a user's mailbox, someone else's, and a name that only starts like the contact's.
    let invitation = [
        ("customer", customer.as_str()),
        ("invitation[email]", "ops@customer.com"),
        ("invitation[name]", "Ops"),
        ("invitation[role]", "user"),
    ];
    assert_eq!(app.portal_post(&cookie, "invite_customer_user", &invitation).await.status(), 200);
    for (number, email, name) in [
        ("444455556666", "john+prod@customer.com", "Customer Prod"),
        ("555566667777", "JOHN@Customer.com", "Customer Main"),
        ("666677778888", "someone@else.test", "Someone Else"),
        ("777788889999", "johnny@customer.com", "Not John's"),
        ("888899990000", "ops+aws@customer.com", "Customer Ops"),
    ] {
        sqlx::query(
            "INSERT INTO simulated_organization_accounts (account_number, email, account_name, joined_at) \
             VALUES ($1, $2, $3, 1)",
        )
        .bind(number)
        .bind(email)
        .bind(name)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let offered =
        |pairs: &[(&str, &str)]| pairs.iter().map(|(n, a)| ((*n).to_owned(), (*a).to_owned())).collect::<Vec<_>>();
    assert_eq!(
        known(&app, &cookie, &customer).await,
        offered(&[
            ("444455556666", "Customer Prod"),
            ("555566667777", "Customer Main"),
            ("888899990000", "Customer Ops")
        ])
    );

    // Once on a customer's tab, an account is offered no more; another customer of the same
    // reseller is offered none of them.
    assert_eq!(add(&app, &cookie, &customer, "aws", "444455556666", "john+prod@customer.com").await.status(), 200);
    assert_eq!(
        known(&app, &cookie, &customer).await,
        offered(&[("555566667777", "Customer Main"), ("888899990000", "Customer Ops")])
    );
    let other = app.add_customer(&app.reseller, "Else Inc", "Sam", "sam@elsewhere.test").await;
    assert_eq!(known(&app, &cookie, &other).await, vec![]);
    // Asking changes nothing.
    assert_eq!(app.count("cloud_accounts").await, 1);
}
