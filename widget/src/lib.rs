//! The end-customer widget: the page inside the iframe that a reseller's embed tag creates.
//! It reads its configuration from the page the server rendered, draws its tabs over the loading
//! placeholder, and keeps the host page informed of its height and of what happened.
//!
//! The state of the widget is one [`App`]. Events reach it through one listener per event type on
//! the root element: clicks by the `data-act` of the element clicked, typing by the field's
//! `name`. Each tab module draws its screen from its state and patches it as that state changes.

mod api;
mod config;
mod dom;
mod host;
mod json;
mod login;
mod signup;
mod test_drives;
mod words;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

use crate::api::Account;
use crate::config::FrameConfig;
use crate::dom::{el, El};
use crate::words::{fill, w};

#[wasm_bindgen(start)]
pub fn start() {
    let document = dom::document();
    let Some(root) = document.get_element_by_id("portico-root") else { return };
    let Some(config) = FrameConfig::read(&document) else {
        root.set_text_content(Some("This widget could not start: its configuration is missing."));
        return;
    };
    words::choose_language();
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", w().html_lang);
    }
    apply_brand_color(&document, config.brand_color.as_deref());
    let host = host::Host::new(&config);
    host.watch_height();
    let panel = el("div").id("portico-panel");
    let shell = [
        el("nav").class("tabs").attr("aria-label", &fill(w().tabs_label, &[&config.reseller_name])).children(
            [(Tab::TestDrives, w().test_drives), (Tab::Signup, w().signup), (Tab::Login, w().login)]
                .map(|(tab, label)| dom::button("tab", tab.action(), label)),
        ),
        panel,
        footer(&config),
    ];
    root.set_text_content(None);
    let _ = root.remove_attribute("aria-busy");
    for part in shell {
        let _ = root.append_child(&part.0);
    }
    listen(&root);
    let app = App {
        signup: signup::Signup::new(&config),
        login: login::Login::default(),
        drives: test_drives::Drives::default(),
        config,
        host,
        tab: Tab::Signup,
        session: Session::Unknown,
    };
    APP.with(|slot| *slot.borrow_mut() = Some(app));
    with_app(|app| {
        app.show(Tab::Signup);
        // The form is drawn and listening: the host page may measure or reveal it now.
        app.host.emit("ready", "{}");
    });
}

/// The reseller's colour replaces the default accent. Set through the CSS object model, which the
/// frame's `style-src 'self'` allows (a `style` attribute it would not).
fn apply_brand_color(document: &web_sys::Document, color: Option<&str>) {
    let Some(color) = color else { return };
    if let Some(root) = document.document_element().and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = root.style().set_property("--accent", color);
    }
}

fn footer(config: &FrameConfig) -> El {
    let logo = config
        .logo_url
        .as_deref()
        .map(|src| el("img").class("logo").attr("src", src).attr("alt", &fill(w().logo, &[&config.reseller_name])));
    el("footer").class("powered").maybe(logo).text(w().powered_by).child(el("strong").text(&config.reseller_name))
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    TestDrives,
    Signup,
    Login,
}

impl Tab {
    fn action(self) -> &'static str {
        match self {
            Tab::TestDrives => "tab:drives",
            Tab::Signup => "tab:signup",
            Tab::Login => "tab:login",
        }
    }
}

/// Who is signed in, as far as this page load knows.
#[derive(Clone, PartialEq)]
pub enum Session {
    /// Not asked yet: a partitioned cookie from an earlier visit may still hold a session.
    Unknown,
    /// Being asked.
    Checking,
    SignedOut,
    /// Signed in. Browsers block storage in third-party frames, so the token lives in memory only.
    SignedIn {
        token: Option<String>,
        account: Account,
    },
}

pub struct App {
    pub config: FrameConfig,
    pub host: host::Host,
    pub tab: Tab,
    pub session: Session,
    signup: signup::Signup,
    login: login::Login,
    drives: test_drives::Drives,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Runs `f` on the widget's state. An event fired while the state is in use (focus moving while
/// a screen is redrawn) is dropped rather than handled half-way.
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|slot| slot.try_borrow_mut().ok()?.as_mut().map(f))
}

