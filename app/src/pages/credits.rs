//! The Credits tab: the customer's ledger (grants and their reversals, newest first), the balance
//! in each currency, and the Grant credit form. Credits can be added but not subtracted: a grant
//! is corrected only by reversing it, with a reason; nothing is edited or deleted.

use leptos::prelude::*;
use portico_shared::credits::{CreditEntry, EntryKind, GrantInput};
use portico_shared::dates::{date, Day};
use portico_shared::money::Money;
use portico_shared::Field;

use crate::api::commerce::{GrantCredit, ReverseCredit};
use crate::erased::IntoAnySync;
use crate::pages::inputs::{
    currency_options, field_errors, form_failure, message_of, outcome_for, Confirm, EntryForm, SubmitButton, TextArea,
};

#[derive(Clone, Copy)]
pub struct CreditActions {
    pub grant: ServerAction<GrantCredit>,
    pub reverse: ServerAction<ReverseCredit>,
    /// The grant whose reversal was sent last.
    pub reversing: RwSignal<String>,
}

#[component]
pub fn CreditsTab(
    customer: String,
    ledger: Vec<CreditEntry>,
    balances: Vec<Money>,
    today: Day,
    actions: CreditActions,
) -> impl IntoView {
    let balance = if balances.is_empty() {
        view! { <p class="balance">"No credit available."</p> }.into_any_sync()
    } else {
        balances
            .into_iter()
            .map(|money| view! { <p class="balance">"Available: " <strong>{money.format()}</strong></p> })
            .collect_view()
            .into_any_sync()
    };
    let list = if ledger.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No credits yet."</strong></p>
                <p>"Grant one below: its invoices draw on it before the customer pays."</p>
            </div>
        }
        .into_any_sync()
    } else {
        view! {
            <div class="table-scroll">
                <table class="list">
                    <caption class="visually-hidden">"Credit ledger, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Date"</th>
                            <th scope="col">"Entry"</th>
                            <th scope="col">"Amount"</th>
                            <th scope="col">"Reason"</th>
                            <th scope="col">"Expires"</th>
                            <th scope="col">"By"</th>
                            <th scope="col">"Status"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {ledger
                            .into_iter()
                            .map(|entry| view! { <LedgerRow customer=customer.clone() entry today actions/> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any_sync()
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Credits"</h2>
            <p class="help">"Credits can be added but not subtracted: to correct a grant, reverse it with a reason."</p>
            <div class="status-box" aria-label="Balance">{balance}</div>
            {list}
            <section class="card" aria-labelledby="grant-title">
                <h3 id="grant-title" class="section">"Grant credit"</h3>
                <GrantForm customer action=actions.grant/>
            </section>
        </section>
    }
}

#[component]
fn LedgerRow(customer: String, entry: CreditEntry, today: Day, actions: CreditActions) -> impl IntoView {
    let grant = entry.kind == EntryKind::Grant;
    let amount = if grant { entry.amount.format() } else { format!("−{}", entry.amount.format()) };
    let status = if !grant {
        view! { <span class="status">"Reversal"</span> }.into_any_sync()
    } else if entry.reversed {
        view! { <span class="status status-rejected">"Reversed"</span> }.into_any_sync()
    } else if entry.used > 0 {
        let used = Money::new(entry.used, entry.amount.currency);
        let left = Money::new(entry.amount.minor - entry.used, entry.amount.currency);
        view! { <span class="status">{format!("{} used by invoices, {} left", used.format(), left.format())}</span> }
            .into_any_sync()
    } else if !entry.in_force(today) {
        view! { <span class="status">"Expired"</span> }.into_any_sync()
    } else {
        view! { <ReverseForm customer entry=entry.clone() actions/> }.into_any_sync()
    };
    view! {
        <tr>
            <td>{date(entry.at)}</td>
            <td>{if grant { "Grant" } else { "Reversal" }}</td>
            <td class="amount">{amount}</td>
            <td>
                {entry.reason.clone()}
                {(!entry.comment.is_empty()).then(|| view! { <br/><span class="note">{entry.comment.clone()}</span> })}
            </td>
            <td>{entry.expires_on.map(|day| day.to_string()).unwrap_or_else(|| "Never".into())}</td>
            <td>{entry.by.clone()}</td>
            <td>{status}</td>
        </tr>
    }
}

/// A grant's reversal: behind a confirmation, with the reason it needs.
#[component]
fn ReverseForm(customer: String, entry: CreditEntry, actions: CreditActions) -> impl IntoView {
    let key = entry.id.to_string();
    let own = outcome_for(move || actions.reverse.value().get(), actions.reversing, key.clone());
    let errors = field_errors(own.clone());
    let failure = form_failure(own);
    let message = message_of(errors, Field::Reason);
    let reason_id = format!("reverse-{key}-reason");
    let error_id = format!("{reason_id}-error");
    let described = error_id.clone();
    let pending = actions.reverse.pending();
    let warning =
        format!("The {} credit no longer counts towards the balance. This cannot be undone.", entry.amount.format());
    view! {
        <Confirm summary="Reverse…" warning>
            <ActionForm action=actions.reverse attr:novalidate=true on:submit=move |_| actions.reversing.set(key.clone())>
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <input type="hidden" name="credit" value=entry.id.to_string()/>
                    <p class="form-error" role="alert">{failure}</p>
                    <div class="field">
                        <label for=reason_id.clone()>"Reason"</label>
                        <input id=reason_id type="text" name="reason" autocomplete="off"
                            aria-invalid=move || message().is_some().to_string()
                            aria-describedby=described/>
                        <p class="field-error" id=error_id>{message}</p>
                    </div>
                    <SubmitButton pending label="Reverse credit" busy="Reversing…"/>
                }
                .into_any_sync()}
            </ActionForm>
        </Confirm>
    }
}

#[component]
fn GrantForm(customer: String, action: ServerAction<GrantCredit>) -> impl IntoView {
    let pending = action.pending();
    // The tab's only grant form: it sent whatever the action did.
    let entry = EntryForm::new("credit", "", move || action.value().get(), RwSignal::new("new".to_owned()));
    let EntryForm { errors, failure, saved, form, .. } = entry;
    entry.empty_after_adding(|| ());
    let saved = move || saved.get().map(|_| "Credit granted.");
    let input = GrantInput { currency: "USD".into(), ..GrantInput::default() };
    view! {
        <ActionForm action node_ref=form attr:class="details-form" attr:novalidate=true>
            {view! {
                <input type="hidden" name="customer" value=customer/>
                <p class="form-error" role="alert">{failure}</p>
                {entry.text(Field::Amount, "Amount", "text", String::new(), true)}
                {entry.choice(Field::Currency, "Currency", currency_options(), input.currency)}
                {entry.text(Field::Reason, "Reason", "text", String::new(), true)}
                <p class="help">"Printed on the invoice that uses the credit, such as \"Outage on 3 December\"."</p>
                {entry.text(Field::ExpiresOn, "Expires on", "date", String::new(), false)}
                <p class="help">"Optional: after this day the credit no longer counts."</p>
                <TextArea field=Field::Comment label="Comment" help="For your team only." value=String::new() errors id_prefix="credit-new" arg="credit"/>
                <div class="form-actions">
                    <SubmitButton pending label="Grant credit" busy="Granting…"/>
                    <span class="saved" role="status">{saved}</span>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}
