//! The audit log as people read it: the History page of a reseller account, and the history on
//! each customer's page.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::customer::AuditEntry;
use portico_shared::dates::date_time;

use crate::api::history_page;
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;

/// Every change anyone made in the reseller's account, newest first.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let data = Resource::new_serde_wb(|| (), |_| history_page());
    view! {
        <Title text="History"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading history…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let lede = if page.user.is_platform() {
                            "Every change to the platform's staff and resellers, by anyone, newest first."
                        } else {
                            "Every change in your account, by anyone, newest first."
                        };
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / History"</nav>
                                <h1>"History"</h1>
                                <p class="lede">{lede}</p>
                                <HistoryList entries=page.entries with_customer=true/>
                            </SignedInLayout>
                        }
                        .into_any_sync()
                    }
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}

/// The entries, each with what changed; `with_customer` names the customer each one is about.
#[component]
pub fn HistoryList(entries: Vec<AuditEntry>, with_customer: bool) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No changes recorded yet."</p> }.into_any_sync();
    }
    view! {
        <ol class="history">
            {entries.into_iter().map(|entry| {
                let customer = entry.customer.filter(|_| with_customer).map(|(id, organization)| view! {
                    " · "<a href=format!("/customers/{id}")>{organization}</a>
                });
                view! {
                    <li>
                        <p><strong>{entry.action}</strong>{customer}" · "{entry.actor}" · "
                            <time>{date_time(entry.at)}</time></p>
                        {(!entry.changes.is_empty()).then(|| view! {
                            <ul class="changes">
                                {entry.changes.into_iter().map(|(field, before, after)| view! {
                                    <li>{change_line(&field, &before, &after)}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any_sync()
}

/// "Title: CEO → CTO", "City: Anytown" (newly set), "Suite: 5 → (empty)".
fn change_line(field: &str, before: &str, after: &str) -> String {
    match (before.is_empty(), after.is_empty()) {
        (true, false) => format!("{field}: {after}"),
        (false, true) => format!("{field}: {before} → (empty)"),
        _ => format!("{field}: {before} → {after}"),
    }
}
