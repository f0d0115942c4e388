//! The names `make site` gave the browser half (`scripts/install-site.sh`): content-hashed, listed
//! in `<site root>/files.txt`. Pages name these files, which are served as immutable; the list is
//! read again whenever it changes, so a rebuilt site is what the next page load gets.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// What a page needs to load the browser half.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    /// wasm-bindgen's output name: `<app>.js` and `<app>_bg.wasm` under `/pkg`; `<build>/portico`
    /// for a build in its own folder (the split wasm's files name each other relatively).
    pub app: String,
    /// The stylesheet under `/pkg`.
    pub css: String,
}

impl Names {
    /// Unhashed names, for a site folder that has no list (a hand-made or test site).
    fn plain() -> Names {
        Names { app: "portico".into(), css: "portico.css".into() }
    }

    fn parse(text: &str) -> Option<Names> {
        let value = |key: &str| {
            text.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim() == key)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| v.split('/').count() <= 2 && v.split('/').all(is_file_name))
        };
        Some(Names { app: value("app")?, css: value("css")? })
    }
}

/// A plain file or folder name: nothing that could leave `/pkg` or the attribute it is written into.
fn is_file_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `files.txt` of one site folder, re-read when its modification time changes.
#[derive(Clone, Debug)]
pub struct SiteFiles {
    list: PathBuf,
    seen: Arc<Mutex<Option<(SystemTime, Names)>>>,
}

impl SiteFiles {
    pub fn new(site_root: impl Into<PathBuf>) -> SiteFiles {
        SiteFiles { list: site_root.into().join("files.txt"), seen: Arc::default() }
    }

    /// The current names; the plain ones when there is no readable list.
    pub fn names(&self) -> Names {
        let Ok(modified) = std::fs::metadata(&self.list).and_then(|m| m.modified()) else {
            return Names::plain();
        };
        if let Ok(seen) = self.seen.lock() {
            if let Some((at, names)) = seen.as_ref() {
                if *at == modified {
                    return names.clone();
                }
            }
        }
        let names = std::fs::read_to_string(&self.list).ok().and_then(|t| Names::parse(&t));
        let Some(names) = names else {
            tracing::warn!(list = %self.list.display(), "the site's file list cannot be read; using unhashed names");
            return Names::plain();
        };
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((modified, names.clone()));
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_names_the_hashed_files_and_nothing_else_is_taken() {
        let names = Names::parse("app: portico.0123abcd\ncss: portico.99.css\n");
        assert_eq!(names, Some(Names { app: "portico.0123abcd".into(), css: "portico.99.css".into() }));
        assert_eq!(Names::parse("app: portico\n"), None, "both names are needed");
        assert_eq!(Names::parse("app: ../x\"><script>\ncss: a.css"), None, "a name is a file name, nothing more");
        let split = Names::parse("app: 0123abcd/portico\ncss: portico.99.css\n");
        assert_eq!(split.map(|n| n.app), Some("0123abcd/portico".to_string()), "a build in its own folder");
        for bad in ["../portico", "a/b/portico", "/portico", "a//portico", "./portico"] {
            assert_eq!(Names::parse(&format!("app: {bad}\ncss: a.css")), None, "{bad}");
        }
    }

    #[test]
    fn a_rewritten_list_is_read_again() {
        let dir = std::env::temp_dir().join(format!("portico-site-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files = SiteFiles::new(&dir);
        assert_eq!(files.names(), Names::plain());
        std::fs::write(dir.join("files.txt"), "app: portico.aaaa\ncss: portico.bbbb.css\n").unwrap();
        assert_eq!(files.names().app, "portico.aaaa");
        // A later build: another modification time (set explicitly; writes within one tick share one).
        std::fs::write(dir.join("files.txt"), "app: portico.cccc\ncss: portico.bbbb.css\n").unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options().write(true).open(dir.join("files.txt")).unwrap().set_modified(later).unwrap();
        assert_eq!(files.names().app, "portico.cccc");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
