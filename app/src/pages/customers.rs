use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::customer::CustomerList;

use crate::api::customers_page;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;

/// The Customers module: every customer of the reseller, newest first.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| customers_page());
    view! {
        <Title text="Customers"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading customers…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <SignedInLayout user=page.user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Customers"</nav>
                            <h1>"Customers"</h1>
                            <CustomerTable customers=page.customers/>
                        </SignedInLayout>
                    }
                    .into_any(),
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CustomerTable(customers: CustomerList) -> impl IntoView {
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
                </tr>
            </thead>
            <tbody>
                {customers
                    .into_iter()
                    .map(|customer| {
                        view! {
                            <tr>
                                <td>{customer.organization}</td>
                                <td>{customer.contact_name}</td>
                                <td>{customer.contact_email}</td>
                                <td>
                                    <span class=format!("status status-{}", customer.status.as_str())>
                                        {customer.status.label()}
                                    </span>
                                </td>
                                <td>{crate::format::date(customer.created_at)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
