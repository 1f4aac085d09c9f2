//! A customer's page: its tabs, the Customer information tab with its history, suspension.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use portico_shared::aws::AWS;
use portico_shared::customer::{AuditEntry, CustomerRecord, CustomerStatus};
use portico_shared::staff::StaffRole;

use crate::api::cloud::SetSupportPlan;
use crate::api::commerce::{
    ChangeSubscription, GrantCredit, RemoveChargeRule, ReverseCredit, SaveChargeRule, SaveSubscription, SaveTaxProfile,
};
use crate::api::{
    customer_page, CustomerData, InviteCustomerUser, ReactivateCustomer, ResendCustomerInvitation,
    SaveCustomerFieldValues, SaveCustomerOptions, SetCloudProviders, SetCustomerUserDisabled, SetCustomerUserRole,
    SuspendCustomer, UpdateCustomer,
};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::bills::BillsTab;
use crate::pages::charge_form::ChargeActions;
use crate::pages::charges::ChargesTab;
use crate::pages::cloud_accounts::CloudAccountsTab;
use crate::pages::cloud_actions::CloudActions;
use crate::pages::credits::{CreditActions, CreditsTab};
use crate::pages::customer_fields::FieldsTab;
use crate::pages::customer_settings::{OptionsTab, ProvidersTab};
use crate::pages::customer_users::{UserActions, UsersTab};
use crate::pages::details_form::DetailsFields;
use crate::pages::failure_view;
use crate::pages::history::HistoryList;
use crate::pages::inputs::{field_errors, form_failure, stored, successes, SubmitButton};
use crate::pages::subscriptions::{SubscriptionActions, SubscriptionsTab};
use crate::pages::taxes::TaxesTab;
use crate::PortalError;

