//! The parts every portal form is made of: labelled inputs, lists and text areas with their
//! refusals under them, the submit button, the focus on the first refused field, and the outcome
//! of an action — for forms that share one action (a list's entries and its Add form), shown
//! only beside the form that sent it.

use leptos::prelude::*;
use leptos::server::codee::string::JsonSerdeWasmCodec;
use portico_shared::ui::{self, FieldBox};
use portico_shared::{Field, FieldError};

use crate::erased::SyncChildren;
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
    /// The browser's autofill hint, if any.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = format!("{id_prefix}-{}", field.name());
    let error_id = format!("{id}-error");
    let message = message_of(errors, field);
    let described = error_id.clone();
    view! {
        <FieldBox control=id.clone() label required=false message=Signal::derive(message) error_id>
            <select
                id=id
                name=format!("{arg}[{}]", field.name())
                autocomplete=autocomplete
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone())
                on:change=move |event| {
                    if let Some(chosen) = chosen {
                        chosen.set(event_target_value(&event));
                    }
                }
            >
                {ui::options(options, selected)}
            </select>
        </FieldBox>
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
    children: SyncChildren,
) -> impl IntoView {
    view! {
        <details class="confirm">
            <summary class="small danger">{summary}</summary>
            <p>{warning}</p>
            {children.view()}
        </details>
    }
}

/// A form of a list's entry — an Add form (no id) or an entry's own — whose action the list's
/// forms share: its own refusals and failure, what it says once stored, and, for an Add form,
/// emptying itself once it added. Its inputs are named `{arg}[field]` and their ids start with
/// `{arg}-{key}`.
#[derive(Clone, Copy)]
pub struct EntryForm {
    /// `new`, or the entry's id.
    key: StoredValue<String>,
    prefix: StoredValue<String>,
    arg: &'static str,
    pub errors: Signal<Vec<FieldError>>,
    pub failure: Signal<Option<String>>,
    /// "Added." or "Saved." once stored.
    pub saved: Signal<Option<&'static str>>,
    pub form: NodeRef<leptos::html::Form>,
    sent_by: RwSignal<String>,
    added: Signal<bool>,
}

impl EntryForm {
    pub fn new(
        arg: &'static str,
        id: &str,
        value: impl Fn() -> Option<Result<(), PortalError>> + Send + Sync + Clone + 'static,
        sent_by: RwSignal<String>,
    ) -> EntryForm {
        let adding = id.is_empty();
        let key = if adding { "new".to_owned() } else { id.to_owned() };
        let own = outcome_for(value, sent_by, key.clone());
        let errors = field_errors(own.clone());
        focus_first_error(errors);
        let stored = {
            let own = own.clone();
            Signal::derive(move || matches!(own(), Some(Ok(()))))
        };
        EntryForm {
            prefix: StoredValue::new(format!("{arg}-{key}")),
            key: StoredValue::new(key),
            arg,
            errors,
            failure: form_failure(own),
            saved: Signal::derive(move || stored.get().then_some(if adding { "Added." } else { "Saved." })),
            form: NodeRef::new(),
            sent_by,
            added: Signal::derive(move || adding && stored.get()),
        }
    }

    /// What the ids of the form's inputs start with.
    pub fn prefix(&self) -> String {
        self.prefix.get_value()
    }

    /// Marks this form as the one that sent the action: its form's `on:submit`.
    pub fn mark_sent(&self) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
        let (sent_by, key) = (self.sent_by, self.key);
        move |_| sent_by.set(key.get_value())
    }

    /// Empties an Add form once what it sent was added, ready for the next entry (the page keeps
    /// its inputs when it shows the new list), then runs `after`.
    pub fn empty_after_adding(&self, after: impl Fn() + Send + Sync + 'static) {
        let (form, added) = (self.form, self.added);
        Effect::new(move |_| {
            if added.get() {
                if let Some(form) = form.get_untracked() {
                    form.reset();
                    after();
                }
            }
        });
    }

    /// A labelled input of the form with its error under it.
    pub fn text(
        &self,
        field: Field,
        label: &'static str,
        kind: &'static str,
        value: String,
        required: bool,
    ) -> impl IntoView {
        let (errors, prefix, arg) = (self.errors, self.prefix(), self.arg);
        view! { <TextField field label kind autocomplete="off" required value errors id_prefix=prefix arg/> }
    }

    /// A labelled list of the form with its error under it.
    pub fn choice(
        &self,
        field: Field,
        label: &'static str,
        options: Vec<(String, String)>,
        selected: String,
    ) -> impl IntoView {
        let (errors, prefix, arg) = (self.errors, self.prefix(), self.arg);
        view! { <ChoiceField field label options selected errors id_prefix=prefix arg/> }
    }
}

