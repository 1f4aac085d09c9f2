//! Phone numbers, postal codes and states: formats people type, checked against the chosen
//! country where Portico knows its rules, and against the international limits (E.164: at most 15
//! digits) everywhere else.

use crate::api::Problem;
use crate::countries::uses_nanp;
use crate::subdivisions_data::SUBDIVISIONS;
use crate::text;

const STATE_MAX: usize = 80;

const MAX_PHONE_CHARS: usize = 32;

/// How a country's phone numbers are written: its calling code, how many digits follow it, and
/// whether numbers dialled at home start with a 0 (the trunk prefix) that the international form
/// drops.
struct PhonePlan {
    calling_code: &'static str,
    digits: std::ops::RangeInclusive<usize>,
    trunk_zero: bool,
}

/// The plans Portico knows, from the national numbering plans the ITU publishes; other countries
/// get the E.164 limits.
fn phone_plan(country: &str) -> Option<PhonePlan> {
    let plan = |calling_code, digits, trunk_zero| Some(PhonePlan { calling_code, digits, trunk_zero });
    match country {
        _ if uses_nanp(country) => plan("1", 10..=10, false),
        "GB" => plan("44", 9..=10, true),
        "DE" => plan("49", 6..=13, true),
        "FR" => plan("33", 9..=9, true),
        "ES" => plan("34", 9..=9, false),
        "IT" => plan("39", 6..=11, false),
        "NL" => plan("31", 9..=9, true),
        "IE" => plan("353", 7..=9, true),
        "MX" => plan("52", 10..=10, false),
        "BR" => plan("55", 10..=11, true),
        "AR" => plan("54", 10..=10, true),
        "AU" => plan("61", 9..=9, true),
        "NZ" => plan("64", 8..=10, true),
        "IN" => plan("91", 10..=10, true),
        "JP" => plan("81", 9..=10, true),
        _ => None,
    }
}

