//! The Test Drives tab: the reseller's catalog of time-boxed trials, open to anyone visiting, so a
//! visitor sees what they may try before signing up. A signed-in customer of an active account
//! launches them here, follows each one from Launching to Running, and stops it.

use std::time::Duration;

use leptos::prelude::*;
use portico_shared::customer::CustomerStatus;
use portico_shared::ids::{InstanceId, TestDriveId};
use portico_shared::test_drives::{Instance, InstanceState, TestDrive};

use crate::api::{self, Failure};
use crate::browser;
use crate::shell::{Session, Shell, Tab};
use crate::words::{fill, w};

/// While an instance is launching its state changes within seconds; while one runs, only its
/// time left and its end at expiry do.
const POLL_LAUNCHING: Duration = Duration::from_secs(2);
const POLL_RUNNING: Duration = Duration::from_secs(10);

/// The tab's state, kept while the visitor looks at another tab.
#[derive(Clone, Copy)]
pub struct Drives {
    /// `None` until the catalog has arrived.
    catalog: RwSignal<Option<Result<Vec<TestDrive>, String>>>,
    catalog_requested: StoredValue<bool>,
    /// The signed-in customer's instances, newest first.
    instances: RwSignal<Vec<Instance>>,
    /// When the instances were last read, for their time left.
    read_at: RwSignal<i64>,
    /// The launch or stop waiting for an answer (a test drive's or an instance's id).
    busy: RwSignal<Option<String>>,
    /// The instance whose Stop is waiting for confirmation.
    confirming: RwSignal<Option<InstanceId>>,
    /// Why the last launch or stop was refused.
    error: RwSignal<String>,
    /// A refresh of the instances is already scheduled.
    polling: StoredValue<bool>,
}

impl Default for Drives {
    fn default() -> Self {
        Drives {
            catalog: RwSignal::new(None),
            catalog_requested: StoredValue::new(false),
            instances: RwSignal::new(Vec::new()),
            read_at: RwSignal::new(0),
            busy: RwSignal::new(None),
            confirming: RwSignal::new(None),
            error: RwSignal::new(String::new()),
            polling: StoredValue::new(false),
        }
    }
}

/// Whether the person may launch: signed in to an account the reseller has approved.
fn can_launch(shell: Shell) -> bool {
    shell.session.with_untracked(
        |session| matches!(session, Session::SignedIn { account, .. } if account.status == CustomerStatus::Active),
    )
}

impl Drives {
    /// Another person signed in, or nobody: what was listed is no longer theirs.
    pub fn forget_instances(self) {
        self.instances.set(Vec::new());
        self.busy.set(None);
        self.confirming.set(None);
        self.error.set(String::new());
    }

    fn load_catalog(self, shell: Shell) {
        if self.catalog_requested.get_value() {
            return;
        }
        self.catalog_requested.set_value(true);
        let key = shell.key();
        leptos::task::spawn_local(async move {
            let answer = api::test_drives(&key).await.map_err(|failure| match failure {
                Failure::Message(message, _) => message,
                Failure::Fields(_) => w().drives_failed.to_owned(),
            });
            self.catalog.set(Some(answer));
        });
    }

    /// Asks for the customer's instances and shows them.
    fn refresh(self, shell: Shell) {
        let (key, token) = (shell.key(), shell.token());
        leptos::task::spawn_local(async move {
            let answer = api::test_drive_instances(&key, token.as_deref()).await;
            // Signed out meanwhile: the answer is no longer anyone's on screen.
            if !can_launch(shell) {
                return;
            }
            match answer {
                Ok(instances) => {
                    self.read_at.set(browser::now_ms());
                    self.instances.set(instances);
                }
                Err(failure) => self.error.set(failure.words()),
            }
            self.schedule_refresh(shell);
        });
    }

    /// While an instance is live and the tab is showing, looks again after a while.
    fn schedule_refresh(self, shell: Shell) {
        let (launching, running) = self.instances.with_untracked(|instances| {
            (
                instances.iter().any(|i| i.state == InstanceState::Launching),
                instances.iter().any(|i| i.state.is_active()),
            )
        });
        let showing = shell.tab.get_untracked() == Tab::TestDrives;
        if self.polling.get_value() || !running || !showing || !can_launch(shell) {
            return;
        }
        self.polling.set_value(true);
        let wait = if launching { POLL_LAUNCHING } else { POLL_RUNNING };
        set_timeout(
            move || {
                self.polling.set_value(false);
                if shell.tab.get_untracked() == Tab::TestDrives && can_launch(shell) {
                    self.refresh(shell);
                }
            },
            wait,
        );
    }

