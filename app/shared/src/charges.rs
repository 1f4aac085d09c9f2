//! Charges and discounts: the rules that set what a customer pays on top of (or off) their cloud
//! usage. A rule is a charge or a discount; it gives a fixed amount, a percent of the base, or a
//! tiered (graduated) sum over the base, each tier a percent of the part of the base in its range
//! or an amount once the base reaches it, as AWS prices its support plans; a minimum and a
//! maximum apply after. The base is the customer cost or the seller cost of the usage. A rule
//! applies to the customer as a whole or to chosen cloud accounts, once or monthly, from a start
//! month to an optional end month, with the description printed on the invoice.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::dates::Month;
use crate::forms::{self, amount, choice, optional_amount, required_text, ticked, Refusals};
use crate::ids::{ChargeRuleId, CloudAccountId, SupportPlanId};
use crate::money::{round, Currency, Money, Percent};
use crate::Field;

/// The most tiers a rule has.
const MAX_TIERS: usize = 10;
/// The longest description printed on an invoice.
const DESCRIPTION_MAX: usize = 200;

/// Whether a rule adds to the bill or takes off it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RuleKind {
    Charge,
    Discount,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            RuleKind::Charge => "Charge",
            RuleKind::Discount => "Discount",
        }
    }
}

/// Which cost of the cloud usage a rule is reckoned on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Base {
    /// What the customer pays for the usage (list price).
    CustomerCost,
    /// What the reseller pays for it.
    SellerCost,
}

impl Base {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            Base::CustomerCost => "Customer cost",
            Base::SellerCost => "Seller cost",
        }
    }
}

/// How often a rule applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Recurrence {
    /// In its start month only.
    OneTime,
    /// Every month from its start month to its end month, if any.
    Monthly,
}

impl Recurrence {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            Recurrence::OneTime => "One-time",
            Recurrence::Monthly => "Monthly",
        }
    }
}

/// What a tier gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierValue {
    /// This percent of the part of the base in the tier's range.
    Percent(Percent),
    /// This amount (minor units), once the base reaches into the tier's range.
    Amount(i64),
}

/// One tier: its upper bound (minor units; the last tier has none) and what it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub up_to: Option<i64>,
    pub value: TierValue,
}

/// How a rule's amount is reckoned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calculation {
    /// This amount (minor units), whatever the base.
    Fixed(i64),
    Percent(Percent),
    Tiered(Vec<Tier>),
}

impl Calculation {
    pub fn name(&self) -> &'static str {
        match self {
            Calculation::Fixed(_) => "fixed",
            Calculation::Percent(_) => "percent",
            Calculation::Tiered(_) => "tiered",
        }
    }
}

/// What a rule gives on a base: the calculation, then the minimum and the maximum, in a currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub calculation: Calculation,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub currency: Currency,
}

impl Terms {
    /// The exact amount on a base of `base` minor units (usage costs are kept exact until the
    /// invoice rounds): the calculation, raised to the minimum, lowered to the maximum. A
    /// negative base (credits outweighing usage) counts as none.
    pub fn exact_on(&self, base: Decimal) -> Decimal {
        let base = base.max(Decimal::ZERO);
        let calculated = match &self.calculation {
            Calculation::Fixed(amount) => Decimal::from(*amount),
            Calculation::Percent(percent) => percent.of(base),
            Calculation::Tiered(tiers) => {
                let mut total = Decimal::ZERO;
                let mut below = Decimal::ZERO;
                for tier in tiers {
                    // Tiers above the base give nothing, amounts included.
                    if base <= below {
                        break;
                    }
                    let top = tier.up_to.map_or(base, |bound| Decimal::from(bound).min(base));
                    total += match tier.value {
                        TierValue::Percent(percent) => percent.of(top - below),
                        TierValue::Amount(amount) => Decimal::from(amount),
                    };
                    match tier.up_to {
                        Some(bound) => below = Decimal::from(bound),
                        None => break,
                    }
                }
                total
            }
        };
        let floored = self.minimum.map_or(calculated, |minimum| calculated.max(Decimal::from(minimum)));
        self.maximum.map_or(floored, |maximum| floored.min(Decimal::from(maximum)))
    }

