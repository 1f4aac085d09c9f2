//! Customers as the portal lists them.

use serde::{Deserialize, Serialize};

use crate::api::{FieldError, Problem};
use crate::ids::CustomerId;
use crate::{text, Field};

/// Where a customer stands with its reseller. Stored as checked text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    /// Signed up through the widget; the reseller has not approved it yet.
    PendingApproval,
    Active,
    Rejected,
    Suspended,
}

impl CustomerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::PendingApproval => "pending_approval",
            CustomerStatus::Active => "active",
            CustomerStatus::Rejected => "rejected",
            CustomerStatus::Suspended => "suspended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::PendingApproval, Self::Active, Self::Rejected, Self::Suspended]
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// The words the portal shows.
    pub fn label(self) -> &'static str {
        match self {
            CustomerStatus::PendingApproval => "Pending approval",
            CustomerStatus::Active => "Active",
            CustomerStatus::Rejected => "Rejected",
            CustomerStatus::Suspended => "Suspended",
        }
    }
}

/// One row of the Customers list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub organization: String,
    pub contact_name: String,
    pub contact_email: String,
    pub status: CustomerStatus,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Bumped by every change; a decision names the version it was made on.
    pub version: i64,
    /// Whether the contact confirmed their e-mail address.
    pub email_verified: bool,
}

/// Why a reseller turned a signup down; the contact reads it in an e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectionReason(String);

impl RejectionReason {
    pub fn parse(raw: &str) -> Result<RejectionReason, FieldError> {
        match text::clean_multiline(raw, 500) {
            Ok(reason) if reason.is_empty() => Err(FieldError::new(Field::Reason, Problem::Required)),
            Ok(reason) => Ok(RejectionReason(reason)),
            Err(problem) => Err(FieldError::new(Field::Reason, problem)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A page of the Customers list: the newest customers, and how many there are in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerList {
    pub customers: Vec<CustomerSummary>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_needs_a_reason_of_sensible_length() {
        assert_eq!(RejectionReason::parse("  Not a business customer. ").unwrap().as_str(), "Not a business customer.");
        assert_eq!(RejectionReason::parse("  ").unwrap_err().code, Problem::Required);
        assert_eq!(RejectionReason::parse(&"x".repeat(501)).unwrap_err().code, Problem::TooLong);
        assert_eq!(RejectionReason::parse("a\u{0}b").unwrap_err().code, Problem::InvalidCharacters);
        assert_eq!(RejectionReason::parse("").unwrap_err().field, Field::Reason);
    }

    #[test]
    fn status_text_round_trips() {
        for status in [
            CustomerStatus::PendingApproval,
            CustomerStatus::Active,
            CustomerStatus::Rejected,
            CustomerStatus::Suspended,
        ] {
            assert_eq!(CustomerStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CustomerStatus::parse("deleted"), None);
    }
}
