//! The widget's Signup form: what it sends, what the server answers, and the one function that
//! decides whether a submission is acceptable.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::api::{FieldError, Problem};
use crate::details::{keep, CustomerDetails, DetailsInput};
use crate::email::EmailAddress;
use crate::language::Language;
use crate::names::json_by_name;
use crate::password::{check_repeated, Password};
use crate::Field;

/// `POST /api/v1/widget/signup`, exactly as typed. Missing fields read as empty.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupRequest {
    pub company_name: String,
    pub contact_name: String,
    pub title: String,
    pub phone: String,
    pub country: String,
    pub street_address: String,
    pub suite: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub email: String,
    pub password: String,
    pub verify_password: String,
    /// The license box, when the reseller's options ask for one.
    pub license_accepted: bool,
    /// A field people never see (the "honeypot"): only form-filling robots put anything in it.
    pub website: String,
    /// The form token the frame was served with: the server's own record of when the form was
    /// served, signed.
    pub form_token: String,
    /// The widget's language: the e-mails and pages that follow use it.
    pub language: Language,
}

impl SignupRequest {
    /// The field people never see was filled: only form-filling robots do that.
    pub fn filled_hidden_field(&self) -> bool {
        !self.website.is_empty()
    }
}

/// What a reseller's signup options ask of the form itself; the widget and the server apply the
/// same rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRules {
    /// Street Address, City, and (where the country has them) State and Zip are required.
    pub require_address: bool,
    /// A box "I accept the license agreement" must be ticked.
    pub require_license_acceptance: bool,
}

impl std::fmt::Debug for SignupRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignupRequest")
            .field("company_name", &self.company_name)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A signup that passed every rule: the only shape the server stores.
#[derive(Clone, Debug)]
pub struct ValidSignup {
    pub details: CustomerDetails,
    pub email: EmailAddress,
    pub password: Password,
    pub language: Language,
}

/// What the person is told after a signup was received. Identical whether or not the e-mail
/// already had an account, so the answer never reveals who has one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupReceived {
    pub next_step: NextStep,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case", try_from = "String", into = "&'static str")]
#[strum(serialize_all = "snake_case")]
pub enum NextStep {
    /// A link was sent to the e-mail address; the signup goes on once it is followed.
    VerifyEmail,
    /// The reseller reviews the signup before the account can be used.
    AwaitApproval,
    /// The account is ready: the person can log in.
    SignIn,
}

json_by_name!(NextStep);

impl NextStep {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl SignupRequest {
    /// Parses the whole form under `rules`, reporting every refused field at once, in form order.
    pub fn validate(&self, rules: FormRules) -> Result<ValidSignup, Vec<FieldError>> {
        let details = self.details().validate(rules.require_address);
        let mut errors = details.as_ref().err().cloned().unwrap_or_default();
        let e = &mut errors;
        let password = keep(e, Field::Password, Password::parse(&self.password));
        let verified = keep(e, Field::VerifyPassword, check_repeated(&self.password, &self.verify_password));
        let license = keep(e, Field::LicenseAccepted, check_license(rules, self.license_accepted));
        errors.sort_by_key(|error| form_position(error.field));
        match (details, password, verified, license) {
            (Ok(details), Some(password), Some(()), Some(())) if errors.is_empty() => {
                // Already accepted as part of the details; parsed again only to carry its type.
                let email =
                    EmailAddress::parse(&details.email).map_err(|code| vec![FieldError::new(Field::Email, code)])?;
                Ok(ValidSignup { details, email, password, language: self.language })
            }
            _ => Err(errors),
        }
    }

    /// The organization and contact part of the form.
    pub fn details(&self) -> DetailsInput {
        DetailsInput {
            company_name: self.company_name.clone(),
            contact_name: self.contact_name.clone(),
            title: self.title.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            country: self.country.clone(),
            street_address: self.street_address.clone(),
            suite: self.suite.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: self.zip.clone(),
        }
    }

    /// The raw text of a field, as the form binds it.
    pub fn value(&self, field: Field) -> &str {
        match field {
            Field::CompanyName => &self.company_name,
            Field::ContactName => &self.contact_name,
            Field::Title => &self.title,
            Field::Phone => &self.phone,
            Field::Country => &self.country,
            Field::StreetAddress => &self.street_address,
            Field::Suite => &self.suite,
            Field::City => &self.city,
            Field::State => &self.state,
            Field::Zip => &self.zip,
            Field::Email => &self.email,
            Field::Password => &self.password,
            Field::VerifyPassword => &self.verify_password,
            // The other fields belong to other forms.
            _ => "",
        }
    }

