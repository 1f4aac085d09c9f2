//! AWS identifiers as the Cloud accounts tab takes them, checked before anything reaches AWS:
//! account ids and IAM role ARNs, and the trust policy an account owner creates the role with.

use serde::{Deserialize, Serialize};

use crate::api::{FieldError, Problem};
use crate::email::EmailAddress;
use crate::ids::{CloudAccountId, ProviderId, SupportPlanId};
use crate::Field;

/// The provider whose accounts the Cloud accounts tab links (the id of its `cloud_providers` row).
pub const AWS: &str = "aws";

/// A 12-digit AWS account id, kept as text: leading zeros are part of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountId(String);

impl AccountId {
    /// Twelve digits, or the console's grouping of them ("1234-5678-9012").
    pub fn parse(raw: &str) -> Result<AccountId, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        let grouped = raw.len() == 14 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[9] == b'-';
        let digits: String = if grouped { raw.split('-').collect() } else { raw.to_owned() };
        if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AccountId(digits))
        } else {
            Err(Problem::InvalidFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest role ARN IAM accepts.
const ARN_MAX: usize = 2048;
/// The longest role name and path IAM accepts.
const NAME_MAX: usize = 64;
const PATH_MAX: usize = 512;

/// An IAM role ARN in the `aws` partition, `arn:aws:iam::<account>:role/<path/>name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleArn {
    text: String,
    account: AccountId,
}

impl RoleArn {
    /// A role ARN of `account`: malformed text is `InvalidFormat`, a role of another account is
    /// `Mismatch` (the role must live in the account being linked).
    pub fn parse(raw: &str, account: &AccountId) -> Result<RoleArn, Problem> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        if text.len() > ARN_MAX {
            return Err(Problem::TooLong);
        }
        let rest = text.strip_prefix("arn:aws:iam::").ok_or(Problem::InvalidFormat)?;
        let (owner, resource) = rest.split_once(':').ok_or(Problem::InvalidFormat)?;
        if owner.len() != 12 || !owner.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Problem::InvalidFormat);
        }
        let owner = AccountId(owner.to_owned());
        let path_and_name = resource.strip_prefix("role/").ok_or(Problem::InvalidFormat)?;
        let (path, name) = match path_and_name.rsplit_once('/') {
            Some((path, name)) => (Some(path), name),
            None => (None, path_and_name),
        };
        let name_ok = (1..=NAME_MAX).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
        let path_ok = path.is_none_or(|path| {
            path.len() < PATH_MAX
                && path.split('/').all(|segment| !segment.is_empty())
                && path.bytes().all(|b| (0x21..=0x7e).contains(&b))
        });
        if !name_ok || !path_ok {
            return Err(Problem::InvalidFormat);
        }
        if &owner != account {
            return Err(Problem::Mismatch);
        }
        Ok(RoleArn { text: text.to_owned(), account: owner })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The role's name, after its path.
    pub fn name(&self) -> &str {
        self.text.rsplit('/').next().unwrap_or_default()
    }
}

/// An active account of the platform's AWS organization, as `organizations:ListAccounts` lists
/// it. Those whose root e-mail is a customer's, and that no customer has yet, are the accounts
/// the Add dialog's **Account ID** dropdown offers beside **New Account**.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationAccount {
    pub account_id: String,
    pub email: String,
    pub name: String,
}

/// The Cloud accounts tab's **Add** dialog, as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudAccountInput {
    pub provider: String,
    pub account_id: String,
    pub email: String,
}

/// An account to add: an AWS account of a provider enabled for the customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCloudAccount {
    pub provider: ProviderId,
    pub account_id: AccountId,
    pub email: EmailAddress,
}

