//! Secret tokens handed to browsers and mailboxes (sessions, one-time links): 256 random bits,
//! base64url. The database keeps only their SHA-256, so a leaked database holds none of them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use crate::idempotency::hex;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored in place of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Sessions (portal and widget) end after 30 idle minutes or 12 hours, whichever comes first.
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// How long a sign-in waits for its second step after the password (see `staff::two_step`).
pub const SECOND_STEP_TIMEOUT_MS: i64 = 10 * 60 * 1000;
/// `last_seen_at` is refreshed at most this often, so reading pages does not write every time.
const TOUCH_INTERVAL_MS: i64 = 60 * 1000;

/// What to do with a session being used at `now`.
#[derive(Debug, PartialEq, Eq)]
pub enum SessionAge {
    Expired,
    /// Valid; record that it was used.
    Touch,
    /// Valid, and recorded recently enough.
    Fresh,
}

pub fn session_age(created_at: i64, last_seen_at: i64, now: i64) -> SessionAge {
    if now - last_seen_at > IDLE_TIMEOUT_MS || now - created_at > ABSOLUTE_TIMEOUT_MS {
        SessionAge::Expired
    } else if now - last_seen_at > TOUCH_INTERVAL_MS {
        SessionAge::Touch
    } else {
        SessionAge::Fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_when_idle_or_old() {
        let minute = 60 * 1000;
        assert_eq!(session_age(0, 0, 30 * minute), SessionAge::Touch);
        assert_eq!(session_age(0, 0, 30 * minute + 1), SessionAge::Expired);
        assert_eq!(session_age(0, 12 * 60 * minute - minute / 2, 12 * 60 * minute), SessionAge::Fresh);
        assert_eq!(session_age(0, 12 * 60 * minute, 12 * 60 * minute + 1), SessionAge::Expired);
    }

    #[test]
    fn tokens_are_long_distinct_and_hash_stably() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
