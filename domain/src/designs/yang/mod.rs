//! Configuration Designer, "from YANG": a designer picks bundled YANG modules (or uploads some),
//! browses their configuration tree, ticks leaves, and gets a template whose variables carry the
//! type, range, pattern, default and mandatory flag the YANG declares, rendering NETCONF XML.
//!
//! libyang reads the modules and validates the rendered data, through the `yang2` crate (as the
//! Holo routing suite uses it); nothing here parses YANG by hand. Everything is pure: no database.

mod bundle;
mod context;
mod template;
mod types;
mod walk;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use yang2::data::{DataFormat, DataParserFlags, DataTree, DataValidationFlags};
use yang2::ffi;

use super::config::{self, Finding, Format, Template};
use context::Schema;

/// The bundled modules a designer may pick, as (module name, title).
pub fn bundled() -> &'static [(&'static str, &'static str)] {
    &bundle::OFFERED
}

/// A module a designer uploaded: its file name (`module-name.yang` or
/// `module-name@revision.yang`) and its YANG text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub name: String,
    pub text: String,
}

/// What a schema node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Container,
    List,
    Leaf,
    LeafList,
    Choice,
    Case,
}

/// One configuration node of the tree, as the Designer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Its data path, module-qualified where the module changes
    /// (`/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address/ip`); choices and cases by
    /// their place in the schema. Stable across loads: the id a tick refers to.
    pub path: String,
    pub name: String,
    pub module: String,
    pub kind: NodeKind,
    /// 0 for a module's top-level nodes.
    pub depth: usize,
    pub mandatory: bool,
    pub key: bool,
    /// What the YANG declares: "uint16 1..4094", "string length 1..64", "inet:ipv4-address".
    pub type_label: String,
    pub default: String,
    pub description: String,
}

/// Runs `f` over the compiled context of the bundled modules and `uploads`, with the names of the
/// modules whose nodes are shown (the bundled ones chosen and every uploaded module). Bundled
/// modules alone use the context kept across calls; uploads get a context of their own, built on
/// a thread with a large stack.
fn with_schema<T: Send>(
    modules: &[String],
    uploads: &[Upload],
    f: impl FnOnce(&Schema, &BTreeSet<String>) -> Result<T, Vec<Finding>> + Send,
) -> Result<T, Vec<Finding>> {
    let mut chosen = BTreeSet::new();
    for m in modules {
        let m = m.trim();
        if !bundle::OFFERED.iter().any(|(name, _)| *name == m) {
            return Err(vec![Finding::new("modules", format!("`{m}` is not one of the bundled modules."))]);
        }
        chosen.insert(m.to_string());
    }
    let checked = context::check_uploads(uploads).map_err(|f| vec![f])?;
    if chosen.is_empty() && checked.is_empty() {
        return Err(vec![Finding::new("modules", "Choose a bundled module or upload one.")]);
    }
    chosen.extend(checked.iter().filter(|c| !c.submodule).map(|c| c.name.clone()));
    if uploads.is_empty() {
        let schema = context::bundled().map_err(|f| vec![f])?;
        return f(&schema, &chosen);
    }
    context::on_big_stack(move || {
        let schema = context::with_uploads(uploads, &checked).map_err(|f| vec![f])?;
        f(&schema, &chosen)
    })
    .map_err(|f| vec![f])?
}

/// The configuration tree of the chosen bundled modules and the uploads: configuration nodes only
/// (no state, RPCs or notifications), pre-order, with the ancestors and list keys they sit under.
pub fn tree(modules: &[String], uploads: &[Upload]) -> Result<Vec<Node>, Finding> {
    with_schema(modules, uploads, |schema, chosen| {
        walk::items(schema, chosen).map(|items| items.into_iter().map(|i| i.node).collect()).map_err(|f| vec![f])
    })
    .map_err(|f| f.into_iter().next().unwrap_or_else(|| Finding::new("modules", "The modules could not be read.")))
}

/// [`tree`] on a blocking thread (libyang is CPU work; a large module takes a while), with how long
/// loading and walking took.
pub async fn tree_off_thread(modules: Vec<String>, uploads: Vec<Upload>) -> crate::Result<(Result<Vec<Node>, Finding>, std::time::Duration)> {
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let nodes = tree(&modules, &uploads);
        (nodes, started.elapsed())
    })
    .await
    .map_err(|e| crate::Error::Internal(format!("reading YANG modules stopped: {e}")))
}

/// [`generate`] on a blocking thread.
pub async fn generate_off_thread(modules: Vec<String>, uploads: Vec<Upload>, selected: Vec<String>) -> crate::Result<Result<Template, Vec<Finding>>> {
    tokio::task::spawn_blocking(move || generate(&modules, &uploads, &selected))
        .await
        .map_err(|e| crate::Error::Internal(format!("generating the template stopped: {e}")))
}

/// The indices of the nodes whose name, path or description holds `query` (any case), with all
/// their ancestors, in tree order. An empty query keeps every node.
pub fn search(nodes: &[Node], query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    let mut keep = vec![q.is_empty(); nodes.len()];
    // The nearest node above at each depth, so a match can mark its ancestors.
    let mut above: Vec<usize> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        above.truncate(n.depth);
        let hit = !q.is_empty() && [&n.name, &n.path, &n.description].iter().any(|s| s.to_lowercase().contains(&q));
        if hit {
            keep[i] = true;
            for &a in &above {
                keep[a] = true;
            }
        }
        above.push(i);
    }
    (0..nodes.len()).filter(|&i| keep[i]).collect()
}

