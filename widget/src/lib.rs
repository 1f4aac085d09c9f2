//! The end-customer widget: the page inside the iframe that a reseller's embed tag creates. A
//! Leptos app whose components draw the same screens on both sides: the server renders the first
//! paint with them (`first_paint`, feature `ssr`), so the Signup form is on screen before any
//! script runs; the browser's WebAssembly (feature `csr`) then renders the same view and puts it
//! in the first paint's place in one step (`start`), carrying over what the visitor typed and
//! where the caret was. It keeps the host page informed of its height and of what happened.

// What only the browser's entry point uses (reading the first paint, the host page) is unused
// in the server's build, which renders the first paint alone.
#![cfg_attr(not(feature = "csr"), allow(dead_code))]

mod api;
mod app;
mod browser;
mod config;
mod host;
mod login;
mod shell;
mod signup;
mod test_drives;
mod words;

pub use config::FrameConfig;

/// The id of the element the widget lives in, in the frame page.
pub const ROOT_ID: &str = "portico-root";

/// The widget's HTML as the first paint shows it (the Signup tab, empty, in the configured
/// language), to go inside the element with id [`ROOT_ID`].
#[cfg(feature = "ssr")]
pub fn first_paint(config: &FrameConfig) -> String {
    use leptos::prelude::*;

    use crate::app::Widget;
    use crate::shell::{FirstPaint, Shell};

    // The words follow a per-thread language; the render below is synchronous, so no other
    // request's render can run on this thread in between.
    words::set_language(config.language);
    let first_paint = FirstPaint { typed: Default::default(), country_options: country_options(config.language) };
    let config = config.clone();
    Owner::new().with(move || {
        let shell = Shell::new(config, host::Host::default());
        view! { <Widget shell first_paint/> }.to_html()
    })
}

/// The Country list's `<option>`s in `language`, the default country chosen.
#[cfg(feature = "ssr")]
fn country_options(language: portico_shared::language::Language) -> String {
    use portico_shared::countries::{all_in, DEFAULT_COUNTRY};

    portico_shared::ui::options_markup(all_in(language), DEFAULT_COUNTRY)
}

/// Takes the first paint over, once the browser has painted it: reads the configuration the
/// server put in the page, renders the widget with what was typed so far, and swaps it in.
#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    use std::time::Duration;

    use leptos::prelude::{request_animation_frame, set_timeout};

    // The frame's HTML, its inline style and this module often all arrive before the browser's
    // first paint; taking over right away would keep the server's form off screen until the
    // WebAssembly had drawn its own. After the next frame's paint, it is on screen.
    request_animation_frame(|| set_timeout(take_over, Duration::ZERO));
}

#[cfg(feature = "csr")]
fn take_over() {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    use crate::app::Widget;
    use crate::browser::Typed;
    use crate::shell::{FirstPaint, Shell};

    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = document.get_element_by_id(ROOT_ID) else { return };
    let config = document
        .get_element_by_id("portico-config")
        .and_then(|element| element.text_content())
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .and_then(|value| serde_wasm_bindgen::from_value::<FrameConfig>(value).ok());
    let Some(config) = config else {
        root.set_text_content(Some("This widget could not start: its configuration is missing."));
        return;
    };
    words::set_language(config.language);
    let country_options = root
        .query_selector("select[name=country]")
        .ok()
        .flatten()
        .map(|select| select.inner_html())
        .unwrap_or_default();
    let typed = Typed::read(&root);
    let host = host::Host::new(&config.allowed_origins);
    host.watch_height();
    let Some(fresh) = document.create_element("main").ok().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    fresh.set_id(ROOT_ID);
    let first_paint = FirstPaint { typed: typed.clone(), country_options };
    let shell_host = host.clone();
    leptos::mount::mount_to(fresh.clone(), move || {
        let shell = Shell::new(config, shell_host);
        view! { <Widget shell first_paint/> }
    })
    .forget();
    let _ = root.replace_with_with_node_1(&fresh);
    typed.restore_focus();
    // The form is drawn and listening: the host page may measure or reveal it now.
    host.emit("ready", "{}");
}
