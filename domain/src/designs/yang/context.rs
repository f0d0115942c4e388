//! libyang contexts: the bundled modules and a designer's uploads, loaded and compiled by libyang
//! through the `yang2` crate. libyang reads every module text through an import callback that
//! serves them from memory, so it never reads the server's disk.
//!
//! The context of the bundled modules alone is built once and kept (behind a mutex: libyang keeps
//! per-thread error records in a context's hash table, which is not safe to grow from two threads
//! at once). A context with uploads is built for the call and dropped after it.

use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use yang2::context::{Context, ContextFlags};
use yang2::ffi;
use yang2::utils::Binding;

use super::bundle::BUNDLE;
use super::Upload;
use crate::designs::config::Finding;

/// The most an uploaded module may be, and how many a template may have.
pub(super) const MAX_UPLOAD: usize = 1024 * 1024;
pub(super) const MAX_UPLOADS: usize = 10;
/// How deep an upload's statements may nest. Real modules stay far below; a deeper one would only
/// be there to exhaust libyang's recursive parser.
const MAX_NESTING: usize = 100;

/// The module texts libyang may read, by module (or submodule) name: uploads first, so an upload
/// replaces a bundled module of the same name.
pub(super) struct Sources {
    texts: Vec<(String, CString)>,
}

/// A compiled libyang context and the texts it was loaded from.
pub(super) struct Schema {
    /// Declared first, so it is dropped before the texts its callback points at.
    pub ctx: Context,
    /// The same context, for the libyang calls `yang2` does not wrap.
    pub raw: *mut ffi::ly_ctx,
    _sources: Box<Sources>,
}

// SAFETY: `yang2::Context` is Send; `raw` is that same context, and `Sources` is owned data that
// only libyang's callback reads, during loads made through this value.
unsafe impl Send for Schema {}

/// The import callback: hands libyang the text of the module or submodule it asks for, or says it
/// has none. A panic must not cross into C, so nothing here can panic.
unsafe extern "C" fn import(
    mod_name: *const c_char,
    _mod_rev: *const c_char,
    submod_name: *const c_char,
    _submod_rev: *const c_char,
    user_data: *mut c_void,
    format: *mut ffi::LYS_INFORMAT::Type,
    module_data: *mut *const c_char,
    _free_module_data: *mut ffi::ly_module_imp_data_free_clb,
) -> ffi::LY_ERR::Type {
    let wanted = if submod_name.is_null() { mod_name } else { submod_name };
    if wanted.is_null() || user_data.is_null() {
        return ffi::LY_ERR::LY_ENOTFOUND;
    }
    // SAFETY: libyang passes NUL-terminated names and the `Sources` pointer set with this callback,
    // which outlives the context (see `Schema`).
    let (wanted, sources) = unsafe { (CStr::from_ptr(wanted).to_bytes(), &*(user_data as *const Sources)) };
    match sources.texts.iter().find(|(name, _)| name.as_bytes() == wanted) {
        Some((_, text)) => {
            // SAFETY: both out-pointers are libyang's own locals. The text stays owned by
            // `Sources` (libyang copies what it keeps), so no free callback is set.
            unsafe {
                *format = ffi::LYS_INFORMAT::LYS_IN_YANG;
                *module_data = text.as_ptr();
            }
            ffi::LY_ERR::LY_SUCCESS
        }
        None => ffi::LY_ERR::LY_ENOTFOUND,
    }
}

/// Resets libyang's thread-local log options when dropped, even if the work in between unwinds.
struct LogGuard(*mut u32);

impl Drop for LogGuard {
    fn drop(&mut self) {
        // SAFETY: puts back the options pointer that was in force before.
        unsafe { ffi::ly_temp_log_options(self.0) };
    }
}

