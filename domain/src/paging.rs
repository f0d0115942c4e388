//! Page arithmetic for every list: page numbers come from query strings and request bodies, so no
//! number a caller sends may overflow (a panic) or reach the database as an offset it cannot take.
// Every operation here saturates; `make lint` keeps it that way.
#![deny(clippy::arithmetic_side_effects)]

/// The highest page any list serves; later pages are clamped to it (and come back empty).
pub const MAX_PAGE: u64 = 1_000_000;
/// The most rows a caller may ask for in one page.
pub const MAX_PER_PAGE: u64 = 1_000;

/// The SQL offset of a page counted from 1 (page 0 is page 1).
pub fn offset(page: u64, per_page: u64) -> u64 {
    page.saturating_sub(1).min(MAX_PAGE).saturating_mul(per_page.min(MAX_PER_PAGE))
}

/// The SQL offset of a page counted from 0.
pub fn offset0(page: u64, per_page: u64) -> u64 {
    offset(page.saturating_add(1), per_page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_page_number_gives_an_offset_the_database_accepts() {
        assert_eq!(offset(0, 50), 0);
        assert_eq!(offset(1, 50), 0);
        assert_eq!(offset(3, 50), 100);
        assert_eq!(offset0(2, 50), 100);
        for huge in [u64::MAX, u64::MAX - 1, 184_467_440_737_095_517, i64::MAX as u64 + 1] {
            assert!(offset(huge, 50) <= MAX_PAGE * 50, "{huge}");
            assert!(offset0(huge, u64::MAX) <= i64::MAX as u64, "{huge}");
        }
    }
}
