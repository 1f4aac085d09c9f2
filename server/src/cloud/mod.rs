//! Cloud accounts: a customer's AWS accounts, linked through a role the account owner creates,
//! and the gateway through which every AWS call goes.

pub mod accounts;
pub mod gateway;
pub mod simulated;
