//! Phone numbers and postal codes: formats people type, checked against the chosen country where
//! Portico knows its rules, and against the international limits (E.164: at most 15 digits)
//! everywhere else.

use crate::api::Problem;
use crate::countries::uses_nanp;
use crate::text;

const MAX_PHONE_CHARS: usize = 32;

/// Checks a phone number for `country` and returns it as typed, trimmed.
pub fn parse_phone(raw: &str, country: &str) -> Result<String, Problem> {
    let value = text::clean(raw, MAX_PHONE_CHARS, true)?.ok_or(Problem::Required)?;
    let international = value.starts_with('+');
    let body = value.strip_prefix('+').unwrap_or(&value);
    if !body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')) {
        return Err(Problem::InvalidFormat);
    }
    let digits: Vec<u8> = body.bytes().filter(u8::is_ascii_digit).collect();
    let fits = if uses_nanp(country) && !international {
        // 555-555-5555, or 1-555-555-5555 with the trunk prefix.
        digits.len() == 10 || (digits.len() == 11 && digits[0] == b'1')
    } else if uses_nanp(country) {
        digits.len() == 11 && digits[0] == b'1'
    } else {
        (6..=15).contains(&digits.len())
    };
    if fits {
        Ok(value)
    } else {
        Err(Problem::InvalidFormat)
    }
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
    let fits = match country {
        "US" | "PR" | "GU" | "VI" | "AS" | "MP" => shape == "99999" || shape == "99999-9999",
        "CA" => shape == "A9A 9A9" || shape == "A9A9A9",
        _ => shape.chars().all(|c| matches!(c, '9' | 'A' | ' ' | '-')) && shape.chars().any(|c| c != ' ' && c != '-'),
    };
    if fits {
        Ok(Some(value))
    } else {
        Err(Problem::InvalidFormat)
    }
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
