//! The people who sign in to the portal: a reseller's team (admins and agents) and the
//! platform's own staff (platform admins and Cloud Support), and the rules for inviting them and
//! for creating a reseller.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::api::{FieldError, Problem};
use crate::email::EmailAddress;
use crate::ids::{InvitationId, PortalUserId, ResellerId};
use crate::text::{clean, NAME_MAX};
use crate::Field;

/// What a portal user may do. Reseller roles act inside one reseller; platform roles across them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StaffRole {
    /// Everything in the reseller's account, including its team and widget settings.
    Admin,
    /// The Customers module and signup approvals.
    Agent,
    /// Creates resellers and invites platform staff.
    PlatformAdmin,
    /// Decides cloud-account requests from every reseller.
    CloudSupport,
}

impl StaffRole {
    pub const RESELLER: [StaffRole; 2] = [StaffRole::Admin, StaffRole::Agent];
    pub const PLATFORM: [StaffRole; 2] = [StaffRole::PlatformAdmin, StaffRole::CloudSupport];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<StaffRole> {
        text.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Admin => "Admin",
            StaffRole::Agent => "Agent",
            StaffRole::PlatformAdmin => "Platform admin",
            StaffRole::CloudSupport => "Cloud Support",
        }
    }

    pub fn is_platform(self) -> bool {
        Self::PLATFORM.contains(&self)
    }
}

/// An invitation as typed in the Team or Platform users form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// An invitation that passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidInvitation {
    pub email: EmailAddress,
    pub name: String,
    pub role: StaffRole,
}

impl InvitationInput {
    /// Checks every field; `allowed` are the roles this form offers (a reseller admin cannot
    /// invite Cloud Support, a platform admin cannot invite a reseller's agent).
    pub fn validate(&self, allowed: &[StaffRole]) -> Result<ValidInvitation, Vec<FieldError>> {
        let email = EmailAddress::parse(&self.email).map_err(|code| FieldError::new(Field::Email, code));
        let name = person_name(&self.name);
        let role = StaffRole::parse(&self.role)
            .filter(|role| allowed.contains(role))
            .ok_or_else(|| FieldError::new(Field::Role, Problem::InvalidFormat));
        match (email, name, role) {
            (Ok(email), Ok(name), Ok(role)) => Ok(ValidInvitation { email, name, role }),
            (email, name, role) => Err(email.err().into_iter().chain(name.err()).chain(role.err()).collect()),
        }
    }
}

pub(crate) fn person_name(raw: &str) -> Result<String, FieldError> {
    match clean(raw, NAME_MAX, true) {
        Ok(Some(name)) => Ok(name),
        Ok(None) => Err(FieldError::new(Field::Name, Problem::Required)),
        Err(code) => Err(FieldError::new(Field::Name, code)),
    }
}

/// A new reseller, as a platform admin types it: the reseller and its first admin, who is invited.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResellerInput {
    #[serde(default)]
    pub reseller_name: String,
    #[serde(default)]
    pub license_url: String,
    /// The first admin's e-mail and name (named as the invitation fields, so errors match).
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidReseller {
    pub name: String,
    pub license_url: Option<String>,
    pub admin: ValidInvitation,
}

impl ResellerInput {
    pub fn validate(&self) -> Result<ValidReseller, Vec<FieldError>> {
        let name = match clean(&self.reseller_name, NAME_MAX, true) {
            Ok(Some(name)) => Ok(name),
            Ok(None) => Err(FieldError::new(Field::ResellerName, Problem::Required)),
            Err(code) => Err(FieldError::new(Field::ResellerName, code)),
        };
        let license_url = license_url(&self.license_url);
        let admin = InvitationInput {
            email: self.email.clone(),
            name: self.name.clone(),
            role: StaffRole::Admin.as_str().into(),
        }
        .validate(&[StaffRole::Admin]);
        match (name, license_url, admin) {
            (Ok(name), Ok(license_url), Ok(admin)) => Ok(ValidReseller { name, license_url, admin }),
            (name, license_url, admin) => {
                Err(name.err().into_iter().chain(license_url.err()).chain(admin.err().into_iter().flatten()).collect())
            }
        }
    }
}

/// An optional absolute http(s) address for the reseller's license agreement.
pub fn license_url(raw: &str) -> Result<Option<String>, FieldError> {
    crate::branding::web_address(Field::LicenseUrl, raw)
}

