//! The Cloud accounts tab (the guide's Parts 3 and 5): the customer's accounts, the **ADD**
//! button and its dialog (provider, the **Account ID** dropdown of the accounts the platform
//! already knows for the customer plus **New Account**, the root e-mail, **Save**), the
//! **Request** link and its dialog, and each account's own dialog opened from its row.

use leptos::prelude::*;
use portico_shared::aws::{CloudAccount, OrganizationAccount, RoleSetup};
use portico_shared::cloud_links::AccountKind;
use portico_shared::ids::CustomerId;
use portico_shared::support_plans::SupportPlan;
use portico_shared::ui::FieldBox;
use portico_shared::Field;

use crate::api::cloud::{KnownCloudAccounts, RequestNewCloudAccount};
use crate::erased::IntoAnySync;
use crate::pages::cloud_actions::{check_class, row_button_id, CloudActions};
use crate::pages::cloud_link::LinkBadge;
use crate::pages::dialog::{DialogOpen, Modal, OpenDialog};
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, message_of, SubmitButton, TextField};
use crate::pages::role_arn::{NewAccountDialog, RoleArnDialog};

/// The keys of the tab's own dialogs; an account's dialog is keyed by the account's id.
const ADD: &str = "add";
const REQUEST: &str = "request";
/// The Account ID dropdown's choice that reveals the 12-digit field.
const NEW_ACCOUNT: &str = "new";

#[component]
pub fn CloudAccountsTab(
    customer: String,
    accounts: Vec<CloudAccount>,
    setup: RoleSetup,
    aws_enabled: bool,
    /// The AWS support plans a new account may have.
    plans: Vec<SupportPlan>,
    actions: CloudActions,
) -> impl IntoView {
    let dialog = actions.dialog;
    let toolbar = if aws_enabled {
        view! {
            <div class="toolbar">
                <OpenDialog open=dialog key=ADD id="open-add" class="primary">"ADD"</OpenDialog>
                <OpenDialog open=dialog key=REQUEST id="open-request" class="text-link">"Request"</OpenDialog>
                <span class="note">"Request: a new AWS account the platform creates for this customer."</span>
            </div>
        }
        .into_any_sync()
    } else {
        let providers = format!("/customers/{customer}/providers");
        view! {
            <p class="note">
                "Tick Amazon Web Services under " <a href=providers>"Cloud providers"</a> " to add or request an AWS account."
            </p>
        }
        .into_any_sync()
    };
    let table = if accounts.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No cloud accounts yet."</strong></p>
                <p>"ADD an existing AWS account: its owner then creates a role for the platform, and you check it here. Or Request a new one."</p>
            </div>
        }
        .into_any_sync()
    } else {
        view! { <AccountsTable accounts=accounts.clone() dialog/> }.into_any_sync()
    };
    let dialogs = accounts
        .into_iter()
        .map(|account| match account.kind {
            AccountKind::Existing => {
                view! { <RoleArnDialog customer=customer.clone() account setup=setup.clone() actions/> }.into_any_sync()
            }
            AccountKind::New => view! { <NewAccountDialog customer=customer.clone() account actions/> }.into_any_sync(),
        })
        .collect_view();
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Cloud accounts"</h2>
            {toolbar}
            {table}
            {dialogs}
            {aws_enabled.then(|| view! {
                <AddAccountDialog customer=customer.clone() actions/>
                <RequestAccountDialog customer=customer.clone() plans action=actions.request dialog/>
            })}
        </section>
    }
}

