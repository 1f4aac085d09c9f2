//! Tenant isolation: every portal route, called by each role of one reseller with another
//! reseller's ids, is refused and changes nothing; anonymous callers are refused too. The test
//! fails when a server function is added without being placed in this matrix.

use portico_domain::resellers::{self, Role};
use portico_domain::widget::keys;
use portico_shared::email::EmailAddress;
use portico_shared::ids::ResellerId;
use serde_json::json;

use crate::helpers::{acting_for, admin_of, both_backends, valid_signup, Backend, TestApp};

both_backends!(every_portal_route_refuses_another_resellers_ids);

/// Server functions that act only on the caller's own reseller or team, or on a one-time link's
/// holder: they take no id to misuse. The platform's functions are refused to reseller roles
/// (tested in `team`).
const OWN_SCOPE: [&str; 40] = [
    "sign_in",
    "pending_second_step",
    "sign_in_code",
    "account_page",
    "begin_two_step",
    "confirm_two_step",
    "replace_recovery_codes",
    "turn_off_two_step",
    "require_two_step",
    "sign_out",
    "current_user",
    "customers_page",
    "add_customer",
    "history_page",
    "team_page",
    "invite",
    "resellers_page",
    "create_reseller",
    "invitation",
    "accept_invitation",
    "request_password_reset",
    "password_reset_link",
    "reset_password",
    "widget_settings_page",
    "save_widget_settings",
    "save_signup_options",
    "rotate_widget_key",
    "customer_fields_page",
    "define_customer_field",
    "test_drives_page",
    "notifications_page",
    "mark_notifications_read",
    "tax_rates_page",
    "products_page",
    "usage_page",
    "upload_usage",
    "billing_page",
    "close_month",
    "save_auto_close",
    "home_billing",
];

/// Billing functions a platform admin may call for the platform's own imports, where a
/// reseller's import is not found.
const PLATFORM_BILLING: [&str; 1] = ["usage_unmatched"];

/// The Cloud Support console, which works across resellers: the platform's staff only.
const PLATFORM_WIDE: [(&str, &[(&str, &str)]); 2] = [
    ("cloud_support_page", &[("filter", "all")]),
    ("decide_cloud_request", &[("account", "B_ACCOUNT"), ("version", "1"), ("action", "approve"), ("note", "")]),
];

/// Team changes, which act on the caller's own team (a reseller's, or the platform's).
const TEAM: [&str; 5] =
    ["resend_invitation", "revoke_invitation", "set_member_role", "set_member_disabled", "reset_two_step"];

/// Team changes: an agent is refused before any id is looked at.
const ADMIN_ONLY: [&str; 13] = [
    "reset_two_step",
    "resend_invitation",
    "revoke_invitation",
    "set_member_role",
    "set_member_disabled",
    "retire_customer_field",
    "save_test_drive",
    "retire_test_drive",
    "save_tax_rate",
    "remove_tax_rate",
    "save_product",
    "remove_product",
    "usage_unmatched",
];

async fn add(app: &TestApp, reseller: &ResellerId, organization: &str, email: &str) -> String {
    app.add_customer(reseller, organization, "Olga Other", email).await
}

