//! Teams: reseller admins invite people by e-mail, the invited choose their password, admins
//! change roles and disable members; the platform's first admin comes from the command line and
//! adds resellers, whose first admin is invited the same way.

use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;

use crate::helpers::{both_backends, Backend, TestApp, ADMIN_EMAIL};
use crate::smtp::link_to;

both_backends!(
    an_admin_invites_and_the_invited_choose_their_password,
    bad_invitations_name_their_field_and_store_nothing,
    admins_change_roles_and_disable_members,
    the_first_platform_admin_adds_a_reseller_whose_admin_joins,
    only_the_right_roles_reach_team_and_platform_functions,
);

const STRONG: &str = "a long and unremarkable passphrase";

fn form<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn invite(app: &TestApp, cookie: &str, email: &str, name: &str, role: &str) -> reqwest::Response {
    let fields = [
        ("invitation[email]", email.to_owned()),
        ("invitation[name]", name.to_owned()),
        ("invitation[role]", role.to_owned()),
    ];
    app.portal_post(cookie, "invite", &form(&fields)).await
}

async fn accept(app: &TestApp, token: &str, password: &str, verify: &str) -> reqwest::Response {
    let fields =
        [("token", token.to_owned()), ("password", password.to_owned()), ("verify_password", verify.to_owned())];
    app.post_form("/portal/accept_invitation", &form(&fields)).await
}

