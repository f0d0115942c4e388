//! A tiny Junos configuration tree that prints both ways Junos reads configuration: as a
//! `<configuration>` XML element (what NETCONF edit-config carries) and as `set` commands (what a person
//! pastes on the console).

/// One element: a container (`system`), a list entry keyed by name (`interface ge-0/0/0`), a leaf with a
/// value (`host-name r1`) or an empty leaf (`ssh`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    pub name: String,
    /// The entry's `<name>` for list entries.
    pub key: Option<String>,
    pub value: Option<String>,
    pub children: Vec<Node>,
}

impl Node {
    /// The `<configuration>` root.
    pub fn root() -> Node {
        Node { name: "configuration".into(), ..Default::default() }
    }

    fn child(&mut self, name: &str, key: Option<&str>) -> &mut Node {
        let found = self.children.iter().position(|c| c.name == name && c.key.as_deref() == key && c.value.is_none());
        let i = match found {
            Some(i) => i,
            None => {
                self.children.push(Node { name: name.into(), key: key.map(str::to_string), ..Default::default() });
                self.children.len() - 1
            }
        };
        &mut self.children[i]
    }

    /// The container child of this name, added when missing.
    pub fn at(&mut self, name: &str) -> &mut Node {
        self.child(name, None)
    }

    /// The list entry of this name and key, added when missing.
    pub fn entry(&mut self, name: &str, key: &str) -> &mut Node {
        self.child(name, Some(key))
    }

    /// Sets a single-valued leaf (replacing its value when it is already set).
    pub fn leaf(&mut self, name: &str, value: impl Into<String>) -> &mut Node {
        let value = value.into();
        match self.children.iter_mut().find(|c| c.name == name && c.value.is_some()) {
            Some(existing) => existing.value = Some(value),
            None => self.children.push(Node { name: name.into(), value: Some(value), ..Default::default() }),
        }
        self
    }

    /// Adds one value of a multi-valued leaf (`vlan members`).
    pub fn push(&mut self, name: &str, value: impl Into<String>) -> &mut Node {
        self.children.push(Node { name: name.into(), value: Some(value.into()), ..Default::default() });
        self
    }

    /// An empty leaf such as `ssh` under `services`.
    pub fn flag(&mut self, name: &str) -> &mut Node {
        if !self.children.iter().any(|c| c.name == name && c.key.is_none()) {
            self.children.push(Node { name: name.into(), ..Default::default() });
        }
        self
    }

    /// The node at a path of element names, where an entry step is written `name=key`.
    pub fn find(&self, path: &[&str]) -> Option<&Node> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let (name, key) = match first.split_once('=') {
            Some((n, k)) => (n, Some(k)),
            None => (*first, None),
        };
        self.children.iter().find(|c| c.name == name && c.key.as_deref() == key)?.find(rest)
    }

    /// Every value of the leaves at a path (the last step names the leaf).
    pub fn values(&self, path: &[&str]) -> Vec<&str> {
        let Some((leaf, parent)) = path.split_last() else {
            return Vec::new();
        };
        self.find(parent)
            .map(|p| p.children.iter().filter(|c| c.name == *leaf).filter_map(|c| c.value.as_deref()).collect())
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.children.is_empty() && self.value.is_none() && self.key.is_none()
    }

    /// The XML element, indented two spaces a level, text escaped.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        self.write_xml(&mut out, 0);
        out
    }

    fn write_xml(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        if let Some(v) = &self.value {
            out.push_str(&format!("{pad}<{n}>{}</{n}>\n", escape(v), n = self.name));
            return;
        }
        if self.key.is_none() && self.children.is_empty() {
            out.push_str(&format!("{pad}<{}/>\n", self.name));
            return;
        }
        out.push_str(&format!("{pad}<{}>\n", self.name));
        if let Some(k) = &self.key {
            out.push_str(&format!("{pad}  <name>{}</name>\n", escape(k)));
        }
        for c in &self.children {
            c.write_xml(out, depth + 1);
        }
        out.push_str(&format!("{pad}</{}>\n", self.name));
    }

    /// One `set` command per leaf, in tree order, each on its own line. The root's own name is not part
    /// of the paths.
    pub fn to_set_commands(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            c.write_set(&self.name, &mut Vec::new(), &mut out);
        }
        out
    }

    fn write_set(&self, parent: &str, path: &mut Vec<String>, out: &mut String) {
        let mark = path.len();
        match (&self.key, &self.value) {
            (Some(k), _) => {
                // Junos leaves the entry's element out where its container is its plural
                // (`interfaces ge-0/0/0`, `vlans lan-10`) and keeps it elsewhere (`unit 0`).
                if parent != format!("{}s", self.name) {
                    path.push(self.name.clone());
                }
                path.push(quote(k));
            }
            (None, Some(v)) => {
                path.push(self.name.clone());
                path.push(quote(v));
            }
            (None, None) => path.push(self.name.clone()),
        }
        if self.children.is_empty() {
            out.push_str("set ");
            out.push_str(&path.join(" "));
            out.push('\n');
        }
        for c in &self.children {
            c.write_set(&self.name, path, out);
        }
        path.truncate(mark);
    }
}

