//! The OpenStack client against the simulator's cloud over real HTTP on 127.0.0.1: Keystone v3
//! tokens, Nova, Neutron and Glance, a booted server answering NETCONF on the fleet's SSH
//! listener, and a cloud that fails boots part-way.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use drivers::junos;
use drivers::netconf::{Session, Target};
use drivers::openstack::{Cloud, CloudError, Credentials, NewImage, NewServer, Server, ServerStatus};
use drivers::simulator::{CloudFault, CloudServer, CloudSpec, Fleet, FleetSpec, SimCloud, SimServer};

const DEVICE_PASSWORD: &str = "lab-password";
const CLOUD_PASSWORD: &str = "cloud-secret";

struct Lab {
    _fleet: Arc<Fleet>,
    ssh: SimServer,
    cloud: Arc<SimCloud>,
    http: CloudServer,
}

async fn lab() -> Lab {
    let fleet = Fleet::new(&FleetSpec { devices: 0, seed: 3, reboot_seconds: 1 });
    let any: SocketAddr = "127.0.0.1:0".parse().expect("address");
    let ssh = fleet.serve(any, DEVICE_PASSWORD.into()).await.expect("ssh listens");
    let mut spec = CloudSpec::new(CLOUD_PASSWORD);
    spec.boot = Duration::from_millis(50);
    spec.images = vec![("vsrx-23.4R2".into(), "qcow2".into())];
    let cloud = SimCloud::new(fleet.clone(), spec);
    let http = cloud.serve(any).await.expect("cloud listens");
    Lab { _fleet: fleet, ssh, cloud, http }
}

impl Lab {
    fn creds(&self) -> Credentials {
        Credentials { auth_url: self.http.auth_url(), region: "RegionOne".into(), project: "portico".into(), username: "portico".into(), password: CLOUD_PASSWORD.into() }
    }

    async fn cloud(&self) -> Cloud {
        Cloud::connect(&self.creds(), Duration::from_secs(5)).await.expect("authenticates")
    }
}