impl App {
    /// Shows a tab, drawn from its current state.
    pub fn show(&mut self, tab: Tab) {
        self.tab = tab;
        if let Ok(tabs) = dom::document().query_selector_all(".tab") {
            for index in 0..tabs.length() {
                if let Some(button) = tabs.item(index).and_then(|node| node.dyn_into::<Element>().ok()) {
                    let current = button.get_attribute("data-act").as_deref() == Some(tab.action());
                    let _ = if current {
                        button.set_attribute("aria-current", "page")
                    } else {
                        button.remove_attribute("aria-current")
                    };
                }
            }
        }
        match tab {
            Tab::Signup => signup::show(self),
            Tab::Login => login::show(self),
            Tab::TestDrives => test_drives::show(self),
        }
    }

    /// Puts a screen in the panel under the tabs.
    pub fn draw(&self, content: El) {
        if let Some(panel) = dom::by_id("portico-panel") {
            dom::replace_children(&panel, content);
        }
    }

    /// The bearer token of this page load's session, if it has one.
    pub fn token(&self) -> Option<String> {
        match &self.session {
            Session::SignedIn { token, .. } => token.clone(),
            _ => None,
        }
    }

    /// Asks the server once whether an earlier visit's session cookie still signs someone in, then
    /// redraws the tab that was waiting for the answer.
    pub fn check_session(&mut self) {
        if self.session != Session::Unknown {
            return;
        }
        self.session = Session::Checking;
        let key = self.config.key.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let account = api::current_account(&key, None).await;
            with_app(|app| {
                app.session = account.map_or(Session::SignedOut, |account| Session::SignedIn { token: None, account });
                // The Signup form does not depend on it, and redrawing it would move focus.
                if app.tab != Tab::Signup {
                    app.show(app.tab);
                }
            });
        });
    }

    fn click(&mut self, action: &str) {
        match action {
            "tab:drives" => self.show(Tab::TestDrives),
            "tab:signup" => self.show(Tab::Signup),
            "tab:login" => self.show(Tab::Login),
            _ => match self.tab {
                Tab::Signup => signup::click(self, action),
                Tab::Login => login::click(self, action),
                Tab::TestDrives => test_drives::click(self, action),
            },
        }
    }
}

/// What one event says, read before the widget's state is touched.
enum Input {
    Click(String),
    Submit,
    /// A field's new value (`checked` for a checkbox).
    Change {
        name: String,
        value: String,
        checked: bool,
    },
    Leave(String),
}

fn listen(root: &Element) {
    for kind in ["click", "input", "change", "focusout", "submit"] {
        let handler = Closure::<dyn Fn(Event)>::new(move |event: Event| {
            if let Some(input) = read(kind, &event) {
                with_app(|app| route(app, input));
            }
        });
        let _ = root.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
        // One listener per event type, for the life of the page.
        handler.forget();
    }
}

fn read(kind: &str, event: &Event) -> Option<Input> {
    let target: Element = event.target()?.dyn_into().ok()?;
    match kind {
        "click" => {
            let actor = target.closest("[data-act]").ok()??;
            Some(Input::Click(actor.get_attribute("data-act")?))
        }
        "submit" => {
            event.prevent_default();
            Some(Input::Submit)
        }
        "focusout" => Some(Input::Leave(target.get_attribute("name")?)),
        _ => Some(Input::Change {
            name: target.get_attribute("name")?,
            value: dom::property(&target, "value").as_string().unwrap_or_default(),
            checked: dom::property(&target, "checked").as_bool().unwrap_or(false),
        }),
    }
}

fn route(app: &mut App, input: Input) {
    match (input, app.tab) {
        (Input::Click(action), _) => app.click(&action),
        (Input::Submit, Tab::Signup) => signup::submit(app),
        (Input::Submit, Tab::Login) => login::submit(app),
        (Input::Change { name, value, checked }, Tab::Signup) => signup::change(app, &name, value, checked),
        (Input::Change { name, value, .. }, Tab::Login) => login::change(app, &name, value),
        (Input::Leave(name), Tab::Signup) => signup::leave(app, &name),
        _ => {}
    }
}
