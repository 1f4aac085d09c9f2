//! Customers as the portal lists them.

use serde::{Deserialize, Serialize};

use crate::ids::CustomerId;

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
