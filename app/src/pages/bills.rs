//! A customer's Bills tab: what the customer owes for a month as things stand, reckoned now
//! from its usage, charges and discounts, subscriptions, taxes and credits; every line says
//! where it came from.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use portico_shared::billing::{invoice_reference, Bill, BillPreview, LineKind};
use portico_shared::dates::Month;
use portico_shared::money::{self, Money};

use crate::api::billing::customer_bills;
use crate::erased::IntoAnySync;
use crate::pages::chart::MonthlyBars;

#[component]
pub fn BillsTab(customer: String) -> impl IntoView {
    let query = use_query_map();
    let month = Memo::new(move |_| query.with(|q| q.get("month").unwrap_or_default()));
    let base = format!("/customers/{customer}/bills");
    let bills = Resource::new_serde_wb(move || month.get(), move |month| customer_bills(customer.clone(), month));
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Bills"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reckoning the bill…"</p> }>
                {move || {
                    let base = base.clone();
                    Suspend::new(async move {
                        match bills.await {
                            Ok(preview) => view! { <Preview preview base/> }.into_any_sync(),
                            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any_sync(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn Preview(preview: BillPreview, base: String) -> impl IntoView {
    let BillPreview { month, bills, usage_rows, months_with_usage, closed, invoices, history } = preview;
    let link = |month: Month| format!("{base}?month={month}");
    let body = if bills.is_empty() {
        view! {
            <div class="empty">
                <p><strong>{format!("Nothing to bill for {}.", month.label())}</strong></p>
                <p>"Usage shows here once a report for the month is imported on the Usage page; charges and \
                    subscriptions of the month show as soon as they apply."</p>
            </div>
        }
        .into_any_sync()
    } else {
        bills.into_iter().map(|bill| view! { <BillTable bill/> }).collect_view().into_any_sync()
    };
    let chart =
        history.into_iter().map(|totals| (totals.month.short_label(), totals.usage, totals.billed)).collect::<Vec<_>>();
    let status = if closed {
        let links = invoices
            .into_iter()
            .map(|invoice| {
                let reference = invoice_reference(invoice.number);
                let pdf = format!("/portal/invoices/{}.pdf", invoice.id);
                view! {
                    <li>
                        <a href=format!("/invoices/{}", invoice.id)>{reference}</a>
                        " · " <a href=pdf download>"PDF"</a>
                        " · " <a href=format!("/portal/invoices/{}.csv", invoice.id) download>"CSV"</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="status-box">
                <p><strong>{format!("{} is closed.", month.label())}</strong>" These are its invoices, as issued; they no longer change."</p>
                <ul class="invoice-links">{links}</ul>
            </div>
        }
        .into_any_sync()
    } else {
        view! {
            <p class="help">
                {format!(
                    "As things stand now, from {} usage row{} and the customer's charges and discounts, subscriptions, \
                     taxes and credits. It changes until the month is closed.",
                    money::grouped(usage_rows.unsigned_abs()),
                    if usage_rows == 1 { "" } else { "s" },
                )}
            </p>
        }
        .into_any_sync()
    };
    let usage_months = (!months_with_usage.is_empty()).then(|| {
        view! {
            <p class="help">
                "Months with usage: "
                {months_with_usage.iter().map(|m| view! { <a href=link(*m)>{m.label()}</a>" " }).collect_view()}
            </p>
        }
    });
    view! {
        <nav class="month-nav" aria-label="Month">
            <a href=link(month.minus(1)) rel="prev">"← " {month.minus(1).label()}</a>
            <strong aria-current="page">{month.label()}</strong>
            <a href=link(month.plus(1)) rel="next">{month.plus(1).label()} " →"</a>
            <form method="get" action=base.clone() class="inline-form">
                <label for="bill-month">"Month"</label>
                <input id="bill-month" type="month" name="month" value=month.to_string()/>
                <button type="submit">"Show"</button>
            </form>
        </nav>
        {usage_months}
        {status}
        {body}
        <MonthlyBars title="The last 12 months".to_owned() months=chart/>
    }
}

/// A bill's lines and totals: the Bills tab's, and an invoice's.
#[component]
pub fn BillTable(bill: Bill) -> impl IntoView {
    let caption = format!("{} bill in {}", bill.month.label(), bill.currency.code());
    let rows = bill
        .lines
        .iter()
        .map(|line| {
            let class = match line.kind {
                LineKind::Discount | LineKind::Credit => "amount credit",
                _ => "amount",
            };
            view! {
                <tr>
                    <td><span class=format!("line-kind line-{}", line.kind.as_str())>{line.kind.label()}</span></td>
                    <td>{line.description.clone()}<br/><span class="note">{line.source.clone()}</span></td>
                    <td class=class>{line.amount.format()}</td>
                </tr>
            }
        })
        .collect_view();
    let notes = bill.notes.iter().map(|note| view! { <p class="note">{note.clone()}</p> }).collect_view();
    view! {
        <div class="table-scroll bill">
            <table class="list">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Line"</th>
                        <th scope="col">"Description and source"</th>
                        <th scope="col" class="amount">"Amount"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr><th scope="row" colspan="2">"Subtotal"</th><td class="amount">{bill.subtotal.format()}</td></tr>
                    <tr><th scope="row" colspan="2">"Tax"</th><td class="amount">{bill.tax.format()}</td></tr>
                    <tr><th scope="row" colspan="2">"Credits"</th><td class="amount credit">{Money::new(-bill.credits.minor, bill.credits.currency).format()}</td></tr>
                    <tr class="total"><th scope="row" colspan="2">"Total"</th><td class="amount">{bill.total.format()}</td></tr>
                </tfoot>
            </table>
            {notes}
        </div>
    }
}
