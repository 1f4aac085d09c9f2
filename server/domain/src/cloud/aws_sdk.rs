//! The AWS gateway (`--cloud-gateway aws`, built with the `aws` feature): the questions the
//! simulated cloud answers, asked of AWS STS, Organizations and IAM through the AWS SDK.
//!
//! Credentials and region come from where the AWS CLI finds them (environment, profile, web
//! identity, instance role). The endpoint can be replaced by an AWS-compatible server; the test
//! command points it at one on loopback.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_organizations::types::{
    AccountStatus, ActionType, CreateAccountState, HandshakeFilter, HandshakeParty, HandshakePartyType,
    HandshakeState as AwsState,
};
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use portico_shared::aws::{AccountId, OrganizationAccount, RoleArn};
use portico_shared::ids::InstanceId;
use rand::Rng;

use crate::cloud::aws_exports::ExportBucket;
use crate::cloud::gateway::{AdminAccess, Assumed, CloudGateway, Creation, Export, Handshake, HandshakeState, Sandbox};
use crate::error::{Error, Result};

/// The role AWS Organizations makes in every account it creates, which the management account
/// may assume: how the platform reaches into a new account to give its end user access.
const ORGANIZATION_ROLE: &str = "OrganizationAccountAccessRole";

/// The policy the end user of a new account gets.
const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

pub struct SdkCloud {
    config: SdkConfig,
    sts: aws_sdk_sts::Client,
    organizations: aws_sdk_organizations::Client,
    /// Where AWS delivers the billing export, when the platform has one.
    exports: Option<ExportBucket>,
}

/// An AWS error as the platform reports it: the operation and AWS's own words.
fn failed(operation: &str, error: impl std::error::Error) -> Error {
    Error::Internal(anyhow::anyhow!("{operation}: {}", DisplayErrorContext(error)))
}

impl SdkCloud {
    /// Loads credentials and region the way the AWS CLI does, with `endpoint` (when given)
    /// replacing AWS's own for every service.
    pub async fn connect(endpoint: Option<&str>, region: &str) -> SdkCloud {
        // The server's rustls with ring, rather than the SDK's default second TLS stack.
        let http =
            aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https();
        let mut loader =
            aws_config::defaults(BehaviorVersion::latest()).http_client(http).region(Region::new(region.to_owned()));
        if let Some(url) = endpoint {
            loader = loader.endpoint_url(url);
        }
        SdkCloud::new(loader.load().await)
    }

    pub fn new(config: SdkConfig) -> SdkCloud {
        SdkCloud {
            sts: aws_sdk_sts::Client::new(&config),
            organizations: aws_sdk_organizations::Client::new(&config),
            exports: None,
            config,
        }
    }

    /// The gateway, also picking up the billing exports AWS delivers to `url` (`s3://bucket/prefix/`).
    pub fn with_exports(self, url: &str) -> anyhow::Result<SdkCloud> {
        let exports = ExportBucket::new(&self.config, url)?;
        Ok(SdkCloud { exports: Some(exports), ..self })
    }

    /// `sts:GetCallerIdentity`: the platform's own AWS account, which role trust policies name.
    /// Asked at start, so that wrong credentials stop the server with AWS's reason.
    pub async fn platform_account(&self) -> Result<String> {
        let me = self.sts.get_caller_identity().send().await.map_err(|e| failed("sts:GetCallerIdentity", e))?;
        me.account().map(str::to_owned).ok_or_else(|| missing("sts:GetCallerIdentity", "Account"))
    }