impl CloudAccountInput {
    /// Checks every field; `enabled` are the providers turned on under the customer's Cloud
    /// providers, of which AWS is the one whose accounts can be linked.
    pub fn validate(&self, enabled: &[ProviderId]) -> Result<ValidCloudAccount, Vec<FieldError>> {
        let provider = aws_if_enabled(&self.provider, enabled);
        let account_id = AccountId::parse(&self.account_id).map_err(|code| FieldError::new(Field::AccountId, code));
        let email = EmailAddress::parse(&self.email).map_err(|code| FieldError::new(Field::Email, code));
        match (provider, account_id, email) {
            (Ok(provider), Ok(account_id), Ok(email)) => Ok(ValidCloudAccount { provider, account_id, email }),
            (provider, account_id, email) => {
                Err(provider.err().into_iter().chain(account_id.err()).chain(email.err()).collect())
            }
        }
    }
}

/// AWS, when the form chose it and the customer has it turned on under Cloud providers: the
/// provider whose accounts the Cloud accounts tab links.
fn aws_if_enabled(chosen: &str, enabled: &[ProviderId]) -> Result<ProviderId, FieldError> {
    enabled
        .iter()
        .find(|id| id.as_str() == AWS && chosen == AWS)
        .cloned()
        .ok_or_else(|| FieldError::new(Field::Provider, Problem::InvalidFormat))
}

/// Cloud accounts → **Request** (the guide's Part 5): a new AWS account the platform creates
/// for the customer, as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountInput {
    pub provider: String,
    /// The new account's root e-mail: an address never used with AWS.
    pub email: String,
    pub account_name: String,
    /// A support plan id of the provider's (checked against the plans by the server).
    pub support_plan: String,
}

/// A new account to request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidNewAccount {
    pub provider: ProviderId,
    pub email: EmailAddress,
    pub account_name: String,
    pub support_plan: SupportPlanId,
}

/// AWS's limit on an account name.
pub const ACCOUNT_NAME_MAX: usize = 50;

impl NewAccountInput {
    /// Checks every field as [`CloudAccountInput::validate`] does; an account name is 1 to 50
    /// printable ASCII characters (AWS's rule), without `<` and `>`.
    pub fn validate(&self, enabled: &[ProviderId]) -> Result<ValidNewAccount, Vec<FieldError>> {
        let provider = aws_if_enabled(&self.provider, enabled);
        let email = EmailAddress::parse(&self.email).map_err(|code| FieldError::new(Field::Email, code));
        let name = self.account_name.trim();
        let account_name = match name {
            "" => Err(Problem::Required),
            _ if name.chars().count() > ACCOUNT_NAME_MAX => Err(Problem::TooLong),
            _ if !name.chars().all(|c| (' '..='~').contains(&c)) || name.contains(['<', '>']) => {
                Err(Problem::InvalidCharacters)
            }
            _ => Ok(name.to_owned()),
        }
        .map_err(|code| FieldError::new(Field::AccountName, code));
        let support_plan = match self.support_plan.trim() {
            "" => Err(FieldError::new(Field::SupportPlan, Problem::Required)),
            plan => SupportPlanId::parse(plan).map_err(|_| FieldError::new(Field::SupportPlan, Problem::InvalidFormat)),
        };
        match (provider, email, account_name, support_plan) {
            (Ok(provider), Ok(email), Ok(account_name), Ok(support_plan)) => {
                Ok(ValidNewAccount { provider, email, account_name, support_plan })
            }
            (provider, email, account_name, support_plan) => Err(provider
                .err()
                .into_iter()
                .chain(email.err())
                .chain(account_name.err())
                .chain(support_plan.err())
                .collect()),
        }
    }
}

/// What the Role ARN dialog sends: the ARN typed, and whether to check it at AWS (**Check**) or
/// only store it, Not Checked (**Save**).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleArnEntry<'a> {
    pub role_arn: &'a str,
    pub check: bool,
}

/// The result of the last **Check** of a cloud account's role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleCheck {
    NotChecked,
    Valid,
    /// Why the role cannot be used, in words for the reseller and the account owner.
    Invalid(String),
}

