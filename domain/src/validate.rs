//! Parsing form input at the edge: each function returns the cleaned value or a field error that says
//! what is wrong in words a person can act on.

use sea_orm::{DbErr, SqlErr};

use crate::{Error, Result};

/// A short machine name (tenant, OpCo, user, role): 2–64 of a–z, 0–9, `-`, `_`, `.`, starting with a
/// letter or digit.
pub fn name(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.len() < 2 || s.len() > 64 {
        return Err(Error::invalid(field, "must be 2 to 64 characters long"));
    }
    if !s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(field, "must start with a letter or a digit"));
    }
    if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')) {
        return Err(Error::invalid(field, "may use only lower-case letters, digits, '-', '_' and '.'"));
    }
    Ok(s.to_string())
}

/// A human-readable name: 1–128 characters, no control characters.
pub fn display_name(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    if s.chars().count() > 128 {
        return Err(Error::invalid(field, "must be at most 128 characters"));
    }
    if s.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(s.to_string())
}

pub fn description(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.chars().count() > 1000 {
        return Err(Error::invalid("description", "must be at most 1000 characters"));
    }
    Ok(s.to_string())
}

/// An e-mail address, or empty. Only the shape is checked: one `@`, a dotted domain, no spaces.
pub fn email(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let ok = s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@')
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(Error::invalid("email", "is not an e-mail address (name@example.com)"))
    }
}

/// A whole number from a form field within `range`.
pub fn number(field: &'static str, raw: &str, range: std::ops::RangeInclusive<i32>) -> Result<i32> {
    let n: i32 = raw
        .trim()
        .parse()
        .map_err(|_| Error::invalid(field, "must be a whole number"))?;
    if !range.contains(&n) {
        return Err(Error::invalid(field, format!("must be between {} and {}", range.start(), range.end())));
    }
    Ok(n)
}

/// A decimal number from a form field within `range` ("0.5", "150").
pub fn decimal(field: &'static str, raw: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64> {
    let x: f64 = raw.trim().parse().map_err(|_| Error::invalid(field, "must be a number"))?;
    if !x.is_finite() || !range.contains(&x) {
        return Err(Error::invalid(field, format!("must be between {} and {}", range.start(), range.end())));
    }
    Ok(x)
}

/// "never" (or empty) → None, else 1–365 days.
pub fn password_max_age(field: &'static str, raw: &str) -> Result<Option<i32>> {
    let s = raw.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("never") || s == "0" {
        return Ok(None);
    }
    number(field, s, 1..=365).map(Some)
}

/// The longest search a list accepts. Far longer than any name it could match, and far below
/// SQLite's limit on a LIKE pattern (50,000 bytes), past which the query itself fails.
pub const MAX_SEARCH: usize = 200;

/// A list's search text, trimmed; longer than [`MAX_SEARCH`] characters is refused in words.
pub fn search(raw: &str) -> Result<&str> {
    let s = raw.trim();
    if s.chars().count() > MAX_SEARCH {
        return Err(Error::invalid("search", format!("must be at most {MAX_SEARCH} characters")));
    }
    Ok(s)
}

/// A spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a formula: such text is
/// exported with a leading `'`, which shows it as text.
pub fn spreadsheet_text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Turns a unique-constraint violation into a field error; passes anything else on.
pub fn unique(e: DbErr, field: &'static str, what: &str) -> Error {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        Error::invalid(field, format!("is taken: {what} with this name exists"))
    } else {
        e.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_lower_case_slugs() {
        assert_eq!(name("name", "  acme-corp ").ok().as_deref(), Some("acme-corp"));
        for bad in ["a", "Acme", "-acme", "acme corp", &"x".repeat(65)] {
            assert!(name("name", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_and_ages_parse() {
        assert_eq!(email(" ops@acme.example ").ok().as_deref(), Some("ops@acme.example"));
        assert_eq!(email("").ok().as_deref(), Some(""));
        for bad in ["ops", "ops@acme", "o ps@acme.example", "@acme.example", "a@b@c.d"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(password_max_age("d", "never").ok(), Some(None));
        assert_eq!(password_max_age("d", "90").ok(), Some(Some(90)));
        assert!(password_max_age("d", "366").is_err());
        assert!(password_max_age("d", "ninety").is_err());
    }
}
