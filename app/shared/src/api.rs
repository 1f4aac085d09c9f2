//! The error half of the JSON contract: a stable code for the whole request and, for validation
//! failures, one entry per refused field.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::names::json_by_name;
use crate::Field;

/// Why a field was refused. Stable snake_case codes: clients may branch on them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case", try_from = "String", into = "&'static str")]
#[strum(serialize_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    TooShort,
    InvalidCharacters,
    InvalidFormat,
    Mismatch,
    TooCommon,
    UnknownCountry,
    /// The same value appears where it may appear only once.
    Conflict,
    /// The value already belongs to someone else (an e-mail address that signs in to Portico).
    Taken,
}

json_by_name!(Problem);

impl Problem {
    /// The JSON name (`too_long`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<Problem> {
        name.parse().ok()
    }
}

/// One refused field, with the sentence shown beside it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub code: Problem,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, code: Problem) -> Self {
        FieldError { field, code, message: message(field, code).to_owned() }
    }
}

/// The words a person reads under the field. They never repeat the label, which sits just above.
fn message(field: Field, code: Problem) -> &'static str {
    match (field, code) {
        (Field::VerifyPassword, Problem::Required) => "Type the password again.",
        (Field::VerifyPassword, _) => "The two passwords do not match.",
        (Field::Password, Problem::TooShort) => {
            "Use at least 15 characters. A few unrelated words make a strong password."
        }
        (Field::Password, Problem::TooLong) => "Use at most 256 characters.",
        (Field::Password, Problem::TooCommon) => "This password is too easy to guess. Try a few unrelated words.",
        (Field::Email, Problem::InvalidFormat) => "Enter an e-mail address such as name@example.com.",
        (Field::Phone, Problem::InvalidFormat) => {
            "Enter a phone number of the country chosen, with its area code (US: 555-555-5555), or start with + and the country code."
        }
        (Field::State, Problem::InvalidFormat) => "Choose a state, province or territory of the country chosen from the list.",
        (Field::Zip, Problem::InvalidFormat) => {
            "Enter a postal code in the format used by the country chosen (US: 12345 or 12345-6789)."
        }
        (Field::Country, _) => "Choose a country from the list.",
        (Field::LicenseAccepted, _) => "Please accept the license agreement to sign up.",
        (Field::ApprovedDomains | Field::ReviewDomains, Problem::InvalidFormat) => {
            "List one e-mail domain per line, such as example.com."
        }
        (Field::ApprovedDomains | Field::ReviewDomains, Problem::TooLong) => "List at most 500 domains.",
        (Field::Email, Problem::Conflict) => "Another of your customers already has this contact e-mail address.",
        (Field::Label, Problem::Conflict) => "Another of your customer fields has this label.",
        (Field::AccountId, Problem::Conflict) => "This AWS account is already one of your cloud accounts.",
        (Field::Sku, Problem::Conflict) => "Another of your products has this SKU.",
        (_, Problem::Conflict) => "A domain cannot be on both lists.",
        (Field::Reason, Problem::Required) => "Tell the customer why, in a sentence or two.",
        (Field::Reason, Problem::TooLong) => "Use at most 500 characters.",
        (Field::LaunchLimitOverride, _) => {
            "Enter a whole number from 1 to 100, or leave it empty to use each test drive's limit."
        }
        (Field::Email, Problem::Taken) => {
            "This address already signs in to Portico or has an invitation waiting. Use another address."
        }
        (Field::Role, _) => "Choose a role from the list.",
        (Field::LicenseUrl | Field::LogoUrl, Problem::InvalidFormat) => {
            "Enter a full web address such as https://example.com/license."
        }
        (Field::BrandColor, Problem::InvalidFormat) => {
            "Enter a colour as # and six hexadecimal digits, such as #1f5fa8."
        }
        (Field::BrandColor, Problem::TooShort) => {
            "Choose a darker colour: white text on it and links in it need a contrast of at least 4.5 to 1."
        }
        (Field::AllowedOrigins, Problem::InvalidFormat) => {
            "List one website per line as its origin only, such as https://www.example.com (no path)."
        }
        (Field::AllowedOrigins, Problem::TooLong) => "List at most 20 websites.",
        (Field::Kind, _) => "Choose a type from the list.",
        (Field::Report, Problem::Required) => "Choose a report file (CSV, or CSV compressed with gzip).",
        (Field::Report, Problem::TooLong) => "A report can be at most 4 GB; split a larger one by month.",
        (Field::Report, _) => "Choose a report file (CSV, or CSV compressed with gzip).",
        (Field::CloseDay, _) => "Choose Off, or a day from 1 to 28.",
        (Field::Code, Problem::Required) => "Enter the 6-digit code your authenticator app shows, or a recovery code.",
        (Field::Code, Problem::Mismatch) => {
            "That code is not right or was already used. Enter the code your app shows now."
        }
        (Field::Code, _) => "A code from the app has 6 digits; a recovery code has 16 letters and digits.",
        (Field::DurationMinutes, Problem::Required) => "Enter how many minutes an instance runs.",
        (Field::DurationMinutes, _) => "Enter a whole number of minutes from 15 to 10080 (one week).",
        (Field::LaunchLimit, Problem::Required) => "Enter how many instances one customer may run at once.",
        (Field::LaunchLimit, _) => "Enter a whole number from 1 to 100.",
        (Field::Provider, _) => "Choose a cloud provider from the list.",
        (Field::AccountId, _) => "Enter the 12-digit AWS account number, such as 123456789012.",
        (Field::RoleArn, Problem::Mismatch) => {
            "This role is in another AWS account: the role must be in this cloud account's AWS account."
        }
        (Field::RoleArn, Problem::TooLong) => "A role ARN has at most 2048 characters.",
        (Field::RoleArn, _) => "Enter a role ARN such as arn:aws:iam::123456789012:role/PorticoAccess.",
        (Field::Note, Problem::Required) => "Write a sentence or two for the other side to read.",
        (Field::Note, Problem::TooLong) => "Use at most 2000 characters.",
        (Field::SupportPlan, _) => "Choose a support plan from the list.",
        (Field::AccountName, Problem::Required) => "Name the new account, such as \"Acme Production\".",
        (Field::AccountName, Problem::TooLong) => "Use at most 50 characters.",
        (Field::AccountName, _) => "Use letters, digits, spaces and punctuation without accents (AWS's rule).",
        (Field::Description, Problem::TooLong) => "Use at most 1000 characters.",
        (Field::Choices, Problem::Required) => "List the choices, one per line.",
        (Field::Choices, Problem::TooLong) => "List at most 50 choices of at most 100 characters each.",
        (Field::Calculation, _) => "Choose fixed amount, percent or tiered.",
        (Field::Amount | Field::UnitPrice | Field::Minimum | Field::Maximum, Problem::Required) => "Enter an amount.",
        (Field::Amount | Field::UnitPrice | Field::Minimum | Field::Maximum, Problem::TooLong) => {
            "Enter at most 1,000,000,000,000."
        }
        (Field::Amount | Field::UnitPrice, Problem::TooShort) => "Enter an amount above zero.",
        (Field::Maximum, Problem::Mismatch) => "The maximum must be at least the minimum.",
        (Field::Amount | Field::UnitPrice | Field::Minimum | Field::Maximum, _) => {
            "Enter an amount such as 1,250.00, with no more decimals than the currency has."
        }
        (Field::Percent, Problem::Required) => "Enter a percentage.",
        (Field::Rate, Problem::Required) => "Enter the rate in percent.",
        (Field::Percent | Field::Rate, Problem::TooLong) => "Enter at most 100%.",
        (Field::Percent | Field::Rate, _) => "Enter a percentage from 0 to 100 with at most four decimals, such as 8.875.",
        (Field::Tiers, Problem::Required) => "Enter at least one tier; the last has no upper bound.",
        (Field::Tiers, Problem::Mismatch) => {
            "List the tiers from the lowest bound up; every tier but the last has an upper bound, the last has none."
        }
        (Field::Tiers, Problem::TooLong) => "Use at most 10 tiers.",
        (Field::Tiers, _) => {
            "Give each tier an upper bound (an amount; none for the last) and a percent (10%) or an amount (50.00)."
        }
        (Field::Base, _) => "Choose customer cost or seller cost.",
        (Field::AppliesTo, _) => "Choose the whole customer or chosen cloud accounts.",
        (Field::Accounts, Problem::Required) => "Choose at least one cloud account, or apply the rule to the whole customer.",
        (Field::Accounts, _) => "Choose cloud accounts of this customer.",
        (Field::Recurrence, _) => "Choose one-time or monthly.",
        (Field::StartMonth | Field::EndMonth, Problem::Required) => "Enter a month as year-month, such as 2026-12.",
        (Field::EndMonth, Problem::Mismatch) => "The end month must not be before the start month.",
        (Field::StartMonth | Field::EndMonth, _) => "Enter a month as year-month, such as 2026-12.",
        (Field::Currency, _) => "Choose a currency from the list.",
        (Field::ValidFrom | Field::CertificateExpiry | Field::ExpiresOn | Field::StartDate, Problem::Required) => {
            "Enter a date as year-month-day, such as 2026-12-01."
        }
        (Field::EndDate, Problem::Mismatch) => "The end must be after the start.",
        (Field::CertificateExpiry, Problem::Mismatch) => "This certificate has already expired.",
        (Field::ExpiresOn, Problem::Mismatch) => "A credit expires on a day still to come.",
        (
            Field::ValidFrom | Field::CertificateExpiry | Field::ExpiresOn | Field::StartDate | Field::EndDate,
            _,
        ) => "Enter a date as year-month-day, such as 2026-12-01.",
        (Field::TaxRates, _) => "Choose tax rates of your own that are in use.",
        (Field::Exemption, _) => "Choose none, exempt or reverse charge.",
        (Field::CertificateNumber, Problem::Required) => "Enter the exemption certificate's number.",
        (Field::TaxId, Problem::Required) => "Enter the customer's tax id: reverse charge needs it on the invoice.",
        (Field::Sku, Problem::InvalidFormat) => "Use letters, digits, dots, dashes and underscores.",
        (Field::BillingPeriod, _) => "Choose monthly, annual or one-time.",
        (Field::TermMonths, _) => "Enter a whole number of months from 1 to 120, or leave it empty for no fixed term.",
        (Field::Product, _) => "Choose one of your products on offer.",
        (Field::Quantity, _) => "Enter a whole number of units, at least 1.",
        (_, Problem::Required) => "This field is required.",
        (_, Problem::TooLong) => "This is too long.",
        (_, Problem::TooShort) => "This is too short.",
        (_, Problem::InvalidCharacters) => "Remove control characters and the characters < and >.",
        (_, Problem::InvalidFormat) => "This is not in a format we recognise.",
        (_, Problem::Mismatch) => "This does not match.",
        (_, Problem::TooCommon) => "This is too common.",
        (_, Problem::UnknownCountry) => "Choose a country from the list.",
        (_, Problem::Taken) => "This is already taken.",
    }
}