async fn wait_settled(cloud: &Cloud, id: &str) -> Server {
    let start = Instant::now();
    loop {
        let s = cloud.server(id).await.expect("server reads");
        if !matches!(s.state(), ServerStatus::Build | ServerStatus::Reboot) || start.elapsed() > Duration::from_secs(10) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn keystone_refuses_wrong_credentials_and_unreachable_clouds_say_so() {
    let lab = lab().await;
    let mut bad = lab.creds();
    bad.password = "wrong".into();
    let err = Cloud::connect(&bad, Duration::from_secs(5)).await.err().expect("refused");
    assert!(matches!(err, CloudError::Auth(_)), "{err:?}");
    let mut other = lab.creds();
    other.project = "someone-else".into();
    let err = Cloud::connect(&other, Duration::from_secs(5)).await.err().expect("refused");
    assert!(matches!(&err, CloudError::Auth(m) if m.contains("someone-else")), "{err:?}");
    let mut region = lab.creds();
    region.region = "RegionTwo".into();
    let err = Cloud::connect(&region, Duration::from_secs(5)).await.err().expect("no endpoint");
    assert!(matches!(&err, CloudError::NoEndpoint { region, .. } if region == "RegionTwo"), "{err:?}");

    // A listener that is gone: a connect error naming the URL, not a hang.
    let gone = lab.http.local_addr;
    drop(lab.http);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let creds = Credentials { auth_url: format!("http://{gone}/identity/v3"), region: String::new(), project: "portico".into(), username: "portico".into(), password: CLOUD_PASSWORD.into() };
    let err = Cloud::connect(&creds, Duration::from_secs(2)).await.err().expect("unreachable");
    assert!(matches!(&err, CloudError::Connect { url, .. } if url.contains(&gone.to_string())), "{err:?}");

    // A call with a token the cloud does not know is a 401, not data.
    let http = reqwest::Client::new();
    let lab2 = self::lab().await;
    let resp = http.get(format!("http://{}/compute/v2.1/flavors/detail", lab2.http.local_addr)).header("X-Auth-Token", "forged").send().await.expect("answers");
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn a_vnf_boots_on_ports_and_answers_netconf_then_everything_is_removed() {
    let lab = lab().await;
    let cloud = lab.cloud().await;
    let info = cloud.token_info();
    assert_eq!(info.project_name, "portico");
    assert!(info.endpoints.iter().any(|(k, _)| k == "compute"));

    let flavors = cloud.flavors().await.expect("flavours");
    let small = flavors.iter().find(|f| f.vcpus >= 2 && f.ram >= 4096).expect("a 2 vCPU flavour");
    assert_eq!(small.name, "m1.medium");

    // An image registered and uploaded becomes active; the seeded one is there too.
    let img = cloud.create_image(&NewImage { name: "steelhead-9.14".into(), disk_format: "qcow2".into(), container_format: "bare".into(), min_disk: 10, min_ram: 2048 }).await.expect("registered");
    assert_eq!(img.status, "queued");
    cloud.upload_image(&img.id, vec![7u8; 4096]).await.expect("uploaded");
    let images = cloud.images().await.expect("images");
    let uploaded = images.iter().find(|i| i.id == img.id).expect("listed");
    assert_eq!((uploaded.status.as_str(), uploaded.size), ("active", Some(4096)));
    let vsrx = images.iter().find(|i| i.name == "vsrx-23.4R2").expect("seeded image");

    // Management, left and right networks with a port each.
    let mut ports = Vec::new();
    let mut networks = Vec::new();
    for (i, name) in ["mgmt", "left", "right"].iter().enumerate() {
        let net = cloud.create_network(&format!("svc-{name}")).await.expect("network");
        let sub = cloud.create_subnet(&net.id, &format!("svc-{name}-v4"), &format!("10.99.{i}.0/24")).await.expect("subnet");
        assert_eq!(sub.gateway_ip.as_deref(), Some(format!("10.99.{i}.1").as_str()));
        let port = cloud.create_port(&net.id, &format!("fw-{name}")).await.expect("port");
        assert_eq!(port.fixed_ips[0].ip_address, format!("10.99.{i}.10"));
        ports.push(port.id);
        networks.push(net.id);
    }
    let id = cloud
        .create_server(&NewServer {
            name: "fw-1".into(),
            image_id: vsrx.id.clone(),
            flavor_id: small.id.clone(),
            ports: ports.clone(),
            metadata: BTreeMap::from([("portico_instance".to_string(), "42".to_string())]),
            user_data: Some("<configuration/>".into()),
        })
        .await
        .expect("boots");
    assert_eq!(cloud.server(&id).await.expect("reads").state(), ServerStatus::Build);
    let server = wait_settled(&cloud, &id).await;
    assert_eq!(server.state(), ServerStatus::Active, "{server:?}");
    assert_eq!(server.addresses.get("svc-mgmt").map(|a| a[0].addr.as_str()), Some("10.99.0.10"));
    assert_eq!(server.metadata.get("portico_instance").map(String::as_str), Some("42"));
    let serial = server.metadata.get("simulator_serial").cloned().expect("the VNF's serial");

    // The booted VNF is a NETCONF device named after its server.
    let target = Target { host: "127.0.0.1".into(), port: lab.ssh.local_addr.port(), username: serial.clone(), password: DEVICE_PASSWORD.into(), timeout: Duration::from_secs(5) };
    let mut s = Session::connect(&target).await.expect("the VNF answers NETCONF");
    let facts = junos::facts(&mut s).await.expect("facts");
    assert_eq!((facts.hostname.as_str(), facts.model.as_str()), ("fw-1", "vsrx"));
    drop(s);

    // A port in use is a server's; a network with ports cannot go.
    let err = cloud.delete_network(&networks[0]).await.err().expect("in use");
    assert!(matches!(&err, CloudError::Api { status: 409, message, .. } if message.contains("ports still in use")), "{err:?}");

    // Reboot: REBOOT, then ACTIVE again and reachable.
    cloud.reboot_server(&id, false).await.expect("reboots");
    assert_eq!(cloud.server(&id).await.expect("reads").state(), ServerStatus::Reboot);
    assert_eq!(wait_settled(&cloud, &id).await.state(), ServerStatus::Active);

    // Delete: the device powers off, and every resource goes.
    cloud.delete_server(&id).await.expect("deleted");
    assert!(cloud.server(&id).await.err().expect("gone").is_not_found());
    assert!(Session::connect(&target).await.is_err(), "a deleted VNF no longer answers");
    for p in &ports {
        cloud.delete_port(p).await.expect("port deleted");
    }
    assert!(cloud.delete_port(&ports[0]).await.err().expect("twice").is_not_found());
    for n in &networks {
        cloud.delete_network(n).await.expect("network deleted");
    }
    cloud.delete_image(&img.id).await.expect("image deleted");
    let counts = lab.cloud.counts();
    assert_eq!((counts.servers, counts.networks, counts.subnets, counts.ports, counts.images), (0, 0, 0, 0, 1));
}

#[tokio::test]
async fn a_cloud_out_of_capacity_fails_the_later_boots_with_novas_reason() {
    let lab = lab().await;
    let cloud = lab.cloud().await;
    let image = cloud.images().await.expect("images").remove(0);
    lab.cloud.inject(CloudFault::FailBoots { after: 1 });
    let mut ids = Vec::new();
    for name in ["a", "b"] {
        let net = cloud.create_network(name).await.expect("network");
        cloud.create_subnet(&net.id, name, "10.50.0.0/28").await.expect("subnet");
        let port = cloud.create_port(&net.id, name).await.expect("port");
        let new = NewServer { name: name.into(), image_id: image.id.clone(), flavor_id: "2".into(), ports: vec![port.id], metadata: BTreeMap::new(), user_data: None };
        ids.push(cloud.create_server(&new).await.expect("accepted"));
    }
    let first = wait_settled(&cloud, &ids[0]).await;
    let second = wait_settled(&cloud, &ids[1]).await;
    assert_eq!(first.state(), ServerStatus::Active);
    assert_eq!(second.state(), ServerStatus::Error);
    assert!(second.fault.expect("a fault").message.contains("No valid host"));

    // Bad requests are Nova's 400s with its reason, not a panic or a 500.
    let bad = NewServer { name: "c".into(), image_id: "no-such-image".into(), flavor_id: "2".into(), ports: vec![], metadata: BTreeMap::new(), user_data: None };
    let err = cloud.create_server(&bad).await.err().expect("refused");
    assert!(matches!(&err, CloudError::Api { status: 400, message, .. } if message.contains("no-such-image")), "{err:?}");
    let err = cloud.create_subnet("nope", "x", "10.0.0.0/8").await.err().expect("refused");
    assert!(matches!(&err, CloudError::Api { status: 400, .. }), "{err:?}");
    lab.cloud.inject(CloudFault::Clear);
}
