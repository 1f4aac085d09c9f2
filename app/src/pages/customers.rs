use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use portico_shared::customer::{CustomerList, CustomerQuery, CustomerSort, CustomerStatus, CustomerSummary};
use portico_shared::VariantArray;

use crate::api::{customers_page, ApproveSignup, RejectSignup};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;

/// The Customers module: search, filter by status, sort, page through, export, add; and a
/// decision to make on each signup that waits for approval.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let approve = ServerAction::<ApproveSignup>::new();
    let reject = ServerAction::<RejectSignup>::new();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| CustomerQuery::from_params(|name| p.get(name))));
    // Reload the list after every decision, so the page shows where each signup stands.
    let data = Resource::new_serde_wb(
        move || (query.get(), approve.version().get(), reject.version().get()),
        |(query, _, _)| customers_page(query),
    );
    let outcome = move || {
        let failed = |value: Option<Result<(), crate::PortalError>>| value.and_then(Result::err).map(|e| e.to_string());
        failed(approve.value().get()).or_else(|| failed(reject.value().get()))
    };
    view! {
        <Title text="Customers"/>
        <Transition fallback=|| view! { <p class="loading">"Loading customers…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let query = query.get_untracked();
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Customers"</nav>
                                <div class="page-head">
                                    <h1>"Customers"</h1>
                                    <div class="actions">
                                        <a class="button" href=format!("/portal/customers.csv{}", CustomerQuery { after: None, ..query.clone() }.to_query_string()) rel="external" download="customers.csv">"Export CSV"</a>
                                        <a class="button primary" href="/customers/new">"Add"</a>
                                    </div>
                                </div>
                                <SearchForm query=query.clone()/>
                                <p class="form-error" role="alert">{outcome}</p>
                                <CustomerTable list=page.customers query approve reject/>
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

/// Search, status and order, as a plain GET form: it works before and without the WebAssembly,
/// and the result is an address that can be bookmarked or shared.
#[component]
fn SearchForm(query: CustomerQuery) -> impl IntoView {
    let status = query.status;
    let sort = query.sort;
    view! {
        <form class="search" method="get" action="/customers" role="search">
            <div class="field grow">
                <label for="customer-search">"Search"</label>
                <input id="customer-search" name="q" type="search" value=query.q maxlength="100"
                    placeholder="Organization, name or e-mail"/>
            </div>
            <div class="field">
                <label for="customer-status">"Status"</label>
                <select id="customer-status" name="status">
                    <option value="" selected=status.is_none()>"Any status"</option>
                    {[CustomerStatus::PendingApproval, CustomerStatus::Active, CustomerStatus::Suspended, CustomerStatus::Rejected]
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str() selected=status == Some(s)>{s.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="customer-sort">"Sort"</label>
                <select id="customer-sort" name="sort">
                    {CustomerSort::VARIANTS
                        .iter().copied()
                        .map(|s| view! { <option value=s.as_str() selected=sort == s>{s.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit">"Search"</button>
        </form>
    }
}

#[component]
fn CustomerTable(
    list: CustomerList,
    query: CustomerQuery,
    approve: ServerAction<ApproveSignup>,
    reject: ServerAction<RejectSignup>,
) -> impl IntoView {
    let CustomerList { customers, next } = list;
    let filtered = !query.q.trim().is_empty() || query.status.is_some();
    if customers.is_empty() {
        return if filtered {
            view! {
                <div class="empty">
                    <p><strong>"No customers match."</strong></p>
                    <p>"Search looks for words that begin with what you typed. " <a href="/customers">"Show all customers"</a></p>
                </div>
            }
            .into_any_sync()
        } else {
            view! {
                <div class="empty">
                    <p><strong>"No customers yet."</strong></p>
                    <p>"Customers appear here when they sign up through the widget on your website, or when you "
                        <a href="/customers/new">"add one"</a>"."</p>
                </div>
            }
            .into_any_sync()
        };
    }
    let shown = customers.len();
    let count = match (&query.after, &next) {
        (None, None) => format!("{shown} customer{}", if shown == 1 { "" } else { "s" }),
        _ => format!("{shown} customers on this page"),
    };
    let first_page = query.after.is_some().then(|| CustomerQuery { after: None, ..query.clone() }.to_query_string());
    let next_page = next.map(|cursor| CustomerQuery { after: Some(cursor), ..query }.to_query_string());
    view! {
        <p class="count" role="status">{count}</p>
        <div class="table-scroll">
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
        </div>
        <nav class="pager" aria-label="Pages">
            {first_page.map(|q| view! { <a href=format!("/customers{q}")>"First page"</a> })}
            {next_page.map(|q| view! { <a href=format!("/customers{q}") rel="next">"Next page"</a> })}
        </nav>
    }
    .into_any_sync()
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
            <td><a href=format!("/customers/{}", customer.id)>{customer.organization.clone()}</a></td>
            <td>{customer.contact_name}</td>
            <td>{customer.contact_email}</td>
            <td>
                <span class=format!("status status-{}", customer.status.as_str())>{customer.status.label()}</span>
                {unconfirmed.then(|| view! { <span class="note">" E-mail not confirmed yet"</span> })}
            </td>
            <td>{portico_shared::dates::date(customer.created_at)}</td>
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
                                    {view! {
                                        <input type="hidden" name="customer" value=approve_id/>
                                        <input type="hidden" name="version" value=approve_version/>
                                        <button type="submit" class="small" aria-label=approve_label>"Approve"</button>
                                    }
                                    .into_any_sync()}
                                </ActionForm>
                                <details>
                                    <summary aria-label=reject_label>"Reject…"</summary>
                                    <ActionForm action=reject>
                                        {view! {
                                            <input type="hidden" name="customer" value=id/>
                                            <input type="hidden" name="version" value=version/>
                                            <label for=reason_for>"Reason, e-mailed to the contact"</label>
                                            <textarea id=reason_id name="reason" rows="3" maxlength="500" required></textarea>
                                            <button type="submit" class="small danger">"Reject signup"</button>
                                        }
                                        .into_any_sync()}
                                    </ActionForm>
                                </details>
                            </div>
                        }
                    })}
            </td>
        </tr>
    }
}
