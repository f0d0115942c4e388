//! The HTTP calls. One [`Cloud`] is one Keystone token: connect, use it for a job, drop it.

use std::time::Duration;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::types::*;
use super::CloudError;

/// How a VIM is logged in to: Keystone v3 password authentication scoped to a project, users and
/// projects in the `default` domain.
#[derive(Clone)]
pub struct Credentials {
    /// Keystone's URL, with or without the trailing `/v3`.
    pub auth_url: String,
    /// Empty takes the catalogue's first public endpoint of each service.
    pub region: String,
    pub project: String,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password, even in a debug log.
        f.debug_struct("Credentials").field("auth_url", &self.auth_url).field("region", &self.region).field("project", &self.project).field("username", &self.username).finish()
    }
}

/// Answers larger than this are not a VIM's (the API pages lists far below it).
const MAX_BODY: usize = 8 << 20;

/// An authenticated session with one cloud project.
pub struct Cloud {
    http: reqwest::Client,
    token: String,
    info: TokenInfo,
    compute: String,
    network: String,
    image: String,
}

fn trim(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

/// Keystone's v3 base from what an operator typed (`http://host:5000`, `…/v3`, `…/v3/`).
pub(crate) fn keystone_base(auth_url: &str) -> String {
    let u = trim(auth_url);
    if u.ends_with("/v3") {
        u
    } else {
        format!("{u}/v3")
    }
}

/// The message an OpenStack error body carries: Nova wraps it as `{"badRequest": {"message": …}}`,
/// Neutron as `{"NeutronError": {"message": …}}`, Keystone as `{"error": {"message": …}}`.
fn error_message(body: &str) -> String {
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) {
        for v in map.values() {
            if let Some(m) = v.get("message").and_then(Value::as_str) {
                return m.to_string();
            }
        }
        if let Some(m) = map.get("message").and_then(Value::as_str) {
            return m.to_string();
        }
    }
    let text: String = body.chars().take(300).collect();
    if text.trim().is_empty() {
        "no reason given".to_string()
    } else {
        text.trim().to_string()
    }
}

fn connect_error(url: &str, e: &reqwest::Error) -> CloudError {
    let reason = if e.is_timeout() {
        "timed out".to_string()
    } else {
        // reqwest's own text stops at "error sending request"; its source says why.
        let mut why = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            why = s.to_string();
            source = s.source();
        }
        why
    };
    CloudError::Connect { url: url.to_string(), reason }
}

async fn read_body(service: &str, url: &str, resp: reqwest::Response) -> Result<(StatusCode, String), CloudError> {
    let status = resp.status();
    if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(CloudError::Decode { service: service.into(), reason: format!("an answer of more than {} MiB", MAX_BODY >> 20) });
    }
    let bytes = resp.bytes().await.map_err(|e| connect_error(url, &e))?;
    if bytes.len() > MAX_BODY {
        return Err(CloudError::Decode { service: service.into(), reason: format!("an answer of more than {} MiB", MAX_BODY >> 20) });
    }
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

fn decode<T: DeserializeOwned>(service: &str, body: &str, key: &str) -> Result<T, CloudError> {
    let v: Value = serde_json::from_str(body).map_err(|e| CloudError::Decode { service: service.into(), reason: e.to_string() })?;
    let inner = v.get(key).cloned().ok_or_else(|| CloudError::Decode { service: service.into(), reason: format!("no \"{key}\" in the answer") })?;
    serde_json::from_value(inner).map_err(|e| CloudError::Decode { service: service.into(), reason: format!("\"{key}\": {e}") })
}

