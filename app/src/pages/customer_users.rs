//! The Users tab: the people who sign in for a customer, their role, and whether they may.

use leptos::prelude::*;
use portico_shared::customer::{CustomerUserSummary, UserRole};

use crate::api::{SetCustomerUserDisabled, SetCustomerUserRole};

#[component]
pub fn UsersTab(
    customer: String,
    users: Vec<CustomerUserSummary>,
    role: ServerAction<SetCustomerUserRole>,
    disable: ServerAction<SetCustomerUserDisabled>,
) -> impl IntoView {
    let failed = move || {
        let error = |value: Option<Result<(), crate::PortalError>>| value.and_then(Result::err).map(|e| e.to_string());
        error(role.value().get()).or_else(|| error(disable.value().get()))
    };
    let enabled_admins = users.iter().filter(|u| u.role == UserRole::Admin && !u.disabled).count();
    let table = if users.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"No users yet."</strong></p>
                <p>"The contact who signs up through the widget becomes the customer's first user, as an admin."</p>
            </div>
        }
        .into_any()
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
                                view! { <UserRow customer=customer.clone() user only_admin role disable/> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Users"</h2>
            <p class="form-error" role="alert">{failed}</p>
            {table}
            <p class="note">"Inviting more users by e-mail is not available yet."</p>
        </section>
    }
}

#[component]
fn UserRow(
    customer: String,
    user: CustomerUserSummary,
    only_admin: bool,
    role: ServerAction<SetCustomerUserRole>,
    disable: ServerAction<SetCustomerUserDisabled>,
) -> impl IntoView {
    let (id, version) = (user.id.clone(), user.version.to_string());
    let other_role = match user.role {
        UserRole::Admin => UserRole::User,
        UserRole::User => UserRole::Admin,
    };
    let role_label =
        format!("Make {} {}", user.name, if other_role == UserRole::Admin { "an admin" } else { "a user" });
    let status = match (user.disabled, user.email_verified) {
        (true, _) => "Disabled",
        (false, true) => "Active",
        (false, false) => "E-mail not confirmed yet",
    };
    let (toggle_customer, toggle_id, toggle_version) = (customer.clone(), id.clone(), version.clone());
    let enable_label = format!("Enable {}", user.name);
    let disable_label = format!("Disable {}…", user.name);
    let disable_warning = format!("{} is signed out at once and cannot sign in until enabled again.", user.name);
    let toggle = if user.disabled {
        view! {
            <ActionForm action=disable>
                <input type="hidden" name="customer" value=toggle_customer.clone()/>
                <input type="hidden" name="user" value=toggle_id.clone()/>
                <input type="hidden" name="version" value=toggle_version.clone()/>
                <input type="hidden" name="disabled" value="false"/>
                <button type="submit" class="small">{enable_label}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <details class="confirm">
                <summary class="small danger">{disable_label}</summary>
                <p>{disable_warning}</p>
                <ActionForm action=disable>
                    <input type="hidden" name="customer" value=toggle_customer.clone()/>
                    <input type="hidden" name="user" value=toggle_id.clone()/>
                    <input type="hidden" name="version" value=toggle_version.clone()/>
                    <input type="hidden" name="disabled" value="true"/>
                    <button type="submit" class="small danger">"Disable user"</button>
                </ActionForm>
            </details>
        }
        .into_any()
    };
    view! {
        <tr>
            <td>{user.name.clone()}</td>
            <td>{user.email}</td>
            <td>{user.role.label()}</td>
            <td>{status}</td>
            <td>
                {only_admin.then(|| view! { <span class="note">"The only admin: make another user an admin to change this one."</span> })}
                <div class="decision" hidden=only_admin>
                    <ActionForm action=role>
                        <input type="hidden" name="customer" value=customer/>
                        <input type="hidden" name="user" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <input type="hidden" name="role" value=other_role.as_str()/>
                        <button type="submit" class="small">{role_label}</button>
                    </ActionForm>
                    {toggle}
                </div>
            </td>
        </tr>
    }
}
