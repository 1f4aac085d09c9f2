//! A reseller's signup options: how their widget's Signup form behaves and which signups are
//! approved without waiting for them.

use serde::{Deserialize, Serialize};

use crate::api::{FieldError, Problem};
use crate::email::EmailAddress;
use crate::signup::FormRules;
use crate::{text, Field};

const MAX_DOMAINS: usize = 500;
const CUSTOM_TEXT_MAX: usize = 1000;

/// `GET` / `PUT /api/v1/reseller/signup-options`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupOptions {
    /// New customers confirm their e-mail address through a link before anything else.
    pub require_email_verification: bool,
    pub require_address: bool,
    pub require_license_acceptance: bool,
    /// Approve every signup at once (off by default: the reseller approves each one).
    pub auto_approve: bool,
    /// Signups from these e-mail domains (and their subdomains) are approved at once.
    pub approved_domains: Vec<String>,
    /// Signups from these domains always wait for the reseller, even with auto-approve on.
    pub review_domains: Vec<String>,
    /// The reseller's own words, shown above the Signup form.
    pub custom_text: String,
}

impl Default for SignupOptions {
    fn default() -> Self {
        SignupOptions {
            require_email_verification: true,
            require_address: false,
            require_license_acceptance: false,
            auto_approve: false,
            approved_domains: Vec::new(),
            review_domains: Vec::new(),
            custom_text: String::new(),
        }
    }
}

/// The signup options as the portal's form sends them: ticked boxes arrive as `true`, unticked
/// ones not at all; the domain lists are one domain per line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupOptionsForm {
    #[serde(default)]
    pub require_email_verification: bool,
    #[serde(default)]
    pub require_address: bool,
    #[serde(default)]
    pub require_license_acceptance: bool,
    #[serde(default)]
    pub auto_approve: bool,
    #[serde(default)]
    pub approved_domains: String,
    #[serde(default)]
    pub review_domains: String,
    #[serde(default)]
    pub custom_text: String,
}

impl From<SignupOptionsForm> for SignupOptions {
    fn from(form: SignupOptionsForm) -> SignupOptions {
        let lines = |text: &str| text.lines().map(str::to_owned).collect();
        SignupOptions {
            require_email_verification: form.require_email_verification,
            require_address: form.require_address,
            require_license_acceptance: form.require_license_acceptance,
            auto_approve: form.auto_approve,
            approved_domains: lines(&form.approved_domains),
            review_domains: lines(&form.review_domains),
            custom_text: form.custom_text,
        }
    }
}

/// Whether a signup needs the reseller's approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    Automatic,
    ByReseller,
}

impl SignupOptions {
    pub fn form_rules(&self) -> FormRules {
        FormRules { require_address: self.require_address, require_license_acceptance: self.require_license_acceptance }
    }

    /// The review list wins over the approved list, which wins over auto-approve.
    pub fn approval_for(&self, email: &EmailAddress) -> Approval {
        let domain = email.domain();
        let listed = |list: &[String]| list.iter().any(|entry| covers(entry, domain));
        if listed(&self.review_domains) {
            Approval::ByReseller
        } else if listed(&self.approved_domains) || self.auto_approve {
            Approval::Automatic
        } else {
            Approval::ByReseller
        }
    }

