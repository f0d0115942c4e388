//! Device drivers: a NETCONF-over-SSH client with typed Junos helpers, and the CPE fleet
//! simulator that answers it.

pub mod junos;
pub mod netconf;
pub mod openstack;
pub mod simulator;
