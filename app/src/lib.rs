//! The Portico reseller portal: rendered on the server, then hydrated in the browser.
//!
//! The server functions (`api`) call the domain (`portico_domain`) directly, on the server only
//! (the `ssr` feature); the hydration bundle holds their typed calls, never the domain.

// Leptos views are nested types; the larger pages need more than the default 128 levels.
#![recursion_limit = "256"]

pub mod api;
mod error;
mod layout;
mod pages;
#[cfg(feature = "ssr")]
mod shell;

pub use error::PortalError;
#[cfg(feature = "ssr")]
pub use shell::{shell, PortalAssets};

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

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
                <Route path=path!("/login") view=pages::SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view=pages::SecondStepPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=pages::AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view=pages::ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/reset-password") view=pages::ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/invitation") view=pages::AcceptInvitationPage ssr=SsrMode::Async/>
                <Route path=path!("/") view=pages::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/customers") view=pages::CustomersPage ssr=SsrMode::Async/>
                <Route path=path!("/history") view=pages::HistoryPage ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view=pages::NotificationsPage ssr=SsrMode::Async/>
                <Route path=path!("/customers/new") view=pages::AddCustomerPage ssr=SsrMode::Async/>
                <Route path=path!("/customers/:id/:tab?") view=pages::CustomerPage ssr=SsrMode::Async/>
                <Route path=path!("/team") view=pages::TeamPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/widget") view=pages::WidgetSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/customer-fields") view=pages::CustomerFieldsSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/tax-rates") view=pages::TaxRatesPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/products") view=pages::ProductsPage ssr=SsrMode::Async/>
                <Route path=path!("/usage") view=pages::UsagePage ssr=SsrMode::Async/>
                <Route path=path!("/billing") view=pages::BillingPage ssr=SsrMode::Async/>
                <Route path=path!("/invoices/:id") view=pages::InvoicePage ssr=SsrMode::Async/>
                <Route path=path!("/test-drives") view=pages::TestDrivesPage ssr=SsrMode::Async/>
                <Route path=path!("/resellers") view=pages::ResellersPage ssr=SsrMode::Async/>
                <Route path=path!("/resellers/new") view=pages::AddResellerPage ssr=SsrMode::Async/>
                <Route path=path!("/cloud-support") view=pages::CloudSupportPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Entry point of the hydration bundle.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
