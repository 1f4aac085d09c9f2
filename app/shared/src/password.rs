//! The password policy of NIST SP 800-63B rev 4 as Portico applies it: at least 15 characters
//! (there is no second factor yet), at most 256, no composition rules, never truncated, and
//! refused when it is a known common password or a pattern a guesser tries first.

use std::fmt;

use crate::api::{FieldError, Problem};
use crate::Field;

pub const MIN_CHARS: usize = 15;
pub const MAX_CHARS: usize = 256;

/// Known passwords long enough to pass the length rule. Shorter common passwords are already
/// refused by length, so the list only needs the long ones; it is small enough to ship in the
/// widget, which lets the form say so before anything is sent.
const COMMON: &[&str] = &[
    "passwordpassword",
    "passwordpassword1",
    "password12345678",
    "password123456789",
    "passw0rdpassw0rd",
    "iloveyouiloveyou",
    "qwertyuiopasdfgh",
    "qwertyuiopasdfghjkl",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertyuiop123456",
    "qwertyqwertyqwerty",
    "1qaz2wsx3edc4rfv",
    "1qaz2wsx3edc4rfv5tgb",
    "zaq12wsxcde34rfv",
    "qazwsxedcrfvtgbyhn",
    "1q2w3e4r5t6y7u8i",
    "1q2w3e4r5t6y7u8i9o0p",
    "abcdefghijklmnop",
    "abcdefghijklmnopqrstuvwxyz",
    "administrator123",
    "letmeinletmein1",
    "welcomewelcome1",
    "trustno1trustno1",
    "correcthorsebatterystaple",
    "thequickbrownfox",
    "thequickbrownfoxjumpsoverthelazydog",
    "mypasswordismypassword",
    "changemechangeme",
    "supersecretpassword",
    "verysecurepassword",
    "mysecurepassword",
    "thisismypassword",
    "portico password",
    "porticopassword",
];

/// A password that satisfies the policy. Deliberately neither `Serialize` nor `Display`, and its
/// `Debug` is redacted, so it cannot reach a log or a response by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        // Passwords are taken exactly as typed: spaces are allowed and nothing is trimmed.
        let chars = raw.chars().count();
        if chars == 0 {
            return Err(Problem::Required);
        }
        if chars < MIN_CHARS {
            return Err(Problem::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(Problem::TooLong);
        }
        if is_guessable(raw) {
            return Err(Problem::TooCommon);
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(redacted)")
    }
}

/// "Verify password" must repeat "Password" exactly.
pub(crate) fn check_repeated(password: &str, repeated: &str) -> Result<(), Problem> {
    if repeated.is_empty() {
        Err(Problem::Required)
    } else if repeated != password {
        Err(Problem::Mismatch)
    } else {
        Ok(())
    }
}

/// A new password typed twice (signup, reset): the password, or why each field was refused.
pub fn new_password(password: &str, repeated: &str) -> Result<Password, Vec<FieldError>> {
    let parsed = Password::parse(password).map_err(|code| FieldError::new(Field::Password, code));
    let repeat = check_repeated(password, repeated).map_err(|code| FieldError::new(Field::VerifyPassword, code));
    match (parsed, repeat) {
        (Ok(password), Ok(())) => Ok(password),
        (parsed, repeat) => Err(parsed.err().into_iter().chain(repeat.err()).collect()),
    }
}

/// Long enough to call strong rather than merely acceptable: a few unrelated words reach it.
const STRONG_CHARS: usize = 24;

/// Where a password being typed stands: the policy's verdict and, among accepted ones, whether
/// its length makes it strong. No composition rules: length is what counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    Empty { min: usize },
    TooShort { chars: usize, min: usize },
    TooCommon,
    TooLong { max: usize },
    Acceptable,
    Strong,
}

pub fn strength(raw: &str) -> Strength {
    let chars = raw.chars().count();
    match Password::parse(raw) {
        Err(Problem::Required) => Strength::Empty { min: MIN_CHARS },
        Err(Problem::TooShort) => Strength::TooShort { chars, min: MIN_CHARS },
        Err(Problem::TooCommon) => Strength::TooCommon,
        Err(_) => Strength::TooLong { max: MAX_CHARS },
        Ok(_) if chars < STRONG_CHARS => Strength::Acceptable,
        Ok(_) => Strength::Strong,
    }
}

fn is_guessable(raw: &str) -> bool {
    let folded: Vec<char> = raw.to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let text: String = folded.iter().collect();
    COMMON.iter().any(|common| common.replace(' ', "") == text)
        || distinct(&folded) < 5
        || is_repeated_unit(&folded)
        || is_sequence(&folded)
}