/// Everything stored about reseller B that a leak could change, as text.
async fn state_of(app: &TestApp, reseller: &ResellerId) -> String {
    let customers: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT organization, status, version FROM customers WHERE reseller_id = $1 ORDER BY organization",
    )
    .bind(reseller.as_str())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM audit_events WHERE reseller_id = $1), \
         (SELECT COUNT(*) FROM customer_cloud_providers p JOIN customers c ON c.id = p.customer_id WHERE c.reseller_id = $1), \
         (SELECT COUNT(*) FROM customer_options o JOIN customers c ON c.id = o.customer_id WHERE c.reseller_id = $1), \
         (SELECT COUNT(*) FROM reseller_signup_options WHERE reseller_id = $1)",
    )
    .bind(reseller.as_str())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let users: Vec<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT email, role, disabled_at FROM customer_users WHERE reseller_id = $1 ORDER BY email")
            .bind(reseller.as_str())
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let team: Vec<(String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT email, role, disabled_at, version FROM reseller_users WHERE reseller_id = $1 ORDER BY email",
    )
    .bind(reseller.as_str())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let invitations: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT email, token_hash, expires_at, revoked_at FROM portal_invitations WHERE reseller_id = $1 ORDER BY email",
    )
    .bind(reseller.as_str())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let fields: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT label, retired_at FROM customer_field_definitions WHERE reseller_id = $1 ORDER BY label",
    )
    .bind(reseller.as_str())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let values: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_field_values v JOIN customers c ON c.id = v.customer_id WHERE c.reseller_id = $1",
    )
    .bind(reseller.as_str())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let drives: Vec<(String, i64, Option<i64>)> =
        sqlx::query_as("SELECT name, version, retired_at FROM test_drives WHERE reseller_id = $1 ORDER BY name")
            .bind(reseller.as_str())
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let accounts: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT account_number, role_arn, role_check, version FROM cloud_accounts WHERE reseller_id = $1 \
         ORDER BY account_number",
    )
    .bind(reseller.as_str())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    // The commercial settings: each table's rows as text, in a stable order.
    let mut commerce = Vec::new();
    for sql in [
        "SELECT description || ':' || version || ':' || COALESCE(removed_at, 0) FROM charge_rules WHERE reseller_id = $1",
        "SELECT name || ':' || rate || ':' || version || ':' || COALESCE(retired_on, '') FROM tax_rates WHERE reseller_id = $1",
        "SELECT exemption || ':' || version FROM customer_tax_profiles WHERE reseller_id = $1",
        "SELECT kind || ':' || amount_minor FROM credits WHERE reseller_id = $1",
        "SELECT sku || ':' || unit_price_minor || ':' || version FROM products WHERE reseller_id = $1",
        "SELECT status || ':' || quantity || ':' || version FROM subscriptions WHERE reseller_id = $1",
    ] {
        let mut rows: Vec<String> =
            sqlx::query_scalar(sql).bind(reseller.as_str()).fetch_all(&app.db.pool).await.unwrap();
        rows.sort();
        commerce.push(rows);
    }
    // What a leak would leave behind elsewhere: jobs queued, links issued, notices, account
    // events, sessions, test drives launched, imports and invoices.
    let traces: (i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM jobs), \
         (SELECT COUNT(*) FROM email_tokens t JOIN customer_users u ON u.id = t.customer_user_id \
          WHERE u.reseller_id = $1), \
         (SELECT COUNT(*) FROM notifications WHERE reseller_id = $1), \
         (SELECT COUNT(*) FROM cloud_account_events e JOIN cloud_accounts a ON a.id = e.account_id \
          WHERE a.reseller_id = $1), \
         (SELECT COUNT(*) FROM widget_sessions WHERE reseller_id = $1), \
         (SELECT COUNT(*) FROM test_drive_instances WHERE reseller_id = $1), \
         (SELECT COUNT(*) FROM usage_imports WHERE reseller_id = $1), \
         (SELECT COUNT(*) FROM invoices WHERE reseller_id = $1)",
    )
    .bind(reseller.as_str())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    format!(
        "{customers:?} {counts:?} {users:?} {team:?} {invitations:?} {fields:?} {values} {drives:?} {accounts:?} \
         {commerce:?} {traces:?}"
    )
}

