//! The stale-asset guard: the site is installed by the real `scripts/install-site.sh` under
//! content-hashed names (a folder a build for the wasm and its chunks); a page names the current build's files, which are served as immutable;
//! after a rebuild with a change, the next page load names the new ones (no restart), and the files
//! the open pages still name are kept.

use std::path::Path;
use std::process::Command;

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};
use reqwest::StatusCode;
use server::Settings;

/// Runs the installer on a fake build: `js` and `wasm` as wasm-bindgen's output, `css` as the stylesheet.
fn install(site: &Path, build: &Path, js: &str, wasm: &str, css: &str) {
    std::fs::create_dir_all(build).expect("build dir");
    std::fs::write(build.join("portico.js"), js).expect("js");
    std::fs::write(build.join("portico_bg.wasm"), wasm).expect("wasm");
    std::fs::write(build.join("__wasm_split.js"), "import './portico.js';").expect("loader");
    std::fs::write(build.join("split_tenants.wasm"), format!("{wasm} chunk")).expect("chunk");
    std::fs::write(build.join("style.css"), css).expect("css");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/install-site.sh");
    let out = Command::new("bash").arg(script).arg(build).arg(build.join("style.css")).arg(site).output().expect("install-site.sh runs");
    assert!(out.status.success(), "install-site.sh: {}", String::from_utf8_lossy(&out.stderr));
}

/// The build folder of the wasm and the hash of the stylesheet a page names.
fn names_in(page: &str) -> (String, String) {
    let find = |prefix: &str, suffix: &str| {
        page.match_indices(prefix)
            .filter_map(|(i, _)| page[i + prefix.len()..].split_once(suffix).map(|(name, _)| name.to_string()))
            .find(|n| n.chars().all(|c| c.is_ascii_hexdigit()) && n.len() == 16)
            .unwrap_or_default()
    };
    (find("/pkg/", "/portico_bg.wasm"), find("/pkg/portico.", ".css"))
}

#[tokio::test]
async fn a_rebuilt_site_is_named_by_the_next_page_and_old_files_stay_for_open_pages() {
    let Some(t) = domain::testing::all().await.expect("test databases").into_iter().next() else { return };
    let root = std::env::temp_dir().join(format!("portico-site-{}", uuid::Uuid::new_v4().simple()));
    let (site, build) = (root.join("site"), root.join("build"));
    install(&site, &build, "export function hydrate(){}", "\0asm v1", "body { color: var(--text); }");

    let running = server::spawn(Settings::for_tests(&t.url, site.clone())).await.expect("server starts");
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::new();
    let page = |path: &'static str| {
        let (http, base) = (http.clone(), base.clone());
        async move { http.get(format!("{base}{path}")).send().await.expect("GET").text().await.expect("body") }
    };

    let (wasm_1, css_1) = names_in(&page("/login").await);
    assert!(!wasm_1.is_empty() && !css_1.is_empty(), "the page names hashed files");
    for file in ["portico_bg.wasm", "portico.js", "__wasm_split.js", "split_tenants.wasm"] {
        let res = http.get(format!("{base}/pkg/{wasm_1}/{file}")).header(ACCEPT_ENCODING, "gzip").send().await.expect("GET wasm");
        assert_eq!(res.status(), StatusCode::OK, "{file}");
        assert_eq!(res.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("public, max-age=31536000, immutable"));
        assert_eq!(res.headers().get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()), Some("gzip"), "{file} served precompressed");
    }

    // A rebuild with a changed wasm, the stylesheet unchanged. The file list gets a new modification
    // time even within the same clock tick.
    std::thread::sleep(std::time::Duration::from_millis(20));
    install(&site, &build, "export function hydrate(){}", "\0asm v2", "body { color: var(--text); }");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    std::fs::File::options().write(true).open(site.join("files.txt")).expect("list").set_modified(later).expect("mtime");

    let (wasm_2, css_2) = names_in(&page("/login").await);
    assert_ne!(wasm_2, wasm_1, "the next page load names the new wasm");
    assert_eq!(css_2, css_1, "an unchanged stylesheet keeps its name (and the browser's copy)");
    for name in [format!("{wasm_1}/portico_bg.wasm"), format!("{wasm_2}/portico_bg.wasm"), format!("{wasm_1}/split_tenants.wasm")] {
        let res = http.get(format!("{base}/pkg/{name}")).send().await.expect("GET");
        assert_eq!(res.status(), StatusCode::OK, "{name}: a page loaded before the rebuild still gets its files");
    }
    let html = http.get(format!("{base}/login")).send().await.expect("GET");
    assert_eq!(html.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-cache"), "pages are asked for again");
    running.stop().await;
    let _ = std::fs::remove_dir_all(&root);
}