    /// The open invitation AWS already has for `account`, if any.
    async fn open_invitation(&self, account: &AccountId) -> Result<Option<Handshake>> {
        let filter = HandshakeFilter::builder().action_type(ActionType::InviteAccountToOrganization).build();
        let mut pages = self.organizations.list_handshakes_for_organization().filter(filter).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed("organizations:ListHandshakesForOrganization", e))?;
            for handshake in page.handshakes() {
                let open = matches!(handshake.state(), Some(AwsState::Open | AwsState::Requested));
                let invites = handshake
                    .parties()
                    .iter()
                    .any(|party| party.r#type() == &HandshakePartyType::Account && party.id() == account.as_str());
                if open && invites {
                    return handshake_of(handshake).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// The request id of the CreateAccount that made the account whose root e-mail is `email`.
    async fn creation_of_account_with(&self, email: &str) -> Result<Option<String>> {
        let mut pages = self.organizations.list_accounts().into_paginator().send();
        let mut account = None;
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed("organizations:ListAccounts", e))?;
            let with_email = page.accounts().iter().find(|a| a.email().is_some_and(|e| e.eq_ignore_ascii_case(email)));
            if let Some(found) = with_email {
                account = found.id().map(str::to_owned);
                break;
            }
        }
        let Some(account) = account else { return Ok(None) };
        self.find_status(CreateAccountState::Succeeded, |status| status.account_id() == Some(account.as_str())).await
    }

    /// The first CreateAccount request in `state` that `wanted` picks.
    async fn find_status(
        &self,
        state: CreateAccountState,
        wanted: impl Fn(&aws_sdk_organizations::types::CreateAccountStatus) -> bool,
    ) -> Result<Option<String>> {
        let mut pages = self.organizations.list_create_account_status().states(state).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed("organizations:ListCreateAccountStatus", e))?;
            if let Some(status) = page.create_account_statuses().iter().find(|status| wanted(status)) {
                return Ok(status.id().map(str::to_owned));
            }
        }
        Ok(None)
    }

    /// IAM in `account`, through the role Organizations made there.
    async fn iam_in(&self, account: &AccountId) -> Result<aws_sdk_iam::Client> {
        let role = format!("arn:aws:iam::{}:role/{ORGANIZATION_ROLE}", account.as_str());
        let assumed = self
            .sts
            .assume_role()
            .role_arn(&role)
            .role_session_name("portico-admin-access")
            .send()
            .await
            .map_err(|e| failed("sts:AssumeRole", e))?;
        let keys = assumed.credentials().ok_or_else(|| missing("sts:AssumeRole", "Credentials"))?;
        let credentials = aws_credential_types::Credentials::new(
            keys.access_key_id(),
            keys.secret_access_key(),
            Some(keys.session_token().to_owned()),
            None,
            "organization-access-role",
        );
        let config = aws_sdk_iam::config::Builder::from(&self.config).credentials_provider(credentials).build();
        Ok(aws_sdk_iam::Client::from_conf(config))
    }
}

/// An answer without a field the platform needs.
fn missing(operation: &str, field: &str) -> Error {
    Error::Internal(anyhow::anyhow!("{operation}: AWS's answer has no {field}"))
}

fn handshake_of(handshake: &aws_sdk_organizations::types::Handshake) -> Result<Handshake> {
    let id = handshake.id().ok_or_else(|| missing("organizations:Handshake", "Id"))?;
    let expires =
        handshake.expiration_timestamp().ok_or_else(|| missing("organizations:Handshake", "ExpirationTimestamp"))?;
    let expires_at = expires.to_millis().map_err(|e| failed("organizations:Handshake", e))?;
    Ok(Handshake { id: id.to_owned(), expires_at })
}

fn no_sandboxes() -> Error {
    Error::Internal(anyhow::anyhow!("test drive sandboxes are not provisioned through the AWS gateway yet"))
}

/// An IAM user name for `email`: IAM allows letters, digits and `+=,.@_-`, at most 64.
fn iam_user_name(email: &str) -> String {
    email.chars().filter(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)).take(64).collect()
}

/// A temporary password that meets IAM's default policy with room to spare: 24 characters with
/// every class present.
fn temporary_password() -> String {
    const CLASSES: [&[u8]; 4] =
        [b"ABCDEFGHJKLMNPQRSTUVWXYZ", b"abcdefghijkmnopqrstuvwxyz", b"23456789", b"!@#$%^&*()_+-=[]{}|"];
    let mut rng = rand::rngs::OsRng;
    let mut pick = |class: &[u8]| char::from(class[rng.gen_range(0..class.len())]);
    let mut password: Vec<char> = CLASSES.iter().map(|class| pick(class)).collect();
    let all: Vec<u8> = CLASSES.concat();
    password.extend((password.len()..24).map(|_| pick(&all)));
    // The classes' first characters always led; shuffle them in.
    for i in (1..password.len()).rev() {
        password.swap(i, rand::rngs::OsRng.gen_range(0..=i));
    }
    password.into_iter().collect()
}

