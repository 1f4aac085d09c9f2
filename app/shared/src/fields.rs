//! The fields a person fills in, named once so the widget, the portal and the API error bodies
//! all refer to a field the same way.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::names::json_by_name;

/// A form field, serialized as its snake_case name (the `field` of an API error).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case", try_from = "String", into = "&'static str")]
#[strum(serialize_all = "snake_case")]
pub enum Field {
    CompanyName,
    ContactName,
    Title,
    Phone,
    Country,
    StreetAddress,
    Suite,
    City,
    State,
    Zip,
    Email,
    Password,
    VerifyPassword,
    /// The "I accept the license agreement" box, when the reseller asks for it.
    LicenseAccepted,
    /// Signup options: e-mail domains whose signups are approved at once.
    ApprovedDomains,
    /// Signup options: e-mail domains whose signups always wait for the reseller.
    ReviewDomains,
    /// Signup options: the reseller's own words above the Signup form.
    CustomText,
    /// Why a reseller rejects a signup.
    Reason,
    /// Customer options: how many test drives the customer may run at once, overriding each
    /// test drive's own limit.
    LaunchLimitOverride,
    /// A portal user's own name, on an invitation.
    Name,
    /// A portal user's role, on an invitation.
    Role,
    /// A reseller's name, as its customers see it ("Powered By …").
    ResellerName,
    /// The address of the reseller's license agreement, linked from the Signup form.
    LicenseUrl,
    /// Widget settings: the widget's primary colour (`#1f5fa8`).
    BrandColor,
    /// Widget settings: the address of the reseller's logo image.
    LogoUrl,
    /// Widget settings: the websites allowed to embed the widget, one origin per line.
    AllowedOrigins,
    /// Customer fields: a field's label.
    Label,
    /// Customer fields: a field's type.
    Kind,
    /// Customer fields: the choices of a choice field, one per line.
    Choices,
    /// Test Drives: what the trial shows the customer.
    Description,
    /// Test Drives: how long an instance runs, in minutes.
    DurationMinutes,
    /// Test Drives: how many instances one customer may run at once.
    LaunchLimit,
    /// Test Drives and cloud accounts: the cloud provider.
    Provider,
    /// Cloud accounts: the 12-digit AWS account id.
    AccountId,
    /// Cloud accounts: the IAM role the platform assumes in the account.
    RoleArn,
    /// Cloud accounts: Cloud Support's reason or question, or the reseller's answer.
    Note,
    /// Charges and discounts: the customer's support plan with a provider.
    SupportPlan,
    /// Cloud accounts → Request: the new AWS account's name.
    AccountName,
    /// Charges and discounts: fixed amount, percent or tiered.
    Calculation,
    /// An amount of money (a fixed charge, a credit).
    Amount,
    /// A percentage of the base.
    Percent,
    /// Charges and discounts: the tiers of a tiered rule.
    Tiers,
    /// Charges and discounts: the least a rule gives.
    Minimum,
    /// Charges and discounts: the most a rule gives.
    Maximum,
    /// Charges and discounts: customer cost or seller cost of the cloud usage.
    Base,
    /// Charges and discounts: the customer as a whole, or chosen cloud accounts.
    AppliesTo,
    /// Charges and discounts: the cloud accounts a rule applies to.
    Accounts,
    /// Charges and discounts: one-time or monthly.
    Recurrence,
    /// Charges and discounts: the first month a rule applies.
    StartMonth,
    /// Charges and discounts: the last month a rule applies.
    EndMonth,
    /// An ISO 4217 currency.
    Currency,
    /// Taxes: the region (state, province) a rate applies in.
    Region,
    /// Taxes: the postal code a rate applies in.
    PostalCode,
    /// Taxes: a rate in percent.
    Rate,
    /// Taxes: the day a rate applies from.
    ValidFrom,
    /// Taxes: the rates that apply to a customer.
    TaxRates,
    /// Taxes: the customer's tax id (VAT number, EIN).
    TaxId,
    /// Taxes: none, exempt or reverse charge.
    Exemption,
    /// Taxes: the number of an exemption certificate.
    CertificateNumber,
    /// Taxes: the day an exemption certificate expires.
    CertificateExpiry,
    /// Credits: the day a credit expires.
    ExpiresOn,
    /// Credits: a note for the reseller's team.
    Comment,
    /// Products: the stock-keeping unit.
    Sku,
    /// Products: the price of one unit.
    UnitPrice,
    /// Products: monthly, annual or one-time.
    BillingPeriod,
    /// Products: the length of a term, in months.
    TermMonths,
    /// Subscriptions: the product subscribed to.
    Product,
    /// Subscriptions: how many units.
    Quantity,
    /// Subscriptions: the first day.
    StartDate,
    /// Subscriptions: the last day, or the renewal day.
    EndDate,
    /// Subscriptions: renew at the end of the term.
    AutoRenew,
    /// Usage: the report file uploaded.
    Report,
    /// Billing: the day of the next month on which a month closes by itself.
    CloseDay,
    /// Two-step sign-in: a code from the authenticator app, or a recovery code.
    Code,
}

json_by_name!(Field);

impl Field {
    /// The signup form's text fields, in the order the form shows them (and errors are reported).
    pub const SIGNUP: [Field; 13] = [
        Field::CompanyName,
        Field::ContactName,
        Field::Title,
        Field::Phone,
        Field::Country,
        Field::StreetAddress,
        Field::Suite,
        Field::City,
        Field::State,
        Field::Zip,
        Field::Email,
        Field::Password,
        Field::VerifyPassword,
    ];

    /// The field with this JSON name.
    pub fn from_name(name: &str) -> Option<Field> {
        name.parse().ok()
    }

    /// The name used in JSON bodies and as the HTML `name` of the input.
    pub fn name(self) -> &'static str {
        self.into()
    }
}
