//! SLA scores as Portico defines them (README, "SLA scores"): CSO never published its formula, so
//! this is the research file's definition 1.4, Apdex-style so that every score can be explained by
//! counting. Pure arithmetic: no database, no clock.
//!
//! A probe sample is graded 1, ½ or 0 against the thresholds of the SLA profile in force; a score is
//! 100 × (samples graded 1 + ½ × samples graded ½) / samples. So a score and its bucket table (how
//! many samples, how many of each grade) always agree, which is what "explain this score" shows.

use serde::{Deserialize, Serialize};

/// What a probe measured on a path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_pct: f64,
}

/// The targets of an SLA profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_pct: f64,
}

/// When a path counts as violating: CSO's "when any of the SLA parameters is violated or when all
/// the SLA parameters are violated".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failover {
    Any,
    All,
}

/// One metric of a sample, in the order a tie is broken by (loss is what users feel first, then
/// delay, then jitter; Palo Alto's and Cisco's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Metric {
    Loss,
    Rtt,
    Jitter,
    /// Voice only: the mean opinion score from the E-model.
    Mos,
}

impl Metric {
    pub const ALL: [Metric; 4] = [Metric::Loss, Metric::Rtt, Metric::Jitter, Metric::Mos];

    pub fn key(self) -> &'static str {
        match self {
            Metric::Loss => "loss",
            Metric::Rtt => "rtt",
            Metric::Jitter => "jitter",
            Metric::Mos => "mos",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::Loss => "Packet loss",
            Metric::Rtt => "RTT",
            Metric::Jitter => "Jitter",
            Metric::Mos => "MOS",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// A sample's grade. Kept as an enum, not a float, so counts add up exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    Poor,
    Fair,
    Good,
}

impl Grade {
    /// In half points: Good 2, Fair 1, Poor 0.
    fn halves(self) -> u64 {
        match self {
            Grade::Good => 2,
            Grade::Fair => 1,
            Grade::Poor => 0,
        }
    }
}

/// A loss threshold of zero would make every lost packet "more than twice the target"; grade it
/// against 0.1 % instead, as the definition says.
const ZERO_LOSS_STANDS_FOR: f64 = 0.1;

/// One metric against its target: within it Good, up to twice it Fair, beyond Poor. A value that is
/// not a number (a device that sent nonsense) is Poor, never Good.
pub fn grade_value(value: f64, target: f64) -> Grade {
    if !value.is_finite() || !target.is_finite() {
        return Grade::Poor;
    }
    if value <= target {
        Grade::Good
    } else if value <= 2.0 * target {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

/// MOS by the simplified E-model (research 1.4, step 2): effective latency L = RTT + 2·jitter + 10;
/// R = 93.2 − L/40 below 160 ms, else 93.2 − (L − 120)/10; R −= 2.5·loss %;
/// MOS = 1 + 0.035 R + 7·10⁻⁶ R (R − 60)(100 − R), R held to 0–100.
pub fn mos(m: Measure) -> f64 {
    let latency = m.rtt_ms.max(0.0) + 2.0 * m.jitter_ms.max(0.0) + 10.0;
    let mut r = if latency < 160.0 { 93.2 - latency / 40.0 } else { 93.2 - (latency - 120.0) / 10.0 };
    r -= 2.5 * m.loss_pct.max(0.0);
    let r = if r.is_finite() { r.clamp(0.0, 100.0) } else { 0.0 };
    1.0 + 0.035 * r + 7.0e-6 * r * (r - 60.0) * (100.0 - r)
}

/// MOS 4.0 or better is Good, 3.6 or better Fair, anything lower Poor.
pub fn grade_mos(score: f64) -> Grade {
    if score >= 4.0 {
        Grade::Good
    } else if score >= 3.6 {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

/// How one sample was graded, and which metric decided it (None when every metric was Good).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graded {
    pub grade: Grade,
    pub worst: Option<Metric>,
}

/// Grades one sample: each metric against its threshold, then the minimum over metrics when the
/// profile fails over on *any* violation, the maximum when only *all* violated count. Voice traffic
/// is also graded by MOS, and keeps the lower of the two.
pub fn grade(m: Measure, t: Thresholds, failover: Failover, voice: bool) -> Graded {
    let loss_target = if t.loss_pct <= 0.0 { ZERO_LOSS_STANDS_FOR } else { t.loss_pct };
    let per_metric = [
        (Metric::Loss, grade_value(m.loss_pct, loss_target)),
        (Metric::Rtt, grade_value(m.rtt_ms, t.rtt_ms)),
        (Metric::Jitter, grade_value(m.jitter_ms, t.jitter_ms)),
    ];
    // The first metric in tie-break order with the lowest grade.
    let lowest = per_metric.iter().copied().min_by_key(|(metric, g)| (*g, *metric)).unwrap_or((Metric::Loss, Grade::Poor));
    let network = match failover {
        Failover::Any => lowest.1,
        Failover::All => per_metric.iter().map(|(_, g)| *g).max().unwrap_or(Grade::Poor),
    };
    let mut graded = Graded { grade: network, worst: (network < Grade::Good).then_some(lowest.0) };
    if voice {
        let by_mos = grade_mos(mos(m));
        if by_mos < graded.grade {
            graded = Graded { grade: by_mos, worst: Some(Metric::Mos) };
        }
    }
    graded
}

/// Counts of graded samples: what a 5-minute bucket stores and what an explanation shows. Adding
/// tallies is how windows, sites and applications are scored, so a score is always its table's sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub good: u64,
    pub fair: u64,
    pub poor: u64,
    /// Samples not graded Good, by the metric that decided them (loss, rtt, jitter, mos).
    pub by_metric: [u64; 4],
}

impl Tally {
    pub fn samples(&self) -> u64 {
        self.good + self.fair + self.poor
    }

    pub fn add(&mut self, g: Graded) {
        match g.grade {
            Grade::Good => self.good += 1,
            Grade::Fair => self.fair += 1,
            Grade::Poor => self.poor += 1,
        }
        if let Some(m) = g.worst {
            if g.grade < Grade::Good {
                self.by_metric[m as usize] += 1;
            }
        }
    }

    /// Adds `n` samples that all graded the same way (an application's sampled sessions).
    pub fn add_many(&mut self, g: Graded, n: u64) {
        match g.grade {
            Grade::Good => self.good += n,
            Grade::Fair => self.fair += n,
            Grade::Poor => self.poor += n,
        }
        if let (Some(m), true) = (g.worst, g.grade < Grade::Good) {
            self.by_metric[m as usize] += n;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.good += other.good;
        self.fair += other.fair;
        self.poor += other.poor;
        for (a, b) in self.by_metric.iter_mut().zip(other.by_metric) {
            *a += b;
        }
    }

    /// Sum of grades in half points (Good 2, Fair 1).
    pub fn halves(&self) -> u64 {
        self.good * Grade::Good.halves() + self.fair * Grade::Fair.halves()
    }

    /// 100 × mean grade; None without samples ("No data", never a made-up number).
    pub fn score(&self) -> Option<f64> {
        let n = self.samples();
        (n > 0).then(|| 100.0 * self.halves() as f64 / (2.0 * n as f64))
    }

    /// The metric that lowered the most samples; ties go to the earlier in [`Metric::ALL`].
    pub fn worst_metric(&self) -> Option<Metric> {
        let (i, n) = self.by_metric.iter().enumerate().fold((0, 0), |best, (i, n)| if *n > best.1 { (i, *n) } else { best });
        (n > 0).then(|| Metric::ALL[i])
    }
}

/// Good ≥ 80, Fair 40–79, Poor < 40 (Citrix's 8/4 split on a 0–100 scale), or No data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Band {
    Poor,
    Fair,
    Good,
    NoData,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Good, Band::Fair, Band::Poor, Band::NoData];

    pub fn of(score: Option<f64>) -> Band {
        match score {
            None => Band::NoData,
            Some(s) if s >= 80.0 => Band::Good,
            Some(s) if s >= 40.0 => Band::Fair,
            Some(_) => Band::Poor,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Band::Good => "good",
            Band::Fair => "fair",
            Band::Poor => "poor",
            Band::NoData => "no-data",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Good => "Good",
            Band::Fair => "Fair",
            Band::Poor => "Poor",
            Band::NoData => "No data",
        }
    }

    pub fn from_key(key: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.key() == key)
    }
}

/// A link's displayed score: the worst of its traffic types' scores (those with data).
pub fn link_score<'a>(per_traffic_type: impl IntoIterator<Item = &'a Tally>) -> Option<f64> {
    per_traffic_type.into_iter().filter_map(Tally::score).min_by(f64::total_cmp)
}

