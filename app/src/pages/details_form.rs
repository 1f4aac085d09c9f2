//! The Organization, Name, Title, Email, Phone and Address fields of the Add and Customer
//! information forms, with each refused field's message tied to its input.

use leptos::prelude::*;
use portico_shared::countries;
use portico_shared::details::DetailsInput;
use portico_shared::ui;
use portico_shared::{Field, FieldError};

use crate::erased::IntoAnySync;
use crate::pages::inputs::{focus_first_error, ChoiceField, TextField};

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

/// State: the country's states, provinces or territories where Portico has them (as the widget
/// offers them), else text; it follows the Country chosen below it.
#[component]
fn StateField(country: RwSignal<String>, initial: String, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    move || {
        let Some(options) = ui::state_choices(&country.get(), &initial, "Choose…") else {
            let value = initial.clone();
            return view! {
                <TextField field=Field::State label="State" kind="text" autocomplete="address-level1" required=false value errors id_prefix="customer" arg="details"/>
            }
            .into_any_sync();
        };
        view! {
            <ChoiceField field=Field::State label="State" options selected=initial.clone() errors id_prefix="customer" arg="details" autocomplete="address-level1"/>
        }
        .into_any_sync()
    }
}

#[component]
fn CountryField(country: RwSignal<String>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let options = countries::all().map(|(code, name)| (code.to_owned(), name.to_owned())).collect();
    view! {
        <ChoiceField field=Field::Country label="Country" options selected=country.get_untracked() errors id_prefix="customer" arg="details" chosen=country autocomplete="country"/>
    }
}
