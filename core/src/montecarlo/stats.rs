//! Percentiles, bands and histograms of Monte Carlo samples (MODEL.md §5.3).

use serde::{Deserialize, Serialize};

/// The percentiles reported for every series and distribution.
pub const PERCENTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Bins of the histograms.
pub const HISTOGRAM_BINS: usize = 24;

/// The `p`-percentiles of `values` (MODEL.md §5.3): linear interpolation between order statistics
/// at rank `h = (n - 1) p` (Hyndman and Fan's type 7, the default of R and NumPy). `values` is
/// reordered. `ps` must be increasing; the result is non-decreasing. Empty input gives NaN.
pub fn percentiles<const K: usize>(values: &mut [f64], ps: &[f64; K]) -> [f64; K] {
    let n = values.len();
    let mut out = [f64::NAN; K];
    if n == 0 {
        return out;
    }
    // Each selection partitions the slice, so the next (higher) rank searches only the right part.
    let mut from = 0;
    let mut prev = f64::NEG_INFINITY;
    for (o, &p) in out.iter_mut().zip(ps) {
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let k = (h.floor() as usize).min(n - 1);
        let frac = h - k as f64;
        let k_rel = k.max(from) - from;
        let (_, &mut lo, right) = values[from..].select_nth_unstable_by(k_rel, f64::total_cmp);
        let lo_val = lo;
        let v = if frac > 0.0 && !right.is_empty() {
            let hi = right.iter().copied().fold(f64::INFINITY, f64::min);
            (lo_val + frac * (hi - lo_val)).clamp(lo_val, hi)
        } else {
            lo_val
        };
        from = k.max(from);
        // Guard against rounding: percentiles never decrease.
        let v = if v < prev { prev } else { v };
        prev = v;
        *o = v;
    }
    out
}

/// Percentile bands of a monthly series (MODEL.md §5.3): one value per month for each of
/// P5, P25, P50, P75 and P95.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Band {
    pub p5: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
}

impl Band {
    /// Bands of a sample-major matrix: `values[s * months + t]` for `samples` samples.
    pub fn from_samples(
        values: &[f64],
        samples: usize,
        months: usize,
        scratch: &mut Vec<f64>,
    ) -> Band {
        let mut b = Band {
            p5: Vec::with_capacity(months),
            p25: Vec::with_capacity(months),
            p50: Vec::with_capacity(months),
            p75: Vec::with_capacity(months),
            p95: Vec::with_capacity(months),
        };
        for t in 0..months {
            scratch.clear();
            scratch.extend((0..samples).map(|s| values[s * months + t]));
            let [a, c, d, e, f] = percentiles(scratch, &PERCENTILES);
            b.p5.push(a);
            b.p25.push(c);
            b.p50.push(d);
            b.p75.push(e);
            b.p95.push(f);
        }
        b
    }
}

/// Equal-width histogram: `counts[i]` samples fall in `[edges[i], edges[i + 1])` (the last bin
/// includes its upper edge). All samples equal -> one bin of zero width.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u32>,
}

/// Summary of one scalar result over the samples (MODEL.md §5.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Distribution {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub histogram: Histogram,
}

impl Distribution {
    /// Summarise `values` (one per sample, in sample order).
    pub fn from_samples(values: &[f64], scratch: &mut Vec<f64>) -> Distribution {
        let n = values.len();
        if n == 0 {
            return Distribution {
                mean: f64::NAN,
                min: f64::NAN,
                max: f64::NAN,
                p5: f64::NAN,
                p25: f64::NAN,
                p50: f64::NAN,
                p75: f64::NAN,
                p95: f64::NAN,
                histogram: Histogram::default(),
            };
        }
        // Sum in sample order: the mean of a prefix does not depend on how it was computed.
        let mean = values.iter().sum::<f64>() / n as f64;
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        scratch.clear();
        scratch.extend_from_slice(values);
        let [p5, p25, p50, p75, p95] = percentiles(scratch, &PERCENTILES);
        let histogram = if max > min {
            let bins = HISTOGRAM_BINS;
            let width = max - min;
            let edges = (0..=bins)
                .map(|i| {
                    if i == bins {
                        max
                    } else {
                        min + width * i as f64 / bins as f64
                    }
                })
                .collect();
            let mut counts = vec![0u32; bins];
            for &v in values {
                let i = (((v - min) / width) * bins as f64) as usize;
                counts[i.min(bins - 1)] += 1;
            }
            Histogram { edges, counts }
        } else {
            Histogram {
                edges: vec![min, max],
                counts: vec![n as u32],
            }
        };
        Distribution {
            mean,
            min,
            max,
            p5,
            p25,
            p50,
            p75,
            p95,
            histogram,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_hand() {
        // 1..=5: type 7 -> P25 = 2, P50 = 3; P5 = 1 + 0.2 * 1 = 1.2; P95 = 4.8.
        let mut v = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        let got = percentiles(&mut v, &PERCENTILES);
        let want = [1.2, 2.0, 3.0, 4.0, 4.8];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
        let mut one = vec![7.0];
        assert_eq!(percentiles(&mut one, &PERCENTILES), [7.0; 5]);
        let mut same = vec![0.1; 100];
        assert_eq!(percentiles(&mut same, &PERCENTILES), [0.1; 5]);
    }

    #[test]
    fn percentiles_match_a_full_sort_and_are_ordered() {
        let mut x: u64 = 99;
        for n in [2usize, 3, 10, 101, 1000] {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    x = crate::montecarlo::rng::mix64(x.wrapping_add(1));
                    (x >> 40) as f64 / 7.0
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let mut work = v.clone();
            let got = percentiles(&mut work, &PERCENTILES);
            for (g, p) in got.iter().zip(PERCENTILES) {
                let h = (n - 1) as f64 * p;
                let k = h.floor() as usize;
                let want = if k + 1 < n {
                    sorted[k] + (h - k as f64) * (sorted[k + 1] - sorted[k])
                } else {
                    sorted[k]
                };
                assert!(
                    (g - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "n={n} p={p}"
                );
            }
            assert!(got.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn histogram_counts_every_sample() {
        let v: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let d = Distribution::from_samples(&v, &mut Vec::new());
        assert_eq!(d.histogram.counts.iter().sum::<u32>(), 100);
        assert_eq!(d.histogram.edges.len(), HISTOGRAM_BINS + 1);
        assert_eq!((d.min, d.max, d.mean), (0.0, 99.0, 49.5));
        let d = Distribution::from_samples(&[3.0; 10], &mut Vec::new());
        assert_eq!(d.histogram.counts, vec![10]);
        assert_eq!((d.p5, d.p95), (3.0, 3.0));
    }
}