/// A tenant's score: the mean of its sites' scores; sites without data are left out, and a tenant
/// none of whose sites has data has no score.
pub fn tenant_score(site_scores: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = site_scores.into_iter().flatten().fold((0.0, 0u64), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// A weighted mean of scores (a site without application samples: its link scores weighted by the
/// bytes each carried). Zero total weight falls back to the plain mean.
pub fn weighted_mean(scores: impl IntoIterator<Item = (f64, u64)>) -> Option<f64> {
    let items: Vec<(f64, u64)> = scores.into_iter().filter(|(s, _)| s.is_finite()).collect();
    if items.is_empty() {
        return None;
    }
    let weight: u64 = items.iter().map(|(_, w)| *w).sum();
    if weight == 0 {
        return Some(items.iter().map(|(s, _)| s).sum::<f64>() / items.len() as f64);
    }
    Some(items.iter().map(|(s, w)| s * *w as f64).sum::<f64>() / weight as f64)
}

/// "No data" once nothing arrived for three probe intervals.
pub fn stale(last_sample_age_s: Option<u64>, probe_interval_s: u64) -> bool {
    match last_sample_age_s {
        None => true,
        Some(age) => age > 3 * probe_interval_s.max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds { rtt_ms: 100.0, jitter_ms: 20.0, loss_pct: 1.0 };

    fn m(rtt_ms: f64, jitter_ms: f64, loss_pct: f64) -> Measure {
        Measure { rtt_ms, jitter_ms, loss_pct }
    }

    #[test]
    fn each_metric_is_good_within_fair_to_twice_and_poor_beyond() {
        assert_eq!(grade_value(100.0, 100.0), Grade::Good);
        assert_eq!(grade_value(100.1, 100.0), Grade::Fair);
        assert_eq!(grade_value(200.0, 100.0), Grade::Fair);
        assert_eq!(grade_value(200.1, 100.0), Grade::Poor);
        assert_eq!(grade_value(f64::NAN, 100.0), Grade::Poor, "nonsense is never good");
    }

    #[test]
    fn any_takes_the_worst_metric_and_all_the_best() {
        // RTT Good, jitter Fair (30 ≤ 40), loss Poor (3 > 2).
        let s = m(50.0, 30.0, 3.0);
        assert_eq!(grade(s, T, Failover::Any, false), Graded { grade: Grade::Poor, worst: Some(Metric::Loss) });
        assert_eq!(grade(s, T, Failover::All, false).grade, Grade::Good);
        // Under "all", a sample is only lowered when every metric is.
        let all_bad = m(250.0, 30.0, 3.0);
        assert_eq!(grade(all_bad, T, Failover::All, false), Graded { grade: Grade::Fair, worst: Some(Metric::Loss) });
        assert_eq!(grade(m(10.0, 1.0, 0.0), T, Failover::Any, false), Graded { grade: Grade::Good, worst: None });
    }

    #[test]
    fn ties_go_to_loss_then_rtt_then_jitter() {
        // RTT and jitter both Fair, loss Good: RTT decides.
        assert_eq!(grade(m(150.0, 30.0, 0.0), T, Failover::Any, false).worst, Some(Metric::Rtt));
    }

    #[test]
    fn a_zero_loss_threshold_grades_against_a_tenth_of_a_percent() {
        let zero = Thresholds { loss_pct: 0.0, ..T };
        assert_eq!(grade(m(10.0, 1.0, 0.0), zero, Failover::Any, false).grade, Grade::Good);
        assert_eq!(grade(m(10.0, 1.0, 0.1), zero, Failover::Any, false).grade, Grade::Good);
        assert_eq!(grade(m(10.0, 1.0, 0.15), zero, Failover::Any, false).grade, Grade::Fair);
        assert_eq!(grade(m(10.0, 1.0, 0.25), zero, Failover::Any, false).grade, Grade::Poor);
    }

    #[test]
    fn mos_follows_the_simplified_e_model() {
        // L = 20 + 4 + 10 = 34; R = 93.2 − 0.85 = 92.35; MOS = 1 + 3.23225 + 7e-6·92.35·32.35·7.65.
        let expected = 1.0 + 0.035 * 92.35 + 7.0e-6 * 92.35 * 32.35 * 7.65;
        assert!((mos(m(20.0, 2.0, 0.0)) - expected).abs() < 1e-9);
        assert!((mos(m(20.0, 2.0, 0.0)) - 4.392).abs() < 0.001);
        // L = 200 + 40 + 10 = 250 ≥ 160: R = 93.2 − 13 = 80.2, minus 2.5 for 1 % loss = 77.7.
        let r: f64 = 77.7;
        let expected = 1.0 + 0.035 * r + 7.0e-6 * r * (r - 60.0) * (100.0 - r);
        assert!((mos(m(200.0, 20.0, 1.0)) - expected).abs() < 1e-9);
        // A dead path: R held at 0 gives MOS 1.
        assert!((mos(m(0.0, 0.0, 100.0)) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn voice_keeps_the_lower_of_the_network_and_mos_grades() {
        // Within generous thresholds but a poor call: 280 ms RTT, 30 ms jitter, 2 % loss.
        let loose = Thresholds { rtt_ms: 300.0, jitter_ms: 40.0, loss_pct: 3.0 };
        let s = m(280.0, 30.0, 2.0);
        assert_eq!(grade(s, loose, Failover::Any, false).grade, Grade::Good);
        assert!(mos(s) < 3.6, "{}", mos(s));
        assert_eq!(grade(s, loose, Failover::Any, true), Graded { grade: Grade::Poor, worst: Some(Metric::Mos) });
        // A clean call stays Good.
        assert_eq!(grade(m(20.0, 2.0, 0.0), loose, Failover::Any, true).grade, Grade::Good);
    }

    #[test]
    fn a_score_is_its_table() {
        // 7 Good, 2 Fair, 1 Poor: 100 × (7 + 1) / 10 = 80.
        let mut t = Tally::default();
        for _ in 0..7 {
            t.add(Graded { grade: Grade::Good, worst: None });
        }
        t.add_many(Graded { grade: Grade::Fair, worst: Some(Metric::Rtt) }, 2);
        t.add(Graded { grade: Grade::Poor, worst: Some(Metric::Loss) });
        assert_eq!((t.samples(), t.good, t.fair, t.poor), (10, 7, 2, 1));
        assert_eq!(t.score(), Some(80.0));
        assert_eq!(Band::of(t.score()), Band::Good);
        assert_eq!(t.worst_metric(), Some(Metric::Rtt));
        assert_eq!(Tally::default().score(), None);
        assert_eq!(Band::of(None), Band::NoData);
    }

    #[test]
    fn bands_split_at_80_and_40() {
        assert_eq!(Band::of(Some(100.0)), Band::Good);
        assert_eq!(Band::of(Some(80.0)), Band::Good);
        assert_eq!(Band::of(Some(79.99)), Band::Fair);
        assert_eq!(Band::of(Some(40.0)), Band::Fair);
        assert_eq!(Band::of(Some(39.9)), Band::Poor);
        assert_eq!(Band::of(Some(0.0)), Band::Poor);
    }

    #[test]
    fn merged_tallies_weigh_busy_applications_more() {
        // A site: a busy application (90 samples, all Good) and a quiet one (10, all Poor).
        let mut busy = Tally::default();
        busy.add_many(Graded { grade: Grade::Good, worst: None }, 90);
        let mut quiet = Tally::default();
        quiet.add_many(Graded { grade: Grade::Poor, worst: Some(Metric::Jitter) }, 10);
        let mut site = busy;
        site.merge(&quiet);
        assert_eq!(site.score(), Some(90.0), "sample-weighted, not the mean of 100 and 0");
        assert_eq!(tenant_score([busy.score(), quiet.score(), None]), Some(50.0), "a tenant is the mean of its sites with data");
        assert_eq!(tenant_score([None, None]), None);
    }

    #[test]
    fn a_link_shows_its_worst_traffic_type_and_goes_stale_after_three_intervals() {
        let mut voice = Tally::default();
        voice.add_many(Graded { grade: Grade::Fair, worst: Some(Metric::Mos) }, 4);
        let mut internet = Tally::default();
        internet.add_many(Graded { grade: Grade::Good, worst: None }, 4);
        assert_eq!(link_score([&voice, &internet, &Tally::default()]), Some(50.0));
        assert!(!stale(Some(30), 10));
        assert!(stale(Some(31), 10));
        assert!(stale(None, 10));
    }

    #[test]
    fn weighted_means_fall_back_to_plain_ones() {
        assert_eq!(weighted_mean([(100.0, 3), (0.0, 1)]), Some(75.0));
        assert_eq!(weighted_mean([(100.0, 0), (0.0, 0)]), Some(50.0));
        assert_eq!(weighted_mean([]), None);
    }
}
