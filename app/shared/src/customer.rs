//! Customers as the portal lists them.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::details::CustomerDetails;
use crate::ids::{CustomerId, CustomerUserId};
use crate::{text, Field};

/// Where a customer stands with its reseller. Stored as checked text.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CustomerStatus {
    /// Signed up through the widget; the reseller has not approved it yet.
    PendingApproval,
    Active,
    Rejected,
    Suspended,
}

impl CustomerStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
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

/// How the Customers list is ordered.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CustomerSort {
    #[default]
    Newest,
    Oldest,
    /// Organization, A to Z.
    Organization,
}

impl CustomerSort {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            CustomerSort::Newest => "Newest first",
            CustomerSort::Oldest => "Oldest first",
            CustomerSort::Organization => "Organization A–Z",
        }
    }
}

/// What the Customers list shows: a search, a status, an order, and where the page starts.
/// Every part is optional and comes from the page's address, so a list can be bookmarked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerQuery {
    /// Words that must each begin a word of the organization, the contact's name or e-mail.
    pub q: String,
    pub status: Option<CustomerStatus>,
    pub sort: CustomerSort,
    /// The cursor of the page's first row: the previous page's `next`.
    pub after: Option<String>,
}

impl CustomerQuery {
    /// At most this many rows per page.
    pub const PAGE_SIZE: usize = 50;
    /// Longest search accepted; longer input is cut, not refused (it is a filter, not data).
    pub const SEARCH_MAX: usize = 100;

    /// Reads the page address's `q`, `status`, `sort` and `after`; unknown values are ignored, so
    /// an edited address shows the plain list rather than an error.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        CustomerQuery {
            q: get("q").map(|q| q.chars().take(Self::SEARCH_MAX).collect()).unwrap_or_default(),
            status: get("status").as_deref().and_then(CustomerStatus::parse),
            sort: get("sort").as_deref().and_then(CustomerSort::parse).unwrap_or_default(),
            after: get("after").filter(|after| !after.is_empty()),
        }
    }

    /// The page address's query string for this query (empty parts left out), starting with `?`
    /// unless it is empty.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(format!("q={}", encode(self.q.trim())));
        }
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if self.sort != CustomerSort::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if let Some(after) = &self.after {
            parts.push(format!("after={}", encode(after)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// What the search looks for: its tokens (see [`search_tokens`]), each of which must begin a
    /// term of the customer. A token that begins another token is dropped: the longer one implies it.
    pub fn words(&self) -> Vec<String> {
        let tokens = search_tokens(&self.q);
        let mut words: Vec<String> = tokens
            .iter()
            .filter(|token| !tokens.iter().any(|other| other.len() > token.len() && other.starts_with(token.as_str())))
            .cloned()
            .collect();
        words.sort();
        words.dedup();
        words
    }
}

/// Lower-case words of `text`: runs of letters and digits ("internal-legal" → "internal", "legal").
pub fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(|word| word.to_lowercase()).collect()
}

/// Lower-case tokens of `text`: what lies between spaces, without punctuation at either end
/// ("Internal-Legal, Inc." → "internal-legal", "inc"). A search is split into tokens; customers
/// are indexed by both their tokens and their words, so "legal", "internal-legal" and
/// "john.smith@customer.com" all find what people expect.
pub fn search_tokens(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|token| token.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|token| !token.is_empty())
        .collect()
}

/// Percent-encodes everything but unreserved characters, for a query-string value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A page of the Customers list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerList {
    pub customers: Vec<CustomerSummary>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// One customer, as the Customer information tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub id: CustomerId,
    pub details: CustomerDetails,
    pub status: CustomerStatus,
    /// "widget_signup" or "portal".
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub email_verified: bool,
}

/// A person who signs in for a customer, as the Users tab lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerUserSummary {
    pub id: CustomerUserId,
    pub name: String,
    pub email: String,
    pub role: UserRole,
    pub email_verified: bool,
    pub disabled: bool,
    /// Invited, and not yet chosen a password.
    pub invited: bool,
    pub version: i64,
}

