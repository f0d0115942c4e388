//! Demo data for `make run`: with an in-process fleet and an empty portal (no tenants yet), one tenant
//! with a dual-SRX site, a dual-NFX250 site and a few single-CPE branches, built from the simulated
//! serial numbers and activated through the ordinary jobs — so a newcomer sees live devices, roles and
//! alarms without typing anything. Skipped on any portal that already has tenants.

use domain::sites::{DeviceSlotInput, LanSegmentInput, SiteInput, WanLinkInput};
use domain::tenants::TenantInput;
use domain::Actor;
use drivers::simulator::{Fleet, Model, SimDevice};

const TENANT: &str = "demo-retail";
const DEMO_POP: &str = "ams-dc1";
const DEMO_VIM: &str = "demo-cloud";

fn wan(name: &str, kind: &str, mbps: u32) -> WanLinkInput {
    WanLinkInput {
        name: name.into(),
        link_type: kind.into(),
        bandwidth_mbps: mbps.to_string(),
        cost: if kind == "mpls" { "50".into() } else { "10".into() },
        interface: String::new(),
        node: String::new(),
    }
}

fn lan(name: &str, vlan: u16, gateway: &str) -> LanSegmentInput {
    LanSegmentInput { name: name.into(), vlan_id: vlan.to_string(), gateway: gateway.into(), department: String::new() }
}

fn site(name: &str, redundancy: &str, devices: &[&SimDevice], tenant_id: i64, wan_links: Vec<WanLinkInput>, n: u16) -> Option<SiteInput> {
    let first = devices.first()?;
    Some(SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: redundancy.into(),
        model: first.model.name().to_string(),
        junos_version: first.version.clone(),
        tenant: tenant_id.to_string(),
        country: "NL".into(),
        wan_links,
        lan_segments: vec![lan("office", 10, &format!("10.{n}.10.1/24")), lan("guests", 20, &format!("10.{n}.20.1/24"))],
        devices: devices
            .iter()
            .enumerate()
            .map(|(i, d)| DeviceSlotInput {
                name: if devices.len() == 2 { format!("{name}-node{i}") } else { format!("{name}-cpe") },
                serial: d.serial.clone(),
            })
            .collect(),
        ..SiteInput::default()
    })
}

/// The first chassis-cluster pair of `model`, node0 first.
fn pair(devices: &[SimDevice], want: impl Fn(Model) -> bool) -> Option<(SimDevice, SimDevice)> {
    let node0 = devices.iter().find(|d| want(d.model) && d.cluster.as_ref().is_some_and(|c| c.node == 0))?;
    let peer = node0.cluster.as_ref().map(|c| c.peer_serial.clone())?;
    let node1 = devices.iter().find(|d| d.serial == peer)?;
    Some((node0.clone(), node1.clone()))
}

pub async fn seed(db: &domain::DatabaseConnection, fleet: &Fleet) -> Result<(), domain::Error> {
    let actor = Actor::system();
    if domain::tenants::count_visible(db, &actor).await? > 0 {
        return Ok(());
    }
    let tenant = domain::tenants::create(
        db,
        &actor,
        TenantInput {
            name: TENANT.into(),
            display_name: "Demo Retail".into(),
            description: "Created by the demo fleet: sites on simulated CPEs.".into(),
            deployment_type: "sdwan".into(),
            site_limit: "50".into(),
            opco: String::new(),
            tenant_type: String::new(),
        },
    )
    .await?;
    let devices = fleet.devices();
    let mut sites = Vec::new();
    if let Some((a, b)) = pair(&devices, |m| m != Model::Nfx250) {
        let links = vec![wan("mpls-1", "mpls", 200), wan("inet-1", "internet", 500), wan("mpls-2", "mpls", 200), wan("inet-2", "internet", 500)];
        sites.extend(site("amsterdam-hq", "dual_srx", &[&a, &b], tenant.id, links, 1));
    }
    if let Some((a, b)) = pair(&devices, |m| m == Model::Nfx250) {
        let links = vec![wan("mpls-1", "mpls", 100), wan("inet-1", "internet", 300)];
        sites.extend(site("rotterdam-dc", "dual_nfx250", &[&a, &b], tenant.id, links, 2));
    }
    let singles = devices.iter().filter(|d| d.cluster.is_none()).take(3);
    for (i, d) in singles.enumerate() {
        let name = ["utrecht-shop", "leiden-shop", "delft-shop"][i];
        // An MPLS and an Internet link, as a branch office has: the SLA pages show both and which
        // one each application uses.
        let links = vec![wan("mpls-1", "mpls", 50), wan("inet-1", "internet", 100)];
        sites.extend(site(name, "none", &[d], tenant.id, links, 10 + i as u16));
    }
    for input in sites {
        let name = input.name.clone();
        match domain::sites::create(db, &actor, input).await {
            Ok(created) => {
                if let Err(e) = domain::devices::jobs::activate_site(db, &actor, created.id).await {
                    tracing::warn!(site = %name, error = %e, "demo site not activated");
                }
            }
            Err(e) => tracing::warn!(site = %name, error = %e, "demo site not created"),
        }
    }
    tracing::info!(tenant = TENANT, "demo tenant created with sites on the simulated fleet");
    Ok(())
}