    /// Sets the raw text of a field.
    pub fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::CompanyName => &mut self.company_name,
            Field::ContactName => &mut self.contact_name,
            Field::Title => &mut self.title,
            Field::Phone => &mut self.phone,
            Field::Country => &mut self.country,
            Field::StreetAddress => &mut self.street_address,
            Field::Suite => &mut self.suite,
            Field::City => &mut self.city,
            Field::State => &mut self.state,
            Field::Zip => &mut self.zip,
            Field::Email => &mut self.email,
            Field::Password => &mut self.password,
            Field::VerifyPassword => &mut self.verify_password,
            // The other fields belong to other forms.
            _ => return,
        };
        *slot = value;
    }

    /// Every refused field, in form order; empty when the signup is acceptable.
    pub fn errors(&self, rules: FormRules) -> Vec<FieldError> {
        self.validate(rules).err().unwrap_or_default()
    }
}

/// Where a field sits on the Signup form; errors are reported in this order.
fn form_position(field: Field) -> usize {
    Field::SIGNUP.iter().position(|f| *f == field).unwrap_or(Field::SIGNUP.len())
}

fn check_license(rules: FormRules, accepted: bool) -> Result<(), Problem> {
    if rules.require_license_acceptance && !accepted {
        Err(Problem::Required)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn filled() -> SignupRequest {
        SignupRequest {
            company_name: "Internal-Legal".into(),
            contact_name: "John Smith".into(),
            title: "Manager".into(),
            phone: "555-555-5555".into(),
            country: "US".into(),
            street_address: "1234 Lane".into(),
            suite: "".into(),
            city: "Anytown".into(),
            state: "Arizona".into(),
            zip: "85001".into(),
            email: "John@customer.com".into(),
            password: "correct horse battery lamp".into(),
            verify_password: "correct horse battery lamp".into(),
            license_accepted: false,
            website: String::new(),
            form_token: String::new(),
            language: Language::En,
        }
    }

    #[test]
    fn the_seed_example_is_accepted() {
        let valid = filled().validate(FormRules::default()).unwrap();
        assert_eq!(valid.email.as_str(), "john@customer.com");
        assert_eq!(valid.details.suite, None);
        assert_eq!(valid.details.title.as_deref(), Some("Manager"));
    }

    #[test]
    fn every_field_reports_its_own_error() {
        type Spoil = fn(&mut SignupRequest);
        let cases: Vec<(Field, Spoil, Problem)> = vec![
            (Field::CompanyName, |r| r.company_name = " ".into(), Problem::Required),
            (Field::CompanyName, |r| r.company_name = "x".repeat(161), Problem::TooLong),
            (Field::ContactName, |r| r.contact_name.clear(), Problem::Required),
            (
                Field::ContactName,
                |r| r.contact_name = "<img src=x onerror=alert(1)>".into(),
                Problem::InvalidCharacters,
            ),
            (Field::Title, |r| r.title = "t".repeat(81), Problem::TooLong),
            (Field::Phone, |r| r.phone.clear(), Problem::Required),
            (Field::Phone, |r| r.phone = "12345".into(), Problem::InvalidFormat),
            (Field::Country, |r| r.country.clear(), Problem::Required),
            (Field::Country, |r| r.country = "ZZ".into(), Problem::UnknownCountry),
            (Field::StreetAddress, |r| r.street_address = "1\u{0007}".into(), Problem::InvalidCharacters),
            (Field::Suite, |r| r.suite = "s".repeat(41), Problem::TooLong),
            (Field::City, |r| r.city = "c".repeat(81), Problem::TooLong),
            (Field::State, |r| r.state = "A\u{202E}Z".into(), Problem::InvalidCharacters),
            (Field::Zip, |r| r.zip = "1234".into(), Problem::InvalidFormat),
            (Field::Email, |r| r.email = "john at customer.com".into(), Problem::InvalidFormat),
            (Field::Email, |r| r.email.clear(), Problem::Required),
            (Field::Password, |r| r.password = "short".into(), Problem::TooShort),
            (Field::Password, |r| r.password = "passwordpassword".into(), Problem::TooCommon),
            (Field::VerifyPassword, |r| r.verify_password.clear(), Problem::Required),
            (Field::VerifyPassword, |r| r.verify_password = "something else entirely".into(), Problem::Mismatch),
        ];
        for (field, spoil, code) in cases {
            let mut request = filled();
            spoil(&mut request);
            let errors = request.validate(FormRules::default()).unwrap_err();
            let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
            // A changed password also breaks Verify password; every other case breaks one field.
            let expected = if field == Field::Password { vec![field, Field::VerifyPassword] } else { vec![field] };
            assert_eq!(fields, expected, "{field:?}");
            assert_eq!(errors[0].code, code, "{field:?}");
        }
    }

    #[test]
    fn the_postal_code_follows_the_country() {
        let mut request = filled();
        request.country = "GB".into();
        request.phone = "+44 20 7946 0958".into();
        request.zip = "SW1A 1AA".into();
        assert!(request.validate(FormRules::default()).is_ok());
        request.country = "US".into();
        let fields: Vec<Field> = request.errors(FormRules::default()).iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Phone, Field::Zip]);
    }

    #[test]
    fn the_resellers_rules_can_require_the_address_and_the_license() {
        let rules = FormRules { require_address: true, require_license_acceptance: true };
        let mut request = filled();
        request.street_address.clear();
        request.city.clear();
        request.state.clear();
        request.zip.clear();
        let fields: Vec<Field> = request.errors(rules).iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::StreetAddress, Field::City, Field::State, Field::Zip, Field::LicenseAccepted]);
        // Outside the countries whose formats Portico knows, State and Zip stay optional.
        request.country = "IE".into();
        request.phone = "+353 1 234 5678".into();
        request.street_address = "1 Main Street".into();
        request.city = "Dublin".into();
        request.license_accepted = true;
        assert!(request.validate(rules).is_ok());
        assert!(filled().validate(FormRules::default()).is_ok());
    }

    #[test]
    fn an_empty_body_lists_every_required_field() {
        let fields: Vec<Field> =
            SignupRequest::default().errors(FormRules::default()).iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::CompanyName,
                Field::ContactName,
                Field::Phone,
                Field::Country,
                Field::Email,
                Field::Password,
                Field::VerifyPassword
            ]
        );
    }

    #[test]
    fn set_and_value_address_the_same_field() {
        let mut request = SignupRequest::default();
        for (i, field) in Field::SIGNUP.into_iter().enumerate() {
            request.set(field, format!("value {i}"));
        }
        for (i, field) in Field::SIGNUP.into_iter().enumerate() {
            assert_eq!(request.value(field), format!("value {i}"));
        }
    }

    #[test]
    fn the_hidden_field_gives_robots_away() {
        assert!(!filled().filled_hidden_field());
        assert!(SignupRequest { website: "http://spam.example".into(), ..filled() }.filled_hidden_field());
    }

    #[test]
    fn debug_never_prints_the_password() {
        let shown = format!("{:?}", filled());
        assert!(!shown.contains("horse"), "{shown}");
    }

    /// 100,000 signup bodies as the API receives them (JSON of any shape, fields of any type):
    /// never a panic; a body that is read and validated is a complete signup whose e-mail and
    /// password pass their own rules.
    #[test]
    fn fuzz_signup_bodies() {
        use proptest::prelude::*;
        let names: &'static [&'static str] = &[
            "company_name",
            "contact_name",
            "title",
            "phone",
            "country",
            "street_address",
            "suite",
            "city",
            "state",
            "zip",
            "email",
            "password",
            "verify_password",
            "license_accepted",
            "website",
            "form_token",
            "language",
        ];
        let pieces =
            &["Acme", "US", "CA", "94105", "555-555-5555", "a@b.co", "lantern orchard velvet ribbon", "en", "es", ""];
        let value = prop_oneof![
            6 => crate::fuzzing::text(pieces, 4).prop_map(serde_json::Value::from),
            1 => any::<bool>().prop_map(serde_json::Value::from),
            1 => any::<i64>().prop_map(serde_json::Value::from),
            1 => Just(serde_json::Value::Null),
            1 => Just(serde_json::json!([])),
        ];
        let fields = proptest::collection::vec((proptest::sample::select(names), value), 0..5);
        let strategy = (fields, any::<bool>(), any::<bool>(), "\\PC{0,12}");
        crate::fuzzing::run(
            "signup bodies",
            strategy,
            |(fields, require_address, require_license_acceptance, extra)| {
                let mut body = serde_json::Map::new();
                // Most bodies start complete and valid, so the validation is reached as well as the decoding.
                for (name, value) in [
                    ("company_name", "Acme"),
                    ("contact_name", "Jo Doe"),
                    ("title", ""),
                    ("phone", "555-555-5555"),
                    ("country", "US"),
                    ("street_address", ""),
                    ("suite", ""),
                    ("city", ""),
                    ("state", ""),
                    ("zip", ""),
                    ("email", "jo@acme.test"),
                    ("password", "lantern orchard velvet ribbon"),
                    ("verify_password", "lantern orchard velvet ribbon"),
                    ("website", ""),
                    ("form_token", "t"),
                    ("language", "en"),
                ] {
                    body.insert(name.into(), value.into());
                }
                body.insert("license_accepted".into(), true.into());
                for (name, value) in fields {
                    body.insert(name.into(), value);
                }
                body.insert(extra, serde_json::Value::Null);
                let bytes = serde_json::to_vec(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let Ok(request) = serde_json::from_slice::<SignupRequest>(&bytes) else { return Ok(false) };
                let rules = FormRules { require_address, require_license_acceptance };
                let Ok(valid) = request.validate(rules) else { return Ok(false) };
                prop_assert!(crate::email::EmailAddress::parse(valid.email.as_str()).is_ok());
                prop_assert!(crate::password::Password::parse(valid.password.expose()).is_ok());
                prop_assert!(!valid.details.organization.trim().is_empty());
                Ok(true)
            },
        );
    }
}
