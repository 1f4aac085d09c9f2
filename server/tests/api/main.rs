//! The server, started for real on a free port with a fresh database, driven over HTTP like a
//! client. Every test runs once on SQLite and once on PostgreSQL (see `helpers::both_backends!`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod smtp;

mod api_docs;
mod approvals;
#[cfg(feature = "aws")]
mod aws_gateway;
#[cfg(feature = "aws")]
mod aws_stub;
mod charges;
mod cloud_accounts;
mod cloud_links;
mod conformance;
mod crash;
mod credits;
mod customer_fields;
mod customer_settings;
mod customer_users;
mod customers;
mod frame;
mod hardening;
mod invoices;
mod isolation;
mod janitor;
mod jobs;
mod login;
mod notifications;
mod portal;
mod portal_reset;
mod probe_cloud;
mod races;
mod replicas;
mod signup;
mod signup_options;
mod subscriptions;
mod support_plans;
mod taxes;
mod team;
mod test_drive_instances;
mod test_drives;
mod two_step;
mod usage;
mod verification;
mod widget_settings;
