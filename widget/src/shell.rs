//! What every screen of the widget shares: the configuration, the tab showing, who is signed in,
//! the host page, and what the server's first paint carries over.

use leptos::prelude::*;
use portico_shared::login::WidgetAccount;

use crate::config::FrameConfig;
use crate::host::Host;
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
