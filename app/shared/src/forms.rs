//! What every commercial form's check shares: refusals collected field by field (so the person
//! sees every problem at once), choices of a list, bounded text, ticked boxes, and money typed in
//! a currency.

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::api::{FieldError, Problem};
use crate::money::{Currency, Money};
use crate::text::clean;
use crate::Field;

/// The refused fields of one form, in the order they were checked.
#[derive(Default)]
pub(crate) struct Refusals(Vec<FieldError>);

impl Refusals {
    /// The value, or `None` with its refusal kept.
    pub fn keep<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|error| self.0.push(error)).ok()
    }

    pub fn refuse(&mut self, field: Field, code: Problem) {
        self.0.push(FieldError::new(field, code));
    }

    /// `value` when nothing was refused, every refusal otherwise.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}

/// Reads a choice of a list, refused on `field` when it is not one.
pub(crate) fn choice<T: FromStr>(field: Field, raw: &str) -> Result<T, FieldError> {
    raw.trim().parse().map_err(|_| FieldError::new(field, Problem::InvalidFormat))
}

/// Free text of at most `max` characters; `None` when an optional one is left empty.
pub(crate) fn text(field: Field, raw: &str, max: usize, required: bool) -> Result<Option<String>, FieldError> {
    clean(raw, max, required).map_err(|code| FieldError::new(field, code))
}

/// Text that must be given.
pub(crate) fn required_text(field: Field, raw: &str, max: usize) -> Result<String, FieldError> {
    text(field, raw, max, true)?.ok_or_else(|| FieldError::new(field, Problem::Required))
}

/// The keys of the boxes ticked in a group sent as `name[key]=true`.
pub(crate) fn ticked(boxes: &BTreeMap<String, String>) -> impl Iterator<Item = &str> {
    boxes.iter().filter(|(_, on)| on.as_str() == "true").map(|(key, _)| key.as_str())
}

/// A currency chosen from the list.
pub(crate) fn currency(raw: &str) -> Result<Currency, FieldError> {
    Currency::parse(raw).map_err(|_| FieldError::new(Field::Currency, Problem::InvalidFormat))
}

/// An amount typed in `currency`, in minor units.
pub(crate) fn amount(field: Field, raw: &str, currency: Currency) -> Result<i64, FieldError> {
    Money::parse(raw, currency).map(|money| money.minor).map_err(|code| FieldError::new(field, code))
}

/// An amount that may be left empty.
pub(crate) fn optional_amount(field: Field, raw: &str, currency: Currency) -> Result<Option<i64>, FieldError> {
    match raw.trim() {
        "" => Ok(None),
        typed => amount(field, typed, currency).map(Some),
    }
}
