//! The alert state machine, decided without a database: from a rule, the state an object was in and
//! the value seen now, the state it is in next and whether that raises or clears its alarm.
//!
//! Normal → Pending when the condition holds (straight to Firing with no pending period); Pending →
//! Firing once it has held for the pending period, → Normal as soon as it does not; Firing → Normal
//! when the value is back past the clear threshold (the threshold itself when none is set), so a
//! value hovering around the threshold does not flap.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparator {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

impl Comparator {
    pub const ALL: [Comparator; 5] = [Comparator::Gt, Comparator::Ge, Comparator::Lt, Comparator::Le, Comparator::Eq];

    pub fn key(self) -> &'static str {
        match self {
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Eq => "=",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Comparator::Gt => "is above",
            Comparator::Ge => "is at or above",
            Comparator::Lt => "is below",
            Comparator::Le => "is at or below",
            Comparator::Eq => "equals",
        }
    }

    pub fn from_key(key: &str) -> Option<Comparator> {
        Comparator::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparator::Gt => value > threshold,
            Comparator::Ge => value >= threshold,
            Comparator::Lt => value < threshold,
            Comparator::Le => value <= threshold,
            Comparator::Eq => (value - threshold).abs() < 1e-9,
        }
    }

    /// Whether a clear threshold sits on the right side of the threshold: below it for "above"
    /// conditions, above it for "below" ones. "Equals" takes none.
    pub fn clear_fits(self, threshold: f64, clear: f64) -> bool {
        match self {
            Comparator::Gt | Comparator::Ge => clear <= threshold,
            Comparator::Lt | Comparator::Le => clear >= threshold,
            Comparator::Eq => false,
        }
    }
}

/// What no value for an object means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoData {
    /// Stay in whatever state it was (the default).
    Keep,
    /// As if the condition held: silence is a problem.
    Alert,
    /// As if it did not.
    Normal,
}

impl NoData {
    pub const ALL: [NoData; 3] = [NoData::Keep, NoData::Alert, NoData::Normal];

    pub fn key(self) -> &'static str {
        match self {
            NoData::Keep => "keep",
            NoData::Alert => "alert",
            NoData::Normal => "normal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoData::Keep => "Keep the last state",
            NoData::Alert => "Treat as firing",
            NoData::Normal => "Treat as normal",
        }
    }

    pub fn from_key(key: &str) -> Option<NoData> {
        NoData::ALL.into_iter().find(|n| n.key() == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertState {
    Normal,
    Pending,
    Firing,
}

impl AlertState {
    pub fn key(self) -> &'static str {
        match self {
            AlertState::Normal => "normal",
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AlertState::Normal => "Normal",
            AlertState::Pending => "Pending",
            AlertState::Firing => "Firing",
        }
    }

    pub fn from_key(key: &str) -> Option<AlertState> {
        [AlertState::Normal, AlertState::Pending, AlertState::Firing].into_iter().find(|s| s.key() == key)
    }
}

/// The part of a definition the state machine needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub comparator: Comparator,
    pub threshold: f64,
    pub clear_threshold: Option<f64>,
    /// Seconds the condition must hold before firing.
    pub for_s: i64,
    pub no_data: NoData,
}

/// Where an object goes next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub state: AlertState,
    /// Unix seconds the state was entered.
    pub since: i64,
    /// Entered Firing now: raise the alarm.
    pub raise: bool,
    /// Still firing: the alarm is seen again (its count and last-seen time move).
    pub repeat: bool,
    /// Left Firing now: clear the alarm.
    pub clear: bool,
}

