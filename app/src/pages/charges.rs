//! Charges and discounts: the customer's support plan with each of its cloud providers (the
//! guide: "Support Plans: add AWS Business Level Support and save"). Other charges and discounts
//! are not built yet, and the tab says so.

use leptos::prelude::*;
use portico_shared::support_plans::ProviderPlans;
use portico_shared::Field;

use crate::api::cloud::SetSupportPlan;
use crate::pages::details_form::{field_errors, form_failure, SubmitButton};

#[component]
pub fn ChargesTab(customer: String, plans: Vec<ProviderPlans>, action: ServerAction<SetSupportPlan>) -> impl IntoView {
    let sections = if plans.is_empty() {
        let providers = format!("/customers/{customer}/providers");
        view! {
            <p class="empty">
                "Turn a cloud provider on under " <a href=providers>"Cloud providers"</a> " to choose its support plan."
            </p>
        }
        .into_any()
    } else {
        plans
            .into_iter()
            .map(|provider| view! { <PlanForm customer=customer.clone() provider action/> })
            .collect_view()
            .into_any()
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Charges and discounts"</h2>
            <h3 class="section">"Support plans"</h3>
            {sections}
            <p class="note">"Other charges and discounts are not available yet."</p>
        </section>
    }
}

/// One provider's plans as radio buttons, each with its price in words.
#[component]
fn PlanForm(customer: String, provider: ProviderPlans, action: ServerAction<SetSupportPlan>) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    let saved = move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.");
    let message =
        move || errors.with(|all| all.iter().find(|e| e.field == Field::SupportPlan).map(|e| e.message.clone()));
    let chosen = provider.chosen.clone();
    let name = format!("plan-{}", provider.provider);
    let option = move |id: String, label: String, price: Option<String>| {
        let input_id = format!("{name}-{}", if id.is_empty() { "none" } else { id.as_str() });
        let checked = chosen.as_ref().map_or("", |plan| plan.as_str()) == id;
        view! {
            <div class="check">
                <input type="radio" id=input_id.clone() name="plan" value=id checked=checked/>
                <label for=input_id>{label}{price.map(|price| view! { <span class="note">" · "{price}</span> })}</label>
            </div>
        }
    };
    let options = provider
        .plans
        .iter()
        .map(|plan| option(plan.id.to_string(), plan.name.clone(), Some(plan.pricing.describe())))
        .collect_view();
    view! {
        <ActionForm action attr:class="details-form">
            <input type="hidden" name="customer" value=customer/>
            <input type="hidden" name="provider" value=provider.provider.to_string()/>
            <fieldset aria-describedby=format!("{}-error", provider.provider)>
                <legend>{format!("{} support plan", provider.provider_name)}</legend>
                {option(String::new(), "None".into(), None)}
                {options}
            </fieldset>
            <p class="field-error" id=format!("{}-error", provider.provider)>{message}</p>
            <p class="form-error" role="alert">{failure}</p>
            <div class="form-actions">
                <SubmitButton pending label="Save" busy="Saving…"/>
                <span class="saved" role="status">{saved}</span>
            </div>
        </ActionForm>
    }
}
