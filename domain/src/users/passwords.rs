//! Password hashing (argon2id) and the password rules.

use std::sync::OnceLock;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;

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

/// Hashing takes tens of milliseconds of CPU: keep it off the async worker threads.
pub async fn hash_async(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing task failed: {e}")))?
}

pub async fn verify_async(password: String, phc: String) -> bool {
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