impl RoleCheck {
    /// The button's and badge's words, as the guide names them.
    pub fn label(&self) -> &'static str {
        match self {
            RoleCheck::NotChecked => "Not Checked",
            RoleCheck::Valid => "Valid",
            RoleCheck::Invalid(_) => "Invalid",
        }
    }
}

/// A cloud account as the Cloud accounts tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudAccount {
    pub id: CloudAccountId,
    pub provider_name: String,
    pub account_id: String,
    pub email: String,
    /// Generated by the platform for this account alone; the role's trust policy requires it.
    pub external_id: String,
    pub role_arn: Option<String>,
    pub role_check: RoleCheck,
    pub version: i64,
    pub link: crate::cloud_links::Link,
    pub kind: crate::cloud_links::AccountKind,
    /// A new account's name and support plan (its name).
    pub account_name: Option<String>,
    pub support_plan: Option<String>,
}

/// What the Role ARN dialog needs besides the account: the platform's AWS account, which the
/// trust policy names, and where the role's CloudFormation template is published, if it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSetup {
    pub platform_account: String,
    pub template_url: Option<String>,
}

/// The role the account owner creates, as the Role ARN dialog names it.
pub const ROLE_NAME: &str = "PorticoAccess";

/// The trust policy of the role: the platform's AWS account may assume it, and only when it
/// presents this cloud account's ExternalId (which keeps another customer of the platform from
/// having the platform act on this account: the confused-deputy defence).
pub fn trust_policy(platform_account: &str, external_id: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": {{ "AWS": "arn:aws:iam::{platform_account}:root" }},
      "Action": "sts:AssumeRole",
      "Condition": {{ "StringEquals": {{ "sts:ExternalId": "{external_id}" }} }}
    }}
  ]
}}"#
    )
}

/// A CloudFormation template that creates the role with that trust policy and read-only access.
pub fn role_template(platform_account: &str, external_id: &str) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Lets the platform's AWS account assume {ROLE_NAME} with this account's ExternalId.
Parameters:
  ExternalId:
    Type: String
    Default: "{external_id}"
Resources:
  {ROLE_NAME}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {ROLE_NAME}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: "arn:aws:iam::{platform_account}:root"
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: !Ref ExternalId
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
Outputs:
  RoleArn:
    Value: !GetAtt {ROLE_NAME}.Arn
"#
    )
}

