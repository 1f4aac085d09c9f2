//! The one door to AWS. Everything the platform asks of AWS goes through `CloudGateway`, so the
//! simulated cloud (the default: offline and deterministic) and the AWS SDK are interchangeable.

use portico_shared::aws::{AccountId, OrganizationAccount, RoleArn};
use portico_shared::ids::InstanceId;

use crate::error::Result;

/// What `sts:AssumeRole` answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assumed {
    Yes,
    /// AWS refused, with its reason as it gave it.
    Refused(String),
}

/// An AWS Organizations invitation (a handshake) as AWS created it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handshake {
    /// `h-` and the handshake's id.
    pub id: String,
    /// When AWS expires it, in ms since the epoch: AWS decides, the platform only shows it.
    pub expires_at: i64,
}

/// Where a handshake stands, as `organizations:DescribeHandshake` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandshakeState {
    /// REQUESTED or OPEN: the owner has not answered.
    Open,
    Accepted,
    Declined,
    Canceled,
    Expired,
}

/// Where an `organizations:CreateAccount` request stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Creation {
    InProgress,
    Succeeded(AccountId),
    /// AWS's reason, such as EMAIL_ALREADY_EXISTS or ACCOUNT_LIMIT_EXCEEDED.
    Failed(String),
}

/// Where a test drive's sandbox stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sandbox {
    Starting,
    Running,
    /// The provider's reason.
    Failed(String),
    Ended,
}

/// Where the end user of a new account signs in, and as whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminAccess {
    pub sign_in_url: String,
    /// An IAM user and its temporary password, which AWS makes them replace at first sign-in.
    /// Shown once on the page the one-time link opens; never e-mailed or stored.
    pub user: Option<(String, String)>,
}

/// A billing export the provider delivered where the platform asked it to (a Cost and Usage
/// Report or FOCUS file in an S3 bucket).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// Where it is, as the provider names it: `s3://bucket/key`.
    pub location: String,
    /// The file's own name, the last part of its location.
    pub name: String,
    pub bytes: u64,
    /// What changes when the provider delivers the file again with other content (S3's ETag).
    pub version: String,
}

#[async_trait::async_trait]
pub trait CloudGateway: Send + Sync + 'static {
    /// `sts:AssumeRole` on `role` from the platform's account, presenting `external_id` when given.
    async fn assume_role(&self, role: &RoleArn, external_id: Option<&str>) -> Result<Assumed>;

    /// `organizations:InviteAccountToOrganization`. AWS refuses a second open invitation to the
    /// same account; a gateway returns that open one instead, so that an invitation retried after
    /// a crash finds the one it already sent rather than failing or sending two.
    async fn invite_account(&self, account: &AccountId) -> Result<Handshake>;

    /// `organizations:DescribeHandshake`.
    async fn handshake_state(&self, handshake: &str) -> Result<HandshakeState>;

    /// `organizations:CancelHandshake`; canceling one that is no longer open changes nothing.
    async fn cancel_handshake(&self, handshake: &str) -> Result<()>;

    /// `organizations:RemoveAccountFromOrganization`.
    async fn remove_account(&self, account: &AccountId) -> Result<()>;

    /// `organizations:ListAccounts`: the organization's active accounts.
    async fn organization_accounts(&self) -> Result<Vec<OrganizationAccount>>;

    /// `organizations:CreateAccount`: starts creating an account in the organization and returns
    /// the request's id (`car-…`). Not idempotent: callers look for an earlier request first.
    async fn create_account(&self, email: &str, name: &str) -> Result<String>;

    /// `organizations:DescribeCreateAccountStatus`.
    async fn creation(&self, request: &str) -> Result<Creation>;

    /// An earlier CreateAccount request for this root e-mail (and account name: AWS reports a
    /// request's e-mail only once its account exists): what a retry after a crash finds instead of
    /// creating a second account.
    async fn find_creation(&self, email: &str, name: &str) -> Result<Option<String>>;

    /// Starts the sandbox of test drive `drive` for `instance`. Keyed by the instance: starting it
    /// again finds the first, and one ended is not started again (a launch retried after a crash,
    /// or overtaken by a stop, makes no second sandbox).
    async fn launch_sandbox(&self, instance: &InstanceId, drive: &str) -> Result<()>;

    async fn sandbox(&self, instance: &InstanceId) -> Result<Sandbox>;

    /// Ends the instance's sandbox; marks it ended even when it never started.
    async fn end_sandbox(&self, instance: &InstanceId) -> Result<()>;

    /// Gives `email` administrator access to a new account. Granting again gives the same access
    /// (with a new temporary password where there is one).
    async fn grant_admin_access(&self, account: &AccountId, email: &str) -> Result<AdminAccess>;

    /// The billing exports the provider has delivered to the platform. None by default: the
    /// simulated cloud delivers its reports to the drop folder instead.
    async fn billing_exports(&self) -> Result<Vec<Export>> {
        Ok(Vec::new())
    }

    /// Writes one of [`CloudGateway::billing_exports`] to the file `to`; returns how many bytes.
    async fn fetch_export(&self, _export: &Export, _to: &std::path::Path) -> Result<u64> {
        Err(crate::error::Error::NotFound)
    }
}
