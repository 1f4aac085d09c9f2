mod access;
mod account;
mod billing;
mod bills;
mod charge_form;
mod charges;
mod chart;
mod cloud_accounts;
mod cloud_actions;
mod cloud_link;
mod cloud_support;
mod copy;
mod credits;
mod customer;
mod customer_fields;
mod customer_new;
mod customer_settings;
mod customer_users;
mod customers;
mod details_form;
mod dialog;
mod history;
mod home;
mod inputs;
mod invoice;
mod notifications;
mod products;
mod resellers;
mod role_arn;
mod sign_in;
mod subscriptions;
mod tax_rates;
mod taxes;
mod team;
mod test_drives;
mod two_step;
mod usage;
mod widget_settings;

pub use access::{AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage};
pub use account::AccountPage;
pub use billing::BillingPage;
pub use cloud_support::CloudSupportPage;
pub use customer::CustomerPage;
pub use customer_fields::CustomerFieldsSettingsPage;
pub use customer_new::AddCustomerPage;
pub use customers::CustomersPage;
pub use history::HistoryPage;
pub use home::HomePage;
pub use invoice::InvoicePage;
pub use notifications::NotificationsPage;
pub use products::ProductsPage;
pub use resellers::{AddResellerPage, ResellersPage};
pub use sign_in::SignInPage;
pub use tax_rates::TaxRatesPage;
pub use team::TeamPage;
pub use test_drives::TestDrivesPage;
pub use two_step::SecondStepPage;
pub use usage::UsagePage;
pub use widget_settings::WidgetSettingsPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::erased::IntoAnySync;
use crate::PortalError;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found"/>
        <main class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Go to Home"</a></p>
        </main>
    }
}

/// What a page shows when its data could not be loaded: the sign-in page when the session is
/// gone, otherwise the reason.
pub fn failure_view(error: PortalError) -> AnyView {
    match error {
        PortalError::NotSignedIn => view! { <Redirect path="/login"/> }.into_any_sync(),
        other => view! {
            <main class="page narrow">
                <p class="form-error" role="alert">{other.to_string()}</p>
            </main>
        }
        .into_any_sync(),
    }
}