/// Stable codes for a failed request as a whole.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case", try_from = "String", into = "&'static str")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    MalformedRequest,
    UnknownWidgetKey,
    RevokedWidgetKey,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    IdempotencyKeyReused,
    RateLimited,
    /// The server is at capacity for this kind of work (its password hashing queue is full):
    /// try again after the `Retry-After` seconds.
    Busy,
    /// A form sent the way robots send it (at once after it was served, or with a field people
    /// cannot see filled in): nothing was stored; check it and send it again.
    SendAgain,
    /// Wrong e-mail or password; deliberately never says which.
    LoginFailed,
    EmailNotVerified,
    AccountInactive,
    Internal,
}

json_by_name!(ErrorCode);

/// The body of every error the API returns.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_serialize_with_snake_case_names() {
        let body = serde_json::to_value(FieldError::new(Field::StreetAddress, Problem::TooLong)).unwrap();
        assert_eq!(body["field"], "street_address");
        assert_eq!(body["code"], "too_long");
        assert_eq!(body["message"], "This is too long.");
    }

    #[test]
    fn field_names_are_their_json_names() {
        for field in Field::VARIANTS.iter().copied() {
            assert_eq!(serde_json::to_string(&field).unwrap(), format!("\"{}\"", field.name()));
            assert_eq!(Field::from_name(field.name()), Some(field));
        }
    }

    #[test]
    fn problem_names_are_their_json_names() {
        for problem in Problem::VARIANTS.iter().copied() {
            assert_eq!(serde_json::to_string(&problem).unwrap(), format!("\"{}\"", problem.name()));
            assert_eq!(Problem::from_name(problem.name()), Some(problem));
        }
    }

    #[test]
    fn every_field_name_round_trips_through_json() {
        for field in Field::VARIANTS.iter().copied() {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.name()));
            assert_eq!(serde_json::from_str::<Field>(&json).unwrap(), field);
            assert_eq!(Field::from_name(field.name()), Some(field));
        }
    }
}
