//! Application SLA: traffic type profiles, SLA profiles and the scores graded against them.
//!
//! - [`traffic_types`]: the service provider's classes of traffic, how their links are probed, and
//!   the baseline thresholds SLA profiles' presets scale.
//! - [`profiles`]: SLA profiles, SP-wide or a tenant's, with CSO's predefined five.
//! - [`score`]: Portico's definition of link, application, site and tenant scores (README).
//! - [`applications`]: the predefined application groups.
//! - [`collect`]: the probe rounds that ask the fleet, grade and store.
//! - [`store`]: raw samples and 5-minute buckets; [`rollup`] sums them into hours and days;
//!   [`retention`] prunes them.
//! - [`performance`]: what the SLA performance pages read.

pub mod applications;
pub mod collect;
pub mod overview;
pub mod entity;
pub mod performance;
pub mod profiles;
pub mod retention;
pub mod rollup;
pub mod score;
pub(crate) mod sql;
pub mod store;
pub mod traffic_types;
