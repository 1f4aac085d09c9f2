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
}
