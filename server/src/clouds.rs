//! The portal's way to VIMs: `domain`'s [`CloudConnector`] on the drivers' OpenStack client.

use std::time::Duration;

use async_trait::async_trait;
use domain::infrastructure::cloud::{CloudConnector, CloudFailure, CloudFlavor, CloudSession, Probe, ResourceKind, ServerInfo, ServerRequest, ServerState, VimAccess};
use drivers::openstack::{Cloud, CloudError, Credentials, NewServer, ServerStatus};
use secrecy::ExposeSecret;

/// Reaches OpenStack (and Contrail Cloud, which is OpenStack underneath) over its HTTP APIs.
#[derive(Debug, Default)]
pub struct OpenStackClouds;

/// The failing service, and what went wrong in words that do not repeat its name.
fn failure(service: &str, e: CloudError) -> CloudFailure {
    match e {
        CloudError::Api { service, status, message } => CloudFailure { service, message: format!("answered {status}: {message}") },
        CloudError::Decode { service, reason } => CloudFailure { service, message: format!("sent an answer that does not read: {reason}") },
        e @ (CloudError::Auth(_) | CloudError::NoEndpoint { .. }) => CloudFailure { service: "Keystone".into(), message: e.to_string() },
        e => CloudFailure { service: service.to_string(), message: e.to_string() },
    }
}

fn credentials(access: &VimAccess) -> Credentials {
    Credentials {
        auth_url: access.auth_url.clone(),
        region: access.region.clone(),
        project: access.project.clone(),
        username: access.username.clone(),
        password: access.password.expose_secret().to_string(),
    }
}

#[async_trait]
impl CloudConnector for OpenStackClouds {
    async fn open(&self, access: &VimAccess, timeout: Duration) -> Result<Box<dyn CloudSession>, CloudFailure> {
        let cloud = Cloud::connect(&credentials(access), timeout).await.map_err(|e| failure("Keystone", e))?;
        Ok(Box::new(Session(cloud)))
    }

    async fn probe(&self, access: &VimAccess, timeout: Duration) -> Result<Probe, CloudFailure> {
        let cloud = Cloud::connect(&credentials(access), timeout).await.map_err(|e| failure("Keystone", e))?;
        // The three reads are independent: side by side, the test takes the slowest one's time.
        let (flavors, images, networks) = tokio::join!(cloud.flavors(), cloud.images(), cloud.networks());
        let flavors = flavors.map_err(|e| failure("Nova", e))?;
        let images = images.map_err(|e| failure("Glance", e))?;
        let networks = networks.map_err(|e| failure("Neutron", e))?;
        let info = cloud.token_info();
        let largest = flavors.iter().max_by_key(|f| (f.vcpus, f.ram, f.disk)).map(|f| (f.name.clone(), f.vcpus, f.ram, f.disk));
        Ok(Probe {
            project: info.project_name.clone(),
            token_expires: info.expires_at.clone(),
            services: info.endpoints.iter().map(|(k, _)| k.clone()).collect(),
            flavors: flavors.len(),
            largest_flavor: largest,
            images: images.len(),
            networks: networks.len(),
        })
    }
}

/// One logged-in OpenStack project.
struct Session(Cloud);

/// Deleting what is already gone is done.
fn gone_is_done(service: &str, r: Result<(), CloudError>) -> Result<(), CloudFailure> {
    match r {
        Err(e) if e.is_not_found() => Ok(()),
        r => r.map_err(|e| failure(service, e)),
    }
}

#[async_trait]
impl CloudSession for Session {
    async fn flavors(&self) -> Result<Vec<CloudFlavor>, CloudFailure> {
        let list = self.0.flavors().await.map_err(|e| failure("Nova", e))?;
        Ok(list.into_iter().map(|f| CloudFlavor { id: f.id, name: f.name, vcpus: f.vcpus, ram_mb: f.ram, disk_gb: f.disk }).collect())
    }

    async fn images(&self) -> Result<Vec<(String, String, String)>, CloudFailure> {
        let list = self.0.images().await.map_err(|e| failure("Glance", e))?;
        Ok(list.into_iter().map(|i| (i.id, i.name, i.status)).collect())
    }

    async fn create_network(&self, name: &str) -> Result<String, CloudFailure> {
        self.0.create_network(name).await.map(|n| n.id).map_err(|e| failure("Neutron", e))
    }

    async fn create_subnet(&self, network_id: &str, name: &str, cidr: &str) -> Result<String, CloudFailure> {
        self.0.create_subnet(network_id, name, cidr).await.map(|s| s.id).map_err(|e| failure("Neutron", e))
    }

    async fn create_port(&self, network_id: &str, name: &str) -> Result<(String, Option<String>), CloudFailure> {
        let p = self.0.create_port(network_id, name).await.map_err(|e| failure("Neutron", e))?;
        let ip = p.fixed_ips.first().map(|f| f.ip_address.clone());
        Ok((p.id, ip))
    }

    async fn create_server(&self, r: &ServerRequest) -> Result<String, CloudFailure> {
        let s = NewServer {
            name: r.name.clone(),
            image_id: r.image_id.clone(),
            flavor_id: r.flavor_id.clone(),
            ports: r.ports.clone(),
            metadata: r.metadata.clone(),
            user_data: r.user_data.clone(),
        };
        self.0.create_server(&s).await.map_err(|e| failure("Nova", e))
    }

    async fn server(&self, id: &str) -> Result<ServerInfo, CloudFailure> {
        let s = match self.0.server(id).await {
            Ok(s) => s,
            Err(e) if e.is_not_found() => return Ok(ServerInfo { state: ServerState::Gone, login: None }),
            Err(e) => return Err(failure("Nova", e)),
        };
        let state = match s.state() {
            ServerStatus::Build | ServerStatus::Other => ServerState::Building,
            ServerStatus::Active => ServerState::Active,
            ServerStatus::Reboot => ServerState::Rebooting,
            ServerStatus::Shutoff => ServerState::Stopped,
            ServerStatus::Deleted => ServerState::Gone,
            ServerStatus::Error => ServerState::Failed(s.fault.as_ref().map_or_else(|| "the server went to ERROR".to_string(), |f| f.message.clone())),
        };
        // The simulator's cloud names the device its VNF became; a real VNF answers to its name.
        let login = s.metadata.get("simulator_serial").cloned();
        Ok(ServerInfo { state, login })
    }

    async fn reboot_server(&self, id: &str) -> Result<(), CloudFailure> {
        self.0.reboot_server(id, false).await.map_err(|e| failure("Nova", e))
    }

    async fn delete(&self, kind: ResourceKind, id: &str) -> Result<(), CloudFailure> {
        match kind {
            ResourceKind::Server => gone_is_done("Nova", self.0.delete_server(id).await),
            ResourceKind::Port => gone_is_done("Neutron", self.0.delete_port(id).await),
            ResourceKind::Subnet => gone_is_done("Neutron", self.0.delete_subnet(id).await),
            ResourceKind::Network => gone_is_done("Neutron", self.0.delete_network(id).await),
        }
    }
}
