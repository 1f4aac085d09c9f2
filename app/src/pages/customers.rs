use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::customer::{CustomerList, CustomerStatus, CustomerSummary};

use crate::api::{customers_page, ApproveSignup, RejectSignup};
use crate::layout::SignedInLayout;
use crate::pages::failure_view;

/// The Customers module: every customer of the reseller, newest first, with a decision to make on
/// each signup that waits for approval.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let approve = ServerAction::<ApproveSignup>::new();
    let reject = ServerAction::<RejectSignup>::new();
    // Reload the list after every decision, so the page shows where each signup stands.
    let data = Resource::new(move || (approve.version().get(), reject.version().get()), |_| customers_page());
    let outcome = move || {
        let failed = |value: Option<Result<(), crate::PortalError>>| value.and_then(Result::err).map(|e| e.to_string());
        failed(approve.value().get()).or_else(|| failed(reject.value().get()))
    };
    view! {
        <Title text="Customers"/>
        <Transition fallback=|| view! { <p class="loading">"Loading customers…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <SignedInLayout user=page.user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Customers"</nav>
                            <h1>"Customers"</h1>
                            <p class="form-error" role="alert">{outcome}</p>
                            <CustomerTable customers=page.customers approve reject/>
                        </SignedInLayout>
                    }
                    .into_any(),
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerTable(
    customers: CustomerList,
    approve: ServerAction<ApproveSignup>,
    reject: ServerAction<RejectSignup>,
) -> impl IntoView {
    let CustomerList { customers, total } = customers;
    if customers.is_empty() {
        return view! {
            <div class="empty">
                <p><strong>"No customers yet."</strong></p>
                <p>"Customers appear here as soon as they sign up through the widget on your website."</p>
            </div>
        }
        .into_any();
    }
    let shown = customers.len();
    let count = if i64::try_from(shown).is_ok_and(|shown| shown < total) {
        format!("The newest {shown} of {total} customers")
    } else {
        format!("{total} customer{}", if total == 1 { "" } else { "s" })
    };
    view! {
        <p class="count">{count}</p>
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Organization"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Decision"</th>
                </tr>
            </thead>
            <tbody>
                {customers.into_iter().map(|customer| view! { <CustomerRow customer approve reject/> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn CustomerRow(
    customer: CustomerSummary,
    approve: ServerAction<ApproveSignup>,
    reject: ServerAction<RejectSignup>,
) -> impl IntoView {
    let pending = customer.status == CustomerStatus::PendingApproval;
    let unconfirmed = pending && !customer.email_verified;
    view! {
        <tr>
            <td>{customer.organization.clone()}</td>
            <td>{customer.contact_name}</td>
            <td>{customer.contact_email}</td>
            <td>
                <span class=format!("status status-{}", customer.status.as_str())>{customer.status.label()}</span>
                {unconfirmed.then(|| view! { <span class="note">" E-mail not confirmed yet"</span> })}
            </td>
            <td>{crate::format::date(customer.created_at)}</td>
            <td>
                {pending
                    .then(|| {
                        let (id, version) = (customer.id.to_string(), customer.version.to_string());
                        let (approve_id, approve_version) = (id.clone(), version.clone());
                        let approve_label = format!("Approve {}", customer.organization);
                        let reject_label = format!("Reject {}", customer.organization);
                        let reason_id = format!("reason-{id}");
                        let reason_for = reason_id.clone();
                        view! {
                            <div class="decision">
                                <ActionForm action=approve>
                                    <input type="hidden" name="customer" value=approve_id/>
                                    <input type="hidden" name="version" value=approve_version/>
                                    <button type="submit" class="small" aria-label=approve_label>"Approve"</button>
                                </ActionForm>
                                <details>
                                    <summary aria-label=reject_label>"Reject…"</summary>
                                    <ActionForm action=reject>
                                        <input type="hidden" name="customer" value=id/>
                                        <input type="hidden" name="version" value=version/>
                                        <label for=reason_for>"Reason, e-mailed to the contact"</label>
                                        <textarea id=reason_id name="reason" rows="3" maxlength="500" required></textarea>
                                        <button type="submit" class="small danger">"Reject signup"</button>
                                    </ActionForm>
                                </details>
                            </div>
                        }
                    })}
            </td>
        </tr>
    }
}