#[async_trait::async_trait]
impl CloudGateway for SdkCloud {
    async fn assume_role(&self, role: &RoleArn, external_id: Option<&str>) -> Result<Assumed> {
        let call = self
            .sts
            .assume_role()
            .role_arn(role.as_str())
            .role_session_name("portico-role-check")
            .duration_seconds(900)
            .set_external_id(external_id.map(str::to_owned));
        match call.send().await {
            Ok(_) => Ok(Assumed::Yes),
            Err(e) if e.code() == Some("AccessDenied") => Ok(Assumed::Refused(format!(
                "AccessDenied: {}",
                e.message().unwrap_or("not authorized to perform sts:AssumeRole")
            ))),
            Err(e) => Err(failed("sts:AssumeRole", e)),
        }
    }

    async fn invite_account(&self, account: &AccountId) -> Result<Handshake> {
        if let Some(open) = self.open_invitation(account).await? {
            return Ok(open);
        }
        let target = HandshakeParty::builder()
            .id(account.as_str())
            .r#type(HandshakePartyType::Account)
            .build()
            .map_err(|e| failed("organizations:InviteAccountToOrganization", e))?;
        let sent = self
            .organizations
            .invite_account_to_organization()
            .target(target)
            .send()
            .await
            .map_err(|e| failed("organizations:InviteAccountToOrganization", e))?;
        handshake_of(sent.handshake().ok_or_else(|| missing("organizations:Invite", "Handshake"))?)
    }

    async fn handshake_state(&self, handshake: &str) -> Result<HandshakeState> {
        let described = self
            .organizations
            .describe_handshake()
            .handshake_id(handshake)
            .send()
            .await
            .map_err(|e| failed("organizations:DescribeHandshake", e))?;
        let state = described.handshake().and_then(|h| h.state());
        Ok(match state {
            Some(AwsState::Accepted) => HandshakeState::Accepted,
            Some(AwsState::Declined) => HandshakeState::Declined,
            Some(AwsState::Canceled) => HandshakeState::Canceled,
            Some(AwsState::Expired) => HandshakeState::Expired,
            Some(AwsState::Open | AwsState::Requested) => HandshakeState::Open,
            other => return Err(Error::Internal(anyhow::anyhow!("organizations:DescribeHandshake: state {other:?}"))),
        })
    }

    async fn cancel_handshake(&self, handshake: &str) -> Result<()> {
        match self.organizations.cancel_handshake().handshake_id(handshake).send().await {
            Ok(_) => Ok(()),
            // No longer open (answered, expired or canceled already): nothing to cancel.
            Err(e) if e.code() == Some("InvalidHandshakeTransitionException") => Ok(()),
            Err(e) => Err(failed("organizations:CancelHandshake", e)),
        }
    }

    async fn remove_account(&self, account: &AccountId) -> Result<()> {
        match self.organizations.remove_account_from_organization().account_id(account.as_str()).send().await {
            Ok(_) => Ok(()),
            // Already outside: an earlier run removed it before it could record so.
            Err(e) if e.code() == Some("AccountNotFoundException") => Ok(()),
            Err(e) => Err(failed("organizations:RemoveAccountFromOrganization", e)),
        }
    }

