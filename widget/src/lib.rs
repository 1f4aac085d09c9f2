//! The end-customer widget: the page inside the iframe that a reseller's embed tag creates.
//! It reads its configuration from the page the server rendered, mounts the Leptos app over the
//! loading placeholder, and keeps the host page informed of its height and of what happened.

mod api;
mod config;
mod host;
mod json;
mod login;
mod signup;
mod test_drives;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::FrameConfig;
use crate::login::LoginPanel;
use crate::signup::SignupForm;
use crate::test_drives::TestDrivesPanel;

#[wasm_bindgen(start)]
pub fn start() {
    let document = document();
    let Some(root) = document.get_element_by_id("portico-root") else { return };
    let Some(config) = FrameConfig::read(&document) else {
        root.set_text_content(Some("This widget could not start: its configuration is missing."));
        return;
    };
    apply_brand_color(&document, config.brand_color.as_deref());
    root.set_inner_html("");
    let _ = root.remove_attribute("aria-busy");
    let host = host::Host::new(&config);
    host.watch_height();
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else { return };
    leptos::mount::mount_to(root, move || view! { <Widget config=config.clone() host=host.clone()/> }).forget();
}

/// The reseller's colour replaces the default accent. Set through the CSS object model, which the
/// frame's `style-src 'self'` allows (a `style` attribute it would not).
fn apply_brand_color(document: &web_sys::Document, color: Option<&str>) {
    let Some(color) = color else { return };
    if let Some(root) = document.document_element().and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = root.style().set_property("--accent", color);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    TestDrives,
    Signup,
    Login,
}

#[component]
fn Widget(config: FrameConfig, host: host::Host) -> impl IntoView {
    let tab = RwSignal::new(Tab::Signup);
    let reseller_name = config.reseller_name.clone();
    let footer_name = config.reseller_name.clone();
    let logo = config.logo_url.clone().map(|src| {
        let alt = format!("{} logo", config.reseller_name);
        view! { <img class="logo" src=src alt=alt/> }
    });
    let on_login = Callback::new(move |()| tab.set(Tab::Login));
    let on_signup = Callback::new(move |()| tab.set(Tab::Signup));
    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button
                type="button"
                class="tab"
                aria-current=move || (tab.get() == which).then_some("page")
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="tabs" aria-label=format!("{reseller_name} customer portal")>
            {tab_button(Tab::TestDrives, "Test Drives")}
            {tab_button(Tab::Signup, "Signup")}
            {tab_button(Tab::Login, "Login")}
        </nav>
        {move || match tab.get() {
            Tab::Signup => {
                view! { <SignupForm config=config.clone() host=host.clone() on_login/> }
                    .into_any()
            }
            Tab::Login => view! { <LoginPanel config=config.clone() host=host.clone()/> }.into_any(),
            Tab::TestDrives => {
                view! { <TestDrivesPanel config=config.clone() on_signup on_login/> }.into_any()
            }
        }}
        <footer class="powered">{logo}"Powered By " <strong>{footer_name}</strong></footer>
    }
}