/// Runs `f` with libyang storing every error it logs on this thread in `raw` (not only the last,
/// as `yang2` sets it, and printing none), and returns them, readable, with `f`'s result.
pub(super) fn collecting<T>(raw: *mut ffi::ly_ctx, f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let mut store_all: u32 = ffi::LY_LOSTORE;
    // SAFETY: libyang keeps the pointer in a thread-local until the guard resets it, and
    // `store_all` outlives the guard. Old errors of this thread are dropped first.
    let guard = unsafe {
        ffi::ly_err_clean(raw, std::ptr::null_mut());
        LogGuard(ffi::ly_temp_log_options(&mut store_all))
    };
    let out = f();
    let mut errors = Vec::new();
    // SAFETY: walks libyang's error list for this thread, then frees it.
    unsafe {
        let mut e = ffi::ly_err_first(raw);
        while !e.is_null() {
            if (*e).level == ffi::LY_LOG_LEVEL::LY_LLERR {
                let message = text((*e).msg);
                let path = if (*e).data_path.is_null() { text((*e).schema_path) } else { text((*e).data_path) };
                let line = (*e).line;
                let mut m = if message.is_empty() { "libyang failed without saying why.".to_string() } else { message };
                if !path.is_empty() && !m.contains(&path) {
                    m.push_str(&format!(" (at {path})"));
                }
                if line > 0 && !m.contains("ine number") {
                    m.push_str(&format!(" (line {line})"));
                }
                if !errors.contains(&m) {
                    errors.push(m);
                }
            }
            e = (*e).next;
        }
        ffi::ly_err_clean(raw, std::ptr::null_mut());
    }
    drop(guard);
    (out, errors)
}

/// A C string of libyang's, as text (empty when null).
pub(super) fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: libyang's strings are NUL-terminated and live as long as the context.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A new context over `sources`, with every module of `load` implemented (all their features on).
fn build(sources: Sources, load: &[String]) -> Result<Schema, Vec<String>> {
    let flags = ContextFlags::REF_IMPLEMENTED
        | ContextFlags::NO_YANGLIBRARY
        | ContextFlags::DISABLE_SEARCHDIRS
        // Compile once at the end instead of after every module; imported modules get their
        // features too.
        | ContextFlags::from_bits_retain((ffi::LY_CTX_EXPLICIT_COMPILE | ffi::LY_CTX_ENABLE_IMP_FEATURES) as u16);
    let ctx = Context::new(flags).map_err(|e| vec![format!("libyang could not start: {e}")])?;
    let raw = ctx.into_raw();
    // SAFETY: `raw` was released by `into_raw` just above; taking it back makes the context
    // destroyed once, when `Schema::ctx` drops.
    let ctx = unsafe { Context::from_raw(&(), raw) };
    let sources = Box::new(sources);
    // SAFETY: the callback reads `sources`, which `Schema` owns and drops after the context.
    unsafe { ffi::ly_ctx_set_module_imp_clb(raw, Some(import), &*sources as *const Sources as *mut c_void) };
    let mut schema = Schema { ctx, raw, _sources: sources };
    let (compiled, mut errors) = collecting(raw, || {
        for name in load {
            // An error is logged by libyang and collected; loading goes on, to report them all.
            let _ = schema.ctx.load_module(name, None, &["*"]);
        }
        // SAFETY: compiles the context loaded above.
        unsafe { ffi::ly_ctx_compile(raw) }
    });
    if compiled != ffi::LY_ERR::LY_SUCCESS && errors.is_empty() {
        errors.push(format!("libyang could not compile the modules (error {compiled})."));
    }
    if errors.is_empty() {
        Ok(schema)
    } else {
        Err(errors)
    }
}

fn bundled_sources() -> Vec<(String, CString)> {
    // The bundled texts hold no NUL (a test loads them all), so none is left out.
    BUNDLE.iter().filter_map(|b| CString::new(b.text).ok().map(|t| (b.name.to_string(), t))).collect()
}

fn bundled_names() -> Vec<String> {
    BUNDLE.iter().map(|b| b.name.to_string()).collect()
}

/// A new context of every bundled module (the cached one is made by this, once).
pub(super) fn fresh_bundled() -> Result<Schema, Vec<String>> {
    build(Sources { texts: bundled_sources() }, &bundled_names())
}

static BUNDLED: OnceLock<Result<Mutex<Schema>, Vec<String>>> = OnceLock::new();

/// The context of the bundled modules, built on first use and kept.
pub(super) fn bundled() -> Result<MutexGuard<'static, Schema>, Finding> {
    match BUNDLED.get_or_init(|| fresh_bundled().map(Mutex::new)) {
        // A poisoned lock only means a thread panicked while holding it; the context is read-only
        // after it was built, so it is still sound.
        Ok(m) => Ok(m.lock().unwrap_or_else(PoisonError::into_inner)),
        Err(errors) => Err(Finding::new("modules", format!("The bundled YANG modules do not load: {}", errors.join(" ")))),
    }
}

