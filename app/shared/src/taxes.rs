//! Taxes: the reseller's tax rates (Settings → Tax rates) and each customer's tax profile (the
//! Taxes tab). A rate carries the name printed on invoices; a rate once used by a customer is
//! retired rather than deleted, so every invoice that printed it can still name it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::countries;
use crate::dates::Day;
use crate::forms::{choice, required_text, text, ticked, Refusals};
use crate::ids::TaxRateId;
use crate::money::Percent;
use crate::text::NAME_MAX;
use crate::Field;

/// The longest region, postal code, tax id or certificate number.
const CODE_MAX: usize = 50;

/// One of the reseller's tax rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    pub id: TaxRateId,
    pub settings: ValidTaxRate,
    /// The day it stopped applying; a retired rate is kept for the invoices that printed it.
    pub retired_on: Option<Day>,
    /// Whether a customer has ever had it: then it can only be retired, never changed or deleted.
    pub used: bool,
    pub version: i64,
}

impl ValidTaxRate {
    /// "Ontario HST 13% (CA, ON)".
    pub fn label(&self) -> String {
        let place: Vec<&str> = [Some(self.country.as_str()), self.region.as_deref(), self.postal_code.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        format!("{} {} ({})", self.name, self.rate, place.join(", "))
    }

    /// The rate as its form shows it, to edit.
    pub fn to_input(&self) -> TaxRateInput {
        TaxRateInput {
            name: self.name.clone(),
            country: self.country.clone(),
            region: self.region.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone().unwrap_or_default(),
            rate: String::from(self.rate),
            valid_from: self.valid_from.to_string(),
        }
    }
}

/// A tax rate as its form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxRateInput {
    pub name: String,
    pub country: String,
    pub region: String,
    pub postal_code: String,
    pub rate: String,
    pub valid_from: String,
}

/// What a tax rate is: it passed every check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidTaxRate {
    /// Printed on invoices, such as "Ontario HST".
    pub name: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub rate: Percent,
    pub valid_from: Day,
}

impl TaxRateInput {
    pub fn validate(&self) -> Result<ValidTaxRate, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let name = refused.keep(required_text(Field::Name, &self.name, NAME_MAX));
        let country = self.country.trim().to_ascii_uppercase();
        let country = refused.keep(match countries::name(&country) {
            Some(_) => Ok(country),
            None => Err(FieldError::new(Field::Country, Problem::UnknownCountry)),
        });
        let region = refused.keep(text(Field::Region, &self.region, CODE_MAX, false));
        let postal_code = refused.keep(text(Field::PostalCode, &self.postal_code, CODE_MAX, false));
        let rate = refused.keep(Percent::parse(&self.rate).map_err(|code| FieldError::new(Field::Rate, code)));
        let valid_from =
            refused.keep(Day::parse(&self.valid_from).map_err(|code| FieldError::new(Field::ValidFrom, code)));
        let rate = (|| {
            Some(ValidTaxRate {
                name: name?,
                country: country?,
                region: region?,
                postal_code: postal_code?,
                rate: rate?,
                valid_from: valid_from?,
            })
        })();
        refused.finish(rate)
    }
}

/// Whether a customer pays the taxes of its rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ExemptionKind {
    None,
    /// Exempt, on a certificate with a number and an expiry.
    Exempt,
    /// The customer accounts for the tax itself (EU B2B); its tax id goes on the invoice.
    ReverseCharge,
}

impl ExemptionKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            ExemptionKind::None => "None",
            ExemptionKind::Exempt => "Exempt",
            ExemptionKind::ReverseCharge => "Reverse charge",
        }
    }
}

/// The customer's exemption, with its certificate when exempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Exemption {
    None,
    Exempt { certificate_number: String, expires_on: Day },
    ReverseCharge,
}

impl Exemption {
    pub fn kind(&self) -> ExemptionKind {
        match self {
            Exemption::None => ExemptionKind::None,
            Exemption::Exempt { .. } => ExemptionKind::Exempt,
            Exemption::ReverseCharge => ExemptionKind::ReverseCharge,
        }
    }

    /// "Exempt (certificate EX-1, expires 2027-06-30)".
    pub fn describe(&self) -> String {
        match self {
            Exemption::Exempt { certificate_number, expires_on } => {
                format!("Exempt (certificate {certificate_number}, expires {expires_on})")
            }
            other => other.kind().label().to_owned(),
        }
    }
}

/// A customer's tax profile: the rates that apply, its tax id, its exemption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxProfile {
    pub rates: Vec<TaxRateId>,
    pub tax_id: Option<String>,
    pub exemption: Exemption,
    /// 0 until first saved.
    pub version: i64,
}

impl Default for TaxProfile {
    fn default() -> Self {
        TaxProfile { rates: Vec::new(), tax_id: None, exemption: Exemption::None, version: 0 }
    }
}

/// The Taxes tab's form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxProfileInput {
    /// Ticked rates, as `rates[<id>]=true`.
    pub rates: BTreeMap<String, String>,
    pub tax_id: String,
    pub exemption: String,
    pub certificate_number: String,
    pub certificate_expiry: String,
}

