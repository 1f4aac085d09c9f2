//! Customer fields: the tab with one customer's values, and the settings page where admins define
//! the fields.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::custom_fields::{FieldKind, FieldValue, ValueError};
use portico_shared::Field;
use portico_shared::VariantArray;

use crate::api::settings::{customer_fields_page, DefineCustomerField, RetireCustomerField};
use crate::api::SaveCustomerFieldValues;
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{
    field_errors, focus_first_error, focus_first_invalid, form_failure, stored, SubmitButton, TextArea, TextField,
};
use crate::PortalError;

/// The Customer fields tab: every field in use, with this customer's value.
#[component]
pub fn FieldsTab(
    customer: String,
    fields: Vec<FieldValue>,
    action: ServerAction<SaveCustomerFieldValues>,
) -> impl IntoView {
    let pending = action.pending();
    let errors = Signal::derive(move || match action.value().get() {
        Some(Err(PortalError::InvalidValues(errors))) => errors,
        _ => Vec::new(),
    });
    let failure = form_failure(move || action.value().get());
    focus_first_invalid(Signal::derive(move || !errors.with(Vec::is_empty)));
    let saved = move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.");
    if fields.is_empty() {
        return view! {
            <section aria-labelledby="tab-title">
                <h2 id="tab-title" class="section">"Customer fields"</h2>
                <div class="empty">
                    <p><strong>"No customer fields yet."</strong></p>
                    <p>"Your admins define them under " <a href="/settings/customer-fields">"Customer fields settings"</a> "."</p>
                </div>
            </section>
        }
        .into_any_sync();
    }
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Customer fields"</h2>
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <p class="form-error" role="alert">{failure}</p>
                    <p class="notice" role="status">{saved}</p>
                    {fields.into_iter().map(|field| view! { <ValueInput field errors/> }).collect_view()}
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
    .into_any_sync()
}

#[component]
fn ValueInput(field: FieldValue, errors: Signal<Vec<ValueError>>) -> impl IntoView {
    let FieldValue { definition, value } = field;
    let id = format!("value-{}", definition.id);
    let error_id = format!("{id}-error");
    let name = format!("values[{}]", definition.id);
    let field_id = definition.id.clone();
    let message = Signal::derive(move || {
        errors.with(|all| all.iter().find(|e| e.field_id == field_id).map(|e| e.message.clone()))
    });
    let invalid = move || message.with(Option::is_some).to_string();
    let value = value.unwrap_or_default();
    let options = |choices: Vec<(String, String)>, value: String| {
        let mut all = vec![(String::new(), "—".to_owned())];
        all.extend(choices);
        all.into_iter()
            .map(|(option, label)| {
                let selected = option == value;
                view! { <option value=option selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let input = match definition.kind {
        FieldKind::YesNo | FieldKind::Choice => {
            let choices = if definition.kind == FieldKind::YesNo {
                vec![("yes".to_owned(), "Yes".to_owned()), ("no".to_owned(), "No".to_owned())]
            } else {
                definition.choices.iter().map(|c| (c.clone(), c.clone())).collect()
            };
            view! {
                <select id=id.clone() name=name required=definition.required aria-invalid=invalid aria-describedby=error_id.clone()>
                    {options(choices, value)}
                </select>
            }
            .into_any_sync()
        }
        kind => {
            let kind = match kind {
                FieldKind::Number => "number",
                FieldKind::Date => "date",
                _ => "text",
            };
            view! {
                <input id=id.clone() name=name type=kind step="any" value=value required=definition.required aria-invalid=invalid aria-describedby=error_id.clone()/>
            }
            .into_any_sync()
        }
    };
    view! {
        <div class="field">
            <label for=id>
                {definition.label}
                {definition.required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {input}
            <p class="field-error" id=error_id>{move || message.get()}</p>
        </div>
    }
}

/// Settings → Customer fields: the fields every customer of the reseller has.
#[component]
pub fn CustomerFieldsSettingsPage() -> impl IntoView {
    let define = ServerAction::<DefineCustomerField>::new();
    let retire = ServerAction::<RetireCustomerField>::new();
    let defined = stored(define);
    let retired = stored(retire);
    let data = Resource::new_serde_wb(move || (defined.get(), retired.get()), |_| customer_fields_page());
    view! {
        <Title text="Customer fields"/>
        <Transition fallback=|| view! { <p class="loading">"Loading customer fields…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let list = if page.fields.is_empty() {
                            view! { <p class="empty">"No customer fields yet. Add the first below."</p> }.into_any_sync()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="list">
                                        <thead><tr><th scope="col">"Label"</th><th scope="col">"Type"</th><th scope="col">"Required"</th><th scope="col">"Choices"</th><th scope="col">"Actions"</th></tr></thead>
                                        <tbody>
                                            {page.fields.into_iter().map(|field| {
                                                let summary = format!("Retire {}…", field.label);
                                                let warning = format!("{} is no longer shown or asked for. Values already entered are kept.", field.label);
                                                view! {
                                                    <tr>
                                                        <td>{field.label.clone()}</td>
                                                        <td>{field.kind.label()}</td>
                                                        <td>{if field.required { "Yes" } else { "No" }}</td>
                                                        <td>{field.choices.join(", ")}</td>
                                                        <td>
                                                            <details class="confirm">
                                                                <summary class="small danger">{summary}</summary>
                                                                <p>{warning}</p>
                                                                <ActionForm action=retire>
                                                                    {view! {
                                                                        <input type="hidden" name="field" value=field.id.to_string()/>
                                                                        <button type="submit" class="small danger">"Retire field"</button>
                                                                    }
                                                                    .into_any_sync()}
                                                                </ActionForm>
                                                            </details>
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                            .into_any_sync()
                        };
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Customer fields"</nav>
                                <h1>"Customer fields"</h1>
                                <p class="help">"Your own fields on every customer, filled in on each customer's Customer fields tab."</p>
                                <p class="form-error" role="alert">{move || retire.value().get().and_then(Result::err).map(|e| e.to_string())}</p>
                                {list}
                                <DefineForm action=define/>
                            </SignedInLayout>
                        }
                        .into_any_sync()
                    }
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn DefineForm(action: ServerAction<DefineCustomerField>) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    focus_first_error(errors);
    let kind_error = move || errors.with(|all| all.iter().find(|e| e.field == Field::Kind).map(|e| e.message.clone()));
    view! {
        <h2 class="section">"Add a field"</h2>
        <ActionForm action attr:class="details-form" attr:novalidate=true>
            {view! {
                <p class="form-error" role="alert">{failure}</p>
                <TextField field=Field::Label label="Label" kind="text" autocomplete="off" required=true value=String::new() errors id_prefix="field" arg="field"/>
                <div class="field">
                    <label for="field-kind">"Type"</label>
                    <select id="field-kind" name="field[kind]" aria-invalid=move || kind_error().is_some().to_string() aria-describedby="field-kind-error">
                        {FieldKind::VARIANTS.iter().map(|kind| view! { <option value=kind.as_str()>{kind.label()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="field-kind-error">{kind_error}</p>
                </div>
                <TextArea field=Field::Choices label="Choices" help="For a choice from a list: one choice per line." value=String::new() errors id_prefix="field" arg="field"/>
                <div class="check">
                    <input type="checkbox" id="field-required" name="field[required]" value="true"/>
                    <label for="field-required">"Required"</label>
                </div>
                <div class="form-actions">
                    <SubmitButton pending label="Add field" busy="Adding…"/>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}
