//! The Users tab: the people who sign in for a customer, their role, and whether they may.

use leptos::prelude::*;
use portico_shared::customer::{CustomerUserSummary, UserRole};
use portico_shared::Field;

use crate::api::{InviteCustomerUser, ResendCustomerInvitation, SetCustomerUserDisabled, SetCustomerUserRole};
use crate::erased::IntoAnySync;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, SubmitButton, TextField};
use crate::PortalError;

/// The Users tab's actions, passed down together.
#[derive(Clone, Copy)]
pub struct UserActions {
    pub role: ServerAction<SetCustomerUserRole>,
    pub disable: ServerAction<SetCustomerUserDisabled>,
    pub invite: ServerAction<InviteCustomerUser>,
    pub resend: ServerAction<ResendCustomerInvitation>,
}

#[component]
pub fn UsersTab(customer: String, users: Vec<CustomerUserSummary>, actions: UserActions) -> impl IntoView {
    let UserActions { role, disable, invite, resend } = actions;
    let failed = move || {
        let error = |value: Option<Result<(), PortalError>>| value.and_then(Result::err).map(|e| e.to_string());
        error(role.value().get()).or_else(|| error(disable.value().get())).or_else(|| error(resend.value().get()))
    };
    let sent = move || {
        let done = |value: Option<Result<(), PortalError>>| matches!(value, Some(Ok(())));
        (done(invite.value().get()) || done(resend.value().get()))
            .then_some("Invitation sent. The link in it works for 7 days.")
    };
    let customer_for_form = customer.clone();
    let enabled_admins = users.iter().filter(|u| u.role == UserRole::Admin && !u.disabled).count();
    let table = if users.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No users yet."</strong></p>
                <p>"The contact who signs up through the widget becomes the customer's first user, as an admin."</p>
            </div>
        }
        .into_any_sync()
    } else {
        view! {
            <div class="table-scroll">
                <table class="list">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {users
                            .into_iter()
                            .map(|user| {
                                // The customer's only enabled admin can be neither demoted nor disabled.
                                let only_admin = enabled_admins == 1 && user.role == UserRole::Admin && !user.disabled;
                                view! { <UserRow customer=customer.clone() user only_admin actions/> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any_sync()
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Users"</h2>
            <p class="form-error" role="alert">{failed}</p>
            <p class="notice" role="status">{sent}</p>
            {table}
            <InviteUserForm customer=customer_for_form action=invite/>
        </section>
    }
}

#[component]
fn InviteUserForm(customer: String, action: ServerAction<InviteCustomerUser>) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    focus_first_error(errors);
    let role_error = move || errors.with(|all| all.iter().find(|e| e.field == Field::Role).map(|e| e.message.clone()));
    view! {
        <h3 class="section">"Invite a user"</h3>
        <ActionForm action attr:class="details-form" attr:novalidate=true>
            {view! {
                <input type="hidden" name="customer" value=customer/>
                <p class="form-error" role="alert">{failure}</p>
                <TextField field=Field::Email label="Email" kind="email" autocomplete="off" required=true value=String::new() errors id_prefix="user" arg="invitation"/>
                <TextField field=Field::Name label="Name" kind="text" autocomplete="off" required=true value=String::new() errors id_prefix="user" arg="invitation"/>
                <div class="field">
                    <label for="user-role">"Role"</label>
                    <select id="user-role" name="invitation[role]" aria-invalid=move || role_error().is_some().to_string() aria-describedby="user-role-error">
                        <option value="user">"User"</option>
                        <option value="admin">"Admin"</option>
                    </select>
                    <p class="field-error" id="user-role-error">{role_error}</p>
                </div>
                <p class="help">"They get an e-mail with a link to choose their password, then use Login in your widget."</p>
                <div class="form-actions">
                    <SubmitButton pending label="Send invitation" busy="Sending…"/>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}

#[component]
fn UserRow(customer: String, user: CustomerUserSummary, only_admin: bool, actions: UserActions) -> impl IntoView {
    let UserActions { role, disable, resend, .. } = actions;
    let (id, version) = (user.id.to_string(), user.version.to_string());
    let other_role = match user.role {
        UserRole::Admin => UserRole::User,
        UserRole::User => UserRole::Admin,
    };
    let role_label =
        format!("Make {} {}", user.name, if other_role == UserRole::Admin { "an admin" } else { "a user" });
    let status = match (user.disabled, user.invited, user.email_verified) {
        (true, _, _) => "Disabled",
        (false, true, _) => "Invited",
        (false, false, true) => "Active",
        (false, false, false) => "E-mail not confirmed yet",
    };
    let (resend_customer, resend_id) = (customer.clone(), id.clone());
    let resend_form = user.invited.then(|| {
        let label = format!("Resend the invitation to {}", user.email);
        view! {
            <ActionForm action=resend>
                {view! {
                    <input type="hidden" name="customer" value=resend_customer/>
                    <input type="hidden" name="user" value=resend_id/>
                    <button type="submit" class="small">{label}</button>
                }
                .into_any_sync()}
            </ActionForm>
        }
    });
    let (toggle_customer, toggle_id, toggle_version) = (customer.clone(), id.clone(), version.clone());
    let enable_label = format!("Enable {}", user.name);
    let disable_label = format!("Disable {}…", user.name);
    let disable_warning = format!("{} is signed out at once and cannot sign in until enabled again.", user.name);
    let toggle = if user.disabled {
        view! {
            <ActionForm action=disable>
                {view! {
                    <input type="hidden" name="customer" value=toggle_customer.clone()/>
                    <input type="hidden" name="user" value=toggle_id.clone()/>
                    <input type="hidden" name="version" value=toggle_version.clone()/>
                    <input type="hidden" name="disabled" value="false"/>
                    <button type="submit" class="small">{enable_label}</button>
                }
                .into_any_sync()}
            </ActionForm>
        }
        .into_any_sync()
    } else {
        view! {
            <details class="confirm">
                <summary class="small danger">{disable_label}</summary>
                <p>{disable_warning}</p>
                <ActionForm action=disable>
                    {view! {
                        <input type="hidden" name="customer" value=toggle_customer.clone()/>
                        <input type="hidden" name="user" value=toggle_id.clone()/>
                        <input type="hidden" name="version" value=toggle_version.clone()/>
                        <input type="hidden" name="disabled" value="true"/>
                        <button type="submit" class="small danger">"Disable user"</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            </details>
        }
        .into_any_sync()
    };
    view! {
        <tr>
            <td>{user.name.clone()}</td>
            <td>{user.email}</td>
            <td>{user.role.label()}</td>
            <td>{status}</td>
            <td>
                {only_admin.then(|| view! { <span class="note">"The only admin: make another user an admin to change this one."</span> })}
                {resend_form}
                <div class="decision" hidden=only_admin>
                    <ActionForm action=role>
                        {view! {
                            <input type="hidden" name="customer" value=customer/>
                            <input type="hidden" name="user" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <input type="hidden" name="role" value=other_role.as_str()/>
                            <button type="submit" class="small">{role_label}</button>
                        }
                        .into_any_sync()}
                    </ActionForm>
                    {toggle}
                </div>
            </td>
        </tr>
    }
}
