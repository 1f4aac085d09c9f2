//! Money is exact. An amount is an integer number of the currency's minor units (cents) with its
//! ISO 4217 currency; percentages and rates are exact decimals. Arithmetic on an amount (a share
//! of usage, a tax) is done on exact decimals of minor units and rounded once, by [`round`]:
//! to the nearest minor unit, halves away from zero (0.5 cent → 1 cent, −0.5 → −1), once per
//! invoice line and once per tax rate. Floating point is never used.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::api::Problem;

/// The currencies Portico bills in: code, symbol, and digits of the minor unit (ISO 4217).
const CURRENCIES: [(&str, &str, u32); 18] = [
    ("USD", "$", 2),
    ("EUR", "€", 2),
    ("GBP", "£", 2),
    ("CAD", "CA$", 2),
    ("AUD", "A$", 2),
    ("NZD", "NZ$", 2),
    ("CHF", "CHF ", 2),
    ("SEK", "SEK ", 2),
    ("NOK", "NOK ", 2),
    ("DKK", "DKK ", 2),
    ("PLN", "PLN ", 2),
    ("JPY", "¥", 0),
    ("MXN", "MX$", 2),
    ("BRL", "R$", 2),
    ("INR", "₹", 2),
    ("SGD", "SGD ", 2),
    ("HKD", "HK$", 2),
    ("ZAR", "ZAR ", 2),
];

/// An ISO 4217 currency Portico bills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(usize);

impl Currency {
    pub const USD: Currency = Currency(0);

    /// A currency by its code (`USD`, `eur`).
    pub fn parse(code: &str) -> Result<Currency, Problem> {
        let code = code.trim();
        if code.is_empty() {
            return Err(Problem::Required);
        }
        CURRENCIES
            .iter()
            .position(|(known, _, _)| known.eq_ignore_ascii_case(code))
            .map(Currency)
            .ok_or(Problem::InvalidFormat)
    }

    /// Every currency, for a list to choose from.
    pub fn all() -> impl Iterator<Item = Currency> {
        (0..CURRENCIES.len()).map(Currency)
    }

    pub fn code(self) -> &'static str {
        CURRENCIES[self.0].0
    }

    fn symbol(self) -> &'static str {
        CURRENCIES[self.0].1
    }

    /// Digits after the decimal point: 2 for cents, 0 for yen.
    pub fn minor_digits(self) -> u32 {
        CURRENCIES[self.0].2
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = &'static str;

    fn try_from(code: String) -> Result<Currency, &'static str> {
        Currency::parse(&code).map_err(|_| "an ISO 4217 currency code Portico bills in")
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.code().to_owned()
    }
}

/// An amount of money: whole minor units of its currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// The largest amount a form takes: a trillion major units.
const MAX_MAJOR: i64 = 1_000_000_000_000;

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// An amount as people type it — `1,234.56`, `$85,000`, `85000.5` — in `currency`: digits with
    /// optional thousands separators and at most the currency's minor digits after the point.
    /// Negative amounts are refused: what an amount is for (a charge, a credit) says its sign.
    pub fn parse(raw: &str, currency: Currency) -> Result<Money, Problem> {
        let mut text = raw.trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        let symbol = currency.symbol().trim();
        text = text.strip_prefix(symbol).unwrap_or(text).trim_start();
        text = text.strip_prefix(currency.code()).unwrap_or(text).trim_start();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let whole_digits: String = whole.chars().filter(|c| *c != ',').collect();
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or_default();
        let grouped_well = !whole.contains(',') || ((1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3));
        let digits_only = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits_only(&whole_digits) || !grouped_well || (text.contains('.') && !digits_only(fraction)) {
            return Err(Problem::InvalidFormat);
        }
        let digits = currency.minor_digits();
        if fraction.len() > digits as usize {
            return Err(Problem::InvalidFormat);
        }
        let major: i64 = whole_digits.parse().map_err(|_| Problem::TooLong)?;
        if major > MAX_MAJOR {
            return Err(Problem::TooLong);
        }
        let padded = format!("{fraction:0<width$}", width = digits as usize);
        let minor_part: i64 = if padded.is_empty() { 0 } else { padded.parse().map_err(|_| Problem::InvalidFormat)? };
        Ok(Money { minor: major * 10_i64.pow(digits) + minor_part, currency })
    }

    /// "$85,000.00", "$1,234.56", "¥1,200", "-$5.00": every minor digit, as prices, ledgers and
    /// invoices show money.
    pub fn format(self) -> String {
        self.written(false)
    }

    /// "$85,000", "$1,234.56": zero cents left out, as sentences describing a rule read best.
    pub fn format_brief(self) -> String {
        self.written(true)
    }

    fn written(self, brief: bool) -> String {
        let digits = self.currency.minor_digits();
        let unit = 10_i64.pow(digits);
        let magnitude = self.minor.unsigned_abs();
        let whole = grouped(magnitude / unit.unsigned_abs());
        let rest = magnitude % unit.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        let symbol = self.currency.symbol();
        if digits == 0 || (brief && rest == 0) {
            format!("{sign}{symbol}{whole}")
        } else {
            format!("{sign}{symbol}{whole}.{rest:0width$}", width = digits as usize)
        }
    }

    /// The amount as typed in a form (`1234.56`), for editing.
    pub fn to_input(self) -> String {
        let digits = self.currency.minor_digits();
        Decimal::new(self.minor, digits).to_string()
    }

    /// The amount as an exact decimal of minor units, for arithmetic before rounding.
    pub fn exact(self) -> Decimal {
        Decimal::from(self.minor)
    }
}