    fn launch(self, shell: Shell, drive: TestDriveId) {
        if self.busy.get_untracked().is_some() || !can_launch(shell) {
            return;
        }
        self.busy.set(Some(drive.to_string()));
        let (key, token) = (shell.key(), shell.token());
        leptos::task::spawn_local(async move {
            let answer = api::launch_test_drive(&key, token.as_deref(), &drive).await;
            if let Ok(instance) = &answer {
                let detail = format!(r#"{{"test_drive":"{drive}","instance":"{}"}}"#, instance.id);
                shell.emit("test_drive_launched", &detail);
            }
            self.finished(shell, answer);
        });
    }

    fn stop(self, shell: Shell, instance: InstanceId) {
        if self.busy.get_untracked().is_some() {
            return;
        }
        self.busy.set(Some(instance.to_string()));
        let (key, token) = (shell.key(), shell.token());
        leptos::task::spawn_local(async move {
            let answer = api::stop_test_drive(&key, token.as_deref(), &instance).await;
            self.finished(shell, answer);
        });
    }

    /// A launch or stop answered: the instance replaces its older copy, or the refusal is shown.
    fn finished(self, shell: Shell, answer: Result<Instance, Failure>) {
        self.busy.set(None);
        self.confirming.set(None);
        match answer {
            Ok(instance) => {
                self.error.set(String::new());
                self.read_at.set(browser::now_ms());
                self.instances.update(|instances| {
                    instances.retain(|known| known.id != instance.id);
                    instances.push(instance);
                    instances.sort_by_key(|i| std::cmp::Reverse(i.launched_at));
                });
            }
            Err(failure) => self.error.set(failure.words()),
        }
        self.schedule_refresh(shell);
    }
}

/// What the tab offers below the catalog, by who is looking.
#[derive(Clone, Copy, PartialEq)]
enum Visitor {
    Anonymous,
    AwaitingApproval,
    Launching,
}

#[component]
pub fn DrivesTab(shell: Shell, drives: Drives) -> impl IntoView {
    shell.check_session();
    drives.load_catalog(shell);
    let visitor = Memo::new(move |_| match shell.session.get() {
        Session::SignedIn { account, .. } if account.status == CustomerStatus::Active => Visitor::Launching,
        Session::SignedIn { .. } => Visitor::AwaitingApproval,
        _ => Visitor::Anonymous,
    });
    Effect::new(move |_| {
        if visitor.get() == Visitor::Launching {
            drives.refresh(shell);
        }
    });
    let catalog = move || match drives.catalog.get() {
        None => view! { <p class="portico-loading" role="status">{w().loading}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
        Some(Ok(offered)) if offered.is_empty() => {
            view! { <p class="note">{fill(w().no_drives, &[&shell.reseller()])}</p> }.into_any()
        }
        Some(Ok(offered)) => {
            let launching = visitor.get() == Visitor::Launching;
            view! {
                <ul class="drives">
                    {offered.into_iter().map(|drive| entry(shell, drives, drive, launching)).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    let below = move || match visitor.get() {
        Visitor::Launching => view! {
            <div>
                <h2 class="subhead">{w().your_drives}</h2>
                <div id="portico-instances">{instance_list(shell, drives)}</div>
            </div>
        }
        .into_any(),
        Visitor::AwaitingApproval => {
            view! { <p class="note">{fill(w().launch_after_approval, &[&shell.reseller()])}</p> }.into_any()
        }
        Visitor::Anonymous => view! {
            <p class="note">
                {w().needs_account}
                <button type="button" class="link" on:click=move |_| shell.tab.set(Tab::Signup)>{w().signup}</button>
                {w().or}
                <button type="button" class="link" on:click=move |_| shell.tab.set(Tab::Login)>{w().login}</button>
                "."
            </p>
        }
        .into_any(),
    };
    view! {
        <section class="panel" aria-labelledby="portico-drives">
            <h1 id="portico-drives">{w().test_drives}</h1>
            {catalog}
            <p class="form-error" id="portico-drives-error" role="alert">{move || drives.error.get()}</p>
            {below}
        </section>
    }
}

fn entry(shell: Shell, drives: Drives, drive: TestDrive, launching: bool) -> impl IntoView {
    let facts = fill(
        w().facts,
        &[&drive.provider_name, &w().duration(drive.duration_minutes), &drive.launch_limit.to_string()],
    );
    let launch = launching.then(|| {
        let id = drive.id.clone();
        let busy = {
            let id = id.to_string();
            move || drives.busy.with(|busy| busy.as_deref() == Some(id.as_str()))
        };
        let busy_label = busy.clone();
        view! {
            <button
                type="button"
                class="primary"
                aria-label=fill(w().launch_named, &[&drive.name])
                aria-busy=move || busy().to_string()
                on:click=move |_| drives.launch(shell, id.clone())
            >
                {move || if busy_label() { w().launching } else { w().launch }}
            </button>
        }
    });
    view! {
        <li class="drive">
            <h2>{drive.name.clone()}</h2>
            {(!drive.description.is_empty()).then(|| view! { <p class="description">{drive.description.clone()}</p> })}
            <p class="hint">{facts}</p>
            {launch}
        </li>
    }
}

fn instance_list(shell: Shell, drives: Drives) -> impl IntoView {
    let empty = move || drives.instances.with(Vec::is_empty);
    view! {
        <p class="note" hidden=move || !empty()>{w().none_launched}</p>
        <ul class="instances" hidden=empty>
            // Keyed by id and state: a refresh that changes nothing keeps each row, and the
            // focus on its Stop button.
            <For
                each=move || drives.instances.get()
                key=|instance| (instance.id.clone(), instance.state.as_str())
                children=move |instance| instance_row(shell, drives, instance)
            />
        </ul>
    }
}

fn instance_row(shell: Shell, drives: Drives, instance: Instance) -> impl IntoView {
    let state = instance.state;
    let expires_at = instance.expires_at;
    let time_left = state
        .is_active()
        .then(|| view! { <span class="hint">{move || format!(" · {}", w().time_left(expires_at, drives.read_at.get()))}</span> });
    let failure = (state == InstanceState::Failed).then(|| {
        view! { <p class="hint">{fill(w().could_not_start, &[instance.failure.as_deref().unwrap_or_default()])}</p> }
    });
    let controls = state.is_active().then(|| stop_controls(shell, drives, &instance));
    view! {
        <li class="instance">
            <strong>{instance.test_drive.clone()}</strong>
            " "
            <span class=format!("state state-{}", state.as_str())>{w().state(state)}</span>
            {time_left}
            {failure}
            {controls}
        </li>
    }
}

/// Stop, then a confirmation: stopping deletes the sandbox and whatever was done in it.
fn stop_controls(shell: Shell, drives: Drives, instance: &Instance) -> impl IntoView {
    let id = instance.id.clone();
    let name = instance.test_drive.clone();
    let confirming = {
        let id = id.clone();
        Memo::new(move |_| drives.confirming.with(|confirming| confirming.as_ref() == Some(&id)))
    };
    move || {
        let id = id.clone();
        if confirming.get() {
            let busy = {
                let id = id.to_string();
                move || drives.busy.with(|busy| busy.as_deref() == Some(id.as_str()))
            };
            let busy_label = busy.clone();
            let keep = {
                let id = id.clone();
                move |_| {
                    drives.confirming.set(None);
                    browser::focus_soon(format!("portico-stop-{id}"));
                }
            };
            view! {
                <div class="confirm">
                    <p>{w().stop_question}</p>
                    <button
                        type="button"
                        class="primary danger"
                        id=format!("portico-confirm-{id}")
                        aria-busy=move || busy().to_string()
                        on:click={
                            let id = id.clone();
                            move |_| drives.stop(shell, id.clone())
                        }
                    >
                        {move || if busy_label() { w().stopping } else { w().stop_confirm }}
                    </button>
                    " "
                    <button type="button" class="link" on:click=keep>{w().keep_running}</button>
                </div>
            }
            .into_any()
        } else {
            let confirm = {
                let id = id.clone();
                move |_| {
                    drives.confirming.set(Some(id.clone()));
                    browser::focus_soon(format!("portico-confirm-{id}"));
                }
            };
            view! {
                <button
                    type="button"
                    class="secondary"
                    id=format!("portico-stop-{id}")
                    aria-label=fill(w().stop_named, &[&name])
                    on:click=confirm
                >
                    {w().stop}
                </button>
            }
            .into_any()
        }
    }
}
