//! The widget's form token: when the frame served the Signup form, signed by the platform. A
//! signup carries it back, so the server knows how long the form was open from its own clock
//! (a robot can report any fill time it likes, but cannot date a token). The key is made once
//! and kept in the database, so every server signs and checks alike.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::db::Db;
use crate::error::Result;
use crate::idempotency::hex;

/// The key that signs form tokens.
#[derive(Clone)]
pub struct FormKey([u8; 32]);

impl std::fmt::Debug for FormKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FormKey(…)")
    }
}

impl FormKey {
    /// A key of this process alone, until [`FormKey::load`] gives the platform's.
    pub fn random() -> FormKey {
        let mut key = [0_u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        FormKey(key)
    }

    /// The platform's key, made by whichever server asks first.
    pub async fn load(db: &Db) -> Result<FormKey> {
        let made = hex(&FormKey::random().0);
        sqlx::query("INSERT INTO platform_secrets (name, value) VALUES ('form_key', $1) ON CONFLICT (name) DO NOTHING")
            .bind(&made)
            .execute(&db.pool)
            .await?;
        let stored: String = sqlx::query_scalar("SELECT value FROM platform_secrets WHERE name = 'form_key'")
            .fetch_one(&db.pool)
            .await?;
        let key = unhex(&stored).ok_or_else(|| anyhow::anyhow!("the stored form key is not 32 bytes in hex"))?;
        Ok(FormKey(key))
    }

    fn mac(&self, issued_ms: i64) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(b"portico form token ");
        mac.update(issued_ms.to_string().as_bytes());
        mac
    }

    /// A token saying the form was served at `issued_ms`.
    pub fn issue(&self, issued_ms: i64) -> String {
        format!("{issued_ms}.{}", hex(&self.mac(issued_ms).finalize().into_bytes()))
    }

    /// How long ago, at `now_ms`, the form of `token` was served; `None` for a token this
    /// platform did not sign.
    pub fn age_ms(&self, token: &str, now_ms: i64) -> Option<i64> {
        let (issued, signature) = token.split_once('.')?;
        let issued_ms: i64 = issued.parse().ok()?;
        self.mac(issued_ms).verify_slice(&unhex(signature)?).ok()?;
        Some(now_ms - issued_ms)
    }
}

/// 32 bytes written as 64 hex digits (the key as stored, a token's signature), or `None`.
fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut bytes = [0_u8; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_tells_its_age_only_to_its_key() {
        let key = FormKey::random();
        let token = key.issue(1_000);
        assert_eq!(key.age_ms(&token, 4_500), Some(3_500));
        assert_eq!(FormKey::random().age_ms(&token, 4_500), None, "another platform's key");
        let backdated = token.replacen("1000.", "500.", 1);
        assert_eq!(key.age_ms(&backdated, 4_500), None, "a token re-dated by its holder");
        for forged in ["", "1000", "1000.", "x.y", "1000.zz", &format!("{token}0")] {
            assert_eq!(key.age_ms(forged, 4_500), None, "{forged:?}");
        }
    }
}