fn cookie_of(response: &reqwest::Response) -> String {
    let cookie = response.headers().get("set-cookie").expect("a session cookie").to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn an_admin_invites_and_the_invited_choose_their_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    assert_eq!(invite(&app, &admin, "Ana@Reseller.test", "Ana Agent", "agent").await.status(), 200);
    let mail = app.mail.wait_for("ana@reseller.test", 1).await;
    assert!(mail[0].message.contains("Ada Admin <admin@reseller.test> invited you to join Reseller One's team"));
    let (link, token) = link_to(&mail[0].message, "/invitation?token=");
    assert!(link.starts_with(&app.address));

    // The team page lists the invitation; the same address cannot be invited twice.
    let team = app.page("/team", Some(&admin)).await.text().await.unwrap();
    assert!(team.contains("ana@reseller.test") && team.contains("Resend to ana@reseller.test"));
    let again = invite(&app, &admin, "ana@reseller.test", "Ana Again", "agent").await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("already signs in to Portico or has an invitation waiting"));
    // Nor can someone who already signs in, for this reseller or any other.
    assert_eq!(invite(&app, &admin, ADMIN_EMAIL, "Me Again", "agent").await.status(), 422);

    // The link opens a page naming the team; a weak password is refused with its field.
    let page = app.page(&format!("/invitation?token={token}"), None).await.text().await.unwrap();
    assert!(
        page.contains("You are invited to join Reseller One&#x27;s team as Agent")
            || page.contains("You are invited to join Reseller One's team as Agent"),
        "{page}"
    );
    let weak = accept(&app, &token, "short", "short").await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("\"field\":\"password\""));
    let mismatch = accept(&app, &token, STRONG, "something else").await;
    assert!(mismatch.text().await.unwrap().contains("\"field\":\"verify_password\""));
    assert_eq!(app.count("reseller_users").await, 1, "nothing stored for a refused password");

    // Accepting signs Ana in; the link then no longer works.
    let accepted = accept(&app, &token, STRONG, STRONG).await;
    assert!(accepted.status().is_redirection() || accepted.status() == 200, "{}", accepted.status());
    let ana = cookie_of(&accepted);
    let home = app.page("/team", Some(&ana)).await.text().await.unwrap();
    assert!(home.contains("Ana Agent (you)"));
    let reused = accept(&app, &token, STRONG, STRONG).await;
    assert_eq!(reused.status(), 409);
    assert!(reused.text().await.unwrap().contains("already accepted or withdrawn"));
    let (role,): (String,) = sqlx::query_as("SELECT role FROM reseller_users WHERE email = 'ana@reseller.test'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(role, "agent");
    // She signs in with what she chose.
    assert_eq!(app.sign_in("ana@reseller.test", STRONG).await.status(), 200);

    // Resending replaces the link; withdrawing kills it.
    assert_eq!(invite(&app, &admin, "bo@reseller.test", "Bo", "admin").await.status(), 200);
    let first = link_to(&app.mail.wait_for("bo@reseller.test", 1).await[0].message, "/invitation?token=").1;
    let id: String = sqlx::query_scalar("SELECT id FROM portal_invitations WHERE email = 'bo@reseller.test'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(app.portal_post(&admin, "resend_invitation", &[("invitation", &id)]).await.status(), 200);
    let second = link_to(&app.mail.wait_for("bo@reseller.test", 2).await[1].message, "/invitation?token=").1;
    assert_ne!(first, second);
    let replaced = accept(&app, &first, STRONG, STRONG).await;
    assert_eq!(replaced.status(), 409);
    assert!(replaced.text().await.unwrap().contains("This invitation link is not valid"));
    assert_eq!(app.portal_post(&admin, "revoke_invitation", &[("invitation", &id)]).await.status(), 200);
    let revoked = accept(&app, &second, STRONG, STRONG).await;
    assert_eq!(revoked.status(), 409);
    assert_eq!(app.count("reseller_users").await, 2);

    // An expired invitation says so.
    assert_eq!(invite(&app, &admin, "cy@reseller.test", "Cy", "agent").await.status(), 200);
    let token = link_to(&app.mail.wait_for("cy@reseller.test", 1).await[0].message, "/invitation?token=").1;
    sqlx::query("UPDATE portal_invitations SET expires_at = 0 WHERE email = 'cy@reseller.test'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let expired = accept(&app, &token, STRONG, STRONG).await;
    assert_eq!(expired.status(), 409);
    assert!(expired.text().await.unwrap().contains("expired"));

    // The reseller's history shows who was invited and who joined.
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events ORDER BY at, id").fetch_all(&app.db.pool).await.unwrap();
    for expected in [
        "Team: ana@reseller.test invited",
        "Team: ana@reseller.test joined",
        "Team: invitation to bo@reseller.test sent again",
        "Team: invitation to bo@reseller.test withdrawn",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

async fn bad_invitations_name_their_field_and_store_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let long = "n".repeat(101);
    let cases: [(&str, &str, &str, &str, &str); 8] = [
        ("", "Ana", "agent", "email", "required"),
        ("ana@", "Ana", "agent", "email", "invalid_format"),
        ("ana@reseller.test", "", "agent", "name", "required"),
        ("ana@reseller.test", &long, "agent", "name", "too_long"),
        ("ana@reseller.test", "<script>", "agent", "name", "invalid_characters"),
        ("ana@reseller.test", "Ana", "", "role", "invalid_format"),
        ("ana@reseller.test", "Ana", "owner", "role", "invalid_format"),
        ("ana@reseller.test", "Ana", "cloud_support", "role", "invalid_format"),
    ];
    for (email, name, role, field, code) in cases {
        let response = invite(&app, &admin, email, name, role).await;
        assert_eq!(response.status(), 422, "{field} {code}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field} {code}: {body}");
    }
    assert_eq!(app.count("portal_invitations").await, 0);
    assert_eq!(app.count("jobs").await, 0, "no e-mail queued");
}

async fn admins_change_roles_and_disable_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let agent_email = EmailAddress::parse("agent@reseller.test").unwrap();
    let agent_id = resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &app.reseller,
        &agent_email,
        "Agnes",
        Role::Agent,
        STRONG,
    )
    .await
    .unwrap();
    let agent = app.cookie_for("agent@reseller.test", STRONG).await;
    let admin_id: String = sqlx::query_scalar("SELECT id FROM reseller_users WHERE email = $1")
        .bind(ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let change = |endpoint: &'static str,
                  cookie: String,
                  member: String,
                  version: &'static str,
                  key: &'static str,
                  value: &'static str| {
        let app = &app;
        async move { app.portal_post(&cookie, endpoint, &[("member", &member), ("version", version), (key, value)]).await }
    };

    // Agents cannot change the team; nobody changes themselves.
    let refused = change("set_member_role", agent.clone(), admin_id.clone(), "1", "role", "agent").await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("Only an admin of your team can change the team."));
    let myself = change("set_member_disabled", admin.clone(), admin_id.clone(), "1", "disabled", "true").await;
    assert_eq!(myself.status(), 409);
    // A role from the other kind of team is no role here.
    let platform_role =
        change("set_member_role", admin.clone(), agent_id.0.clone(), "1", "role", "cloud_support").await;
    assert_eq!(platform_role.status(), 404);

    // The admin makes Agnes an admin; a stale version is refused.
    assert_eq!(change("set_member_role", admin.clone(), agent_id.0.clone(), "1", "role", "admin").await.status(), 200);
    let stale = change("set_member_role", admin.clone(), agent_id.0.clone(), "1", "role", "agent").await;
    assert_eq!(stale.status(), 409);

    // Agnes, now an admin, disables Ada: Ada is signed out and cannot sign in.
    let disabled = change("set_member_disabled", agent.clone(), admin_id.clone(), "1", "disabled", "true").await;
    assert_eq!(disabled.status(), 200);
    assert_eq!(app.portal_post(&admin, "team_page", &[]).await.status(), 401);
    assert_eq!(app.sign_in(ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD).await.status(), 401);
    // And enables her again.
    assert_eq!(
        change("set_member_disabled", agent.clone(), admin_id.clone(), "2", "disabled", "false").await.status(),
        200
    );
    assert_eq!(app.sign_in(ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD).await.status(), 200);
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events ORDER BY at, id").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(
        actions,
        [
            "Team: role of Agnes <agent@reseller.test> changed",
            "Team: Ada Admin <admin@reseller.test> disabled",
            "Team: Ada Admin <admin@reseller.test> enabled"
        ]
    );
}

