//! A customer's Cloud providers and Customer options tabs.

use serde::{Deserialize, Serialize};

use crate::api::{FieldError, Problem};
use crate::ids::ProviderId;
use crate::Field;

/// One cloud provider as the Cloud providers tab shows it for a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSetting {
    /// Stable id: "aws", "azure", "gcp".
    pub id: ProviderId,
    /// "Amazon Web Services".
    pub name: String,
    pub enabled: bool,
    /// The customer's cloud accounts with this provider; a provider with any cannot be turned off.
    pub accounts: i64,
}

/// The Customer options tab, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOptions {
    pub test_drives_allowed: bool,
    /// How many test drives the customer may run at once; `None` keeps each test drive's limit.
    pub launch_limit_override: Option<u32>,
    pub may_request_cloud_accounts: bool,
    /// E-mail the primary contact about cloud account links and requests.
    pub notify_cloud_accounts: bool,
    /// E-mail the primary contact when a test drive starts, is about to expire, or ends.
    pub notify_test_drives: bool,
    /// Bumped by every save; 0 until the options are first saved.
    pub version: i64,
}

impl Default for CustomerOptions {
    /// What a customer starts with: test drives allowed at their own limits, new cloud accounts
    /// requested through the reseller, every notice sent.
    fn default() -> Self {
        CustomerOptions {
            test_drives_allowed: true,
            launch_limit_override: None,
            may_request_cloud_accounts: false,
            notify_cloud_accounts: true,
            notify_test_drives: true,
            version: 0,
        }
    }
}

/// The Customer options form as posted: a ticked box sends `true`, an unticked one nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptionsInput {
    pub test_drives_allowed: bool,
    pub launch_limit_override: String,
    pub may_request_cloud_accounts: bool,
    pub notify_cloud_accounts: bool,
    pub notify_test_drives: bool,
}

/// The most test drives a customer may be allowed to run at once.
pub const LAUNCH_LIMIT_MAX: u32 = 100;

impl OptionsInput {
    /// The options to store (with `version` 0: the caller's version travels separately).
    pub fn validate(&self) -> Result<CustomerOptions, Vec<FieldError>> {
        let raw = self.launch_limit_override.trim();
        let launch_limit_override = if raw.is_empty() {
            None
        } else {
            match raw.parse::<u32>() {
                Ok(limit) if (1..=LAUNCH_LIMIT_MAX).contains(&limit) => Some(limit),
                _ => return Err(vec![FieldError::new(Field::LaunchLimitOverride, Problem::InvalidFormat)]),
            }
        };
        Ok(CustomerOptions {
            test_drives_allowed: self.test_drives_allowed,
            launch_limit_override,
            may_request_cloud_accounts: self.may_request_cloud_accounts,
            notify_cloud_accounts: self.notify_cloud_accounts,
            notify_test_drives: self.notify_test_drives,
            version: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_launch_limit_is_empty_or_a_whole_number_from_1_to_100() {
        let with = |limit: &str| OptionsInput { launch_limit_override: limit.into(), ..OptionsInput::default() };
        assert_eq!(with("").validate().unwrap().launch_limit_override, None);
        assert_eq!(with(" 3 ").validate().unwrap().launch_limit_override, Some(3));
        assert_eq!(with("100").validate().unwrap().launch_limit_override, Some(100));
        for bad in ["0", "101", "-1", "2.5", "three", "99999999999"] {
            let errors = with(bad).validate().unwrap_err();
            assert_eq!(
                (errors[0].field, errors[0].code),
                (Field::LaunchLimitOverride, Problem::InvalidFormat),
                "{bad}"
            );
        }
    }
}
