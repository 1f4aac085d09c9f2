//! How a reseller's widget looks and where it may appear: its name, license link, primary colour
//! and logo, and the websites allowed to embed it. The portal's Widget settings form and the
//! server check them with these rules; the widget trusts what they let through.

use serde::{Deserialize, Serialize};

use crate::api::{FieldError, Problem};
use crate::text::clean;
use crate::text::NAME_MAX;
use crate::Field;

/// The longest web address accepted.
const URL_MAX: usize = 2000;

/// The most websites one widget key may be embedded on.
pub const ORIGINS_MAX: usize = 20;

/// An optional absolute http(s) address with a host (a license agreement, a logo).
pub fn web_address(field: Field, raw: &str) -> Result<Option<String>, FieldError> {
    let refuse = |code| FieldError::new(field, code);
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() > URL_MAX {
        return Err(refuse(Problem::TooLong));
    }
    let host = origin_of(value).map(|(_, host)| host).unwrap_or_default();
    if host.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"')) {
        return Err(refuse(Problem::InvalidFormat));
    }
    Ok(Some(value.to_owned()))
}

/// The scheme and host (with port) of an http(s) address, lower-cased; `None` when it is not one.
fn origin_of(address: &str) -> Option<(&'static str, String)> {
    let lower = address.to_ascii_lowercase();
    let (scheme, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        ("https", rest)
    } else {
        ("http", lower.strip_prefix("http://")?)
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    is_host_and_port(host).then(|| (scheme, host.to_owned()))
}

/// A host as a CSP source may name it (dot-separated labels of letters, digits and hyphens, so
/// no IPv6 literal), with an optional port of up to five digits: what the frame's
/// `frame-ancestors` and `img-src` are written from.
fn is_host_and_port(text: &str) -> bool {
    let (host, port) = match text.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (text, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    host.len() <= 253
        && host.split('.').all(label_ok)
        && port.is_none_or(|port| (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit()))
}

/// The origin (`https://host[:port]`) of an http(s) address, as a CSP source names it.
pub fn origin(address: &str) -> Option<String> {
    origin_of(address).map(|(scheme, host)| format!("{scheme}://{host}"))
}

/// The websites allowed to embed the widget, one per line: exact origins, lower-cased, without
/// a path (a trailing `/` is forgiven), without duplicates.
pub fn allowed_origins(raw: &str) -> Result<Vec<String>, FieldError> {
    let refuse = |code| FieldError::new(Field::AllowedOrigins, code);
    let mut origins: Vec<String> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let line = line.strip_suffix('/').unwrap_or(line);
        let origin =
            origin(line).filter(|origin| origin.len() == line.len()).ok_or_else(|| refuse(Problem::InvalidFormat))?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if origins.len() > ORIGINS_MAX {
        return Err(refuse(Problem::TooLong));
    }
    Ok(origins)
}

/// An optional `#rrggbb` colour dark enough for white text on it and for links in it on white
/// (WCAG contrast ≥ 4.5:1), lower-cased.
pub fn brand_color(raw: &str) -> Result<Option<String>, FieldError> {
    let refuse = |code| FieldError::new(Field::BrandColor, code);
    let value = raw.trim().to_ascii_lowercase();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.strip_prefix('#').filter(|d| d.len() == 6 && d.chars().all(|c| c.is_ascii_hexdigit()));
    let digits = digits.ok_or_else(|| refuse(Problem::InvalidFormat))?;
    if contrast_with_white(digits) < 4.5 {
        return Err(refuse(Problem::TooShort));
    }
    Ok(Some(value))
}

/// WCAG 2 contrast ratio of the colour `rrggbb` against white.
fn contrast_with_white(digits: &str) -> f64 {
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&digits[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    1.05 / (luminance + 0.05)
}

/// Widget settings as the form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettingsInput {
    #[serde(default)]
    pub reseller_name: String,
    #[serde(default)]
    pub license_url: String,
    #[serde(default)]
    pub brand_color: String,
    #[serde(default)]
    pub logo_url: String,
    /// One origin per line.
    #[serde(default)]
    pub allowed_origins: String,
}

/// Widget settings that passed the rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettings {
    pub reseller_name: String,
    pub license_url: Option<String>,
    pub brand_color: Option<String>,
    pub logo_url: Option<String>,
    pub allowed_origins: Vec<String>,
}

impl WidgetSettingsInput {
    pub fn validate(&self) -> Result<WidgetSettings, Vec<FieldError>> {
        let name = match clean(&self.reseller_name, NAME_MAX, true) {
            Ok(Some(name)) => Ok(name),
            Ok(None) => Err(FieldError::new(Field::ResellerName, Problem::Required)),
            Err(code) => Err(FieldError::new(Field::ResellerName, code)),
        };
        let license_url = web_address(Field::LicenseUrl, &self.license_url);
        let brand_color = brand_color(&self.brand_color);
        let logo_url = web_address(Field::LogoUrl, &self.logo_url);
        let origins = allowed_origins(&self.allowed_origins);
        match (name, license_url, brand_color, logo_url, origins) {
            (Ok(reseller_name), Ok(license_url), Ok(brand_color), Ok(logo_url), Ok(allowed_origins)) => {
                Ok(WidgetSettings { reseller_name, license_url, brand_color, logo_url, allowed_origins })
            }
            (name, license_url, brand_color, logo_url, origins) => Err(name
                .err()
                .into_iter()
                .chain(license_url.err())
                .chain(brand_color.err())
                .chain(logo_url.err())
                .chain(origins.err())
                .collect()),
        }
    }
}

impl WidgetSettings {
    /// The settings as the form shows them.
    pub fn to_input(&self) -> WidgetSettingsInput {
        WidgetSettingsInput {
            reseller_name: self.reseller_name.clone(),
            license_url: self.license_url.clone().unwrap_or_default(),
            brand_color: self.brand_color.clone().unwrap_or_default(),
            logo_url: self.logo_url.clone().unwrap_or_default(),
            allowed_origins: self.allowed_origins.join("\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T: std::fmt::Debug>(result: Result<T, FieldError>) -> Problem {
        result.unwrap_err().code
    }

    #[test]
    fn origins_are_exact_lower_cased_and_unique() {
        assert_eq!(
            allowed_origins(" https://Shop.Example.com/ \n\nhttp://localhost:8080\nhttps://shop.example.com").unwrap(),
            vec!["https://shop.example.com", "http://localhost:8080"]
        );
        assert_eq!(allowed_origins("").unwrap(), Vec::<String>::new());
        for bad in [
            "shop.example.com",
            "https://shop.example.com/page",
            "ftp://x.com",
            "https://",
            "https://a b.com",
            "https://x.com?q=1",
            "javascript:alert(1)",
        ] {
            assert_eq!(code(allowed_origins(bad)), Problem::InvalidFormat, "{bad}");
        }
        let many: Vec<String> = (0..21).map(|i| format!("https://s{i}.example.com")).collect();
        assert_eq!(code(allowed_origins(&many.join("\n"))), Problem::TooLong);
    }

    #[test]
    fn colours_must_be_hex_and_readable_on_white() {
        assert_eq!(brand_color(" #1F5FA8 ").unwrap(), Some("#1f5fa8".into()));
        assert_eq!(brand_color("").unwrap(), None);
        assert_eq!(code(brand_color("blue")), Problem::InvalidFormat);
        assert_eq!(code(brand_color("#12345")), Problem::InvalidFormat);
        assert_eq!(code(brand_color("#ffff00")), Problem::TooShort, "yellow is unreadable on white");
        assert_eq!(code(brand_color("#777777")), Problem::TooShort, "4.48:1 is just below");
        assert!(brand_color("#767676").is_ok(), "4.54:1 is just enough");
    }

    #[test]
    fn each_bad_setting_is_named() {
        let input = WidgetSettingsInput {
            reseller_name: String::new(),
            license_url: "eula".into(),
            brand_color: "red".into(),
            logo_url: "logo.png".into(),
            allowed_origins: "example.com".into(),
        };
        let fields: Vec<Field> = input.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![Field::ResellerName, Field::LicenseUrl, Field::BrandColor, Field::LogoUrl, Field::AllowedOrigins]
        );
    }

    #[test]
    fn origins_of_addresses_name_scheme_and_host() {
        assert_eq!(origin("https://cdn.example.com/logo.png"), Some("https://cdn.example.com".into()));
        assert_eq!(origin("data:image/png;base64,AAAA"), None);
    }

    /// Whether `source` is a host-source of CSP Level 3 as Portico writes them: a scheme, `://`,
    /// a host of dot-separated labels of letters, digits and hyphens, and an optional port.
    fn is_csp_host_source(source: &str) -> bool {
        let Some((scheme, rest)) = source.split_once("://") else { return false };
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        matches!(scheme, "http" | "https")
            && !host.is_empty()
            && host
                .split('.')
                .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            && port.is_none_or(|port| (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit()))
    }

    /// 100,000 lists of websites: never a panic; every origin accepted is a valid CSP source (it
    /// goes into the frame's `frame-ancestors`), lower-cased, without a path, at most 20.
    #[test]
    fn fuzz_allowed_origins() {
        use proptest::prelude::*;
        let pieces = &[
            "https://",
            "http://",
            "ftp://",
            "shop",
            ".",
            "example.com",
            ":",
            "8080",
            "/",
            "[",
            "]",
            "::1",
            "-",
            "\n",
            "*.",
            ";",
            ",",
            "'self'",
            "localhost",
            "@",
            "?q",
            "#x",
        ];
        crate::fuzzing::run("allowed origins", crate::fuzzing::text(pieces, 12), |raw| {
            let Ok(origins) = allowed_origins(&raw) else { return Ok(false) };
            prop_assert!(origins.len() <= ORIGINS_MAX);
            for origin in &origins {
                prop_assert!(is_csp_host_source(origin), "{origin:?} is not a CSP source");
                prop_assert_eq!(origin.to_ascii_lowercase(), origin.clone());
            }
            Ok(true)
        });
    }
}