fn distinct(chars: &[char]) -> usize {
    let mut seen: Vec<char> = Vec::new();
    for c in chars {
        if !seen.contains(c) {
            seen.push(*c);
        }
    }
    seen.len()
}

/// "abcabcabcabcabc", "hello123hello123": one short unit typed over and over.
fn is_repeated_unit(chars: &[char]) -> bool {
    (1..=chars.len() / 2)
        .filter(|unit| chars.len().is_multiple_of(*unit))
        .any(|unit| chars.chunks(unit).all(|chunk| chunk == &chars[..unit]))
}

/// "123456789012345", "zyxwvutsrqponmlk": each character one step from the last (digits wrap).
fn is_sequence(chars: &[char]) -> bool {
    let step = |a: char, b: char| {
        let diff = b as i32 - a as i32;
        if a.is_ascii_digit() && b.is_ascii_digit() && diff.abs() == 9 {
            -diff.signum()
        } else {
            diff
        }
    };
    let steps: Vec<i32> = chars.windows(2).map(|w| step(w[0], w[1])).collect();
    !steps.is_empty() && (steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_hint_follows_the_policy_then_the_length() {
        assert_eq!(strength(""), Strength::Empty { min: 15 });
        assert_eq!(strength("short one"), Strength::TooShort { chars: 9, min: 15 });
        assert_eq!(strength("passwordpassword"), Strength::TooCommon);
        assert_eq!(strength("river lamp orbit"), Strength::Acceptable);
        assert_eq!(strength("river lamp orbit cactus tulip"), Strength::Strong);
        assert_eq!(strength(&"river lamp ".repeat(30)), Strength::TooLong { max: 256 });
    }

    #[test]
    fn accepts_long_passphrases_exactly_as_typed() {
        let phrase = "  correct horse battery lamp  ";
        assert_eq!(Password::parse(phrase).unwrap().expose(), phrase);
        assert!(Password::parse("Tr0ub4dor&3-plus-more").is_ok());
        assert!(Password::parse("écureuil rôti du dimanche").is_ok());
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(Password::parse(""), Err(Problem::Required));
        assert_eq!(Password::parse("fourteen chars"), Err(Problem::TooShort));
        assert!(Password::parse("fifteen chars!!").is_ok());
        assert_eq!(Password::parse("ééééé ééééé éé"), Err(Problem::TooShort));
        let at_max: String = "abcdefghij".repeat(25) + "klmnop";
        assert_eq!(at_max.chars().count(), MAX_CHARS);
        assert!(Password::parse(&at_max).is_ok());
        assert_eq!(Password::parse(&(at_max + "q")), Err(Problem::TooLong));
    }

    #[test]
    fn refuses_common_and_patterned_passwords() {
        for guessable in [
            "passwordpassword",
            "PasswordPassword",
            "Correct Horse Battery Staple",
            "123456789012345",
            "1234567890123456789",
            "987654321098765",
            "abcdefghijklmnopq",
            "aaaaaaaaaaaaaaaa",
            "abababababababab",
            "hello123hello123",
            "111112222233333",
        ] {
            assert_eq!(Password::parse(guessable), Err(Problem::TooCommon), "{guessable}");
        }
    }

    #[test]
    fn a_new_password_must_pass_the_policy_and_be_repeated() {
        assert!(new_password("a perfectly fine secret", "a perfectly fine secret").is_ok());
        let fields = |p: &str, r: &str| -> Vec<(Field, Problem)> {
            new_password(p, r).unwrap_err().iter().map(|e| (e.field, e.code)).collect()
        };
        assert_eq!(fields("short", "short"), vec![(Field::Password, Problem::TooShort)]);
        assert_eq!(fields("a perfectly fine secret", ""), vec![(Field::VerifyPassword, Problem::Required)]);
        assert_eq!(
            fields("short", "other"),
            vec![(Field::Password, Problem::TooShort), (Field::VerifyPassword, Problem::Mismatch)]
        );
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let password = Password::parse("a perfectly fine secret").unwrap();
        assert_eq!(format!("{password:?}"), "Password(redacted)");
    }

    proptest! {
        #[test]
        fn any_accepted_password_is_within_the_length_bounds(raw in "\\PC{0,300}") {
            if let Ok(password) = Password::parse(&raw) {
                let n = password.expose().chars().count();
                prop_assert!((MIN_CHARS..=MAX_CHARS).contains(&n));
                prop_assert_eq!(password.expose(), raw.as_str());
            }
        }

        #[test]
        fn random_lowercase_words_of_sufficient_length_are_accepted(words in proptest::collection::vec("[a-z]{5,8}", 3..5)) {
            let phrase = words.join(" ");
            prop_assume!(!is_guessable(&phrase));
            prop_assert!(Password::parse(&phrase).is_ok());
        }
    }
}
