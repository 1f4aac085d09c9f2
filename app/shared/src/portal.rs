//! What the portal's pages show that the server assembles from several places: the signed-in
//! person, a customer with all its tabs, and the Widget settings page.

use serde::{Deserialize, Serialize};

use crate::aws::{CloudAccount, RoleSetup};
use crate::branding::WidgetSettings;
use crate::charges::ChargeRule;
use crate::credits::CreditEntry;
use crate::custom_fields::FieldValue;
use crate::customer::{AuditEntry, CustomerRecord, CustomerUserSummary};
use crate::dates::Day;
use crate::money::Money;
use crate::settings::{CustomerOptions, ProviderSetting};
use crate::signup_options::SignupOptions;
use crate::staff::StaffRole;
use crate::subscriptions::{Product, Subscription};
use crate::support_plans::ProviderPlans;
use crate::taxes::{TaxProfile, TaxRate};

/// The signed-in person, as the portal shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalUser {
    pub name: String,
    pub email: String,
    /// Their reseller's name, or "Portico platform" for the platform's staff.
    pub team_name: String,
    pub role: StaffRole,
    /// Notifications of their team they have not marked read.
    pub unread_notifications: i64,
}

impl PortalUser {
    pub fn is_platform(&self) -> bool {
        self.role.is_platform()
    }

    /// Whether they manage their team (invite, change roles, disable).
    pub fn manages_team(&self) -> bool {
        matches!(self.role, StaffRole::Admin | StaffRole::PlatformAdmin)
    }
}

/// One customer with what its tabs show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerData {
    pub customer: CustomerRecord,
    /// The customer's audit log, newest first.
    pub history: Vec<AuditEntry>,
    pub providers: Vec<ProviderSetting>,
    pub options: CustomerOptions,
    pub users: Vec<CustomerUserSummary>,
    /// The reseller's customer fields with this customer's values.
    pub fields: Vec<FieldValue>,
    pub cloud_accounts: Vec<CloudAccount>,
    /// What the Role ARN dialog tells the account owner.
    pub role_setup: RoleSetup,
}

/// What a customer's commercial tabs show: Charges and discounts, Taxes, Credits, Subscriptions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommerceData {
    /// Charges and discounts → Support plans, for each provider the customer has.
    pub support_plans: Vec<ProviderPlans>,
    /// The customer's charges and discounts not removed, support plans' included.
    pub charge_rules: Vec<ChargeRule>,
    /// The reseller's tax rates, retired ones included (a profile may still name one).
    pub tax_rates: Vec<TaxRate>,
    pub tax_profile: TaxProfile,
    /// The credit ledger, newest first, and what its grants in force add up to per currency.
    pub credits: Vec<CreditEntry>,
    pub balances: Vec<Money>,
    /// The reseller's products, retired ones included, and the customer's subscriptions.
    pub products: Vec<Product>,
    pub subscriptions: Vec<Subscription>,
    /// The server's today (UTC), which expiry and start dates are checked against.
    pub today: Day,
}

/// What the Widget settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettingsData {
    pub settings: WidgetSettings,
    pub signup_options: SignupOptions,
    /// The key the embed tag carries; `None` until the first save or rotation issues one.
    pub publishable_key: Option<String>,
    /// The tag to paste into the reseller's pages.
    pub snippet: Option<String>,
    /// The widget's own page for this key, shown as the live preview.
    pub preview_url: Option<String>,
}
