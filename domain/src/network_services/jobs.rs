//! The jobs of service instances: instantiate, terminate, configure a VNF, restart a VNF. Each
//! reaches the VIM through [`CloudConnector`] and the VNFs through [`DeviceDriver`] (NETCONF), so
//! this crate speaks neither HTTP nor SSH itself.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::instances::entity::{instance, resource, revision, vnf};
use super::instances::package_version;
use crate::access::{Action, Resource};
use crate::designs::config;
use crate::devices::driver::{DeviceDriver, DeviceTarget, EditMode};
use crate::infrastructure::cloud::{CloudConnector, CloudFlavor, CloudSession, ResourceKind, ServerRequest, ServerState, VimAccess};
use crate::infrastructure::vims;
use crate::jobs::{JobContext, JobFailure, JobKind, Runner};
use crate::secrets::SecretKey;
use crate::sites::config::tree::escape;
use crate::Result;

pub const INSTANTIATE: &str = "network_services.instantiate";
pub const TERMINATE: &str = "network_services.terminate";
pub const CONFIGURE: &str = "network_services.configure_vnf";
pub const RESTART: &str = "network_services.restart_vnf";

/// How long the jobs wait.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// For every server to become ACTIVE (and a restarted one to come back).
    pub boot_wait: Duration,
    /// Between two reads of a server's state.
    pub poll: Duration,
    /// Each call to the cloud.
    pub call_timeout: Duration,
    /// Health checks: attempts, a poll apart.
    pub health_attempts: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { boot_wait: Duration::from_secs(300), poll: Duration::from_millis(250), call_timeout: Duration::from_secs(30), health_attempts: 20 }
    }
}

/// What the instance jobs reach the cloud and the VNFs with.
#[derive(Clone)]
pub struct Reach {
    pub clouds: Arc<dyn CloudConnector>,
    pub key: Arc<SecretKey>,
    pub driver: Arc<dyn DeviceDriver>,
    pub timing: Timing,
}

/// Registers the four kinds with a runner.
pub fn register(runner: Runner, reach: Reach) -> Runner {
    runner.register(Instantiate(reach.clone())).register(Terminate(reach.clone())).register(Configure(reach.clone())).register(Restart(reach))
}

pub(crate) fn instantiate_steps(vim: &str, pop: &str, vnfs: usize) -> Vec<String> {
    vec![
        format!("Log in to {vim} ({pop}); find each VNF's image and flavour"),
        "Create networks".into(),
        "Create ports".into(),
        format!("Boot {vnfs} VNF{}", if vnfs == 1 { "" } else { "s" }),
        "Push day-0 configuration".into(),
        "Health check".into(),
    ]
}

pub(crate) fn terminate_steps(vim: &str, pop: &str) -> Vec<String> {
    vec![format!("Log in to {vim} ({pop})"), "Delete servers".into(), "Delete ports".into(), "Delete subnets and networks".into()]
}

pub(crate) fn configure_steps(host: &str) -> Vec<String> {
    vec![format!("Connect to {host}"), "Load and commit the configuration".into(), "Health check".into()]
}

