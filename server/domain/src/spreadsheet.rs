//! The one rule for text Portico writes into CSV files: a value a spreadsheet would read as a
//! formula (`=`, `+`, `-`, `@`, tab or carriage return first) gets a leading apostrophe, so
//! opening an export never runs anything a customer or a reseller typed.

use std::borrow::Cow;

/// `value`, made safe to open in a spreadsheet.
pub fn defused(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defused("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defused("-1+2"), "'-1+2");
        assert_eq!(defused("plain"), "plain");
    }

    /// 100,000 cells of any text: none that a spreadsheet would run as a formula leaves defused,
    /// and the text is kept after the apostrophe.
    #[test]
    fn fuzz_csv_cells() {
        use portico_shared::fuzzing;
        use proptest::prelude::*;
        let pieces = &["=", "+", "-", "@", "\t", "\r", "'", "SUM(A1)", "HYPERLINK(\"x\")", "1", " "];
        fuzzing::run("CSV cells", fuzzing::text(pieces, 5), |value| {
            let safe = defused(&value);
            prop_assert!(!safe.starts_with(['=', '+', '-', '@', '\t', '\r']));
            prop_assert!(safe.ends_with(value.as_str()));
            Ok(safe == value)
        });
    }
}
