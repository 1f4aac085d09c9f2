//! Credits: an append-only ledger per customer. A credit "can be added but not subtracted": the
//! reseller grants one (amount, currency, reason, optional expiry, comment), and the only way to
//! correct a grant is its reversal, once, with a reason. Nothing is edited or deleted. The
//! balance in each currency is what the grants in force add up to; invoices draw on it.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::api::{FieldError, Problem};
use crate::dates::Day;
use crate::forms::{self, amount, required_text, Refusals};
use crate::ids::CreditId;
use crate::money::{Currency, Money};
use crate::text::clean_multiline;
use crate::Field;

/// The longest reason, printed on the invoice that uses the credit.
const REASON_MAX: usize = 200;
/// The longest comment, for the reseller's team only.
const COMMENT_MAX: usize = 1000;

/// A grant adds to the balance; a reversal takes one grant back whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EntryKind {
    Grant,
    Reversal,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditEntry {
    pub id: CreditId,
    pub kind: EntryKind,
    pub amount: Money,
    pub reason: String,
    pub expires_on: Option<Day>,
    pub comment: String,
    /// A reversal: the grant it takes back.
    pub reverses: Option<CreditId>,
    /// A grant: whether it was reversed.
    pub reversed: bool,
    /// When it was written (ms) and by whom.
    pub at: i64,
    pub by: String,
    /// A grant: the minor units invoices drew from it (`credit_uses`).
    pub used: i64,
}

impl CreditEntry {
    /// A grant that still counts towards the balance on `today`.
    pub fn in_force(&self, today: Day) -> bool {
        self.kind == EntryKind::Grant && !self.reversed && self.expires_on.is_none_or(|day| day >= today)
    }
}

/// What the grants in force have left (granted less what invoices used), per currency, in the ledger's order of first appearance.
pub fn balances(ledger: &[CreditEntry], today: Day) -> Vec<Money> {
    let mut totals: Vec<Money> = Vec::new();
    for entry in ledger.iter().filter(|entry| entry.in_force(today)) {
        match totals.iter_mut().find(|total| total.currency == entry.amount.currency) {
            Some(total) => total.minor += entry.amount.minor - entry.used,
            None => totals.push(Money::new(entry.amount.minor - entry.used, entry.amount.currency)),
        }
    }
    totals
}

/// The Grant credit form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrantInput {
    pub amount: String,
    pub currency: String,
    pub reason: String,
    pub expires_on: String,
    pub comment: String,
}

/// A grant that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidGrant {
    pub amount: Money,
    pub reason: String,
    pub expires_on: Option<Day>,
    pub comment: String,
}

impl GrantInput {
    /// An amount above zero in a currency of the list, a reason, an expiry still to come on
    /// `today` if any.
    pub fn validate(&self, today: Day) -> Result<ValidGrant, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let currency: Option<Currency> = refused.keep(forms::currency(&self.currency));
        let minor = currency.and_then(|currency| {
            refused.keep(amount(Field::Amount, &self.amount, currency).and_then(|minor| {
                if minor == 0 {
                    Err(FieldError::new(Field::Amount, Problem::TooShort))
                } else {
                    Ok(minor)
                }
            }))
        });
        let reason = refused.keep(required_text(Field::Reason, &self.reason, REASON_MAX));
        let expires_on = match self.expires_on.trim() {
            "" => Some(None),
            raw => {
                refused.keep(Day::parse(raw).map_err(|code| FieldError::new(Field::ExpiresOn, code)).and_then(|day| {
                    if day <= today {
                        Err(FieldError::new(Field::ExpiresOn, Problem::Mismatch))
                    } else {
                        Ok(Some(day))
                    }
                }))
            }
        };
        let comment = refused
            .keep(clean_multiline(&self.comment, COMMENT_MAX).map_err(|code| FieldError::new(Field::Comment, code)));
        let grant = (|| {
            Some(ValidGrant {
                amount: Money::new(minor?, currency?),
                reason: reason?,
                expires_on: expires_on?,
                comment: comment?,
            })
        })();
        refused.finish(grant)
    }
}

/// Why a grant is reversed: required, printed in the ledger.
pub fn reversal_reason(raw: &str) -> Result<String, Vec<FieldError>> {
    required_text(Field::Reason, raw, REASON_MAX).map_err(|error| vec![error])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> Day {
        Day::parse(raw).unwrap()
    }

    fn refused(input: GrantInput) -> Vec<(Field, Problem)> {
        input.validate(day("2026-12-06")).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn grant() -> GrantInput {
        GrantInput {
            amount: "250.00".into(),
            currency: "EUR".into(),
            reason: "Outage on 3 December".into(),
            ..GrantInput::default()
        }
    }

    #[test]
    fn a_grant_is_an_exact_positive_amount_with_a_reason() {
        let valid = grant().validate(day("2026-12-06")).unwrap();
        assert_eq!(valid.amount, Money::new(25_000, Currency::parse("EUR").unwrap()));
        assert_eq!(
            refused(GrantInput::default()),
            vec![(Field::Currency, Problem::InvalidFormat), (Field::Reason, Problem::Required)]
        );
        assert_eq!(refused(GrantInput { amount: "0".into(), ..grant() }), vec![(Field::Amount, Problem::TooShort)]);
        assert_eq!(
            refused(GrantInput { amount: "-5".into(), ..grant() }),
            vec![(Field::Amount, Problem::InvalidFormat)]
        );
        assert_eq!(
            refused(GrantInput { amount: "1.005".into(), ..grant() }),
            vec![(Field::Amount, Problem::InvalidFormat)]
        );
        assert_eq!(refused(GrantInput { amount: String::new(), ..grant() }), vec![(Field::Amount, Problem::Required)]);
        assert_eq!(
            refused(GrantInput { expires_on: "2026-12-06".into(), ..grant() }),
            vec![(Field::ExpiresOn, Problem::Mismatch)]
        );
        assert_eq!(
            refused(GrantInput { comment: "a\u{0}".into(), reason: "x".repeat(201), ..grant() }),
            vec![(Field::Reason, Problem::TooLong), (Field::Comment, Problem::InvalidCharacters)]
        );
    }

    #[test]
    fn the_balance_counts_grants_in_force_per_currency() {
        let usd = Currency::USD;
        let entry = |minor, expires: Option<&str>, reversed| CreditEntry {
            id: CreditId("crd_x".into()),
            kind: EntryKind::Grant,
            amount: Money::new(minor, usd),
            reason: "r".into(),
            expires_on: expires.map(day),
            comment: String::new(),
            reverses: None,
            reversed,
            at: 0,
            by: String::new(),
            used: 0,
        };
        let eur = CreditEntry { amount: Money::new(700, Currency::parse("EUR").unwrap()), ..entry(0, None, false) };
        let ledger = [
            entry(10_000, None, false),
            entry(2_500, Some("2026-12-06"), false),
            entry(99_999, Some("2026-12-05"), false),
            entry(5_000, None, true),
            CreditEntry { used: 1_000, ..entry(1_000, None, false) },
            eur.clone(),
        ];
        assert_eq!(balances(&ledger, day("2026-12-06")), vec![Money::new(12_500, usd), eur.amount]);
        assert!(balances(&[], day("2026-12-06")).is_empty());
    }
}