/// The AWS console's quick-create page for the template published at `template_url` (an S3
/// address, as CloudFormation requires), with this account's ExternalId filled in.
pub fn quick_create_link(template_url: &str, external_id: &str) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "https://console.aws.amazon.com/cloudformation/home#/stacks/quickcreate?templateURL={}&stackName={ROLE_NAME}&param_ExternalId={}",
        encode(template_url),
        encode(external_id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn account() -> AccountId {
        AccountId::parse("012345678901").unwrap()
    }

    #[test]
    fn account_ids_are_twelve_digits_kept_as_text() {
        assert_eq!(account().as_str(), "012345678901");
        assert_eq!(AccountId::parse(" 0123-4567-8901 ").unwrap().as_str(), "012345678901");
        assert_eq!(AccountId::parse(""), Err(Problem::Required));
        for bad in ["12345678901", "1234567890123", "12345678901a", "0123-45678901", "١٢٣٤٥٦٧٨٩٠١٢", "-12345678901"]
        {
            assert_eq!(AccountId::parse(bad), Err(Problem::InvalidFormat), "{bad}");
        }
    }

    #[test]
    fn role_arns_name_a_role_of_the_account() {
        let arn = RoleArn::parse("arn:aws:iam::012345678901:role/PorticoAccess", &account()).unwrap();
        assert_eq!(arn.name(), "PorticoAccess");
        let with_path = RoleArn::parse("arn:aws:iam::012345678901:role/ops/partners/Portico+Access=1", &account());
        assert_eq!(with_path.unwrap().name(), "Portico+Access=1");
        assert_eq!(RoleArn::parse("", &account()), Err(Problem::Required));
        assert_eq!(RoleArn::parse("arn:aws:iam::999999999999:role/PorticoAccess", &account()), Err(Problem::Mismatch));
        for bad in [
            "PorticoAccess",
            "arn:aws-cn:iam::012345678901:role/PorticoAccess",
            "arn:aws:iam::0123-4567-8901:role/PorticoAccess",
            "arn:aws:iam::012345678901:user/PorticoAccess",
            "arn:aws:iam::012345678901:role/",
            "arn:aws:iam::012345678901:role//PorticoAccess",
            "arn:aws:iam::012345678901:role/Portico Access",
            "arn:aws:iam::012345678901:role/<script>",
            "arn:aws:sts::012345678901:assumed-role/PorticoAccess/session",
            "arn:aws:iam:us-east-1:012345678901:role/PorticoAccess",
        ] {
            assert_eq!(RoleArn::parse(bad, &account()), Err(Problem::InvalidFormat), "{bad}");
        }
        let long = format!("arn:aws:iam::012345678901:role/{}", "a".repeat(65));
        assert_eq!(RoleArn::parse(&long, &account()), Err(Problem::InvalidFormat));
        let huge = format!("arn:aws:iam::012345678901:role/{}/a", "p/".repeat(1100));
        assert_eq!(RoleArn::parse(&huge, &account()), Err(Problem::TooLong));
    }

    #[test]
    fn an_added_account_needs_aws_enabled_a_valid_id_and_an_email() {
        let input = |provider: &str, id: &str, email: &str| CloudAccountInput {
            provider: provider.into(),
            account_id: id.into(),
            email: email.into(),
        };
        let enabled = vec![ProviderId(AWS.to_owned()), ProviderId("azure".to_owned())];
        let valid = input("aws", "0123-4567-8901", "Root@Example.com").validate(&enabled).unwrap();
        assert_eq!((valid.account_id.as_str(), valid.email.as_str()), ("012345678901", "root@example.com"));
        let fields = |input: CloudAccountInput, enabled: &[ProviderId]| -> Vec<(Field, Problem)> {
            input.validate(enabled).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
        };
        assert_eq!(
            fields(input("aws", "012345678901", "root@example.com"), &[]),
            [(Field::Provider, Problem::InvalidFormat)]
        );
        assert_eq!(
            fields(input("azure", "012345678901", "root@example.com"), &enabled),
            [(Field::Provider, Problem::InvalidFormat)]
        );
        assert_eq!(
            fields(input("aws", "12345", "root"), &enabled),
            [(Field::AccountId, Problem::InvalidFormat), (Field::Email, Problem::InvalidFormat)]
        );
        assert_eq!(
            fields(input("aws", "", ""), &enabled),
            [(Field::AccountId, Problem::Required), (Field::Email, Problem::Required)]
        );
    }

    #[test]
    fn the_policy_and_template_name_the_platform_and_the_external_id() {
        let policy = trust_policy("111122223333", "ext-abc");
        let parsed: serde_json::Value = serde_json::from_str(&policy).unwrap();
        assert_eq!(parsed["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::111122223333:root");
        assert_eq!(parsed["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"], "ext-abc");
        assert!(role_template("111122223333", "ext-abc").contains("Default: \"ext-abc\""));
        let link = quick_create_link("https://bucket.s3.amazonaws.com/role.yaml", "ext-abc");
        assert!(link.ends_with("templateURL=https%3A%2F%2Fbucket.s3.amazonaws.com%2Frole.yaml&stackName=PorticoAccess&param_ExternalId=ext-abc"));
    }

    proptest! {
        /// Whatever is typed, parsing never panics, and what it accepts is a well-formed ARN of the account.
        #[test]
        fn any_text_is_refused_or_a_role_of_the_account(raw in "\\PC{0,80}", name in "[A-Za-z0-9_+=,.@-]{1,64}") {
            if let Ok(arn) = RoleArn::parse(&raw, &account()) {
                prop_assert!(arn.as_str().starts_with("arn:aws:iam::012345678901:role/"));
            }
            let built = format!("arn:aws:iam::012345678901:role/{name}");
            let parsed = RoleArn::parse(&built, &account()).unwrap();
            prop_assert_eq!(parsed.name(), name.as_str());
            let id_typed: String = raw.chars().filter(char::is_ascii_digit).take(12).collect();
            if let Ok(id) = AccountId::parse(&id_typed) {
                prop_assert_eq!(id.as_str(), id_typed.as_str());
            }
        }
    }

    #[test]
    fn a_new_account_request_names_each_bad_field() {
        let aws = vec![ProviderId(AWS.to_owned())];
        let good = NewAccountInput {
            provider: AWS.into(),
            email: "aws-root@customer.test".into(),
            account_name: "Internal-Legal Production".into(),
            support_plan: "aws-business".into(),
        };
        assert_eq!(good.validate(&aws).unwrap().account_name, "Internal-Legal Production");
        let fields = |input: NewAccountInput, enabled: &[ProviderId]| -> Vec<(Field, Problem)> {
            input.validate(enabled).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
        };
        assert_eq!(fields(good.clone(), &[]), [(Field::Provider, Problem::InvalidFormat)]);
        let bad = NewAccountInput {
            provider: "azure".into(),
            email: "not an address".into(),
            account_name: "a".repeat(51),
            support_plan: " ".into(),
        };
        assert_eq!(
            fields(bad, &aws),
            [
                (Field::Provider, Problem::InvalidFormat),
                (Field::Email, Problem::InvalidFormat),
                (Field::AccountName, Problem::TooLong),
                (Field::SupportPlan, Problem::Required),
            ]
        );
        for name in ["", "  ", "Prod\u{7}", "Prödüction", "<script>"] {
            let input = NewAccountInput { account_name: name.into(), ..good.clone() };
            assert_eq!(fields(input, &aws).len(), 1, "{name:?}");
        }
    }

    /// 100,000 role ARNs, typed or forged: never a panic; an accepted one is a role of the
    /// account, within IAM's lengths, and reads back as itself.
    #[test]
    fn fuzz_role_arns() {
        let pieces = &[
            "arn:aws:iam::",
            "012345678901",
            "999999999999",
            ":",
            "role/",
            "/",
            "Portico",
            "path/",
            "_+=,.@-",
            "arn:aws-cn:iam::",
            "user/",
            " ",
        ];
        // Half the inputs are well-formed ARNs with a random path and name, so acceptance is
        // exercised as much as refusal.
        let formed = (
            "(/?[A-Za-z0-9_+=,.@-]{0,12}/){0,3}",
            "[A-Za-z0-9_+=,.@-]{0,70}",
            "(012345678901|999999999999|01234567890)",
        )
            .prop_map(|(path, name, owner)| {
                format!(
                    "arn:aws:iam::{owner}:role{}{name}",
                    if path.is_empty() { "/".to_owned() } else { format!("/{}", path.trim_start_matches('/')) }
                )
            });
        let strategy = prop_oneof![crate::fuzzing::text(pieces, 8), formed];
        crate::fuzzing::run("role ARNs", strategy, |raw| {
            let Ok(arn) = RoleArn::parse(&raw, &account()) else { return Ok(false) };
            prop_assert!(arn.as_str().starts_with("arn:aws:iam::012345678901:role/"));
            prop_assert!(arn.as_str().len() <= ARN_MAX && (1..=NAME_MAX).contains(&arn.name().len()));
            prop_assert_eq!(RoleArn::parse(arn.as_str(), &account()), Ok(arn.clone()));
            Ok(true)
        });
    }
}