impl Cloud {
    /// Authenticates (Keystone v3, password, project scope) and finds the compute, network and
    /// image endpoints of the region in the token's catalogue.
    pub async fn connect(creds: &Credentials, timeout: Duration) -> Result<Cloud, CloudError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // A VIM API never redirects a client somewhere else with its token.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| CloudError::Connect { url: creds.auth_url.clone(), reason: e.to_string() })?;
        let url = format!("{}/auth/tokens", keystone_base(&creds.auth_url));
        let body = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": creds.username, "domain": {"id": "default"}, "password": creds.password}}},
            "scope": {"project": {"name": creds.project, "domain": {"id": "default"}}}
        }});
        let resp = http.post(&url).json(&body).send().await.map_err(|e| connect_error(&url, &e))?;
        let token = resp.headers().get("X-Subject-Token").and_then(|v| v.to_str().ok()).map(str::to_string);
        let (status, text) = read_body("Keystone", &url, resp).await?;
        match status {
            s if s.is_success() => {}
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => return Err(CloudError::Auth(error_message(&text))),
            StatusCode::NOT_FOUND => return Err(CloudError::Auth(format!("no Keystone v3 at {url} ({})", error_message(&text)))),
            s => return Err(CloudError::Api { service: "Keystone".into(), status: s.as_u16(), message: error_message(&text) }),
        }
        let token = token.ok_or_else(|| CloudError::Decode { service: "Keystone".into(), reason: "no X-Subject-Token header".into() })?;
        let v: Value = decode("Keystone", &text, "token")?;
        let s = |p: &[&str]| {
            let mut cur = &v;
            for k in p {
                cur = cur.get(*k).unwrap_or(&Value::Null);
            }
            cur.as_str().unwrap_or_default().to_string()
        };
        let mut endpoints = Vec::new();
        for service in v.get("catalog").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            let kind = service.get("type").and_then(Value::as_str).unwrap_or_default();
            let chosen = service.get("endpoints").and_then(Value::as_array).and_then(|eps| {
                eps.iter().find(|e| {
                    let public = e.get("interface").and_then(Value::as_str) == Some("public");
                    let region = e.get("region_id").or_else(|| e.get("region")).and_then(Value::as_str).unwrap_or_default();
                    public && (creds.region.is_empty() || region == creds.region)
                })
            });
            if let Some(url) = chosen.and_then(|e| e.get("url")).and_then(Value::as_str) {
                endpoints.push((kind.to_string(), trim(url)));
            }
        }
        let find = |kind: &str| {
            endpoints.iter().find(|(k, _)| k == kind).map(|(_, u)| u.clone()).ok_or_else(|| CloudError::NoEndpoint {
                service: kind.into(),
                region: if creds.region.is_empty() { "(any)".into() } else { creds.region.clone() },
            })
        };
        let compute = find("compute")?;
        let network = find("network")?;
        let image = find("image")?;
        let info = TokenInfo {
            project_id: s(&["project", "id"]),
            project_name: s(&["project", "name"]),
            user_name: s(&["user", "name"]),
            expires_at: s(&["expires_at"]),
            endpoints: endpoints.clone(),
        };
        Ok(Cloud { http, token, info, compute, network, image })
    }

    pub fn token_info(&self) -> &TokenInfo {
        &self.info
    }

    async fn call(&self, service: &str, method: Method, url: String, body: Option<Value>, what: &str) -> Result<String, CloudError> {
        let mut req = self.http.request(method, &url).header("X-Auth-Token", &self.token).header("Accept", "application/json");
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.map_err(|e| connect_error(&url, &e))?;
        let (status, text) = read_body(service, &url, resp).await?;
        match status {
            s if s.is_success() => Ok(text),
            StatusCode::NOT_FOUND => Err(CloudError::NotFound { what: what.to_string() }),
            StatusCode::UNAUTHORIZED => Err(CloudError::Auth(error_message(&text))),
            s => Err(CloudError::Api { service: service.into(), status: s.as_u16(), message: error_message(&text) }),
        }
    }

    // ---- Nova

    pub async fn flavors(&self) -> Result<Vec<Flavor>, CloudError> {
        let text = self.call("Nova", Method::GET, format!("{}/flavors/detail", self.compute), None, "flavours").await?;
        decode("Nova", &text, "flavors")
    }

    pub async fn create_server(&self, s: &NewServer) -> Result<String, CloudError> {
        let networks: Vec<Value> = s.ports.iter().map(|p| json!({"port": p})).collect();
        let mut server = json!({
            "name": s.name, "imageRef": s.image_id, "flavorRef": s.flavor_id,
            "networks": networks, "metadata": s.metadata,
        });
        if let Some(data) = &s.user_data {
            server["user_data"] = Value::String(base64::engine::general_purpose::STANDARD.encode(data.as_bytes()));
        }
        let text = self.call("Nova", Method::POST, format!("{}/servers", self.compute), Some(json!({ "server": server })), "server").await?;
        let v: Value = decode("Nova", &text, "server")?;
        v.get("id").and_then(Value::as_str).map(str::to_string).ok_or_else(|| CloudError::Decode { service: "Nova".into(), reason: "a new server without an id".into() })
    }

    pub async fn server(&self, id: &str) -> Result<Server, CloudError> {
        let text = self.call("Nova", Method::GET, format!("{}/servers/{id}", self.compute), None, &format!("server {id}")).await?;
        decode("Nova", &text, "server")
    }

    pub async fn delete_server(&self, id: &str) -> Result<(), CloudError> {
        self.call("Nova", Method::DELETE, format!("{}/servers/{id}", self.compute), None, &format!("server {id}")).await.map(drop)
    }

    /// A soft reboot (the guest is asked to restart) or a hard one (power cycle).
    pub async fn reboot_server(&self, id: &str, hard: bool) -> Result<(), CloudError> {
        let body = json!({"reboot": {"type": if hard { "HARD" } else { "SOFT" }}});
        self.call("Nova", Method::POST, format!("{}/servers/{id}/action", self.compute), Some(body), &format!("server {id}")).await.map(drop)
    }

    // ---- Neutron

    pub async fn networks(&self) -> Result<Vec<Network>, CloudError> {
        let text = self.call("Neutron", Method::GET, format!("{}/v2.0/networks", self.network), None, "networks").await?;
        decode("Neutron", &text, "networks")
    }

    pub async fn create_network(&self, name: &str) -> Result<Network, CloudError> {
        let body = json!({"network": {"name": name, "admin_state_up": true}});
        let text = self.call("Neutron", Method::POST, format!("{}/v2.0/networks", self.network), Some(body), "network").await?;
        decode("Neutron", &text, "network")
    }

    pub async fn create_subnet(&self, network_id: &str, name: &str, cidr: &str) -> Result<Subnet, CloudError> {
        let body = json!({"subnet": {"network_id": network_id, "name": name, "cidr": cidr, "ip_version": 4, "enable_dhcp": true}});
        let text = self.call("Neutron", Method::POST, format!("{}/v2.0/subnets", self.network), Some(body), "subnet").await?;
        decode("Neutron", &text, "subnet")
    }

    pub async fn delete_subnet(&self, id: &str) -> Result<(), CloudError> {
        self.call("Neutron", Method::DELETE, format!("{}/v2.0/subnets/{id}", self.network), None, &format!("subnet {id}")).await.map(drop)
    }

    /// Deletes a network with its subnets (Neutron refuses while ports remain on it).
    pub async fn delete_network(&self, id: &str) -> Result<(), CloudError> {
        self.call("Neutron", Method::DELETE, format!("{}/v2.0/networks/{id}", self.network), None, &format!("network {id}")).await.map(drop)
    }

    /// A port on a network. Port security is off: a VNF in the path forwards traffic that is not
    /// addressed to it, which Neutron's anti-spoofing would drop.
    pub async fn create_port(&self, network_id: &str, name: &str) -> Result<Port, CloudError> {
        let body = json!({"port": {"network_id": network_id, "name": name, "port_security_enabled": false}});
        let text = self.call("Neutron", Method::POST, format!("{}/v2.0/ports", self.network), Some(body), "port").await?;
        decode("Neutron", &text, "port")
    }

    pub async fn port(&self, id: &str) -> Result<Port, CloudError> {
        let text = self.call("Neutron", Method::GET, format!("{}/v2.0/ports/{id}", self.network), None, &format!("port {id}")).await?;
        decode("Neutron", &text, "port")
    }

    pub async fn delete_port(&self, id: &str) -> Result<(), CloudError> {
        self.call("Neutron", Method::DELETE, format!("{}/v2.0/ports/{id}", self.network), None, &format!("port {id}")).await.map(drop)
    }

    // ---- Glance

    pub async fn images(&self) -> Result<Vec<Image>, CloudError> {
        let text = self.call("Glance", Method::GET, format!("{}/v2/images?limit=1000", self.image), None, "images").await?;
        decode("Glance", &text, "images")
    }

    /// Registers an image (queued until its data is uploaded).
    pub async fn create_image(&self, image: &NewImage) -> Result<Image, CloudError> {
        let body = serde_json::to_value(image).map_err(|e| CloudError::Decode { service: "Glance".into(), reason: e.to_string() })?;
        let text = self.call("Glance", Method::POST, format!("{}/v2/images", self.image), Some(body), "image").await?;
        serde_json::from_str(&text).map_err(|e| CloudError::Decode { service: "Glance".into(), reason: e.to_string() })
    }

    /// Uploads an image's data (Glance makes it active).
    pub async fn upload_image(&self, id: &str, data: Vec<u8>) -> Result<(), CloudError> {
        let url = format!("{}/v2/images/{id}/file", self.image);
        let resp = self
            .http
            .put(&url)
            .header("X-Auth-Token", &self.token)
            .header("Content-Type", "application/octet-stream")
            .body(data)
            .send()
            .await
            .map_err(|e| connect_error(&url, &e))?;
        let (status, text) = read_body("Glance", &url, resp).await?;
        match status {
            s if s.is_success() => Ok(()),
            StatusCode::NOT_FOUND => Err(CloudError::NotFound { what: format!("image {id}") }),
            s => Err(CloudError::Api { service: "Glance".into(), status: s.as_u16(), message: error_message(&text) }),
        }
    }

    pub async fn delete_image(&self, id: &str) -> Result<(), CloudError> {
        self.call("Glance", Method::DELETE, format!("{}/v2/images/{id}", self.image), None, &format!("image {id}")).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystone_base_takes_what_operators_type() {
        assert_eq!(keystone_base("http://cloud:5000"), "http://cloud:5000/v3");
        assert_eq!(keystone_base("http://cloud:5000/v3/"), "http://cloud:5000/v3");
        assert_eq!(keystone_base("https://cloud/identity/v3"), "https://cloud/identity/v3");
    }

    #[test]
    fn error_messages_of_each_service() {
        assert_eq!(error_message(r#"{"itemNotFound": {"message": "Instance x could not be found.", "code": 404}}"#), "Instance x could not be found.");
        assert_eq!(error_message(r#"{"NeutronError": {"type": "NetworkInUse", "message": "Unable to complete operation on network y."}}"#), "Unable to complete operation on network y.");
        assert_eq!(error_message(r#"{"error": {"code": 401, "message": "The request you have made requires authentication."}}"#), "The request you have made requires authentication.");
        assert_eq!(error_message("<html>Bad gateway</html>"), "<html>Bad gateway</html>");
        assert_eq!(error_message(""), "no reason given");
    }

    #[test]
    fn credentials_debug_hides_the_password() {
        let c = Credentials { auth_url: "http://x/v3".into(), region: "RegionOne".into(), project: "p".into(), username: "u".into(), password: "s3cret-pw".into() };
        assert!(!format!("{c:?}").contains("s3cret-pw"));
    }
}
