//! The Cloud accounts tab (the guide's Part 3): **Add** an AWS account, then its Role ARN dialog:
//! what the account owner needs to create the role, the **AWS Role ARN** field and the
//! **Not Checked / Check** button.

use leptos::prelude::*;
use portico_shared::aws::{
    quick_create_link, role_template, trust_policy, CloudAccount, RoleCheck, RoleSetup, ROLE_NAME,
};
use portico_shared::cloud_links::AccountKind;
use portico_shared::support_plans::SupportPlan;
use portico_shared::Field;

use crate::api::cloud::{AddCloudAccount, ChangeCloudLink, CheckRoleArn, RequestNewCloudAccount};
use crate::pages::cloud_link::{LinkBadge, LinkPanel};
use crate::pages::copy::CopyButton;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, SubmitButton, TextField};

/// The tab's actions, passed down together.
#[derive(Clone, Copy)]
pub struct CloudActions {
    pub add: ServerAction<AddCloudAccount>,
    pub check: ServerAction<CheckRoleArn>,
    /// The account whose role was checked last, so its refusal shows in its own dialog.
    pub checking: RwSignal<String>,
    pub link: ServerAction<ChangeCloudLink>,
    pub request: ServerAction<RequestNewCloudAccount>,
    /// The account whose link step was taken last.
    pub linking: RwSignal<String>,
}

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
                                <td>{if account.account_id.is_empty() { "New account (pending)".to_owned() } else { account.account_id.clone() }}</td>
                                <td>{account.email.clone()}</td>
                                <td>{match account.kind {
                                    AccountKind::New => view! { <span class="note">"Not needed"</span> }.into_any(),
                                    AccountKind::Existing => view! {
                                        <span class=check_class(&account.role_check)>{account.role_check.label()}</span>
                                    }.into_any(),
                                }}</td>
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
        .map(|account| match account.kind {
            AccountKind::Existing => {
                view! { <RoleArnDialog customer=customer.clone() account setup=setup.clone() actions/> }.into_any()
            }
            AccountKind::New => view! { <NewAccountCard customer=customer.clone() account actions/> }.into_any(),
        })
        .collect_view();
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Cloud accounts"</h2>
            {table}
            {dialogs}
            <AddAccountForm customer=customer.clone() aws_enabled action=actions.add/>
            {aws_enabled.then(|| view! { <RequestAccountForm customer=customer.clone() plans action=actions.request/> })}
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

/// Cloud accounts → **Request** (the guide's Part 5): a new AWS account the platform creates.
#[component]
fn RequestAccountForm(
    customer: String,
    plans: Vec<SupportPlan>,
    action: ServerAction<RequestNewCloudAccount>,
) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    let plan_error =
        move || errors.with(|all| all.iter().find(|e| e.field == Field::SupportPlan).map(|e| e.message.clone()));
    focus_first_error(errors);
    view! {
        <h3 class="section">"Request a new account"</h3>
        <p class="help">"Cloud Support approves the request; the platform then creates the account and e-mails its admin access to the customer's primary contact."</p>
        <ActionForm action attr:class="details-form" attr:novalidate=true>
            <input type="hidden" name="customer" value=customer/>
            <p class="form-error" role="alert">{failure}</p>
            <div class="field">
                <label for="request-provider">"Cloud provider"</label>
                <select id="request-provider" name="request[provider]">
                    <option value="aws">"Amazon Web Services"</option>
                </select>
            </div>
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
            <div class="form-actions">
                <SubmitButton pending label="Request" busy="Requesting…"/>
            </div>
        </ActionForm>
    }
}

