//! Credentials at rest: AES-256-GCM under one key from the configuration (`PORTICO_SECRET_KEY`), or a
//! key generated into the data folder on first start.
//!
//! A sealed value is `v1:` + base64(nonce ‖ ciphertext ‖ tag). The purpose (`vim.password`, …) is
//! authenticated data, so a value copied into another column does not open there. Opened values are
//! [`SecretString`]s: they are used to talk to a system, never displayed or sent to a browser.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

use crate::{Error, Result};

/// The secret key of every test server and test database: fixed, so a `portico audit verify` run by a
/// test opens what the test's server sealed. Outside `domain::testing` only the server's
/// `Settings::for_tests` (built into the library the integration tests link) uses it; never a real
/// installation.
pub const TEST_SECRET_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

/// The key that seals credentials. Debug output never shows it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// Reads a key written as 64 hexadecimal digits or as base64 of 32 bytes.
    pub fn parse(text: &str) -> Result<SecretKey> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
            hex::decode(text).map_err(|e| Error::invalid("secret key", e.to_string()))?
        } else {
            B64.decode(text).map_err(|_| Error::invalid("secret key", "must be 64 hex digits or base64 of 32 bytes"))?
        };
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::invalid("secret key", "must be 32 bytes (64 hex digits or 44 base64 characters)"))?;
        Ok(SecretKey(key))
    }

    pub fn generate() -> SecretKey {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        SecretKey(key)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key in `path`, or a new one written there (readable by its owner only) when the file is absent.
    pub fn load_or_create(path: &Path) -> Result<SecretKey> {
        match std::fs::read_to_string(path) {
            Ok(text) => SecretKey::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))?;
                }
                write_private(path, &key.to_hex())?;
                Ok(key)
            }
            Err(e) => Err(Error::Internal(format!("cannot read {}: {e}", path.display()))),
        }
    }

    /// Seals `plain` for one purpose (the column it goes to).
    pub fn seal(&self, purpose: &str, plain: &str) -> Result<String> {
        let cipher = Aes256Gcm::new_from_slice(&self.0).map_err(|e| Error::Internal(e.to_string()))?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: purpose.as_bytes() })
            .map_err(|_| Error::Internal("sealing a credential failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", B64.encode(out)))
    }

    /// Opens a value sealed for `purpose`. Fails (without detail) under another key or purpose.
    pub fn open(&self, purpose: &str, sealed: &str) -> Result<SecretString> {
        let unreadable = || {
            Error::Conflict(
                "a stored credential cannot be decrypted with the configured PORTICO_SECRET_KEY; enter it again".into(),
            )
        };
        let body = sealed.strip_prefix(PREFIX).ok_or_else(unreadable)?;
        let bytes = B64.decode(body).map_err(|_| unreadable())?;
        if bytes.len() < NONCE_LEN + 16 {
            return Err(unreadable());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let cipher = Aes256Gcm::new_from_slice(&self.0).map_err(|e| Error::Internal(e.to_string()))?;
        let plain = cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: purpose.as_bytes() })
            .map_err(|_| unreadable())?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| unreadable())
    }

    /// Compares a typed value with a sealed one without exposing either.
    pub fn matches(&self, purpose: &str, sealed: &str, typed: &str) -> Result<bool> {
        let stored = self.open(purpose, sealed)?;
        let (a, b) = (stored.expose_secret().as_bytes(), typed.as_bytes());
        // Length is not secret here; the content comparison is constant-time.
        Ok(a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(text.as_bytes()).map_err(|e| Error::Internal(format!("cannot write {}: {e}", path.display())))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::Internal(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_purpose() {
        let key = SecretKey::generate();
        let sealed = key.seal("vim.password", "s3cret-Pass").expect("seal");
        assert!(!sealed.contains("s3cret"), "{sealed}");
        assert_ne!(sealed, key.seal("vim.password", "s3cret-Pass").expect("seal"), "a fresh nonce every time");
        assert_eq!(key.open("vim.password", &sealed).expect("open").expose_secret(), "s3cret-Pass");
        assert!(key.open("ems.password", &sealed).is_err(), "another purpose");
        assert!(SecretKey::generate().open("vim.password", &sealed).is_err(), "another key");
        assert!(key.matches("vim.password", &sealed, "s3cret-Pass").expect("match"));
        assert!(!key.matches("vim.password", &sealed, "s3cret-Pas").expect("match"));
    }

    #[test]
    fn keys_parse_from_hex_or_base64_and_are_generated_once() {
        let key = SecretKey::generate();
        assert!(SecretKey::parse(&key.to_hex()).is_ok());
        assert!(SecretKey::parse(&B64.encode([7u8; 32])).is_ok());
        assert!(SecretKey::parse("abcd").is_err());
        let dir = std::env::temp_dir().join(format!("portico-key-{}", std::process::id()));
        let path = dir.join("secret.key");
        let first = SecretKey::load_or_create(&path).expect("created");
        let again = SecretKey::load_or_create(&path).expect("read back");
        assert_eq!(first.to_hex(), again.to_hex());
        let _ = std::fs::remove_dir_all(dir);
    }
}