    /// What the rule gives on `base`, rounded to the minor unit.
    pub fn on(&self, base: Money) -> Money {
        Money::new(round(self.exact_on(base.exact())), self.currency)
    }

    /// Whether the rule gives nothing whatever the base (AWS Basic support).
    fn is_free(&self) -> bool {
        let zero = match &self.calculation {
            Calculation::Fixed(amount) => *amount == 0,
            Calculation::Percent(percent) => percent.value().is_zero(),
            Calculation::Tiered(tiers) => tiers.iter().all(|tier| match tier.value {
                TierValue::Percent(percent) => percent.value().is_zero(),
                TierValue::Amount(amount) => amount == 0,
            }),
        };
        zero && self.minimum.unwrap_or(0) == 0
    }

    /// In words: "Greater of $100 or 10% of the first $10,000, 7% up to $80,000, … and 3% above".
    pub fn describe(&self) -> String {
        if self.is_free() {
            return "Included at no charge".into();
        }
        let money = |minor: i64| Money::new(minor, self.currency).format_brief();
        let calculated = match &self.calculation {
            Calculation::Fixed(amount) => money(*amount),
            Calculation::Percent(percent) => format!("{percent} of the base"),
            Calculation::Tiered(tiers) => {
                let words: Vec<String> = tiers
                    .iter()
                    .enumerate()
                    .map(|(n, tier)| {
                        let value = match tier.value {
                            TierValue::Percent(percent) => percent.to_string(),
                            TierValue::Amount(amount) => money(amount),
                        };
                        match tier.up_to {
                            Some(bound) if n == 0 => format!("{value} of the first {}", money(bound)),
                            Some(bound) => format!("{value} up to {}", money(bound)),
                            None if tiers.len() == 1 => format!("{value} of the base"),
                            None => format!("{value} above"),
                        }
                    })
                    .collect();
                match words.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                    Some((last, _)) => last.clone(),
                    None => String::new(),
                }
            }
        };
        let mut words = match self.minimum.filter(|minimum| *minimum > 0) {
            Some(minimum) => format!("Greater of {} or {calculated}", money(minimum)),
            None => calculated,
        };
        if let Some(maximum) = self.maximum {
            words.push_str(&format!(", at most {}", money(maximum)));
        }
        words
    }
}

