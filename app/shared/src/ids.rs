//! Ids of Portico's entities. Each is its own type, so a customer id can never be passed where a
//! reseller id is expected. On the wire and in the database they are plain text; reading one from
//! a request checks its shape (`cus_…` for a customer), so a malformed or mistyped id is refused
//! at the edge and the domain only ever sees well-formed ones.

use serde::{Deserialize, Serialize};

/// The most characters after an id's prefix (Portico's own are 32: a UUID's hex digits).
const MAX_ID_BODY: usize = 64;

/// A text that is not an id of the kind expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidId {
    pub kind: &'static str,
}

impl std::fmt::Display for InvalidId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a {} id", self.kind)
    }
}

impl std::error::Error for InvalidId {}

/// `prefix_` then 1 to 64 lowercase letters, digits or `_`.
fn has_shape(raw: &str, prefix: &str) -> bool {
    raw.strip_prefix(prefix).and_then(|rest| rest.strip_prefix('_')).is_some_and(|body| {
        (1..=MAX_ID_BODY).contains(&body.len())
            && body.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// A short key the platform's data chooses (`aws`, `aws-business`): 1 to 40 lowercase letters,
/// digits or `-`.
fn is_slug(raw: &str) -> bool {
    (1..=40).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:expr, $pattern:literal) => {
        $(#[$doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = $pattern))]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub String);

        impl $name {
            /// What this kind of id is called in messages.
            pub const KIND: &'static str = $kind;

            /// Checks the shape of an id that came from outside.
            pub fn parse(raw: &str) -> Result<Self, InvalidId> {
                let check: fn(&str) -> bool = $check;
                if check(raw) {
                    Ok($name(raw.to_owned()))
                } else {
                    Err(InvalidId { kind: $kind })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;

            fn try_from(raw: String) -> Result<Self, InvalidId> {
                $name::parse(&raw).map(|_| $name(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;

            fn from_str(raw: &str) -> Result<Self, InvalidId> {
                $name::parse(raw)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A reseller: the tenant that owns customers, users and widget keys.
    ResellerId, "reseller", |raw| has_shape(raw, "res"), "^res_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A person who signs into the portal on behalf of a reseller.
    ResellerUserId, "reseller user", |raw| has_shape(raw, "rsu"), "^rsu_[a-z0-9_]{1,64}$"
);
id_type!(
    /// One of the platform's own staff (platform admin, Cloud Support).
    PlatformUserId, "platform user", |raw| has_shape(raw, "plu"), "^plu_[a-z0-9_]{1,64}$"
);
id_type!(
    /// An end customer (an organization) of a reseller.
    CustomerId, "customer", |raw| has_shape(raw, "cus"), "^cus_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A person who belongs to a customer.
    CustomerUserId, "customer user", |raw| has_shape(raw, "cuu"), "^cuu_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A reseller's widget key record (not the publishable key string itself).
    WidgetKeyId, "widget key", |raw| has_shape(raw, "wk"), "^wk_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A customer's cloud account (an AWS account, linked or requested).
    CloudAccountId, "cloud account", |raw| has_shape(raw, "cla"), "^cla_[a-z0-9_]{1,64}$"
);
id_type!(
    /// An entry of a reseller's Test Drives catalog.
    TestDriveId, "test drive", |raw| has_shape(raw, "tdr"), "^tdr_[a-z0-9_]{1,64}$"
);
id_type!(
    /// One launch of a test drive by a customer.
    InstanceId, "test drive instance", |raw| has_shape(raw, "tdi"), "^tdi_[a-z0-9_]{1,64}$"
);
id_type!(
    /// An invitation to the portal (a reseller's team or the platform's staff).
    InvitationId, "invitation", |raw| has_shape(raw, "inv"), "^inv_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A reseller's customer field definition.
    CustomFieldId, "customer field", |raw| has_shape(raw, "cfd"), "^cfd_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A charge or discount rule of a customer.
    ChargeRuleId, "charge or discount", |raw| has_shape(raw, "chr"), "^chr_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A reseller's tax rate.
    TaxRateId, "tax rate", |raw| has_shape(raw, "txr"), "^txr_[a-z0-9_]{1,64}$"
);
id_type!(
    /// An entry of a customer's credit ledger (a grant or a reversal).
    CreditId, "credit", |raw| has_shape(raw, "crd"), "^crd_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A product of a reseller's catalog, sold as subscriptions.
    ProductId, "product", |raw| has_shape(raw, "prd"), "^prd_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A customer's subscription to a product.
    SubscriptionId, "subscription", |raw| has_shape(raw, "sub"), "^sub_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A file of cloud usage (a Cost and Usage Report or a FOCUS export) being or been imported.
    UsageImportId, "usage import", |raw| has_shape(raw, "usi"), "^usi_[a-z0-9_]{1,64}$"
);
id_type!(
    /// An invoice: a customer's bill for a closed month, in one currency.
    InvoiceId, "invoice", |raw| has_shape(raw, "ivc"), "^ivc_[a-z0-9_]{1,64}$"
);
id_type!(
    /// A cloud provider of the platform (`aws`, `azure`, `gcp`).
    ProviderId, "cloud provider", is_slug, "^[a-z0-9-]{1,40}$"
);
id_type!(
    /// A support plan of a provider (`aws-business`).
    SupportPlanId, "support plan", is_slug, "^[a-z0-9-]{1,40}$"
);

/// Anyone who signs in to the portal: a reseller's user or one of the platform's staff.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PortalUserId {
    Reseller(ResellerUserId),
    Platform(PlatformUserId),
}

impl PortalUserId {
    pub fn as_str(&self) -> &str {
        match self {
            PortalUserId::Reseller(id) => id.as_str(),
            PortalUserId::Platform(id) => id.as_str(),
        }
    }
}

impl std::fmt::Display for PortalUserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_by_kind_and_shape() {
        assert!(CustomerId::parse("cus_0190a3b4c5d6e7f8a9b0c1d2e3f4a5b6").is_ok());
        assert!(ResellerId::parse("res_demo").is_ok());
        assert_eq!(CustomerId::parse("cla_0190a3b4"), Err(InvalidId { kind: "customer" }));
        assert!(CustomerId::parse("cus_").is_err());
        assert!(CustomerId::parse("cus").is_err());
        assert!(CustomerId::parse("cus_ABC").is_err());
        assert!(CustomerId::parse("cus_a'; DROP TABLE customers").is_err());
        assert!(CustomerId::parse(&format!("cus_{}", "a".repeat(65))).is_err());
        assert!(ProviderId::parse("aws").is_ok());
        assert!(SupportPlanId::parse("aws-business").is_ok());
        assert!(ProviderId::parse("").is_err());
        assert!(ProviderId::parse("AWS").is_err());
    }

    #[test]
    fn reading_an_id_from_json_checks_it() {
        let id: InstanceId = serde_json::from_str("\"tdi_0190a3b4\"").unwrap();
        assert_eq!(id.as_str(), "tdi_0190a3b4");
        assert!(serde_json::from_str::<InstanceId>("\"tdr_0190a3b4\"").is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"tdi_0190a3b4\"");
    }
}
