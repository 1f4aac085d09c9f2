//! The Test Drives tab: the reseller's catalog of time-boxed trials, open to anyone visiting, so a
//! visitor sees what they may try before signing up. A signed-in customer of an active account
//! launches them here, follows each one from Launching to Running, and stops it.

use portico_shared::test_drives::{Instance, InstanceState, TestDrive};

use crate::api::{self, Failure};
use crate::dom::{self, button, el, El};
use crate::words::{fill, w};
use crate::{with_app, App, Session, Tab};

#[derive(Default)]
pub struct Drives {
    /// `None` until the catalog has been asked for.
    catalog: Option<Result<Vec<TestDrive>, String>>,
    catalog_requested: bool,
    /// The signed-in customer's instances, newest first.
    instances: Vec<Instance>,
    /// The launch or stop waiting for an answer (a test drive's or an instance's id).
    busy: Option<String>,
    /// The instance whose Stop is waiting for confirmation.
    confirming: Option<String>,
    /// Why the last launch or stop was refused.
    error: String,
    /// A refresh of the instances is already scheduled.
    polling: bool,
}

/// While an instance is launching its state changes within seconds; while one runs, only its
/// time left and its end at expiry do.
const POLL_LAUNCHING_MS: i32 = 2_000;
const POLL_RUNNING_MS: i32 = 10_000;

pub fn show(app: &mut App) {
    app.check_session();
    if !app.drives.catalog_requested {
        app.drives.catalog_requested = true;
        load_catalog(app.config.key.clone());
    }
    if can_launch(app) {
        refresh_instances(app);
    }
    draw(app);
}

fn load_catalog(key: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let answer = api::test_drives(&key).await.map_err(|failure| match failure {
            Failure::Message(message) => message,
            Failure::Fields(_) => w().drives_failed.to_owned(),
        });
        with_app(|app| {
            app.drives.catalog = Some(answer);
            redraw(app);
        });
    });
}

/// Whether the person may launch: signed in to an account the reseller has approved.
fn can_launch(app: &App) -> bool {
    matches!(&app.session, Session::SignedIn { account, .. } if account.status == "active")
}

fn redraw(app: &mut App) {
    if app.tab == Tab::TestDrives {
        draw(app);
    }
}

fn draw(app: &App) {
    let drives = &app.drives;
    let launching = can_launch(app);
    let catalog = match &drives.catalog {
        None => el("p").class("portico-loading").attr("role", "status").text(w().loading),
        Some(Err(message)) => el("p").class("form-error").attr("role", "alert").text(message),
        Some(Ok(offered)) if offered.is_empty() => {
            el("p").class("note").text(&fill(w().no_drives, &[&app.config.reseller_name]))
        }
        Some(Ok(offered)) => {
            el("ul").class("drives").children(offered.iter().map(|drive| entry(drive, drives, launching)))
        }
    };
    let below = match &app.session {
        Session::SignedIn { .. } if launching => el("div")
            .child(el("h2").class("subhead").text(w().your_drives))
            .child(el("div").id(INSTANCES).child(instance_list(drives))),
        Session::SignedIn { .. } => {
            el("p").class("note").text(&fill(w().launch_after_approval, &[&app.config.reseller_name]))
        }
        _ => el("p")
            .class("note")
            .text(w().needs_account)
            .child(button("link", "tab:signup", w().signup))
            .text(w().or)
            .child(button("link", "tab:login", w().login))
            .text("."),
    };
    app.draw(
        el("section")
            .class("panel")
            .attr("aria-labelledby", "portico-drives")
            .child(el("h1").id("portico-drives").text(w().test_drives))
            .child(catalog)
            .child(el("p").class("form-error").id(ERROR).attr("role", "alert").text(&drives.error))
            .child(below),
    );
}

fn entry(drive: &TestDrive, drives: &Drives, launching: bool) -> El {
    let launch = launching.then(|| {
        let busy = drives.busy.as_deref() == Some(drive.id.as_str());
        button("primary", &format!("launch:{}", drive.id), if busy { w().launching } else { w().launch })
            .attr("aria-label", &fill(w().launch_named, &[&drive.name]))
            .attr("aria-busy", if busy { "true" } else { "false" })
    });
    el("li")
        .class("drive")
        .child(el("h2").text(&drive.name))
        .maybe((!drive.description.is_empty()).then(|| el("p").class("description").text(&drive.description)))
        .child(el("p").class("hint").text(&facts(drive)))
        .maybe(launch)
}

fn instance_list(drives: &Drives) -> El {
    if drives.instances.is_empty() {
        return el("p").class("note").text(w().none_launched);
    }
    let now = js_sys::Date::now() as i64;
    el("ul").class("instances").children(drives.instances.iter().map(|instance| {
        let state = instance.state;
        let time_left = state.is_active().then(|| w().time_left(instance.expires_at, now));
        let failure = (state == InstanceState::Failed)
            .then(|| fill(w().could_not_start, &[instance.failure.as_deref().unwrap_or_default()]));
        el("li")
            .class("instance")
            .child(el("strong").text(&instance.test_drive))
            .text(" ")
            .child(el("span").class(&format!("state state-{}", state.as_str())).text(w().state(state)))
            .maybe(time_left.map(|left| el("span").class("hint").text(&format!(" · {left}"))))
            .maybe(failure.map(|why| el("p").class("hint").text(&why)))
            .maybe(state.is_active().then(|| stop_controls(instance, drives)))
    }))
}

