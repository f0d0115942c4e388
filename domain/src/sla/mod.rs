//! Application SLA: traffic type profiles, SLA profiles and the scores graded against them.
//!
//! - [`traffic_types`]: the service provider's classes of traffic, how their links are probed, and
//!   the baseline thresholds SLA profiles' presets scale.
//! - [`profiles`]: SLA profiles, SP-wide or a tenant's, with CSO's predefined five.
//! - [`score`]: Portico's definition of link, application, site and tenant scores (README).
//! - [`applications`]: the predefined application groups.

pub mod applications;
pub mod entity;
pub mod profiles;
pub mod score;
pub mod traffic_types;
