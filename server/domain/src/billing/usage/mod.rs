//! Cloud usage: reports uploaded in the portal or delivered by the provider, stored as a
//! file, read by a job (so a large report neither holds a request open nor is lost with one),
//! and matched to customers by their linked cloud accounts.
//!
//! What an import changes: for every linked account and month the report has rows of, the
//! month's usage lines of that account are replaced by the report's, in one transaction with the
//! import's outcome. So importing the same report again changes nothing, a corrected report for a
//! month replaces that month for its accounts, and a refused report changes nothing at all. Rows
//! no linked account claims are counted and listed on the import, never dropped.

mod apply;
pub mod deliveries;
pub mod imports;
pub mod report;

pub use imports::{list, run, unmatched, Upload};
