//! The simulator's OpenStack cloud: Keystone v3 tokens, Nova flavours and servers, Neutron
//! networks, subnets and ports, and Glance images, over real HTTP — so a VIM's client, its jobs and
//! its failures run on one machine without a cloud.
//!
//! A server it boots becomes a device of the [`Fleet`] (a vSRX named after the server) once it is
//! ACTIVE: it answers NETCONF on the fleet's SSH listener with its serial number as the login,
//! which the server's metadata carries as `simulator_serial`. Deleting the server powers the
//! device off for good.
//!
//! Faults ([`CloudFault`]) make boots fail as a cloud out of capacity does (the server goes to
//! ERROR with Nova's "No valid host was found"), so what a failed instantiation leaves behind can
//! be tested.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::{Fault, Fleet, Model, SimError};

/// What the cloud accepts and how fast it is.
#[derive(Debug, Clone)]
pub struct CloudSpec {
    pub region: String,
    pub project: String,
    pub username: String,
    pub password: String,
    /// How long a server stays in BUILD (and REBOOT).
    pub boot: Duration,
    /// Images present from the start, active, as (name, disk format).
    pub images: Vec<(String, String)>,
}

impl CloudSpec {
    /// RegionOne, project `portico`, user `portico`.
    pub fn new(password: &str) -> CloudSpec {
        CloudSpec {
            region: "RegionOne".into(),
            project: "portico".into(),
            username: "portico".into(),
            password: password.into(),
            boot: Duration::from_millis(300),
            images: Vec::new(),
        }
    }
}

/// Something to break in the cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudFault {
    /// After `after` more servers boot, every boot fails (ERROR, no valid host).
    FailBoots { after: u32 },
    Clear,
}

/// A server, as tests and the simulator page see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimServerView {
    pub id: String,
    pub name: String,
    pub status: String,
    pub serial: Option<String>,
}

/// How many of each resource exist (what a test checks is cleaned up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloudCounts {
    pub servers: usize,
    pub networks: usize,
    pub subnets: usize,
    pub ports: usize,
    pub images: usize,
}

const FLAVORS: [(&str, &str, u32, u32, u32); 5] = [
    ("1", "m1.tiny", 1, 512, 1),
    ("2", "m1.small", 1, 2048, 20),
    ("3", "m1.medium", 2, 4096, 40),
    ("4", "m1.large", 4, 8192, 80),
    ("5", "m1.xlarge", 8, 16384, 160),
];

/// Tokens live an hour, as Keystone's default.
const TOKEN_LIFE: Duration = Duration::from_secs(3600);
/// One cloud holds at most this many of each resource: a runaway client meets a quota, as it would.
const QUOTA: usize = 20_000;

struct Net {
    name: String,
    subnets: Vec<String>,
}

struct Sub {
    name: String,
    network_id: String,
    cidr: String,
    gateway: String,
    /// First three octets and prefix length: the simulator hands out /24s and smaller from .10 up.
    base: [u8; 3],
    next_host: u16,
    last_host: u16,
}

struct PortRec {
    name: String,
    network_id: String,
    subnet_id: Option<String>,
    ip: Option<String>,
    mac: String,
    device_id: String,
}

struct ServerRec {
    name: String,
    status: &'static str,
    ports: Vec<String>,
    metadata: BTreeMap<String, String>,
    fault: Option<String>,
    serial: Option<String>,
    /// When BUILD or REBOOT ends.
    ready_at: Instant,
    /// The boot fails when it ends.
    doomed: bool,
}

struct ImageRec {
    name: String,
    status: &'static str,
    disk_format: String,
    container_format: String,
    size: Option<u64>,
    min_disk: u32,
    min_ram: u32,
}

#[derive(Default)]
struct CloudState {
    tokens: HashMap<String, Instant>,
    networks: BTreeMap<String, Net>,
    subnets: BTreeMap<String, Sub>,
    ports: BTreeMap<String, PortRec>,
    servers: BTreeMap<String, ServerRec>,
    images: BTreeMap<String, ImageRec>,
    /// Boots left before they fail, when a fault is set.
    boots_left: Option<u32>,
    macs: u64,
}

/// One simulated OpenStack cloud.
pub struct SimCloud {
    spec: CloudSpec,
    fleet: Arc<Fleet>,
    state: Mutex<CloudState>,
    base: OnceLock<String>,
}