/// A member of a team (a reseller's, or the platform's), as the Team page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: PortalUserId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub disabled: bool,
    /// Whether they sign in with a second step (an authenticator app).
    pub two_step: bool,
    pub version: i64,
}

/// An invitation not yet accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub invited_by: String,
    pub expires_at: i64,
    pub expired: bool,
}

/// A team and its invitations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<TeamMember>,
    pub invitations: Vec<PendingInvitation>,
    /// Whether every member must sign in with a second step.
    pub requires_two_step: bool,
}

/// A reseller as the platform's Resellers page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct ResellerSummary {
    pub id: ResellerId,
    pub name: String,
    pub license_url: Option<String>,
    pub created_at: i64,
    pub users: i64,
    pub customers: i64,
}

/// What an invitation link offers, shown before the person chooses a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    /// The reseller whose team it is; `None` for the platform's staff.
    pub reseller_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(email: &str, name: &str, role: &str) -> InvitationInput {
        InvitationInput { email: email.into(), name: name.into(), role: role.into() }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(Field, Problem)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in StaffRole::RESELLER.into_iter().chain(StaffRole::PLATFORM) {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.as_str()));
        }
        assert_eq!(StaffRole::parse("owner"), None);
    }

    #[test]
    fn a_valid_invitation_is_trimmed_and_lower_cased() {
        let valid = invitation(" Ana@Example.COM ", "  Ana Ruiz ", "agent").validate(&StaffRole::RESELLER).unwrap();
        assert_eq!(valid.email.as_str(), "ana@example.com");
        assert_eq!(valid.name, "Ana Ruiz");
        assert_eq!(valid.role, StaffRole::Agent);
    }

    #[test]
    fn each_bad_invitation_field_is_named() {
        let reseller = &StaffRole::RESELLER;
        assert_eq!(
            fields(invitation("", "", "").validate(reseller).unwrap_err()),
            vec![
                (Field::Email, Problem::Required),
                (Field::Name, Problem::Required),
                (Field::Role, Problem::InvalidFormat)
            ]
        );
        assert_eq!(
            fields(invitation("ana@", "Ana", "agent").validate(reseller).unwrap_err()),
            vec![(Field::Email, Problem::InvalidFormat)]
        );
        assert_eq!(
            fields(invitation("ana@example.com", &"a".repeat(101), "agent").validate(reseller).unwrap_err()),
            vec![(Field::Name, Problem::TooLong)]
        );
        assert_eq!(
            fields(invitation("ana@example.com", "<b>Ana</b>", "agent").validate(reseller).unwrap_err()),
            vec![(Field::Name, Problem::InvalidCharacters)]
        );
        // A reseller's form cannot invite platform staff, nor the reverse.
        assert_eq!(
            fields(invitation("ana@example.com", "Ana", "cloud_support").validate(reseller).unwrap_err()),
            vec![(Field::Role, Problem::InvalidFormat)]
        );
        assert!(invitation("ana@example.com", "Ana", "admin").validate(&StaffRole::PLATFORM).is_err());
    }

    #[test]
    fn license_urls_must_be_absolute_web_addresses() {
        assert_eq!(license_url("  "), Ok(None));
        assert_eq!(license_url(" https://example.com/eula "), Ok(Some("https://example.com/eula".into())));
        assert_eq!(license_url("http://localhost:8080/terms"), Ok(Some("http://localhost:8080/terms".into())));
        for bad in [
            "example.com/eula",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.com",
            "ftp://x.y",
            "https://u@evil.com/",
        ] {
            assert_eq!(license_url(bad).map_err(|e| e.code), Err(Problem::InvalidFormat), "{bad}");
        }
        assert_eq!(
            license_url(&format!("https://e.com/{}", "a".repeat(2000))).map_err(|e| e.code),
            Err(Problem::TooLong)
        );
    }

    #[test]
    fn a_reseller_needs_a_name_and_a_first_admin() {
        let input = ResellerInput::default();
        assert_eq!(
            fields(input.validate().unwrap_err()),
            vec![
                (Field::ResellerName, Problem::Required),
                (Field::Email, Problem::Required),
                (Field::Name, Problem::Required)
            ]
        );
        let input = ResellerInput {
            reseller_name: "Acme Cloud".into(),
            license_url: "nope".into(),
            email: "boss@acme.test".into(),
            name: "Bo Ss".into(),
        };
        assert_eq!(fields(input.validate().unwrap_err()), vec![(Field::LicenseUrl, Problem::InvalidFormat)]);
    }
}
