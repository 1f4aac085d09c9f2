//! The Cloud accounts tab (the guide's Part 3): **Add** an AWS account, then its Role ARN dialog:
//! what the account owner needs to create the role, the **AWS Role ARN** field and the
//! **Not Checked / Check** button.

use leptos::prelude::*;
use portico_shared::aws::{
    quick_create_link, role_template, trust_policy, CloudAccount, RoleCheck, RoleSetup, ROLE_NAME,
};
use portico_shared::Field;

use crate::api::cloud::{AddCloudAccount, ChangeCloudLink, CheckRoleArn};
use crate::pages::cloud_link::{LinkBadge, LinkPanel};
use crate::pages::copy::CopyButton;
use crate::pages::details_form::{field_errors, focus_first_error, form_failure, SubmitButton, TextField};

/// The tab's actions, passed down together.
#[derive(Clone, Copy)]
pub struct CloudActions {
    pub add: ServerAction<AddCloudAccount>,
    pub check: ServerAction<CheckRoleArn>,
    /// The account whose role was checked last, so its refusal shows in its own dialog.
    pub checking: RwSignal<String>,
    pub link: ServerAction<ChangeCloudLink>,
    /// The account whose link step was taken last.
    pub linking: RwSignal<String>,
}

#[component]
pub fn CloudAccountsTab(
    customer: String,
    accounts: Vec<CloudAccount>,
    setup: RoleSetup,
    aws_enabled: bool,
    actions: CloudActions,
) -> impl IntoView {
    let table = if accounts.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No cloud accounts yet."</strong></p>
                <p>"Add an existing AWS account: its owner then creates a role for the platform, and you check it here."</p>
            </div>
        }
        .into_any()
    } else {
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
                        </tr>
                    </thead>
                    <tbody>
                        {accounts.iter().map(|account| view! {
                            <tr>
                                <td>{account.provider_name.clone()}</td>
                                <td>{account.account_id.clone()}</td>
                                <td>{account.email.clone()}</td>
                                <td><span class=check_class(&account.role_check)>{account.role_check.label()}</span></td>
                                <td><LinkBadge link=account.link.clone()/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let dialogs = accounts
        .into_iter()
        .map(|account| view! { <RoleArnDialog customer=customer.clone() account setup=setup.clone() actions/> })
        .collect_view();
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Cloud accounts"</h2>
            {table}
            {dialogs}
            <AddAccountForm customer=customer.clone() aws_enabled action=actions.add/>
        </section>
    }
}

fn check_class(check: &RoleCheck) -> &'static str {
    match check {
        RoleCheck::Valid => "status status-active",
        RoleCheck::Invalid(_) => "status status-rejected",
        RoleCheck::NotChecked => "status status-pending_approval",
    }
}

#[component]
fn AddAccountForm(customer: String, aws_enabled: bool, action: ServerAction<AddCloudAccount>) -> impl IntoView {
    if !aws_enabled {
        let providers = format!("/customers/{customer}/providers");
        return view! {
            <h3 class="section">"Add a cloud account"</h3>
            <p class="empty">
                "Tick Amazon Web Services under " <a href=providers>"Cloud providers"</a> " to add an AWS account."
            </p>
        }
        .into_any();
    }
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    focus_first_error(errors);
    view! {
        <h3 class="section">"Add a cloud account"</h3>
        <ActionForm action attr:class="details-form" attr:novalidate=true>
            <input type="hidden" name="customer" value=customer/>
            <p class="form-error" role="alert">{failure}</p>
            <div class="field">
                <label for="account-provider">"Provider"</label>
                <select id="account-provider" name="account[provider]">
                    <option value="aws">"Amazon Web Services"</option>
                </select>
            </div>
            <TextField field=Field::AccountId label="Account ID" kind="text" autocomplete="off" required=true value=String::new() errors id_prefix="account" arg="account"/>
            <p class="help">"New Account: the 12-digit AWS account number."</p>
            <TextField field=Field::Email label="Email" kind="email" autocomplete="off" required=true value=String::new() errors id_prefix="account" arg="account"/>
            <p class="help">"The root e-mail of that AWS account."</p>
            <div class="form-actions">
                <SubmitButton pending label="Save" busy="Saving…"/>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// The Role ARN dialog of one account: open until its role checks out.
#[component]
fn RoleArnDialog(customer: String, account: CloudAccount, setup: RoleSetup, actions: CloudActions) -> impl IntoView {
    let CloudActions { check, checking, link, linking, .. } = actions;
    let id = account.id.clone();
    // The last check's outcome, if it was this account's.
    let outcome = move || {
        let mine = checking.with(|last| *last == id);
        check.value().get().filter(|_| mine).map(|result| result.map(|_| ()))
    };
    let errors = field_errors(outcome.clone());
    let failure = form_failure(outcome);
    let pending = check.pending();
    let policy = trust_policy(&setup.platform_account, &account.external_id);
    let template = role_template(&setup.platform_account, &account.external_id);
    let quick_create = setup.template_url.as_deref().map(|url| quick_create_link(url, &account.external_id));
    let prefix = format!("role-{}", account.id);
    let title_id = format!("{prefix}-title");
    let result = match &account.role_check {
        RoleCheck::Invalid(why) => Some(why.clone()),
        _ => None,
    };
    let (account_id, external_id) = (account.account_id.clone(), account.external_id.clone());
    let submitted = account.id.clone();
    let panel = view! { <LinkPanel customer=customer.clone() account=account.clone() action=link acting=linking/> };
    view! {
        <section class="card" aria-labelledby=title_id.clone()>
            <h3 class="section" id=title_id.clone()>{format!("Role ARN · AWS account {account_id}")}</h3>
            <details open=account.role_check != RoleCheck::Valid>
                <summary>"Instructions for the account owner"</summary>
                <p>{format!(
                    "Give these to the owner or an admin of AWS account {account_id}. They create a role named {ROLE_NAME} that \
                     the platform's AWS account ({}) may assume only with this ExternalId, then send you its Role ARN.",
                    setup.platform_account
                )}</p>
                <p>"ExternalId: " <code>{external_id.clone()}</code> " " <CopyButton text=external_id label="Copy the ExternalId".into()/></p>
                <h4>"Trust policy"</h4>
                <pre class="snippet">{policy.clone()}</pre>
                <CopyButton text=policy label="Copy the trust policy".into()/>
                <h4>"CloudFormation template"</h4>
                <pre class="snippet">{template.clone()}</pre>
                <CopyButton text=template label="Copy the CloudFormation template".into()/>
                {quick_create.map(|link| view! {
                    <p>
                        <a href=link.clone() target="_blank" rel="noopener">"Create the role in the AWS console (quick-create)"</a>
                        " " <CopyButton text=link label="Copy the quick-create link".into()/>
                    </p>
                })}
            </details>
            <ActionForm action=check attr:class="details-form" attr:novalidate=true on:submit=move |_| checking.set(submitted.clone())>
                <input type="hidden" name="customer" value=customer/>
                <input type="hidden" name="account" value=account.id.clone()/>
                <input type="hidden" name="version" value=account.version.to_string()/>
                <p class="form-error" role="alert">{failure}</p>
                <TextField field=Field::RoleArn label="AWS Role ARN" kind="text" autocomplete="off" required=true value=account.role_arn.clone().unwrap_or_default() errors id_prefix=prefix arg=""/>
                <p role="status" class="role-check">
                    <span class=check_class(&account.role_check)>{account.role_check.label()}</span>
                    {result.map(|why| view! { " " <span class="check-reason">{why}</span> })}
                </p>
                <div class="form-actions">
                    <SubmitButton pending label="Check" busy="Checking…"/>
                </div>
            </ActionForm>
            {panel}
        </section>
    }
}