/// A person a reseller invites to one of its customers, as the Users tab's form sends them
/// (the same fields as a portal invitation; the role is `admin` or `user`).
pub type CustomerInvitationInput = crate::staff::InvitationInput;

/// A customer-user invitation that passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCustomerInvitation {
    pub email: crate::email::EmailAddress,
    pub name: String,
    pub role: UserRole,
}

impl crate::staff::InvitationInput {
    /// Checks the fields of an invitation to a customer.
    pub fn validate_for_customer(&self) -> Result<ValidCustomerInvitation, Vec<FieldError>> {
        let email = crate::email::EmailAddress::parse(&self.email).map_err(|code| FieldError::new(Field::Email, code));
        let name = crate::staff::person_name(&self.name);
        let role = UserRole::parse(&self.role).ok_or_else(|| FieldError::new(Field::Role, Problem::InvalidFormat));
        match (email, name, role) {
            (Ok(email), Ok(name), Ok(role)) => Ok(ValidCustomerInvitation { email, name, role }),
            (email, name, role) => Err(email.err().into_iter().chain(name.err()).chain(role.err()).collect()),
        }
    }
}

/// What a customer user may do for their organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UserRole {
    Admin,
    User,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            UserRole::Admin => "Admin",
            UserRole::User => "User",
        }
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    /// The customer it is about, with its organization as it is now; `None` for reseller-wide changes.
    pub customer: Option<(CustomerId, String)>,
    /// Who did it: a person's name and e-mail, or "Portico" for the platform itself.
    pub actor: String,
    pub action: String,
    /// The changed fields: (field, before, after); before or after is empty when not applicable.
    pub changes: Vec<(String, String, String)>,
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

#[cfg(test)]
mod query_tests {
    use super::*;

    #[test]
    fn a_query_survives_its_address() {
        let query = CustomerQuery {
            q: "Acme & Sons".into(),
            status: Some(CustomerStatus::Suspended),
            sort: CustomerSort::Organization,
            after: Some("acme~cus_1".into()),
        };
        let text = query.to_query_string();
        assert_eq!(text, "?q=Acme%20%26%20Sons&status=suspended&sort=organization&after=acme~cus_1");
        assert_eq!(CustomerQuery::default().to_query_string(), "");
    }

    #[test]
    fn unknown_parameters_read_as_the_plain_list() {
        let query = CustomerQuery::from_params(|name| match name {
            "status" => Some("deleted".into()),
            "sort" => Some("size".into()),
            "q" => Some("x".repeat(500)),
            _ => None,
        });
        assert_eq!(query.status, None);
        assert_eq!(query.sort, CustomerSort::Newest);
        assert_eq!(query.q.len(), CustomerQuery::SEARCH_MAX);
    }

    #[test]
    fn a_search_is_split_into_tokens_and_redundant_ones_dropped() {
        assert_eq!(query_words("Internal-Legal, Inc."), vec!["inc", "internal-legal"]);
        assert_eq!(query_words(" John.Smith@Customer.com "), vec!["john.smith@customer.com"]);
        assert_eq!(query_words("ac ACME acme"), vec!["acme"]);
        assert_eq!(query_words("-- ,"), Vec::<String>::new());
    }

    fn query_words(q: &str) -> Vec<String> {
        CustomerQuery { q: q.into(), ..CustomerQuery::default() }.words()
    }

    #[test]
    fn words_are_lower_case_runs_of_letters_and_digits() {
        assert_eq!(search_words("  John.Smith@Customer.com "), vec!["john", "smith", "customer", "com"]);
        assert_eq!(search_words("Ærøskøbing-Bådeværft"), vec!["ærøskøbing", "bådeværft"]);
        assert!(search_words(" -- ").is_empty());
    }
}
