//! An issued invoice: what was billed, as reckoned when its month closed, with its PDF and CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use portico_shared::dates::date;

use crate::api::billing::invoice_page;
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::bills::BillTable;
use crate::pages::failure_view;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let data = Resource::new_serde_wb(move || id.get(), invoice_page);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading invoice…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let invoice = page.invoice;
                        let reference = invoice.reference();
                        let id = invoice.summary.id.to_string();
                        let customer = format!("/customers/{}/bills?month={}", invoice.summary.customer, invoice.summary.month);
                        view! {
                            <Title text=format!("Invoice {reference}")/>
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb">
                                    <a href="/">"Home"</a>" / "<a href="/billing">"Billing"</a>" / "{reference.clone()}
                                </nav>
                                <div class="page-head">
                                    <h1>{format!("Invoice {reference}")}</h1>
                                    <span class="status status-active">"Issued"</span>
                                </div>
                                <p>
                                    {format!("{} · {} · issued {} by {}", invoice.summary.organization, invoice.summary.month.label(),
                                        date(invoice.summary.issued_at), invoice.seller)}
                                </p>
                                <p>
                                    <a class="button" href=format!("/portal/invoices/{id}.pdf") download>"Download PDF"</a>" "
                                    <a class="button" href=format!("/portal/invoices/{id}.csv") download>"Download CSV"</a>" "
                                    <a href=customer>"The customer's bills"</a>
                                </p>
                                <section class="card" aria-label="Bill to">
                                    <h2 class="section">"Bill to"</h2>
                                    <address>{invoice.bill_to.lines().map(|line| view! { {line.to_owned()}<br/> }).collect_view()}</address>
                                    <p class="note">{format!("E-mailed to {}", invoice.contact_email)}</p>
                                </section>
                                <BillTable bill=invoice.bill/>
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
