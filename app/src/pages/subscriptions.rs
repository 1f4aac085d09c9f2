//! The Subscriptions tab: the customer's subscriptions to the reseller's products, each with the
//! steps its state allows (activate, suspend, resume, cancel, keep) and its changes (quantity,
//! end date, auto-renew), and the Add form.

use leptos::prelude::*;
use portico_shared::dates::Day;
use portico_shared::subscriptions::{Product, Step, Subscription, SubscriptionInput, SubscriptionStatus};
use portico_shared::Field;

use crate::api::commerce::{ChangeSubscription, SaveSubscription};
use crate::erased::IntoAnySync;
use crate::pages::inputs::{message_of, Confirm, EntryForm, SubmitButton};

#[derive(Clone, Copy)]
pub struct SubscriptionActions {
    pub save: ServerAction<SaveSubscription>,
    pub change: ServerAction<ChangeSubscription>,
    /// The key of the form sent last (a subscription's id, or `new`).
    pub sent_by: RwSignal<String>,
}

#[component]
pub fn SubscriptionsTab(
    customer: String,
    subscriptions: Vec<Subscription>,
    products: Vec<Product>,
    today: Day,
    actions: SubscriptionActions,
    is_admin: bool,
) -> impl IntoView {
    let step_failure = move || actions.change.value().get().and_then(Result::err).map(|e| e.to_string());
    let list = if subscriptions.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No subscriptions yet."</strong></p>
                <p>"Add one below from your products: licences, managed services, anything billed per unit."</p>
            </div>
        }
        .into_any_sync()
    } else {
        subscriptions
            .into_iter()
            .map(|subscription| view! { <SubscriptionCard customer=customer.clone() subscription actions/> })
            .collect_view()
            .into_any_sync()
    };
    let on_offer: Vec<Product> = products.into_iter().filter(|product| !product.retired).collect();
    let add = if on_offer.is_empty() {
        let where_to = if is_admin {
            view! { " Add them under " <a href="/settings/products">"Products"</a> "." }.into_any_sync()
        } else {
            view! { " An admin of your team adds them under Products." }.into_any_sync()
        };
        view! { <p class="note">"You have no products on offer yet." {where_to}</p> }.into_any_sync()
    } else {
        let input = SubscriptionInput {
            product: on_offer[0].id.to_string(),
            quantity: "1".into(),
            start_date: today.to_string(),
            ..SubscriptionInput::default()
        };
        view! { <SubscriptionForm customer id=String::new() version=0 input products=on_offer actions label="Add subscription"/> }
            .into_any_sync()
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Subscriptions"</h2>
            <p class="form-error" role="alert">{step_failure}</p>
            {list}
            <section class="card" aria-labelledby="new-subscription-title">
                <h3 id="new-subscription-title" class="section">"Add a subscription"</h3>
                {add}
            </section>
        </section>
    }
}

#[component]
fn SubscriptionCard(customer: String, subscription: Subscription, actions: SubscriptionActions) -> impl IntoView {
    let start = subscription.start;
    let term = match (subscription.status, subscription.end) {
        (SubscriptionStatus::PendingCancel, Some(end)) => format!("{start} to {end}, then ends (cancelled)"),
        (SubscriptionStatus::Cancelled | SubscriptionStatus::Expired, Some(end)) => format!("{start} to {end}"),
        (SubscriptionStatus::Pending, _) => format!("Starts on {start}"),
        (_, Some(end)) if subscription.auto_renew => format!("{start} to {end}, then renews"),
        (_, Some(end)) => format!("{start} to {end}, then expires"),
        (_, None) => format!("From {start}, until cancelled"),
    };
    let title = format!("{} ({})", subscription.product_name, subscription.sku);
    let price = format!(
        "{} × {} = {} {}",
        subscription.quantity,
        subscription.unit_price.format(),
        subscription.period_total().format(),
        subscription.billing_period.label().to_lowercase()
    );
    let steps = subscription
        .steps()
        .into_iter()
        .map(|step| view! { <StepButton customer=customer.clone() subscription=subscription.clone() step action=actions.change/> })
        .collect_view();
    let edit = subscription.status.editable().then(|| {
        let summary = format!("Change {}…", subscription.product_name);
        view! {
            <details>
                <summary class="small">{summary}</summary>
                <SubscriptionForm customer=customer.clone() id=subscription.id.to_string() version=subscription.version
                    input=subscription.to_input() products=Vec::new() actions label="Save"/>
            </details>
        }
    });
    let label = title.clone();
    view! {
        <section class="card" aria-label=label>
            <h4 class="section">
                {title} " "
                <span class=format!("status status-{}", subscription.status.as_str())>{subscription.status.label()}</span>
            </h4>
            <dl class="facts">
                <dt>"Price"</dt><dd>{price}</dd>
                <dt>"Term"</dt><dd>{term}</dd>
            </dl>
            <div class="card-actions">{steps}{edit}</div>
        </section>
    }
}

