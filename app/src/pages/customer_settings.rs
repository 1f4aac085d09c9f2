//! The Cloud providers and Customer options tabs of a customer's page.

use leptos::prelude::*;
use portico_shared::settings::{CustomerOptions, ProviderSetting, LAUNCH_LIMIT_MAX};
use portico_shared::Field;

use crate::api::{SaveCustomerOptions, SetCloudProviders};
use crate::erased::IntoAnySync;
use crate::pages::inputs::{field_errors, form_failure, SubmitButton};

/// The guide's Part 3 starts here: "check mark the AWS box".
#[component]
pub fn ProvidersTab(
    customer: String,
    providers: Vec<ProviderSetting>,
    action: ServerAction<SetCloudProviders>,
) -> impl IntoView {
    let pending = action.pending();
    let failure = form_failure(move || action.value().get());
    let saved = move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.");
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Cloud providers"</h2>
            <ActionForm action attr:class="details-form">
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <fieldset>
                        <legend>"Providers this customer can have cloud accounts with"</legend>
                        {providers.into_iter().map(|provider| {
                            let id = format!("provider-{}", provider.id);
                            let note = match provider.accounts {
                                0 => String::new(),
                                1 => " · 1 cloud account".to_owned(),
                                n => format!(" · {n} cloud accounts"),
                            };
                            view! {
                                <div class="check">
                                    <input type="checkbox" id=id.clone() name=format!("enabled[{}]", provider.id) value="true" checked=provider.enabled/>
                                    <label for=id>{provider.name}<span class="note">{note}</span></label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <p class="form-error" role="alert">{failure}</p>
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                        <span class="saved" role="status">{saved}</span>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
}

#[component]
pub fn OptionsTab(
    customer: String,
    options: CustomerOptions,
    action: ServerAction<SaveCustomerOptions>,
) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    let saved = move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.");
    let limit_error = move || {
        errors.with(|all| all.iter().find(|e| e.field == Field::LaunchLimitOverride).map(|e| e.message.clone()))
    };
    let limit = options.launch_limit_override.map(|limit| limit.to_string()).unwrap_or_default();
    let check = |name: &'static str, label: &'static str, help: &'static str, on: bool| {
        let id = format!("option-{name}");
        let help_id = format!("{id}-help");
        view! {
            <div class="check">
                <input type="checkbox" id=id.clone() name=format!("options[{name}]") value="true" checked=on aria-describedby=help_id.clone()/>
                <label for=id>{label}</label>
                <p class="help" id=help_id>{help}</p>
            </div>
        }
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Customer options"</h2>
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <input type="hidden" name="version" value=options.version.to_string()/>
                    <p class="form-error" role="alert">{failure}</p>
                    <fieldset>
                        <legend>"Test drives"</legend>
                        {check("test_drives_allowed", "Test drives allowed", "The customer may launch your test drives from the widget.", options.test_drives_allowed)}
                        <div class="field">
                            <label for="option-launch-limit">"Launch limit"</label>
                            <input id="option-launch-limit" name="options[launch_limit_override]" type="number" min="1"
                                max=LAUNCH_LIMIT_MAX.to_string() inputmode="numeric" value=limit
                                aria-invalid=move || limit_error().is_some().to_string()
                                aria-describedby="option-launch-limit-help option-launch-limit-error"/>
                            <p class="help" id="option-launch-limit-help">"How many test drives this customer may run at once. Leave empty to use each test drive's own limit."</p>
                            <p class="field-error" id="option-launch-limit-error">{limit_error}</p>
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"Cloud accounts"</legend>
                        {check("may_request_cloud_accounts", "May request new cloud accounts", "The customer may ask for a net-new account; Cloud Support approves each request.", options.may_request_cloud_accounts)}
                    </fieldset>
                    <fieldset>
                        <legend>"Notifications to the primary contact"</legend>
                        {check("notify_cloud_accounts", "Cloud account links and requests", "Invitations, approvals and expiries.", options.notify_cloud_accounts)}
                        {check("notify_test_drives", "Test drives", "Started, about to expire, ended.", options.notify_test_drives)}
                    </fieldset>
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                        <span class="saved" role="status">{saved}</span>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
}