/// Tiers in their stored form: `UP_TO:VALUE` pairs, comma-separated, ascending, the last with no
/// bound; a value is a percent (`10%`) or an amount in minor units (`5000`).
pub fn store_tiers(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|tier| {
            let bound = tier.up_to.map(|bound| bound.to_string()).unwrap_or_default();
            match tier.value {
                TierValue::Percent(percent) => format!("{bound}:{}%", String::from(percent)),
                TierValue::Amount(amount) => format!("{bound}:{amount}"),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads tiers stored by [`store_tiers`]; `None` when they are not well formed.
pub fn stored_tiers(text: &str) -> Option<Vec<Tier>> {
    let tiers = text
        .split(',')
        .map(|part| {
            let (bound, value) = part.split_once(':')?;
            let up_to = if bound.is_empty() { None } else { Some(bound.parse::<i64>().ok()?) };
            let value = match value.strip_suffix('%') {
                Some(percent) => TierValue::Percent(Percent::parse(percent).ok()?),
                None => TierValue::Amount(value.parse::<i64>().ok().filter(|amount| *amount >= 0)?),
            };
            Some(Tier { up_to, value })
        })
        .collect::<Option<Vec<Tier>>>()?;
    tiers_are_ordered(&tiers).then_some(tiers)
}

/// Ascending bounds above zero, every tier but the last bounded, the last unbounded.
fn tiers_are_ordered(tiers: &[Tier]) -> bool {
    let Some((last, bounded)) = tiers.split_last() else { return false };
    let bounds: Vec<i64> = bounded.iter().filter_map(|tier| tier.up_to).collect();
    last.up_to.is_none()
        && bounds.len() == bounded.len()
        && bounds.first().is_none_or(|first| *first > 0)
        && bounds.windows(2).all(|pair| pair[0] < pair[1])
}

/// A customer's rule, as the Charges and discounts tab lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeRule {
    pub id: ChargeRuleId,
    pub settings: ValidChargeRule,
    /// The support plan it was made from, if any.
    pub template: Option<SupportPlanId>,
    pub version: i64,
}

impl ValidChargeRule {
    /// The rule as its form shows it, to edit.
    pub fn to_input(&self) -> ChargeRuleInput {
        let amount = |minor: Option<i64>| {
            minor.map(|minor| Money::new(minor, self.terms.currency).to_input()).unwrap_or_default()
        };
        let (fixed, percent, tiers) = match &self.terms.calculation {
            Calculation::Fixed(minor) => (amount(Some(*minor)), String::new(), Vec::new()),
            Calculation::Percent(percent) => (String::new(), String::from(*percent), Vec::new()),
            Calculation::Tiered(tiers) => (
                String::new(),
                String::new(),
                tiers
                    .iter()
                    .map(|tier| TierInput {
                        up_to: amount(tier.up_to),
                        value: match tier.value {
                            TierValue::Percent(percent) => percent.to_string(),
                            TierValue::Amount(minor) => amount(Some(minor)),
                        },
                    })
                    .collect(),
            ),
        };
        ChargeRuleInput {
            kind: self.kind.as_str().into(),
            calculation: self.terms.calculation.name().into(),
            amount: fixed,
            percent,
            tiers,
            minimum: amount(self.terms.minimum),
            maximum: amount(self.terms.maximum),
            base: self.base.as_str().into(),
            applies_to: if self.accounts.is_empty() { "customer" } else { "accounts" }.into(),
            accounts: self.accounts.iter().map(|id| (id.to_string(), "true".into())).collect(),
            recurrence: self.recurrence.as_str().into(),
            start_month: self.start.to_string(),
            end_month: self.end.map(|month| month.to_string()).unwrap_or_default(),
            description: self.description.clone(),
            currency: self.terms.currency.code().into(),
        }
    }
}

/// One tier as typed: its upper bound (empty for the last) and its value (`10%` or `50.00`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierInput {
    #[serde(default)]
    pub up_to: String,
    #[serde(default)]
    pub value: String,
}

/// A rule as its form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChargeRuleInput {
    pub kind: String,
    pub calculation: String,
    pub amount: String,
    pub percent: String,
    pub tiers: Vec<TierInput>,
    pub minimum: String,
    pub maximum: String,
    pub base: String,
    /// `customer` or `accounts`.
    pub applies_to: String,
    /// Ticked cloud accounts, as `accounts[<id>]=true`.
    pub accounts: BTreeMap<String, String>,
    pub recurrence: String,
    pub start_month: String,
    pub end_month: String,
    pub description: String,
    pub currency: String,
}

/// What a rule is: it passed every check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidChargeRule {
    pub kind: RuleKind,
    pub terms: Terms,
    pub base: Base,
    /// The cloud accounts it applies to; none: the customer as a whole.
    pub accounts: Vec<CloudAccountId>,
    pub recurrence: Recurrence,
    pub start: Month,
    pub end: Option<Month>,
    /// Printed on the invoice.
    pub description: String,
}