    /// Normalises the options (domains lower-cased, trimmed, de-duplicated; text trimmed) or
    /// reports each refused field.
    pub fn validate(mut self) -> Result<SignupOptions, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, list) in
            [(Field::ApprovedDomains, &mut self.approved_domains), (Field::ReviewDomains, &mut self.review_domains)]
        {
            match normalise_domains(list) {
                Ok(clean) => *list = clean,
                Err(problem) => errors.push(FieldError::new(field, problem)),
            }
        }
        if errors.is_empty() && self.approved_domains.iter().any(|d| self.review_domains.contains(d)) {
            errors.push(FieldError::new(Field::ReviewDomains, Problem::Conflict));
        }
        match text::clean_multiline(&self.custom_text, CUSTOM_TEXT_MAX) {
            Ok(text) => self.custom_text = text,
            Err(problem) => errors.push(FieldError::new(Field::CustomText, problem)),
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// Is `domain` the listed domain or one of its subdomains?
fn covers(listed: &str, domain: &str) -> bool {
    domain == listed || domain.strip_suffix(listed).is_some_and(|prefix| prefix.ends_with('.'))
}

fn normalise_domains(list: &[String]) -> Result<Vec<String>, Problem> {
    let mut clean: Vec<String> = Vec::new();
    for entry in list {
        let domain = entry.trim().trim_start_matches('@').to_ascii_lowercase();
        if domain.is_empty() {
            continue;
        }
        // A domain is valid exactly when an address at it is.
        EmailAddress::parse(&format!("x@{domain}")).map_err(|_| Problem::InvalidFormat)?;
        if !clean.contains(&domain) {
            clean.push(domain);
        }
    }
    if clean.len() > MAX_DOMAINS {
        return Err(Problem::TooLong);
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(text: &str) -> EmailAddress {
        EmailAddress::parse(text).unwrap()
    }

    #[test]
    fn by_default_the_reseller_approves_every_signup() {
        let options = SignupOptions::default();
        assert!(options.require_email_verification);
        assert!(!options.auto_approve);
        assert_eq!(options.approval_for(&email("a@example.com")), Approval::ByReseller);
    }

    #[test]
    fn review_list_beats_approved_list_beats_auto_approve() {
        let options = SignupOptions {
            auto_approve: true,
            approved_domains: vec!["partner.com".into()],
            review_domains: vec!["gmail.com".into()],
            ..SignupOptions::default()
        };
        assert_eq!(options.approval_for(&email("a@gmail.com")), Approval::ByReseller);
        assert_eq!(options.approval_for(&email("a@partner.com")), Approval::Automatic);
        assert_eq!(options.approval_for(&email("a@eu.partner.com")), Approval::Automatic);
        assert_eq!(options.approval_for(&email("a@notpartner.com")), Approval::Automatic, "auto-approve");
        let manual = SignupOptions { auto_approve: false, ..options };
        assert_eq!(manual.approval_for(&email("a@notpartner.com")), Approval::ByReseller);
        assert_eq!(manual.approval_for(&email("a@partner.com")), Approval::Automatic);
    }

    #[test]
    fn domains_are_normalised_and_checked() {
        let options = SignupOptions {
            approved_domains: vec![" Partner.COM ".into(), "@partner.com".into(), "".into(), "eu.partner.com".into()],
            custom_text: "  Welcome!\nAsk us anything.  ".into(),
            ..SignupOptions::default()
        };
        let clean = options.validate().unwrap();
        assert_eq!(clean.approved_domains, vec!["partner.com", "eu.partner.com"]);
        assert_eq!(clean.custom_text, "Welcome!\nAsk us anything.");
    }

    #[test]
    fn bad_options_name_their_field() {
        let options = SignupOptions {
            approved_domains: vec!["not a domain".into()],
            review_domains: vec!["<script>".into()],
            custom_text: "x".repeat(1001),
            ..SignupOptions::default()
        };
        let fields: Vec<(Field, Problem)> = options.validate().unwrap_err().iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            vec![
                (Field::ApprovedDomains, Problem::InvalidFormat),
                (Field::ReviewDomains, Problem::InvalidFormat),
                (Field::CustomText, Problem::TooLong)
            ]
        );
        let both = SignupOptions {
            approved_domains: vec!["a.com".into()],
            review_domains: vec!["A.com".into()],
            ..SignupOptions::default()
        };
        assert_eq!(both.validate().unwrap_err()[0].code, Problem::Conflict);
        let many = SignupOptions {
            approved_domains: (0..501).map(|i| format!("d{i}.com")).collect(),
            ..SignupOptions::default()
        };
        assert_eq!(many.validate().unwrap_err()[0].code, Problem::TooLong);
    }
}
