//! Customer fields: the reseller's own fields on every customer (text, number, date, yes/no or a
//! choice; required or not), and the rules a customer's values must meet.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::ids::CustomFieldId;
use crate::text::clean;
use crate::Field;

const LABEL_MAX: usize = 60;
const TEXT_MAX: usize = 500;
const CHOICES_MAX: usize = 50;
const CHOICE_MAX: usize = 100;

/// What a customer field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    YesNo,
    Choice,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<FieldKind> {
        text.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Text => "Text",
            FieldKind::Number => "Number",
            FieldKind::Date => "Date",
            FieldKind::YesNo => "Yes / no",
            FieldKind::Choice => "Choice from a list",
        }
    }
}

/// A field the reseller defined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDefinition {
    pub id: CustomFieldId,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// For a choice field, the choices in order.
    pub choices: Vec<String>,
}

/// A new field as the Customer fields settings form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    /// One choice per line (choice fields only).
    #[serde(default)]
    pub choices: String,
}

/// A definition that passed the rules (without an id yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDefinition {
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub choices: Vec<String>,
}

impl DefinitionInput {
    pub fn validate(&self) -> Result<ValidDefinition, Vec<FieldError>> {
        let label = match clean(&self.label, LABEL_MAX, true) {
            Ok(Some(label)) => Ok(label),
            Ok(None) => Err(FieldError::new(Field::Label, Problem::Required)),
            Err(code) => Err(FieldError::new(Field::Label, code)),
        };
        let kind = FieldKind::parse(&self.kind).ok_or_else(|| FieldError::new(Field::Kind, Problem::InvalidFormat));
        let choices = match kind {
            Ok(FieldKind::Choice) => choices(&self.choices),
            _ => Ok(Vec::new()),
        };
        match (label, kind, choices) {
            (Ok(label), Ok(kind), Ok(choices)) => Ok(ValidDefinition { label, kind, required: self.required, choices }),
            (label, kind, choices) => Err(label.err().into_iter().chain(kind.err()).chain(choices.err()).collect()),
        }
    }
}

fn choices(raw: &str) -> Result<Vec<String>, FieldError> {
    let refuse = |code| FieldError::new(Field::Choices, code);
    let mut list: Vec<String> = Vec::new();
    for line in raw.lines() {
        match clean(line, CHOICE_MAX, false) {
            Ok(Some(choice)) if !list.contains(&choice) => list.push(choice),
            Ok(_) => {}
            Err(Problem::TooLong) => return Err(refuse(Problem::TooLong)),
            Err(code) => return Err(refuse(code)),
        }
    }
    match list.len() {
        0 => Err(refuse(Problem::Required)),
        n if n > CHOICES_MAX => Err(refuse(Problem::TooLong)),
        _ => Ok(list),
    }
}

/// Why a customer's value was refused, named by its field's id (the fields are the reseller's,
/// so they cannot be members of [`Field`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueError {
    pub field_id: CustomFieldId,
    pub code: Problem,
    pub message: String,
}

impl FieldDefinition {
    /// The stored form of a value typed for this field (`None`: empty), or why it is refused.
    pub fn check(&self, raw: &str) -> Result<Option<String>, ValueError> {
        let refuse =
            |code: Problem, message: &str| ValueError { field_id: self.id.clone(), code, message: message.into() };
        let value = raw.trim();
        if value.is_empty() {
            return if self.required { Err(refuse(Problem::Required, "This field is required.")) } else { Ok(None) };
        }
        let valid = match self.kind {
            FieldKind::Text => {
                return clean(value, TEXT_MAX, true).map_err(|code| match code {
                    Problem::TooLong => refuse(code, "Use at most 500 characters."),
                    _ => refuse(code, "Remove control characters and the characters < and >."),
                })
            }
            FieldKind::Number => is_number(value),
            FieldKind::Date => is_date(value),
            FieldKind::YesNo => matches!(value, "yes" | "no"),
            FieldKind::Choice => self.choices.iter().any(|choice| choice == value),
        };
        if !valid {
            let message = match self.kind {
                FieldKind::Number => "Enter a number such as 42 or -3.5.",
                FieldKind::Date => "Enter a date as year-month-day, such as 2026-11-27.",
                _ => "Choose one of the options.",
            };
            return Err(refuse(Problem::InvalidFormat, message));
        }
        Ok(Some(value.to_owned()))
    }
}

/// A decimal number as people type it: an optional minus, digits, an optional fraction.
fn is_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    value.len() <= 20
        && !whole.is_empty()
        && !fraction.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
}