#[component]
fn AccountsTable(accounts: Vec<CloudAccount>, dialog: DialogOpen) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">"Provider"</th>
                        <th scope="col">"Account ID"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"AWS Role ARN"</th>
                        <th scope="col">"Link"</th>
                        <th scope="col"><span class="visually-hidden">"Dialog"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {accounts.into_iter().map(|account| {
                        let id = account.id.to_string();
                        let (opens, whose) = match account.kind {
                            AccountKind::Existing => ("Role ARN", format!(" of AWS account {}", account.account_id)),
                            AccountKind::New => {
                                ("Details", format!(" of new account {}", account.account_name.clone().unwrap_or_default()))
                            }
                        };
                        view! {
                            <tr>
                                <td>{account.provider_name.clone()}</td>
                                <td>{if account.account_id.is_empty() { "New account (pending)".to_owned() } else { account.account_id.clone() }}</td>
                                <td>{account.email.clone()}</td>
                                <td>{match account.kind {
                                    AccountKind::New => view! { <span class="note">"Not needed"</span> }.into_any_sync(),
                                    AccountKind::Existing => view! {
                                        <span class=check_class(&account.role_check)>{account.role_check.label()}</span>
                                    }.into_any_sync(),
                                }}</td>
                                <td><LinkBadge link=account.link.clone()/></td>
                                <td>
                                    <OpenDialog open=dialog key=id.clone() id=row_button_id(&id) class="small">
                                        {opens}<span class="visually-hidden">{whose}</span>
                                    </OpenDialog>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// **ADD** → "In the dropdown select Amazon Web Services; Dropdown under Account ID and select
/// New Account to enter the 12 digit AWS account number; under Email enter the Root email …;
/// press Save."
#[component]
fn AddAccountDialog(customer: String, actions: CloudActions) -> impl IntoView {
    let CloudActions { add: action, dialog, .. } = actions;
    let known = ServerAction::<KnownCloudAccounts>::new();
    let asked_for = CustomerId(customer.clone());
    // Asked of the cloud when the dialog opens, not with every page.
    Effect::new(move |asked: Option<bool>| {
        let open = dialog.with(|open| open.as_deref() == Some(ADD));
        if open && asked != Some(true) {
            known.dispatch(KnownCloudAccounts { customer: asked_for.clone() });
        }
        asked.unwrap_or(false) || open
    });
    let choice = RwSignal::new(NEW_ACCOUNT.to_owned());
    let email = RwSignal::new(String::new());
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    focus_first_error(errors);
    let account_error = message_of(errors, Field::AccountId);
    let email_error = message_of(errors, Field::Email);
    let typing = move || choice.with(|choice| choice == NEW_ACCOUNT);
    let options = move || match known.value().get() {
        Some(Ok(accounts)) => accounts,
        _ => Vec::new(),
    };
    let choose = move |picked: String| {
        let found = options().into_iter().find(|account| account.account_id == picked);
        if let Some(account) = found {
            email.set(account.email);
        }
        choice.set(picked);
    };
    view! {
        <Modal open=dialog key=ADD title="Add a cloud account" opener="open-add">
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <p class="form-error" role="alert">{failure}</p>
                    <ProviderChoice id="account-provider" name="account[provider]" label="Provider"/>
                    <FieldBox control="account-choice" label="Account ID" required=true
                        message=Signal::derive(move || account_error().filter(|_| !typing())) error_id="account-choice-error">
                        <select id="account-choice" on:change=move |event| choose(event_target_value(&event))
                            aria-invalid=move || (account_error().is_some() && !typing()).to_string()
                            aria-describedby="account-choice-help account-choice-error">
                            {move || options().into_iter().map(|account| {
                                let label = known_label(&account);
                                let value = account.account_id;
                                let mine = value.clone();
                                view! { <option value=value selected=move || choice.with(|choice| *choice == mine)>{label}</option> }
                            }).collect_view()}
                            <option value=NEW_ACCOUNT selected=typing>"New Account"</option>
                        </select>
                        <p class="help" id="account-choice-help">{move || match (known.pending().get(), known.value().get()) {
                            (true, _) => "Looking for this customer's accounts in the platform's AWS organization…".to_owned(),
                            (_, Some(Ok(accounts))) if !accounts.is_empty() => format!(
                                "{} account{} of the platform's AWS organization with this customer's e-mail, or New Account.",
                                accounts.len(), if accounts.len() == 1 { "" } else { "s" }
                            ),
                            (_, Some(Err(_))) => "The platform's AWS organization could not be read just now: enter the account as New Account.".to_owned(),
                            _ => "New Account: enter the 12-digit AWS account number.".to_owned(),
                        }}</p>
                    </FieldBox>
                    <input type="hidden" name="account[account_id]" value=move || choice.get() disabled=typing/>
                    <div hidden=move || !typing()>
                        <FieldBox control="account-account_id" label="12-digit AWS account number" required=true
                            message=Signal::derive(move || account_error().filter(|_| typing())) error_id="account-account_id-error">
                            <input id="account-account_id" name="account[account_id]" type="text" inputmode="numeric" autocomplete="off"
                                disabled=move || !typing()
                                aria-invalid=move || (account_error().is_some() && typing()).to_string()
                                aria-describedby="account-account_id-error"/>
                        </FieldBox>
                    </div>
                    <FieldBox control="account-email" label="Email" required=true message=Signal::derive(email_error) error_id="account-email-error">
                        <input id="account-email" name="account[email]" type="email" autocomplete="off"
                            prop:value=move || email.get() on:input=move |event| email.set(event_target_value(&event))
                            aria-invalid=move || email_error().is_some().to_string()
                            aria-describedby="account-email-help account-email-error"/>
                    </FieldBox>
                    <p class="help" id="account-email-help">"The root e-mail of that AWS account."</p>
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                        <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </Modal>
    }
}

/// The provider dropdown of the ADD and Request dialogs ("In the dropdown select Amazon Web
/// Services"): AWS is the provider whose accounts the platform links.
#[component]
fn ProviderChoice(id: &'static str, name: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="aws">"Amazon Web Services"</option>
            </select>
        </div>
    }
}

/// How the dropdown names an account the organization holds.
fn known_label(account: &OrganizationAccount) -> String {
    match account.name.is_empty() {
        true => format!("{} · {}", account.account_id, account.email),
        false => format!("{} · {} ({})", account.account_id, account.name, account.email),
    }
}

/// The **Request** link's dialog (the guide's Part 5): "Choose Cloud Provider AWS, Click the
/// Request button at the bottom right corner of this dialog box."
#[component]
fn RequestAccountDialog(
    customer: String,
    plans: Vec<SupportPlan>,
    action: ServerAction<RequestNewCloudAccount>,
    dialog: DialogOpen,
) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    let plan_error = message_of(errors, Field::SupportPlan);
    focus_first_error(errors);
    view! {
        <Modal open=dialog key=REQUEST title="Request a new account" opener="open-request">
            <p class="help">"Cloud Support approves the request; the platform then creates the account and e-mails its admin access to the customer's primary contact."</p>
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <p class="form-error" role="alert">{failure}</p>
                    <ProviderChoice id="request-provider" name="request[provider]" label="Cloud provider"/>
                    <TextField field=Field::Email label="Root email" kind="email" autocomplete="off" required=true value=String::new() errors id_prefix="request" arg="request"/>
                    <p class="help">"An address never used with AWS: it becomes the new account's root e-mail."</p>
                    <TextField field=Field::AccountName label="Account name" kind="text" autocomplete="off" required=true value=String::new() errors id_prefix="request" arg="request"/>
                    <div class="field">
                        <label for="request-support_plan">"Support plan"</label>
                        <select id="request-support_plan" name="request[support_plan]" aria-invalid=move || plan_error().is_some().to_string() aria-describedby="request-support_plan-error">
                            {plans.into_iter().map(|plan| {
                                let selected = plan.id.as_str() == "aws-business";
                                view! { <option value=plan.id.to_string() selected=selected>{plan.name}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-error" id="request-support_plan-error">{plan_error}</p>
                    </div>
                    <div class="form-actions end">
                        <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                        <SubmitButton pending label="Request" busy="Requesting…"/>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </Modal>
    }
}
