//! The Organization, Name, Title, Email, Phone and Address fields of the Add and Customer
//! information forms, with each refused field's message tied to its input.

use leptos::prelude::*;
use portico_shared::details::DetailsInput;
use portico_shared::{countries, regional};
use portico_shared::{Field, FieldError};

use crate::PortalError;

/// The field errors of a failed save, if that is why it failed.
pub fn field_errors(
    value: impl Fn() -> Option<Result<(), PortalError>> + Send + Sync + 'static,
) -> Signal<Vec<FieldError>> {
    Signal::derive(move || match value() {
        Some(Err(PortalError::Invalid(errors))) => errors,
        _ => Vec::new(),
    })
}

/// A failure that is not about one field (changed meanwhile, unavailable), as a sentence.
pub fn form_failure(
    value: impl Fn() -> Option<Result<(), PortalError>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || match value() {
        Some(Err(PortalError::Invalid(_))) => Some("Please correct the fields marked below.".to_owned()),
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    })
}

/// The fields, each with its error under it. Forms using them set `novalidate`: the server's
/// messages, tied to their fields, replace the browser's own bubbles.
#[component]
pub fn DetailsFields(initial: DetailsInput, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    focus_first_error(errors);
    let text = |field: Field, label: &'static str, kind: &'static str, autocomplete: &'static str, required: bool| {
        let value = initial.value(field).to_owned();
        view! { <TextField field label kind autocomplete required value errors id_prefix="customer" arg="details"/> }
    };
    let chosen = if initial.country.is_empty() { countries::DEFAULT_COUNTRY } else { initial.country.as_str() };
    let country = RwSignal::new(chosen.to_owned());
    let state = initial.state.clone();
    view! {
        {text(Field::CompanyName, "Organization", "text", "organization", true)}
        {text(Field::ContactName, "Name", "text", "name", true)}
        {text(Field::Title, "Title", "text", "organization-title", false)}
        {text(Field::Email, "Email", "email", "email", true)}
        <p class="help">"The person who receives platform and system notifications."</p>
        {text(Field::Phone, "Phone", "tel", "tel", true)}
        <fieldset class="address">
            <legend>"Address"</legend>
            {text(Field::StreetAddress, "Street address", "text", "address-line1", false)}
            {text(Field::Suite, "Suite", "text", "address-line2", false)}
            {text(Field::City, "City", "text", "address-level2", false)}
            <StateField country initial=state errors/>
            {text(Field::Zip, "Zip/postal code", "text", "postal-code", false)}
            <CountryField country errors/>
        </fieldset>
    }
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
    let message = move || errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()));
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
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
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// A labelled multi-line field with its error under it, named as [`TextField`] names inputs.
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
    let message = move || errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()));
    let described = format!("{help_id} {error_id}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
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
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// State: the country's states, provinces or territories where Portico has them (as the widget
/// offers them), else text; it follows the Country chosen below it.
#[component]
fn StateField(country: RwSignal<String>, initial: String, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    move || {
        let Some(listed) = regional::subdivisions(&country.get()) else {
            let value = initial.clone();
            return view! {
                <TextField field=Field::State label="State" kind="text" autocomplete="address-level1" required=false value errors id_prefix="customer" arg="details"/>
            }
            .into_any();
        };
        let listed: Vec<&'static str> = listed.map(|(_, name)| name).collect();
        // A stored value outside the list (typed before lists existed) stays until someone changes it.
        let kept = (!initial.is_empty() && !listed.contains(&initial.as_str())).then(|| initial.clone());
        let current = initial.clone();
        view! {
            <SelectField field=Field::State label="State" autocomplete="address-level1" errors>
                <option value="">"Choose…"</option>
                {kept.map(|value| view! { <option value=value.clone() selected=true>{value.clone()}</option> })}
                {listed
                    .into_iter()
                    .map(|name| view! { <option value=name selected=name == current>{name}</option> })
                    .collect_view()}
            </SelectField>
        }
        .into_any()
    }
}

#[component]
fn CountryField(country: RwSignal<String>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let selected = country.get_untracked();
    view! {
        <SelectField field=Field::Country label="Country" autocomplete="country" errors chosen=country>
            {countries::all()
                .map(|(code, name)| view! { <option value=code selected=code == selected>{name}</option> })
                .collect_view()}
        </SelectField>
    }
}

/// A labelled list of the details form with its error under it, named as [`TextField`] names
/// inputs; `chosen`, when given, follows what is picked.
#[component]
fn SelectField(
    field: Field,
    label: &'static str,
    autocomplete: &'static str,
    errors: Signal<Vec<FieldError>>,
    #[prop(optional)] chosen: Option<RwSignal<String>>,
    children: Children,
) -> impl IntoView {
    let id = format!("customer-{}", field.name());
    let error_id = format!("{id}-error");
    let message = move || errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()));
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=format!("details[{}]", field.name())
                autocomplete=autocomplete
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone())
                on:change=move |event| {
                    if let Some(chosen) = chosen {
                        chosen.set(event_target_value(&event));
                    }
                }
            >
                {children()}
            </select>
            <p class="field-error" id=error_id>{message}</p>
        </div>
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