/// The seed's tabs, in its order, then Bills: (address segment, label). The first has no
/// segment.
const TABS: [(&str, &str); 11] = [
    ("", "Customer information"),
    ("users", "Users"),
    ("fields", "Customer fields"),
    ("providers", "Cloud providers"),
    ("accounts", "Cloud accounts"),
    ("charges", "Charges and discounts"),
    ("taxes", "Taxes"),
    ("credits", "Credits"),
    ("options", "Customer options"),
    ("subscriptions", "Subscriptions"),
    ("bills", "Bills"),
];

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let tab = Memo::new(move |_| params.with(|p| p.get("tab").unwrap_or_default()));
    let update = ServerAction::<UpdateCustomer>::new();
    let suspend = ServerAction::<SuspendCustomer>::new();
    let reactivate = ServerAction::<ReactivateCustomer>::new();
    let set_providers = ServerAction::<SetCloudProviders>::new();
    let save_options = ServerAction::<SaveCustomerOptions>::new();
    let charges = ChargeActions {
        plan: ServerAction::<SetSupportPlan>::new(),
        save: ServerAction::<SaveChargeRule>::new(),
        remove: ServerAction::<RemoveChargeRule>::new(),
        sent_by: RwSignal::new(String::new()),
    };
    let save_taxes = ServerAction::<SaveTaxProfile>::new();
    let credit_actions = CreditActions {
        grant: ServerAction::<GrantCredit>::new(),
        reverse: ServerAction::<ReverseCredit>::new(),
        reversing: RwSignal::new(String::new()),
    };
    let subscription_actions = SubscriptionActions {
        save: ServerAction::<SaveSubscription>::new(),
        change: ServerAction::<ChangeSubscription>::new(),
        sent_by: RwSignal::new(String::new()),
    };
    let set_role = ServerAction::<SetCustomerUserRole>::new();
    let set_disabled = ServerAction::<SetCustomerUserDisabled>::new();
    let invite = ServerAction::<InviteCustomerUser>::new();
    let save_fields = ServerAction::<SaveCustomerFieldValues>::new();
    let resend = ServerAction::<ResendCustomerInvitation>::new();
    let user_actions = UserActions { role: set_role, disable: set_disabled, invite, resend };
    let cloud_actions = CloudActions::new();
    // Every saved change reloads the customer, so each tab and the history show what is stored.
    let changes = move || {
        [
            update.version(),
            suspend.version(),
            reactivate.version(),
            set_providers.version(),
            save_options.version(),
            charges.plan.version(),
            charges.remove.version(),
            subscription_actions.change.version(),
            set_role.version(),
            set_disabled.version(),
            resend.version(),
        ]
        .map(|version| version.get())
    };
    // A refused invitation keeps what was typed: only a sent one reloads.
    let invited = stored(invite);
    let fields_saved = stored(save_fields);
    let CloudActions { add: add_account, check: check_role, link: change_link, request: request_account, .. } =
        cloud_actions;
    let account_added = successes(add_account.version(), move || matches!(add_account.value().get(), Some(Ok(_))));
    let role_checked = successes(check_role.version(), move || matches!(check_role.value().get(), Some(Ok(_))));
    let link_changed = stored(change_link);
    let requested = successes(request_account.version(), move || matches!(request_account.value().get(), Some(Ok(_))));
    // A commercial form reloads the tab when it saved, or when someone else's change beat it (so
    // the tab shows theirs), not when it was refused (so what was typed stays).
    let settled = |value: Option<Result<(), PortalError>>| matches!(value, Some(Ok(()) | Err(PortalError::Changed(_))));
    let rule_saved = successes(charges.save.version(), move || settled(charges.save.value().get()));
    let taxes_saved = successes(save_taxes.version(), move || settled(save_taxes.value().get()));
    let granted = successes(credit_actions.grant.version(), move || settled(credit_actions.grant.value().get()));
    let reversed = successes(credit_actions.reverse.version(), move || settled(credit_actions.reverse.value().get()));
    let subscribed =
        successes(subscription_actions.save.version(), move || settled(subscription_actions.save.value().get()));
    let data = Resource::new_serde_wb(
        move || {
            (
                id.get(),
                changes(),
                invited.get(),
                fields_saved.get(),
                (account_added.get(), role_checked.get(), link_changed.get(), requested.get()),
                (rule_saved.get(), taxes_saved.get(), (granted.get(), reversed.get()), subscribed.get()),
            )
        },
        |(id, ..)| customer_page(id),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading customer…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let CustomerData {
                            customer,
                            history,
                            providers,
                            options,
                            users,
                            fields,
                            cloud_accounts,
                            role_setup,
                        } = page.data;
                        let commerce = page.commerce;
                        let is_admin = page.user.role == StaffRole::Admin;
                        let aws_enabled = providers.iter().any(|p| p.id.as_str() == AWS && p.enabled);
                        let organization = customer.details.organization.clone();
                        let status = customer.status;
                        let base = format!("/customers/{}", customer.id);
                        let title_organization = organization.clone();
                        let title = move || format!("{title_organization} · {}", tab_label(&tab.get()));
                        // The tab is part of the address: switching tabs changes only this part.
                        let content = move || {
                            let current = tab.get();
                            let id = customer.id.to_string();
                            match current.as_str() {
                                "" => {
                                    let (customer, history) = (customer.clone(), history.clone());
                                    view! { <InformationTab customer history update suspend reactivate/> }.into_any_sync()
                                }
                                "users" => {
                                    let users = users.clone();
                                    view! { <UsersTab customer=id users actions=user_actions/> }.into_any_sync()
                                }
                                "fields" => {
                                    let fields = fields.clone();
                                    view! { <FieldsTab customer=id fields action=save_fields/> }.into_any_sync()
                                }
                                "providers" => {
                                    let providers = providers.clone();
                                    view! { <ProvidersTab customer=id providers action=set_providers/> }.into_any_sync()
                                }
                                "accounts" => {
                                    let (accounts, setup) = (cloud_accounts.clone(), role_setup.clone());
                                    let plans = commerce
                                        .support_plans
                                        .iter()
                                        .find(|provider| provider.provider.as_str() == AWS)
                                        .map(|provider| provider.plans.clone())
                                        .unwrap_or_default();
                                    view! { <CloudAccountsTab customer=id accounts setup aws_enabled plans actions=cloud_actions/> }
                                        .into_any_sync()
                                }
                                "charges" => {
                                    let (plans, rules) = (commerce.support_plans.clone(), commerce.charge_rules.clone());
                                    let (accounts, today) = (cloud_accounts.clone(), commerce.today.month());
                                    view! { <ChargesTab customer=id plans rules accounts today actions=charges/> }.into_any_sync()
                                }
                                "taxes" => {
                                    let (rates, profile) = (commerce.tax_rates.clone(), commerce.tax_profile.clone());
                                    view! { <TaxesTab customer=id rates profile action=save_taxes is_admin/> }.into_any_sync()
                                }
                                "credits" => {
                                    let (ledger, balances) = (commerce.credits.clone(), commerce.balances.clone());
                                    view! { <CreditsTab customer=id ledger balances today=commerce.today actions=credit_actions/> }
                                        .into_any_sync()
                                }
                                "subscriptions" => {
                                    let (subscriptions, products) =
                                        (commerce.subscriptions.clone(), commerce.products.clone());
                                    view! {
                                        <SubscriptionsTab customer=id subscriptions products today=commerce.today
                                            actions=subscription_actions is_admin/>
                                    }
                                    .into_any_sync()
                                }
                                "bills" => view! { <BillsTab customer=id/> }.into_any_sync(),
                                "options" => {
                                    let options = options.clone();
                                    view! { <OptionsTab customer=id options action=save_options/> }.into_any_sync()
                                }
                                _ => view! { <NoSuchTab/> }.into_any_sync(),
                            }
                        };
                        view! {
                            <Title text=title/>
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb">
                                    <a href="/">"Home"</a>" / "<a href="/customers">"Customers"</a>" / "{organization.clone()}
                                </nav>
                                <div class="page-head">
                                    <h1>{organization}</h1>
                                    <span class=format!("status status-{}", status.as_str())>{status.label()}</span>
                                </div>
                                <nav class="tabs" aria-label="Customer">
                                    {TABS.iter().map(|(slug, label)| {
                                        let href = if slug.is_empty() { base.clone() } else { format!("{base}/{slug}") };
                                        view! { <a href=href aria-current=move || (tab.get() == *slug).then_some("page")>{*label}</a> }
                                    }).collect_view()}
                                </nav>
                                {content}
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

/// The label of the tab at this address segment.
fn tab_label(slug: &str) -> &'static str {
    TABS.iter().find(|(s, _)| *s == slug).map_or("Not found", |(_, label)| label)
}

/// An address past the customer's page that names none of its tabs.
#[component]
fn NoSuchTab() -> impl IntoView {
    view! {
        <section class="empty" aria-labelledby="tab-title">
            <h2 id="tab-title">"Not found"</h2>
            <p>"This customer's page has no such tab. Choose one of the tabs above."</p>
        </section>
    }
}

#[component]
fn InformationTab(
    customer: CustomerRecord,
    history: Vec<AuditEntry>,
    update: ServerAction<UpdateCustomer>,
    suspend: ServerAction<SuspendCustomer>,
    reactivate: ServerAction<ReactivateCustomer>,
) -> impl IntoView {
    let pending = update.pending();
    let errors = field_errors(move || update.value().get());
    let failure = form_failure(move || update.value().get());
    let saved = move || matches!(update.value().get(), Some(Ok(()))).then_some("Saved.");
    let (id, version) = (customer.id.to_string(), customer.version.to_string());
    let initial = customer.details.to_input();
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Customer information"</h2>
            <ActionForm action=update attr:class="details-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="customer" value=id.clone()/>
                    <input type="hidden" name="version" value=version.clone()/>
                    <p class="form-error" role="alert">{failure}</p>
                    <DetailsFields initial errors/>
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                        <span class="saved" role="status">{saved}</span>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
            <StatusBox customer suspend reactivate/>
            <section aria-labelledby="history-title">
                <h3 id="history-title">"History"</h3>
                <HistoryList entries=history with_customer=false/>
            </section>
        </section>
    }
}