async fn the_first_platform_admin_adds_a_reseller_whose_admin_joins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The command line invites the first platform admin, once; bad flags are named.
    let cli = &app;
    let create = |email: &'static str, name: &'static str| async move {
        cli.run_command(&["create-platform-admin", "--email", email, "--name", name]).await
    };
    let bad = create("not an address", "").await;
    let said = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert!(!bad.status.success() && said.contains("--email: ") && said.contains("--name: "), "{said}");
    let created = create("Root@Platform.test", "Pia Platform").await;
    let said = String::from_utf8_lossy(&created.stdout).into_owned();
    assert!(created.status.success(), "{said} {}", String::from_utf8_lossy(&created.stderr));
    let token = said.split("token=").nth(1).unwrap().trim();
    // Platform staff add an authenticator app before their first session.
    let accepted = accept(&app, token, STRONG, STRONG).await;
    let challenge = crate::helpers::set_cookie(&accepted, "portico_second_step").expect("the second step");
    let pia = app.second_step("root@platform.test", &challenge).await;
    let again = create("other@platform.test", "Other").await;
    let said = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(!again.status.success() && said.contains("A platform admin already exists"), "{said}");

    // Pia sees the platform's pages, not a reseller's.
    let home = app.page("/", Some(&pia)).await.text().await.unwrap();
    assert!(home.contains("Portico platform") && home.contains("href=\"/resellers\""));

    // Bad reseller fields are named; nothing is stored.
    let resellers_before = app.count("resellers").await;
    let reseller = |name: &str, url: &str, email: &str, admin: &str| {
        vec![
            ("reseller[reseller_name]", name.to_owned()),
            ("reseller[license_url]", url.to_owned()),
            ("reseller[email]", email.to_owned()),
            ("reseller[name]", admin.to_owned()),
        ]
    };
    for (fields, field, code) in [
        (reseller("", "", "boss@acme.test", "Bo"), "reseller_name", "required"),
        (reseller("Acme", "acme.test/eula", "boss@acme.test", "Bo"), "license_url", "invalid_format"),
        (reseller("Acme", "javascript:alert(1)", "boss@acme.test", "Bo"), "license_url", "invalid_format"),
        (reseller("Acme", "", "boss@", "Bo"), "email", "invalid_format"),
        (reseller("Acme", "", "boss@acme.test", ""), "name", "required"),
        (reseller("Acme", "", ADMIN_EMAIL, "Bo"), "email", "taken"),
    ] {
        let response = app.portal_post(&pia, "create_reseller", &form(&fields)).await;
        assert_eq!(response.status(), 422, "{field}");
        let body = response.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\",\"code\":\"{code}\"")), "{field}: {body}");
    }
    assert_eq!(app.count("resellers").await, resellers_before);
    assert_eq!(app.count("widget_keys").await, 1);

    let created = app
        .portal_post(
            &pia,
            "create_reseller",
            &form(&reseller("Acme Cloud", "https://acme.test/eula", "boss@acme.test", "Bo Boss")),
        )
        .await;
    assert!(created.status().is_redirection() || created.status() == 200, "{}", created.status());
    assert_eq!(app.count("resellers").await, resellers_before + 1);
    assert_eq!(app.count("widget_keys").await, 2, "the new reseller has a widget key");
    let list = app.page("/resellers", Some(&pia)).await.text().await.unwrap();
    assert!(list.contains("Acme Cloud") && list.contains("https://acme.test/eula"));

    // Its first admin accepts and works in their own, empty Customers module.
    let mail = app.mail.wait_for("boss@acme.test", 1).await;
    assert!(mail[0].message.contains("Pia Platform <root@platform.test> invited you to join Acme Cloud's team"));
    let token = link_to(&mail[0].message, "/invitation?token=").1;
    let boss = cookie_of(&accept(&app, &token, STRONG, STRONG).await);
    let customers = app.page("/customers", Some(&boss)).await.text().await.unwrap();
    assert!(customers.contains("Acme Cloud"));
    assert!(!customers.contains("Reseller One"));
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT e.action FROM audit_events e JOIN resellers r ON r.id = e.reseller_id WHERE r.name = 'Acme Cloud' ORDER BY e.at, e.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(actions, ["Reseller created", "Team: boss@acme.test invited", "Team: boss@acme.test joined"]);

    // Pia invites Cloud Support to the platform's staff.
    assert_eq!(invite(&app, &pia, "cs@platform.test", "Cass Support", "cloud_support").await.status(), 200);
    assert_eq!(invite(&app, &pia, "x@platform.test", "X", "admin").await.status(), 422, "no reseller roles here");
    let token = link_to(&app.mail.wait_for("cs@platform.test", 1).await[0].message, "/invitation?token=").1;
    let accepted = accept(&app, &token, STRONG, STRONG).await;
    let challenge = crate::helpers::set_cookie(&accepted, "portico_second_step").expect("the second step");
    let cass = app.second_step("cs@platform.test", &challenge).await;
    assert_eq!(app.portal_post(&cass, "resellers_page", &[]).await.status(), 200);
    let refused = app.portal_post(&cass, "create_reseller", &form(&reseller("Other", "", "o@other.test", "O"))).await;
    assert_eq!(refused.status(), 403);

    // The platform's History holds the platform's changes, oldest last; the reseller's holds its own.
    let platform_history = app.page("/history", Some(&cass)).await.text().await.unwrap();
    let shown = |action: &str| platform_history.find(action).unwrap_or_else(|| panic!("{action} shown"));
    assert!(shown("Team: cs@platform.test joined") < shown("Team: cs@platform.test invited"));
    assert!(shown("Team: cs@platform.test invited") < shown("Reseller Acme Cloud created"));
    assert!(shown("Reseller Acme Cloud created") < shown("Team: root@platform.test joined"));
    assert!(shown("Team: root@platform.test joined") < shown("Team: root@platform.test invited"));
    assert!(platform_history.contains("Portico command line") && platform_history.contains("Role: Cloud Support"));
    assert!(!platform_history.contains("boss@acme.test invited"), "a reseller's team is its own log");
    let reseller_history = app.page("/history", Some(&boss)).await.text().await.unwrap();
    assert!(reseller_history.contains("Team: boss@acme.test joined"));
    assert!(!reseller_history.contains("cs@platform.test"), "the platform's log is not a reseller's");
}

