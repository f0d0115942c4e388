//! SplitMix64: a tiny generator whose sequence never changes with a crate upgrade, so a seed
//! means the same fleet forever.

#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, n); `n` 0 gives 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in [lo, hi).
    pub fn range_f64(&mut self, lo: f64, hi: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + unit * (hi - lo)
    }
}

/// A value derived from a seed and a label, independent of how many draws came before.
pub fn derived(seed: u64, label: &str) -> SplitMix64 {
    let mut h = SplitMix64::new(seed);
    let mut acc = h.next_u64();
    for b in label.bytes() {
        acc = SplitMix64::new(acc ^ u64::from(b)).next_u64();
    }
    SplitMix64::new(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_ranges_hold() {
        let (mut a, mut b) = (SplitMix64::new(7), SplitMix64::new(7));
        assert_eq!((0..5).map(|_| a.next_u64()).collect::<Vec<_>>(), (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        for _ in 0..1000 {
            let x = a.range_f64(8.0, 40.0);
            assert!((8.0..40.0).contains(&x));
            assert!(a.below(3) < 3);
        }
        assert_ne!(derived(1, "ge-0/0/0").next_u64(), derived(1, "ge-0/0/1").next_u64());
        assert_eq!(derived(1, "x").next_u64(), derived(1, "x").next_u64());
    }
}