/// XML text escaping for element content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A word of a `set` command, double-quoted when the CLI would otherwise split or misread it.
fn quote(s: &str) -> String {
    let plain = !s.is_empty() && s.chars().all(|c| !c.is_whitespace() && !"\"'\\;{}[]#()<>|&$".contains(c));
    if plain {
        return s.to_string();
    }
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node {
        let mut root = Node::root();
        root.at("system").leaf("host-name", "r1").at("services").flag("ssh");
        root.at("system").at("services").at("netconf").flag("ssh");
        root.at("interfaces")
            .entry("interface", "ge-0/0/0")
            .leaf("description", "WAN mpls-1 (mpls, 100 Mbps)")
            .entry("unit", "0")
            .at("family")
            .at("inet")
            .entry("address", "10.1.0.1/24");
        root
    }

    #[test]
    fn set_commands_follow_junos_list_syntax() {
        assert_eq!(
            sample().to_set_commands(),
            "set system host-name r1\n\
             set system services ssh\n\
             set system services netconf ssh\n\
             set interfaces ge-0/0/0 description \"WAN mpls-1 (mpls, 100 Mbps)\"\n\
             set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/24\n"
        );
    }

    #[test]
    fn xml_nests_entries_under_their_name() {
        assert_eq!(
            sample().to_xml(),
            "<configuration>\n\
            \x20 <system>\n\
            \x20   <host-name>r1</host-name>\n\
            \x20   <services>\n\
            \x20     <ssh/>\n\
            \x20     <netconf>\n\
            \x20       <ssh/>\n\
            \x20     </netconf>\n\
            \x20   </services>\n\
            \x20 </system>\n\
            \x20 <interfaces>\n\
            \x20   <interface>\n\
            \x20     <name>ge-0/0/0</name>\n\
            \x20     <description>WAN mpls-1 (mpls, 100 Mbps)</description>\n\
            \x20     <unit>\n\
            \x20       <name>0</name>\n\
            \x20       <family>\n\
            \x20         <inet>\n\
            \x20           <address>\n\
            \x20             <name>10.1.0.1/24</name>\n\
            \x20           </address>\n\
            \x20         </inet>\n\
            \x20       </family>\n\
            \x20     </unit>\n\
            \x20   </interface>\n\
            \x20 </interfaces>\n\
            </configuration>\n"
        );
        assert_eq!(Node::root().to_xml(), "<configuration/>\n");
    }

    #[test]
    fn text_is_escaped_and_quoted() {
        let mut root = Node::root();
        root.at("system").leaf("host-name", "a<b>&\"c\"");
        assert!(root.to_xml().contains("<host-name>a&lt;b&gt;&amp;&quot;c&quot;</host-name>"));
        assert_eq!(root.to_set_commands(), "set system host-name \"a<b>&\\\"c\\\"\"\n");
    }

    #[test]
    fn merging_reuses_containers_and_entries() {
        let mut root = sample();
        root.at("interfaces").entry("interface", "ge-0/0/0").leaf("description", "changed");
        root.at("interfaces").entry("interface", "ge-0/0/1").flag("disable");
        let ifaces = root.find(&["interfaces"]).map(|n| n.children.len());
        assert_eq!(ifaces, Some(2));
        assert_eq!(root.values(&["interfaces", "interface=ge-0/0/0", "description"]), vec!["changed"]);
        root.at("vlans").entry("vlan", "v").push("members", "a").push("members", "b");
        assert_eq!(root.values(&["vlans", "vlan=v", "members"]), vec!["a", "b"]);
    }
}
