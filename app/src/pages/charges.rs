//! Charges and discounts: the customer's support plan with each of its cloud providers (the
//! guide: "Support Plans: add AWS Business Level Support and save") — each plan the template of
//! a charge rule — and the customer's other charges and discounts, listed with what they give,
//! each changed or removed in place, and an Add form with a preview beside it.

use leptos::prelude::*;
use portico_shared::aws::CloudAccount;
use portico_shared::charges::{ChargeRule, ChargeRuleInput};
use portico_shared::dates::Month;
use portico_shared::support_plans::ProviderPlans;
use portico_shared::Field;

use crate::api::cloud::SetSupportPlan;
use crate::erased::IntoAnySync;
use crate::pages::charge_form::{ChargeActions, RuleForm};
use crate::pages::inputs::{field_errors, form_failure, outcome_for, Confirm, SubmitButton};

#[component]
pub fn ChargesTab(
    customer: String,
    plans: Vec<ProviderPlans>,
    rules: Vec<ChargeRule>,
    accounts: Vec<CloudAccount>,
    today: Month,
    actions: ChargeActions,
) -> impl IntoView {
    let sections = if plans.is_empty() {
        let providers = format!("/customers/{customer}/providers");
        view! {
            <p class="empty">
                "Turn a cloud provider on under " <a href=providers>"Cloud providers"</a> " to choose its support plan."
            </p>
        }
        .into_any_sync()
    } else {
        plans
            .into_iter()
            .map(|provider| view! { <PlanForm customer=customer.clone() provider action=actions.plan sent_by=actions.sent_by/> })
            .collect_view()
            .into_any_sync()
    };
    let remove_failure = move || actions.remove.value().get().and_then(Result::err).map(|e| e.to_string());
    let list = if rules.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No charges or discounts yet."</strong></p>
                <p>"Add one below: a fixed amount, a percent or tiers of the customer's cloud usage, each month or once."</p>
            </div>
        }
        .into_any_sync()
    } else {
        rules
            .into_iter()
            .map(|rule| view! { <RuleCard customer=customer.clone() rule accounts=accounts.clone() actions/> })
            .collect_view()
            .into_any_sync()
    };
    let new_rule = ChargeRuleInput {
        kind: "charge".into(),
        calculation: "percent".into(),
        base: "customer_cost".into(),
        applies_to: "customer".into(),
        recurrence: "monthly".into(),
        start_month: today.to_string(),
        currency: "USD".into(),
        ..ChargeRuleInput::default()
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Charges and discounts"</h2>
            <h3 class="section">"Support plans"</h3>
            {sections}
            <h3 class="section">"Other charges and discounts"</h3>
            <p class="form-error" role="alert">{remove_failure}</p>
            {list}
            <section class="card" aria-labelledby="new-rule-title">
                <h3 id="new-rule-title" class="section">"Add a charge or discount"</h3>
                <RuleForm customer id=String::new() version=0 input=new_rule accounts actions label="Add"/>
            </section>
        </section>
    }
}

/// One rule: what it gives in words, and (behind disclosures) its form and its removal.
#[component]
fn RuleCard(customer: String, rule: ChargeRule, accounts: Vec<CloudAccount>, actions: ChargeActions) -> impl IntoView {
    let ChargeRule { id, settings: rule, template, version } = rule;
    let applies = if rule.accounts.is_empty() {
        "The whole customer".to_owned()
    } else {
        let numbers: Vec<String> = rule
            .accounts
            .iter()
            .map(|id| accounts.iter().find(|a| a.id == *id).map_or_else(|| id.to_string(), |a| a.account_id.clone()))
            .collect();
        format!("Cloud accounts {}", numbers.join(", "))
    };
    let when = match rule.end {
        Some(end) => format!("{}, {} to {}", rule.recurrence.label(), rule.start.label(), end.label()),
        None => format!("{}, from {}", rule.recurrence.label(), rule.start.label()),
    };
    let kind = if template.is_some() { "Support plan" } else { rule.kind.label() };
    let edit = format!("Change {}…", rule.description);
    let remove = format!("Remove {}…", rule.description);
    let warning = format!(
        "{} no longer applies from now on. Bills already made keep it; it stays in the history.",
        rule.description
    );
    let id = id.to_string();
    view! {
        <section class="card" aria-label=rule.description.clone()>
            <h4 class="section">{rule.description.clone()} " " <span class=format!("status status-{}", rule.kind.as_str())>{kind}</span></h4>
            <dl class="facts">
                <dt>"Calculation"</dt><dd>{rule.terms.describe()}</dd>
                <dt>"Base"</dt><dd>{rule.base.label()}</dd>
                <dt>"Applies to"</dt><dd>{applies}</dd>
                <dt>"When"</dt><dd>{when}</dd>
                <dt>"Currency"</dt><dd>{rule.terms.currency.code()}</dd>
            </dl>
            <div class="card-actions">
                <details>
                    <summary class="small">{edit}</summary>
                    <RuleForm customer=customer.clone() id=id.clone() version input=rule.to_input() accounts actions label="Save"/>
                </details>
                <Confirm summary=remove warning>
                    <ActionForm action=actions.remove>
                        {view! {
                            <input type="hidden" name="customer" value=customer/>
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=version.to_string()/>
                            <button type="submit" class="small danger">"Remove"</button>
                        }
                        .into_any_sync()}
                    </ActionForm>
                </Confirm>
            </div>
        </section>
    }
}

/// One provider's plans as radio buttons, each with its price in words.
#[component]
fn PlanForm(
    customer: String,
    provider: ProviderPlans,
    action: ServerAction<SetSupportPlan>,
    sent_by: RwSignal<String>,
) -> impl IntoView {
    let pending = action.pending();
    let own = outcome_for(move || action.value().get(), sent_by, provider.provider.to_string());
    let errors = field_errors(own.clone());
    let failure = form_failure(own.clone());
    let saved = move || matches!(own(), Some(Ok(()))).then_some("Saved.");
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
        .map(|plan| option(plan.id.to_string(), plan.name.clone(), Some(plan.terms.describe())))
        .collect_view();
    let key = provider.provider.to_string();
    view! {
        <ActionForm action attr:class="details-form" on:submit=move |_| sent_by.set(key.clone())>
            {view! {
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
            }
            .into_any_sync()}
        </ActionForm>
    }
}
