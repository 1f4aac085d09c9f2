//! The link lifecycle (the guide's Parts 4 and 5): the reseller requests a link, Cloud Support
//! approves, rejects or asks, the simulated cloud's invitation is accepted, declined or expires
//! (across a restart), and every illegal or stale step is refused with the state unchanged.

use std::sync::atomic::Ordering;
use std::time::Duration;

use portico_domain::cloud::access;
use portico_domain::resellers::{self, Role};
use portico_domain::tokens::token_hash;
use portico_shared::email::EmailAddress;

use crate::helpers::{both_backends, Backend, TestApp};
use crate::probe_cloud::ProbeCloud;

both_backends!(
    a_requested_link_is_approved_invited_and_accepted,
    cloud_support_asks_rejects_and_the_reseller_answers,
    two_agents_approving_at_once_one_wins,
    an_invitation_expires_on_time_across_a_restart_and_can_be_sent_again,
    a_linked_account_is_unlinked_through_cloud_support,
    a_new_account_is_created_once_and_its_user_gets_access_by_a_one_time_link,
    a_one_time_link_used_twenty_ways_at_once_grants_once,
);

const ACCOUNT: &str = "012345678901";
pub(crate) const CONTACT: &str = "john@customer.com";
const SUPPORT: &str = "support@platform.test";
const SUPPORT_PASSWORD: &str = "platform staff passphrase";

/// A reseller's customer with one AWS account whose role checked Valid, and a Cloud Support user.
pub(crate) struct World {
    pub reseller: String,
    pub support: String,
    pub customer: String,
    pub account: String,
}

pub(crate) async fn world(app: &TestApp) -> World {
    let reseller = app.session_cookie().await;
    let customer = app.add_customer(&app.reseller, "Internal-Legal", "John Smith", CONTACT).await;
    let aws = [("customer", customer.as_str()), ("enabled[aws]", "true")];
    assert_eq!(app.portal_post(&reseller, "set_cloud_providers", &aws).await.status(), 200);
    let form = [
        ("customer", customer.as_str()),
        ("account[provider]", "aws"),
        ("account[account_id]", ACCOUNT),
        ("account[email]", "root@customer.com"),
    ];
    assert_eq!(app.portal_post(&reseller, "add_cloud_account", &form).await.status(), 200);
    let account: String = sqlx::query_scalar("SELECT id FROM cloud_accounts WHERE account_number = $1")
        .bind(ACCOUNT)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let email = EmailAddress::parse(SUPPORT).unwrap();
    resellers::add_platform_user(
        &app.db,
        &app.state.portico.hasher,
        &email,
        "Cass Support",
        Role::CloudSupport,
        SUPPORT_PASSWORD,
    )
    .await
    .unwrap();
    let support = app.cookie_for(SUPPORT, SUPPORT_PASSWORD).await;
    World { reseller, support, customer, account }
}

impl World {
    pub async fn check_role(&self, app: &TestApp, name: &str) {
        let version = state(app, &self.account).await.1.to_string();
        let arn = format!("arn:aws:iam::{ACCOUNT}:role/{name}");
        let form = [
            ("customer", self.customer.as_str()),
            ("account", self.account.as_str()),
            ("version", &version),
            ("role_arn", &arn),
        ];
        assert_eq!(app.portal_post(&self.reseller, "check_role_arn", &form).await.status(), 200);
    }

    /// The reseller's step at the current version: (status, body).
    async fn reseller_step(&self, app: &TestApp, action: &str, note: &str) -> (u16, String) {
        let version = state(app, &self.account).await.1;
        self.reseller_step_at(app, version, action, note).await
    }

