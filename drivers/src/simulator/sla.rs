//! A simulated device's SLA traffic: RPM-style active probes per WAN link and per traffic type
//! (the probe's owner), and AppQoE-style per-application session statistics.
//!
//! Figures are drawn from the fleet's seed, the device, the link, the owner and the probe round
//! (wall-clock time in [`ROUND_SECONDS`] steps), so a seed gives the same figures at the same time
//! on every run, and a link's figures follow what is injected: `degrade` sets its delay, loss and
//! jitter, `link-down` stops it (its probes lose every packet and its applications move to the other
//! WAN link).

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use super::device::{round2, Device, Link};
use super::rng::derived;

/// How long one probe round lasts; a collector asking more often sees the same round again.
pub(crate) const ROUND_SECONDS: u64 = 10;

/// Applications the fleet runs, by their Junos names (the predefined application groups'), and how
/// busy each is at most (sessions per round).
const APPLICATIONS: [(&str, u64); 18] = [
    ("ZOOM", 30),
    ("WEBEX", 20),
    ("SKYPE-FOR-BUSINESS", 15),
    ("GOTOMEETING", 8),
    ("OFFICE365", 60),
    ("SALESFORCE", 25),
    ("SLACK", 40),
    ("WORKDAY", 10),
    ("SAP", 12),
    ("GMAIL", 35),
    ("EXCHANGE", 30),
    ("OWA", 10),
    ("DROPBOX", 15),
    ("BOX", 10),
    ("ONEDRIVE", 20),
    ("SYMANTEC", 6),
    ("MCAFEE", 5),
    ("SOPHOS", 4),
];

/// The probe round now.
pub(crate) fn round_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) / ROUND_SECONDS
}

/// What a probe of `owner`'s test over `link` measured in `round`: (rtt ms, jitter ms, loss %).
/// Each owner (traffic type) is queued a little differently, and each round varies around the
/// link's figures; a link that is down loses every probe.
pub(crate) fn probe(d: &Device, link: &Link, owner: &str, round: u64) -> (f64, f64, f64) {
    let (rtt, jitter, loss) = link.figures();
    if !link.up {
        return (rtt, jitter, loss);
    }
    let mut class = derived(d.seed, &format!("class/{owner}"));
    let (rtt_factor, jitter_factor) = (class.range_f64(0.95, 1.15), class.range_f64(0.9, 1.3));
    let mut noise = derived(d.seed, &format!("{}/{}/{owner}/{round}", d.serial, link.name));
    let rtt = round2(rtt * rtt_factor * noise.range_f64(0.92, 1.08));
    let jitter = round2(jitter * jitter_factor * noise.range_f64(0.8, 1.2));
    let loss = match link.degraded {
        Some(_) => round2((loss * noise.range_f64(0.9, 1.1)).min(100.0)),
        None => round2((loss * noise.range_f64(0.0, 2.0)).min(100.0)),
    };
    (rtt, jitter, loss)
}

/// `<probe-results>` for these owners (traffic types); no owner asks for the plain `sla` test,
/// which reports the link's figures as they are, without the per-round variation.
pub(crate) fn probe_results(d: &Device, owners: &[&str], round: u64) -> String {
    let plain = owners.is_empty();
    let owners: Vec<&str> = if plain { vec!["sla"] } else { owners.to_vec() };
    let mut out = String::with_capacity(256 + 512 * owners.len());
    out.push_str("<probe-results>");
    for owner in owners {
        for link in d.links.iter().filter(|l| l.probed()) {
            let (rtt, jitter, loss) = if plain { link.figures() } else { probe(d, link, owner, round) };
            // RPM reports delays in whole microseconds.
            let _ = write!(
                out,
                "<probe-test-results><owner>{owner}</owner><test-name>wan-{name}</test-name><destination-interface>{name}</destination-interface>\
                 <probe-type>icmp-ping</probe-type><probe-test-current-results><probe-test-generic-results>\
                 <results-scope>current test</results-scope><probes-sent>10</probes-sent><loss-percentage>{loss}</loss-percentage>\
                 <probe-test-rtt><probe-summary-results><avg-delay>{rtt_us}</avg-delay><jitter-delay>{jitter_us}</jitter-delay>\
                 </probe-summary-results></probe-test-rtt></probe-test-generic-results></probe-test-current-results></probe-test-results>",
                owner = xml_text(owner),
                name = link.name,
                rtt_us = (rtt * 1000.0).round() as u64,
                jitter_us = (jitter * 1000.0).round() as u64,
            );
        }
    }
    out.push_str("</probe-results>");
    out
}

/// Owner names come from the collector; keep them from breaking the reply.
fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One application's traffic at a device in one round.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AppRound {
    pub name: &'static str,
    pub interface: String,
    pub sessions: u64,
    pub bytes: u64,
    /// Sessions whose passive probes were sampled this round.
    pub sampled: u64,
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_percent: f64,
}

