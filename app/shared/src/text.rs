//! The rule every free-text field shares: trimmed, bounded, and free of characters that have no
//! business in a name or an address (controls, bidirectional overrides, markup brackets).

use crate::api::Problem;

/// The longest name of a person, a reseller or a catalog entry.
pub const NAME_MAX: usize = 100;

/// Trims `raw` and checks it. `Ok(None)` means an optional field left empty.
pub(crate) fn clean(raw: &str, max_chars: usize, required: bool) -> Result<Option<String>, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return if required { Err(Problem::Required) } else { Ok(None) };
    }
    if value.chars().count() > max_chars {
        return Err(Problem::TooLong);
    }
    if value.chars().any(is_forbidden) {
        return Err(Problem::InvalidCharacters);
    }
    Ok(Some(value.to_owned()))
}

/// Like [`clean`] for text that may span lines (line breaks and tabs allowed); may be empty.
pub(crate) fn clean_multiline(raw: &str, max_chars: usize) -> Result<String, Problem> {
    let value = raw.trim();
    if value.chars().count() > max_chars {
        return Err(Problem::TooLong);
    }
    if value.chars().any(|c| !matches!(c, '\n' | '\r' | '\t') && is_forbidden(c)) {
        return Err(Problem::InvalidCharacters);
    }
    Ok(value.to_owned())
}

/// Characters refused in any text field. Controls and bidi overrides can disguise what a
/// reviewer reads; `<` and `>` are never part of a name or an address.
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '<' | '>')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_ordinary_text() {
        assert_eq!(clean("  Acme Ltd. ", 10, true), Ok(Some("Acme Ltd.".into())));
        assert_eq!(clean("Zoë O'Brien-Nuñez", 40, true), Ok(Some("Zoë O'Brien-Nuñez".into())));
    }

    #[test]
    fn empty_is_required_or_absent() {
        assert_eq!(clean("   ", 10, true), Err(Problem::Required));
        assert_eq!(clean("", 10, false), Ok(None));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(clean("ééééé", 5, true), Ok(Some("ééééé".into())));
        assert_eq!(clean("éééééé", 5, true), Err(Problem::TooLong));
    }

    #[test]
    fn multiline_text_keeps_its_line_breaks_only() {
        assert_eq!(clean_multiline(" a\nb\tc ", 10), Ok("a\nb\tc".into()));
        assert_eq!(clean_multiline("", 10), Ok(String::new()));
        assert_eq!(clean_multiline("a\u{0000}b", 10), Err(Problem::InvalidCharacters));
        assert_eq!(clean_multiline("<b>", 10), Err(Problem::InvalidCharacters));
        assert_eq!(clean_multiline("abcdefghijk", 10), Err(Problem::TooLong));
    }

    #[test]
    fn hostile_characters_are_refused() {
        for hostile in ["<script>alert(1)</script>", "a\u{0000}b", "line\nbreak", "abc\u{202E}cba", "x\u{200B}y"] {
            assert_eq!(clean(hostile, 100, true), Err(Problem::InvalidCharacters), "{hostile:?}");
        }
    }
}