    async fn reseller_step_at(&self, app: &TestApp, version: i64, action: &str, note: &str) -> (u16, String) {
        let version = version.to_string();
        let form = [
            ("customer", self.customer.as_str()),
            ("account", self.account.as_str()),
            ("version", &version),
            ("action", action),
            ("note", note),
        ];
        let response = app.portal_post(&self.reseller, "change_cloud_link", &form).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Cloud Support's decision at the current version: (status, body).
    pub async fn decide(&self, app: &TestApp, cookie: &str, action: &str, note: &str) -> (u16, String) {
        let version = state(app, &self.account).await.1.to_string();
        let form = [("account", self.account.as_str()), ("version", &version), ("action", action), ("note", note)];
        let response = app.portal_post(cookie, "decide_cloud_request", &form).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

/// (link state, version, handshake id) as stored.
pub(crate) async fn state(app: &TestApp, account: &str) -> (String, i64, Option<String>) {
    sqlx::query_as("SELECT link_state, version, handshake_id FROM cloud_accounts WHERE id = $1")
        .bind(account)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Waits (up to 15 s) for the job worker to move the link to `expected`.
pub(crate) async fn until_state(app: &TestApp, account: &str, expected: &str) -> (String, i64, Option<String>) {
    for _ in 0..300 {
        let now = state(app, account).await;
        if now.0 == expected {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the link never became {expected}: it is {:?}", state(app, account).await);
}

/// The steps recorded for the account: (action, to state, note).
async fn steps(app: &TestApp, account: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT action, to_state, note FROM cloud_account_events WHERE account_id = $1 ORDER BY at, id")
        .bind(account)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// The simulated account owner answers on the simulated AWS console.
async fn owner_answers(app: &TestApp, handshake: &str, answer: &str) -> u16 {
    let console = app.get(&format!("{}/simulated-aws", app.address)).await.text().await.unwrap();
    assert!(console.contains(handshake) && console.contains(ACCOUNT), "{console}");
    let response = app.post_form(&format!("/simulated-aws/handshakes/{handshake}"), &[("answer", answer)]).await;
    response.status().as_u16()
}

async fn a_requested_link_is_approved_invited_and_accepted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let world = world(&app).await;
    world.check_role(&app, "PorticoAccess").await;
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 200);
    assert_eq!(state(&app, &world.account).await.0, "requested");

    // Cloud Support sees it waiting, with the reseller, the customer and the role.
    let queue = app.page("/cloud-support", Some(&world.support)).await.text().await.unwrap();
    for expected in ["Reseller One", "Internal-Legal", ACCOUNT, "role/PorticoAccess", "Waiting for Cloud Support"] {
        assert!(queue.contains(expected), "{expected}");
    }
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);

    // The job worker sends the invitation: a handshake that expires in the simulated 14 days.
    let (_, _, handshake) = until_state(&app, &world.account, "invited").await;
    let handshake = handshake.unwrap();
    assert!(handshake.starts_with("h-"), "{handshake}");
    let expires: i64 = sqlx::query_scalar("SELECT invitation_expires_at FROM cloud_accounts WHERE id = $1")
        .bind(&world.account)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let days = (expires - portico_domain::db::now_ms()) as f64 / 86_400_000.0;
    assert!((13.9..=14.0).contains(&days), "{days}");
    let mail = app.mail.wait_for(CONTACT, 1).await;
    assert!(mail[0].message.contains(&format!("Accept the invitation for AWS account {ACCOUNT}")));

    // The owner accepts; the platform sees it at its next look.
    assert_eq!(owner_answers(&app, &handshake, "accept").await, 303);
    until_state(&app, &world.account, "linked").await;
    // Cloud Support heard of the request; the reseller's admin of the approval and the link.
    let to_support = app.mail.wait_for(SUPPORT, 1).await;
    assert!(to_support[0].message.contains(&format!("AWS account {ACCOUNT} of Internal-Legal: Link requested")));
    let to_reseller = app.mail.wait_for(crate::helpers::ADMIN_EMAIL, 2).await;
    let subjects: Vec<&str> =
        to_reseller.iter().filter_map(|m| m.message.lines().find(|l| l.starts_with("Subject:"))).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[0].ends_with(": Approved") && subjects[1].ends_with(": Invitation accepted"), "{subjects:?}");
    // The same notices are on each team's Notifications page, and only on theirs.
    let ours = app.page("/notifications", Some(&world.reseller)).await.text().await.unwrap();
    assert!(ours.contains(&format!("AWS account {ACCOUNT} of Internal-Legal: Invitation accepted")));
    assert!(ours.contains("The account is linked.") && !ours.contains("Link requested"));
    let theirs = app.page("/notifications", Some(&world.support)).await.text().await.unwrap();
    assert!(theirs.contains("Link requested") && !theirs.contains("Invitation accepted"));
    let other = resellers::create(&app.db, "Reseller Two", None).await.unwrap();
    let email = EmailAddress::parse("admin@two.test").unwrap();
    resellers::add_user(&app.db, &app.state.portico.hasher, &other, &email, "Tia", Role::Admin, SUPPORT_PASSWORD)
        .await
        .unwrap();
    let two = app.cookie_for("admin@two.test", SUPPORT_PASSWORD).await;
    let none = app.page("/notifications", Some(&two)).await.text().await.unwrap();
    assert!(none.contains("No notifications yet.") && !none.contains(ACCOUNT));
    let recorded: Vec<String> = steps(&app, &world.account).await.into_iter().map(|(action, ..)| action).collect();
    assert_eq!(recorded, ["request", "approve", "invite", "accept"]);
    let page = app.page(&format!("/customers/{}/accounts", world.customer), Some(&world.reseller)).await;
    let page = page.text().await.unwrap();
    assert!(page.contains("Linked") && page.contains("Cass Support"), "the history names who approved");
    let history = app.page(&format!("/customers/{}", world.customer), Some(&world.reseller)).await;
    assert!(history.text().await.unwrap().contains(&format!("Cloud account {ACCOUNT}: Invitation accepted")));

    // A second answer on a closed invitation is refused by the console.
    assert_eq!(
        app.post_form(&format!("/simulated-aws/handshakes/{handshake}"), &[("answer", "decline")]).await.status(),
        409
    );
}

async fn cloud_support_asks_rejects_and_the_reseller_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let world = world(&app).await;

    // No link before the role checks Valid.
    let (status, body) = world.reseller_step(&app, "request", "").await;
    assert_eq!(status, 409);
    assert!(body.contains("Check the AWS Role ARN first"), "{body}");
    world.check_role(&app, "PorticoNoTrust").await;
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 409);
    world.check_role(&app, "PorticoAccess").await;
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 200);

