//! The few things the widget asks of the browser directly, outside what Leptos draws: focus,
//! the page's clock, random keys, and what the visitor typed into the server's first paint
//! before the WebAssembly took over.

use std::time::Duration;

use leptos::prelude::set_timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

/// Moves focus to element `id` once the current event and the screen changes it caused have been
/// handled (focusing fires `focusout` on the field that had it, which must not run mid-update).
pub fn focus_soon(id: String) {
    set_timeout(
        move || {
            let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
            if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = element.focus();
            }
        },
        Duration::ZERO,
    );
}

/// A form's submit handler: the page stays where it is, and `act` runs.
pub fn on_submit(act: impl Fn() + 'static) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |event| {
        event.prevent_default();
        act();
    }
}

/// The time now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A random Idempotency-Key from the browser's CSPRNG.
pub fn random_key() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

/// What the visitor did to the server-rendered form before the WebAssembly took it over: each
/// named field's value (or, for a checkbox, whether it is ticked), and where the caret was.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub values: Vec<(String, String)>,
    pub ticked: Vec<String>,
    /// The focused field's id and its selection.
    pub focus: Option<(String, Option<u32>, Option<u32>)>,
}

impl Typed {
    pub fn read(root: &web_sys::Element) -> Typed {
        let mut typed = Typed::default();
        if let Ok(fields) = root.query_selector_all("input[name], select[name]") {
            for index in 0..fields.length() {
                let Some(node) = fields.item(index) else { continue };
                if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                    if input.type_() == "checkbox" {
                        if input.checked() {
                            typed.ticked.push(input.name());
                        }
                    } else {
                        typed.values.push((input.name(), input.value()));
                    }
                } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
                    typed.values.push((select.name(), select.value()));
                }
            }
        }
        let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
        typed.focus = active.filter(|element| !element.id().is_empty()).map(|element| {
            let input = element.dyn_ref::<HtmlInputElement>();
            let start = input.and_then(|i| i.selection_start().ok().flatten());
            let end = input.and_then(|i| i.selection_end().ok().flatten());
            (element.id(), start, end)
        });
        typed
    }

    /// Puts the focus and the caret back where they were.
    pub fn restore_focus(&self) {
        let Some((id, start, end)) = &self.focus else { return };
        let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) else { return };
        let _ = element.focus();
        if let (Some(input), Some(start), Some(end)) = (element.dyn_ref::<HtmlInputElement>(), start, end) {
            let _ = input.set_selection_range(*start, *end);
        }
    }
}