impl ChargeRuleInput {
    /// What the rule gives as typed (its currency, calculation, minimum and maximum), every
    /// refusal named: the preview beside the form shows it before anything is sent.
    pub fn terms(&self) -> Result<Terms, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let terms = self.terms_into(&mut refused);
        refused.finish(terms)
    }

    fn terms_into(&self, refused: &mut Refusals) -> Option<Terms> {
        let currency = refused.keep(forms::currency(&self.currency));
        let calculation = match (self.calculation.trim(), currency) {
            ("fixed", Some(currency)) => {
                refused.keep(amount(Field::Amount, &self.amount, currency).and_then(|amount| {
                    if amount == 0 {
                        Err(FieldError::new(Field::Amount, Problem::TooShort))
                    } else {
                        Ok(Calculation::Fixed(amount))
                    }
                }))
            }
            ("percent", _) => refused.keep(
                Percent::parse(&self.percent)
                    .map(Calculation::Percent)
                    .map_err(|code| FieldError::new(Field::Percent, code)),
            ),
            ("tiered", Some(currency)) => refused.keep(tiers(&self.tiers, currency).map(Calculation::Tiered)),
            ("fixed" | "tiered", None) => None,
            _ => refused.keep(Err(FieldError::new(Field::Calculation, Problem::InvalidFormat))),
        };
        let (minimum, maximum) = match currency {
            Some(currency) => (
                refused.keep(optional_amount(Field::Minimum, &self.minimum, currency)).flatten(),
                refused.keep(optional_amount(Field::Maximum, &self.maximum, currency)).flatten(),
            ),
            None => (None, None),
        };
        if let (Some(minimum), Some(maximum)) = (minimum, maximum) {
            if maximum < minimum {
                refused.refuse(Field::Maximum, Problem::Mismatch);
            }
        }
        Some(Terms { calculation: calculation?, minimum, maximum, currency: currency? })
    }

    /// Checks every field: the amounts in the rule's currency, the tiers in order, the accounts
    /// among `own_accounts` (the customer's), the months in order. Every refused field is named.
    pub fn validate(&self, own_accounts: &[CloudAccountId]) -> Result<ValidChargeRule, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let kind = refused.keep(choice::<RuleKind>(Field::Kind, &self.kind));
        let terms = self.terms_into(&mut refused);
        let base = refused.keep(choice::<Base>(Field::Base, &self.base));
        let accounts = match self.applies_to.trim() {
            "customer" => Some(Vec::new()),
            "accounts" => {
                let chosen: Vec<&str> = ticked(&self.accounts).collect();
                let known: Option<Vec<CloudAccountId>> =
                    chosen.iter().map(|id| own_accounts.iter().find(|own| own.as_str() == *id).cloned()).collect();
                match known {
                    Some(accounts) if !accounts.is_empty() => Some(accounts),
                    Some(_) => refused.keep(Err(FieldError::new(Field::Accounts, Problem::Required))),
                    None => refused.keep(Err(FieldError::new(Field::Accounts, Problem::InvalidFormat))),
                }
            }
            _ => refused.keep(Err(FieldError::new(Field::AppliesTo, Problem::InvalidFormat))),
        };
        let recurrence = refused.keep(choice::<Recurrence>(Field::Recurrence, &self.recurrence));
        let start =
            refused.keep(Month::parse(&self.start_month).map_err(|code| FieldError::new(Field::StartMonth, code)));
        let end = match self.end_month.trim() {
            "" => Some(None),
            raw => refused.keep(Month::parse(raw).map(Some).map_err(|code| FieldError::new(Field::EndMonth, code))),
        };
        if let (Some(start), Some(Some(end))) = (start, end) {
            if end < start {
                refused.refuse(Field::EndMonth, Problem::Mismatch);
            }
        }
        let description = refused.keep(required_text(Field::Description, &self.description, DESCRIPTION_MAX));
        let rule = (|| {
            Some(ValidChargeRule {
                kind: kind?,
                terms: terms?,
                base: base?,
                accounts: accounts?,
                recurrence: recurrence?,
                start: start?,
                end: end?,
                description: description?,
            })
        })();
        refused.finish(rule)
    }
}

