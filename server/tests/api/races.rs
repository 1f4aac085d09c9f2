//! Versioned changes raced: the same change sent 20 ways at once, from forms showing the same
//! version, succeeds once and is recorded once; two admins demoting each other at once leave the
//! team with an admin.

use futures::future::join_all;
use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use crate::customers::part_2_form;
use crate::helpers::{both_backends, Backend, TestApp, ADMIN_EMAIL};

both_backends!(a_change_sent_twenty_ways_at_once_succeeds_once, two_admins_demoting_each_other_leave_an_admin);

const WAYS: usize = 20;

/// The Customer information form of `customers`, with a title of its own.
fn details_form(title: &str) -> Vec<(&'static str, String)> {
    part_2_form()
        .into_iter()
        .map(|(name, value)| (name, if name == "details[title]" { title } else { value }.to_owned()))
        .collect()
}

/// Sends `forms` to `endpoint` all at once; the statuses, sorted.
async fn at_once(app: &TestApp, cookie: &str, endpoint: &str, forms: Vec<Vec<(&str, String)>>) -> Vec<u16> {
    let sends = forms.iter().map(|form| async move {
        let form: Vec<(&str, &str)> = form.iter().map(|(name, value)| (*name, value.as_str())).collect();
        app.portal_post(cookie, endpoint, &form).await.status().as_u16()
    });
    let mut statuses = join_all(sends).await;
    statuses.sort_unstable();
    statuses
}