    // Each side takes only its own steps, and only steps the state allows.
    let audit = app.count("audit_events").await;
    let before = state(&app, &world.account).await;
    for (status, action) in [(403, "approve"), (403, "inquire"), (409, "answer"), (409, "cancel"), (404, "bogus")] {
        let (got, body) = world.reseller_step(&app, action, "a note").await;
        assert_eq!(got, status, "reseller {action}: {body}");
    }
    for (status, action) in [(403, "request"), (403, "invite"), (403, "accept"), (404, "")] {
        let (got, body) = world.decide(&app, &world.support, action, "a note").await;
        assert_eq!(got, status, "support {action}: {body}");
    }
    let (status, body) = world.decide(&app, &world.reseller, "approve", "").await;
    assert_eq!(status, 403, "a reseller cannot use the console: {body}");
    // A reason or a question is required, bounded and free of control characters.
    for (note, code) in
        [("", "required"), ("  ", "required"), (&"a".repeat(2001)[..], "too_long"), ("why\u{7}", "invalid_characters")]
    {
        let (status, body) = world.decide(&app, &world.support, "inquire", note).await;
        assert_eq!(status, 422);
        assert!(body.contains(&format!("\"field\":\"note\",\"code\":\"{code}\"")), "{body}");
    }
    assert_eq!(state(&app, &world.account).await, before, "refused steps change nothing");
    assert_eq!(app.count("audit_events").await, audit);

    // Cloud Support asks; the reseller answers; it is back in the queue.
    let question = "Is this account owned by the customer's parent company?";
    assert_eq!(world.decide(&app, &world.support, "inquire", question).await.0, 200);
    let asked = app.mail.wait_for(crate::helpers::ADMIN_EMAIL, 1).await;
    assert!(asked[0].message.contains(question), "the reseller's admin reads the question in the e-mail");
    let page = app.page(&format!("/customers/{}/accounts", world.customer), Some(&world.reseller)).await;
    assert!(page.text().await.unwrap().contains(question));
    let waiting = app.page("/cloud-support?filter=awaiting_reseller", Some(&world.support)).await;
    assert!(waiting.text().await.unwrap().contains(question));
    assert_eq!(world.reseller_step(&app, "answer", "").await.0, 422);
    assert_eq!(world.reseller_step(&app, "answer", "Yes, Internal-Legal Holdings owns it.").await.0, 200);
    assert_eq!(state(&app, &world.account).await.0, "requested");

    // Rejected with a reason; the reseller may request again.
    assert_eq!(world.decide(&app, &world.support, "reject", "The root e-mail is not the customer's.").await.0, 200);
    assert_eq!(state(&app, &world.account).await.0, "rejected");
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 409);
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 200);
    let recorded = steps(&app, &world.account).await;
    let notes: Vec<_> = recorded.iter().filter_map(|(_, _, note)| note.as_deref()).collect();
    assert_eq!(notes, [question, "Yes, Internal-Legal Holdings owns it.", "The root e-mail is not the customer's."]);
    assert_eq!(recorded.len(), 5);

    // A page showing an older version is refused, and says what the link is now.
    let (status, body) = world.reseller_step_at(&app, 1, "request", "").await;
    assert_eq!(status, 409);
    assert!(body.contains("Waiting for Cloud Support"), "{body}");
}

