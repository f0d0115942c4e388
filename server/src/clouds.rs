//! The portal's way to VIMs: `domain`'s [`CloudConnector`] on the drivers' OpenStack client.

use std::time::Duration;

use async_trait::async_trait;
use domain::infrastructure::cloud::{CloudConnector, CloudFailure, Probe, VimAccess};
use drivers::openstack::{Cloud, CloudError, Credentials};
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

#[async_trait]
impl CloudConnector for OpenStackClouds {
    async fn probe(&self, access: &VimAccess, timeout: Duration) -> Result<Probe, CloudFailure> {
        let creds = Credentials {
            auth_url: access.auth_url.clone(),
            region: access.region.clone(),
            project: access.project.clone(),
            username: access.username.clone(),
            password: access.password.expose_secret().to_string(),
        };
        let cloud = Cloud::connect(&creds, timeout).await.map_err(|e| failure("Keystone", e))?;
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
