//! Password hashing (argon2id) and the password rules.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::{Error, Result};

pub const MIN_LENGTH: usize = 12;
/// Hashing cost grows with input; a cap stops a megabyte "password" from being a denial of service.
pub const MAX_LENGTH: usize = 256;

/// argon2id, version 0x13, m = 19 MiB, t = 2, p = 1: the OWASP recommendation, and the crate's default.
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// False for a wrong password and for a hash that does not parse.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so that both cases cost the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash("portico-decoy-password").unwrap_or_default())
}

/// How many hashes run at once: one per core. Each argon2 hash holds 19 MiB for ~20 ms of CPU, so
/// running more at once only multiplies memory and threads without finishing any sooner.
fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Callers allowed to wait for a slot, per slot; beyond them a caller is told to come back later.
const QUEUE_PER_SLOT: usize = 32;
/// How long a queued caller waits for a slot before it is told to come back later.
const QUEUE_WAIT: Duration = Duration::from_secs(5);

/// Slots for hashing, and a bounded, brief queue in front of them.
struct Gate {
    slots: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    wait: Duration,
}

impl Gate {
    fn new(slots: usize, max_waiting: usize, wait: Duration) -> Gate {
        Gate { slots: Semaphore::new(slots), waiting: AtomicUsize::new(0), max_waiting, wait }
    }

    async fn admit(&self) -> Result<SemaphorePermit<'_>> {
        if let Ok(permit) = self.slots.try_acquire() {
            return Ok(permit);
        }
        // Counted up before waiting and down when done, whatever happens to this future.
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Error::busy());
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(self.wait, self.slots.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(Error::busy()),
        }
    }
}

fn gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| {
        let slots = hashing_slots();
        Gate::new(slots, slots.saturating_mul(QUEUE_PER_SLOT), QUEUE_WAIT)
    })
}

/// A slot for one password hash or verification (and, for a sign-in, the database work around it).
/// Holding it is what bounds the memory and threads that hashing may take, however many requests
/// arrive at once.
pub struct HashPermit(#[allow(dead_code)] SemaphorePermit<'static>);

/// Waits briefly for a hashing slot: at most [`QUEUE_WAIT`], behind at most a bounded queue. Beyond
/// that the answer is [`Error::Busy`], which the portal turns into `503` with `Retry-After`, so a
/// crowd of sign-ins (honest or not) costs a bounded amount of memory and leaves none behind.
pub async fn admit() -> Result<HashPermit> {
    gate().admit().await.map(HashPermit)
}

/// Hashing takes tens of milliseconds of CPU: keep it off the async worker threads, one slot each.
pub async fn hash_async(password: String) -> Result<String> {
    let _permit = admit().await?;
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing task failed: {e}")))?
}

/// Verifies in a slot of its own; busy when none comes free in time.
pub async fn verify_async(password: String, phc: String) -> Result<bool> {
    let permit = admit().await?;
    Ok(verify_with(&permit, password, phc).await)
}

/// Verifies in a slot the caller already holds.
pub async fn verify_with(_permit: &HashPermit, password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &phc)).await.unwrap_or(false)
}

/// The length limits alone (field `new_password`): the floor of every policy.
pub fn check_rules(new: &str) -> Result<()> {
    let length = new.chars().count();
    if length < MIN_LENGTH {
        return Err(Error::invalid("new_password", format!("must be at least {MIN_LENGTH} characters")));
    }
    if length > MAX_LENGTH {
        return Err(Error::invalid("new_password", format!("must be at most {MAX_LENGTH} characters")));
    }
    if new.trim().is_empty() {
        return Err(Error::invalid("new_password", "must not be only spaces"));
    }
    Ok(())
}

/// Every rule of the policy the password breaks, in words; empty when it passes. History is checked
/// separately (it needs the stored hashes).
pub fn violations(min_length: usize, username: &str, new: &str) -> Vec<String> {
    let mut out = Vec::new();
    let length = new.chars().count();
    if length < min_length {
        out.push(format!("be at least {min_length} characters"));
    }
    if length > MAX_LENGTH {
        out.push(format!("be at most {MAX_LENGTH} characters"));
    }
    let classes = [
        new.chars().any(|c| c.is_lowercase()),
        new.chars().any(|c| c.is_uppercase()),
        new.chars().any(|c| c.is_ascii_digit()),
        new.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        out.push("use at least three of: lower-case letters, upper-case letters, digits, symbols".to_string());
    }
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && new.to_lowercase().contains(&name) {
        out.push("not contain your user name".to_string());
    }
    out
}

