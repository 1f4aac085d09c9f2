//! Password hashing with argon2id at the OWASP parameters (19 MiB, 2 passes, 1 lane).
//!
//! A hash takes a core for tens of milliseconds and 19 MiB of memory, so it never runs on the async
//! workers: it runs on a few hashing threads of its own, one per core allowed, so a burst of
//! signups queues instead of starving every other request. Each thread keeps its 19 MiB while it
//! has work and gives it back to the system after a few idle seconds. Measured before: with
//! argon2 allocating on whatever blocking-pool thread ran it, a burst of 60 signups left the
//! release server at 606 MB resident, and it stayed there.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use argon2::password_hash::{Output, ParamsString, PasswordHash, PasswordHasher as _, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::{Error, Result};

/// The argon2 hash of a password, in PHC string form. Not `Serialize`: it never leaves the server.
#[derive(Clone)]
pub struct PasswordHashString(pub String);

#[derive(Clone)]
pub struct Hasher {
    work: flume::Sender<Work>,
    /// A real hash of a random password, verified against when an account does not exist so
    /// that the answer takes as long as for an account that does.
    dummy: Arc<String>,
}

/// A hash or a verification, given the thread's argon2 memory.
type Work = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// How many hashes may wait per hashing thread. Beyond it a request is answered at once that the
/// server is busy (503, retry in a second) rather than queued behind seconds of work, holding its
/// connection and memory: a flood of password attempts cannot grow the queue without bound.
const QUEUE_PER_THREAD: usize = 64;

/// How long a hashing thread keeps its memory without work.
const KEEP_MEMORY: Duration = Duration::from_secs(5);

fn params() -> Params {
    // m = 19 MiB, t = 2, p = 1: the OWASP recommendation for argon2id. These are constants
    // within the argon2 crate's accepted range, so construction cannot fail.
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

impl Hasher {
    /// Starts `threads` hashing threads (at least one).
    pub async fn new(threads: usize) -> anyhow::Result<Hasher> {
        return_large_allocations();
        let (work, queue) = flume::bounded::<Work>(threads.max(1) * QUEUE_PER_THREAD);
        for _ in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name("portico-hash".into())
                .spawn(move || hashing_thread(&queue))
                .context("starting a hashing thread")?;
        }
        let hasher = Hasher { work, dummy: Arc::new(String::new()) };
        let dummy = hasher.hash(&uuid::Uuid::new_v4().to_string()).await?.0;
        Ok(Hasher { dummy: Arc::new(dummy), ..hasher })
    }

    pub async fn hash(&self, password: &str) -> Result<PasswordHashString> {
        let password = password.to_owned();
        Ok(self.run(move |memory| hash_with(password.as_bytes(), memory)).await??)
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is no account,
    /// always doing the same work. Returns true only for a real match.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool> {
        let exists = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy.as_ref().clone(), str::to_owned);
        let password = password.to_owned();
        let matched = self.run(move |memory| verify_with(password.as_bytes(), &hash, memory)).await?;
        Ok(exists && matched)
    }

    /// Queues `job` for the next free hashing thread and waits for its answer; busy when the
    /// queue is full.
    async fn run<T: Send + 'static>(&self, job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static) -> Result<T> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let queued = self.work.try_send(Box::new(move |memory| {
            let _ = answer.send(job(memory));
        }));
        match queued {
            Ok(()) => {}
            Err(flume::TrySendError::Full(_)) => return Err(Error::Busy { seconds: 1 }),
            Err(flume::TrySendError::Disconnected(_)) => {
                return Err(anyhow::anyhow!("the hashing threads have stopped").into())
            }
        }
        Ok(answered.await.context("a hashing thread failed")?)
    }
}

