//! The one door to AWS. Everything the platform asks of AWS goes through `CloudGateway`, so the
//! simulated cloud (the default: offline and deterministic) and the AWS SDK are interchangeable.

use portico_shared::aws::RoleArn;

use crate::error::Result;

/// What `sts:AssumeRole` answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assumed {
    Yes,
    /// AWS refused, with its reason as it gave it.
    Refused(String),
}

#[async_trait::async_trait]
pub trait CloudGateway: Send + Sync + 'static {
    /// `sts:AssumeRole` on `role` from the platform's account, presenting `external_id` when given.
    async fn assume_role(&self, role: &RoleArn, external_id: Option<&str>) -> Result<Assumed>;
}
