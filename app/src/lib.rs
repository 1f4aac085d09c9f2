//! The Portico reseller portal: rendered on the server, then hydrated in the browser.
//!
//! The server functions (`api`) call the domain (`portico_domain`) directly, on the server only
//! (the `ssr` feature); the hydration bundle holds their typed calls, never the domain.

// Leptos views are nested types; the larger pages need more than the default 128 levels.
#![recursion_limit = "256"]

pub mod api;
mod erased;
mod error;
mod json;
mod layout;
mod pages;
mod routes;
#[cfg(feature = "ssr")]
mod shell;

pub use error::PortalError;
#[cfg(feature = "ssr")]
pub use shell::{shell, PortalAssets};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use routes::*;

/// The portal's routes. Every page renders completely on the server before it is sent
/// (`SsrMode::Async`), so it is readable before the WebAssembly arrives and a sign-in redirect
/// is a real HTTP redirect.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| format!("{page} · Portico")/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view={Lazy::<SecondStepRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/invitation") view={Lazy::<AcceptInvitationRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers") view={Lazy::<CustomersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/history") view={Lazy::<HistoryRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers/new") view={Lazy::<AddCustomerRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers/:id/:tab?") view={Lazy::<CustomerRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/team") view={Lazy::<TeamRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/settings/widget") view={Lazy::<WidgetSettingsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/settings/customer-fields") view={Lazy::<CustomerFieldsSettingsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/settings/tax-rates") view={Lazy::<TaxRatesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/settings/products") view={Lazy::<ProductsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/usage") view={Lazy::<UsageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/billing") view={Lazy::<BillingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/invoices/:id") view={Lazy::<InvoiceRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/test-drives") view={Lazy::<TestDrivesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/resellers") view={Lazy::<ResellersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/resellers/new") view={Lazy::<AddResellerRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/cloud-support") view={Lazy::<CloudSupportRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Entry point of the hydration bundle. Its promise settles once the page is hydrated, which
/// with lazy routes waits for the page's part of the bundle to arrive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn hydrate() {
    leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), App).await.forget();
}