/// [`violations`] as one field error: "must be at least 12 characters; and use at least three of …".
pub fn check_policy(field: &'static str, min_length: usize, username: &str, new: &str) -> Result<()> {
    let v = violations(min_length, username, new);
    if v.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("must {}", v.join("; must "))))
    }
}

/// A random password of 20 characters with upper and lower case, digits and symbols, avoiding
/// characters that are easy to misread when copied from a terminal (0/O, 1/l/I).
pub fn generate() -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"-_.+=";
    let classes = [UPPER, LOWER, DIGIT, SYMBOL];
    let mut rng = rand::thread_rng();
    let mut chars: Vec<u8> = classes.iter().map(|c| c[rng.gen_range(0..c.len())]).collect();
    let all: Vec<u8> = classes.concat();
    while chars.len() < 20 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    // Shuffle so the class order of the first four characters gives nothing away.
    for i in (1..chars.len()).rev() {
        chars.swap(i, rng.gen_range(0..=i));
    }
    String::from_utf8(chars).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_queues_briefly_then_says_busy_and_never_grows() {
        let gate = Gate::new(1, 2, Duration::from_millis(150));
        let held = gate.admit().await.expect("the free slot");
        // Two may wait; the third is told at once to come back later.
        let (a, b) = (gate.admit(), gate.admit());
        let third = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            gate.admit().await
        };
        let started = std::time::Instant::now();
        let (a, b, third) = tokio::join!(a, b, third);
        assert!(matches!(third, Err(Error::Busy { retry_after_secs: Error::RETRY_AFTER_SECS })));
        // The two that waited gave up after the queue's wait, not before.
        assert!(matches!(a, Err(Error::Busy { .. })) && matches!(b, Err(Error::Busy { .. })));
        assert!(started.elapsed() >= Duration::from_millis(140), "{:?}", started.elapsed());
        assert_eq!(gate.waiting.load(Ordering::Acquire), 0, "nobody is left counted as waiting");
        // A slot freed in time goes to a waiter.
        let waiter = gate.admit();
        let release = async {
            tokio::time::sleep(Duration::from_millis(30)).await;
            drop(held);
        };
        let (got, ()) = tokio::join!(waiter, release);
        assert!(got.is_ok());
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery").expect("hash");
        let b = hash("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn policy_lists_every_broken_rule() {
        assert!(violations(12, "alice", "Correct-Horse-9").is_empty());
        let v = violations(12, "alice", "alicealice");
        assert_eq!(v.len(), 3, "{v:?}");
        assert!(v[0].contains("12 characters") && v[1].contains("three of") && v[2].contains("user name"));
        assert!(violations(12, "bob", "Some-Long-Pass-1").is_empty());
        let e = check_policy("new_password", 12, "x", "short").unwrap_err().to_string();
        assert!(e.starts_with("invalid new_password: must be at least 12 characters; must use at least three"), "{e}");
    }

    #[test]
    fn rules_name_the_field_and_the_problem() {
        let short = check_rules("elevenchars").unwrap_err().to_string();
        assert_eq!(short, "invalid new_password: must be at least 12 characters");
        assert!(check_rules("twelve chars").is_ok());
        assert!(check_rules(&"x".repeat(MAX_LENGTH + 1)).is_err());
        assert!(check_rules(&" ".repeat(20)).is_err());
    }

    #[test]
    fn generated_passwords_meet_the_rules_and_differ() {
        let a = generate();
        assert_eq!(a.len(), 20);
        assert!(check_rules(&a).is_ok());
        assert!(a.chars().any(|c| c.is_ascii_uppercase()) && a.chars().any(|c| c.is_ascii_lowercase()));
        assert!(a.chars().any(|c| c.is_ascii_digit()));
        assert_ne!(a, generate());
    }
}
