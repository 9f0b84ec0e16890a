//! The portable random stream of Monte Carlo (MODEL.md §5.2): SplitMix64 keyed by
//! (seed, sample index, input ordinal). Integer arithmetic only, so every platform draws the same
//! bits.

/// The golden-ratio increment of SplitMix64.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function (Stafford's "mix13"): a bijection of u64 with full avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of one sample: `mix64(mix64(seed + GOLDEN) ^ sample)`.
#[inline]
pub fn sample_key(seed: u64, sample: u64) -> u64 {
    mix64(mix64(seed.wrapping_add(GOLDEN)) ^ sample)
}

/// The random stream of input `ordinal` in a sample with key `sample_key`.
#[derive(Debug, Clone)]
pub struct Stream {
    state: u64,
}

impl Stream {
    /// Stream of input `ordinal` (its position in the resolver's order) within one sample.
    #[inline]
    pub fn new(sample_key: u64, ordinal: u64) -> Stream {
        Stream {
            state: mix64(sample_key ^ ordinal.wrapping_mul(GOLDEN)),
        }
    }

    /// Next 64 random bits (SplitMix64).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A uniform number strictly inside (0, 1): `(k + 0.5) / 2^53` for a random 53-bit `k`.
    /// Never 0 or 1, so inverse CDFs and logarithms stay finite.
    #[inline]
    pub fn open01(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64 reference values (seed 1234567: the sequence of Vigna's splitmix64.c).
    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        let mut s = Stream { state: 1_234_567 };
        let got: Vec<u64> = (0..3).map(|_| s.next_u64()).collect();
        assert_eq!(
            got,
            vec![
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn uniforms_are_inside_the_open_interval_with_the_right_mean() {
        let mut s = Stream::new(sample_key(7, 0), 0);
        let n = 100_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = s.open01();
            assert!(u > 0.0 && u < 1.0);
            sum += u;
        }
        let mean = sum / n as f64;
        // sd of the mean = sqrt(1/12 / n) ~ 0.0009
        assert!((mean - 0.5).abs() < 0.004, "{mean}");
    }

    #[test]
    fn keys_differ_by_seed_sample_and_input() {
        let a = Stream::new(sample_key(1, 0), 0).next_u64();
        let b = Stream::new(sample_key(2, 0), 0).next_u64();
        let c = Stream::new(sample_key(1, 1), 0).next_u64();
        let d = Stream::new(sample_key(1, 0), 1).next_u64();
        assert!(a != b && a != c && a != d && b != c && c != d);
    }
}
