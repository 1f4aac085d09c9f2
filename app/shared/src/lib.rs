//! What the widget, the portal and the server must agree on: the JSON contract of the public API
//! and the rules that decide whether a value is acceptable. Each rule is written once, here, so
//! the browser rejects exactly what the server would.

pub mod api;
pub mod aws;
pub mod billing;
pub mod branding;
pub mod charges;
pub mod cloud_links;
pub mod countries;
mod countries_data;
mod countries_data_es;
pub mod credits;
pub mod custom_fields;
pub mod customer;
pub mod dates;
pub mod details;
pub mod email;
pub mod fields;
mod forms;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod ids;
pub mod language;
pub mod login;
pub mod money;
mod names;
pub mod notifications;
pub mod password;
pub mod portal;
pub mod regional;
pub mod settings;
pub mod signup;
pub mod signup_options;
pub mod staff;
mod subdivisions_data;
pub mod subscriptions;
pub mod support_plans;
pub mod taxes;
pub mod test_drives;
mod text;
pub mod two_step;
#[cfg(feature = "ui")]
pub mod ui;

pub use api::{ApiError, ErrorCode, FieldError};
pub use fields::Field;
/// The list of an enum's variants (`Field::VARIANTS`), for the crates that show them all.
pub use strum::VariantArray;