/// The field errors of a failed save, if that is why it failed.
pub fn field_errors<T>(
    value: impl Fn() -> Option<Result<T, PortalError>> + Send + Sync + 'static,
) -> Signal<Vec<FieldError>> {
    Signal::derive(move || match value() {
        Some(Err(PortalError::Invalid(errors))) => errors,
        _ => Vec::new(),
    })
}

/// A failure that is not about one field (changed meanwhile, unavailable), as a sentence.
pub fn form_failure<T>(
    value: impl Fn() -> Option<Result<T, PortalError>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || match value() {
        Some(Err(PortalError::Invalid(_))) => Some("Please correct the fields marked below.".to_owned()),
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    })
}

/// How many times an action succeeded: pages reload their data after a success, and not after a
/// refusal, which would replace what the person typed with what is stored.
pub fn successes(version: RwSignal<usize>, succeeded: impl Fn() -> bool + Send + Sync + 'static) -> Memo<usize> {
    Memo::new(move |previous: Option<&usize>| {
        let version = version.get();
        if succeeded() {
            version
        } else {
            previous.copied().unwrap_or(0)
        }
    })
}

/// How many times `action` stored what it was sent: [`successes`] of a save or remove.
pub fn stored<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = PortalError> + Clone + Send + Sync + 'static,
{
    successes(action.version(), move || matches!(action.value().get(), Some(Ok(()))))
}

/// A form's submit button: disabled and saying so while the request runs.
#[component]
pub fn SubmitButton(pending: Memo<bool>, label: &'static str, busy: &'static str) -> impl IntoView {
    view! {
        <button type="submit" class="primary" disabled=pending aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { busy } else { label }}
        </button>
    }
}

/// One labelled input with its error under it; its id is `{id_prefix}-{field}` and it is sent as
/// `{arg}[{field}]`, the field of the server function's `arg`.
#[component]
pub fn TextField(
    field: Field,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
    value: String,
    errors: Signal<Vec<FieldError>>,
    #[prop(into)] id_prefix: String,
    arg: &'static str,
) -> impl IntoView {
    let id = format!("{id_prefix}-{}", field.name());
    let error_id = format!("{id}-error");
    let message = message_of(errors, field);
    let described = error_id.clone();
    view! {
        <FieldBox control=id.clone() label required message=Signal::derive(message) error_id>
            <input
                id=id
                name=if arg.is_empty() { field.name().to_owned() } else { format!("{arg}[{}]", field.name()) }
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone())
            />
        </FieldBox>
    }
}

/// A labelled multi-line field with its help and error under it, named as [`TextField`] names
/// inputs.
#[component]
pub fn TextArea(
    field: Field,
    label: &'static str,
    #[prop(optional)] help: &'static str,
    value: String,
    errors: Signal<Vec<FieldError>>,
    #[prop(into)] id_prefix: String,
    arg: &'static str,
) -> impl IntoView {
    let id = format!("{id_prefix}-{}", field.name());
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let message = message_of(errors, field);
    let described = format!("{help_id} {error_id}");
    view! {
        <FieldBox control=id.clone() label required=false message=Signal::derive(message) error_id>
            <textarea
                id=id
                name=if arg.is_empty() { field.name().to_owned() } else { format!("{arg}[{}]", field.name()) }
                rows="4"
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=described
            >
                {value}
            </textarea>
            <p class="help" id=help_id>{help}</p>
        </FieldBox>
    }
}

/// Moves the keyboard focus to the first refused field whenever a save is refused.
pub fn focus_first_error(errors: Signal<Vec<FieldError>>) {
    focus_first_invalid(Signal::derive(move || !errors.with(Vec::is_empty)));
}

/// Moves the keyboard focus to the first field marked invalid whenever `refused` turns true.
pub fn focus_first_invalid(refused: Signal<bool>) {
    Effect::new(move |_| {
        let refused = refused.get();
        #[cfg(feature = "hydrate")]
        if refused {
            use wasm_bindgen::JsCast;
            let first = document().query_selector("[aria-invalid=\"true\"]").ok().flatten();
            if let Some(input) = first.and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
                let _ = input.focus();
            }
        }
        refused
    });
}

/// How often a page asks again while something it shows is under way (an import, a close).
const WHILE_UNDER_WAY: std::time::Duration = std::time::Duration::from_secs(1);

/// Fetches `data` again every second while `under_way` says its loaded page shows work under way
/// (in the browser only: the server renders once). The resource tracks `tick`.
pub fn again_while_under_way<T, E>(
    tick: RwSignal<u32>,
    data: Resource<Result<T, E>, JsonSerdeWasmCodec>,
    under_way: impl Fn(&T) -> bool + Send + Sync + 'static,
) where
    T: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
{
    Effect::new(move || {
        let busy = data.with(|page| page.as_ref().and_then(|page| page.as_ref().ok()).is_some_and(&under_way));
        if busy {
            set_timeout(move || tick.update(|n| *n += 1), WHILE_UNDER_WAY);
        }
    });
}
