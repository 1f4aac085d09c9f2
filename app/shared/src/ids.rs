//! Ids of Portico's entities. Each is its own type, so a customer id can never be passed where a
//! reseller id is expected. On the wire and in the database they are plain text.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
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
    ResellerId
);
id_type!(
    /// A person who signs into the portal on behalf of a reseller.
    ResellerUserId
);
id_type!(
    /// An end customer (an organization) of a reseller.
    CustomerId
);
id_type!(
    /// A person who belongs to a customer.
    CustomerUserId
);
id_type!(
    /// A reseller's widget key record (not the publishable key string itself).
    WidgetKeyId
);
