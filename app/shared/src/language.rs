//! The languages Portico speaks to end customers: in the widget, and in the e-mails and pages it
//! leads to.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::api::Problem;
use crate::Field;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "lowercase", try_from = "String")]
#[strum(serialize_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Es,
}

/// In the API, exactly `"en"` or `"es"`; a request with anything else is refused, naming the field.
impl TryFrom<String> for Language {
    type Error = &'static str;

    fn try_from(tag: String) -> Result<Language, &'static str> {
        tag.parse().map_err(|_| "language must be \"en\" or \"es\"")
    }
}

impl Language {
    /// From a language tag such as a page's `lang`: Spanish for `es` and `es-*` in any case,
    /// English otherwise.
    pub fn from_tag(tag: &str) -> Language {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "es" || tag.starts_with("es-") {
            Language::Es
        } else {
            Language::En
        }
    }

    /// The tag stored with a customer user and put in `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.into()
    }

    /// The English or the Spanish, as this language asks. Callers write both side by side, so
    /// that neither is forgotten when the other changes.
    pub fn say<T>(self, english: T, spanish: T) -> T {
        match self {
            Language::En => english,
            Language::Es => spanish,
        }
    }

    /// A field's error in this language, by its code; `None` where the server's English text
    /// stands (in English, and for codes without a translation).
    pub fn field_message(self, field: Field, code: Problem) -> Option<&'static str> {
        if self == Language::En {
            return None;
        }
        Some(match (field, code) {
            (Field::VerifyPassword, Problem::Required) => "Escriba la contraseña otra vez.",
            (Field::VerifyPassword, _) => "Las dos contraseñas no coinciden.",
            (Field::Password, Problem::TooShort) => {
                "Use al menos 15 caracteres. Unas cuantas palabras sin relación forman una contraseña fuerte."
            }
            (Field::Password, Problem::TooLong) => "Use como máximo 256 caracteres.",
            (Field::Password, Problem::TooCommon) => "Esta contraseña es demasiado fácil de adivinar. Pruebe con varias palabras.",
            (Field::Email, Problem::InvalidFormat) => "Escriba una dirección de correo como nombre@ejemplo.com.",
            (Field::Phone, Problem::InvalidFormat) => {
                "Escriba un número de teléfono del país elegido, con su prefijo de zona, o empiece por + y el código del país."
            }
            (Field::State, Problem::InvalidFormat) => "Elija de la lista un estado, provincia o territorio del país elegido.",
            (Field::Zip, Problem::InvalidFormat) => "Escriba un código postal con el formato del país elegido.",
            (Field::Country, _) | (_, Problem::UnknownCountry) => "Elija un país de la lista.",
            (Field::LicenseAccepted, _) => "Acepte el acuerdo de licencia para registrarse.",
            (_, Problem::Required) => "Este campo es obligatorio.",
            (_, Problem::TooLong) => "Es demasiado largo.",
            (_, Problem::TooShort) => "Es demasiado corto.",
            (_, Problem::InvalidCharacters) => "Quite los caracteres de control y los caracteres < y >.",
            (_, Problem::InvalidFormat) => "No reconocemos este formato.",
            _ => return None,
        })
    }
}

/// Puts `args` in place of each `{}` of a phrase `template`, in order: the phrases of both
/// languages mark where names and numbers go this way.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    for arg in args {
        let Some((before, after)) = rest.split_once("{}") else { break };
        out.push_str(before);
        out.push_str(arg);
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_each_argument_in_order() {
        assert_eq!(
            fill("Signed in as {} for {}.", &["ann@example.com", "Ann Co"]),
            "Signed in as ann@example.com for Ann Co."
        );
        assert_eq!(fill("no holes", &["unused"]), "no holes");
        assert_eq!(fill("{} and {}", &["one"]), "one and {}");
    }

    #[test]
    fn spanish_from_any_spanish_tag_else_english() {
        for tag in ["es", "ES", "es-MX", "es-419", " es "] {
            assert_eq!(Language::from_tag(tag), Language::Es, "{tag}");
        }
        for tag in ["", "en", "en-US", "est", "fr", "eses"] {
            assert_eq!(Language::from_tag(tag), Language::En, "{tag}");
        }
        assert_eq!(Language::from_tag(Language::Es.tag()), Language::Es);
    }
}
