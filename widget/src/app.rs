//! The widget's frame: the tabs (Test Drives · Signup · Login), the screen of the tab chosen,
//! and the "Powered By" footer with the reseller's name and logo.

use leptos::prelude::*;
use portico_shared::login::WidgetAccount;

use crate::config::FrameConfig;
use crate::host::Host;
use crate::login::{LoginForm, LoginTab};
use crate::signup::{SignupForm, SignupTab};
use crate::test_drives::{Drives, DrivesTab};
use crate::words::{fill, w};
use crate::{api, browser};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    TestDrives,
    Signup,
    Login,
}

/// Who is signed in, as far as this page load knows.
#[derive(Clone, Debug, PartialEq)]
pub enum Session {
    /// Not asked yet: a partitioned cookie from an earlier visit may still hold a session.
    Unknown,
    /// Being asked.
    Checking,
    SignedOut,
    /// Signed in. Browsers block storage in third-party frames, so the token lives in memory only.
    SignedIn {
        token: Option<String>,
        account: WidgetAccount,
    },
}

/// What every screen of the widget shares.
#[derive(Clone, Copy)]
pub struct Shell {
    pub config: StoredValue<FrameConfig>,
    host: StoredValue<Host>,
    pub tab: RwSignal<Tab>,
    pub session: RwSignal<Session>,
}

impl Shell {
    pub fn new(config: FrameConfig, host: Host) -> Shell {
        Shell {
            config: StoredValue::new(config),
            host: StoredValue::new(host),
            tab: RwSignal::new(Tab::Signup),
            session: RwSignal::new(Session::Unknown),
        }
    }

    pub fn key(&self) -> String {
        self.config.with_value(|config| config.key.clone())
    }

    pub fn reseller(&self) -> String {
        self.config.with_value(|config| config.reseller_name.clone())
    }

    /// The bearer token of this page load's session, if it has one.
    pub fn token(&self) -> Option<String> {
        self.session.with_untracked(|session| match session {
            Session::SignedIn { token, .. } => token.clone(),
            _ => None,
        })
    }

    /// Tells the host page that `name` happened; `detail` is JSON.
    pub fn emit(&self, name: &str, detail: &str) {
        self.host.with_value(|host| host.emit(name, detail));
    }

    /// Asks the server once whether an earlier visit's session cookie still signs someone in.
    pub fn check_session(&self) {
        if self.session.get_untracked() != Session::Unknown {
            return;
        }
        self.session.set(Session::Checking);
        let (key, session) = (self.key(), self.session);
        leptos::task::spawn_local(async move {
            let account = api::current_account(&key, None).await;
            session.set(account.map_or(Session::SignedOut, |account| Session::SignedIn { token: None, account }));
        });
    }
}

/// What the widget carries over from the server's first paint: what was typed into it before
/// the WebAssembly took over, and the Country list's options as the server wrote them (names in
/// the visitor's language, which the WebAssembly does not carry).
#[derive(Clone, Debug, Default)]
pub struct FirstPaint {
    pub typed: browser::Typed,
    pub country_options: String,
}

#[component]
pub fn Widget(shell: Shell, first_paint: FirstPaint) -> impl IntoView {
    let config = shell.config.get_value();
    let signup = SignupForm::new(&config, &first_paint);
    let login = LoginForm::default();
    let drives = Drives::default();
    // Only a change of tab draws another screen; a click on the current one keeps it as it is.
    let current = Memo::new(move |_| shell.tab.get());
    let tab = move |tab: Tab, label: &'static str| {
        view! {
            <button
                type="button"
                class="tab"
                aria-current=move || (current.get() == tab).then_some("page")
                on:click=move |_| shell.tab.set(tab)
            >
                {label}
            </button>
        }
    };
    let logo = config.logo_url.clone().map(|src| {
        view! { <img class="logo" src=src alt=fill(w().logo, &[&config.reseller_name])/> }
    });
    view! {
        <nav class="tabs" aria-label=fill(w().tabs_label, &[&config.reseller_name])>
            {tab(Tab::TestDrives, w().test_drives)}
            {tab(Tab::Signup, w().signup)}
            {tab(Tab::Login, w().login)}
        </nav>
        <div id="portico-panel">
            {move || match current.get() {
                Tab::Signup => view! { <SignupTab shell form=signup/> }.into_any(),
                Tab::Login => view! { <LoginTab shell form=login drives/> }.into_any(),
                Tab::TestDrives => view! { <DrivesTab shell drives/> }.into_any(),
            }}
        </div>
        <footer class="powered">{logo}{w().powered_by}<strong>{config.reseller_name.clone()}</strong></footer>
    }
}