pub(crate) fn restart_steps(host: &str) -> Vec<String> {
    vec![format!("Reboot {host}'s server"), "Wait until it is ACTIVE".into(), "Health check".into()]
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceParams {
    pub instance_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfigureParams {
    pub vnf_id: i64,
    pub revision: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VnfParams {
    pub vnf_id: i64,
}

/// What a VNF's configuration is rendered from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub hostname: String,
    pub mgmt_address: String,
    pub functions: Vec<String>,
    pub settings: BTreeMap<String, String>,
}

pub(crate) fn plan_of(v: &vnf::Model) -> Plan {
    Plan {
        hostname: v.hostname.clone(),
        mgmt_address: v.mgmt_address.clone(),
        functions: v.functions.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        settings: serde_json::from_str(&v.settings).unwrap_or_default(),
    }
}

/// A VNF's configuration as a Junos `<configuration>`: its hostname, the management interface at
/// the address Neutron gave its management port, the left and right interfaces on the chain's
/// networks (addressed by DHCP from their subnets), and the settings of its package's form (each
/// setting, with a form default when left empty) kept as an `apply-macro` the VNF's own templates
/// read. The macro is replaced whole, so a setting cleared is a setting gone.
pub fn day0(plan: &Plan, form: &[config::Variable]) -> String {
    let mut settings: BTreeMap<&str, &str> = BTreeMap::new();
    for v in form {
        let given = plan.settings.get(&v.name).map(String::as_str).filter(|s| !s.trim().is_empty());
        if let Some(value) = given.or((!v.default.trim().is_empty()).then_some(v.default.as_str())) {
            settings.insert(&v.name, value);
        }
    }
    for (k, v) in &plan.settings {
        if !v.trim().is_empty() {
            settings.entry(k).or_insert(v);
        }
    }
    let host = escape(&plan.hostname);
    let mgmt = if plan.mgmt_address.is_empty() {
        String::from("              <inet/>\n")
    } else {
        format!("              <inet>\n                <address>\n                  <name>{}/24</name>\n                </address>\n              </inet>\n", escape(&plan.mgmt_address))
    };
    let dhcp = "              <inet>\n                <dhcp/>\n              </inet>\n";
    let mut out = format!("<configuration>\n  <system>\n    <host-name>{host}</host-name>\n  </system>\n  <interfaces>\n");
    for (name, description, family) in [("fxp0", "management", mgmt.as_str()), ("ge-0/0/0", "left", dhcp), ("ge-0/0/1", "right", dhcp)] {
        out.push_str(&format!(
            "    <interface>\n      <name>{name}</name>\n      <description>{description}</description>\n      <unit>\n        <name>0</name>\n        <family>\n{family}        </family>\n      </unit>\n    </interface>\n"
        ));
    }
    out.push_str("  </interfaces>\n");
    out.push_str("  <apply-macro replace=\"replace\">\n    <name>portico-vnf</name>\n");
    out.push_str(&format!("    <data><name>functions</name><value>{}</value></data>\n", escape(&plan.functions.join(","))));
    for (k, v) in settings {
        out.push_str(&format!("    <data><name>{}</name><value>{}</value></data>\n", escape(k), escape(v)));
    }
    out.push_str("  </apply-macro>\n</configuration>\n");
    out
}

/// Why a step failed.
struct Fail {
    step: i32,
    message: String,
}

fn fail(step: i32, message: impl Into<String>) -> Fail {
    Fail { step, message: message.into() }
}

impl From<crate::Error> for Fail {
    fn from(e: crate::Error) -> Self {
        fail(0, e.to_string())
    }
}

impl From<sea_orm::DbErr> for Fail {
    fn from(e: sea_orm::DbErr) -> Self {
        fail(0, crate::Error::from(e).to_string())
    }
}

async fn instance_of(db: &DatabaseConnection, id: i64) -> Result<instance::Model, JobFailure> {
    instance::Entity::find_by_id(id).one(db).await.map_err(crate::Error::from)?.ok_or_else(|| JobFailure::permanent("the service instance no longer exists"))
}

async fn vnfs_of(db: &DatabaseConnection, instance_id: i64) -> Result<Vec<vnf::Model>> {
    Ok(vnf::Entity::find().filter(vnf::Column::InstanceId.eq(instance_id)).order_by_asc(vnf::Column::Position).all(db).await?)
}

/// The actor who queued the job must still be allowed to operate network services.
async fn still_allowed(ctx: &JobContext) -> Result<(), JobFailure> {
    let actor = ctx.actor().await?;
    actor.require(Resource::NetworkServices, Action::Operate).map_err(|_| JobFailure::permanent(format!("{} may no longer operate network services", actor.username)))
}

async fn set_instance(db: &DatabaseConnection, r: &instance::Model, status: &str, detail: &str) -> Result<()> {
    let mut a: instance::ActiveModel = r.clone().into();
    a.status = Set(status.to_string());
    a.detail = Set(detail.chars().take(2000).collect());
    a.updated_at = Set(OffsetDateTime::now_utc());
    if status == "terminated" {
        a.terminated_at = Set(Some(OffsetDateTime::now_utc()));
    }
    a.update(db).await?;
    Ok(())
}

async fn set_vnf(db: &DatabaseConnection, v: &vnf::Model, change: impl FnOnce(&mut vnf::ActiveModel)) -> Result<vnf::Model> {
    let mut a: vnf::ActiveModel = v.clone().into();
    change(&mut a);
    Ok(a.update(db).await?)
}

/// Logs in to the instance's VIM with its sealed password.
async fn open_vim(db: &DatabaseConnection, reach: &Reach, vim_id: Option<i64>, step: i32) -> Result<Box<dyn CloudSession>, Fail> {
    let vim = match vim_id {
        Some(id) => vims::entity::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let vim = vim.ok_or_else(|| fail(step, "the instance's VIM has been deleted: its resources must be removed on the cloud by hand"))?;
    let password = if vim.password_sealed.is_empty() { secrecy::SecretString::from(String::new()) } else { reach.key.open(vims::PASSWORD_PURPOSE, &vim.password_sealed)? };
    let access = VimAccess { auth_url: vim.auth_url.clone(), region: vim.region.clone(), project: vim.project.clone(), username: vim.username.clone(), password };
    match tokio::time::timeout(reach.timing.call_timeout, reach.clouds.open(&access, reach.timing.call_timeout)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(f)) => Err(fail(step, f.to_string())),
        Err(_) => Err(fail(step, format!("Keystone: no answer within {} s", reach.timing.call_timeout.as_secs()))),
    }
}

/// Writes down a resource the moment the cloud created it.
async fn record(db: &DatabaseConnection, instance_id: i64, kind: ResourceKind, cloud_id: &str, name: &str, detail: &str) -> Result<()> {
    resource::ActiveModel {
        instance_id: Set(instance_id),
        kind: Set(kind.key().to_string()),
        cloud_id: Set(cloud_id.chars().take(64).collect()),
        name: Set(name.chars().take(255).collect()),
        detail: Set(detail.to_string()),
        created_at: Set(OffsetDateTime::now_utc()),
        removed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The smallest flavour of the cloud that holds the VNF's.
fn fitting(flavors: &[CloudFlavor], vcpu: u32, ram_mb: u32, disk_gb: u32) -> Option<&CloudFlavor> {
    flavors.iter().filter(|f| f.vcpus >= vcpu && f.ram_mb >= ram_mb && f.disk_gb >= disk_gb).min_by_key(|f| (f.vcpus, f.ram_mb, f.disk_gb))
}

fn target(v: &vnf::Model) -> DeviceTarget {
    let serial = if v.login.is_empty() { v.hostname.clone() } else { v.login.clone() };
    DeviceTarget { serial, oam_address: v.mgmt_address.clone() }
}

/// Loads a configuration into the VNF and commits it (locked; discarded on failure).
async fn push(driver: &dyn DeviceDriver, v: &vnf::Model, config: &str) -> std::result::Result<(), String> {
    let mut s = driver.open(&target(v)).await.map_err(|e| e.to_string())?;
    if let Err(e) = s.lock().await {
        s.close().await;
        return Err(e.to_string());
    }
    let applied = match s.edit_config(config, EditMode::Merge).await {
        Ok(()) => s.commit().await,
        Err(e) => Err(e),
    };
    if applied.is_err() {
        let _ = s.discard_changes().await;
    }
    let _ = s.unlock().await;
    s.close().await;
    applied.map_err(|e| e.to_string())
}

/// Asks the VNF for its facts until it answers (its health check over NETCONF).
async fn healthy(driver: &dyn DeviceDriver, v: &vnf::Model, timing: Timing) -> std::result::Result<String, String> {
    let mut last = String::new();
    for attempt in 0..timing.health_attempts.max(1) {
        if attempt > 0 {
            tokio::time::sleep(timing.poll).await;
        }
        match driver.open(&target(v)).await {
            Ok(mut s) => {
                let facts = s.facts().await;
                s.close().await;
                match facts {
                    Ok(f) => return Ok(format!("{} answers: {} {}, Junos {}", v.hostname, f.model, f.serial, f.version)),
                    Err(e) => last = e.to_string(),
                }
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// Waits until every server is ACTIVE; the first one in ERROR ends the wait.
async fn until_active(cloud: &dyn CloudSession, servers: &[(String, String)], timing: Timing) -> std::result::Result<BTreeMap<String, Option<String>>, String> {
    let deadline = tokio::time::Instant::now() + timing.boot_wait;
    let mut ready: BTreeMap<String, Option<String>> = BTreeMap::new();
    loop {
        for (id, host) in servers {
            if ready.contains_key(id) {
                continue;
            }
            let info = cloud.server(id).await.map_err(|e| e.to_string())?;
            match info.state {
                ServerState::Active => {
                    ready.insert(id.clone(), info.login);
                }
                ServerState::Failed(why) => return Err(format!("{host}'s server went to ERROR: {why}")),
                ServerState::Gone => return Err(format!("{host}'s server disappeared from the cloud")),
                ServerState::Stopped => return Err(format!("{host}'s server stopped while booting")),
                ServerState::Building | ServerState::Rebooting => {}
            }
        }
        if ready.len() == servers.len() {
            return Ok(ready);
        }
        if tokio::time::Instant::now() >= deadline {
            let waiting: Vec<&str> = servers.iter().filter(|(id, _)| !ready.contains_key(id)).map(|(_, h)| h.as_str()).collect();
            return Err(format!("{} not ACTIVE after {} s", waiting.join(", "), timing.boot_wait.as_secs()));
        }
        tokio::time::sleep(timing.poll).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Instantiate

pub struct Instantiate(pub Reach);

#[async_trait]
impl JobKind for Instantiate {
    type Params = InstanceParams;
    const KEY: &'static str = INSTANTIATE;
    const LABEL: &'static str = "Network service instantiation";
    const PERMISSION: (Resource, Action) = (Resource::NetworkServices, Action::Operate);

    async fn run(&self, ctx: &JobContext, p: InstanceParams) -> Result<String, JobFailure> {
        let r = instance_of(&ctx.db, p.instance_id).await?;
        if let Err(e) = still_allowed(ctx).await {
            let _ = set_instance(&ctx.db, &r, "failed", "The person who asked for it may no longer operate network services.").await;
            return Err(e);
        }
        match self.instantiate(ctx, &r).await {
            Ok(summary) => {
                set_instance(&ctx.db, &r, "active", &summary).await?;
                Ok(summary)
            }
            Err(f) => {
                let step = if f.step == 0 { 1 } else { f.step };
                let _ = ctx.step_failed(step, &f.message).await;
                let left = resource::Entity::find().filter(resource::Column::InstanceId.eq(r.id)).filter(resource::Column::RemovedAt.is_null()).all(&ctx.db).await.map(|l| l.len()).unwrap_or(0);
                let detail = if left == 0 {
                    f.message.clone()
                } else {
                    format!("{} — {left} cloud resource{} created before this stay listed until the instance is terminated.", f.message, if left == 1 { "" } else { "s" })
                };
                set_instance(&ctx.db, &r, "failed", &detail).await?;
                for v in vnfs_of(&ctx.db, r.id).await? {
                    if v.status != "active" {
                        set_vnf(&ctx.db, &v, |a| a.status = Set("failed".into())).await?;
                    }
                }
                let _ = ctx.log("error", &detail).await;
                Err(JobFailure::permanent(detail))
            }
        }
    }

    async fn cancelled_before_start(db: &DatabaseConnection, job: &crate::jobs::Job) -> Result<()> {
        left_behind(db, job, "Instantiation cancelled before it started: nothing was created. Terminate the instance to close it.").await
    }

    /// A server that died mid-instantiation leaves the instance Failed, with what it made listed.
    async fn abandoned(&self, db: &DatabaseConnection, job: &crate::jobs::Job) -> Result<()> {
        left_behind(db, job, "The server running the instantiation stopped before it ended; the resources below stay until the instance is terminated.").await
    }
}

/// Marks the instance of an abandoned job Failed with `why`.
async fn left_behind(db: &DatabaseConnection, job: &crate::jobs::Job, why: &str) -> Result<()> {
    let p: InstanceParams = serde_json::from_str(&job.params).map_err(|e| crate::Error::Internal(e.to_string()))?;
    if let Some(r) = instance::Entity::find_by_id(p.instance_id).one(db).await? {
        set_instance(db, &r, "failed", why).await?;
    }
    Ok(())
}

/// One VNF's boot: its row, and the image and flavour found on the cloud.
struct Boot {
    vnf: vnf::Model,
    image_id: String,
    image: String,
    flavor_id: String,
    flavor: String,
    form: Vec<config::Variable>,
    /// Its day-0 configuration, rendered once the management address is known: handed to the
    /// guest as user data, then committed over NETCONF.
    config: String,
}

impl Instantiate {
    async fn instantiate(&self, ctx: &JobContext, r: &instance::Model) -> Result<String, Fail> {
        let db = &ctx.db;
        let timing = self.0.timing;
        let vnfs = vnfs_of(db, r.id).await?;
        let n = vnfs.len();

        // 1. Log in, and find everything the boots need before creating anything.
        ctx.step_started(1).await?;
        let cloud = open_vim(db, &self.0, r.vim_id, 1).await?;
        let flavors = cloud.flavors().await.map_err(|e| fail(1, e.to_string()))?;
        let images = cloud.images().await.map_err(|e| fail(1, e.to_string()))?;
        let mut boots = Vec::new();
        for v in vnfs {
            let package = package_version(db, &v.package, v.package_version).await?.ok_or_else(|| fail(1, format!("{}: package {} v{} cannot be read", v.hostname, v.package, v.package_version)))?;
            let fl = package.flavours.iter().find(|f| f.name == v.flavour).ok_or_else(|| fail(1, format!("{}: package {} has no flavour {}", v.hostname, v.package, v.flavour)))?;
            let flavor = fitting(&flavors, fl.vcpu, fl.ram_mb, fl.disk_gb)
                .ok_or_else(|| fail(1, format!("{}: no flavour of the cloud holds {} ({} vCPU, {} MB RAM, {} GB disk)", v.hostname, fl.name, fl.vcpu, fl.ram_mb, fl.disk_gb)))?;
            let image = images
                .iter()
                .find(|(_, name, status)| name == &package.image.name && status == "active")
                .ok_or_else(|| fail(1, format!("{}: Glance has no active image {}: upload it to the VIM", v.hostname, package.image.name)))?;
            boots.push(Boot { vnf: v, image_id: image.0.clone(), image: image.1.clone(), flavor_id: flavor.id.clone(), flavor: flavor.name.clone(), form: package.settings.clone(), config: String::new() });
        }
        let found: Vec<String> = boots.iter().map(|b| format!("{}: {} on {}", b.vnf.hostname, b.image, b.flavor)).collect();
        ctx.step_done(1, &found.join("; ")).await?;
        ctx.progress(10).await?;

        // 2. Networks: management, and one between each pair of neighbours in the chain
        //    (ingress side, between VNFs, egress side), each with a /24 from which DHCP addresses.
        ctx.step_started(2).await?;
        let mut nets = Vec::new();
        for k in 0..=n + 1 {
            let (label, cidr) = if k == 0 { ("mgmt".to_string(), "192.168.0.0/24".to_string()) } else { (format!("net{k}"), format!("192.168.{k}.0/24")) };
            let name = format!("{}-{label}", r.name);
            let net = cloud.create_network(&name).await.map_err(|e| fail(2, format!("network {name}: {e}")))?;
            record(db, r.id, ResourceKind::Network, &net, &name, &cidr).await?;
            let sub = cloud.create_subnet(&net, &format!("{name}-subnet"), &cidr).await.map_err(|e| fail(2, format!("subnet of {name}: {e}")))?;
            record(db, r.id, ResourceKind::Subnet, &sub, &format!("{name}-subnet"), &cidr).await?;
            nets.push((net, name));
        }
        ctx.step_done(2, &format!("{} networks: {}", nets.len(), nets.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", "))).await?;
        ctx.progress(25).await?;

        // 3. Ports: each VNF's management port, then its left and right on the networks it sits between.
        ctx.step_started(3).await?;
        let mut ports: Vec<Vec<String>> = Vec::new();
        for (i, b) in boots.iter_mut().enumerate() {
            let mut mine = Vec::new();
            for (side, net) in [("mgmt", 0), ("left", i + 1), ("right", i + 2)] {
                let (net_id, net_name) = &nets[net];
                let name = format!("{}-{side}", b.vnf.hostname);
                let (port, ip) = cloud.create_port(net_id, &name).await.map_err(|e| fail(3, format!("port {name}: {e}")))?;
                let ip = ip.unwrap_or_default();
                record(db, r.id, ResourceKind::Port, &port, &name, &format!("{net_name} {ip}")).await?;
                if side == "mgmt" {
                    b.vnf = set_vnf(db, &b.vnf, |a| a.mgmt_address = Set(ip.clone())).await?;
                }
                mine.push(port);
            }
            ports.push(mine);
        }
        ctx.step_done(3, &format!("{} ports; management addresses {}", ports.len() * 3, boots.iter().map(|b| format!("{} {}", b.vnf.hostname, b.vnf.mgmt_address)).collect::<Vec<_>>().join(", "))).await?;
        ctx.progress(40).await?;

        // 4. Boot every VNF, then wait for all of them.
        ctx.step_started(4).await?;
        let mut servers = Vec::new();
        for (b, ports) in boots.iter_mut().zip(ports) {
            b.config = day0(&plan_of(&b.vnf), &b.form);
            let mut metadata = BTreeMap::new();
            metadata.insert("portico_instance".to_string(), r.name.clone());
            metadata.insert("portico_vnf".to_string(), b.vnf.node.clone());
            let req = ServerRequest { name: b.vnf.hostname.clone(), image_id: b.image_id.clone(), flavor_id: b.flavor_id.clone(), ports, metadata, user_data: Some(b.config.clone()) };
            let id = cloud.create_server(&req).await.map_err(|e| fail(4, format!("{}: {e}", b.vnf.hostname)))?;
            record(db, r.id, ResourceKind::Server, &id, &b.vnf.hostname, &format!("{} on {}", b.image, b.flavor)).await?;
            b.vnf = set_vnf(db, &b.vnf, |a| {
                a.server_id = Set(id.clone());
                a.status = Set("booting".into());
            })
            .await?;
            let _ = ctx.log("info", &format!("{}: server {id} requested", b.vnf.hostname)).await;
            servers.push((id, b.vnf.hostname.clone()));
        }
        let started = std::time::Instant::now();
        let ready = until_active(cloud.as_ref(), &servers, timing).await.map_err(|e| fail(4, e))?;
        for b in boots.iter_mut() {
            let login = ready.get(&b.vnf.server_id).cloned().flatten().unwrap_or_else(|| b.vnf.hostname.clone());
            b.vnf = set_vnf(db, &b.vnf, |a| {
                a.login = Set(login.clone());
                a.status = Set("configuring".into());
            })
            .await?;
        }
        ctx.step_done(4, &format!("{n} server{} ACTIVE after {} ms", if n == 1 { "" } else { "s" }, started.elapsed().as_millis())).await?;
        ctx.progress(65).await?;

        // 5. Day-0: what user data handed the guest, loaded and committed over NETCONF, so the
        //    configuration the portal records is the one the VNF runs.
        ctx.step_started(5).await?;
        for b in boots.iter_mut() {
            push(self.0.driver.as_ref(), &b.vnf, &b.config).await.map_err(|e| fail(5, format!("{}: {e}", b.vnf.hostname)))?;
            let now = OffsetDateTime::now_utc();
            revision::ActiveModel {
                vnf_id: Set(b.vnf.id),
                revision: Set(1),
                config: Set(b.config.clone()),
                settings: Set(b.vnf.settings.clone()),
                note: Set("Day-0 configuration".into()),
                state: Set("applied".into()),
                job_id: Set(Some(ctx.job.id)),
                created_by: Set(r.created_by.clone()),
                created_at: Set(now),
                applied_at: Set(Some(now)),
                ..Default::default()
            }
            .insert(db)
            .await?;
            b.vnf = set_vnf(db, &b.vnf, |a| a.revision = Set(1)).await?;
            let _ = ctx.log("info", &format!("{}: day-0 configuration committed", b.vnf.hostname)).await;
        }
        ctx.step_done(5, &format!("committed on {n} VNF{}", if n == 1 { "" } else { "s" })).await?;
        ctx.progress(85).await?;

        // 6. Health: each VNF answers NETCONF with its facts.
        ctx.step_started(6).await?;
        let mut said = Vec::new();
        for b in boots.iter_mut() {
            let ok = healthy(self.0.driver.as_ref(), &b.vnf, timing).await.map_err(|e| fail(6, format!("{} does not answer: {e}", b.vnf.hostname)))?;
            set_vnf(db, &b.vnf, |a| a.status = Set("active".into())).await?;
            said.push(ok);
        }
        ctx.step_done(6, &said.join("; ")).await?;
        Ok(format!("{} is active: {n} VNF{} on {} ({})", r.name, if n == 1 { "" } else { "s" }, r.vim_name, r.pop_name))
    }
}

// ---------------------------------------------------------------------------------------------
// Terminate

pub struct Terminate(pub Reach);

#[async_trait]
impl JobKind for Terminate {
    type Params = InstanceParams;
    const KEY: &'static str = TERMINATE;
    const LABEL: &'static str = "Network service termination";
    const PERMISSION: (Resource, Action) = (Resource::NetworkServices, Action::Operate);

    async fn run(&self, ctx: &JobContext, p: InstanceParams) -> Result<String, JobFailure> {
        let r = instance_of(&ctx.db, p.instance_id).await?;
        match self.terminate(ctx, &r).await {
            Ok(summary) => {
                set_instance(&ctx.db, &r, "terminated", &summary).await?;
                for v in vnfs_of(&ctx.db, r.id).await? {
                    set_vnf(&ctx.db, &v, |a| a.status = Set("stopped".into())).await?;
                }
                Ok(summary)
            }
            Err(f) => {
                let step = if f.step == 0 { 1 } else { f.step };
                let _ = ctx.step_failed(step, &f.message).await;
                let detail = format!("Terminating stopped: {}. What remains is listed; terminate again to retry.", f.message);
                set_instance(&ctx.db, &r, "failed", &detail).await?;
                Err(JobFailure::Failed { message: detail, retryable: true })
            }
        }
    }

    /// A termination cancelled before it started leaves the instance as its resources say.
    async fn cancelled_before_start(db: &DatabaseConnection, job: &crate::jobs::Job) -> Result<()> {
        left_behind(db, job, "Termination cancelled before it started; the resources below remain: terminate again to remove them.").await
    }

    async fn abandoned(&self, db: &DatabaseConnection, job: &crate::jobs::Job) -> Result<()> {
        left_behind(db, job, "The server running the termination stopped before it ended; the resources below remain: terminate again to remove them.").await
    }
}

impl Terminate {
    async fn terminate(&self, ctx: &JobContext, r: &instance::Model) -> Result<String, Fail> {
        let db = &ctx.db;
        let mut left: Vec<(ResourceKind, resource::Model)> = resource::Entity::find()
            .filter(resource::Column::InstanceId.eq(r.id))
            .filter(resource::Column::RemovedAt.is_null())
            .order_by_desc(resource::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|x| ResourceKind::from_key(&x.kind).map(|k| (k, x)))
            .collect();
        left.sort_by_key(|(k, _)| *k);
        ctx.step_started(1).await?;
        if left.is_empty() {
            for s in 1..=4 {
                ctx.step_done(s, "nothing to delete").await?;
            }
            return Ok(format!("{} is terminated: it had no cloud resources", r.name));
        }
        let cloud = open_vim(db, &self.0, r.vim_id, 1).await?;
        ctx.step_done(1, &format!("{} resources to delete", left.len())).await?;
        let total = left.len();
        let mut removed = 0usize;
        for (step, kinds) in [(2, &[ResourceKind::Server][..]), (3, &[ResourceKind::Port][..]), (4, &[ResourceKind::Subnet, ResourceKind::Network][..])] {
            ctx.step_started(step).await?;
            let mut names = Vec::new();
            for (kind, x) in left.iter().filter(|(k, _)| kinds.contains(k)) {
                cloud.delete(*kind, &x.cloud_id).await.map_err(|e| fail(step, format!("{} {}: {e}", kind.key(), x.name)))?;
                let mut a: resource::ActiveModel = x.clone().into();
                a.removed_at = Set(Some(OffsetDateTime::now_utc()));
                a.update(db).await?;
                names.push(x.name.clone());
                removed += 1;
            }
            if step == 2 && !names.is_empty() {
                // Nova deletes asynchronously; the ports are freed once the servers are gone.
                let deadline = tokio::time::Instant::now() + self.0.timing.boot_wait;
                for (_, x) in left.iter().filter(|(k, _)| *k == ResourceKind::Server) {
                    while cloud.server(&x.cloud_id).await.map(|i| i.state != ServerState::Gone).unwrap_or(false) {
                        if tokio::time::Instant::now() >= deadline {
                            return Err(fail(2, format!("{} still exists after {} s", x.name, self.0.timing.boot_wait.as_secs())));
                        }
                        tokio::time::sleep(self.0.timing.poll).await;
                    }
                }
            }
            ctx.step_done(step, &if names.is_empty() { "nothing to delete".to_string() } else { names.join(", ") }).await?;
            ctx.progress((removed * 100 / total.max(1)) as i32).await?;
        }
        Ok(format!("{} is terminated: {removed} cloud resources deleted", r.name))
    }
}

// ---------------------------------------------------------------------------------------------
// Configure a VNF

pub struct Configure(pub Reach);

#[async_trait]
impl JobKind for Configure {
    type Params = ConfigureParams;
    const KEY: &'static str = CONFIGURE;
    const LABEL: &'static str = "VNF configuration";
    const PERMISSION: (Resource, Action) = (Resource::NetworkServices, Action::Operate);

    async fn run(&self, ctx: &JobContext, p: ConfigureParams) -> Result<String, JobFailure> {
        still_allowed(ctx).await?;
        let db = &ctx.db;
        let v = vnf::Entity::find_by_id(p.vnf_id).one(db).await.map_err(crate::Error::from)?.ok_or_else(|| JobFailure::permanent("the VNF no longer exists"))?;
        let rev = revision::Entity::find()
            .filter(revision::Column::VnfId.eq(p.vnf_id))
            .filter(revision::Column::Revision.eq(p.revision))
            .one(db)
            .await
            .map_err(crate::Error::from)?
            .ok_or_else(|| JobFailure::permanent("the revision no longer exists"))?;
        ctx.step_started(1).await?;
        ctx.step_done(1, &format!("{} at {}", v.hostname, v.mgmt_address)).await?;
        ctx.step_started(2).await?;
        let outcome = push(self.0.driver.as_ref(), &v, &rev.config).await;
        let mut a: revision::ActiveModel = rev.clone().into();
        match outcome {
            Ok(()) => {
                a.state = Set("applied".into());
                a.applied_at = Set(Some(OffsetDateTime::now_utc()));
                a.update(db).await.map_err(crate::Error::from)?;
                set_vnf(db, &v, |a| a.revision = Set(p.revision)).await?;
                ctx.step_done(2, &format!("revision {} committed", p.revision)).await?;
            }
            Err(e) => {
                a.state = Set("failed".into());
                a.update(db).await.map_err(crate::Error::from)?;
                let message = format!("{}: revision {} not applied: {e}", v.hostname, p.revision);
                ctx.step_failed(2, &message).await?;
                return Err(JobFailure::Failed { message, retryable: true });
            }
        }
        ctx.step_started(3).await?;
        let ok = healthy(self.0.driver.as_ref(), &v, self.0.timing).await.map_err(|e| JobFailure::Failed { message: format!("{} does not answer after the change: {e}", v.hostname), retryable: true })?;
        ctx.step_done(3, &ok).await?;
        Ok(format!("{} runs configuration revision {}", v.hostname, p.revision))
    }
}

// ---------------------------------------------------------------------------------------------
// Restart a VNF

pub struct Restart(pub Reach);

#[async_trait]
impl JobKind for Restart {
    type Params = VnfParams;
    const KEY: &'static str = RESTART;
    const LABEL: &'static str = "VNF restart";
    const PERMISSION: (Resource, Action) = (Resource::NetworkServices, Action::Operate);

    async fn run(&self, ctx: &JobContext, p: VnfParams) -> Result<String, JobFailure> {
        still_allowed(ctx).await?;
        let db = &ctx.db;
        let v = vnf::Entity::find_by_id(p.vnf_id).one(db).await.map_err(crate::Error::from)?.ok_or_else(|| JobFailure::permanent("the VNF no longer exists"))?;
        let r = instance_of(db, v.instance_id).await?;
        let outcome = self.restart(ctx, &r, &v).await;
        let v = set_vnf(db, &v, |a| a.status = Set(if outcome.is_ok() { "active".into() } else { "unreachable".into() })).await?;
        // The instance is active while every VNF is, degraded while one is not.
        let all = vnfs_of(db, r.id).await?;
        let down: Vec<&str> = all.iter().filter(|x| x.status != "active").map(|x| x.hostname.as_str()).collect();
        let (status, detail) = if down.is_empty() { ("active", format!("{} restarted", v.hostname)) } else { ("degraded", format!("{} not answering after a restart", down.join(", "))) };
        set_instance(db, &r, status, &detail).await?;
        match outcome {
            Ok(s) => Ok(s),
            Err(f) => {
                let _ = ctx.step_failed(if f.step == 0 { 1 } else { f.step }, &f.message).await;
                Err(JobFailure::Failed { message: f.message, retryable: true })
            }
        }
    }
}

impl Restart {
    async fn restart(&self, ctx: &JobContext, r: &instance::Model, v: &vnf::Model) -> Result<String, Fail> {
        ctx.step_started(1).await?;
        let cloud = open_vim(&ctx.db, &self.0, r.vim_id, 1).await?;
        cloud.reboot_server(&v.server_id).await.map_err(|e| fail(1, e.to_string()))?;
        ctx.step_done(1, "Nova accepted a soft reboot").await?;
        ctx.step_started(2).await?;
        let started = std::time::Instant::now();
        until_active(cloud.as_ref(), &[(v.server_id.clone(), v.hostname.clone())], self.0.timing).await.map_err(|e| fail(2, e))?;
        ctx.step_done(2, &format!("ACTIVE after {} ms", started.elapsed().as_millis())).await?;
        ctx.step_started(3).await?;
        let ok = healthy(self.0.driver.as_ref(), v, self.0.timing).await.map_err(|e| fail(3, format!("{} does not answer: {e}", v.hostname)))?;
        ctx.step_done(3, &ok).await?;
        Ok(format!("{} restarted and answers", v.hostname))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day0_names_the_host_the_management_address_and_every_setting_escaped() {
        let plan = Plan {
            hostname: "acme-fw1".into(),
            mgmt_address: "192.168.0.12".into(),
            functions: vec!["firewall".into(), "nat".into()],
            settings: [("syslog_host".to_string(), "10.0.0.9".to_string()), ("banner".to_string(), "<b>&".to_string())].into(),
        };
        let form = vec![config::Variable { name: "zone".into(), default: "trust".into(), ..Default::default() }, config::Variable { name: "syslog_host".into(), ..Default::default() }];
        let x = day0(&plan, &form);
        assert!(x.contains("<host-name>acme-fw1</host-name>"));
        assert!(x.contains("<name>192.168.0.12/24</name>"));
        assert!(x.lines().all(|l| l.len() < 100), "one element a line, as a person reads it:\n{x}");
        assert!(x.contains("<data><name>zone</name><value>trust</value></data>"), "a form default fills an empty setting");
        assert!(x.contains("<value>10.0.0.9</value>"));
        assert!(x.contains("<value>&lt;b&gt;&amp;</value>"), "values are escaped");
        assert!(x.contains("<value>firewall,nat</value>"));
        assert!(is_one_configuration(&x));
    }

    /// What the Configuration Designer checks a rendered XML template with.
    fn is_one_configuration(x: &str) -> bool {
        crate::designs::config::check_output(crate::designs::config::Format::Xml, x).is_ok()
    }

    #[test]
    fn the_smallest_flavour_that_holds_the_vnf_is_chosen() {
        let f = |id: &str, vcpus, ram_mb, disk_gb| CloudFlavor { id: id.into(), name: id.into(), vcpus, ram_mb, disk_gb };
        let all = vec![f("xl", 8, 16384, 160), f("m", 2, 4096, 40), f("s", 1, 2048, 20)];
        assert_eq!(fitting(&all, 2, 4096, 20).map(|f| f.id.as_str()), Some("m"));
        assert_eq!(fitting(&all, 1, 512, 1).map(|f| f.id.as_str()), Some("s"));
        assert!(fitting(&all, 16, 1024, 1).is_none());
    }
}
