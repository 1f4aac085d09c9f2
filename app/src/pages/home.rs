use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::billing::home_billing;
use crate::api::current_user;
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::chart::RankedBars;
use crate::pages::failure_view;

/// (address, name, what it is for)
type Module = (&'static str, &'static str, &'static str);

/// Admins only.
const WIDGET_SETTINGS: &str = "/settings/widget";
const CUSTOMER_FIELDS: &str = "/settings/customer-fields";
const TEST_DRIVES: &str = "/test-drives";
const TAX_RATES: &str = "/settings/tax-rates";
const PRODUCTS: &str = "/settings/products";
const USAGE: &str = "/usage";
const BILLING: &str = "/billing";
const ADMINS_ONLY: [&str; 7] = [WIDGET_SETTINGS, CUSTOMER_FIELDS, TEST_DRIVES, TAX_RATES, PRODUCTS, USAGE, BILLING];

const RESELLER_MODULES: &[Module] = &[
    ("/customers", "Customers", "Your end customers, their signups and their accounts."),
    ("/history", "History", "Every change in your account: who, what, when."),
    ("/team", "Team", "The people who sign in for your company, and their roles."),
    (USAGE, "Usage", "Import your cloud usage reports (AWS Cost and Usage Reports, FOCUS) and see what they matched."),
    (BILLING, "Billing", "Close a month: issue, number and e-mail its invoices."),
    (TEST_DRIVES, "Test Drives", "The time-boxed trials your widget offers: add, change and retire them."),
    (PRODUCTS, "Products", "What customers subscribe to: name, SKU, unit price, billing period and term."),
    (TAX_RATES, "Tax rates", "The taxes your invoices add, each with the name printed on them."),
    (CUSTOMER_FIELDS, "Customer fields", "Your own fields on every customer: text, number, date, yes/no or a choice."),
    (WIDGET_SETTINGS, "Widget settings", "Your embed code, the websites that show it, its look, and signup options."),
];

const PLATFORM_MODULES: &[Module] = &[
    ("/resellers", "Resellers", "Every reseller on the platform; add one and invite its first admin."),
    ("/cloud-support", "Cloud Support", "Requests to link and unlink customers' AWS accounts: approve, reject or ask."),
    (
        USAGE,
        "Usage",
        "Import the payer account's usage reports for every reseller; the drop folder's arrive on their own.",
    ),
    ("/team", "Team", "The platform's staff: platform admins and Cloud Support."),
    ("/history", "History", "Every change to the platform's staff and resellers: who, what, when."),
];

/// Home: the modules the signed-in person works in.
#[component]
pub fn HomePage() -> impl IntoView {
    let user = Resource::new_serde_wb(|| (), |_| current_user());
    let overview = Resource::new_serde_wb(|| (), |_| home_billing());
    view! {
        <Title text="Home"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(user) => {
                        let modules = if user.is_platform() { PLATFORM_MODULES } else { RESELLER_MODULES };
                        let user_is_admin = matches!(
                            user.role,
                            portico_shared::staff::StaffRole::Admin | portico_shared::staff::StaffRole::PlatformAdmin
                        );
                        let summary = match overview.await {
                            Ok(Some(overview)) => {
                                let top = overview
                                    .top
                                    .into_iter()
                                    .map(|(id, name, total)| (format!("/customers/{id}/bills?month={}", overview.month), name, total))
                                    .collect::<Vec<_>>();
                                view! {
                                    <section class="card" aria-labelledby="billed-title">
                                        <h2 id="billed-title" class="section">{format!("Billed for {}", overview.month.label())}</h2>
                                        <p class="big-figure">{overview.total.format()}
                                            <span class="note">{format!(" in {} invoice{}", overview.invoices, if overview.invoices == 1 { "" } else { "s" })}</span>
                                        </p>
                                        <RankedBars title="Top customers".to_owned() entries=top/>
                                    </section>
                                }
                                .into_any_sync()
                            }
                            _ => ().into_any_sync(),
                        };
                        view! {
                            <SignedInLayout user>
                                <h1>"Home"</h1>
                                {summary}
                                <ul class="modules">
                                    {modules
                                        .iter()
                                        .filter(|(href, _, _)| !ADMINS_ONLY.contains(href) || user_is_admin)
                                        .map(|(href, name, help)| view! {
                                            <li>
                                                <a class="module" href=*href>
                                                    <span class="module-name">{*name}</span>
                                                    <span class="module-help">{*help}</span>
                                                </a>
                                            </li>
                                        })
                                        .collect_view()}
                                </ul>
                            </SignedInLayout>
                        }
                    }
                    .into_any_sync(),
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}
