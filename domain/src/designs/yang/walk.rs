//! The configuration tree of a compiled context, read from libyang's compiled schema nodes. `yang2`
//! wraps nodes but not type restrictions (ranges, patterns, enums, identities), and its node
//! wrapper panics on `anyxml`, so the walk reads the nodes through the raw bindings it re-exports.

use std::collections::BTreeSet;
use std::ffi::c_char;

use yang2::ffi;

use super::context::{text, Schema};
use super::types::{describe, Typed};
use super::{Node, NodeKind};
use crate::designs::config::Finding;

/// The most nodes a tree may show, and the most the walk visits to find them.
const MAX_NODES: usize = 20_000;
const MAX_VISITED: usize = 500_000;

/// A node of the tree with what generating a template needs beyond what the page shows.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub node: Node,
    /// The tree parent (choices and cases included), and the nearest container or list: the
    /// element the node's XML sits in.
    pub parent: Option<usize>,
    pub data_parent: Option<usize>,
    pub namespace: String,
    pub presence: bool,
    /// Leaves and leaf-lists: their type.
    pub typed: Option<Typed>,
}

/// One visited node, before the tree is cut down to the chosen modules.
struct Visit {
    raw: *const ffi::lysc_node,
    kind: NodeKind,
    parent: Option<usize>,
    data_parent: Option<usize>,
    depth: usize,
    module: String,
    path: String,
}

/// An item of a libyang "sized array": the count sits just before the first element.
pub(super) unsafe fn array<T>(first: *mut T) -> Vec<*mut T> {
    if first.is_null() {
        return Vec::new();
    }
    // SAFETY: libyang's sized arrays keep their count (a u64) right before the first element.
    let count = unsafe { *(first as *const u64).sub(1) } as usize;
    (0..count).map(|i| first.wrapping_add(i)).collect()
}

fn kind_of(nodetype: u16) -> Option<NodeKind> {
    match u32::from(nodetype) {
        ffi::LYS_CONTAINER => Some(NodeKind::Container),
        ffi::LYS_LIST => Some(NodeKind::List),
        ffi::LYS_LEAF => Some(NodeKind::Leaf),
        ffi::LYS_LEAFLIST => Some(NodeKind::LeafList),
        ffi::LYS_CHOICE => Some(NodeKind::Choice),
        ffi::LYS_CASE => Some(NodeKind::Case),
        // anydata, anyxml: free-form content, no fields to make.
        _ => None,
    }
}

/// Whitespace collapsed, at most `max` characters.
pub(super) fn tidy(s: &str, max: usize) -> String {
    let mut out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect::<String>() + "…";
    }
    out
}

/// The configuration nodes of the context's modules in `chosen`, pre-order, with their ancestors
/// (of whatever module: ietf-ip's nodes sit under ietf-interfaces' list) and the keys of every list
/// shown.
pub(super) fn items(schema: &Schema, chosen: &BTreeSet<String>) -> Result<Vec<Item>, Finding> {
    let visits = visit(schema)?;
    let mut shown: Vec<bool> = visits.iter().map(|v| chosen.contains(&v.module)).collect();
    for i in (0..visits.len()).rev() {
        if let (true, Some(p)) = (shown[i], visits[i].parent) {
            shown[p] = true;
        }
    }
    for i in 0..visits.len() {
        if let Some(p) = visits[i].parent {
            // SAFETY: visited nodes belong to the schema, which the caller holds.
            let key = unsafe { u32::from((*visits[i].raw).flags) } & ffi::LYS_KEY != 0;
            if key && visits[i].kind == NodeKind::Leaf && shown[p] {
                shown[i] = true;
            }
        }
    }
    let count = shown.iter().filter(|s| **s).count();
    if count > MAX_NODES {
        return Err(Finding::new("modules", format!("The modules have {count} configuration nodes; at most {MAX_NODES} can be shown: choose fewer.")));
    }
    let mut new_index = vec![None; visits.len()];
    let mut out = Vec::with_capacity(count);
    for (i, v) in visits.iter().enumerate() {
        if !shown[i] {
            continue;
        }
        new_index[i] = Some(out.len());
        // SAFETY: as above; the node is a compiled schema node of the held context.
        out.push(unsafe { item(schema, v, v.parent.and_then(|p| new_index[p]), v.data_parent.and_then(|p| new_index[p])) });
    }
    Ok(out)
}