/// Thousands separated by commas: "1,234,567".
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (n, digit) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Rounds an exact amount of minor units to a whole minor unit, halves away from zero: the one
/// rounding rule of Portico's money.
pub fn round(exact_minor: Decimal) -> i64 {
    let rounded = exact_minor.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(rounded).unwrap_or(if rounded.is_sign_negative() { i64::MIN } else { i64::MAX })
}

/// A percentage, exact, with at most four decimals (`8.875` for 8.875%), from 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percent(Decimal);

impl Percent {
    /// As typed: `10`, `7.5`, `8.2500`, with or without `%`.
    pub fn parse(raw: &str) -> Result<Percent, Problem> {
        let text = raw.trim().trim_end_matches('%').trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && text.matches('.').count() <= 1;
        let value = Decimal::from_str(text).ok().filter(|_| plain).ok_or(Problem::InvalidFormat)?;
        if value.scale() > 4 {
            return Err(Problem::InvalidFormat);
        }
        if value > Decimal::ONE_HUNDRED {
            return Err(Problem::TooLong);
        }
        Ok(Percent(value.normalize()))
    }

    /// The share of `exact_minor` this percentage is, exact.
    pub fn of(self, exact_minor: Decimal) -> Decimal {
        exact_minor * self.0 / Decimal::ONE_HUNDRED
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

impl TryFrom<String> for Percent {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Percent, &'static str> {
        Percent::parse(&raw).map_err(|_| "a percentage from 0 to 100 with at most four decimals")
    }
}

impl From<Percent> for String {
    fn from(percent: Percent) -> String {
        percent.0.normalize().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(raw: &str) -> Result<i64, Problem> {
        Money::parse(raw, Currency::USD).map(|money| money.minor)
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(usd("85,000"), Ok(8_500_000));
        assert_eq!(usd("$85,000"), Ok(8_500_000));
        assert_eq!(usd("1234.5"), Ok(123_450));
        assert_eq!(usd(" 0.07 "), Ok(7));
        assert_eq!(usd("USD 12"), Ok(1_200));
        for bad in ["1.234", "12,34", "-5", "1e3", "abc", "1.2.3", "$", ",100", "100."] {
            assert_eq!(usd(bad), Err(Problem::InvalidFormat), "{bad}");
        }
        assert_eq!(usd(""), Err(Problem::Required));
        assert_eq!(usd("2000000000000"), Err(Problem::TooLong));
        let yen = Currency::parse("jpy").unwrap();
        assert_eq!(Money::parse("1,200", yen).unwrap().minor, 1_200);
        assert_eq!(Money::parse("12.5", yen), Err(Problem::InvalidFormat));
    }

    #[test]
    fn amounts_are_shown_with_their_symbol_and_only_real_cents() {
        assert_eq!(Money::new(615_000, Currency::USD).format(), "$6,150.00");
        assert_eq!(Money::new(615_000, Currency::USD).format_brief(), "$6,150");
        assert_eq!(Money::new(123_456, Currency::USD).format_brief(), "$1,234.56");
        assert_eq!(Money::new(-500, Currency::USD).format(), "-$5.00");
        assert_eq!(Money::new(1_200, Currency::parse("JPY").unwrap()).format(), "¥1,200");
        assert_eq!(Money::new(123_450, Currency::USD).to_input(), "1234.50");
        assert_eq!(Currency::parse("XXX"), Err(Problem::InvalidFormat));
    }

    #[test]
    fn rounding_is_to_the_minor_unit_halves_away_from_zero() {
        let exact = |text: &str| Decimal::from_str(text).unwrap();
        assert_eq!(round(exact("0.5")), 1);
        assert_eq!(round(exact("1.5")), 2);
        assert_eq!(round(exact("2.5")), 3);
        assert_eq!(round(exact("-0.5")), -1);
        assert_eq!(round(exact("3703.71")), 3704);
        assert_eq!(round(exact("0.0000000181")), 0);
    }

    #[test]
    fn percentages_are_exact_to_four_decimals() {
        assert_eq!(Percent::parse("8.2500").unwrap().to_string(), "8.25%");
        assert_eq!(Percent::parse("7.5%").unwrap().of(Decimal::from(1_000)), Decimal::from(75));
        assert_eq!(Percent::parse("8.12345"), Err(Problem::InvalidFormat));
        assert_eq!(Percent::parse("100.01"), Err(Problem::TooLong));
        for bad in ["-1", "ten", "1e2", "5..5", "+3"] {
            assert_eq!(Percent::parse(bad), Err(Problem::InvalidFormat), "{bad}");
        }
    }
}
