//! An account's dialog on the Cloud accounts tab, opened from its row: for an existing AWS
//! account, the Role ARN dialog the guide names (what the account owner needs to create the
//! role, the **AWS Role ARN** field, **Check** and **Save**), then its link (Part 4); for a new
//! account the platform creates, what was asked for and its link (Part 5).

use leptos::prelude::*;
use portico_shared::aws::{
    quick_create_link, role_template, trust_policy, CloudAccount, RoleCheck, RoleSetup, ROLE_NAME,
};
use portico_shared::Field;

use crate::erased::IntoAnySync;
use crate::pages::cloud_actions::{check_class, row_button_id, CloudActions};
use crate::pages::cloud_link::LinkPanel;
use crate::pages::copy::CopyButton;
use crate::pages::dialog::Modal;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, TextField};

/// The Role ARN dialog of one existing account.
#[component]
pub fn RoleArnDialog(
    customer: String,
    account: CloudAccount,
    setup: RoleSetup,
    actions: CloudActions,
) -> impl IntoView {
    let CloudActions { check, checking, link, linking, dialog, .. } = actions;
    let id = account.id.to_string();
    // The last check's outcome, if it was this account's.
    let mine = id.clone();
    let outcome = move || {
        let mine = checking.with(|last| *last == mine);
        check.value().get().filter(|_| mine).map(|result| result.map(|_| ()))
    };
    let errors = field_errors(outcome.clone());
    let failure = form_failure(outcome);
    focus_first_error(errors);
    let pending = check.pending();
    let policy = trust_policy(&setup.platform_account, &account.external_id);
    let template = role_template(&setup.platform_account, &account.external_id);
    let quick_create = setup.template_url.as_deref().map(|url| quick_create_link(url, &account.external_id));
    let prefix = format!("role-{}", account.id);
    let result = match &account.role_check {
        RoleCheck::Invalid(why) => Some(why.clone()),
        _ => None,
    };
    let (account_id, external_id) = (account.account_id.clone(), account.external_id.clone());
    let submitted = id.clone();
    // **Save** stores the ARN unchecked; the busy label says which of the two is under way.
    let saving = RwSignal::new(false);
    let panel = view! { <LinkPanel customer=customer.clone() account=account.clone() action=link acting=linking/> };
    view! {
        <Modal open=dialog key=id.clone() title=format!("Role ARN · AWS account {account_id}") opener=row_button_id(&id)>
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
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <input type="hidden" name="account" value=id.clone()/>
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
                        <button type="button" on:click=move |_| dialog.set(None)>"Later"</button>
                    </div>
                    <p class="note">"Check asks AWS to assume the role now; Save keeps the ARN as Not Checked; Later closes the dialog and leaves the account as it is."</p>
                }
                .into_any_sync()}
            </ActionForm>
            {panel}
        </Modal>
    }
}

/// A new account the platform creates: what was asked for, and its link.
#[component]
pub fn NewAccountDialog(customer: String, account: CloudAccount, actions: CloudActions) -> impl IntoView {
    let id = account.id.to_string();
    let name = account.account_name.clone().unwrap_or_default();
    let number = if account.account_id.is_empty() { "Not created yet".to_owned() } else { account.account_id.clone() };
    let plan = account.support_plan.clone().unwrap_or_else(|| "None".into());
    let email = account.email.clone();
    view! {
        <Modal open=actions.dialog key=id.clone() title=format!("New account · {name}") opener=row_button_id(&id)>
            <dl class="facts">
                <dt>"Account ID"</dt><dd>{number}</dd>
                <dt>"Root email"</dt><dd>{email}</dd>
                <dt>"Support plan"</dt><dd>{plan}</dd>
            </dl>
            <LinkPanel customer account action=actions.link acting=actions.linking/>
        </Modal>
    }
}
