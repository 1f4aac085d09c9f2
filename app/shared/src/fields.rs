//! The fields a person fills in, named once so the widget, the portal and the API error bodies
//! all refer to a field the same way.

use serde::{Deserialize, Serialize};

/// A form field, serialized as its snake_case name (the `field` of an API error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
}

impl Field {
    /// Every signup field, in the order the form shows them (and so the order errors are reported).
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
        Field::SIGNUP.into_iter().find(|field| field.name() == name)
    }

    /// The name used in JSON bodies and as the HTML `name` of the input.
    pub fn name(self) -> &'static str {
        match self {
            Field::CompanyName => "company_name",
            Field::ContactName => "contact_name",
            Field::Title => "title",
            Field::Phone => "phone",
            Field::Country => "country",
            Field::StreetAddress => "street_address",
            Field::Suite => "suite",
            Field::City => "city",
            Field::State => "state",
            Field::Zip => "zip",
            Field::Email => "email",
            Field::Password => "password",
            Field::VerifyPassword => "verify_password",
        }
    }
}
