//! Form parts the commercial tabs and catalogs share: a labelled list, a refused field's
//! message, and the outcome of an action shared by several forms (a list's entries and its Add
//! form), shown only beside the form that sent it.

use leptos::prelude::*;
use portico_shared::{Field, FieldError};

use crate::PortalError;

/// The message under `field`, if the last save refused it.
pub fn message_of(errors: Signal<Vec<FieldError>>, field: Field) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    move || errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()))
}

/// The outcome of an action for the form `key`: `sent_by` holds the key of the form that sent it
/// last (each form sets it when submitted).
pub fn outcome_for(
    value: impl Fn() -> Option<Result<(), PortalError>> + Send + Sync + Clone + 'static,
    sent_by: RwSignal<String>,
    key: String,
) -> impl Fn() -> Option<Result<(), PortalError>> + Send + Sync + Clone + 'static {
    move || sent_by.with(|sent| *sent == key).then(&value).flatten()
}

/// A labelled list sent as `{arg}[{field}]`, with its error under it; `chosen`, when given,
/// follows what is picked.
#[component]
pub fn ChoiceField(
    field: Field,
    label: &'static str,
    /// (value, label) of each choice.
    options: Vec<(String, String)>,
    selected: String,
    errors: Signal<Vec<FieldError>>,
    #[prop(into)] id_prefix: String,
    arg: &'static str,
    #[prop(optional)] chosen: Option<RwSignal<String>>,
) -> impl IntoView {
    let id = format!("{id_prefix}-{}", field.name());
    let error_id = format!("{id}-error");
    let message = message_of(errors, field);
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=format!("{arg}[{}]", field.name())
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone())
                on:change=move |event| {
                    if let Some(chosen) = chosen {
                        chosen.set(event_target_value(&event));
                    }
                }
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// The currencies a form offers, by code.
pub fn currency_options() -> Vec<(String, String)> {
    portico_shared::money::Currency::all()
        .map(|currency| (currency.code().to_owned(), currency.code().to_owned()))
        .collect()
}

/// An in-place confirmation: a summary that opens to the consequence and the button that acts.
#[component]
pub fn Confirm(
    /// The summary's words, such as "Remove…".
    #[prop(into)]
    summary: String,
    /// What happens, in a sentence.
    #[prop(into)]
    warning: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm">
            <summary class="small danger">{summary}</summary>
            <p>{warning}</p>
            {children()}
        </details>
    }
}

/// Empties an Add form once what it sent was added, ready for the next entry (the page keeps
/// its inputs when it shows the new list), then runs `after`.
pub fn empty_after_adding(
    form: NodeRef<leptos::html::Form>,
    added: impl Fn() -> bool + Send + Sync + 'static,
    after: impl Fn() + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if added() {
            if let Some(form) = form.get_untracked() {
                form.reset();
                after();
            }
        }
    });
}

/// What a form says once its entry is stored: "Added." for an Add form, "Saved." otherwise.
pub fn stored_words(adding: bool) -> &'static str {
    if adding {
        "Added."
    } else {
        "Saved."
    }
}
