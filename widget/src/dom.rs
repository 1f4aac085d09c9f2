//! The few DOM operations the widget needs, written directly against the browser.
//!
//! The widget is a handful of forms, re-drawn whole when its screen changes and patched in place
//! (error messages, hints, busy buttons) while someone types. That needs no reactive framework:
//! a UI framework's runtime and its per-view code were most of the widget's size, and every
//! reseller's visitor downloads it. Events reach the widget through one listener per event type on
//! its root (see `lib.rs`), so no per-element closures are created or leaked.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, HtmlElement};

pub fn document() -> Document {
    // The widget only ever runs in a page, where both exist.
    web_sys::window().and_then(|w| w.document()).unwrap_or_else(|| unreachable())
}

fn unreachable() -> ! {
    wasm_bindgen::throw_str("Portico widget: no document")
}

/// An element being built: `el("p").class("note").text("…")`.
pub struct El(pub Element);

pub fn el(tag: &str) -> El {
    El(document().create_element(tag).unwrap_or_else(|_| unreachable()))
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets the attribute only when `on` (for boolean attributes such as `required`, `hidden`).
    pub fn flag(self, name: &str, on: bool) -> El {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    pub fn id(self, id: &str) -> El {
        self.attr("id", id)
    }

    pub fn class(self, class: &str) -> El {
        self.attr("class", class)
    }

    /// The click action that `lib.rs` routes to the current screen (`data-act`).
    pub fn act(self, action: &str) -> El {
        self.attr("data-act", action)
    }

    pub fn text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn maybe(self, child: Option<El>) -> El {
        match child {
            Some(child) => self.child(child),
            None => self,
        }
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> El {
        children.into_iter().fold(self, El::child)
    }
}

/// The `<option>`s of a list as markup, for the browser to parse in one step: (value, label,
/// selected). Built element by element, the 250 countries made the widget ready 15-20 ms later
/// (of about 115 ms).
pub fn options_html<'a>(options: impl IntoIterator<Item = (&'a str, &'a str, bool)>) -> String {
    let mut html = String::new();
    for (value, label, selected) in options {
        html.push_str("<option value=\"");
        push_escaped(&mut html, value);
        html.push_str(if selected { "\" selected>" } else { "\">" });
        push_escaped(&mut html, label);
        html.push_str("</option>");
    }
    html
}

/// `text` with the characters that could end an attribute or start markup escaped.
fn push_escaped(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            _ => html.push(c),
        }
    }
}

/// A `<button type="button">` that triggers `action`.
pub fn button(class: &str, action: &str, label: &str) -> El {
    el("button").attr("type", "button").class(class).act(action).text(label)
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// Replaces the text of element `id`, if it is on screen.
pub fn set_text(id: &str, text: &str) {
    if let Some(element) = by_id(id) {
        element.set_text_content(Some(text));
    }
}

/// Sets (or, with `None`, removes) an attribute of element `id`, if it is on screen.
pub fn set_attr(id: &str, name: &str, value: Option<&str>) {
    if let Some(element) = by_id(id) {
        let _ = match value {
            Some(value) => element.set_attribute(name, value),
            None => element.remove_attribute(name),
        };
    }
}

/// Puts `content` in place of whatever `container` held.
pub fn replace_children(container: &Element, content: El) {
    container.set_text_content(None);
    let _ = container.append_child(&content.0);
}

/// Moves focus to element `id` once the current event has been handled (focusing fires `focusout`
/// on the element that had it, which must not run while the widget's state is being changed).
pub fn focus_soon(id: &str) {
    let id = id.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(element) = by_id(&id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}

/// A property of a DOM object (`value`, `checked`), read without a typed binding for each kind of
/// form control.
pub fn property(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Runs `then` after `ms` milliseconds.
pub fn after(ms: i32, then: impl FnOnce() + 'static) {
    let callback = wasm_bindgen::closure::Closure::once_into_js(then);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_escaped_and_one_is_selected() {
        let html = options_html([("", "Choose…", false), ("A&B", "\"A\" <&> B", true)]);
        assert_eq!(
            html,
            "<option value=\"\">Choose…</option><option value=\"A&amp;B\" selected>&quot;A&quot; &lt;&amp;&gt; B</option>"
        );
    }
}