fn hashing_thread(queue: &flume::Receiver<Work>) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let next = if memory.is_empty() {
            queue.recv().map_err(|_| flume::RecvTimeoutError::Disconnected)
        } else {
            queue.recv_timeout(KEEP_MEMORY)
        };
        match next {
            Ok(job) => job(&mut memory),
            Err(flume::RecvTimeoutError::Timeout) => memory = Vec::new(),
            Err(flume::RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Large allocations (argon2's 19 MiB) get their own pages from the system and go back to it when
/// freed. Without this, glibc raises its threshold after the first such free and serves later
/// ones from per-thread heaps, which keep the memory.
fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator; any value is valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// `memory` sized for `params`, reusing what the thread already has.
fn blocks<'m>(memory: &'m mut Vec<Block>, params: &Params) -> &'m mut [Block] {
    let count = params.block_count();
    if memory.len() < count {
        *memory = Vec::new();
        let mut fresh: Vec<Block> = Vec::with_capacity(count);
        prefer_huge_pages(fresh.as_ptr().cast(), count * std::mem::size_of::<Block>());
        fresh.resize(count, Block::default());
        *memory = fresh;
    }
    &mut memory[..count]
}

/// Asks for 2 MiB pages behind argon2's memory before it is first touched. argon2 reads its
/// blocks in a data-dependent order all over the 19 MiB, so with 4 KiB pages much of a hash is
/// spent on address translation; with huge pages it is not.
fn prefer_huge_pages(start: *const u8, length: usize) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let aligned = (start as usize).next_multiple_of(PAGE);
        let length = length.saturating_sub(aligned - start as usize) / PAGE * PAGE;
        // SAFETY: the range lies inside an allocation this thread owns; MADV_HUGEPAGE is advice
        // about how to back it and changes neither its contents nor its validity.
        unsafe {
            libc::madvise(aligned as *mut libc::c_void, length, libc::MADV_HUGEPAGE);
        }
    }
}

fn hash_with(password: &[u8], memory: &mut Vec<Block>) -> anyhow::Result<PasswordHashString> {
    let params = params();
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2()
        .hash_password_into_with_memory(password, raw_salt, &mut output, blocks(memory, &params))
        .map_err(|e| anyhow::anyhow!("argon2 refused to hash: {e}"))?;
    let hash = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&output).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(PasswordHashString(hash.to_string()))
}

/// Whether `password` hashes to `stored` under the algorithm, version and parameters `stored`
/// names. The comparison of the outputs takes the same time wherever they differ.
fn verify_with(password: &[u8], stored: &str, memory: &mut Vec<Block>) -> bool {
    let mut check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed.version.map_or(Ok(Version::V0x13), Version::try_from).ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let raw_salt = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut output = vec![0u8; expected.len()];
        Argon2::new(algorithm, version, params.clone())
            .hash_password_into_with_memory(password, raw_salt, &mut output, blocks(memory, &params))
            .ok()?;
        Some(Output::new(&output).ok()? == expected)
    };
    check().unwrap_or(false)
}

/// Hashes on the calling thread with argon2's own allocation, as the library is used out of the
/// box: the baseline the signup benchmark measures the server against.
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
        // Hashes made by argon2's own API, as every stored one was before, still verify.
        let earlier = hash_blocking("an earlier secret".into()).unwrap().0;
        assert!(hasher.verify("an earlier secret", Some(&earlier)).await.unwrap());
        assert!(!hasher.verify("an earlier secreT", Some(&earlier)).await.unwrap());
        assert!(!hasher.verify("an earlier secret", Some("not a hash")).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once() {
        let hasher = Hasher::new(1).await.unwrap();
        let attempts: Vec<_> = (0..QUEUE_PER_THREAD * 2)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.verify("guess", None).await })
            })
            .collect();
        let mut answers = Vec::new();
        for attempt in attempts {
            answers.push(attempt.await.unwrap());
        }
        let busy = answers.iter().filter(|answer| matches!(answer, Err(Error::Busy { seconds: 1 }))).count();
        let checked = answers.iter().filter(|answer| matches!(answer, Ok(false))).count();
        assert_eq!(busy + checked, QUEUE_PER_THREAD * 2, "every attempt answered, none failed otherwise");
        assert!(busy > 0 && checked >= QUEUE_PER_THREAD, "busy {busy}, checked {checked}");
    }
}
