//! Versioned changes raced: the same change sent 20 ways at once, from forms showing the same
//! version, succeeds once and is recorded once; two admins demoting each other at once leave the
//! team with an admin.

use futures::future::join_all;
use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use crate::customers::part_2_form;
use crate::helpers::{both_backends, set_cookie, valid_signup, Backend, TestApp, ADMIN_EMAIL};
use crate::smtp::{link_to, verification_link};

both_backends!(
    a_change_sent_twenty_ways_at_once_succeeds_once,
    subscriptions_users_and_test_drives_change_once,
    widget_settings_saved_twenty_ways_stay_whole,
    one_time_links_and_codes_work_once,
    two_admins_demoting_each_other_leave_an_admin
);

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

/// The statuses of a change sent [`WAYS`] ways: one success, the rest refused as changed meanwhile.
fn once() -> Vec<u16> {
    let mut wanted = vec![409; WAYS - 1];
    wanted.insert(0, 200);
    wanted
}

/// Sends `form` to `endpoint` [`WAYS`] ways at once, each copy changed by `vary` with its number;
/// asserts one success and one entry more in the log.
async fn once_and_logged_once(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    form: &[(&'static str, String)],
    vary: impl Fn(usize, &mut Vec<(&'static str, String)>),
) {
    let before = app.count("audit_events").await;
    let forms = (0..WAYS)
        .map(|n| {
            let mut form = form.to_vec();
            vary(n, &mut form);
            form
        })
        .collect();
    assert_eq!(at_once(app, cookie, endpoint, forms).await, once(), "{endpoint}");
    assert_eq!(app.count("audit_events").await, before + 1, "{endpoint}: one entry");
}

fn owned(form: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn set(form: &mut [(&'static str, String)], name: &str, value: String) {
    if let Some(field) = form.iter_mut().find(|(k, _)| *k == name) {
        field.1 = value;
    }
}

async fn subscriptions_users_and_test_drives_change_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let options = portico_shared::signup_options::SignupOptions {
        require_email_verification: false,
        auto_approve: true,
        ..Default::default()
    };
    app.set_signup_options(options).await;
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    let customer: String = sqlx::query_scalar("SELECT id FROM customers").fetch_one(&app.db.pool).await.unwrap();
    let cookie = app.session_cookie().await;

    // A subscription: its quantity saved 20 ways from version 1, then a step 20 ways from 2.
    let product = owned(&[
        ("id", ""),
        ("version", "0"),
        ("product[name]", "Cloud seat"),
        ("product[sku]", "SEAT-1"),
        ("product[unit_price]", "6.00"),
        ("product[currency]", "USD"),
        ("product[billing_period]", "monthly"),
        ("product[term_months]", "12"),
    ]);
    assert_eq!(at_once(&app, &cookie, "save_product", vec![product]).await, [200]);
    let product: String = sqlx::query_scalar("SELECT id FROM products").fetch_one(&app.db.pool).await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
    let today = portico_shared::dates::Day::of_ms(i64::try_from(now).unwrap()).to_string();
    let add = owned(&[
        ("customer", &customer),
        ("id", ""),
        ("version", "0"),
        ("subscription[product]", &product),
        ("subscription[quantity]", "25"),
        ("subscription[start_date]", &today),
        ("subscription[end_date]", ""),
        ("subscription[auto_renew]", "true"),
    ]);
    assert_eq!(at_once(&app, &cookie, "save_subscription", vec![add]).await, [200]);
    let (id, end): (String, Option<String>) =
        sqlx::query_as("SELECT id, end_date FROM subscriptions").fetch_one(&app.db.pool).await.unwrap();
    let change = owned(&[
        ("customer", &customer),
        ("id", &id),
        ("version", "1"),
        ("subscription[quantity]", "1"),
        ("subscription[end_date]", end.as_deref().unwrap_or_default()),
        ("subscription[auto_renew]", "true"),
    ]);
    once_and_logged_once(&app, &cookie, "save_subscription", &change, |n, form| {
        set(form, "subscription[quantity]", (n + 30).to_string());
    })
    .await;
    let step = owned(&[("customer", &customer), ("id", &id), ("version", "2"), ("step", "suspend")]);
    once_and_logged_once(&app, &cookie, "change_subscription", &step, |_, _| {}).await;

    // A customer user made an admin 20 ways from version 1, then disabled 20 ways from 2.
    app.add_jane(&customer).await;
    let role = owned(&[("customer", &customer), ("user", "cuu_jane"), ("version", "1"), ("role", "admin")]);
    once_and_logged_once(&app, &cookie, "set_customer_user_role", &role, |_, _| {}).await;
    let disable = owned(&[("customer", &customer), ("user", "cuu_jane"), ("version", "2"), ("disabled", "true")]);
    once_and_logged_once(&app, &cookie, "set_customer_user_disabled", &disable, |_, _| {}).await;

    // A test drive saved 20 ways from version 1, each with a name of its own.
    let drive = owned(&[
        ("id", ""),
        ("version", "0"),
        ("drive[name]", "Windows lab"),
        ("drive[description]", ""),
        ("drive[duration_minutes]", "60"),
        ("drive[launch_limit]", "1"),
        ("drive[provider]", "aws"),
    ]);
    assert_eq!(at_once(&app, &cookie, "save_test_drive", vec![drive.clone()]).await, [200]);
    let drive_id: String = sqlx::query_scalar("SELECT id FROM test_drives").fetch_one(&app.db.pool).await.unwrap();
    let mut edit = drive;
    set(&mut edit, "id", drive_id);
    set(&mut edit, "version", "1".into());
    once_and_logged_once(&app, &cookie, "save_test_drive", &edit, |n, form| {
        set(form, "drive[name]", format!("Windows lab {n}"));
    })
    .await;
    let (name, version): (String, i64) =
        sqlx::query_as("SELECT name, version FROM test_drives").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(version, 2);
    let logged: String = sqlx::query_scalar("SELECT after_json FROM audit_events ORDER BY at DESC, id DESC")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(logged.contains(&name), "the entry records the save that was made: {logged}");
}

/// Widget settings and signup options are not versioned: the last save wins. Saved 20 ways at
/// once, each with values of its own, what is stored is one whole save (never one's name with
/// another's colour), and the log has each save once, each entry with what it replaced.
async fn widget_settings_saved_twenty_ways_stay_whole(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let colours: Vec<String> = (0..WAYS).map(|n| format!("#1f5f{:02x}", 0x10 + n)).collect();
    let forms = (0..WAYS)
        .map(|n| {
            owned(&[
                ("settings[reseller_name]", &format!("Reseller {n}")),
                ("settings[license_url]", ""),
                ("settings[brand_color]", &colours[n]),
                ("settings[logo_url]", ""),
                ("settings[allowed_origins]", ""),
            ])
        })
        .collect();
    let before = app.count("audit_events").await;
    assert_eq!(at_once(&app, &cookie, "save_widget_settings", forms).await, vec![200; WAYS]);
    let (name, colour): (String, String) = sqlx::query_as("SELECT name, brand_color FROM resellers WHERE id = $1")
        .bind(app.reseller.as_str())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let n: usize = name.trim_start_matches("Reseller ").parse().unwrap();
    assert_eq!(colour, colours[n], "the stored name and colour come from one save");
    let entries = app.count("audit_events").await - before;
    assert_eq!(entries, WAYS as i64);
    // Each save logs what it replaced: the entries form one chain from the settings before to
    // the settings stored, every state replaced once (whatever order the clock gives them).
    let entries: Vec<(String, String)> =
        sqlx::query_as("SELECT before_json, after_json FROM audit_events WHERE action = 'Widget settings changed'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    // An entry holds the fields it changed: here the name and the colour, before and after.
    let state = |json: &str| {
        let fields: serde_json::Value = serde_json::from_str(json).unwrap();
        (fields["Name"].as_str().unwrap().to_owned(), fields["Colour"].as_str().unwrap().to_owned())
    };
    let befores: std::collections::HashSet<_> = entries.iter().map(|(before, _)| state(before)).collect();
    let afters: std::collections::HashSet<_> = entries.iter().map(|(_, after)| state(after)).collect();
    assert_eq!(befores.len(), WAYS, "no state was replaced twice: {entries:#?}");
    let first: Vec<_> = befores.difference(&afters).collect();
    assert_eq!(first, [&("Reseller One".to_owned(), "(none)".to_owned())], "one chain, from the settings before");
    let last: Vec<_> = afters.difference(&befores).collect();
    assert_eq!(last, [&(name, colour)], "one chain, ending in what is stored");

    // The signup options likewise, each save with a welcome text of its own.
    let forms = (0..WAYS).map(|n| owned(&[("options[custom_text]", &format!("Welcome {n}"))])).collect();
    assert_eq!(at_once(&app, &cookie, "save_signup_options", forms).await, vec![200; WAYS]);
    let texts: Vec<(String, String)> =
        sqlx::query_as("SELECT before_json, after_json FROM audit_events WHERE action = 'Signup options changed'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let text = |json: &str| {
        let fields: serde_json::Value = serde_json::from_str(json).unwrap();
        fields["Custom text"].as_str().unwrap().to_owned()
    };
    let befores: std::collections::HashSet<_> = texts.iter().map(|(before, _)| text(before)).collect();
    let afters: std::collections::HashSet<_> = texts.iter().map(|(_, after)| text(after)).collect();
    assert_eq!(befores.len(), WAYS, "no options were replaced twice: {texts:#?}");
    assert_eq!(befores.difference(&afters).collect::<Vec<_>>(), [&String::new()], "from the options before");
}

/// Every one-time link used 20 ways at once works once: an invitation, a password link, an
/// e-mail confirmation, and a two-step sign-in code.
async fn one_time_links_and_codes_work_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.session_cookie().await;
    let form = |pairs: &[(&'static str, &str)]| owned(pairs);

    // An invitation accepted 20 ways: one member.
    let invitation =
        form(&[("invitation[email]", "ana@reseller.test"), ("invitation[name]", "Ana"), ("invitation[role]", "agent")]);
    assert_eq!(at_once(&app, &cookie, "invite", vec![invitation]).await, [200]);
    let (_, token) = link_to(&app.mail.wait_for("ana@reseller.test", 1).await[0].message, "/invitation?token=");
    let strong = "a long enough passphrase";
    let accept = form(&[("token", &token), ("password", strong), ("verify_password", strong)]);
    let statuses = at_once(&app, "", "accept_invitation", vec![accept; WAYS]).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reseller_users WHERE email = 'ana@reseller.test'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(members, 1);

    // A password link used 20 ways: one new password, one e-mail saying so.
    app.post_form("/portal/request_password_reset", &[("email", "ana@reseller.test")]).await;
    let mail = app.mail.wait_for("ana@reseller.test", 2).await;
    let (_, token) = link_to(&mail[1].message, "/reset-password?token=");
    let new = "another long enough passphrase";
    let reset = form(&[("token", &token), ("password", new), ("verify_password", new)]);
    let statuses = at_once(&app, "", "reset_password", vec![reset; WAYS]).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(app.mail.wait_for("ana@reseller.test", 3).await.len(), 3);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mail.to("ana@reseller.test").len(), 3, "one 'password changed' e-mail");

    // An e-mail confirmation link used 20 ways: confirmed once, logged once.
    assert_eq!(app.post_signup(&app.widget_key, &valid_signup(), None).await.status(), 202);
    let link = verification_link(&app.mail.wait_for("john@customer.com", 1).await[0].message);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let form = [("token", token.as_str())];
    let sends = (0..WAYS).map(|_| app.post_form("/widget/v1/verify", &form));
    let mut statuses: Vec<u16> = join_all(sends).await.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(entries(&app, "User john@customer.com confirmed their e-mail address").await, 1);

    // One two-step code sent on 20 sign-ins at once: one session.
    let email = "ana@reseller.test";
    let setup: serde_json::Value =
        app.portal_post(&app.cookie_for(email, new).await, "begin_two_step", &[]).await.json().await.unwrap();
    let key = setup["key"].as_str().unwrap().replace(' ', "");
    let ana = app.cookie_for(email, new).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let first = crate::helpers::app_code_at(&key, now);
    assert_eq!(app.portal_post(&ana, "confirm_two_step", &[("code", &first)]).await.status(), 200);
    let mut challenges = Vec::new();
    for _ in 0..WAYS {
        let response = app.sign_in(email, new).await;
        challenges.push(set_cookie(&response, "portico_second_step").expect("a second step"));
        // The per-address limit counts password attempts that succeeded as given back.
    }
    let code = crate::helpers::app_code_at(&key, now + 30);
    let sessions_before = app.count("portal_sessions").await;
    let form = [("code", code.as_str())];
    let sends = challenges.iter().map(|challenge| app.portal_post(challenge, "sign_in_code", &form));
    let statuses: Vec<u16> = join_all(sends).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(app.count("portal_sessions").await, sessions_before + 1);
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