/// One step the subscription's state allows; cancelling asks first.
#[component]
fn StepButton(
    customer: String,
    subscription: Subscription,
    step: Step,
    action: ServerAction<ChangeSubscription>,
) -> impl IntoView {
    let form = view! {
        <ActionForm action>
            {view! {
                <input type="hidden" name="customer" value=customer/>
                <input type="hidden" name="id" value=subscription.id.to_string()/>
                <input type="hidden" name="version" value=subscription.version.to_string()/>
                <input type="hidden" name="step" value=step.as_str()/>
                <button type="submit" class=if step == Step::Cancel { "small danger" } else { "small" }>{step.label()}</button>
            }
            .into_any_sync()}
        </ActionForm>
    };
    if step != Step::Cancel {
        return form.into_any_sync();
    }
    let until = subscription.end.map_or_else(|| "the end of its billing period".to_owned(), |end| end.to_string());
    let warning = format!("It stays active until {until}, then ends and does not renew. You can keep it until then.");
    view! { <Confirm summary="Cancel…" warning>{form}</Confirm> }.into_any_sync()
}

/// Adds a subscription (`products` to choose from) or changes one (no product list: its product
/// and start stay).
#[component]
fn SubscriptionForm(
    customer: String,
    id: String,
    version: i64,
    input: SubscriptionInput,
    products: Vec<Product>,
    actions: SubscriptionActions,
    label: &'static str,
) -> impl IntoView {
    let entry = EntryForm::new("subscription", &id, move || actions.save.value().get(), actions.sent_by);
    let EntryForm { errors, failure, saved, form, .. } = entry;
    entry.empty_after_adding(|| ());
    let pending = actions.save.pending();
    let adding = id.is_empty();
    let product_choice = adding.then(|| {
        let options = products.iter().map(|product| (product.id.to_string(), product.settings.label())).collect();
        entry.choice(Field::Product, "Product", options, input.product.clone())
    });
    let renew_id = format!("{}-auto-renew", entry.prefix());
    let renew_message = message_of(errors, Field::AutoRenew);
    view! {
        <ActionForm action=actions.save node_ref=form attr:class="details-form" attr:novalidate=true on:submit=entry.mark_sent()>
            {view! {
                <input type="hidden" name="customer" value=customer/>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version.to_string()/>
                <p class="form-error" role="alert">{failure}</p>
                {product_choice}
                {entry.text(Field::Quantity, "Quantity", "number", input.quantity.clone(), true)}
                {adding.then(|| entry.text(Field::StartDate, "Start date", "date", input.start_date.clone(), true))}
                {entry.text(Field::EndDate, "End date", "date", input.end_date.clone(), false)}
                <p class="help">"When the term ends or renews. Empty: the product's term from the start, or until cancelled."</p>
                <div class="check">
                    <input type="checkbox" id=renew_id.clone() name="subscription[auto_renew]" value="true" checked=input.auto_renew == "true"/>
                    <label for=renew_id>"Auto-renew"</label>
                    <p class="help">"Renews for another term on the end date instead of expiring."</p>
                </div>
                <p class="field-error">{renew_message}</p>
                <div class="form-actions">
                    <SubmitButton pending label busy="Saving…"/>
                    <span class="saved" role="status">{saved}</span>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}