impl TaxProfileInput {
    /// Checks the form against the reseller's rates (`offered`: in force, or already the
    /// customer's) on `today`: an exemption needs its certificate, unexpired; reverse charge needs
    /// the customer's tax id.
    pub fn validate(&self, offered: &[TaxRateId], today: Day) -> Result<TaxProfile, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let rates: Option<Vec<TaxRateId>> =
            ticked(&self.rates).map(|id| offered.iter().find(|rate| rate.as_str() == id).cloned()).collect();
        let rates = refused.keep(rates.ok_or_else(|| FieldError::new(Field::TaxRates, Problem::InvalidFormat)));
        let tax_id = refused.keep(text(Field::TaxId, &self.tax_id, CODE_MAX, false));
        let kind = refused.keep(choice::<ExemptionKind>(Field::Exemption, &self.exemption));
        let exemption = match kind {
            Some(ExemptionKind::None) => Some(Exemption::None),
            Some(ExemptionKind::ReverseCharge) => {
                if matches!(tax_id, Some(None)) {
                    refused.refuse(Field::TaxId, Problem::Required);
                }
                Some(Exemption::ReverseCharge)
            }
            Some(ExemptionKind::Exempt) => {
                let number = refused.keep(required_text(Field::CertificateNumber, &self.certificate_number, CODE_MAX));
                let expiry = Day::parse(&self.certificate_expiry)
                    .map_err(|code| FieldError::new(Field::CertificateExpiry, code))
                    .and_then(|day| {
                        if day < today {
                            Err(FieldError::new(Field::CertificateExpiry, Problem::Mismatch))
                        } else {
                            Ok(day)
                        }
                    });
                let expiry = refused.keep(expiry);
                number
                    .zip(expiry)
                    .map(|(certificate_number, expires_on)| Exemption::Exempt { certificate_number, expires_on })
            }
            None => None,
        };
        let profile = (|| Some(TaxProfile { rates: rates?, tax_id: tax_id?, exemption: exemption?, version: 0 }))();
        refused.finish(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> Day {
        Day::parse(raw).unwrap()
    }

    fn refused<T: std::fmt::Debug>(result: Result<T, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_rate_is_named_placed_and_exact() {
        let input = TaxRateInput {
            name: " Ontario HST ".into(),
            country: "ca".into(),
            region: "ON".into(),
            rate: "13".into(),
            valid_from: "2026-01-01".into(),
            ..TaxRateInput::default()
        };
        let rate = input.validate().unwrap();
        assert_eq!(
            (rate.name.as_str(), rate.country.as_str(), rate.rate.to_string()),
            ("Ontario HST", "CA", "13%".into())
        );
        let precise = TaxRateInput { rate: "8.875".into(), ..input.clone() }.validate().unwrap();
        assert_eq!(String::from(precise.rate), "8.875");
        assert_eq!(
            refused(TaxRateInput::default().validate()),
            vec![
                (Field::Name, Problem::Required),
                (Field::Country, Problem::UnknownCountry),
                (Field::Rate, Problem::Required),
                (Field::ValidFrom, Problem::Required),
            ]
        );
        for (rate, code) in
            [("8.87501", Problem::InvalidFormat), ("101", Problem::TooLong), ("-1", Problem::InvalidFormat)]
        {
            assert_eq!(
                refused(TaxRateInput { rate: rate.into(), ..input.clone() }.validate()),
                vec![(Field::Rate, code)]
            );
        }
        assert_eq!(
            refused(TaxRateInput { valid_from: "2026-02-30".into(), region: "<b>".into(), ..input }.validate()),
            vec![(Field::Region, Problem::InvalidCharacters), (Field::ValidFrom, Problem::InvalidFormat)]
        );
    }

    #[test]
    fn a_profile_needs_its_certificate_or_its_tax_id() {
        let offered = [TaxRateId("txr_1".into())];
        let today = day("2026-12-06");
        let form = |exemption: &str| TaxProfileInput {
            rates: [("txr_1".to_owned(), "true".to_owned()), ("txr_2".to_owned(), "false".to_owned())].into(),
            exemption: exemption.into(),
            ..TaxProfileInput::default()
        };
        let profile = form("none").validate(&offered, today).unwrap();
        assert_eq!((profile.rates, profile.exemption), (offered.to_vec(), Exemption::None));
        assert_eq!(refused(form("reverse_charge").validate(&offered, today)), vec![(Field::TaxId, Problem::Required)]);
        let with_id = TaxProfileInput { tax_id: "DE123456789".into(), ..form("reverse_charge") };
        assert_eq!(with_id.validate(&offered, today).unwrap().exemption, Exemption::ReverseCharge);
        assert_eq!(
            refused(form("exempt").validate(&offered, today)),
            vec![(Field::CertificateNumber, Problem::Required), (Field::CertificateExpiry, Problem::Required)]
        );
        let expired = TaxProfileInput {
            certificate_number: "EX-1".into(),
            certificate_expiry: "2026-12-05".into(),
            ..form("exempt")
        };
        assert_eq!(refused(expired.validate(&offered, today)), vec![(Field::CertificateExpiry, Problem::Mismatch)]);
        let foreign = TaxProfileInput { rates: [("txr_9".to_owned(), "true".to_owned())].into(), ..form("none") };
        assert_eq!(refused(foreign.validate(&offered, today)), vec![(Field::TaxRates, Problem::InvalidFormat)]);
        assert_eq!(refused(form("zero").validate(&offered, today)), vec![(Field::Exemption, Problem::InvalidFormat)]);
    }
}