async fn two_agents_approving_at_once_one_wins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let world = world(&app).await;
    world.check_role(&app, "PorticoAccess").await;
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 200);
    let email = EmailAddress::parse("second@platform.test").unwrap();
    resellers::add_platform_user(
        &app.db,
        &app.state.portico.hasher,
        &email,
        "Sam",
        Role::CloudSupport,
        SUPPORT_PASSWORD,
    )
    .await
    .unwrap();
    let second = app.cookie_for("second@platform.test", SUPPORT_PASSWORD).await;
    let version = state(&app, &world.account).await.1.to_string();
    let approve = |cookie: String| {
        let (app, account, version) = (&app, world.account.clone(), version.clone());
        async move {
            let form = [("account", account.as_str()), ("version", &version), ("action", "approve"), ("note", "")];
            let response = app.portal_post(&cookie, "decide_cloud_request", &form).await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (first, other) = tokio::join!(approve(world.support.clone()), approve(second));
    let mut statuses = [first.0, other.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{first:?} {other:?}");
    let loser = if first.0 == 409 { first.1 } else { other.1 };
    assert!(loser.contains("meanwhile"), "{loser}");
    let approvals = steps(&app, &world.account).await.into_iter().filter(|(action, ..)| action == "approve").count();
    assert_eq!(approvals, 1);
    let invitations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'invite_account'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(invitations, 1);
    until_state(&app, &world.account, "invited").await;
}

async fn an_invitation_expires_on_time_across_a_restart_and_can_be_sent_again(backend: Backend) {
    // Invitations that last 3 s, looked at every 10 s: only the expiry time can end this one in time.
    let mut app = TestApp::spawn_with(backend, |config| {
        config.simulated_handshake_ms = 3_000;
        config.handshake_poll_ms = Some(10_000);
    })
    .await;
    let world = world(&app).await;
    world.check_role(&app, "PorticoAccess").await;
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 200);
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    let (_, _, first) = until_state(&app, &world.account, "invited").await;
    // The contact is told of the invitation, and reminded halfway through this short one.
    let mail = app.mail.wait_for(CONTACT, 2).await;
    assert!(mail[1].message.contains("Reminder: the invitation for AWS account"), "{}", mail[1].message);

    // The server is down when the invitation expires; the expiry waits in the jobs table.
    let (db, account) = (app.db.clone(), world.account.clone());
    app.restart(async move {
        tokio::time::sleep(Duration::from_millis(2_000)).await;
        let stored: String = sqlx::query_scalar("SELECT link_state FROM cloud_accounts WHERE id = $1")
            .bind(&account)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored, "invited", "nothing runs while the server is down");
    })
    .await;
    until_state(&app, &world.account, "expired").await;
    let page = app.page(&format!("/customers/{}/accounts", world.customer), Some(&world.reseller)).await;
    assert!(page.text().await.unwrap().contains("Invitation expired"));

    // Re-invite: a new handshake, without Cloud Support again; the owner declines this one.
    assert_eq!(world.reseller_step(&app, "cancel", "").await.0, 409, "nothing open to cancel");
    assert_eq!(world.reseller_step(&app, "reinvite", "").await.0, 200);
    let (_, _, second) = until_state(&app, &world.account, "invited").await;
    assert_ne!(first, second);
    assert_eq!(owner_answers(&app, second.as_deref().unwrap(), "decline").await, 303);
    until_state(&app, &world.account, "declined").await;

    // Re-invite and cancel before the owner answers: the handshake is canceled at AWS too.
    assert_eq!(world.reseller_step(&app, "reinvite", "").await.0, 200);
    let (_, _, third) = until_state(&app, &world.account, "invited").await;
    assert_eq!(world.reseller_step(&app, "cancel", "").await.0, 200);
    assert_eq!(state(&app, &world.account).await.0, "canceled");
    for _ in 0..100 {
        let simulated: String = sqlx::query_scalar("SELECT state FROM simulated_handshakes WHERE id = $1")
            .bind(third.as_deref().unwrap())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        if simulated == "canceled" {
            let recorded: Vec<String> = steps(&app, &world.account).await.into_iter().map(|(a, ..)| a).collect();
            let expected = [
                "request", "approve", "invite", "expire", "reinvite", "invite", "decline", "reinvite", "invite",
                "cancel",
            ];
            assert_eq!(recorded, expected);
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the handshake was not canceled at the simulated AWS");
}

async fn a_linked_account_is_unlinked_through_cloud_support(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let world = world(&app).await;
    // This customer's contact asked for no cloud account e-mails (Customer options).
    let options = [
        ("customer", world.customer.as_str()),
        ("version", "0"),
        ("options[test_drives_allowed]", "true"),
        ("options[launch_limit_override]", ""),
        ("options[notify_test_drives]", "true"),
    ];
    assert_eq!(app.portal_post(&world.reseller, "save_customer_options", &options).await.status(), 200);
    world.check_role(&app, "PorticoAccess").await;
    assert_eq!(world.reseller_step(&app, "request", "").await.0, 200);
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    let (_, _, handshake) = until_state(&app, &world.account, "invited").await;
    assert_eq!(owner_answers(&app, handshake.as_deref().unwrap(), "accept").await, 303);
    until_state(&app, &world.account, "linked").await;
    assert!(app.mail.to(CONTACT).is_empty(), "the contact opted out of cloud account e-mails");

    assert_eq!(world.reseller_step(&app, "request_unlink", "").await.0, 200);
    let queue = app.page("/cloud-support", Some(&world.support)).await.text().await.unwrap();
    assert!(queue.contains("Unlink requested"));
    assert_eq!(world.decide(&app, &world.support, "inquire", "Why?").await.0, 409, "no questions on unlinking");
    assert_eq!(world.decide(&app, &world.support, "reject", "The customer's contract runs to June.").await.0, 200);
    assert_eq!(state(&app, &world.account).await.0, "linked");
    assert_eq!(world.reseller_step(&app, "request_unlink", "").await.0, 200);
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    assert_eq!(state(&app, &world.account).await.0, "unlinked");
    // The removal from the organization ran at the simulated AWS.
    for _ in 0..100 {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM jobs WHERE kind = 'remove_account'")
            .fetch_optional(&app.db.pool)
            .await
            .unwrap();
        if status.as_deref() == Some("done") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the account was not removed from the organization");
}

pub(crate) async fn request_new(app: &TestApp, world: &World, email: &str, name: &str, plan: &str) -> (u16, String) {
    let form = [
        ("customer", world.customer.as_str()),
        ("request[provider]", "aws"),
        ("request[email]", email),
        ("request[account_name]", name),
        ("request[support_plan]", plan),
    ];
    let response = app.portal_post(&world.reseller, "request_new_cloud_account", &form).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The token of the admin-access link in an e-mail.
pub(crate) fn access_token(message: &str) -> String {
    let token = message.split("/cloud-access?token=").nth(1).unwrap().split_whitespace().next().unwrap();
    token.trim_end_matches(['"', '<', '>']).split('"').next().unwrap().to_owned()
}

pub(crate) async fn new_account_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM cloud_accounts WHERE root_email = $1 AND kind = 'new'")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn a_new_account_is_created_once_and_its_user_gets_access_by_a_one_time_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let world = world(&app).await;

    // Each bad field is named; nothing is stored.
    let accounts = app.count("cloud_accounts").await;
    for (email, name, plan, field, code) in [
        ("", "Prod", "aws-business", "email", "required"),
        ("not an address", "Prod", "aws-business", "email", "invalid_format"),
        ("new@customer.test", "", "aws-business", "account_name", "required"),
        ("new@customer.test", &"n".repeat(51), "aws-business", "account_name", "too_long"),
        ("new@customer.test", "Prödüction", "aws-business", "account_name", "invalid_characters"),
        ("new@customer.test", "Prod", "", "support_plan", "required"),
        ("new@customer.test", "Prod", "aws-platinum", "support_plan", "invalid_format"),
    ] {
        let (status, body) = request_new(&app, &world, email, name, plan).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("cloud_accounts").await, accounts);

    // Requested: straight to Cloud Support, who sees its name and support plan.
    let email = "aws-root@customer.test";
    assert_eq!(request_new(&app, &world, email, "Internal-Legal Production", "aws-business").await.0, 200);
    let account = new_account_id(&app, email).await;
    assert_eq!(state(&app, &account).await.0, "requested");
    let queue = app.page("/cloud-support", Some(&world.support)).await.text().await.unwrap();
    assert!(queue.contains("New account · Internal-Legal Production") && queue.contains("AWS Business Level Support"));
    let world = World { account: account.clone(), ..world };
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    until_state(&app, &account, "linked").await;
    let number: String = sqlx::query_scalar("SELECT account_number FROM cloud_accounts WHERE id = $1")
        .bind(&account)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(number.len() == 12 && number.chars().all(|c| c.is_ascii_digit()), "{number}");
    let recorded: Vec<String> = steps(&app, &account).await.into_iter().map(|(action, ..)| action).collect();
    assert_eq!(recorded, ["request", "approve", "create", "created"]);
    // Linking verbs do not apply to an account the platform made.
    assert_eq!(world.reseller_step(&app, "reinvite", "").await.0, 409);

    // The end user's admin access: a one-time link, never a password.
    let mail = app.mail.wait_for(CONTACT, 1).await;
    let message = &mail[0].message;
    assert!(message.contains(&format!("Your new AWS account {number} is ready")) && !message.contains("password:"));
    let token = access_token(message);
    let page = app.get(&format!("{}/cloud-access?token={token}", app.address)).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&number));
    let opened = app.post_form("/cloud-access", &[("token", &token)]).await;
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], format!("/simulated-aws?account={number}"));
    assert_eq!(app.post_form("/cloud-access", &[("token", &token)]).await.status(), 410, "it works once");

    // The reseller hears of it, and asks for credentials of their own.
    let to_reseller = app.mail.wait_for(crate::helpers::ADMIN_EMAIL, 2).await;
    assert!(to_reseller.iter().any(|m| m.message.contains("Account created")));
    assert_eq!(world.reseller_step(&app, "request_credentials", "").await.0, 200);
    assert_eq!(state(&app, &account).await.0, "linked");
    // …which come to the user who asked as a one-time link of their own.
    let to_reseller = app.mail.wait_for(crate::helpers::ADMIN_EMAIL, 3).await;
    let own = to_reseller.iter().find(|m| m.message.contains(&format!("Your admin access to AWS account {number}")));
    let own = &own.expect("the requester's own link").message;
    let token = access_token(own);
    let opened = app.post_form("/cloud-access", &[("token", &token)]).await;
    assert_eq!(opened.status(), 303, "a link of its own, not the contact's used one");
    let support_mail = app.mail.wait_for(SUPPORT, 2).await;
    assert!(support_mail[0].message.contains("New account requested"));
    assert!(support_mail.iter().any(|m| m.message.contains("Credentials requested")));

    // AWS refuses an e-mail it already knows: the reason is recorded and the reseller told.
    let taken = "root+exists@customer.test";
    assert_eq!(request_new(&app, &world, taken, "Second", "aws-developer").await.0, 200);
    let failing = new_account_id(&app, taken).await;
    let world = World { account: failing.clone(), ..world };
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    until_state(&app, &failing, "create_failed").await;
    let notes: Vec<_> = steps(&app, &failing).await.into_iter().filter_map(|(_, _, note)| note).collect();
    assert!(notes[0].starts_with("EMAIL_ALREADY_EXISTS"), "{notes:?}");

    // A request that reached AWS before a crash is found again, not sent twice.
    let crashed = "crash@customer.test";
    assert_eq!(request_new(&app, &world, crashed, "Third", "aws-basic").await.0, 200);
    let third = new_account_id(&app, crashed).await;
    app.state.portico.cloud.create_account(crashed, "Third").await.unwrap();
    let world = World { account: third.clone(), ..world };
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    until_state(&app, &third, "linked").await;
    let creations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM simulated_account_creations WHERE email = $1")
        .bind(crashed)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(creations, 1, "one request makes at most one account");
}

/// One access link sent 20 ways at once: it is claimed before the cloud is asked, so access is
/// granted once and the link answers once.
async fn a_one_time_link_used_twenty_ways_at_once_grants_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let world = world(&app).await;
    let token = "a-one-time-link-token-for-the-race-test";
    sqlx::query(
        "INSERT INTO cloud_access_links (token_hash, account_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, 0, $4)",
    )
    .bind(token_hash(token))
    .bind(&world.account)
    .bind(CONTACT)
    .bind(i64::MAX)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let cloud = ProbeCloud::around(app.state.portico.cloud.clone(), Duration::from_millis(50));
    let opens = (0..20).map(|_| access::open(&app.db, &cloud, token));
    let opened = futures::future::join_all(opens).await;
    let granted = opened.iter().filter(|open| matches!(open, Ok(Some(_)))).count();
    let refused = opened.iter().filter(|open| matches!(open, Ok(None))).count();
    assert_eq!((granted, refused), (1, 19));
    assert_eq!(cloud.grants.load(Ordering::SeqCst), 1, "access is granted once");
}
