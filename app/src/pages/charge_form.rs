//! The form of a charge or discount, with its preview: what the rule gives on an amount the
//! reseller types, reckoned in the browser by the same code the server checks the rule with.

use leptos::prelude::*;
use portico_shared::aws::CloudAccount;
use portico_shared::charges::{Base, ChargeRuleInput, Recurrence, RuleKind, TierInput};
use portico_shared::money::Money;
use portico_shared::VariantArray;
use portico_shared::{Field, FieldError};

use crate::api::cloud::SetSupportPlan;
use crate::api::commerce::{RemoveChargeRule, SaveChargeRule};
use crate::erased::IntoAnySync;
use crate::pages::inputs::{currency_options, message_of, EntryForm, SubmitButton};

/// Tier rows a new tiered rule starts with; "Add a tier" adds more, up to the most a rule has.
const FIRST_TIER_ROWS: usize = 4;
const MOST_TIER_ROWS: usize = 10;

/// The amount the preview starts with.
const PREVIEW_BASE: &str = "10,000.00";

/// The actions of the tab, made by the customer page so each save reloads it.
#[derive(Clone, Copy)]
pub struct ChargeActions {
    pub plan: ServerAction<SetSupportPlan>,
    pub save: ServerAction<SaveChargeRule>,
    pub remove: ServerAction<RemoveChargeRule>,
    /// The key of the form sent last: a rule's id, `new`, or a provider's id for its support plan.
    pub sent_by: RwSignal<String>,
}

#[component]
pub fn RuleForm(
    customer: String,
    /// Empty for the Add form.
    id: String,
    version: i64,
    input: ChargeRuleInput,
    accounts: Vec<CloudAccount>,
    actions: ChargeActions,
    label: &'static str,
) -> impl IntoView {
    let entry = EntryForm::new("rule", &id, move || actions.save.value().get(), actions.sent_by);
    let EntryForm { errors, failure, saved, form, .. } = entry;
    let prefix = entry.prefix();
    let pending = actions.save.pending();
    // What the form holds now, read again on every keystroke: it drives the parts shown and the
    // preview.
    let typed = RwSignal::new(input.clone());
    let read_form = move || {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form.get_untracked() {
            use leptos::form::FromFormData;
            let data = leptos::web_sys::FormData::new_with_form(&form).ok();
            if let Some(sent) = data.and_then(|data| crate::api::commerce::SaveChargeRule::from_form_data(&data).ok()) {
                typed.set(sent.rule);
            }
        }
    };
    let initial = input.clone();
    entry.empty_after_adding(move || typed.set(initial.clone()));
    let shows = move |calculation: &'static str| move || typed.with(|t| t.calculation != calculation);
    let listed = |all: Vec<(&'static str, &'static str)>| {
        all.into_iter().map(|(value, label)| (value.to_owned(), label.to_owned())).collect::<Vec<_>>()
    };
    let kinds = listed(RuleKind::VARIANTS.iter().map(|k| (k.as_str(), k.label())).collect());
    let bases = listed(Base::VARIANTS.iter().map(|b| (b.as_str(), b.label())).collect());
    let recurrences = listed(Recurrence::VARIANTS.iter().map(|r| (r.as_str(), r.label())).collect());
    let calculations = listed(vec![("fixed", "Fixed amount"), ("percent", "Percent"), ("tiered", "Tiered")]);
    view! {
        <ActionForm action=actions.save node_ref=form attr:class="details-form with-preview" attr:novalidate=true
            on:submit=entry.mark_sent()
            on:input=move |_| read_form()
            on:change=move |_| read_form()
        >
            {view! {
                <div>
                    <input type="hidden" name="customer" value=customer/>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <p class="form-error" role="alert">{failure}</p>
                    {entry.choice(Field::Kind, "Type", kinds, input.kind.clone())}
                    {entry.text(Field::Description, "Description", "text", input.description.clone(), true)}
                    <p class="help">"Printed on the invoice, such as \"Managed services\"."</p>
                    {entry.choice(Field::Calculation, "Calculation", calculations, input.calculation.clone())}
                    {entry.choice(Field::Currency, "Currency", currency_options(), input.currency.clone())}
                    <div hidden=shows("fixed")>{entry.text(Field::Amount, "Amount", "text", input.amount.clone(), true)}</div>
                    <div hidden=shows("percent")>
                        {entry.text(Field::Percent, "Percent", "text", input.percent.clone(), true)}
                        <p class="help">"Of the base, with up to four decimals, such as 7.5."</p>
                    </div>
                    <div hidden=shows("tiered")>
                        <Tiers prefix=prefix.clone() initial=input.tiers.clone() errors/>
                    </div>
                    {entry.text(Field::Minimum, "Minimum", "text", input.minimum.clone(), false)}
                    {entry.text(Field::Maximum, "Maximum", "text", input.maximum.clone(), false)}
                    <p class="help">"Optional: the least and the most the rule gives, applied after the calculation."</p>
                    {entry.choice(Field::Base, "Base", bases, input.base.clone())}
                    <AppliesTo prefix=prefix.clone() input=input.clone() accounts errors typed/>
                    {entry.choice(Field::Recurrence, "Recurrence", recurrences, input.recurrence.clone())}
                    {entry.text(Field::StartMonth, "Start month", "month", input.start_month.clone(), true)}
                    {entry.text(Field::EndMonth, "End month", "month", input.end_month.clone(), false)}
                    <p class="help">"Leave the end month empty for a rule that applies until removed."</p>
                    <div class="form-actions">
                        <SubmitButton pending label busy="Saving…"/>
                        <span class="saved" role="status">{saved}</span>
                    </div>
                </div>
                <Preview prefix typed/>
            }
            .into_any_sync()}
        </ActionForm>
    }
}

