//! The drawing of a site: its CPE node(s), the WAN links from the node that carries each up to the
//! WAN, and the LAN below with the active and backup legs of a dual-CPE site. Everything here is a
//! pure function of [`TopologyView`], so the server and the browser draw the same SVG, and the
//! drawing follows the live device roles simply by being given a new view.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{SiteDeviceView, WanLinkView};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopologyView {
    pub site_name: String,
    /// A dual-CPE site (chassis cluster or NFX250 pair): two nodes side by side.
    pub dual: bool,
    pub nodes: Vec<TopoNode>,
    pub links: Vec<TopoLink>,
    pub lan_segments: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopoNode {
    /// 0 or 1; 0 for a single CPE.
    pub node: i32,
    pub device_name: String,
    /// `primary`, `secondary` or empty (not known yet).
    pub role: String,
    pub status_label: String,
    pub down: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopoLink {
    pub name: String,
    pub type_label: String,
    pub node: i32,
    /// `active`, `backup` (an LTE link) or `down` (reported down, or its node is down).
    pub state: String,
}

/// The view of a site's drawing from its devices and WAN links.
pub fn topology_view(site_name: &str, dual: bool, devices: &[SiteDeviceView], links: &[WanLinkView], lan_segments: usize) -> TopologyView {
    let mut nodes: Vec<TopoNode> = devices
        .iter()
        .map(|d| TopoNode {
            node: if dual { d.node.unwrap_or(0) } else { 0 },
            device_name: d.name.clone(),
            role: d.role.clone(),
            status_label: d.status_label.clone(),
            down: d.status == "down",
        })
        .collect();
    nodes.sort_by_key(|n| n.node);
    let links = links
        .iter()
        .map(|l| {
            let node = if dual { l.node } else { 0 };
            let node_down = nodes.iter().any(|n| n.node == node && n.down);
            let state = if node_down || l.state == "down" {
                "down"
            } else if l.backup {
                "backup"
            } else {
                "active"
            };
            TopoLink { name: l.name.clone(), type_label: l.type_label.clone(), node, state: state.to_string() }
        })
        .collect();
    TopologyView { site_name: site_name.to_string(), dual, nodes, links, lan_segments }
}

/// What the drawing says in words: who is primary and who secondary, primary first.
pub fn describe(v: &TopologyView) -> String {
    if v.nodes.is_empty() {
        return format!("{} has no device yet.", v.site_name);
    }
    if !v.dual {
        let n = &v.nodes[0];
        return format!("{} is the site's only CPE ({}).", n.device_name, n.status_label);
    }
    let rank = |role: &str| match role {
        "primary" => 0,
        "secondary" => 1,
        _ => 2,
    };
    let mut nodes: Vec<&TopoNode> = v.nodes.iter().collect();
    nodes.sort_by_key(|n| (rank(&n.role), n.node));
    nodes
        .iter()
        .map(|n| {
            let what = if n.role.is_empty() { "has no role yet".to_string() } else { format!("is {}", n.role) };
            format!("node{} ({}) {what}", n.node, n.device_name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

// The canvas, in SVG user units.
const WIDTH: i32 = 800;
const HEIGHT: i32 = 430;
const CLOUD_LEFT: i32 = 40;
const CLOUD_RIGHT: i32 = 760;
const CLOUD_TOP: i32 = 16;
const CLOUD_BOTTOM: i32 = 72;
const NODE_TOP: i32 = 200;
const NODE_HEIGHT: i32 = 96;
const NODE_WIDTH: i32 = 260;
const LAN_LEFT: i32 = 200;
const LAN_WIDTH: i32 = 400;
const LAN_TOP: i32 = 372;
const LAN_HEIGHT: i32 = 40;
const LABEL_ROWS: [i32; 2] = [112, 152];

/// The left edge of a node's box.
fn node_x(dual: bool, node: i32) -> i32 {
    match (dual, node) {
        (false, _) => (WIDTH - NODE_WIDTH) / 2,
        (true, 0) => 90,
        (true, _) => 450,
    }
}

/// Where one WAN link is drawn: from `(node_x, NODE_TOP)` up to `(cloud_x, CLOUD_BOTTOM)`, its label
/// centred on the line at `label_x, label_y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LinkGeometry {
    cloud_x: i32,
    node_x: i32,
    label_x: i32,
    label_y: i32,
}

/// Spreads the links over the cloud in node order, so lines of one node never cross another's, and
/// staggers neighbouring labels on two rows so they do not overlap.
fn link_geometry(dual: bool, links: &[TopoLink]) -> Vec<(usize, LinkGeometry)> {
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by_key(|&i| (links[i].node, i));
    let total = order.len() as i32;
    let span = CLOUD_RIGHT - CLOUD_LEFT - 80;
    order
        .iter()
        .enumerate()
        .map(|(slot, &i)| {
            let node = links[i].node;
            let on_node: Vec<usize> = order.iter().copied().filter(|&j| links[j].node == node).collect();
            let j = on_node.iter().position(|&x| x == i).unwrap_or(0) as i32;
            let m = on_node.len() as i32;
            let anchor = node_x(dual, node) + (j + 1) * NODE_WIDTH / (m + 1);
            let cloud_x = CLOUD_LEFT + 40 + (2 * slot as i32 + 1) * span / (2 * total.max(1));
            let label_y = LABEL_ROWS[slot % 2];
            let label_x = cloud_x + (anchor - cloud_x) * (label_y - CLOUD_BOTTOM) / (NODE_TOP - CLOUD_BOTTOM);
            (i, LinkGeometry { cloud_x, node_x: anchor, label_x, label_y })
        })
        .collect()
}

/// "LAN active" for the primary, "LAN backup" for the secondary; by node number while roles are unknown.
fn lan_label(v: &TopologyView, n: &TopoNode) -> &'static str {
    if !v.dual {
        return "LAN";
    }
    match n.role.as_str() {
        "primary" => "LAN active",
        "secondary" => "LAN backup",
        "lost" => "LAN down",
        _ if n.node == 0 => "LAN active",
        _ => "LAN backup",
    }
}

/// Long names are cut so they stay inside their box.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[component]
fn NodeBox(node: TopoNode, dual: bool) -> impl IntoView {
    let x = node_x(dual, node.node);
    let mid = x + NODE_WIDTH / 2;
    let class = if node.down { "topo-node topo-node-down" } else { "topo-node" };
    let role_class = match node.role.as_str() {
        "primary" => "topo-role topo-role-primary",
        _ => "topo-role",
    };
    let second = if dual { format!("node{}", node.node) } else { "CPE".to_string() };
    let role = if dual { if node.role.is_empty() { "role unknown".to_string() } else { node.role.clone() } } else { String::new() };
    view! {
        <g class=class>
            <rect x=x y=NODE_TOP width=NODE_WIDTH height=NODE_HEIGHT rx="8"></rect>
            <text x=mid y={NODE_TOP + 24} text-anchor="middle" class="topo-device">{fit(&node.device_name, 30)}</text>
            <text x=mid y={NODE_TOP + 44} text-anchor="middle" class="topo-node-name">{second}</text>
            <text x=mid y={NODE_TOP + 64} text-anchor="middle" class=role_class>{role}</text>
            <text x=mid y={NODE_TOP + 84} text-anchor="middle" class="topo-status">{node.status_label.clone()}</text>
        </g>
    }
}

#[component]
fn LinkLine(link: TopoLink, at: LinkGeometry) -> impl IntoView {
    let class = format!("topo-link topo-link-{}", link.state);
    view! {
        <g class=class>
            <line x1=at.node_x y1=NODE_TOP x2=at.cloud_x y2=CLOUD_BOTTOM></line>
            <text x=at.label_x y=at.label_y text-anchor="middle" class="topo-label">
                <tspan x=at.label_x>{format!("{} ({})", fit(&link.name, 24), link.type_label)}</tspan>
                <tspan x=at.label_x dy="14">{link.state.clone()}</tspan>
            </text>
        </g>
    }
}

#[component]
fn LanLeg(label: &'static str, x: i32) -> impl IntoView {
    let class = if label == "LAN backup" { "topo-lan-leg topo-lan-backup" } else { "topo-lan-leg" };
    let mid_y = (NODE_TOP + NODE_HEIGHT + LAN_TOP) / 2;
    view! {
        <g class=class>
            <line x1=x y1={NODE_TOP + NODE_HEIGHT} x2=x y2=LAN_TOP></line>
            <text x={x + 8} y={mid_y + 4} class="topo-label">{label}</text>
        </g>
    }
}

/// The site's topology as an SVG image whose title and description say what it shows.
#[component]
pub fn Topology(topo: TopologyView) -> impl IntoView {
    let title = format!("Topology of {}", topo.site_name);
    let desc = describe(&topo);
    let geometry = link_geometry(topo.dual, &topo.links);
    let links = geometry
        .into_iter()
        .filter_map(|(i, at)| topo.links.get(i).cloned().map(|link| view! { <LinkLine link at/> }))
        .collect_view();
    let legs = topo
        .nodes
        .iter()
        .map(|n| {
            let label = lan_label(&topo, n);
            let x = node_x(topo.dual, n.node) + NODE_WIDTH / 2;
            view! { <LanLeg label x/> }
        })
        .collect_view();
    let nodes = topo.nodes.iter().cloned().map(|node| view! { <NodeBox node dual=topo.dual/> }).collect_view();
    let empty = topo.nodes.is_empty().then(|| {
        view! {
            <text x={WIDTH / 2} y={NODE_TOP + NODE_HEIGHT / 2} text-anchor="middle" class="topo-empty">"No device yet"</text>
        }
    });
    let lan_text = match topo.lan_segments {
        0 => "LAN".to_string(),
        1 => "LAN · 1 segment".to_string(),
        n => format!("LAN · {n} segments"),
    };
    view! {
        <svg
            class="topology"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-labelledby="topology-title topology-desc"
        >
            <title id="topology-title">{title}</title>
            <desc id="topology-desc">{desc}</desc>
            <rect class="topo-cloud" x=CLOUD_LEFT y=CLOUD_TOP width={CLOUD_RIGHT - CLOUD_LEFT} height={CLOUD_BOTTOM - CLOUD_TOP} rx="28"></rect>
            <text class="topo-cloud-label" x={WIDTH / 2} y={(CLOUD_TOP + CLOUD_BOTTOM) / 2 + 6} text-anchor="middle">"WAN"</text>
            {links}
            {legs}
            {nodes}
            {empty}
            <rect class="topo-lan" x=LAN_LEFT y=LAN_TOP width=LAN_WIDTH height=LAN_HEIGHT rx="6"></rect>
            <text class="topo-lan-label" x={WIDTH / 2} y={LAN_TOP + 25} text-anchor="middle">{lan_text}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(name: &str, node: Option<i32>, role: &str, status: &str) -> SiteDeviceView {
        SiteDeviceView {
            id: 1,
            name: name.to_string(),
            serial: "CV0001".to_string(),
            model: "SRX345".to_string(),
            junos_version: "21.4R3-S5".to_string(),
            node,
            role: role.to_string(),
            status: status.to_string(),
            status_label: status.to_string(),
            status_detail: String::new(),
            oam_address: "100.64.0.2".to_string(),
            oam_up: status == "up",
            last_seen: None,
        }
    }

    fn link(name: &str, node: i32, backup: bool) -> WanLinkView {
        WanLinkView {
            name: name.to_string(),
            type_label: "Internet".to_string(),
            bandwidth_mbps: 100,
            cost: 1,
            interface: "ge-0/0/0".to_string(),
            node,
            backup,
            state: "up".to_string(),
        }
    }

    fn dual_site(node0_role: &str, node0_status: &str, node1_role: &str) -> TopologyView {
        let devices = [device("b-node0", Some(0), node0_role, node0_status), device("b-node1", Some(1), node1_role, "up")];
        let links = [link("wan0", 0, false), link("wan1", 1, false), link("wan2", 0, false), link("wan3", 1, false)];
        topology_view("branch", true, &devices, &links, 2)
    }

    #[test]
    fn the_description_names_the_primary_first() {
        let v = dual_site("secondary", "down", "primary");
        assert_eq!(describe(&v), "node1 (b-node1) is primary; node0 (b-node0) is secondary");
        let v = dual_site("primary", "up", "secondary");
        assert_eq!(describe(&v), "node0 (b-node0) is primary; node1 (b-node1) is secondary");
        let v = dual_site("", "up", "");
        assert_eq!(describe(&v), "node0 (b-node0) has no role yet; node1 (b-node1) has no role yet");
    }

    #[test]
    fn links_of_a_down_node_are_down_and_lte_is_backup() {
        let v = dual_site("secondary", "down", "primary");
        let states: Vec<(&str, &str)> = v.links.iter().map(|l| (l.name.as_str(), l.state.as_str())).collect();
        assert_eq!(states, [("wan0", "down"), ("wan1", "active"), ("wan2", "down"), ("wan3", "active")]);
        let single = topology_view("shop", false, &[device("shop-cpe", None, "", "up")], &[link("lte", 0, true)], 0);
        assert_eq!(single.links[0].state, "backup");
        assert_eq!(describe(&single), "shop-cpe is the site's only CPE (up).");
    }

    #[test]
    fn a_link_reported_down_is_drawn_down_on_a_live_node() {
        let devices = [device("shop-cpe", None, "", "up")];
        let mut down = link("inet", 0, false);
        down.state = "down".into();
        let v = topology_view("shop", false, &devices, &[down, link("mpls", 0, false)], 0);
        let states: Vec<&str> = v.links.iter().map(|l| l.state.as_str()).collect();
        assert_eq!(states, ["down", "active"]);
    }

    #[test]
    fn the_lan_legs_follow_the_roles() {
        let v = dual_site("secondary", "down", "primary");
        assert_eq!(lan_label(&v, &v.nodes[0]), "LAN backup");
        assert_eq!(lan_label(&v, &v.nodes[1]), "LAN active");
    }

    #[test]
    fn four_links_spread_over_both_nodes_without_crossing() {
        let v = dual_site("primary", "up", "secondary");
        let g = link_geometry(true, &v.links);
        // In node order: wan0 and wan2 on node 0 (left), wan1 and wan3 on node 1 (right).
        let order: Vec<usize> = g.iter().map(|(i, _)| *i).collect();
        assert_eq!(order, [0, 2, 1, 3]);
        let clouds: Vec<i32> = g.iter().map(|(_, at)| at.cloud_x).collect();
        let anchors: Vec<i32> = g.iter().map(|(_, at)| at.node_x).collect();
        assert!(clouds.windows(2).all(|w| w[0] < w[1]), "{clouds:?}");
        assert!(anchors.windows(2).all(|w| w[0] < w[1]), "{anchors:?}");
        assert!(anchors[..2].iter().all(|&x| x > node_x(true, 0) && x < node_x(true, 0) + NODE_WIDTH));
        assert!(anchors[2..].iter().all(|&x| x > node_x(true, 1) && x < node_x(true, 1) + NODE_WIDTH));
        // Neighbouring labels sit on different rows.
        assert_ne!(g[0].1.label_y, g[1].1.label_y);
    }

    #[test]
    fn long_names_are_cut() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a-very-long-device-name", 10), "a-very-lo…");
    }
}