/// The applications a device carries: six to nine of [`APPLICATIONS`], each preferring one of the
/// two WAN links (most the first), the same for the same seed and serial.
fn mix(d: &Device) -> Vec<(&'static str, u64, usize)> {
    let mut rng = derived(d.seed, &format!("{}/applications", d.serial));
    let mut names: Vec<(&'static str, u64)> = APPLICATIONS.to_vec();
    // Fisher–Yates with the device's own generator.
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let take = 6 + rng.below(4) as usize;
    names.into_iter().take(take).map(|(name, busy)| (name, busy, usize::from(rng.below(10) >= 7))).collect()
}

/// What each application did this round. An application runs over its preferred WAN link while
/// that link is up, over the other one otherwise, and not at all with both down.
pub(crate) fn applications(d: &Device, round: u64) -> Vec<AppRound> {
    let wan: Vec<&Link> = d.links.iter().filter(|l| l.wan).collect();
    let mut out = Vec::new();
    for (name, busy, prefers) in mix(d) {
        let Some(link) = wan.get(prefers).filter(|l| l.up).or_else(|| wan.iter().find(|l| l.up)) else { continue };
        let mut rng = derived(d.seed, &format!("{}/{name}/{round}", d.serial));
        let sessions = 1 + rng.below(busy);
        let (rtt, jitter, loss) = probe(d, link, "applications", round);
        // The application's servers are a little further than the probe's target.
        let extra = derived(d.seed, &format!("distance/{name}")).range_f64(0.5, 6.0);
        out.push(AppRound {
            name,
            interface: link.name.clone(),
            sessions,
            bytes: sessions * (20_000 + rng.below(2_000_000)),
            sampled: sessions.div_ceil(2),
            rtt_ms: round2(rtt + extra),
            jitter_ms: jitter,
            loss_percent: loss,
        });
    }
    out
}

/// `<application-statistics>`, in the style of Junos AppQoE's per-application SLA statistics.
pub(crate) fn application_statistics(apps: &[AppRound]) -> String {
    let mut out = String::with_capacity(64 + 400 * apps.len());
    let _ = write!(out, "<application-statistics><sampling-interval>{ROUND_SECONDS}</sampling-interval>");
    for a in apps {
        let _ = write!(
            out,
            "<application><application-name>{}</application-name><destination-interface>{}</destination-interface>\
             <sessions>{}</sessions><bytes>{}</bytes><sampled-sessions>{}</sampled-sessions>\
             <avg-rtt>{}</avg-rtt><avg-jitter>{}</avg-jitter><loss-percentage>{}</loss-percentage></application>",
            a.name,
            a.interface,
            a.sessions,
            a.bytes,
            a.sampled,
            (a.rtt_ms * 1000.0).round() as u64,
            (a.jitter_ms * 1000.0).round() as u64,
            a.loss_percent,
        );
    }
    out.push_str("</application-statistics>");
    out
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::simulator::device::Degradation;
    use crate::simulator::Model;

    fn device(seed: u64) -> Device {
        Device::new(seed, "CV0000000007".into(), Model::Srx345, "23.2R1-S2", "lab", 0, Instant::now())
    }

    #[test]
    fn probes_vary_by_round_and_owner_but_not_by_run() {
        let d = device(3);
        let link = &d.links[0];
        assert_eq!(probe(&d, link, "Voice-Video", 7), probe(&device(3), &device(3).links[0], "Voice-Video", 7));
        assert_ne!(probe(&d, link, "Voice-Video", 7), probe(&d, link, "Voice-Video", 8));
        assert_ne!(probe(&d, link, "Voice-Video", 7), probe(&d, link, "Internet", 7));
        for round in 0..200 {
            let (rtt, jitter, loss) = probe(&d, link, "Voice-Video", round);
            // A healthy link stays well inside the strictest predefined baseline (150 ms, 30 ms, 1 %).
            assert!(rtt < 60.0 && jitter < 7.0 && loss <= 0.6, "{rtt} {jitter} {loss}");
        }
        let xml = probe_results(&d, &["Voice-Video", "Internet"], 1);
        assert_eq!(xml.matches("<probe-test-results>").count(), 4, "two WAN links × two owners");
        assert!(xml.contains("<owner>Internet</owner>"));
        assert!(probe_results(&d, &[], 1).contains("<owner>sla</owner>"));
    }

    #[test]
    fn degrading_and_cutting_a_link_move_its_figures_and_its_applications() {
        let mut d = device(11);
        d.links[0].degraded = Some(Degradation { rtt_ms: 250.0, loss_percent: 5.0, jitter_ms: Some(40.0) });
        let (rtt, jitter, loss) = probe(&d, &d.links[0], "Voice-Video", 3);
        assert!(rtt > 200.0 && jitter > 30.0 && loss > 4.0, "{rtt} {jitter} {loss}");
        let before = applications(&d, 3);
        assert!((6..=9).contains(&before.len()));
        assert!(before.iter().any(|a| a.interface == d.links[0].name));
        d.links[0].up = false;
        let after = applications(&d, 3);
        assert_eq!(after.len(), before.len(), "the applications moved, none stopped");
        assert!(after.iter().all(|a| a.interface == d.links[1].name));
        d.links[1].up = false;
        assert!(applications(&d, 3).is_empty());
        let xml = application_statistics(&before);
        assert_eq!(xml.matches("<application>").count(), before.len());
    }
}