/// Suspend (with a confirmation that says what it does) or reactivate.
#[component]
fn StatusBox(
    customer: CustomerRecord,
    suspend: ServerAction<SuspendCustomer>,
    reactivate: ServerAction<ReactivateCustomer>,
) -> impl IntoView {
    let failed = move || {
        let error = |value: Option<Result<(), crate::PortalError>>| value.and_then(Result::err).map(|e| e.to_string());
        error(suspend.value().get()).or_else(|| error(reactivate.value().get()))
    };
    let (id, version) = (customer.id.to_string(), customer.version.to_string());
    let organization = customer.details.organization.clone();
    let action = match customer.status {
        CustomerStatus::Active => view! {
            <details class="confirm">
                <summary class="button danger">"Suspend…"</summary>
                <p>{format!("Suspend {organization}? Its users are signed out at once and cannot sign in until you reactivate it.")}</p>
                <ActionForm action=suspend>
                    {view! {
                        <input type="hidden" name="customer" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="danger">"Suspend customer"</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            </details>
        }
        .into_any_sync(),
        CustomerStatus::Suspended => view! {
            <ActionForm action=reactivate>
                {view! {
                    <input type="hidden" name="customer" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <button type="submit">"Reactivate customer"</button>
                }
                .into_any_sync()}
            </ActionForm>
        }
        .into_any_sync(),
        CustomerStatus::PendingApproval => view! {
            <p>"This signup waits for your decision in the " <a href="/customers?status=pending_approval">"Customers list"</a>"."</p>
        }
        .into_any_sync(),
        CustomerStatus::Rejected => view! { <p>"You rejected this signup."</p> }.into_any_sync(),
    };
    view! {
        <section class="status-box" aria-labelledby="status-title">
            <h3 id="status-title">"Status: " {customer.status.label()}</h3>
            <p class="form-error" role="alert">{failed}</p>
            {action}
        </section>
    }
}