/// The tier rows: each an upper bound and what the tier gives.
#[component]
fn Tiers(prefix: String, initial: Vec<TierInput>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let rows = RwSignal::new((initial.len() + 1).clamp(FIRST_TIER_ROWS, MOST_TIER_ROWS));
    let message = message_of(errors, Field::Tiers);
    let error_id = format!("{prefix}-tiers-error");
    let described = error_id.clone();
    let row = move |index: usize| {
        let tier = initial.get(index).cloned().unwrap_or_default();
        let (up_to, value) = (format!("{prefix}-tier-{index}-up-to"), format!("{prefix}-tier-{index}-value"));
        let number = index + 1;
        view! {
            <div class="tier">
                <div class="field">
                    <label for=up_to.clone()>{format!("Tier {number} up to")}</label>
                    <input id=up_to name=format!("rule[tiers][{index}][up_to]") value=tier.up_to autocomplete="off"
                        aria-invalid=move || message().is_some().to_string()/>
                </div>
                <div class="field">
                    <label for=value.clone()>{format!("Tier {number} gives")}</label>
                    <input id=value name=format!("rule[tiers][{index}][value]") value=tier.value autocomplete="off"
                        aria-invalid=move || message().is_some().to_string()/>
                </div>
            </div>
        }
    };
    view! {
        <fieldset aria-describedby=described>
            <legend>"Tiers"</legend>
            <p class="help tiers-help">
                "Each tier gives a percent of the base in its range (10%) or an amount once the base reaches it (50.00). \
                 Leave the last tier's bound empty."
            </p>
            <For each=move || 0..rows.get() key=|index| *index children=row/>
            <p class="field-error" id=error_id>{message}</p>
            <button type="button" class="small" disabled=move || { rows.get() >= MOST_TIER_ROWS }
                on:click=move |_| rows.update(|rows| *rows = (*rows + 1).min(MOST_TIER_ROWS))>"Add a tier"</button>
        </fieldset>
    }
}

/// The whole customer, or chosen cloud accounts of it.
#[component]
fn AppliesTo(
    prefix: String,
    input: ChargeRuleInput,
    accounts: Vec<CloudAccount>,
    errors: Signal<Vec<FieldError>>,
    typed: RwSignal<ChargeRuleInput>,
) -> impl IntoView {
    let applies_message = message_of(errors, Field::AppliesTo);
    let accounts_message = message_of(errors, Field::Accounts);
    let (whole, chosen) = (format!("{prefix}-applies-customer"), format!("{prefix}-applies-accounts"));
    let error_id = format!("{prefix}-accounts-error");
    let described = error_id.clone();
    let boxes = if accounts.is_empty() {
        view! { <p class="note">"This customer has no cloud accounts yet."</p> }.into_any_sync()
    } else {
        accounts
            .into_iter()
            .map(|account| {
                let box_id = format!("{prefix}-account-{}", account.id);
                let ticked = input.accounts.get(account.id.as_str()).is_some_and(|on| on == "true");
                view! {
                    <div class="check">
                        <input type="checkbox" id=box_id.clone() name=format!("rule[accounts][{}]", account.id) value="true" checked=ticked/>
                        <label for=box_id>{format!("{} · {}", account.account_id, account.email)}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any_sync()
    };
    view! {
        <fieldset aria-describedby=described>
            <legend>"Applies to"</legend>
            <div class="check">
                <input type="radio" id=whole.clone() name="rule[applies_to]" value="customer" checked=input.applies_to == "customer"/>
                <label for=whole>"The whole customer"</label>
            </div>
            <div class="check">
                <input type="radio" id=chosen.clone() name="rule[applies_to]" value="accounts" checked=input.applies_to == "accounts"/>
                <label for=chosen>"Chosen cloud accounts"</label>
            </div>
            <div hidden=move || typed.with(|t| t.applies_to != "accounts")>{boxes}</div>
            <p class="field-error" id=error_id>{move || applies_message().or_else(accounts_message)}</p>
        </fieldset>
    }
}

/// What the rule as typed gives on an amount the reseller types.
#[component]
fn Preview(prefix: String, typed: RwSignal<ChargeRuleInput>) -> impl IntoView {
    let base = RwSignal::new(PREVIEW_BASE.to_owned());
    let input_id = format!("{prefix}-preview-base");
    let ready = Memo::new(move |_| typed.with(|rule| rule.terms().is_ok()));
    let result = move || {
        let rule = typed.get();
        let terms = match rule.terms() {
            Ok(terms) => terms,
            Err(refused) => {
                let fields: Vec<&str> = refused.iter().map(|e| e.field.name()).collect();
                return format!("Complete the {} to see what the rule gives.", fields.join(", ").replace('_', " "));
            }
        };
        match Money::parse(&base.get(), terms.currency) {
            Ok(amount) => format!("{} on {}", terms.on(amount).format(), amount.format()),
            Err(_) => "Type an amount such as 85,000.00.".to_owned(),
        }
    };
    view! {
        <aside class="rule-preview" aria-label="Preview">
            <h4 class="section">"Preview"</h4>
            <div class="field">
                <label for=input_id.clone()>"On a base of"</label>
                <input id=input_id type="text" inputmode="decimal" autocomplete="off" prop:value=move || base.get()
                    on:input=move |event| base.set(event_target_value(&event))/>
            </div>
            <p>"The rule gives"</p>
            <output class=move || if ready.get() { "preview-result" } else { "note" } aria-live="polite">{result}</output>
        </aside>
    }
}
