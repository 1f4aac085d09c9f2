//! E-mail addresses as people type them into a signup form: the dot-atom form of RFC 5321 with an
//! ASCII domain. Quoted local parts and address literals are legal but never seen in practice and
//! are refused. Stored lower-cased, so one person is one account.

use std::fmt;

use serde::Serialize;

use crate::api::Problem;

const MAX_LEN: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.trim().to_ascii_lowercase();
        if value.is_empty() {
            return Err(Problem::Required);
        }
        if value.len() > MAX_LEN {
            return Err(Problem::TooLong);
        }
        let (local, domain) = value.rsplit_once('@').ok_or(Problem::InvalidFormat)?;
        if valid_local(local) && valid_domain(domain) {
            Ok(EmailAddress(value))
        } else {
            Err(Problem::InvalidFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The mailbox the address reaches: without a `+tag` in its local part, which most mail
    /// servers deliver to the same person (AWS root e-mails are often `name+prod@company`).
    pub fn mailbox(&self) -> String {
        match self.0.rsplit_once('@') {
            Some((local, domain)) => format!("{}@{domain}", local.split('+').next().unwrap_or(local)),
            None => self.0.clone(),
        }
    }

    /// The part after `@`, for per-domain rules such as signup allow and deny lists.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmailAddress({})", self.0)
    }
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && labels.iter().all(|label| valid_label(label))
        && tld.len() >= 2
        && (tld.bytes().all(|b| b.is_ascii_alphabetic()) || tld.starts_with("xn--"))
}

fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_tagged_address_reaches_the_same_mailbox() {
        let mailbox = |raw: &str| EmailAddress::parse(raw).unwrap().mailbox();
        assert_eq!(mailbox("Kim+Research@Contoso.demo"), "kim@contoso.demo");
        assert_eq!(mailbox("kim@contoso.demo"), "kim@contoso.demo");
        assert_eq!(mailbox("kim+a+b@contoso.demo"), "kim@contoso.demo");
        assert_ne!(mailbox("kimberly@contoso.demo"), "kim@contoso.demo");
    }

    #[test]
    fn accepts_everyday_addresses_and_lowercases_them() {
        for (raw, stored) in [
            ("John@Customer.com", "john@customer.com"),
            (" first.last+tag@mail.example.co.uk ", "first.last+tag@mail.example.co.uk"),
            ("o'neil@example.ie", "o'neil@example.ie"),
            ("a@b.xn--p1ai", "a@b.xn--p1ai"),
        ] {
            assert_eq!(EmailAddress::parse(raw).unwrap().as_str(), stored);
        }
    }

    #[test]
    fn refuses_malformed_addresses() {
        for raw in [
            "plainaddress",
            "@example.com",
            "john@",
            "john@localhost",
            "john@@example.com",
            "john@exa mple.com",
            "john..smith@example.com",
            ".john@example.com",
            "john.@example.com",
            "john@-example.com",
            "john@example-.com",
            "john@example.c",
            "john@example.123",
            "jöhn@example.com",
            "john@exämple.com",
            "john@example.com<script>",
            "\"quoted\"@example.com",
            "john@[127.0.0.1]",
        ] {
            assert_eq!(EmailAddress::parse(raw), Err(Problem::InvalidFormat), "{raw}");
        }
    }

    #[test]
    fn empty_and_overlong_have_their_own_codes() {
        assert_eq!(EmailAddress::parse("  "), Err(Problem::Required));
        let long = format!("{}@{}.com", "a".repeat(64), "b".repeat(190));
        assert_eq!(EmailAddress::parse(&long), Err(Problem::TooLong));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(EmailAddress::parse(&long_local), Err(Problem::InvalidFormat));
    }

    #[test]
    fn domain_is_the_part_after_the_last_at() {
        assert_eq!(EmailAddress::parse("x@Sub.Example.com").unwrap().domain(), "sub.example.com");
    }

    proptest! {
        #[test]
        fn generated_valid_addresses_are_accepted(
            local in "[a-z0-9][a-z0-9._+-]{0,20}[a-z0-9]",
            host in "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?",
            tld in "[a-z]{2,6}",
        ) {
            prop_assume!(!local.contains(".."));
            let raw = format!("{local}@{host}.{tld}");
            prop_assert_eq!(EmailAddress::parse(&raw).map(|e| e.0), Ok(raw.clone()));
        }

        #[test]
        fn never_panics_and_never_accepts_spaces_inside(raw in "\\PC{0,80}") {
            if let Ok(email) = EmailAddress::parse(&raw) {
                prop_assert!(!email.as_str().contains(char::is_whitespace));
                prop_assert!(email.as_str().len() <= MAX_LEN);
                prop_assert_eq!(email.as_str().matches('@').count(), 1);
            }
        }
    }

    /// 100,000 addresses, typed or forged: never a panic; an accepted one is one address of at
    /// most 254 characters, without spaces, lower-cased host.
    #[test]
    fn fuzz_email_addresses() {
        let pieces = &["a", "name", ".", "..", "@", "@@", "example.com", "x-y", "+tag", "_", "\"", "com", "[1.2.3.4]"];
        let formed = ("[A-Za-z0-9._+'-]{0,20}", "[A-Za-z0-9.-]{0,20}", "[a-zA-Z]{0,6}", "[ ]{0,1}")
            .prop_map(|(local, host, tld, space)| format!("{space}{local}@{host}.{tld}{space}"));
        let strategy = prop_oneof![crate::fuzzing::text(pieces, 8), formed];
        crate::fuzzing::run("e-mail addresses", strategy, |raw| {
            let Ok(email) = EmailAddress::parse(&raw) else { return Ok(false) };
            prop_assert!(!email.as_str().contains(char::is_whitespace));
            prop_assert!(email.as_str().len() <= MAX_LEN);
            prop_assert_eq!(email.as_str().matches('@').count(), 1);
            prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
            Ok(true)
        });
    }
}