/// One evaluation of one object: `was` is its state and since when (Normal when it had none).
pub fn step(rule: &Rule, was: AlertState, since: i64, value: Option<f64>, now: i64) -> Step {
    let stay = Step { state: was, since, raise: false, repeat: false, clear: false };
    let breaching = match value.filter(|v| v.is_finite()) {
        None => match rule.no_data {
            NoData::Keep => return Step { repeat: was == AlertState::Firing, ..stay },
            NoData::Alert => true,
            NoData::Normal => false,
        },
        Some(v) if was == AlertState::Firing => {
            // Firing ends only when the value is back past the clear threshold.
            let clear_at = rule.clear_threshold.unwrap_or(rule.threshold);
            rule.comparator.holds(v, clear_at) || rule.comparator.holds(v, rule.threshold)
        }
        Some(v) => rule.comparator.holds(v, rule.threshold),
    };
    match (was, breaching) {
        (AlertState::Normal, false) => stay,
        (AlertState::Normal, true) if rule.for_s <= 0 => Step { state: AlertState::Firing, since: now, raise: true, repeat: false, clear: false },
        (AlertState::Normal, true) => Step { state: AlertState::Pending, since: now, ..stay },
        (AlertState::Pending, true) if now - since >= rule.for_s => Step { state: AlertState::Firing, since: now, raise: true, repeat: false, clear: false },
        (AlertState::Pending, true) => stay,
        (AlertState::Pending, false) => Step { state: AlertState::Normal, since: now, ..stay },
        (AlertState::Firing, true) => Step { repeat: true, ..stay },
        (AlertState::Firing, false) => Step { state: AlertState::Normal, since: now, raise: false, repeat: false, clear: true },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AlertState::*;

    fn rtt_above_100(for_s: i64, clear: Option<f64>, no_data: NoData) -> Rule {
        Rule { comparator: Comparator::Gt, threshold: 100.0, clear_threshold: clear, for_s, no_data }
    }

    #[test]
    fn pending_period_must_pass_before_firing() {
        let r = rtt_above_100(300, None, NoData::Keep);
        let s = step(&r, Normal, 0, Some(150.0), 1_000);
        assert_eq!((s.state, s.since, s.raise), (Pending, 1_000, false));
        let s = step(&r, Pending, 1_000, Some(150.0), 1_240);
        assert_eq!((s.state, s.raise), (Pending, false), "240 s of 300 is not enough");
        let s = step(&r, Pending, 1_000, Some(150.0), 1_300);
        assert_eq!((s.state, s.since, s.raise), (Firing, 1_300, true));
        // A dip during the pending period starts it over.
        let s = step(&r, Pending, 1_000, Some(90.0), 1_200);
        assert_eq!((s.state, s.raise, s.clear), (Normal, false, false));
    }

    #[test]
    fn no_pending_period_fires_at_once_and_repeats_while_active() {
        let r = rtt_above_100(0, None, NoData::Keep);
        let s = step(&r, Normal, 0, Some(101.0), 60);
        assert_eq!((s.state, s.raise), (Firing, true));
        let s = step(&r, Firing, 60, Some(120.0), 120);
        assert_eq!((s.state, s.since, s.raise, s.repeat), (Firing, 60, false, true));
        let s = step(&r, Firing, 60, Some(100.0), 180);
        assert_eq!((s.state, s.clear), (Normal, true), "100 is not above 100");
    }

    #[test]
    fn clear_threshold_keeps_a_hovering_value_firing() {
        let r = rtt_above_100(0, Some(80.0), NoData::Keep);
        let s = step(&r, Firing, 0, Some(95.0), 60);
        assert_eq!((s.state, s.clear), (Firing, false), "95 is below the threshold but above the clear threshold");
        let s = step(&r, Firing, 0, Some(80.0), 120);
        assert_eq!((s.state, s.clear), (Normal, true));
        // From Normal the firing threshold applies, not the clear one.
        let s = step(&r, Normal, 0, Some(95.0), 180);
        assert_eq!(s.state, Normal);
        // Scores: below 40 fires, back at or above 50 clears.
        let score = Rule { comparator: Comparator::Lt, threshold: 40.0, clear_threshold: Some(50.0), for_s: 0, no_data: NoData::Keep };
        assert_eq!(step(&score, Firing, 0, Some(45.0), 60).state, Firing);
        assert_eq!(step(&score, Firing, 0, Some(50.0), 60).state, Normal);
    }

    #[test]
    fn no_data_keeps_alerts_or_normalises_as_told() {
        let keep = rtt_above_100(0, None, NoData::Keep);
        assert_eq!(step(&keep, Firing, 5, None, 60), Step { state: Firing, since: 5, raise: false, repeat: true, clear: false });
        assert_eq!(step(&keep, Pending, 5, None, 60).state, Pending);
        assert_eq!(step(&keep, Normal, 5, None, 60).state, Normal);
        let alert = rtt_above_100(0, None, NoData::Alert);
        assert!(step(&alert, Normal, 0, None, 60).raise);
        let normal = rtt_above_100(0, None, NoData::Normal);
        assert!(step(&normal, Firing, 0, None, 60).clear);
        assert!(step(&normal, Firing, 0, Some(f64::NAN), 60).clear, "a value that is not a number is no data");
    }

    #[test]
    fn comparators_and_clear_sides() {
        assert!(Comparator::Ge.holds(100.0, 100.0) && !Comparator::Gt.holds(100.0, 100.0));
        assert!(Comparator::Le.holds(0.0, 0.0) && Comparator::Eq.holds(0.0, 0.0));
        assert!(Comparator::Gt.clear_fits(100.0, 80.0) && !Comparator::Gt.clear_fits(100.0, 120.0));
        assert!(Comparator::Lt.clear_fits(40.0, 50.0) && !Comparator::Lt.clear_fits(40.0, 30.0));
        assert!(!Comparator::Eq.clear_fits(1.0, 1.0));
        for c in Comparator::ALL {
            assert_eq!(Comparator::from_key(c.key()), Some(c));
        }
    }
}
