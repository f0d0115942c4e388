//! The choices of the site form, as (key, label) pairs: the key is stored, the label shown.

pub type Choices = &'static [(&'static str, &'static str)];

pub fn kinds() -> Choices {
    &[
        ("on_premise_spoke", "On-premise spoke"),
        ("cloud_spoke", "Cloud spoke"),
        ("on_premise_hub", "On-premise hub"),
        ("cloud_hub", "Cloud hub"),
    ]
}

pub fn deployments() -> Choices {
    &[("sdwan", "SD-WAN"), ("hybrid_wan", "Hybrid WAN")]
}

pub fn topologies() -> Choices {
    &[("hub_and_spoke", "Hub and spoke"), ("full_mesh", "Full mesh")]
}

/// The connection plans of the redundancy overview.
pub fn redundancy_plans() -> Choices {
    &[("none", "Single CPE"), ("dual_srx", "Dual SRX (chassis cluster)"), ("dual_nfx250", "Dual NFX250")]
}

pub fn link_types() -> Choices {
    &[("mpls", "MPLS"), ("internet", "Internet"), ("lte", "LTE")]
}

pub fn models() -> Choices {
    &[
        ("SRX300", "SRX300"),
        ("SRX320", "SRX320"),
        ("SRX340", "SRX340"),
        ("SRX345", "SRX345"),
        ("SRX550", "SRX550"),
        ("SRX1500", "SRX1500"),
        ("NFX250", "NFX250"),
    ]
}

pub(crate) fn has(choices: Choices, key: &str) -> bool {
    choices.iter().any(|(k, _)| *k == key)
}

/// The label of a stored key, or the key itself when it is not one.
pub fn label(choices: Choices, key: &str) -> &str {
    choices.iter().find(|(k, _)| *k == key).map_or(key, |(_, l)| l)
}

/// Whether a connection plan puts two devices on the site.
pub fn is_dual(redundancy: &str) -> bool {
    matches!(redundancy, "dual_srx" | "dual_nfx250")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_choice_is_a_known_model() {
        for (key, _) in models() {
            assert_eq!(crate::sites::models::spec(key).map(|m| m.name), Some(*key));
        }
        assert_eq!(models().len(), crate::sites::models::MODELS.len());
        assert_eq!(label(redundancy_plans(), "dual_srx"), "Dual SRX (chassis cluster)");
        assert_eq!(label(kinds(), "moon_base"), "moon_base");
    }
}