/// The demo POP and its VIM `demo-cloud`, pointed at the demo fleet's OpenStack cloud. The cloud
/// listens where it was started this time (a free port by default), so an existing VIM is pointed
/// at it again on every start.
pub async fn ensure_cloud(db: &domain::DatabaseConnection, key: &domain::secrets::SecretKey, auth_url: &str, password: &str) -> Result<(), domain::Error> {
    use domain::infrastructure::{pops, vims};
    let actor = Actor::system();
    let existing = vims::find_by_name(db, &actor, DEMO_VIM).await?;
    let input = |pop_id: i64| vims::VimInput {
        pop_id,
        name: DEMO_VIM.into(),
        vim_type: "openstack".into(),
        auth_url: auth_url.into(),
        region: "RegionOne".into(),
        project: "portico".into(),
        username: "portico".into(),
        password: password.into(),
        ..Default::default()
    };
    if let Some(vim) = existing {
        if vim.auth_url.trim_end_matches('/') != auth_url.trim_end_matches('/') {
            vims::update(db, key, &actor, vim.id, input(vim.pop_id)).await?;
        }
        return Ok(());
    }
    let pop = match pops::choices(db, &actor).await?.into_iter().find(|(_, name)| name == DEMO_POP) {
        Some((id, _)) => id,
        None => {
            let input = pops::PopInput {
                name: DEMO_POP.into(),
                description: "The demo fleet's data centre: its OpenStack cloud runs the network services' VNFs.".into(),
                address: "Science Park 120".into(),
                city: "Amsterdam".into(),
                country: "NL".into(),
                latitude: "52.3560".into(),
                longitude: "4.9550".into(),
                opco: String::new(),
            };
            pops::create(db, &actor, input).await?.id
        }
    };
    vims::create(db, key, &actor, input(pop)).await?;
    tracing::info!(vim = DEMO_VIM, auth_url, "demo VIM created");
    Ok(())
}

/// The demo network service: Ingress → vSRX (firewall, NAT) → Steelhead (WAN optimisation) →
/// Egress, published as "Secure Internet" and allocated to the demo tenant, so `make run` shows a
/// tenant instantiating a service on the demo cloud without designing one first. Made once, after
/// the demo VIM exists (validation checks that the flavours fit a POP).
pub async fn seed_services(db: &domain::DatabaseConnection) -> Result<(), domain::Error> {
    use domain::network_services;
    const NAME: &str = "Secure Internet";
    let actor = Actor::system();
    let Some(tenant) = domain::tenants::find_by_name(db, &actor, TENANT).await? else { return Ok(()) };
    if network_services::list(db, &actor).await?.iter().any(|s| s.name == NAME) {
        return Ok(());
    }
    let chain: &[network_services::ChainSpec] = &[("fw1", "vSRX", "small", &["firewall", "nat"]), ("wan1", "Riverbed Steelhead", "small", &["wan_optimization"])];
    let entry = network_services::publish_chain(db, &actor, NAME, "Firewall and NAT on a vSRX, then WAN optimisation on a Steelhead.", chain).await?;
    network_services::allocate(db, &actor, entry.id, &[tenant.id]).await?;
    tracing::info!(service = NAME, tenant = TENANT, "demo network service published and allocated");
    Ok(())
}
