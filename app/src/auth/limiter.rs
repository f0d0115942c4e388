//! Per-address rate limiting of sign-in attempts: a token bucket per client address, in memory.
//! Lockout protects one account from many guesses; this protects many accounts from one guesser.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_minute` attempts a minute on average, in bursts of as many.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter { per_minute: f64::from(per_minute.max(1)), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token for `addr`; false when it has none left.
    pub fn allow(&self, addr: &str) -> bool {
        self.allow_at(addr, Instant::now())
    }

    fn allow_at(&self, addr: &str, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else { return true };
        // Forget full buckets now and then so the map stays the size of the current attackers.
        if buckets.len() > 10_000 {
            let per_minute = self.per_minute;
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * per_minute / 60.0 < per_minute);
        }
        let (tokens, at) = buckets.entry(addr.to_string()).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_minute / 60.0).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_refused_then_refilled() {
        let limiter = RateLimiter::new(3);
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.allow_at("192.0.2.1", t0)));
        assert!(!limiter.allow_at("192.0.2.1", t0), "the fourth in the same instant");
        assert!(limiter.allow_at("192.0.2.2", t0), "other addresses have their own bucket");
        assert!(limiter.allow_at("192.0.2.1", t0 + Duration::from_secs(20)), "one token back after 20 s");
    }
}