/// An upload, checked: its module name, and whether it is a submodule (loaded through its module's
/// `include`, not on its own).
pub(super) struct Checked {
    pub name: String,
    pub submodule: bool,
}

/// Checks what a designer uploaded before libyang reads it: counts, sizes, names, and a text
/// libyang can take (no NUL, nesting within bounds).
pub(super) fn check_uploads(uploads: &[Upload]) -> Result<Vec<Checked>, Finding> {
    let bad = |m: String| Finding::new("modules", m);
    if uploads.len() > MAX_UPLOADS {
        return Err(bad(format!("{} modules uploaded; at most {MAX_UPLOADS}.", uploads.len())));
    }
    let mut out: Vec<Checked> = Vec::new();
    for u in uploads {
        let file = u.name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
        if file.ends_with(".yin") {
            return Err(bad(format!("{file} is YIN; upload the module's YANG form.")));
        }
        let stem = file.strip_suffix(".yang").unwrap_or(file);
        let name = stem.split('@').next().unwrap_or_default();
        let identifier = name.len() <= 128
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !identifier {
            return Err(bad(format!("`{file}` is not a YANG module file name: name it after its module, as `module-name.yang` or `module-name@revision.yang`.")));
        }
        if u.text.len() > MAX_UPLOAD {
            return Err(bad(format!("{file} is {} KiB; a module may be at most {} KiB.", u.text.len() / 1024, MAX_UPLOAD / 1024)));
        }
        if u.text.contains('\0') {
            return Err(bad(format!("{file} holds a NUL character: it is not a YANG text file.")));
        }
        if out.iter().any(|c| c.name == name) {
            return Err(bad(format!("{name} is uploaded twice.")));
        }
        let submodule = scan(&u.text).map_err(|e| bad(format!("{file}: {e}")))?;
        out.push(Checked { name: name.to_string(), submodule });
    }
    Ok(out)
}

/// A lexical look at a module text (not a parse: libyang parses): whether it is a submodule, and
/// that its braces nest no deeper than [`MAX_NESTING`].
fn scan(text: &str) -> Result<bool, String> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut first) = (0, 0usize, None::<bool>);
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => i = text[i..].find('\n').map_or(b.len(), |n| i + n),
            b'/' if b.get(i + 1) == Some(&b'*') => i = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2),
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'\'' => i = text[i + 1..].find('\'').map_or(b.len(), |n| i + 1 + n + 1),
            b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!("statements nest more than {MAX_NESTING} levels deep."));
                }
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if first.is_none() && c.is_ascii_alphabetic() => {
                let word: String = text[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                first = match word.as_str() {
                    "module" => Some(false),
                    "submodule" => Some(true),
                    _ => return Err(format!("it starts with `{word}`, not `module` or `submodule`.")),
                };
                i += word.len();
            }
            _ => i += 1,
        }
    }
    first.ok_or_else(|| "it is empty: a YANG module starts with `module`.".to_string())
}

/// A new context of every bundled module and the uploads (`checked` is [`check_uploads`]' answer
/// for them), or libyang's errors as one finding.
pub(super) fn with_uploads(uploads: &[Upload], checked: &[Checked]) -> Result<Schema, Finding> {
    let mut texts = Vec::new();
    for (u, c) in uploads.iter().zip(checked) {
        // check_uploads refused any NUL, so this keeps every upload.
        if let Ok(t) = CString::new(u.text.as_str()) {
            texts.push((c.name.clone(), t));
        }
    }
    texts.extend(bundled_sources());
    let mut load = bundled_names();
    load.retain(|n| !checked.iter().any(|c| &c.name == n));
    load.extend(checked.iter().filter(|c| !c.submodule).map(|c| c.name.clone()));
    build(Sources { texts }, &load).map_err(|errors| Finding::new("modules", format!("libyang refused the modules: {}", errors.join(" "))))
}

/// Runs `f` on a thread of its own with a large stack: libyang parses and compiles recursively, and
/// an upload is whatever a designer sent.
pub(super) fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Result<T, Finding> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("yang".into())
            .stack_size(128 * 1024 * 1024)
            .spawn_scoped(s, f)
            .map_err(|e| Finding::new("modules", format!("The YANG modules could not be read: {e}")))?
            .join()
            .map_err(|_| Finding::new("modules", "libyang stopped while reading the modules."))
    })
}