/// Stop, then a confirmation: stopping deletes the sandbox and whatever was done in it.
fn stop_controls(instance: &Instance, drives: &Drives) -> El {
    let id = &instance.id;
    if drives.confirming.as_deref() == Some(id.as_str()) {
        let busy = drives.busy.as_deref() == Some(id.as_str());
        return el("div")
            .class("confirm")
            .child(el("p").text(w().stop_question))
            .child(
                button("primary danger", &format!("stop:{id}"), if busy { w().stopping } else { w().stop_confirm })
                    .id(&format!("portico-confirm-{id}"))
                    .attr("aria-busy", if busy { "true" } else { "false" }),
            )
            .text(" ")
            .child(button("link", "keep", w().keep_running));
    }
    button("secondary", &format!("confirm:{id}"), w().stop)
        .id(&format!("portico-stop-{id}"))
        .attr("aria-label", &fill(w().stop_named, &[&instance.test_drive]))
}

pub fn click(app: &mut App, action: &str) {
    if !can_launch(app) {
        return;
    }
    // No token: the session is the partitioned cookie's.
    let token = app.token();
    let key = app.config.key.clone();
    let drives = &mut app.drives;
    if let Some(drive) = action.strip_prefix("launch:") {
        if drives.busy.is_some() {
            return;
        }
        drives.busy = Some(drive.to_owned());
        let drive = drive.to_owned();
        redraw(app);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = api::launch_test_drive(&key, token.as_deref(), &drive).await;
            with_app(|app| {
                if let Ok(instance) = &answer {
                    app.host.emit(
                        "test_drive_launched",
                        &format!(r#"{{"test_drive":"{}","instance":"{}"}}"#, drive, instance.id),
                    );
                }
                finished(app, answer);
            });
        });
    } else if let Some(instance) = action.strip_prefix("confirm:") {
        drives.confirming = Some(instance.to_owned());
        let focus = format!("portico-confirm-{instance}");
        redraw(app);
        dom::focus_soon(&focus);
    } else if action == "keep" {
        let focus = drives.confirming.take().map(|id| format!("portico-stop-{id}"));
        redraw(app);
        if let Some(focus) = focus {
            dom::focus_soon(&focus);
        }
    } else if let Some(instance) = action.strip_prefix("stop:") {
        if drives.busy.is_some() {
            return;
        }
        drives.busy = Some(instance.to_owned());
        let instance = instance.to_owned();
        redraw(app);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = api::stop_test_drive(&key, token.as_deref(), &instance).await;
            with_app(|app| finished(app, answer));
        });
    }
}

/// A launch or stop answered: the instance replaces its older copy, or the refusal is shown.
fn finished(app: &mut App, answer: Result<Instance, Failure>) {
    let drives = &mut app.drives;
    drives.busy = None;
    drives.confirming = None;
    match answer {
        Ok(instance) => {
            drives.error.clear();
            drives.instances.retain(|known| known.id != instance.id);
            drives.instances.push(instance);
            drives.instances.sort_by_key(|i| std::cmp::Reverse(i.launched_at));
        }
        Err(failure) => drives.error = failure.words(),
    }
    redraw(app);
    schedule_refresh(app);
}

/// Asks for the customer's instances and shows them.
fn refresh_instances(app: &App) {
    let (key, token) = (app.config.key.clone(), app.token());
    wasm_bindgen_futures::spawn_local(async move {
        let answer = api::test_drive_instances(&key, token.as_deref()).await;
        with_app(|app| {
            match answer {
                // Signed out meanwhile: the answer is no longer anyone's on screen.
                _ if !can_launch(app) => return,
                Ok(instances) => {
                    app.drives.instances = instances;
                    if app.tab == Tab::TestDrives {
                        redraw_instances(app);
                    }
                }
                Err(failure) => {
                    app.drives.error = failure.words();
                    redraw(app);
                }
            }
            schedule_refresh(app);
        });
    });
}

/// Redraws the instance list alone, keeping focus where it was (on a Stop button, say).
fn redraw_instances(app: &App) {
    let Some(container) = dom::by_id(INSTANCES) else { return };
    let focused = dom::document().active_element().map(|element| element.id()).filter(|id| !id.is_empty());
    dom::replace_children(&container, instance_list(&app.drives));
    if let Some(id) = focused {
        dom::focus_soon(&id);
    }
}

/// While an instance is live and the tab is showing, looks again after a while.
fn schedule_refresh(app: &mut App) {
    let launching = app.drives.instances.iter().any(|i| i.state == InstanceState::Launching);
    let running = app.drives.instances.iter().any(|i| i.state.is_active());
    if app.drives.polling || !running || app.tab != Tab::TestDrives || !can_launch(app) {
        return;
    }
    app.drives.polling = true;
    dom::after(if launching { POLL_LAUNCHING_MS } else { POLL_RUNNING_MS }, || {
        with_app(|app| {
            app.drives.polling = false;
            if app.tab == Tab::TestDrives && can_launch(app) {
                refresh_instances(app);
            }
        });
    });
}

/// "Amazon Web Services · 2 hours · up to 1 at once per customer".
fn facts(drive: &TestDrive) -> String {
    fill(w().facts, &[&drive.provider_name, &w().duration(drive.duration_minutes), &drive.launch_limit.to_string()])
}

const ERROR: &str = "portico-drives-error";
const INSTANCES: &str = "portico-instances";