async fn entries(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn a_change_sent_twenty_ways_at_once_succeeds_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let id = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", "john@customer.com").await;
    let once = |statuses: &[u16]| {
        let mut wanted = vec![409; WAYS - 1];
        wanted.insert(0, 200);
        assert_eq!(statuses, wanted);
    };

    // Customer information, each form with a title of its own, all from version 1.
    let forms = (0..WAYS)
        .map(|n| {
            let mut form = details_form(&format!("Title {n}"));
            form.extend([("customer", id.clone()), ("version", "1".to_owned())]);
            form
        })
        .collect();
    once(&at_once(&app, &cookie, "update_customer", forms).await);
    assert_eq!(entries(&app, "Customer information changed").await, 1);
    let (version, title): (i64, String) = sqlx::query_as("SELECT version, contact_title FROM customers WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(version, 2);
    let logged: String = sqlx::query_scalar("SELECT after_json FROM audit_events WHERE action = $1")
        .bind("Customer information changed")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(logged.contains(&title), "the entry records the change that was made: {logged}");

    // Suspending, 20 ways from version 2.
    let forms = (0..WAYS).map(|_| vec![("customer", id.clone()), ("version", "2".to_owned())]).collect();
    once(&at_once(&app, &cookie, "suspend_customer", forms).await);
    assert_eq!(entries(&app, "Customer suspended").await, 1);

    // The customer's options (first saved from version 0) and a monthly charge, 20 ways each.
    let forms = (0..WAYS)
        .map(|n| {
            vec![
                ("customer", id.clone()),
                ("version", "0".to_owned()),
                ("options[launch_limit_override]", (n + 1).to_string()),
            ]
        })
        .collect();
    once(&at_once(&app, &cookie, "save_customer_options", forms).await);
    let rule = |rule_id: &str, version: &str, description: String| {
        [
            ("customer", id.as_str()),
            ("id", rule_id),
            ("version", version),
            ("rule[kind]", "charge"),
            ("rule[calculation]", "fixed"),
            ("rule[amount]", "50"),
            ("rule[base]", "customer_cost"),
            ("rule[applies_to]", "customer"),
            ("rule[recurrence]", "monthly"),
            ("rule[start_month]", "2026-01"),
            ("rule[currency]", "USD"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .chain([("rule[description]", description)])
        .collect::<Vec<_>>()
    };
    assert_eq!(at_once(&app, &cookie, "save_charge_rule", vec![rule("", "0", "Fee".into())]).await, [200]);
    let rule_id: String = sqlx::query_scalar("SELECT id FROM charge_rules").fetch_one(&app.db.pool).await.unwrap();
    let forms = (0..WAYS).map(|n| rule(&rule_id, "1", format!("Fee {n}"))).collect();
    once(&at_once(&app, &cookie, "save_charge_rule", forms).await);

    // A product and a tax rate of the catalog, each saved 20 ways from the version the form showed:
    // one save, and the version one higher.
    let catalog = [
        (
            "save_product",
            "products",
            vec![
                ("product[name]", "Cloud seat"),
                ("product[sku]", "SEAT-1"),
                ("product[unit_price]", "10"),
                ("product[currency]", "USD"),
                ("product[billing_period]", "monthly"),
            ],
        ),
        (
            "save_tax_rate",
            "tax_rates",
            vec![
                ("rate[name]", "State tax"),
                ("rate[country]", "US"),
                ("rate[rate]", "5"),
                ("rate[valid_from]", "2026-01-01"),
            ],
        ),
    ];
    for (endpoint, table, fields) in catalog {
        let mut add: Vec<(&str, String)> = vec![("id", String::new()), ("version", "0".to_owned())];
        add.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        assert_eq!(at_once(&app, &cookie, endpoint, vec![add]).await, [200], "{endpoint} adds");
        let (entry, version): (String, i64) =
            sqlx::query_as(&format!("SELECT id, version FROM {table}")).fetch_one(&app.db.pool).await.unwrap();
        let forms = (0..WAYS)
            .map(|n| {
                let mut form: Vec<(&str, String)> = vec![("id", entry.clone()), ("version", version.to_string())];
                form.extend(fields.iter().map(|(k, v)| {
                    let renamed = k.ends_with("[name]");
                    (*k, if renamed { format!("{v} {n}") } else { (*v).to_owned() })
                }));
                form
            })
            .collect();
        once(&at_once(&app, &cookie, endpoint, forms).await);
        let now: i64 =
            sqlx::query_scalar(&format!("SELECT version FROM {table}")).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(now, version + 1, "{endpoint}: saved once");
    }
}

async fn two_admins_demoting_each_other_leave_an_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = EmailAddress::parse("second@reseller.test").unwrap();
    let hasher = &app.state.portico.hasher;
    let passphrase = "a second admin's passphrase";
    let second =
        resellers::add_user(&app.db, hasher, &app.reseller, &email, "Sam", Role::Admin, passphrase).await.unwrap().0;
    let first: String = sqlx::query_scalar("SELECT id FROM reseller_users WHERE email = $1")
        .bind(ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (first_cookie, second_cookie) = (app.session_cookie().await, app.cookie_for(email.as_str(), passphrase).await);
    for round in 0..5 {
        let versions: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, version FROM reseller_users ORDER BY id").fetch_all(&app.db.pool).await.unwrap();
        let version_of = |id: &str| versions.iter().find(|(user, _)| user == id).unwrap().1.to_string();
        let demote = |cookie: &str, member: &str| {
            let (app, cookie, member, version) = (&app, cookie.to_owned(), member.to_owned(), version_of(member));
            async move {
                let form = [("member", member.as_str()), ("version", version.as_str()), ("role", "agent")];
                app.portal_post(&cookie, "set_member_role", &form).await.status().as_u16()
            }
        };
        let (a, b) = tokio::join!(demote(&first_cookie, &second), demote(&second_cookie, &first));
        let mut statuses = [a, b];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 403], "round {round}: one demotes, the other is no longer an admin");
        let admins: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM reseller_users WHERE role = 'admin' AND disabled_at IS NULL")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(admins, 1, "round {round}");
        // Make both admins again for the next round, directly.
        sqlx::query("UPDATE reseller_users SET role = 'admin'").execute(&app.db.pool).await.unwrap();
    }
}
