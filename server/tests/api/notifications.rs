//! Notifications are the team's; what each person has read is their own.

use portico_domain::notifications;
use portico_domain::principal::Scope;
use portico_domain::resellers::{self, Role};
use portico_shared::email::EmailAddress;
use serde_json::Value;

use crate::helpers::{both_backends, Backend, TestApp};

both_backends!(each_person_marks_their_own_notifications_read);

const AGENT: &str = "agent@reseller.test";
const AGENT_PASSWORD: &str = "reseller agent passphrase";

async fn post(app: &TestApp, subject: &str) {
    // Distinct times, as notifications of separate steps have.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    let mut tx = app.db.begin_write().await.unwrap();
    let team = Scope::Reseller(app.reseller.clone());
    notifications::post(&mut tx, &team, subject, "What happened.", "/customers").await.unwrap();
    tx.commit().await.unwrap();
}

/// (unread count in the menu, each listed notification's unread flag, newest first).
async fn page(app: &TestApp, cookie: &str) -> (i64, Vec<bool>, i64) {
    let response = app.portal_post(cookie, "notifications_page", &[]).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    let listed = page["notifications"].as_array().unwrap();
    let flags = listed.iter().map(|n| n["unread"].as_bool().unwrap()).collect();
    let newest = listed.first().map_or(0, |n| n["at"].as_i64().unwrap());
    (page["user"]["unread_notifications"].as_i64().unwrap(), flags, newest)
}

async fn read_until(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar("SELECT read_until FROM notification_reads ORDER BY user_id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn each_person_marks_their_own_notifications_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = EmailAddress::parse(AGENT).unwrap();
    resellers::add_user(
        &app.db,
        &app.state.portico.hasher,
        &app.reseller,
        &email,
        "Agnes Agent",
        Role::Agent,
        AGENT_PASSWORD,
    )
    .await
    .unwrap();
    let admin = app.session_cookie().await;
    let agent = app.cookie_for(AGENT, AGENT_PASSWORD).await;
    assert_eq!(page(&app, &admin).await.0, 0, "none yet");
    for subject in ["Link approved", "Invitation accepted", "Account created"] {
        post(&app, subject).await;
    }
    let (unread, flags, newest) = page(&app, &admin).await;
    assert_eq!((unread, flags), (3, vec![true, true, true]));

    // Bad input is refused and changes nothing.
    for form in [vec![("until", "yesterday")], vec![]] {
        let response = app.portal_post(&admin, "mark_notifications_read", &form).await;
        assert_eq!(response.status(), 400, "{form:?}");
        assert!(response.text().await.unwrap().contains("Malformed"), "{form:?}");
    }
    assert!(read_until(&app).await.is_empty());
    let anonymous = app.portal_post("", "mark_notifications_read", &[("until", &newest.to_string())]).await;
    assert_eq!(anonymous.status(), 401);

    // The admin marks all read: theirs only.
    let marked = app.portal_post(&admin, "mark_notifications_read", &[("until", &newest.to_string())]).await;
    assert_eq!(marked.status(), 200);
    assert_eq!(page(&app, &admin).await.0, 0);
    assert_eq!(page(&app, &admin).await.1, vec![false, false, false]);
    assert_eq!(page(&app, &agent).await.0, 3, "the agent has read nothing");

    // One that arrives later is unread; marking an older point does not move back.
    post(&app, "Invitation expired").await;
    assert_eq!(page(&app, &admin).await.1, vec![true, false, false, false]);
    assert_eq!(app.portal_post(&admin, "mark_notifications_read", &[("until", "1")]).await.status(), 200);
    assert_eq!(page(&app, &admin).await.0, 1);

    // A point in the future counts as now: what comes after it is still news.
    let future = (newest + 86_400_000).to_string();
    assert_eq!(app.portal_post(&agent, "mark_notifications_read", &[("until", &future)]).await.status(), 200);
    assert_eq!(page(&app, &agent).await.0, 0);
    post(&app, "Link rejected").await;
    assert_eq!(page(&app, &agent).await.0, 1);
    assert_eq!(page(&app, &admin).await.0, 2);
}
