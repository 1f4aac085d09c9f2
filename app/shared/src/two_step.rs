//! Two-step sign-in to the portal: after the password, a code from an authenticator app (RFC 6238:
//! six digits, a new one every 30 seconds) or one of the person's one-time recovery codes.

use serde::{Deserialize, Serialize};

use crate::api::Problem;
use crate::{Field, FieldError};

/// How many recovery codes a person gets at a time.
pub const RECOVERY_CODES: usize = 10;
/// A recovery code's length without its dashes: 16 base32 characters, 80 random bits.
pub const RECOVERY_CODE_LENGTH: usize = 16;

/// What a person typed at the second step, read the way it is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits from the authenticator app.
    AppCode(String),
    /// A recovery code, lower case without dashes or spaces.
    RecoveryCode(String),
}

impl SecondFactor {
    /// Reads a code as people type or paste it: spaces and dashes are ignored, case too, and the
    /// digits 0, 1 and 8, which recovery codes never hold, are read as the letters they are
    /// mistaken for (o, l, b).
    pub fn parse(raw: &str) -> Result<SecondFactor, FieldError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let refused = |problem| FieldError::new(Field::Code, problem);
        if compact.is_empty() {
            return Err(refused(Problem::Required));
        }
        if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(SecondFactor::AppCode(compact));
        }
        let recovery: String = compact
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                '0' => 'o',
                '1' => 'l',
                '8' => 'b',
                other => other,
            })
            .collect();
        let base32 = |c: char| c.is_ascii_lowercase() || ('2'..='7').contains(&c);
        if recovery.chars().count() == RECOVERY_CODE_LENGTH && recovery.chars().all(base32) {
            Ok(SecondFactor::RecoveryCode(recovery))
        } else {
            Err(refused(Problem::InvalidFormat))
        }
    }
}

/// A recovery code as it is shown: four groups of four.
pub fn display_recovery_code(code: &str) -> String {
    code.as_bytes().chunks(4).map(|group| String::from_utf8_lossy(group).into_owned()).collect::<Vec<_>>().join("-")
}

/// Two-step sign-in as the person's own account page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepStatus {
    pub enabled: bool,
    /// Whether they may not turn it off: platform staff, or a team whose admin requires it.
    pub required: bool,
    pub recovery_codes_left: i64,
}

/// A new authenticator to add: the key as a QR code for the app to scan, and as text to type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// The `otpauth://` address as a QR code: an SVG image in a `data:` address.
    pub qr_image: String,
    /// The key in base32, in groups of four.
    pub key: String,
    /// The account name the app will show.
    pub account: String,
}

/// What the second step of a sign-in asks of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondStep {
    /// A code from the app they set up, or a recovery code.
    Code,
    /// They must set up an authenticator app first: platform staff, or their team requires it.
    SetUp(TwoStepSetup),
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(SecondFactor::parse(" 123 456 "), Ok(SecondFactor::AppCode("123456".into())));
        assert_eq!(
            SecondFactor::parse("ABCD-EFGH-2345-67QR"),
            Ok(SecondFactor::RecoveryCode("abcdefgh234567qr".into()))
        );
        assert_eq!(
            SecondFactor::parse("abcd efgh 2345 6701"),
            Ok(SecondFactor::RecoveryCode("abcdefgh234567ol".into()))
        );
        let problem = |raw| SecondFactor::parse(raw).map_err(|e| (e.field, e.code));
        assert_eq!(problem(""), Err((Field::Code, Problem::Required)));
        assert_eq!(problem(" - "), Err((Field::Code, Problem::Required)));
        assert_eq!(problem("12345"), Err((Field::Code, Problem::InvalidFormat)));
        assert_eq!(problem("1234567"), Err((Field::Code, Problem::InvalidFormat)));
        assert_eq!(problem("abcd-efgh-2345-67q9"), Err((Field::Code, Problem::InvalidFormat)));
        assert_eq!(problem("ａｂｃｄ-efgh-2345-67qr"), Err((Field::Code, Problem::InvalidFormat)));
    }

    #[test]
    fn recovery_codes_are_shown_in_groups_of_four() {
        assert_eq!(display_recovery_code("abcdefgh234567qr"), "abcd-efgh-2345-67qr");
    }

    /// 100,000 codes typed or pasted: read or refused on the Code field, never a panic, and a
    /// shown recovery code reads back as itself.
    #[test]
    fn fuzz_second_factor_codes() {
        let pieces = &["123456", "12345", "-", " ", "abcd", "efgh", "2345", "67qr", "0", "1", "8", "9", "Z"];
        crate::fuzzing::run("two-step codes", crate::fuzzing::text(pieces, 6), |raw| {
            match SecondFactor::parse(&raw) {
                Ok(SecondFactor::AppCode(code)) => prop_assert_eq!(code.len(), 6),
                Ok(SecondFactor::RecoveryCode(code)) => {
                    prop_assert_eq!(code.len(), RECOVERY_CODE_LENGTH);
                    let shown = display_recovery_code(&code);
                    prop_assert_eq!(SecondFactor::parse(&shown), Ok(SecondFactor::RecoveryCode(code)));
                }
                Err(error) => {
                    prop_assert_eq!(error.field, Field::Code);
                    return Ok(false);
                }
            }
            Ok(true)
        });
    }
}
