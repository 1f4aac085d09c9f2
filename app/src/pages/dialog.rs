//! A modal dialog: the browser's own `<dialog>`, opened with `showModal()`, so the rest of the
//! page is inert and the keyboard focus stays inside it, Escape closes it, and the focus goes
//! back to the button that opens it.
//!
//! Which dialog of a page is open is one signal of the page (`DialogOpen`), not a flag per
//! dialog: a page's data reloads after a save and draws its dialogs again, and the one that was
//! open (or the one a save opens next, such as the Role ARN dialog after **Add**) opens again.

use crate::erased::SyncChildren;
use leptos::prelude::*;

/// The key of the dialog a page has open, if any.
pub type DialogOpen = RwSignal<Option<String>>;

#[component]
pub fn Modal(
    /// Which of the page's dialogs is open.
    open: DialogOpen,
    /// This dialog's key in `open`; its title's id is `{key}-title`.
    #[prop(into)]
    key: String,
    /// The title, which names the dialog to screen readers.
    #[prop(into)]
    title: String,
    /// The id of the button that opens it, which gets the focus back when it closes.
    #[prop(into)]
    opener: String,
    children: SyncChildren,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let title_id = format!("{key}-title");
    let labelled_by = title_id.clone();
    let mine = key.clone();
    let shown = Memo::new(move |_| open.with(|open| open.as_deref() == Some(mine.as_str())));
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        if shown.get() {
            if !element.open() {
                let _ = element.show_modal();
            }
        } else if element.open() {
            element.close();
        }
    });
    // Escape, Cancel or a save that moves on: the page forgets this dialog (unless another one
    // has opened meanwhile), and the opener gets the focus back.
    let on_close = move |_| {
        open.update(|open| {
            if open.as_deref() == Some(key.as_str()) {
                *open = None;
            }
        });
        focus_by_id(&opener);
    };
    view! {
        <dialog node_ref=dialog class="modal" aria-labelledby=labelled_by on:close=on_close on:keydown=move |event| keep_focus_inside(&event)>
            <div class="modal-head">
                <h3 id=title_id>{title}</h3>
                <button type="button" class="modal-close" aria-label="Close" on:click=move |_| open.set(None)>"×"</button>
            </div>
            {children.view()}
        </dialog>
    }
}

/// Tab from the dialog's last control goes to its first, Shift+Tab from the first to the last:
/// a modal `<dialog>` keeps the page out of reach, but would let the focus leave for the
/// browser's own controls.
fn keep_focus_inside(event: &leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::web_sys::HtmlElement;
        use wasm_bindgen::JsCast;
        const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
             select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
        if event.key() != "Tab" {
            return;
        }
        let Some(dialog) = event.current_target().and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
        else {
            return;
        };
        let Ok(found) = dialog.query_selector_all(FOCUSABLE) else { return };
        // Only what is shown: a hidden field (the 12-digit one, until New Account) takes no focus.
        let shown: Vec<HtmlElement> = (0..found.length())
            .filter_map(|i| found.item(i)?.dyn_into::<HtmlElement>().ok())
            .filter(|element| element.offset_parent().is_some())
            .collect();
        let (Some(first), Some(last)) = (shown.first(), shown.last()) else { return };
        let active = document().active_element();
        let at = |element: &HtmlElement| {
            active.as_ref().is_some_and(|active| active == element.unchecked_ref::<leptos::web_sys::Element>())
        };
        let wrap_to = if event.shift_key() && at(first) {
            Some(last)
        } else if !event.shift_key() && at(last) {
            Some(first)
        } else {
            None
        };
        if let Some(element) = wrap_to {
            event.prevent_default();
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

/// A button that opens the dialog `key` of the page.
#[component]
pub fn OpenDialog(
    open: DialogOpen,
    #[prop(into)] key: String,
    /// The button's id, which the dialog gives the focus back to.
    #[prop(into)]
    id: String,
    #[prop(optional)] class: &'static str,
    children: SyncChildren,
) -> impl IntoView {
    view! {
        <button type="button" id=id class=class aria-haspopup="dialog" on:click=move |_| open.set(Some(key.clone()))>
            {children.view()}
        </button>
    }
}

/// Moves the keyboard focus to the element with this id (in the browser; nothing on the server).
pub fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let element = document().get_element_by_id(id);
        if let Some(element) = element.and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
