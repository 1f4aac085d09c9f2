//! The simulated cloud: the default gateway, offline and deterministic, so the demo and the
//! tests walk every path without AWS. Its IAM knows a role by its name:
//!
//! - a name containing `NoTrust`: the trust policy does not name the platform, so every
//!   `AssumeRole` is refused;
//! - a name containing `NoExternalId`: the trust policy has no ExternalId condition, so the role
//!   can be assumed with or without one (the confused-deputy hole a check must catch);
//! - any other name: a role made from the platform's template, assumable with an ExternalId only.

use portico_shared::aws::RoleArn;

use crate::cloud::gateway::{Assumed, CloudGateway};
use crate::error::Result;

pub struct SimulatedCloud;

#[async_trait::async_trait]
impl CloudGateway for SimulatedCloud {
    async fn assume_role(&self, role: &RoleArn, external_id: Option<&str>) -> Result<Assumed> {
        let name = role.name();
        let refused = |why: &str| {
            Assumed::Refused(format!(
                "AccessDenied: not authorized to perform sts:AssumeRole on {}: {why}",
                role.as_str()
            ))
        };
        Ok(if name.contains("NoTrust") {
            refused("the role's trust policy does not name the platform's account")
        } else if name.contains("NoExternalId") || external_id.is_some() {
            Assumed::Yes
        } else {
            refused("the role's trust policy requires an ExternalId")
        })
    }
}