async fn only_the_right_roles_reach_team_and_platform_functions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.session_cookie().await;
    let agent_email = EmailAddress::parse("agent@reseller.test").unwrap();
    resellers::add_user(&app.db, &app.state.portico.hasher, &app.reseller, &agent_email, "Agnes", Role::Agent, STRONG)
        .await
        .unwrap();
    let agent = app.cookie_for("agent@reseller.test", STRONG).await;
    for cookie in [&admin, &agent] {
        assert_eq!(app.portal_post(cookie, "resellers_page", &[]).await.status(), 403);
        let fields = [
            ("reseller[reseller_name]", "Mine".to_owned()),
            ("reseller[email]", "m@mine.test".to_owned()),
            ("reseller[name]", "M".to_owned()),
        ];
        assert_eq!(app.portal_post(cookie, "create_reseller", &form(&fields)).await.status(), 403);
        assert_eq!(app.portal_post(cookie, "team_page", &[]).await.status(), 200, "everyone sees their team");
    }
    assert_eq!(invite(&app, &agent, "z@reseller.test", "Z", "agent").await.status(), 403);
    let invitation =
        [("invitation[email]", "z@reseller.test"), ("invitation[name]", "Z"), ("invitation[role]", "agent")];
    let reseller = [("reseller[reseller_name]", "Mine"), ("reseller[email]", "m@mine.test"), ("reseller[name]", "M")];
    for (endpoint, fields) in [
        ("team_page", &[][..]),
        ("invite", &invitation[..]),
        ("resellers_page", &[][..]),
        ("create_reseller", &reseller[..]),
    ] {
        assert_eq!(app.post_form(&format!("/portal/{endpoint}"), fields).await.status(), 401, "{endpoint}");
    }
    assert_eq!(app.count("portal_invitations").await, 0);
    assert_eq!(app.count("resellers").await, 1);
}
