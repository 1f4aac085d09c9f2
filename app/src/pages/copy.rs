//! A Copy button: puts a text on the clipboard and says so.

use leptos::prelude::*;

/// `label` names what is copied for assistive technology ("Copy the trust policy").
#[component]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = text.clone();
            leptos::task::spawn_local(async move {
                if let Some(window) = web_sys::window() {
                    let promise = window.navigator().clipboard().write_text(&text);
                    copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&text, copied);
    };
    view! {
        <button type="button" class="small" aria-label=label on:click=copy>"Copy"</button>
        <span role="status" class="notice">{move || copied.get().then_some("Copied to the clipboard.")}</span>
    }
}
