//! A customer's organization and primary contact: what the widget's Signup form and the portal's
//! Add and Customer information forms have in common, checked by one set of rules.

use serde::{Deserialize, Serialize};

use crate::api::{FieldError, Problem};
use crate::countries;
use crate::email::EmailAddress;
use crate::regional::{has_postal_format, has_subdivisions, parse_phone, parse_postal_code, parse_state};
use crate::text;
use crate::Field;

const NAME_MAX: usize = 120;
const TITLE_MAX: usize = 80;
const ORGANIZATION_MAX: usize = 160;
const STREET_MAX: usize = 160;
const SUITE_MAX: usize = 40;
const CITY_MAX: usize = 80;

/// The details as typed; missing fields read as empty. The field names are those of
/// [`Field::name`], so a form posts them as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    pub company_name: String,
    pub contact_name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub country: String,
    pub street_address: String,
    pub suite: String,
    pub city: String,
    pub state: String,
    pub zip: String,
}

/// Details that passed every rule: the only shape the server stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub organization: String,
    pub contact_name: String,
    pub title: Option<String>,
    pub email: String,
    pub phone: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub street_address: Option<String>,
    pub suite: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

impl CustomerDetails {
    /// The details as a form shows them for editing.
    pub fn to_input(&self) -> DetailsInput {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        DetailsInput {
            company_name: self.organization.clone(),
            contact_name: self.contact_name.clone(),
            title: text(&self.title),
            email: self.email.clone(),
            phone: self.phone.clone(),
            country: self.country.clone(),
            street_address: text(&self.street_address),
            suite: text(&self.suite),
            city: text(&self.city),
            state: text(&self.state),
            zip: text(&self.zip),
        }
    }

    /// The organization as the "Organization A–Z" order compares it.
    pub fn organization_key(&self) -> String {
        self.organization.to_lowercase()
    }

    /// The address on one line, as lists show it; empty when none was given.
    pub fn address_line(&self) -> String {
        [&self.street_address, &self.suite, &self.city, &self.state, &self.zip]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(countries::name(&self.country))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl DetailsInput {
    /// The raw text of a field, as a form shows it; empty for fields that are not details.
    pub fn value(&self, field: Field) -> &str {
        match field {
            Field::CompanyName => &self.company_name,
            Field::ContactName => &self.contact_name,
            Field::Title => &self.title,
            Field::Email => &self.email,
            Field::Phone => &self.phone,
            Field::Country => &self.country,
            Field::StreetAddress => &self.street_address,
            Field::Suite => &self.suite,
            Field::City => &self.city,
            Field::State => &self.state,
            Field::Zip => &self.zip,
            _ => "",
        }
    }

    /// Checks every field, reporting each refused one. `require_address` makes Street Address and
    /// City required, and State and Zip too where Portico knows the country's list of states and
    /// the shape of its postal codes.
    pub fn validate(&self, require_address: bool) -> Result<CustomerDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let country = self.country.trim();
        let organization = keep(e, Field::CompanyName, text::clean(&self.company_name, ORGANIZATION_MAX, true));
        let contact_name = keep(e, Field::ContactName, text::clean(&self.contact_name, NAME_MAX, true));
        let title = keep(e, Field::Title, text::clean(&self.title, TITLE_MAX, false));
        let email = keep(e, Field::Email, EmailAddress::parse(&self.email));
        let phone = keep(e, Field::Phone, parse_phone(&self.phone, country));
        let country_known = keep(e, Field::Country, check_country(country));
        let street_address =
            keep(e, Field::StreetAddress, text::clean(&self.street_address, STREET_MAX, require_address));
        let suite = keep(e, Field::Suite, text::clean(&self.suite, SUITE_MAX, false));
        let city = keep(e, Field::City, text::clean(&self.city, CITY_MAX, require_address));
        let state =
            keep(e, Field::State, parse_state(&self.state, country, require_address && has_subdivisions(country)));
        let zip =
            keep(e, Field::Zip, parse_postal_code(&self.zip, country, require_address && has_postal_format(country)));
        match (organization, contact_name, title, email, phone, country_known, street_address, suite, city, state, zip)
        {
            (
                Some(Some(organization)),
                Some(Some(contact_name)),
                Some(title),
                Some(email),
                Some(phone),
                Some(()),
                Some(street_address),
                Some(suite),
                Some(city),
                Some(state),
                Some(zip),
            ) if errors.is_empty() => Ok(CustomerDetails {
                organization,
                contact_name,
                title,
                email: email.as_str().to_owned(),
                phone,
                country: country.to_owned(),
                street_address,
                suite,
                city,
                state,
                zip,
            }),
            _ => Err(errors),
        }
    }
}

/// The value of a field that passed, or `None` after recording why it did not.
pub(crate) fn keep<T>(errors: &mut Vec<FieldError>, field: Field, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|code| errors.push(FieldError::new(field, code))).ok()
}

fn check_country(code: &str) -> Result<(), Problem> {
    match countries::name(code) {
        Some(_) => Ok(()),
        None if code.is_empty() => Err(Problem::Required),
        None => Err(Problem::UnknownCountry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's example customer.
    fn filled() -> DetailsInput {
        DetailsInput {
            company_name: "Internal-Legal".into(),
            contact_name: "John Smith".into(),
            title: "Manager".into(),
            email: "John@customer.com".into(),
            phone: "555-555-5555".into(),
            country: "US".into(),
            street_address: "1234 Lane".into(),
            suite: "".into(),
            city: "Anytown".into(),
            state: "Arizona".into(),
            zip: "85001".into(),
        }
    }

    #[test]
    fn the_seed_example_is_accepted_and_round_trips() {
        let details = filled().validate(true).unwrap();
        assert_eq!(details.email, "john@customer.com");
        assert_eq!(details.suite, None);
        assert_eq!(details.address_line(), "1234 Lane, Anytown, Arizona, 85001, United States");
        assert_eq!(details.to_input().validate(true).unwrap(), details);
    }

    #[test]
    fn each_field_reports_its_own_error_in_form_order() {
        let input = DetailsInput {
            company_name: " ".into(),
            email: "nope".into(),
            phone: "12".into(),
            country: "ZZ".into(),
            zip: "1".into(),
            ..filled()
        };
        let errors = input.validate(false).unwrap_err();
        let found: Vec<(Field, Problem)> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            found,
            vec![
                (Field::CompanyName, Problem::Required),
                (Field::Email, Problem::InvalidFormat),
                (Field::Phone, Problem::InvalidFormat),
                (Field::Country, Problem::UnknownCountry),
            ]
        );
    }

    #[test]
    fn the_address_is_required_only_when_asked() {
        let bare =
            DetailsInput { street_address: "".into(), city: "".into(), state: "".into(), zip: "".into(), ..filled() };
        assert!(bare.validate(false).is_ok());
        let fields: Vec<Field> = bare.validate(true).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::StreetAddress, Field::City, Field::State, Field::Zip]);
    }
}