    async fn organization_accounts(&self) -> Result<Vec<OrganizationAccount>> {
        let mut pages = self.organizations.list_accounts().into_paginator().send();
        let mut accounts = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed("organizations:ListAccounts", e))?;
            let active = page.accounts().iter().filter(|a| a.status() == Some(&AccountStatus::Active));
            accounts.extend(active.filter_map(|a| {
                Some(OrganizationAccount {
                    account_id: a.id()?.to_owned(),
                    email: a.email().unwrap_or_default().to_owned(),
                    name: a.name().unwrap_or_default().to_owned(),
                })
            }));
        }
        Ok(accounts)
    }

    async fn create_account(&self, email: &str, name: &str) -> Result<String> {
        let started = self
            .organizations
            .create_account()
            .email(email)
            .account_name(name)
            .send()
            .await
            .map_err(|e| failed("organizations:CreateAccount", e))?;
        started
            .create_account_status()
            .and_then(|status| status.id())
            .map(str::to_owned)
            .ok_or_else(|| missing("organizations:CreateAccount", "CreateAccountStatus.Id"))
    }

    async fn creation(&self, request: &str) -> Result<Creation> {
        let described = self
            .organizations
            .describe_create_account_status()
            .create_account_request_id(request)
            .send()
            .await
            .map_err(|e| failed("organizations:DescribeCreateAccountStatus", e))?;
        let status = described
            .create_account_status()
            .ok_or_else(|| missing("organizations:DescribeCreateAccountStatus", "CreateAccountStatus"))?;
        Ok(match status.state() {
            Some(CreateAccountState::Succeeded) => {
                let id = status.account_id().unwrap_or_default();
                Creation::Succeeded(AccountId::parse(id).map_err(|_| anyhow::anyhow!("AWS's account id {id:?}"))?)
            }
            Some(CreateAccountState::Failed) => {
                Creation::Failed(status.failure_reason().map_or("UNKNOWN", |reason| reason.as_str()).to_owned())
            }
            _ => Creation::InProgress,
        })
    }

    async fn find_creation(&self, email: &str, name: &str) -> Result<Option<String>> {
        if let Some(done) = self.creation_of_account_with(email).await? {
            return Ok(Some(done));
        }
        // A request still running has no account, so no e-mail, yet: its name is what is known.
        self.find_status(CreateAccountState::InProgress, |status| status.account_name() == Some(name)).await
    }

    // Test drive sandboxes are provisioned by the simulated cloud only so far: AWS has no single
    // call for them (a CloudFormation stack per instance is the plan), so this gateway says so.
    async fn launch_sandbox(&self, _instance: &InstanceId, _drive: &str) -> Result<()> {
        Err(no_sandboxes())
    }

    async fn sandbox(&self, _instance: &InstanceId) -> Result<Sandbox> {
        Err(no_sandboxes())
    }

    async fn end_sandbox(&self, _instance: &InstanceId) -> Result<()> {
        Err(no_sandboxes())
    }

    async fn billing_exports(&self) -> Result<Vec<Export>> {
        match &self.exports {
            Some(bucket) => bucket.exports().await,
            None => Ok(Vec::new()),
        }
    }

    async fn fetch_export(&self, export: &Export, to: &std::path::Path) -> Result<u64> {
        match &self.exports {
            Some(bucket) => bucket.fetch(export, to).await,
            None => Err(Error::NotFound),
        }
    }

    async fn grant_admin_access(&self, account: &AccountId, email: &str) -> Result<AdminAccess> {
        let iam = self.iam_in(account).await?;
        let user = iam_user_name(email);
        match iam.create_user().user_name(&user).send().await {
            Ok(_) => {}
            // Granted before: the same user gets a new temporary password.
            Err(e) if e.code() == Some("EntityAlreadyExists") => {}
            Err(e) => return Err(failed("iam:CreateUser", e)),
        }
        iam.attach_user_policy()
            .user_name(&user)
            .policy_arn(ADMINISTRATOR_ACCESS)
            .send()
            .await
            .map_err(|e| failed("iam:AttachUserPolicy", e))?;
        let password = temporary_password();
        let created =
            iam.create_login_profile().user_name(&user).password(&password).password_reset_required(true).send().await;
        match created {
            Ok(_) => {}
            Err(e) if e.code() == Some("EntityAlreadyExists") => {
                iam.update_login_profile()
                    .user_name(&user)
                    .password(&password)
                    .password_reset_required(true)
                    .send()
                    .await
                    .map_err(|e| failed("iam:UpdateLoginProfile", e))?;
            }
            Err(e) => return Err(failed("iam:CreateLoginProfile", e)),
        }
        Ok(AdminAccess {
            sign_in_url: format!("https://{}.signin.aws.amazon.com/console", account.as_str()),
            user: Some((user, password)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_keep_what_iam_allows() {
        assert_eq!(iam_user_name("ana.lopez+aws@acme.example"), "ana.lopez+aws@acme.example");
        assert_eq!(iam_user_name("o'brien@acme.example"), "obrien@acme.example");
        assert_eq!(iam_user_name(&"a".repeat(80)).len(), 64);
    }

    #[test]
    fn temporary_passwords_have_every_class() {
        for _ in 0..50 {
            let password = temporary_password();
            assert_eq!(password.chars().count(), 24);
            assert!(password.chars().any(|c| c.is_ascii_uppercase()));
            assert!(password.chars().any(|c| c.is_ascii_lowercase()));
            assert!(password.chars().any(|c| c.is_ascii_digit()));
            assert!(password.chars().any(|c| !c.is_ascii_alphanumeric()));
        }
        assert_ne!(temporary_password(), temporary_password());
    }
}
