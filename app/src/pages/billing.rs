//! Billing (reseller admins): closing a month — its invoices issued, numbered without gaps, and
//! e-mailed — and the invoices of a month.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use portico_shared::billing::{invoice_reference, AutoClose, InvoiceSummary, MonthClose};
use portico_shared::dates::{date, date_time, Month};
use portico_shared::Field;

use crate::api::billing::{billing_page, CloseMonth, SaveAutoClose};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{
    again_while_under_way, field_errors, focus_first_error, form_failure, stored, ChoiceField, Confirm, SubmitButton,
};

#[component]
pub fn BillingPage() -> impl IntoView {
    let query = use_query_map();
    let month = Memo::new(move |_| query.with(|q| q.get("month").unwrap_or_default()));
    let close = ServerAction::<CloseMonth>::new();
    let closed = stored(close);
    let save_auto_close = ServerAction::<SaveAutoClose>::new();
    let auto_close_saved = stored(save_auto_close);
    let tick = RwSignal::new(0_u32);
    let data = Resource::new_serde_wb(
        move || (month.get(), closed.get(), auto_close_saved.get(), tick.get()),
        |(month, ..)| billing_page(month),
    );
    // While a month's invoices are issued, the page asks again every second.
    again_while_under_way(tick, data, |page| page.closes.iter().any(|close| !close.closed));
    view! {
        <Title text="Billing"/>
        <Transition fallback=|| view! { <p class="loading">"Loading billing…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <SignedInLayout user=page.user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Billing"</nav>
                            <h1>"Billing"</h1>
                            <p class="lede">"Each customer's Bills tab shows its bill as it stands. Closing a month issues \
                                the invoices: numbered in order, e-mailed to each customer's primary contact with a PDF, \
                                and never changed after. Changes made later apply from the next open month."</p>
                            <CloseForm next=page.next_to_close close/>
                            <AutoCloseForm setting=page.auto_close save=save_auto_close/>
                            <Closes closes=page.closes/>
                            <Invoices month=page.month invoices=page.invoices/>
                        </SignedInLayout>
                    }
                    .into_any_sync(),
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn CloseForm(next: Option<Month>, close: ServerAction<CloseMonth>) -> impl IntoView {
    let failure = move || close.value().get().and_then(Result::err).map(|error| error.to_string());
    let Some(month) = next else {
        return view! {
            <section class="card" aria-labelledby="close-title">
                <h2 id="close-title" class="section">"Close a month"</h2>
                <p>"The last month that has ended is closed. The current month can be closed once it is over."</p>
            </section>
        }
        .into_any_sync();
    };
    let pending = close.pending();
    let warning = format!(
        "Close {}? Every customer's invoice for it is issued and e-mailed, and it can no longer change.",
        month.label()
    );
    view! {
        <section class="card" aria-labelledby="close-title">
            <h2 id="close-title" class="section">{format!("Close {}", month.label())}</h2>
            <p class="form-error" role="alert">{failure}</p>
            <Confirm summary="Close month…" warning>
                <ActionForm action=close>
                    {view! {
                        <input type="hidden" name="month" value=month.to_string()/>
                        <SubmitButton pending label="Close month and issue invoices" busy="Closing…"/>
                    }
                    .into_any_sync()}
                </ActionForm>
            </Confirm>
        </section>
    }
    .into_any_sync()
}

/// **Close automatically**: months close by themselves once the provider's data is final.
#[component]
fn AutoCloseForm(setting: AutoClose, save: ServerAction<SaveAutoClose>) -> impl IntoView {
    let errors = field_errors(move || save.value().get());
    let failure = form_failure(move || save.value().get());
    let saved = move || matches!(save.value().get(), Some(Ok(()))).then(|| format!("Saved: {}.", setting.label()));
    focus_first_error(errors);
    view! {
        <section class="card" aria-labelledby="auto-close-title">
            <h2 id="auto-close-title" class="section">"Close automatically"</h2>
            <p>"AWS finalizes a month's charges in the first days of the next month. Portico can close each month \
                for you on a day after that: months close in order, each once, as when you close them here."</p>
            <ActionForm action=save>
                {view! {
                    <p class="form-error" role="alert">{failure}</p>
                    <ChoiceField field=Field::CloseDay label="Close each month" options=AutoClose::choices()
                        selected=setting.form_value() errors id_prefix="auto-close" arg="auto_close"/>
                    <p class="saved" role="status">{saved}</p>
                    <SubmitButton pending=save.pending() label="Save" busy="Saving…"/>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
}

#[component]
fn Closes(closes: Vec<MonthClose>) -> impl IntoView {
    if closes.is_empty() {
        return view! { <div class="empty"><p><strong>"No month closed yet."</strong></p></div> }.into_any_sync();
    }
    view! {
        <table class="list">
            <caption>"Closed months"</caption>
            <thead>
                <tr><th scope="col">"Month"</th><th scope="col">"Status"</th><th scope="col">"Invoices"</th><th scope="col">"Closed by"</th></tr>
            </thead>
            <tbody>
                {closes.into_iter().map(|close| view! {
                    <tr>
                        <td><a href=format!("/billing?month={}", close.month)>{close.month.label()}</a></td>
                        <td>{if close.closed {
                            view! { <span class="status status-active">"Closed"</span> }.into_any_sync()
                        } else {
                            view! { <span class="status" role="status">"Issuing invoices…"</span> }.into_any_sync()
                        }}</td>
                        <td class="amount">{close.closed.then_some(close.invoices)}</td>
                        <td>{close.by}<br/><span class="note">{date_time(close.at)}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any_sync()
}

#[component]
fn Invoices(month: Month, invoices: Vec<InvoiceSummary>) -> impl IntoView {
    let heading = format!("Invoices for {}", month.label());
    if invoices.is_empty() {
        return view! {
            <section aria-labelledby="invoices-title">
                <h2 id="invoices-title" class="section">{heading}</h2>
                <div class="empty"><p>"No invoices for this month."</p></div>
            </section>
        }
        .into_any_sync();
    }
    view! {
        <section aria-labelledby="invoices-title">
            <h2 id="invoices-title" class="section">{heading}</h2>
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">"Invoice"</th><th scope="col">"Customer"</th><th scope="col">"Issued"</th>
                        <th scope="col" class="amount">"Total"</th><th scope="col">"Files"</th>
                    </tr>
                </thead>
                <tbody>
                    {invoices.into_iter().map(|invoice| view! {
                        <tr>
                            <td><a href=format!("/invoices/{}", invoice.id)>{invoice_reference(invoice.number)}</a></td>
                            <td><a href=format!("/customers/{}/bills?month={}", invoice.customer, invoice.month)>{invoice.organization}</a></td>
                            <td>{date(invoice.issued_at)}</td>
                            <td class="amount">{invoice.total.format()}</td>
                            <td>
                                <a href=format!("/portal/invoices/{}.pdf", invoice.id) download>"PDF"</a>" · "
                                <a href=format!("/portal/invoices/{}.csv", invoice.id) download>"CSV"</a>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any_sync()
}
