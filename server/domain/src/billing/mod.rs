//! Billing: the cloud usage the providers report, what each customer owes for a month with its
//! commercial settings, and the invoices a closed month issues.

pub mod bill;
pub mod close;
pub mod invoices;
mod pdf;
pub mod preview;
pub mod usage;