/// A calendar date `YYYY-MM-DD` (what a date input sends).
fn is_date(value: &str) -> bool {
    crate::dates::Day::parse(value).is_ok()
}

/// One customer's value of one field, as the Customer fields tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub definition: FieldDefinition,
    pub value: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(kind: FieldKind, required: bool) -> FieldDefinition {
        FieldDefinition {
            id: CustomFieldId("cfd_1".into()),
            label: "L".into(),
            kind,
            required,
            choices: vec!["Gold".into(), "Silver".into()],
        }
    }

    fn code(result: Result<Option<String>, ValueError>) -> Problem {
        result.unwrap_err().code
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(definition(FieldKind::Number, false).check(" -3.5 ").unwrap(), Some("-3.5".into()));
        for bad in ["3,5", "1e3", "-", ".5", "5.", "twelve"] {
            assert_eq!(code(definition(FieldKind::Number, false).check(bad)), Problem::InvalidFormat, "{bad}");
        }
        assert!(definition(FieldKind::Date, false).check("2028-02-29").is_ok());
        for bad in ["2027-02-29", "2026-13-01", "26-11-27", "2026/11/27", "2026-11-31"] {
            assert_eq!(code(definition(FieldKind::Date, false).check(bad)), Problem::InvalidFormat, "{bad}");
        }
        assert!(definition(FieldKind::YesNo, false).check("yes").is_ok());
        assert_eq!(code(definition(FieldKind::YesNo, false).check("maybe")), Problem::InvalidFormat);
        assert!(definition(FieldKind::Choice, false).check("Gold").is_ok());
        assert_eq!(code(definition(FieldKind::Choice, false).check("Bronze")), Problem::InvalidFormat);
        assert_eq!(code(definition(FieldKind::Text, false).check(&"x".repeat(501))), Problem::TooLong);
        assert_eq!(code(definition(FieldKind::Text, false).check("<b>")), Problem::InvalidCharacters);
    }

    #[test]
    fn empty_is_absent_unless_required() {
        assert_eq!(definition(FieldKind::Text, false).check("  ").unwrap(), None);
        assert_eq!(code(definition(FieldKind::Text, true).check("")), Problem::Required);
    }

    #[test]
    fn definitions_name_each_bad_field() {
        let input =
            DefinitionInput { label: String::new(), kind: "colour".into(), required: false, choices: String::new() };
        let fields: Vec<Field> = input.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Label, Field::Kind]);
        let choice =
            DefinitionInput { label: "Tier".into(), kind: "choice".into(), required: true, choices: "\n \n".into() };
        assert_eq!(choice.validate().unwrap_err()[0].field, Field::Choices);
        let ok = DefinitionInput {
            label: " Tier ".into(),
            kind: "choice".into(),
            required: true,
            choices: "Gold\nSilver\nGold".into(),
        };
        assert_eq!(ok.validate().unwrap().choices, vec!["Gold", "Silver"]);
    }

    /// 100,000 values typed into a reseller's fields of every kind: never a panic; what is
    /// stored is trimmed, and a number, a date, yes/no or one of the choices as the kind says.
    #[test]
    fn fuzz_custom_field_values() {
        use proptest::prelude::*;
        let pieces = &["1", "-", ".", "42", "2026-11-27", "2026-02-30", "yes", "no", "Gold", "Silver", "<b>", "e5"];
        let kinds = proptest::sample::select(
            &[FieldKind::Text, FieldKind::Number, FieldKind::Date, FieldKind::YesNo, FieldKind::Choice][..],
        );
        let strategy = (kinds, any::<bool>(), crate::fuzzing::text(pieces, 6));
        crate::fuzzing::run("custom-field values", strategy, |(kind, required, raw)| {
            let field = definition(kind, required);
            let Ok(stored) = field.check(&raw) else { return Ok(false) };
            let Some(value) = stored else {
                prop_assert!(!required && raw.trim().is_empty());
                return Ok(true);
            };
            prop_assert_eq!(value.trim(), value.as_str());
            match kind {
                FieldKind::Text => prop_assert!(!value.contains(['<', '>']) && !value.chars().any(char::is_control)),
                FieldKind::Number => prop_assert!(value.parse::<rust_decimal::Decimal>().is_ok(), "{value}"),
                FieldKind::Date => prop_assert!(crate::dates::Day::parse(&value).is_ok()),
                FieldKind::YesNo => prop_assert!(value == "yes" || value == "no"),
                FieldKind::Choice => prop_assert!(field.choices.contains(&value)),
            }
            Ok(true)
        });
    }
}