/// A template from the leaves ticked in the tree (`selected`: node paths): one variable per leaf
/// or leaf-list, typed from its YANG type, and a Jinja text rendering one NETCONF `<config>`.
/// The keys of the lists on the way and the mandatory leaves beside the ticked ones come along as
/// required variables. The ticked paths are kept as the template's source.
pub fn generate(modules: &[String], uploads: &[Upload], selected: &[String]) -> Result<Template, Vec<Finding>> {
    let (variables, text) = with_schema(modules, uploads, |schema, chosen| {
        let items = walk::items(schema, chosen).map_err(|f| vec![f])?;
        template::generate(&items, selected)
    })?;
    let t = Template {
        source: selected.iter().map(|s| s.trim()).collect::<Vec<_>>().join("\n"),
        format: Format::Netconf,
        text,
        variables,
        yang_modules: modules.iter().map(|m| m.trim().to_string()).collect(),
        yang_uploads: uploads.to_vec(),
    };
    // What was generated must stand on its own; sample values may miss a YANG pattern, which is
    // the designer's to fill, so only the declarations and the text are held to it here.
    let mut problems = config::check_variables(&t.variables);
    if problems.is_empty() {
        problems = config::check(&t).into_iter().filter(|f| f.field == "text" || f.field == "output").collect();
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(problems)
    }
}

/// Validates a rendered NETCONF `<config>` against the modules with libyang: the data inside it is
/// parsed strictly as configuration (no state, nothing unknown) and validated as a whole
/// (types, ranges, patterns, keys, mandatory nodes, `must` and `when`, leafrefs). Each error
/// libyang reports is a finding on `output`, with the data path it gives.
pub fn validate_data(modules: &[String], uploads: &[Upload], xml: &str) -> Result<(), Vec<Finding>> {
    let data = content(xml).map_err(|f| vec![f])?;
    let mut bytes = data.as_bytes().to_vec();
    // libyang reads the data as a C string.
    bytes.push(0);
    with_schema(modules, uploads, |schema, _| {
        let parse = DataParserFlags::STRICT | DataParserFlags::NO_STATE;
        let validate = DataValidationFlags::NO_STATE | DataValidationFlags::PRESENT | DataValidationFlags::from_bits_retain(ffi::LYD_VALIDATE_MULTI_ERROR);
        let (result, errors) = context::collecting(schema.raw, || DataTree::parse_string(&schema.ctx, &bytes, DataFormat::XML, parse, validate).map(drop));
        match result {
            Ok(()) => Ok(()),
            Err(e) if errors.is_empty() => Err(vec![Finding::new("output", format!("libyang refused the data: {e}"))]),
            Err(_) => Err(errors.into_iter().map(|m| Finding::new("output", m)).collect()),
        }
    })
}

/// The opening `<config …>` tag's span and the content up to the closing `</config>`.
fn split_config(xml: &str) -> Result<(usize, usize, usize), Finding> {
    let bad = || Finding::new("output", "The rendered XML is not one NETCONF <config> element.");
    let mut start = 0;
    loop {
        let rest = xml[start..].trim_start();
        start = xml.len() - rest.len();
        if let Some(skip) = [("<?", "?>"), ("<!--", "-->")].iter().find(|(open, _)| rest.starts_with(open)) {
            start += rest.find(skip.1).ok_or_else(bad)? + skip.1.len();
            continue;
        }
        break;
    }
    let rest = &xml[start..];
    if !rest.starts_with("<config") || !rest[7..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return Err(bad());
    }
    let open_end = start + rest.find('>').ok_or_else(bad)? + 1;
    if xml[..open_end].ends_with("/>") {
        if !xml[open_end..].trim().is_empty() {
            return Err(bad());
        }
        return Ok((start, open_end, open_end));
    }
    let close = xml.trim_end().strip_suffix("</config>").ok_or_else(bad)?.len();
    if close < open_end {
        return Err(bad());
    }
    Ok((start, open_end, close))
}

/// The data inside a rendered `<config>`, as libyang reads it.
fn content(xml: &str) -> Result<&str, Finding> {
    if xml.contains('\0') {
        return Err(Finding::new("output", "The rendered XML holds a NUL character."));
    }
    let (_, open_end, close) = split_config(xml)?;
    Ok(&xml[open_end..close])
}

/// The format check of a NETCONF rendering: one well-formed `<config>` element (tags balanced,
/// `&` only in entity references), as the Junos XML check does for `<configuration>`.
pub(crate) fn check_netconf(out: &str) -> Result<(), Finding> {
    let (start, open_end, close) = split_config(out)?;
    // The Junos check reads the same well-formedness; line numbers stay as they were.
    let newlines = out[start..open_end].matches('\n').count();
    let as_configuration = format!("{}<configuration>{}{}</configuration>", &out[..start], "\n".repeat(newlines), &out[open_end..close]);
    crate::device_templates::render::check_configuration(&as_configuration).map_err(|e| {
        let reason = match e {
            crate::Error::Invalid { reason, .. } => reason,
            e => e.to_string(),
        };
        Finding::new("output", format!("The rendered XML is not a NETCONF <config>: {}.", reason.replace("configuration", "config")))
    })
}

#[cfg(test)]
mod tests;
