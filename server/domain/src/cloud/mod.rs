//! Cloud accounts: a customer's AWS accounts, linked through a role the account owner creates
//! and an AWS Organizations invitation that Cloud Support approves, and the gateway through
//! which every AWS call goes.

pub mod access;
pub mod accounts;
#[cfg(feature = "aws")]
pub mod aws_exports;
#[cfg(feature = "aws")]
pub mod aws_sdk;
pub mod gateway;
pub mod link_jobs;
pub mod links;
pub mod queue;
pub mod simulated;