/// Every configuration node of every implemented module, pre-order.
fn visit(schema: &Schema) -> Result<Vec<Visit>, Finding> {
    let mut out: Vec<Visit> = Vec::new();
    let mut stack: Vec<(*const ffi::lysc_node, Option<usize>)> = Vec::new();
    let mut index = 0u32;
    loop {
        // SAFETY: iterates the modules of the held context.
        let module = unsafe { ffi::ly_ctx_get_module_iter(schema.raw, &mut index) };
        if module.is_null() {
            break;
        }
        // SAFETY: a module of the context; its compiled part exists when it is implemented.
        let first = unsafe {
            if (*module).implemented == 0 || (*module).compiled.is_null() {
                continue;
            }
            (*(*module).compiled).data
        };
        push_siblings(&mut stack, first, None);
        while let Some((raw, parent)) = stack.pop() {
            if out.len() >= MAX_VISITED {
                return Err(Finding::new("modules", format!("The modules have more than {MAX_VISITED} schema nodes: choose fewer.")));
            }
            // SAFETY: `raw` is a compiled node of the held context (from `data` or a child link).
            let (nodetype, flags, name, node_module) = unsafe { ((*raw).nodetype, u32::from((*raw).flags), text((*raw).name), (*raw).module) };
            let Some(kind) = kind_of(nodetype) else { continue };
            if flags & ffi::LYS_CONFIG_W == 0 || flags & ffi::LYS_STATUS_OBSLT != 0 {
                continue;
            }
            // SAFETY: every compiled node points at its module.
            let module = text(unsafe { (*node_module).name });
            let p = parent.map(|p| &out[p]);
            let data_parent = match p {
                Some(pv) if matches!(pv.kind, NodeKind::Container | NodeKind::List) => parent,
                Some(pv) => pv.data_parent,
                None => None,
            };
            let qualified = |other: Option<&Visit>| if other.is_some_and(|o| o.module == module) { name.clone() } else { format!("{module}:{name}") };
            // Data nodes are named by their data path (choices and cases are not in the data);
            // choices and cases by their place in the schema, which no data path can take.
            let path = if matches!(kind, NodeKind::Choice | NodeKind::Case) {
                format!("{}/{}", p.map_or("", |p| p.path.as_str()), qualified(p))
            } else {
                let dp = data_parent.map(|d| &out[d]);
                format!("{}/{}", dp.map_or("", |d| d.path.as_str()), qualified(dp))
            };
            let depth = p.map_or(0, |p| p.depth + 1);
            out.push(Visit { raw, kind, parent, data_parent, depth, module, path });
            // SAFETY: the node's first child (cases of a choice, nodes of a case), or null.
            let child = unsafe { ffi::lysc_node_child(raw) };
            push_siblings(&mut stack, child, Some(out.len() - 1));
        }
    }
    Ok(out)
}

fn push_siblings(stack: &mut Vec<(*const ffi::lysc_node, Option<usize>)>, first: *const ffi::lysc_node, parent: Option<usize>) {
    let mut siblings = Vec::new();
    let mut at = first;
    while !at.is_null() {
        siblings.push(at);
        // SAFETY: compiled siblings are linked by `next`, the last one's being null.
        at = unsafe { (*at).next };
    }
    // Reversed, so the stack pops them in schema order.
    stack.extend(siblings.into_iter().rev().map(|s| (s, parent)));
}

/// The item of one visited node.
unsafe fn item(schema: &Schema, v: &Visit, parent: Option<usize>, data_parent: Option<usize>) -> Item {
    // SAFETY: `v.raw` is a compiled node of the held context; leaves and leaf-lists are read as
    // the structures their node type says they are.
    unsafe {
        let raw = v.raw;
        let flags = u32::from((*raw).flags);
        let namespace = text((*(*raw).module).ns);
        let (typed, default) = match v.kind {
            NodeKind::Leaf => {
                let leaf = raw as *const ffi::lysc_node_leaf;
                let dflt = (*leaf).dflt;
                let default = if dflt.is_null() { String::new() } else { text(ffi::lyd_value_get_canonical(schema.raw, dflt) as *const c_char) };
                (Some(describe((*leaf).type_, 0)), default)
            }
            NodeKind::LeafList => {
                let list = raw as *const ffi::lysc_node_leaflist;
                let defaults: Vec<String> = array((*list).dflts).into_iter().map(|d| text(ffi::lyd_value_get_canonical(schema.raw, *d))).collect();
                (Some(describe((*list).type_, 0)), defaults.join(", "))
            }
            _ => (None, String::new()),
        };
        let type_label = typed.as_ref().map(|t| t.label.clone()).unwrap_or_default();
        let node = Node {
            path: v.path.clone(),
            name: text((*raw).name),
            module: v.module.clone(),
            kind: v.kind,
            depth: v.depth,
            mandatory: flags & ffi::LYS_MAND_TRUE != 0,
            key: v.kind == NodeKind::Leaf && flags & ffi::LYS_KEY != 0,
            type_label,
            default,
            description: tidy(&text((*raw).dsc), 1000),
        };
        Item { node, parent, data_parent, namespace, presence: v.kind == NodeKind::Container && flags & ffi::LYS_PRESENCE != 0, typed }
    }
}