/// A running endpoint; stops on drop.
pub struct CloudServer {
    pub local_addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl CloudServer {
    /// Keystone's URL, as a VIM's auth URL names it.
    pub fn auth_url(&self) -> String {
        format!("http://{}/identity/v3", self.local_addr)
    }
}

impl Drop for CloudServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl SimCloud {
    pub fn new(fleet: Arc<Fleet>, spec: CloudSpec) -> Arc<SimCloud> {
        let mut state = CloudState::default();
        for (name, format) in &spec.images {
            state.images.insert(
                new_id(),
                ImageRec { name: name.clone(), status: "active", disk_format: format.clone(), container_format: "bare".into(), size: Some(0), min_disk: 0, min_ram: 0 },
            );
        }
        Arc::new(SimCloud { spec, fleet, state: Mutex::new(state), base: OnceLock::new() })
    }

    /// Listens on `addr` (port 0 picks one).
    pub async fn serve(self: &Arc<Self>, addr: SocketAddr) -> Result<CloudServer, SimError> {
        let listener = TcpListener::bind(addr).await.map_err(|source| SimError::Bind { addr, source })?;
        let local_addr = listener.local_addr().map_err(|source| SimError::Bind { addr, source })?;
        let _ = self.base.set(format!("http://{local_addr}"));
        let app = router(self.clone());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "simulated cloud stopped");
            }
        });
        Ok(CloudServer { local_addr, shutdown: Some(tx) })
    }

    pub fn spec(&self) -> &CloudSpec {
        &self.spec
    }

    pub fn inject(&self, fault: CloudFault) {
        let mut st = self.lock();
        st.boots_left = match fault {
            CloudFault::FailBoots { after } => Some(after),
            CloudFault::Clear => None,
        };
    }

    pub fn servers(&self) -> Vec<SimServerView> {
        let mut st = self.lock();
        self.settle(&mut st);
        st.servers.iter().map(|(id, s)| SimServerView { id: id.clone(), name: s.name.clone(), status: s.status.to_string(), serial: s.serial.clone() }).collect()
    }

    pub fn counts(&self) -> CloudCounts {
        let st = self.lock();
        CloudCounts { servers: st.servers.len(), networks: st.networks.len(), subnets: st.subnets.len(), ports: st.ports.len(), images: st.images.len() }
    }

    fn lock(&self) -> MutexGuard<'_, CloudState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Ends the boots and reboots that are due (lazily, on each access, as the fleet's reboots).
    fn settle(&self, st: &mut CloudState) {
        let now = Instant::now();
        for s in st.servers.values_mut() {
            if !matches!(s.status, "BUILD" | "REBOOT") || s.ready_at > now {
                continue;
            }
            if s.doomed {
                s.status = "ERROR";
                s.fault = Some("No valid host was found. There are not enough hosts available.".into());
                continue;
            }
            match &s.serial {
                None => {
                    let d = self.fleet.add_named_device(Model::Vsrx, "23.4R2", &s.name);
                    s.metadata.insert("simulator_serial".into(), d.serial.clone());
                    s.serial = Some(d.serial);
                }
                Some(serial) => {
                    let _ = self.fleet.inject(serial, Fault::NodeUp);
                }
            }
            s.status = "ACTIVE";
        }
    }

    fn authorised(&self, headers: &HeaderMap) -> bool {
        let Some(token) = headers.get("X-Auth-Token").and_then(|v| v.to_str().ok()) else { return false };
        let st = self.lock();
        st.tokens.get(token).is_some_and(|until| *until > Instant::now())
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

type Shared = Arc<SimCloud>;

fn router(cloud: Shared) -> Router {
    Router::new()
        .route("/identity/v3", get(keystone_version))
        .route("/identity/v3/auth/tokens", post(issue_token))
        .route("/compute/v2.1/flavors/detail", get(flavors))
        .route("/compute/v2.1/servers", post(create_server).get(list_servers))
        .route("/compute/v2.1/servers/{id}", get(show_server).delete(delete_server))
        .route("/compute/v2.1/servers/{id}/action", post(server_action))
        .route("/network/v2.0/networks", get(list_networks).post(create_network))
        .route("/network/v2.0/networks/{id}", get(show_network).delete(delete_network))
        .route("/network/v2.0/subnets", post(create_subnet).get(list_subnets))
        .route("/network/v2.0/subnets/{id}", axum::routing::delete(delete_subnet))
        .route("/network/v2.0/ports", post(create_port).get(list_ports))
        .route("/network/v2.0/ports/{id}", get(show_port).delete(delete_port))
        .route("/image/v2/images", get(list_images).post(create_image))
        .route("/image/v2/images/{id}", get(show_image).delete(delete_image))
        .route("/image/v2/images/{id}/file", put(upload_image).layer(DefaultBodyLimit::max(64 << 20)))
        .route("/simulator/faults", post(set_fault))
        .with_state(cloud)
}

fn reply(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn unauthorised() -> Response {
    reply(StatusCode::UNAUTHORIZED, json!({"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}))
}

fn nova_error(status: StatusCode, message: &str) -> Response {
    let key = match status {
        StatusCode::NOT_FOUND => "itemNotFound",
        StatusCode::CONFLICT => "conflictingRequest",
        StatusCode::FORBIDDEN => "forbidden",
        _ => "badRequest",
    };
    reply(status, json!({ key: {"code": status.as_u16(), "message": message} }))
}

fn neutron_error(status: StatusCode, kind: &str, message: &str) -> Response {
    reply(status, json!({"NeutronError": {"type": kind, "message": message, "detail": ""}}))
}

fn field<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for k in path {
        cur = cur.get(*k)?;
    }
    Some(cur)
}

fn text(v: &Value, path: &[&str]) -> String {
    field(v, path).and_then(Value::as_str).unwrap_or_default().to_string()
}

async fn keystone_version(State(cloud): State<Shared>) -> Response {
    let base = cloud.base.get().cloned().unwrap_or_default();
    reply(StatusCode::OK, json!({"version": {"id": "v3.14", "status": "stable", "links": [{"rel": "self", "href": format!("{base}/identity/v3/")}]}}))
}

async fn issue_token(State(cloud): State<Shared>, Json(body): Json<Value>) -> Response {
    let methods = field(&body, &["auth", "identity", "methods"]).and_then(Value::as_array).cloned().unwrap_or_default();
    if !methods.iter().any(|m| m.as_str() == Some("password")) {
        return reply(StatusCode::BAD_REQUEST, json!({"error": {"code": 400, "message": "Expecting to find password in identity."}}));
    }
    let user = text(&body, &["auth", "identity", "password", "user", "name"]);
    let password = text(&body, &["auth", "identity", "password", "user", "password"]);
    let project = text(&body, &["auth", "scope", "project", "name"]);
    let spec = &cloud.spec;
    if user != spec.username || password != spec.password {
        return unauthorised();
    }
    if project != spec.project {
        return reply(StatusCode::UNAUTHORIZED, json!({"error": {"code": 401, "message": format!("User {user} has no access to project {project}.")}}));
    }
    let token = uuid::Uuid::new_v4().simple().to_string();
    {
        let mut st = cloud.lock();
        let now = Instant::now();
        st.tokens.retain(|_, until| *until > now);
        st.tokens.insert(token.clone(), now + TOKEN_LIFE);
    }
    let expires = (time::OffsetDateTime::now_utc() + TOKEN_LIFE).format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let base = cloud.base.get().cloned().unwrap_or_default();
    let endpoint = |kind: &str, name: &str, path: &str| {
        json!({"type": kind, "name": name, "endpoints": [
            {"interface": "public", "region": spec.region, "region_id": spec.region, "url": format!("{base}{path}")},
            {"interface": "internal", "region": spec.region, "region_id": spec.region, "url": format!("{base}{path}")}
        ]})
    };
    let catalog = vec![
        endpoint("identity", "keystone", "/identity/v3"),
        endpoint("compute", "nova", "/compute/v2.1"),
        endpoint("network", "neutron", "/network"),
        endpoint("image", "glance", "/image"),
    ];
    let body = json!({"token": {
        "methods": ["password"], "expires_at": expires,
        "user": {"id": "u-portico", "name": user, "domain": {"id": "default", "name": "Default"}},
        "project": {"id": "p-portico", "name": project, "domain": {"id": "default", "name": "Default"}},
        "catalog": catalog,
    }});
    let mut resp = reply(StatusCode::CREATED, body);
    if let Ok(v) = token.parse() {
        resp.headers_mut().insert("X-Subject-Token", v);
    }
    resp
}

macro_rules! authorised {
    ($cloud:expr, $headers:expr) => {
        if !$cloud.authorised(&$headers) {
            return unauthorised();
        }
    };
}

async fn flavors(State(cloud): State<Shared>, headers: HeaderMap) -> Response {
    authorised!(cloud, headers);
    let list: Vec<Value> = FLAVORS.iter().map(|(id, name, vcpus, ram, disk)| json!({"id": id, "name": name, "vcpus": vcpus, "ram": ram, "disk": disk})).collect();
    reply(StatusCode::OK, json!({ "flavors": list }))
}

fn server_json(st: &CloudState, id: &str, s: &ServerRec) -> Value {
    let mut addresses: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for p in &s.ports {
        if let Some(port) = st.ports.get(p) {
            let net = st.networks.get(&port.network_id).map(|n| n.name.clone()).unwrap_or_default();
            if let Some(ip) = &port.ip {
                addresses.entry(net).or_default().push(json!({"addr": ip, "version": 4, "OS-EXT-IPS-MAC:mac_addr": port.mac}));
            }
        }
    }
    let mut v = json!({"id": id, "name": s.name, "status": s.status, "addresses": addresses, "metadata": s.metadata});
    if let Some(f) = &s.fault {
        v["fault"] = json!({"code": 500, "message": f});
    }
    v
}

async fn create_server(State(cloud): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    let name = text(&body, &["server", "name"]);
    let image = text(&body, &["server", "imageRef"]);
    let flavor = text(&body, &["server", "flavorRef"]);
    if name.is_empty() || name.len() > 255 {
        return nova_error(StatusCode::BAD_REQUEST, "Invalid input for field/attribute name.");
    }
    if !FLAVORS.iter().any(|f| f.0 == flavor) {
        return nova_error(StatusCode::BAD_REQUEST, &format!("Flavor {flavor} could not be found."));
    }
    let ports: Vec<String> =
        field(&body, &["server", "networks"]).and_then(Value::as_array).map(|n| n.iter().filter_map(|x| x.get("port").and_then(Value::as_str).map(str::to_string)).collect()).unwrap_or_default();
    let metadata: BTreeMap<String, String> = field(&body, &["server", "metadata"]).and_then(|m| serde_json::from_value(m.clone()).ok()).unwrap_or_default();
    let mut st = cloud.lock();
    if st.servers.len() >= QUOTA {
        return nova_error(StatusCode::FORBIDDEN, "Quota exceeded for instances.");
    }
    match st.images.get(&image) {
        Some(i) if i.status == "active" => {}
        Some(_) => return nova_error(StatusCode::BAD_REQUEST, &format!("Image {image} is not active.")),
        None => return nova_error(StatusCode::BAD_REQUEST, &format!("Image {image} could not be found.")),
    }
    for p in &ports {
        match st.ports.get(p) {
            None => return nova_error(StatusCode::BAD_REQUEST, &format!("Port id {p} could not be found.")),
            Some(port) if !port.device_id.is_empty() => return nova_error(StatusCode::CONFLICT, &format!("Port {p} is still in use.")),
            Some(_) => {}
        }
    }
    let id = new_id();
    for p in &ports {
        if let Some(port) = st.ports.get_mut(p) {
            port.device_id = id.clone();
        }
    }
    let doomed = match st.boots_left {
        Some(0) => true,
        Some(n) => {
            st.boots_left = Some(n - 1);
            false
        }
        None => false,
    };
    st.servers.insert(id.clone(), ServerRec { name, status: "BUILD", ports, metadata, fault: None, serial: None, ready_at: Instant::now() + cloud.spec.boot, doomed });
    let base = cloud.base.get().cloned().unwrap_or_default();
    reply(StatusCode::ACCEPTED, json!({"server": {"id": id, "links": [{"rel": "self", "href": format!("{base}/compute/v2.1/servers/{id}")}]}}))
}

async fn list_servers(State(cloud): State<Shared>, headers: HeaderMap) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    cloud.settle(&mut st);
    let list: Vec<Value> = st.servers.iter().map(|(id, s)| server_json(&st, id, s)).collect();
    reply(StatusCode::OK, json!({ "servers": list }))
}

async fn show_server(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    cloud.settle(&mut st);
    match st.servers.get(&id) {
        Some(s) => reply(StatusCode::OK, json!({ "server": server_json(&st, &id, s) })),
        None => nova_error(StatusCode::NOT_FOUND, &format!("Instance {id} could not be found.")),
    }
}

async fn delete_server(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let serial = {
        let mut st = cloud.lock();
        let Some(s) = st.servers.remove(&id) else {
            return nova_error(StatusCode::NOT_FOUND, &format!("Instance {id} could not be found."));
        };
        for p in &s.ports {
            if let Some(port) = st.ports.get_mut(p) {
                port.device_id.clear();
            }
        }
        s.serial
    };
    if let Some(serial) = serial {
        let _ = cloud.fleet.inject(&serial, Fault::NodeDown);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn server_action(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    if body.get("reboot").is_none() {
        return nova_error(StatusCode::BAD_REQUEST, "The simulator's Nova knows the reboot action only.");
    }
    let serial = {
        let mut st = cloud.lock();
        cloud.settle(&mut st);
        let Some(s) = st.servers.get_mut(&id) else {
            return nova_error(StatusCode::NOT_FOUND, &format!("Instance {id} could not be found."));
        };
        if s.status != "ACTIVE" && s.status != "SHUTOFF" {
            return nova_error(StatusCode::CONFLICT, &format!("Cannot 'reboot' instance {id} while it is in vm_state {}", s.status.to_lowercase()));
        }
        s.status = "REBOOT";
        s.ready_at = Instant::now() + cloud.spec.boot;
        s.serial.clone()
    };
    if let Some(serial) = serial {
        let _ = cloud.fleet.inject(&serial, Fault::NodeDown);
    }
    StatusCode::ACCEPTED.into_response()
}

fn network_json(id: &str, n: &Net) -> Value {
    json!({"id": id, "name": n.name, "status": "ACTIVE", "admin_state_up": true, "subnets": n.subnets})
}

async fn list_networks(State(cloud): State<Shared>, headers: HeaderMap) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    let list: Vec<Value> = st.networks.iter().map(|(id, n)| network_json(id, n)).collect();
    reply(StatusCode::OK, json!({ "networks": list }))
}

async fn show_network(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    match st.networks.get(&id) {
        Some(n) => reply(StatusCode::OK, json!({ "network": network_json(&id, n) })),
        None => neutron_error(StatusCode::NOT_FOUND, "NetworkNotFound", &format!("Network {id} could not be found.")),
    }
}

async fn create_network(State(cloud): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    let name = text(&body, &["network", "name"]);
    let mut st = cloud.lock();
    if st.networks.len() >= QUOTA {
        return neutron_error(StatusCode::CONFLICT, "OverQuota", "Quota exceeded for resources: ['network'].");
    }
    let id = new_id();
    let n = Net { name, subnets: Vec::new() };
    let v = network_json(&id, &n);
    st.networks.insert(id, n);
    reply(StatusCode::CREATED, json!({ "network": v }))
}

async fn delete_network(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    if !st.networks.contains_key(&id) {
        return neutron_error(StatusCode::NOT_FOUND, "NetworkNotFound", &format!("Network {id} could not be found."));
    }
    let in_use = st.ports.values().filter(|p| p.network_id == id).count();
    if in_use > 0 {
        return neutron_error(
            StatusCode::CONFLICT,
            "NetworkInUse",
            &format!("Unable to complete operation on network {id}. There are one or more ports still in use on the network ({in_use})."),
        );
    }
    if let Some(n) = st.networks.remove(&id) {
        for s in n.subnets {
            st.subnets.remove(&s);
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn delete_subnet(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    let in_use = st.ports.values().filter(|p| p.subnet_id.as_deref() == Some(id.as_str())).count();
    let Some(sub) = st.subnets.get(&id) else {
        return neutron_error(StatusCode::NOT_FOUND, "SubnetNotFound", &format!("Subnet {id} could not be found."));
    };
    if in_use > 0 {
        return neutron_error(StatusCode::CONFLICT, "SubnetInUse", &format!("Unable to complete operation on subnet {id}: one or more ports have an IP allocation from this subnet."));
    }
    let network_id = sub.network_id.clone();
    st.subnets.remove(&id);
    if let Some(n) = st.networks.get_mut(&network_id) {
        n.subnets.retain(|s| s != &id);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `a.b.c.d/n` with 24 ≤ n ≤ 29: the addresses the simulator can hand out from .10 up.
fn parse_cidr(cidr: &str) -> Option<([u8; 3], u16, u16)> {
    let (addr, len) = cidr.split_once('/')?;
    let ip: std::net::Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    if !(24..=29).contains(&len) {
        return None;
    }
    let o = ip.octets();
    let size = 1u16 << (32 - len);
    let first = u16::from(o[3]) & !(size - 1);
    Some(([o[0], o[1], o[2]], first + 2, first + size - 2))
}

async fn create_subnet(State(cloud): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    let network_id = text(&body, &["subnet", "network_id"]);
    let name = text(&body, &["subnet", "name"]);
    let cidr = text(&body, &["subnet", "cidr"]);
    let Some((base, first, last)) = parse_cidr(&cidr) else {
        return neutron_error(StatusCode::BAD_REQUEST, "InvalidInput", &format!("Invalid input for cidr. Reason: '{cidr}' is not a /24 to /29 IPv4 subnet."));
    };
    let mut st = cloud.lock();
    if !st.networks.contains_key(&network_id) {
        return neutron_error(StatusCode::NOT_FOUND, "NetworkNotFound", &format!("Network {network_id} could not be found."));
    }
    let id = new_id();
    let gateway = format!("{}.{}.{}.{}", base[0], base[1], base[2], first - 1);
    st.subnets.insert(id.clone(), Sub { name: name.clone(), network_id: network_id.clone(), cidr: cidr.clone(), gateway: gateway.clone(), base, next_host: first.max(10).min(last), last_host: last });
    if let Some(n) = st.networks.get_mut(&network_id) {
        n.subnets.push(id.clone());
    }
    reply(StatusCode::CREATED, json!({"subnet": {"id": id, "name": name, "network_id": network_id, "cidr": cidr, "ip_version": 4, "gateway_ip": gateway}}))
}

async fn list_subnets(State(cloud): State<Shared>, headers: HeaderMap) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    let list: Vec<Value> = st
        .subnets
        .iter()
        .map(|(id, s)| json!({"id": id, "name": s.name, "network_id": s.network_id, "cidr": s.cidr, "ip_version": 4,
                             "gateway_ip": s.gateway}))
        .collect();
    reply(StatusCode::OK, json!({ "subnets": list }))
}

fn port_json(id: &str, p: &PortRec) -> Value {
    let fixed: Vec<Value> = match (&p.subnet_id, &p.ip) {
        (Some(s), Some(ip)) => vec![json!({"subnet_id": s, "ip_address": ip})],
        _ => Vec::new(),
    };
    let status = if p.device_id.is_empty() { "DOWN" } else { "ACTIVE" };
    json!({"id": id, "name": p.name, "network_id": p.network_id, "mac_address": p.mac, "fixed_ips": fixed, "device_id": p.device_id, "status": status})
}

async fn create_port(State(cloud): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    let network_id = text(&body, &["port", "network_id"]);
    let name = text(&body, &["port", "name"]);
    let mut st = cloud.lock();
    if st.ports.len() >= QUOTA {
        return neutron_error(StatusCode::CONFLICT, "OverQuota", "Quota exceeded for resources: ['port'].");
    }
    let Some(net) = st.networks.get(&network_id) else {
        return neutron_error(StatusCode::NOT_FOUND, "NetworkNotFound", &format!("Network {network_id} could not be found."));
    };
    let subnet_id = net.subnets.first().cloned();
    let mut ip = None;
    if let Some(sid) = &subnet_id {
        if let Some(sub) = st.subnets.get_mut(sid) {
            if sub.next_host > sub.last_host {
                return neutron_error(StatusCode::CONFLICT, "IpAddressGenerationFailure", &format!("No more IP addresses available on network {network_id}."));
            }
            ip = Some(format!("{}.{}.{}.{}", sub.base[0], sub.base[1], sub.base[2], sub.next_host));
            sub.next_host += 1;
        }
    }
    st.macs += 1;
    let m = st.macs;
    let mac = format!("fa:16:3e:{:02x}:{:02x}:{:02x}", (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
    let id = new_id();
    let p = PortRec { name, network_id, subnet_id, ip, mac, device_id: String::new() };
    let v = port_json(&id, &p);
    st.ports.insert(id, p);
    reply(StatusCode::CREATED, json!({ "port": v }))
}

async fn list_ports(State(cloud): State<Shared>, headers: HeaderMap) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    let list: Vec<Value> = st.ports.iter().map(|(id, p)| port_json(id, p)).collect();
    reply(StatusCode::OK, json!({ "ports": list }))
}

async fn show_port(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    match st.ports.get(&id) {
        Some(p) => reply(StatusCode::OK, json!({ "port": port_json(&id, p) })),
        None => neutron_error(StatusCode::NOT_FOUND, "PortNotFound", &format!("Port {id} could not be found.")),
    }
}

async fn delete_port(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    match st.ports.remove(&id) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => neutron_error(StatusCode::NOT_FOUND, "PortNotFound", &format!("Port {id} could not be found.")),
    }
}

fn image_json(id: &str, i: &ImageRec) -> Value {
    json!({"id": id, "name": i.name, "status": i.status, "disk_format": i.disk_format, "container_format": i.container_format,
           "size": i.size, "min_disk": i.min_disk, "min_ram": i.min_ram, "visibility": "private"})
}

async fn list_images(State(cloud): State<Shared>, headers: HeaderMap) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    let list: Vec<Value> = st.images.iter().map(|(id, i)| image_json(id, i)).collect();
    reply(StatusCode::OK, json!({ "images": list }))
}

async fn show_image(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let st = cloud.lock();
    match st.images.get(&id) {
        // Glance v2 answers an image as the bare object.
        Some(i) => reply(StatusCode::OK, image_json(&id, i)),
        None => reply(StatusCode::NOT_FOUND, json!({"message": format!("No image found with ID {id}")})),
    }
}

async fn create_image(State(cloud): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    let name = text(&body, &["name"]);
    let disk_format = text(&body, &["disk_format"]);
    if !["qcow2", "raw", "vmdk", "iso", "vdi", "vhd"].contains(&disk_format.as_str()) {
        return reply(StatusCode::BAD_REQUEST, json!({"message": format!("Invalid disk format '{disk_format}' for image.")}));
    }
    let num = |k: &str| body.get(k).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let i = ImageRec { name, status: "queued", disk_format, container_format: text(&body, &["container_format"]), size: None, min_disk: num("min_disk"), min_ram: num("min_ram") };
    let mut st = cloud.lock();
    if st.images.len() >= QUOTA {
        return reply(StatusCode::PAYLOAD_TOO_LARGE, json!({"message": "Image quota exceeded."}));
    }
    let id = new_id();
    let v = image_json(&id, &i);
    st.images.insert(id, i);
    reply(StatusCode::CREATED, v)
}

async fn upload_image(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>, data: axum::body::Bytes) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    match st.images.get_mut(&id) {
        Some(i) if i.status == "queued" => {
            i.status = "active";
            i.size = Some(data.len() as u64);
            StatusCode::NO_CONTENT.into_response()
        }
        Some(_) => reply(StatusCode::CONFLICT, json!({"message": format!("Image {id} has data already.")})),
        None => reply(StatusCode::NOT_FOUND, json!({"message": format!("No image found with ID {id}")})),
    }
}

async fn delete_image(State(cloud): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    authorised!(cloud, headers);
    let mut st = cloud.lock();
    match st.images.remove(&id) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => reply(StatusCode::NOT_FOUND, json!({"message": format!("No image found with ID {id}")})),
    }
}

/// `{"fault": "fail-boots", "after": N}` or `{"fault": "clear"}`, with a token: what tests and the
/// command line use to break the cloud.
async fn set_fault(State(cloud): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    authorised!(cloud, headers);
    let fault = match body.get("fault").and_then(Value::as_str) {
        Some("fail-boots") => CloudFault::FailBoots { after: body.get("after").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0) },
        Some("clear") => CloudFault::Clear,
        _ => return reply(StatusCode::BAD_REQUEST, json!({"message": "fault must be \"fail-boots\" (with \"after\") or \"clear\""})),
    };
    cloud.inject(fault);
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_the_simulator_hands_out() {
        assert_eq!(parse_cidr("10.1.2.0/24"), Some(([10, 1, 2], 2, 254)));
        assert_eq!(parse_cidr("10.1.2.16/28"), Some(([10, 1, 2], 18, 30)));
        assert_eq!(parse_cidr("10.1.2.0/16"), None);
        assert_eq!(parse_cidr("nonsense"), None);
    }
}