/// Checks a phone number for `country` and returns it as typed, trimmed.
pub fn parse_phone(raw: &str, country: &str) -> Result<String, Problem> {
    let value = text::clean(raw, MAX_PHONE_CHARS, true)?.ok_or(Problem::Required)?;
    let international = value.starts_with('+');
    let body = value.strip_prefix('+').unwrap_or(&value);
    if !body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')) {
        return Err(Problem::InvalidFormat);
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let fits = match phone_plan(country) {
        Some(plan) => {
            let national = if international {
                digits.strip_prefix(plan.calling_code)
            } else if plan.trunk_zero {
                Some(digits.strip_prefix('0').unwrap_or(&digits))
            } else if plan.calling_code == "1" {
                // 1-555-555-5555: the North American trunk prefix is a 1.
                Some(if digits.len() == 11 { digits.strip_prefix('1').unwrap_or(&digits) } else { &digits })
            } else {
                Some(digits.as_str())
            };
            national.is_some_and(|n| plan.digits.contains(&n.len()))
        }
        None => (6..=15).contains(&digits.len()),
    };
    if fits {
        Ok(value)
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// Postal code shapes by country, `9` for a digit and `A` for a letter, from the Universal Postal
/// Union's addressing guides; other countries get any letters, digits, spaces and hyphens.
fn postal_shapes(country: &str) -> Option<&'static [&'static str]> {
    Some(match country {
        "US" | "PR" | "GU" | "VI" | "AS" | "MP" => &["99999", "99999-9999"],
        "CA" => &["A9A 9A9", "A9A9A9"],
        "DE" | "FR" | "ES" | "IT" | "MX" | "FI" => &["99999"],
        "AU" | "NZ" | "AT" | "BE" | "CH" | "DK" | "NO" => &["9999"],
        "NL" => &["9999 AA", "9999AA"],
        "BR" => &["99999-999", "99999999"],
        "IN" => &["999999"],
        "JP" => &["999-9999", "9999999"],
        "SE" => &["999 99", "99999"],
        "PL" => &["99-999"],
        "PT" => &["9999-999"],
        _ => return None,
    })
}

/// Whether Portico knows the shape of `country`'s postal codes (and so requires one when the
/// reseller requires the address).
pub fn has_postal_format(country: &str) -> bool {
    postal_shapes(country).is_some()
}

/// Checks a postal code for `country` and returns it upper-cased; an empty optional code is `None`.
pub fn parse_postal_code(raw: &str, country: &str, required: bool) -> Result<Option<String>, Problem> {
    let Some(value) = text::clean(raw, 12, required)? else {
        return Ok(None);
    };
    let value = value.to_ascii_uppercase();
    let shape: String = value
        .chars()
        .map(|c| match c {
            '0'..='9' => '9',
            'A'..='Z' => 'A',
            other => other,
        })
        .collect();
    let fits = match postal_shapes(country) {
        Some(shapes) => shapes.contains(&shape.as_str()),
        None => {
            shape.chars().all(|c| matches!(c, '9' | 'A' | ' ' | '-')) && shape.chars().any(|c| c != ' ' && c != '-')
        }
    };
    if fits {
        Ok(Some(value))
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// The states, provinces or territories of `country` as (code, name), sorted by name, when its
/// addresses name one from a fixed list.
pub fn subdivisions(country: &str) -> Option<impl Iterator<Item = (&'static str, &'static str)>> {
    let (_, list) = SUBDIVISIONS.iter().find(|(code, _)| *code == country)?;
    Some(list.lines().filter_map(|line| line.split_once(' ')))
}

pub fn has_subdivisions(country: &str) -> bool {
    SUBDIVISIONS.iter().any(|(code, _)| *code == country)
}

/// Checks a State for `country`: one of its subdivisions by name or code (returned as the name)
/// where Portico has the list, else free text. An empty optional State is `None`.
pub fn parse_state(raw: &str, country: &str, required: bool) -> Result<Option<String>, Problem> {
    let Some(value) = text::clean(raw, STATE_MAX, required)? else {
        return Ok(None);
    };
    let Some(mut listed) = subdivisions(country) else {
        return Ok(Some(value));
    };
    listed
        .find(|(code, name)| name.eq_ignore_ascii_case(&value) || code.eq_ignore_ascii_case(&value))
        .map(|(_, name)| Some(name.to_owned()))
        .ok_or(Problem::InvalidFormat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn us_numbers_need_ten_digits() {
        for ok in ["555-555-5555", "(555) 555-5555", "555.555.5555", "1-555-555-5555", "+1 555 555 5555"] {
            assert_eq!(parse_phone(ok, "US").as_deref(), Ok(ok), "{ok}");
        }
        for bad in
            ["555-5555", "555-555-55555", "+44 20 7946 0958", "2-555-555-5555", "555-CALL-NOW", "++1 555 555 5555"]
        {
            assert_eq!(parse_phone(bad, "US"), Err(Problem::InvalidFormat), "{bad}");
        }
        assert_eq!(parse_phone("   ", "US"), Err(Problem::Required));
    }

    #[test]
    fn other_countries_follow_e164_limits() {
        assert!(parse_phone("+44 20 7946 0958", "GB").is_ok());
        assert!(parse_phone("030 123456", "DE").is_ok());
        assert_eq!(parse_phone("12345", "DE"), Err(Problem::InvalidFormat));
        assert_eq!(parse_phone("+1234567890123456", "DE"), Err(Problem::InvalidFormat));
        assert_eq!(parse_phone("<script>", "DE"), Err(Problem::InvalidCharacters));
    }

    #[test]
    fn us_zip_is_five_digits_or_zip_plus_four() {
        assert_eq!(parse_postal_code("85001", "US", true), Ok(Some("85001".into())));
        assert_eq!(parse_postal_code(" 85001-1234 ", "US", true), Ok(Some("85001-1234".into())));
        for bad in ["8500", "850011", "85001-12", "ABCDE", "85001 1234"] {
            assert_eq!(parse_postal_code(bad, "US", true), Err(Problem::InvalidFormat), "{bad}");
        }
        assert_eq!(parse_postal_code("", "US", false), Ok(None));
        assert_eq!(parse_postal_code("", "US", true), Err(Problem::Required));
    }

    #[test]
    fn phone_numbers_follow_the_country_plan() {
        for (ok, country) in [
            ("020 7946 0958", "GB"),
            ("+44 20 7946 0958", "GB"),
            ("01 23 45 67 89", "FR"),
            ("+33 1 23 45 67 89", "FR"),
            ("912 345 678", "ES"),
            ("+52 55 1234 5678", "MX"),
            ("(11) 91234-5678", "BR"),
            ("02 9876 5432", "AU"),
            ("+91 98765 43210", "IN"),
            ("030 123456", "DE"),
        ] {
            assert_eq!(parse_phone(ok, country).as_deref(), Ok(ok), "{ok} in {country}");
        }
        for (bad, country) in [
            ("020 7946 09", "GB"),
            ("+33 1 23 45 67 89", "GB"),
            ("01 23 45 67 8", "FR"),
            ("912 345 67", "ES"),
            ("55 1234 567", "MX"),
            ("+61 2 9876 543", "AU"),
        ] {
            assert_eq!(parse_phone(bad, country), Err(Problem::InvalidFormat), "{bad} in {country}");
        }
    }

    #[test]
    fn postal_codes_follow_the_country_shape() {
        for (ok, country) in [("75008", "FR"), ("1012 AB", "NL"), ("01310-100", "BR"), ("110001", "IN"), ("2000", "AU")]
        {
            assert!(parse_postal_code(ok, country, true).is_ok(), "{ok} in {country}");
        }
        for (bad, country) in [("7500", "FR"), ("AB 1012", "NL"), ("0131-100", "BR"), ("20000", "AU")] {
            assert_eq!(parse_postal_code(bad, country, true), Err(Problem::InvalidFormat), "{bad} in {country}");
        }
    }

    #[test]
    fn states_come_from_the_country_list_where_there_is_one() {
        let us: Vec<_> = subdivisions("US").unwrap().collect();
        assert_eq!(us.len(), 51, "50 states and the District of Columbia");
        assert_eq!(us[0], ("AL", "Alabama"));
        assert_eq!(subdivisions("CA").unwrap().count(), 13);
        assert_eq!(subdivisions("MX").unwrap().find(|(c, _)| *c == "CMX").map(|(_, n)| n), Some("Ciudad de México"));
        assert!(subdivisions("GB").is_none());
        assert_eq!(parse_state("Arizona", "US", true), Ok(Some("Arizona".into())));
        assert_eq!(parse_state(" az ", "US", true), Ok(Some("Arizona".into())));
        assert_eq!(parse_state("Ontario", "US", false), Err(Problem::InvalidFormat));
        assert_eq!(parse_state("", "US", false), Ok(None));
        assert_eq!(parse_state("", "US", true), Err(Problem::Required));
        assert_eq!(parse_state("Greater London", "GB", true), Ok(Some("Greater London".into())));
    }

    #[test]
    fn canadian_and_other_postal_codes() {
        assert_eq!(parse_postal_code("k1a 0b1", "CA", true), Ok(Some("K1A 0B1".into())));
        assert_eq!(parse_postal_code("12345", "CA", true), Err(Problem::InvalidFormat));
        assert_eq!(parse_postal_code("SW1A 1AA", "GB", true), Ok(Some("SW1A 1AA".into())));
        assert_eq!(parse_postal_code("--", "GB", true), Err(Problem::InvalidFormat));
        assert_eq!(parse_postal_code("1234567890123", "GB", true), Err(Problem::TooLong));
    }

    proptest! {
        #[test]
        fn every_ten_digit_us_number_is_accepted(n in 2_000_000_000u64..9_999_999_999u64) {
            let raw = n.to_string();
            let formatted = format!("({}) {}-{}", &raw[..3], &raw[3..6], &raw[6..]);
            prop_assert!(parse_phone(&formatted, "US").is_ok());
        }

        #[test]
        fn every_five_digit_zip_is_accepted(n in 0u32..100_000) {
            let zip = format!("{n:05}");
            prop_assert_eq!(parse_postal_code(&zip, "US", true), Ok(Some(zip.clone())));
        }

        #[test]
        fn phone_rule_never_panics(raw in "\\PC{0,40}", country in "[A-Z]{2}") {
            let _ = parse_phone(&raw, &country);
            let _ = parse_postal_code(&raw, &country, false);
        }
    }
}
