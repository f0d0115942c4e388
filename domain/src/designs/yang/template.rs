//! "From YANG": the ticked leaves become a template's variables, and the NETCONF XML that holds
//! them becomes its text, nested as the schema nests them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::types::Typed;
use super::walk::{tidy, Item};
use super::NodeKind;
use crate::designs::config::{self, Finding, Kind, Variable, MAX_VARIABLES, RESERVED};
use crate::sites::config::tree::escape;

/// The NETCONF base namespace of the `<config>` root.
pub(super) const NETCONF_NS: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";

/// The variables and the Jinja text for the leaves at `selected` (paths of `items`). The keys of
/// every list on the way, and the mandatory leaves beside the ticked ones, come along as required
/// variables, so a rendering is complete data for libyang.
pub(super) fn generate(items: &[Item], selected: &[String]) -> Result<(Vec<Variable>, String), Vec<Finding>> {
    let by_path: HashMap<&str, usize> = items.iter().enumerate().map(|(i, it)| (it.node.path.as_str(), i)).collect();
    let mut findings = Vec::new();
    let mut ticked = BTreeSet::new();
    for path in selected {
        match by_path.get(path.trim()) {
            Some(&i) if matches!(items[i].node.kind, NodeKind::Leaf | NodeKind::LeafList) => {
                ticked.insert(i);
            }
            // Containers, lists, choices and cases: their leaves are ticked one by one.
            Some(_) => {}
            None => findings.push(Finding::new("selected", format!("`{}` is not in the tree of the chosen modules.", path.trim()))),
        }
    }
    if ticked.is_empty() && findings.is_empty() {
        findings.push(Finding::new("selected", "Tick at least one leaf to make a field of."));
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let children = children(items);
    let mut on_path = BTreeSet::new();
    for &leaf in &ticked {
        let mut at = items[leaf].parent;
        while let Some(a) = at {
            on_path.insert(a);
            at = items[a].parent;
        }
    }
    let mut leaves = ticked.clone();
    let mut added = BTreeSet::new();
    for &a in &on_path {
        match items[a].node.kind {
            NodeKind::List => added.extend(children[a].iter().copied().filter(|&c| items[c].node.key)),
            // A mandatory choice answered by one ticked leaf needs that leaf's value.
            NodeKind::Choice if items[a].node.mandatory => {
                let answers: Vec<usize> = ticked.iter().copied().filter(|&l| items[l].parent.and_then(|case| items[case].parent) == Some(a)).collect();
                if let [only] = answers.as_slice() {
                    added.insert(*only);
                }
            }
            _ => {}
        }
        if items[a].node.kind != NodeKind::Choice {
            mandatory_under(items, &children, a, &on_path, &mut added, &mut findings);
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    leaves.extend(added.iter().copied());
    if leaves.len() > MAX_VARIABLES {
        return Err(vec![Finding::new("selected", format!("{} leaves make {} fields; a template may have at most {MAX_VARIABLES}.", ticked.len(), leaves.len()))]);
    }
    let names = names(items, &leaves);
    let mut variables = Vec::new();
    let mut vars = HashMap::new();
    for (&i, name) in leaves.iter().zip(names) {
        let v = variable(&items[i], name, added.contains(&i));
        vars.insert(i, (v.clone(), condition(&v, items[i].typed.as_ref())));
        variables.push(v);
    }
    Ok((variables, text(items, &leaves, &vars)))
}

/// Each item's children in the tree.
fn children(items: &[Item]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); items.len()];
    for (i, it) in items.iter().enumerate() {
        if let Some(p) = it.parent {
            out[p].push(i);
        }
    }
    out
}

/// Adds the mandatory leaves under `a` (through non-presence containers, which exist whenever `a`
/// does); a mandatory choice or list with nothing ticked in it is a finding.
fn mandatory_under(items: &[Item], children: &[Vec<usize>], a: usize, on_path: &BTreeSet<usize>, added: &mut BTreeSet<usize>, findings: &mut Vec<Finding>) {
    let mut work = vec![a];
    while let Some(at) = work.pop() {
        for &c in &children[at] {
            let n = &items[c].node;
            if !n.mandatory {
                continue;
            }
            match n.kind {
                NodeKind::Leaf | NodeKind::LeafList => {
                    added.insert(c);
                }
                NodeKind::Container if !items[c].presence => work.push(c),
                NodeKind::Choice | NodeKind::List if !on_path.contains(&c) => {
                    let what = if n.kind == NodeKind::Choice { "a mandatory choice: tick a leaf of one of its cases" } else { "a list that needs an entry: tick its leaves" };
                    findings.push(Finding::new("selected", format!("{} is {what}.", n.path)));
                }
                _ => {}
            }
        }
    }
}

/// A variable name for each leaf: the last two path segments ("interface_name"), more where two
/// leaves would share one ("ipv4_address_ip", "ipv6_address_ip").
fn names(items: &[Item], leaves: &BTreeSet<usize>) -> Vec<String> {
    let segments: Vec<Vec<String>> = leaves
        .iter()
        .map(|&i| {
            items[i]
                .node
                .path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| s.rsplit(':').next().unwrap_or(s).chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect())
                .collect()
        })
        .collect();
    let mut take = vec![2usize; segments.len()];
    let join = |s: &Vec<String>, k: usize| s[s.len().saturating_sub(k)..].join("_");
    loop {
        let names: Vec<String> = segments.iter().zip(&take).map(|(s, k)| join(s, *k)).collect();
        let mut grew = false;
        for i in 0..names.len() {
            if names.iter().filter(|n| **n == names[i]).count() > 1 && take[i] < segments[i].len() {
                take[i] += 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (s, k) in segments.iter().zip(&take) {
        let mut name = join(s, *k);
        while name.contains("__") {
            name = name.replace("__", "_");
        }
        // At most 64 characters, keeping the end (the leaf's own name), starting with a letter.
        let start = name.len().saturating_sub(64);
        let mut name = name[start..].trim_start_matches(|c: char| !c.is_ascii_lowercase()).trim_end_matches('_').to_string();
        if name.is_empty() {
            name = "field".into();
        }
        if RESERVED.contains(&name.as_str()) {
            name.push_str("_value");
        }
        let base = name.clone();
        let mut n = 2;
        while out.contains(&name) {
            let suffix = format!("_{n}");
            name = format!("{}{suffix}", &base[..base.len().min(64 - suffix.len())]);
            n += 1;
        }
        out.push(name);
    }
    out
}

/// The description's first sentence, at most 200 characters.
fn first_sentence(description: &str) -> String {
    let d = tidy(description, 10_000);
    let end = d.match_indices(". ").map(|(i, _)| i + 1).next().unwrap_or(d.len());
    tidy(&d[..end], 200)
}

/// The variable of one leaf.
fn variable(item: &Item, name: String, added: bool) -> Variable {
    let n = &item.node;
    let t = item.typed.clone().unwrap_or_default();
    let required = n.mandatory || n.key || added;
    let mut v = Variable { name, label: n.name.clone(), required, ..Default::default() };
    let mut notes = t.notes.clone();
    if n.kind == NodeKind::LeafList {
        v.kind = Kind::List;
        // Each item is checked as far as a pattern can say it; libyang checks the rest.
        v.pattern = match t.kind {
            Kind::String => t.pattern.clone(),
            Kind::Enumeration => t.choices.iter().map(|c| regex::escape(c)).collect::<Vec<_>>().join("|"),
            Kind::Integer => "-?[0-9]+".into(),
            _ => String::new(),
        };
        if v.pattern.len() > 256 {
            v.pattern.clear();
        }
        if t.kind != Kind::String {
            notes.insert(0, format!("each: {}", t.label));
        }
    } else if t.boolean && !required && n.default.is_empty() {
        // A check box cannot say "leave it as it is"; true, false or nothing can.
        v.kind = Kind::Enumeration;
        v.choices = vec!["true".into(), "false".into()];
    } else {
        v.kind = t.kind;
        (v.min, v.max, v.pattern, v.choices) = (t.min, t.max, t.pattern.clone(), t.choices.clone());
    }
    if !n.default.is_empty() {
        let mut with = v.clone();
        with.default = n.default.clone();
        match config::coerce(&with, &n.default) {
            Ok(_) => v.default = n.default.clone(),
            Err(_) => notes.push(format!("YANG default {}", n.default)),
        }
    }
    if added && !n.key && !n.mandatory {
        notes.push("needed by what was ticked".into());
    }
    let mut help = first_sentence(&n.description);
    if !notes.is_empty() {
        help = format!("{}{}({})", help, if help.is_empty() { "" } else { " " }, notes.join("; "));
    }
    v.help = help;
    v
}

/// When a leaf is written: `None` always; otherwise the Jinja test that its value is set.
fn condition(v: &Variable, typed: Option<&Typed>) -> Option<String> {
    let empty = typed.is_some_and(|t| t.empty);
    match v.kind {
        _ if empty => Some(v.name.clone()),
        _ if v.required => None,
        // A YANG boolean with a default always has a value (see `variable`).
        Kind::Boolean => None,
        Kind::Integer => Some(format!("{} is not none", v.name)),
        _ => Some(v.name.clone()),
    }
}

/// The Jinja text: the NETCONF `<config>` root, and under it the elements of the leaves and of
/// their containers and lists, each with its module's namespace where it changes.
fn text(items: &[Item], leaves: &BTreeSet<usize>, vars: &HashMap<usize, (Variable, Option<String>)>) -> String {
    let mut needed = leaves.clone();
    for &l in leaves {
        let mut at = items[l].data_parent;
        while let Some(a) = at {
            needed.insert(a);
            at = items[a].data_parent;
        }
    }
    let mut under: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for &i in &needed {
        under.entry(items[i].data_parent).or_default().push(i);
    }
    let mut out = format!("<config xmlns=\"{NETCONF_NS}\">\n");
    for &top in under.get(&None).map(Vec::as_slice).unwrap_or_default() {
        element(items, top, 1, &under, vars, &mut out);
    }
    out.push_str("</config>\n");
    out
}

/// Writes element `i` at `depth` into `out`; returns when it is written (see [`condition`]).
fn element(items: &[Item], i: usize, depth: usize, under: &BTreeMap<Option<usize>, Vec<usize>>, vars: &HashMap<usize, (Variable, Option<String>)>, out: &mut String) -> Option<String> {
    let it = &items[i];
    let indent = "  ".repeat(depth);
    let tag = &it.node.name;
    let mut attrs = String::new();
    if it.data_parent.is_none_or(|p| items[p].namespace != it.namespace) {
        attrs.push_str(&format!(" xmlns=\"{}\"", escape(&it.namespace)));
    }
    if let Some((v, cond)) = vars.get(&i) {
        for (prefix, ns) in it.typed.as_ref().map(|t| t.namespaces.as_slice()).unwrap_or_default() {
            attrs.push_str(&format!(" xmlns:{prefix}=\"{}\"", escape(ns)));
        }
        let name = &v.name;
        let line = if it.typed.as_ref().is_some_and(|t| t.empty) {
            format!("{indent}<{tag}{attrs}/>\n")
        } else if v.kind == Kind::List {
            format!("{{% for {name}__item in {name} %}}{indent}<{tag}{attrs}>{{{{ {name}__item }}}}</{tag}>\n{{% endfor %}}")
        } else if v.kind == Kind::Boolean {
            // Jinja writes a boolean as `True`; YANG wants `true`.
            format!("{indent}<{tag}{attrs}>{{% if {name} %}}true{{% else %}}false{{% endif %}}</{tag}>\n")
        } else {
            format!("{indent}<{tag}{attrs}>{{{{ {name} }}}}</{tag}>\n")
        };
        match cond {
            Some(c) if v.kind != Kind::List => out.push_str(&format!("{{% if {c} %}}{line}{{% endif %}}")),
            _ => out.push_str(&line),
        }
        return cond.clone();
    }
    let mut inner = String::new();
    let mut conds = Vec::new();
    let mut always = false;
    for &c in under.get(&Some(i)).map(Vec::as_slice).unwrap_or_default() {
        match element(items, c, depth + 1, under, vars, &mut inner) {
            Some(cond) => conds.push(format!("({cond})")),
            None => always = true,
        }
    }
    let block = format!("{indent}<{tag}{attrs}>\n{inner}{indent}</{tag}>\n");
    if always || conds.is_empty() {
        out.push_str(&block);
        None
    } else {
        let cond = conds.join(" or ");
        out.push_str(&format!("{{% if {cond} %}}{block}{{% endif %}}"));
        Some(cond)
    }
}
