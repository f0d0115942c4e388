//! Software images: the Junos packages devices are upgraded to. The list (with Delete) and the upload
//! page — a plain multipart form posted to the server's `/images/upload` route (files do not travel
//! through server functions), so it works the same with JavaScript on or off; the server checks
//! the size and the SHA-256 while it streams the file, and a refusal comes back in the address.

mod list;
mod server_fns;
mod upload;

pub use list::*;
pub use server_fns::*;
pub use upload::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRow {
    pub id: i64,
    pub file_name: String,
    pub version: String,
    /// `srx`, `srx1500`, `nfx` or `vnf`.
    pub family: String,
    pub family_label: String,
    pub size_bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
    pub description: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageListView {
    pub rows: Vec<ImageRow>,
    pub can_upload: bool,
    pub can_delete: bool,
}

/// What the upload page states. Not `ImageLimits`: that is the server function's own struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageLimitsView {
    pub max_bytes: u64,
    /// "2 GiB"
    pub max_text: String,
    pub can_upload: bool,
}

/// The families an image may be for, as (key, label): which models it installs on.
pub const FAMILIES: [(&str, &str); 4] = [("srx", "SRX Series (srxsme)"), ("srx1500", "SRX1500"), ("nfx", "NFX Series"), ("vnf", "VNF image (VM disk)")];

pub fn family_label(key: &str) -> String {
    FAMILIES.iter().find(|(k, _)| *k == key).map_or_else(|| key.to_string(), |(_, l)| l.to_string())
}

/// The upload form's fields; a refusal naming another field is shown above the form.
pub const UPLOAD_FIELDS: [&str; 5] = ["file", "version", "family", "sha256", "description"];

/// The form field a refusal belongs to: the upload route may name the domain's fields, which the
/// form calls differently (`expected_sha256` is the `sha256` box, the file's name and size are the file).
pub fn upload_field(field: &str) -> Option<&'static str> {
    match field.trim() {
        "expected_sha256" | "sha256" => Some("sha256"),
        "file_name" | "size_bytes" | "file" => Some("file"),
        other => UPLOAD_FIELDS.iter().find(|f| **f == other).copied(),
    }
}

/// A size as people read it: "512 B", "1.5 MiB", "2 GiB" (binary units, as the limit is set).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes} B");
    }
    let text = if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") };
    let text = text.strip_suffix(".0").map(str::to_string).unwrap_or(text);
    format!("{text} {}", UNITS[unit])
}

/// The first 12 hex digits of a checksum: enough to tell images apart at a glance.
pub fn short_sha(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}

pub fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "uploaded" => Some("Image uploaded. Its SHA-256 was computed while it arrived and is shown below."),
        "deleted" => Some("Image deleted."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(2 * 1024 * 1024 * 1024), "2 GiB");
        assert_eq!(human_size(512 * 1024 * 1024), "512 MiB");
        assert_eq!(human_size(1024 * 1024 * 1024 + 300 * 1024 * 1024), "1.3 GiB");
    }

    #[test]
    fn checksums_are_shortened() {
        assert_eq!(short_sha("0123456789abcdef0123"), "0123456789ab");
        assert_eq!(short_sha("abc"), "abc");
    }

    #[test]
    fn refusals_find_their_field() {
        assert_eq!(upload_field("expected_sha256"), Some("sha256"));
        assert_eq!(upload_field("file_name"), Some("file"));
        assert_eq!(upload_field("version"), Some("version"));
        assert_eq!(upload_field("server"), None);
        assert_eq!(family_label("srx1500"), "SRX1500");
    }
}
