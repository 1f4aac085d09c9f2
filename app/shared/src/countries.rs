//! Countries for the Country field, with the formats Portico knows for their postal codes and
//! phone numbers.

use crate::countries_data::COUNTRIES;
use crate::countries_data_es::COUNTRIES_ES;
use crate::language::Language;

/// The country the Signup form starts on.
pub const DEFAULT_COUNTRY: &str = "US";

/// Every country as (ISO 3166-1 alpha-2 code, English name), sorted by name.
pub fn all() -> impl Iterator<Item = (&'static str, &'static str)> {
    rows(COUNTRIES)
}

/// Every country as (code, name) in `language`, sorted by name the way that language sorts.
pub fn all_in(language: Language) -> impl Iterator<Item = (&'static str, &'static str)> {
    rows(language.say(COUNTRIES, COUNTRIES_ES))
}

/// A table's lines as (code, name). `all` reads the English table directly rather than through
/// `all_in`, so that code checking a country (the widget's) does not link the Spanish names.
fn rows(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table.lines().filter_map(|line| Some((line.get(..2)?, line.get(2..)?)))
}

/// The English name of a country code, if the code is an ISO 3166-1 country.
pub fn name(code: &str) -> Option<&'static str> {
    all().find(|(c, _)| *c == code).map(|(_, name)| name)
}

/// Countries of the North American Numbering Plan that the phone rule knows.
pub fn uses_nanp(code: &str) -> bool {
    matches!(code, "US" | "CA" | "PR" | "GU" | "VI" | "AS" | "MP")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_iso_country_once() {
        let codes: Vec<_> = all().map(|(code, _)| code).collect();
        assert_eq!(codes.len(), 249);
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 249);
        assert!(codes.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn spanish_names_every_country_the_english_list_has() {
        let mut english: Vec<_> = all().map(|(code, _)| code).collect();
        let mut spanish: Vec<_> = all_in(Language::Es).map(|(code, _)| code).collect();
        english.sort_unstable();
        spanish.sort_unstable();
        assert_eq!(english, spanish);
        assert_eq!(all_in(Language::Es).find(|(code, _)| *code == "US"), Some(("US", "Estados Unidos")));
    }

    #[test]
    fn names_the_default_country_as_the_seed_does() {
        assert_eq!(name(DEFAULT_COUNTRY), Some("United States"));
        assert_eq!(name("CI"), Some("Côte d'Ivoire"));
        assert_eq!(name("XX"), None);
        assert_eq!(name("us"), None);
    }
}
