//! The filters, order and page of a devices list, read from and written back to the address.

/// The list's sort keys, as the domain reads them; the first is the default.
pub(crate) const SORT_KEYS: [&str; 7] = ["name", "serial", "model", "site", "version", "status", "last_seen"];

/// The filters, order and page of a devices list, all in the address so a view can be bookmarked and
/// works without JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceFilter {
    pub search: String,
    pub status: String,
    pub model: String,
    pub sort: &'static str,
    pub dir: &'static str,
    pub page: u64,
}

impl DeviceFilter {
    /// Reads the current address; anything unreadable is the default.
    pub fn from_query(query: &leptos_router::params::ParamsMap) -> DeviceFilter {
        let get = |key: &str| query.get(key).unwrap_or_default().trim().to_string();
        let sort = query.get("sort");
        DeviceFilter {
            search: get("q"),
            status: get("status"),
            model: get("model"),
            sort: sort.and_then(|r| SORT_KEYS.into_iter().find(|k| *k == r)).unwrap_or(SORT_KEYS[0]),
            dir: if query.get("dir").as_deref() == Some("desc") { "desc" } else { "asc" },
            page: crate::ui::page_param(query.get("page")),
        }
    }

    pub fn filtered(&self) -> bool {
        !(self.search.is_empty() && self.status.is_empty() && self.model.is_empty())
    }

    /// `path` with the filters and an order, without the page; defaults are left out so plain
    /// links stay plain.
    pub fn href_with(&self, path: &str, status: &str, sort: &str, dir: &str) -> String {
        let mut parts = Vec::new();
        for (key, value) in [("q", self.search.as_str()), ("status", status), ("model", self.model.as_str())] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", crate::ui::encode_query(value)));
            }
        }
        if sort != SORT_KEYS[0] || dir != "asc" {
            parts.push(format!("sort={sort}"));
            parts.push(format!("dir={dir}"));
        }
        if parts.is_empty() { path.to_string() } else { format!("{path}?{}", parts.join("&")) }
    }

    /// This view without its page: what the pager builds on.
    pub fn base(&self, path: &str) -> String {
        self.href_with(path, &self.status, self.sort, self.dir)
    }
}

/// Where a click on a column's sort link leads: the other direction if it is the current order,
/// otherwise its natural first direction (most recent first for "last seen").
pub(crate) fn next_dir(column: &str, sort: &str, dir: &str) -> &'static str {
    if column == sort {
        if dir == "asc" { "desc" } else { "asc" }
    } else if column == "last_seen" {
        "desc"
    } else {
        "asc"
    }
}

pub(crate) fn aria_sort(column: &str, sort: &str, dir: &str) -> Option<&'static str> {
    (column == sort).then_some(if dir == "desc" { "descending" } else { "ascending" })
}

pub(crate) fn arrow(column: &str, sort: &str, dir: &str) -> &'static str {
    match aria_sort(column, sort, dir) {
        Some("descending") => " ▼",
        Some(_) => " ▲",
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_filters_and_leave_out_defaults() {
        let f = DeviceFilter { search: "a b".into(), model: "SRX345".into(), sort: "name", dir: "asc", ..Default::default() };
        assert_eq!(f.base("/devices"), "/devices?q=a%20b&model=SRX345");
        assert_eq!(f.href_with("/devices", "up", "last_seen", "desc"), "/devices?q=a%20b&status=up&model=SRX345&sort=last_seen&dir=desc");
        let plain = DeviceFilter { sort: "name", dir: "asc", ..Default::default() };
        assert_eq!(plain.base("/cloud-hubs"), "/cloud-hubs");
        assert!(!plain.filtered());
    }

    #[test]
    fn sorting_toggles_and_dates_start_newest() {
        assert_eq!(next_dir("name", "name", "asc"), "desc");
        assert_eq!(next_dir("serial", "name", "asc"), "asc");
        assert_eq!(next_dir("last_seen", "name", "asc"), "desc");
        assert_eq!(aria_sort("name", "name", "desc"), Some("descending"));
        assert_eq!(aria_sort("model", "name", "desc"), None);
    }
}