async fn every_portal_route_refuses_another_resellers_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Reseller A is the test's own, with an admin and an agent.
    let agent = EmailAddress::parse("agent@reseller.test").unwrap();
    resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &app.reseller,
        &agent,
        "Agent",
        Role::Agent,
        "reseller agent passphrase",
    )
    .await
    .unwrap();
    let mine = add(&app, &app.reseller, "Reseller One Customer", "mine@one.test").await;
    // Reseller B, with an active customer and a signup waiting for approval.
    let b = resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let (_, b_key) = keys::create(&app.db.pool, &b, None).await.unwrap();
    let active = add(&app, &b, "Secret Two Customer", "olga@two.test").await;
    assert_eq!(app.post_signup(&b_key, &valid_signup(), None).await.status(), 202);
    let pending: String =
        sqlx::query_scalar("SELECT id FROM customers WHERE reseller_id = $1 AND status = 'pending_approval'")
            .bind(b.as_str())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let pending_user: String = sqlx::query_scalar("SELECT id FROM customer_users WHERE customer_id = $1")
        .bind(&pending)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let b_admin_email = EmailAddress::parse("boss@two.test").unwrap();
    let b_admin = resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &b,
        &b_admin_email,
        "Bo",
        Role::Admin,
        "reseller two passphrase",
    )
    .await
    .unwrap();
    let (portico, b_staff) = (&app.state.portico, acting_for(&b));
    let b_invitation = {
        let invitation = portico_shared::staff::InvitationInput {
            email: "new@two.test".into(),
            name: "Nina".into(),
            role: "agent".into(),
        };
        let admin = b_staff.team_admin().unwrap();
        portico_domain::staff::invitations::invite(portico, &admin, &invitation).await.unwrap().id.0
    };
    let b_field = {
        let field = portico_shared::custom_fields::DefinitionInput {
            label: "Secret tier".into(),
            kind: "text".into(),
            required: false,
            choices: String::new(),
        };
        portico_domain::customers::fields::define(portico, &admin_of(&b), &field).await.unwrap().0
    };
    let b_drive = {
        let drive = portico_shared::test_drives::TestDriveInput {
            name: "Secret lab".into(),
            description: String::new(),
            duration_minutes: "60".into(),
            launch_limit: "1".into(),
            provider: "aws".into(),
        };
        portico_domain::test_drives::save(portico, &admin_of(&b), None, 0, &drive).await.unwrap().0
    };
    let b_account = {
        let customer = portico_shared::ids::CustomerId(active.clone());
        let aws = std::collections::BTreeSet::from([portico_shared::ids::ProviderId("aws".to_owned())]);
        let user = b_staff.reseller_user().unwrap();
        portico_domain::customers::settings::set_providers(portico, user, &customer, &aws).await.unwrap();
        let account = portico_shared::aws::CloudAccountInput {
            provider: "aws".into(),
            account_id: "111100002222".into(),
            email: "root@two.test".into(),
        };
        portico_domain::cloud::accounts::add(portico, user, &customer, &account).await.unwrap().0
    };
    let b_customer = portico_shared::ids::CustomerId(active.clone());
    let b_user = b_staff.reseller_user().unwrap();
    let b_rule = {
        let rule = portico_shared::charges::ChargeRuleInput {
            kind: "charge".into(),
            calculation: "percent".into(),
            percent: "10".into(),
            base: "customer_cost".into(),
            applies_to: "customer".into(),
            recurrence: "monthly".into(),
            start_month: "2026-12".into(),
            description: "Secret fee".into(),
            currency: "USD".into(),
            ..Default::default()
        };
        portico_domain::commerce::charges::add(portico, b_user, &b_customer, &rule).await.unwrap().0
    };
    let b_rate = {
        let rate = portico_shared::taxes::TaxRateInput {
            name: "Secret VAT".into(),
            country: "DE".into(),
            rate: "19".into(),
            valid_from: "2026-01-01".into(),
            ..Default::default()
        };
        let id = portico_domain::commerce::taxes::add_rate(portico, &admin_of(&b), &rate).await.unwrap();
        let profile = portico_shared::taxes::TaxProfileInput {
            rates: [(id.to_string(), "true".to_owned())].into(),
            exemption: "none".into(),
            ..Default::default()
        };
        portico_domain::commerce::taxes::save_profile(portico, b_user, &b_customer, 0, &profile).await.unwrap();
        id.0
    };
    let b_credit = {
        let grant = portico_shared::credits::GrantInput {
            amount: "99.00".into(),
            currency: "USD".into(),
            reason: "Secret goodwill".into(),
            ..Default::default()
        };
        portico_domain::commerce::credits::grant(portico, b_user, &b_customer, &grant).await.unwrap().0
    };
    let (b_product, b_subscription) = {
        let product = portico_shared::subscriptions::ProductInput {
            name: "Secret licence".into(),
            sku: "SECRET-1".into(),
            unit_price: "10.00".into(),
            currency: "USD".into(),
            billing_period: "monthly".into(),
            term_months: String::new(),
        };
        let product = portico_domain::commerce::products::add(portico, &admin_of(&b), &product).await.unwrap();
        let subscription = portico_shared::subscriptions::SubscriptionInput {
            product: product.to_string(),
            quantity: "3".into(),
            start_date: "2026-01-01".into(),
            ..Default::default()
        };
        let id =
            portico_domain::commerce::subscriptions::add(portico, b_user, &b_customer, &subscription).await.unwrap();
        (product.0, id.0)
    };
    // A usage report B imported, with a row no account of B's claimed.
    let b_import = "usi_0000b".to_owned();
    sqlx::query(
        "INSERT INTO usage_imports (id, reseller_id, source, file_name, stored_path, sha256, status, bytes_total, \
         actor_label, created_at) VALUES ($1, $2, 'upload', 'secret-two.csv', '/nonexistent', '', 'done', 1, 'Bo', 1)",
    )
    .bind(&b_import)
    .bind(b.as_str())
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO usage_unmatched (import_id, provider, account, period, currency, row_count, seller_cost, reason) \
         VALUES ($1, 'aws', '111100002222', '2026-11', 'USD', 3, '9.99', 'No linked cloud account has this account id.')",
    )
    .bind(&b_import)
    .execute(&app.db.pool)
    .await
    .unwrap();
    // An invoice B issued.
    let b_invoice = "ivc_0000b".to_owned();
    sqlx::query(
        "INSERT INTO invoices (id, reseller_id, customer_id, month, currency, number, subtotal_minor, tax_minor, \
         credits_minor, total_minor, notes, bill_to, contact_email, issued_at) \
         VALUES ($1, $2, $3, '2026-10', 'USD', 1, 100, 0, 0, 100, '', 'Secret Two Customer', 'olga@two.test', 1)",
    )
    .bind(&b_invoice)
    .bind(b.as_str())
    .bind(&active)
    .execute(&app.db.pool)
    .await
    .unwrap();
    // A notice to B's team, and a widget session of B's customer's user.
    sqlx::query(
        "INSERT INTO notifications (id, reseller_id, at, subject, body, link) \
         VALUES ('ntf_0000b', $1, 1, 'Secret notice', 'Secret Two', '/')",
    )
    .bind(b.as_str())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let b_user_id: String = sqlx::query_scalar("SELECT id FROM customer_users WHERE reseller_id = $1 LIMIT 1")
        .bind(b.as_str())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO widget_sessions (token_hash, customer_user_id, reseller_id, created_at, last_seen_at) \
         VALUES ('secret-two-session', $1, $2, 1, 1)",
    )
    .bind(&b_user_id)
    .bind(b.as_str())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let before = state_of(&app, &b).await;

    let with = |customer: &str, rest: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        let mut form = vec![("customer", customer.to_owned())];
        form.extend(rest.iter().map(|(k, v)| (*k, (*v).to_owned())));
        form
    };
    let details: Vec<(&'static str, &str)> = vec![
        ("version", "1"),
        ("details[company_name]", "Hijacked"),
        ("details[contact_name]", "Mallory"),
        ("details[email]", "mallory@evil.test"),
        ("details[phone]", "555-555-5555"),
        ("details[country]", "US"),
    ];
    let calls: Vec<(&str, Vec<(&'static str, String)>)> = vec![
        ("customer_page", with(&active, &[])),
        ("approve_signup", with(&pending, &[("version", "1")])),
        ("reject_signup", with(&pending, &[("version", "1"), ("reason", "Taken over")])),
        ("update_customer", with(&active, &details)),
        ("suspend_customer", with(&active, &[("version", "1")])),
        ("reactivate_customer", with(&active, &[("version", "1")])),
        ("set_cloud_providers", with(&active, &[("enabled[aws]", "true")])),
        ("save_customer_options", with(&active, &[("version", "0"), ("options[launch_limit_override]", "5")])),
        ("set_customer_user_role", with(&pending, &[("user", &pending_user), ("version", "1"), ("role", "user")])),
        (
            "set_customer_user_disabled",
            with(&pending, &[("user", &pending_user), ("version", "1"), ("disabled", "true")]),
        ),
        (
            "invite_customer_user",
            with(
                &active,
                &[("invitation[email]", "mole@evil.test"), ("invitation[name]", "Mole"), ("invitation[role]", "admin")],
            ),
        ),
        ("resend_customer_invitation", with(&pending, &[("user", &pending_user)])),
        (
            "add_cloud_account",
            with(
                &active,
                &[
                    ("account[provider]", "aws"),
                    ("account[account_id]", "999988887777"),
                    ("account[email]", "root@evil.test"),
                ],
            ),
        ),
        ("known_cloud_accounts", with(&active, &[])),
        (
            "check_role_arn",
            with(
                &active,
                &[
                    ("account", &b_account),
                    ("version", "1"),
                    ("role_arn", "arn:aws:iam::111100002222:role/PorticoAccess"),
                ],
            ),
        ),
        (
            "change_cloud_link",
            with(&active, &[("account", &b_account), ("version", "1"), ("action", "request"), ("note", "")]),
        ),
        ("set_support_plan", with(&active, &[("provider", "aws"), ("plan", "aws-business")])),
        (
            "request_new_cloud_account",
            with(
                &active,
                &[
                    ("request[provider]", "aws"),
                    ("request[email]", "new@evil.test"),
                    ("request[account_name]", "Hijack"),
                    ("request[support_plan]", "aws-basic"),
                ],
            ),
        ),
        (
            "save_charge_rule",
            with(
                &active,
                &[
                    ("id", &b_rule),
                    ("version", "1"),
                    ("rule[kind]", "discount"),
                    ("rule[calculation]", "percent"),
                    ("rule[percent]", "100"),
                    ("rule[base]", "customer_cost"),
                    ("rule[applies_to]", "customer"),
                    ("rule[recurrence]", "monthly"),
                    ("rule[start_month]", "2026-12"),
                    ("rule[description]", "Hijacked"),
                    ("rule[currency]", "USD"),
                ],
            ),
        ),
        ("remove_charge_rule", with(&active, &[("id", &b_rule), ("version", "1")])),
        (
            "save_tax_profile",
            with(&active, &[("version", "1"), ("profile[exemption]", "reverse_charge"), ("profile[tax_id]", "X1")]),
        ),
        (
            "grant_credit",
            with(&active, &[("credit[amount]", "1000"), ("credit[currency]", "USD"), ("credit[reason]", "Hijack")]),
        ),
        ("reverse_credit", with(&active, &[("credit", &b_credit), ("reason", "Hijack")])),
        (
            "save_subscription",
            with(
                &active,
                &[
                    ("id", &b_subscription),
                    ("version", "1"),
                    ("subscription[quantity]", "999"),
                    ("subscription[auto_renew]", ""),
                ],
            ),
        ),
        ("change_subscription", with(&active, &[("id", &b_subscription), ("version", "1"), ("step", "suspend")])),
        (
            "save_tax_rate",
            vec![
                ("id", b_rate.clone()),
                ("version", "2".into()),
                ("rate[name]", "Hijacked".into()),
                ("rate[country]", "DE".into()),
                ("rate[rate]", "0".into()),
                ("rate[valid_from]", "2026-01-01".into()),
            ],
        ),
        ("remove_tax_rate", vec![("id", b_rate.clone()), ("version", "2".into())]),
        (
            "save_product",
            vec![
                ("id", b_product.clone()),
                ("version", "2".into()),
                ("product[name]", "Hijacked".into()),
                ("product[sku]", "SECRET-1".into()),
                ("product[unit_price]", "0".into()),
                ("product[currency]", "USD".into()),
                ("product[billing_period]", "monthly".into()),
            ],
        ),
        ("remove_product", vec![("id", b_product.clone()), ("version", "2".into())]),
        ("retire_customer_field", vec![("field", b_field.clone())]),
        ("retire_test_drive", vec![("drive", b_drive.clone())]),
        (
            "save_test_drive",
            vec![
                ("id", b_drive.clone()),
                ("version", "1".into()),
                ("drive[name]", "Hijacked".into()),
                ("drive[duration_minutes]", "60".into()),
                ("drive[launch_limit]", "1".into()),
                ("drive[provider]", "aws".into()),
            ],
        ),
        // The form key names B's field; the matrix's keys are static, so this one is leaked (a test).
        (
            "save_customer_field_values",
            with(&active, &[(Box::leak(format!("values[{b_field}]").into_boxed_str()), "Hijacked")]),
        ),
        ("resend_invitation", vec![("invitation", b_invitation.clone())]),
        ("revoke_invitation", vec![("invitation", b_invitation.clone())]),
        ("set_member_role", vec![("member", b_admin.0.clone()), ("version", "1".into()), ("role", "agent".into())]),
        ("reset_two_step", vec![("member", b_admin.0.clone())]),
        ("customer_bills", with(&active, &[("month", "")])),
        ("usage_unmatched", vec![("import", b_import.clone())]),
        ("invoice_page", vec![("invoice", b_invoice.clone())]),
        (
            "set_member_disabled",
            vec![("member", b_admin.0.clone()), ("version", "1".into()), ("disabled", "true".into())],
        ),
    ];

    // Every server function is either in the matrix or acts only on the caller's own reseller.
    let registered = portico_server::api::docs::portal_functions();
    for endpoint in &registered {
        let covered = calls.iter().any(|(name, _)| name == endpoint)
            || OWN_SCOPE.contains(&endpoint.as_str())
            || PLATFORM_WIDE.iter().any(|(name, _)| name == endpoint);
        assert!(covered, "server function {endpoint} is not in the isolation matrix");
    }

    // The platform's staff have no reseller: reseller functions refuse them, and the team
    // functions act on the platform's own team, where B's ids are not found.
    for (email, role) in [("root@platform.test", Role::PlatformAdmin), ("support@platform.test", Role::CloudSupport)] {
        let email = EmailAddress::parse(email).unwrap();
        resellers::add_platform_user(
            &app.db,
            &app.state.portico.hasher,
            &email,
            "Staff",
            role,
            "platform staff passphrase",
        )
        .await
        .unwrap();
    }
    let callers = [
        ("admin", Some(app.session_cookie().await)),
        ("agent", Some(app.cookie_for("agent@reseller.test", "reseller agent passphrase").await)),
        ("platform admin", Some(app.cookie_for("root@platform.test", "platform staff passphrase").await)),
        ("cloud support", Some(app.cookie_for("support@platform.test", "platform staff passphrase").await)),
        ("anonymous", None),
    ];
    let platform = |role: &str| role.starts_with("platform") || role == "cloud support";
    let pages = [
        format!("/customers/{active}"),
        format!("/customers/{active}/providers"),
        format!("/customers/{active}/accounts"),
        format!("/customers/{active}/charges"),
        format!("/customers/{active}/taxes"),
        format!("/customers/{active}/credits"),
        format!("/customers/{active}/subscriptions"),
        format!("/customers/{active}/bills"),
        format!("/invoices/{b_invoice}"),
        format!("/customers/{pending}"),
    ];
    let mut requests = 0;
    for (role, cookie) in &callers {
        for (endpoint, form) in &calls {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = match cookie {
                Some(cookie) => app.portal_post(cookie, endpoint, &form).await,
                None => app.post_form(&format!("/portal/{endpoint}"), &form).await,
            };
            let expected = match cookie {
                None => 401,
                Some(_)
                    if *role == "platform admin"
                        && (TEAM.contains(endpoint) || PLATFORM_BILLING.contains(endpoint)) =>
                {
                    404
                }
                Some(_) if *role == "cloud support" && PLATFORM_BILLING.contains(endpoint) => 403,
                Some(_) if platform(role) => 403,
                Some(_) if *role == "agent" && ADMIN_ONLY.contains(endpoint) => 403,
                Some(_) => 404,
            };
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(status, expected, "{role} {endpoint}: {body}");
            assert!(
                !body.contains("Secret Two") && !body.contains("olga@two.test") && !body.contains("two.test"),
                "{role} {endpoint} leaked: {body}"
            );
            requests += 1;
        }
        for (endpoint, form) in PLATFORM_WIDE.iter().filter(|_| !platform(role)) {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (*k, if *v == "B_ACCOUNT" { b_account.as_str() } else { *v })).collect();
            let response = match cookie {
                Some(cookie) => app.portal_post(cookie, endpoint, &form).await,
                None => app.post_form(&format!("/portal/{endpoint}"), &form).await,
            };
            let expected = if cookie.is_some() { 403 } else { 401 };
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(status, expected, "{role} {endpoint}: {body}");
            assert!(!body.contains("two.test") && !body.contains("111100002222"), "{role} {endpoint} leaked: {body}");
            requests += 1;
        }
        for page in &pages {
            let response = app.page(page, cookie.as_deref()).await;
            let expected = match cookie {
                None => 302,
                Some(_) if platform(role) => 403,
                Some(_) => 404,
            };
            assert_eq!(response.status().as_u16(), expected, "{role} {page}");
            assert!(!response.text().await.unwrap().contains("Secret Two"), "{role} {page} leaked");
            requests += 1;
        }
        if let Some(cookie) = cookie.as_ref().filter(|_| !platform(role)) {
            // The caller's own list, search and export never show B's customers.
            for page in
                ["/customers", "/customers?q=secret", "/customers?q=olga@two.test", "/portal/customers.csv", "/history"]
            {
                let text = app.page(page, Some(cookie)).await.text().await.unwrap();
                if page.contains("q=") {
                    // The search box repeats what was typed; the list itself is empty.
                    assert!(text.contains("No customers match."), "{role} {page} leaked");
                } else {
                    assert!(text.contains("Reseller One Customer"), "{role} {page}");
                    assert!(!text.contains("olga@two.test"), "{role} {page} leaked");
                }
                assert!(!text.contains("Secret Two"), "{role} {page} leaked");
                requests += 1;
            }
            // The signup options API works on the caller's own reseller only (admins only).
            let put = app
                .client
                .put(format!("{}/api/v1/reseller/signup-options", app.address))
                .header("Origin", &app.address)
                .header("Cookie", cookie.as_str())
                .json(&json!({
                    "require_email_verification": false, "require_address": false,
                    "require_license_acceptance": false, "auto_approve": true,
                    "approved_domains": [], "review_domains": [], "custom_text": ""
                }))
                .send()
                .await
                .unwrap();
            let expected = if *role == "admin" { 200 } else { 403 };
            assert_eq!(put.status().as_u16(), expected, "{role} signup options");
            requests += 1;
        }
        if let Some(cookie) = cookie.as_ref().filter(|_| platform(role)) {
            // The platform's History is the platform's own log: none of a reseller's changes.
            let text = app.page("/history", Some(cookie)).await.text().await.unwrap();
            assert!(text.contains("Every change to the platform"), "{role} /history");
            assert!(!text.contains("Secret Two") && !text.contains("two.test"), "{role} /history leaked");
            requests += 1;
        }
    }
    // Mixed ids: the admin's own customer with B's user, account, rule, credit or subscription.
    let admin = callers[0].1.as_deref().unwrap();
    let own_before = state_of(&app, &app.reseller).await;
    let mut mixed = 0;
    for (endpoint, form) in &calls {
        let names_another = form.iter().any(|(k, _)| ["user", "account", "id", "credit"].contains(k));
        if !names_another || !form.iter().any(|(k, _)| *k == "customer") {
            continue;
        }
        let form: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (*k, if *k == "customer" { mine.as_str() } else { v.as_str() })).collect();
        let response = app.portal_post(admin, endpoint, &form).await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(status, 404, "own customer with B's id, {endpoint}: {body}");
        assert!(!body.contains("two.test") && !body.contains("Secret"), "{endpoint} leaked: {body}");
        mixed += 1;
        requests += 1;
    }
    assert!(mixed >= 8, "{mixed} mixed calls");
    assert_eq!(state_of(&app, &app.reseller).await, own_before, "the admin's own reseller is as it was");
    assert_eq!(state_of(&app, &b).await, before, "reseller B is exactly as it was");
    println!(
        "tenant isolation: {} server functions ({} taking another reseller's ids, {mixed} also with the caller's \
         own customer), {} pages, {} callers: {requests} requests, 0 leaks",
        registered.len(),
        calls.len(),
        pages.len() + 5,
        callers.len()
    );
}