/// A new account the platform creates: what was asked for, and its link.
#[component]
fn NewAccountCard(customer: String, account: CloudAccount, actions: CloudActions) -> impl IntoView {
    let name = account.account_name.clone().unwrap_or_default();
    let title_id = format!("new-{}-title", account.id);
    let number = if account.account_id.is_empty() { "Not created yet".to_owned() } else { account.account_id.clone() };
    let plan = account.support_plan.clone().unwrap_or_else(|| "None".into());
    let email = account.email.clone();
    view! {
        <section class="card" aria-labelledby=title_id.clone()>
            <h3 class="section" id=title_id.clone()>{format!("New account · {name}")}</h3>
            <dl class="facts">
                <dt>"Account ID"</dt><dd>{number}</dd>
                <dt>"Root email"</dt><dd>{email}</dd>
                <dt>"Support plan"</dt><dd>{plan}</dd>
            </dl>
            <LinkPanel customer account action=actions.link acting=actions.linking/>
        </section>
    }
}

/// The Role ARN dialog of one account: open until its role checks out.
#[component]
fn RoleArnDialog(customer: String, account: CloudAccount, setup: RoleSetup, actions: CloudActions) -> impl IntoView {
    let CloudActions { check, checking, link, linking, .. } = actions;
    let id = account.id.to_string();
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
    let submitted = account.id.to_string();
    // **Save** stores the ARN unchecked; the busy label says which of the two is under way.
    let saving = RwSignal::new(false);
    // **Later** folds the dialog away until it is opened again; the account stays as it is.
    let later = RwSignal::new(false);
    let reopen = NodeRef::<leptos::html::Button>::new();
    let arn_input = format!("{prefix}-{}", Field::RoleArn.name());
    let status_now = account.role_check.label();
    let panel = view! { <LinkPanel customer=customer.clone() account=account.clone() action=link acting=linking/> };
    view! {
        <section class="card" aria-labelledby=title_id.clone()>
            <h3 class="section" id=title_id.clone()>{format!("Role ARN · AWS account {account_id}")}</h3>
            <p class="note" hidden=move || !later.get()>
                {format!("The Role ARN is left for later; the account stays {status_now}. ")}
                <button type="button" node_ref=reopen on:click=move |_| {
                    later.set(false);
                    // Once the dialog is shown again: a hidden field cannot take the focus.
                    let field = arn_input.clone();
                    request_animation_frame(move || focus_by_id(&field));
                }>"Open the Role ARN dialog"</button>
            </p>
            <div hidden=move || later.get()>
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
                <input type="hidden" name="account" value=account.id.to_string()/>
                <input type="hidden" name="version" value=account.version.to_string()/>
                <p class="form-error" role="alert">{failure}</p>
                <TextField field=Field::RoleArn label="AWS Role ARN" kind="text" autocomplete="off" required=true value=account.role_arn.clone().unwrap_or_default() errors id_prefix=prefix arg=""/>
                <p role="status" class="role-check">
                    <span class=check_class(&account.role_check)>{account.role_check.label()}</span>
                    {result.map(|why| view! { " " <span class="check-reason">{why}</span> })}
                </p>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=pending aria-busy=move || pending.get().to_string()
                        on:click=move |_| saving.set(false)>
                        {move || if pending.get() && !saving.get() { "Checking…" } else { "Check" }}
                    </button>
                    <button type="submit" name="save_only" value="true" disabled=pending on:click=move |_| saving.set(true)>
                        {move || if pending.get() && saving.get() { "Saving…" } else { "Save" }}
                    </button>
                    <button type="button" on:click=move |_| {
                        later.set(true);
                        request_animation_frame(move || {
                            if let Some(button) = reopen.get_untracked() {
                                let _ = button.focus();
                            }
                        });
                    }>"Later"</button>
                </div>
                <p class="note">"Check asks AWS to assume the role now; Save keeps the ARN as Not Checked; Later leaves the dialog."</p>
            </ActionForm>
            </div>
            {panel}
        </section>
    }
}

/// Moves the keyboard focus to the element with this id (in the browser; nothing on the server).
fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let element = document().get_element_by_id(id);
        if let Some(input) = element.and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
            let _ = input.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
