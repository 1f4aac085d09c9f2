//! Password hashing with argon2id at the OWASP parameters (19 MiB, 2 passes, 1 lane).
//!
//! A hash takes a core for tens of milliseconds, so it never runs on the async workers: it runs
//! on the blocking pool, and a semaphore lets at most one hash per core run at once, so a burst
//! of signups queues instead of starving every other request.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// The argon2 hash of a password, in PHC string form. Not `Serialize`: it never leaves the server.
#[derive(Clone)]
pub struct PasswordHashString(pub String);

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// A real hash of a random password, verified against when an account does not exist so
    /// that the answer takes as long as for an account that does.
    dummy: Arc<String>,
}

fn argon2() -> Argon2<'static> {
    // m = 19 MiB, t = 2, p = 1: the OWASP recommendation for argon2id. These are constants
    // within the argon2 crate's accepted range, so construction cannot fail.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl Hasher {
    pub async fn new(threads: usize) -> anyhow::Result<Hasher> {
        let permits = Arc::new(Semaphore::new(threads.max(1)));
        let dummy = hash_blocking(uuid::Uuid::new_v4().to_string())?.0;
        Ok(Hasher { permits, dummy: Arc::new(dummy) })
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<PasswordHashString> {
        let password = password.to_owned();
        let _permit = self.permits.acquire().await.context("hashing pool closed")?;
        tokio::task::spawn_blocking(move || hash_blocking(password)).await.context("hashing task failed")?
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is no account,
    /// always doing the same work. Returns true only for a real match.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> anyhow::Result<bool> {
        let exists = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy.as_ref().clone(), str::to_owned);
        let password = password.to_owned();
        let _permit = self.permits.acquire().await.context("hashing pool closed")?;
        let matched = tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&hash).ok()?;
            Some(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .context("verification task failed")?
        .unwrap_or(false);
        Ok(exists && matched)
    }
}

/// Hashes on the calling thread, which it blocks for tens of milliseconds: for the blocking pool
/// (through [`Hasher`]) and for measuring raw hashing speed.
pub fn hash_blocking(password: String) -> anyhow::Result<PasswordHashString> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2 refused to hash: {e}"))?;
    Ok(PasswordHashString(hash.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let hasher = Hasher::new(1).await.unwrap();
        let hash = hasher.hash("a perfectly fine secret").await.unwrap().0;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(hasher.verify("a perfectly fine secret", Some(&hash)).await.unwrap());
        assert!(!hasher.verify("a perfectly fine secreT", Some(&hash)).await.unwrap());
        assert!(!hasher.verify("a perfectly fine secret", None).await.unwrap());
    }
}