/// The tiers typed, blank rows left out.
fn tiers(rows: &[TierInput], currency: Currency) -> Result<Vec<Tier>, FieldError> {
    let refuse = |code| FieldError::new(Field::Tiers, code);
    let typed: Vec<&TierInput> =
        rows.iter().filter(|row| !row.up_to.trim().is_empty() || !row.value.trim().is_empty()).collect();
    if typed.is_empty() {
        return Err(refuse(Problem::Required));
    }
    if typed.len() > MAX_TIERS {
        return Err(refuse(Problem::TooLong));
    }
    let tiers = typed
        .iter()
        .map(|row| {
            let up_to = match row.up_to.trim() {
                "" => None,
                raw => Some(Money::parse(raw, currency).map_err(|_| refuse(Problem::InvalidFormat))?.minor),
            };
            let raw = row.value.trim();
            let value = if raw.ends_with('%') {
                TierValue::Percent(Percent::parse(raw).map_err(|_| refuse(Problem::InvalidFormat))?)
            } else {
                TierValue::Amount(Money::parse(raw, currency).map_err(|_| refuse(Problem::InvalidFormat))?.minor)
            };
            Ok(Tier { up_to, value })
        })
        .collect::<Result<Vec<Tier>, FieldError>>()?;
    if !tiers_are_ordered(&tiers) {
        return Err(refuse(Problem::Mismatch));
    }
    Ok(tiers)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;

    use super::*;

    fn business() -> Terms {
        Terms {
            calculation: Calculation::Tiered(stored_tiers("1000000:10%,8000000:7%,25000000:5%,:3%").unwrap()),
            minimum: Some(10_000),
            maximum: None,
            currency: Currency::USD,
        }
    }

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    #[test]
    fn aws_business_support_is_priced_as_aws_publishes_it() {
        let rule = business();
        // The examples: $85,000 → $6,150; $50,000 → $3,800.
        assert_eq!(rule.on(usd(8_500_000)).minor, 615_000);
        assert_eq!(rule.on(usd(5_000_000)).minor, 380_000);
        // The minimum below $1,000; AWS's $300,000 example: $15,900.
        assert_eq!(rule.on(usd(0)).minor, 10_000);
        assert_eq!(rule.on(usd(50_000)).minor, 10_000);
        assert_eq!(rule.on(usd(30_000_000)).minor, 1_590_000);
        assert_eq!(
            rule.describe(),
            "Greater of $100 or 10% of the first $10,000, 7% up to $80,000, 5% up to $250,000 and 3% above"
        );
    }

    #[test]
    fn aws_enterprise_and_developer_support() {
        let enterprise = Terms {
            calculation: Calculation::Tiered(stored_tiers("15000000:10%,50000000:7%,100000000:5%,:3%").unwrap()),
            minimum: Some(1_500_000),
            maximum: None,
            currency: Currency::USD,
        };
        // $1,200,000: $15,000 + $24,500 + $25,000 + 3% of $200,000 = $70,500.
        assert_eq!(enterprise.on(usd(120_000_000)).minor, 7_050_000);
        assert_eq!(enterprise.on(usd(10_000_000)).minor, 1_500_000);
        let developer = Terms {
            calculation: Calculation::Tiered(stored_tiers(":3%").unwrap()),
            minimum: Some(2_900),
            maximum: None,
            currency: Currency::USD,
        };
        assert_eq!(developer.on(usd(123_457)).minor, 3_704);
        assert_eq!(developer.describe(), "Greater of $29 or 3% of the base");
    }

    #[test]
    fn fixed_percent_amount_tiers_and_bounds() {
        let percent = |p: &str| Calculation::Percent(Percent::parse(p).unwrap());
        let terms = |calculation, minimum, maximum| Terms { calculation, minimum, maximum, currency: Currency::USD };
        assert_eq!(terms(Calculation::Fixed(2_500), None, None).on(usd(9_999_999)).minor, 2_500);
        assert_eq!(terms(percent("12.5"), None, Some(100_000)).on(usd(10_000_000)).minor, 100_000);
        assert_eq!(terms(percent("12.5"), Some(1_000), None).on(usd(100)).minor, 1_000);
        // A flat amount per tier reached: $50 from the first dollar, $100 more past $1,000.
        let stepped = terms(Calculation::Tiered(stored_tiers("100000:5000,:10000").unwrap()), None, None);
        assert_eq!(stepped.on(usd(0)).minor, 0);
        assert_eq!(stepped.on(usd(1)).minor, 5_000);
        assert_eq!(stepped.on(usd(100_000)).minor, 5_000);
        assert_eq!(stepped.on(usd(100_001)).minor, 15_000);
        // A negative base counts as none.
        assert_eq!(terms(percent("10"), None, None).on(usd(-5_000)).minor, 0);
        // Costs as exact as CUR reports them round once, at the end.
        let exact = Decimal::from_str("0.0000000181").unwrap();
        assert_eq!(round(terms(percent("10"), None, None).exact_on(exact)), 0);
    }

    #[test]
    fn tiers_are_stored_and_read_back() {
        let text = "1000000:10%,8000000:7.5%,:5000";
        assert_eq!(store_tiers(&stored_tiers(text).unwrap()), text);
        for bad in ["", "100:10%", ":10%,:5%", "200:1%,100:2%,:3%", "0:1%,:2%", "x:1%,:2%", ":101%", ":-5"] {
            assert_eq!(stored_tiers(bad), None, "{bad}");
        }
    }

    fn form() -> ChargeRuleInput {
        ChargeRuleInput {
            kind: "charge".into(),
            calculation: "tiered".into(),
            tiers: vec![
                TierInput { up_to: "10,000".into(), value: "10%".into() },
                TierInput { up_to: "80,000".into(), value: "7%".into() },
                TierInput { up_to: String::new(), value: "5%".into() },
                TierInput::default(),
            ],
            minimum: "100".into(),
            base: "customer_cost".into(),
            applies_to: "customer".into(),
            recurrence: "monthly".into(),
            start_month: "2026-12".into(),
            description: "Managed services".into(),
            currency: "USD".into(),
            ..ChargeRuleInput::default()
        }
    }

    #[test]
    fn a_well_filled_form_is_a_rule() {
        let rule = form().validate(&[]).unwrap();
        assert_eq!(rule.terms.minimum, Some(10_000));
        assert_eq!(rule.terms.on(usd(8_500_000)).minor, 100_000 + 490_000 + 25_000);
        assert_eq!(rule.start.to_string(), "2026-12");
        let account = CloudAccountId("cla_1".into());
        let on_accounts = ChargeRuleInput {
            applies_to: "accounts".into(),
            accounts: [("cla_1".to_owned(), "true".to_owned())].into(),
            ..form()
        };
        assert_eq!(on_accounts.validate(std::slice::from_ref(&account)).unwrap().accounts, vec![account]);
    }

    #[test]
    fn every_refused_field_is_named() {
        let refused = |input: ChargeRuleInput| -> Vec<(Field, Problem)> {
            input.validate(&[]).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
        };
        assert_eq!(
            refused(ChargeRuleInput::default()),
            vec![
                (Field::Kind, Problem::InvalidFormat),
                (Field::Currency, Problem::InvalidFormat),
                (Field::Calculation, Problem::InvalidFormat),
                (Field::Base, Problem::InvalidFormat),
                (Field::AppliesTo, Problem::InvalidFormat),
                (Field::Recurrence, Problem::InvalidFormat),
                (Field::StartMonth, Problem::Required),
                (Field::Description, Problem::Required),
            ]
        );
        let reversed = vec![
            TierInput { up_to: "500".into(), value: "1%".into() },
            TierInput { up_to: "100".into(), value: "2%".into() },
            TierInput { up_to: String::new(), value: "3%".into() },
        ];
        assert_eq!(refused(ChargeRuleInput { tiers: reversed, ..form() }), vec![(Field::Tiers, Problem::Mismatch)]);
        assert_eq!(
            refused(ChargeRuleInput { maximum: "50".into(), ..form() }),
            vec![(Field::Maximum, Problem::Mismatch)]
        );
        assert_eq!(
            refused(ChargeRuleInput { end_month: "2026-01".into(), ..form() }),
            vec![(Field::EndMonth, Problem::Mismatch)]
        );
        assert_eq!(
            refused(ChargeRuleInput { calculation: "fixed".into(), amount: "0".into(), ..form() }),
            vec![(Field::Amount, Problem::TooShort)]
        );
        assert_eq!(
            refused(ChargeRuleInput { calculation: "percent".into(), percent: "120".into(), ..form() }),
            vec![(Field::Percent, Problem::TooLong)]
        );
        let foreign = ChargeRuleInput {
            applies_to: "accounts".into(),
            accounts: [("cla_other".to_owned(), "true".to_owned())].into(),
            ..form()
        };
        assert_eq!(refused(foreign), vec![(Field::Accounts, Problem::InvalidFormat)]);
        assert_eq!(
            refused(ChargeRuleInput { applies_to: "accounts".into(), ..form() }),
            vec![(Field::Accounts, Problem::Required)]
        );
    }

    /// Tiered rules of percents only: continuous at every edge, never decreasing, and between
    /// their minimum and maximum.
    fn percent_tiers() -> impl Strategy<Value = Vec<Tier>> {
        (prop::collection::vec((1_i64..5_000_000, 0_u32..10_000), 0..5), 0_u32..10_000).prop_map(|(raw, last)| {
            let mut bound = 0;
            let mut tiers: Vec<Tier> = raw
                .into_iter()
                .map(|(step, bp)| {
                    bound += step;
                    let value = TierValue::Percent(Percent::parse(&format!("{}.{:02}", bp / 100, bp % 100)).unwrap());
                    Tier { up_to: Some(bound), value }
                })
                .collect();
            let value = TierValue::Percent(Percent::parse(&format!("{}.{:02}", last / 100, last % 100)).unwrap());
            tiers.push(Tier { up_to: None, value });
            tiers
        })
    }

    proptest! {
        #[test]
        fn tier_arithmetic_is_continuous_monotone_and_bounded(
            tiers in percent_tiers(),
            base in 0_i64..100_000_000,
            minimum in prop::option::of(0_i64..1_000_000),
            spread in prop::option::of(0_i64..1_000_000),
        ) {
            let maximum = spread.map(|spread| minimum.unwrap_or(0) + spread);
            let terms = Terms { calculation: Calculation::Tiered(tiers.clone()), minimum, maximum, currency: Currency::USD };
            let at = |minor: i64| terms.exact_on(Decimal::from(minor));
            // One more minor unit of base adds at most the highest percent of one unit.
            let step = at(base + 1) - at(base);
            prop_assert!(step >= Decimal::ZERO && step <= Decimal::ONE);
            // At every tier's edge the two sides meet.
            for bound in tiers.iter().filter_map(|tier| tier.up_to) {
                let edge = at(bound + 1) - at(bound);
                prop_assert!(edge >= Decimal::ZERO && edge <= Decimal::ONE);
            }
            if let Some(minimum) = minimum { prop_assert!(at(base) >= Decimal::from(minimum)); }
            if let Some(maximum) = maximum { prop_assert!(at(base) <= Decimal::from(maximum)); }
            // Stored and read back, the tiers give the same.
            prop_assert_eq!(stored_tiers(&store_tiers(&tiers)), Some(tiers));
        }
    }
}
