//! Sampling and quantiles of the uncertain inputs (MODEL.md §5.1-§5.2).
//!
//! Every transcendental function comes from the `libm` crate (a pure-Rust port of musl's libm),
//! never from std: std's `exp`/`ln`/`powf` call the platform's maths library natively and another
//! implementation on wasm, which may differ in the last bit. With `libm`, integer random bits and
//! IEEE `+ - * / sqrt`, a sample is the same to the bit everywhere.

use super::rng::Stream;
use crate::uncertain::Uncertain;

/// z of the standard normal at 0.95: a lognormal's p5..p95 spans 2 x this many sigmas.
pub const Z95: f64 = 1.644_853_626_951_472_2;

// AS 241's coefficients, as published (lowest degree first).
#[allow(clippy::excessive_precision)]
const AS241_A: [f64; 8] = [
    3.3871328727963666080e0,
    1.3314166789178437745e+2,
    1.9715909503065514427e+3,
    1.3731693765509461125e+4,
    4.5921953931549871457e+4,
    6.7265770927008700853e+4,
    3.3430575583588128105e+4,
    2.5090809287301226727e+3,
];
#[allow(clippy::excessive_precision)]
const AS241_B: [f64; 8] = [
    1.0,
    4.2313330701600911252e+1,
    6.8718700749205790830e+2,
    5.3941960214247511077e+3,
    2.1213794301586595867e+4,
    3.9307895800092710610e+4,
    2.8729085735721942674e+4,
    5.2264952788528545610e+3,
];
#[allow(clippy::excessive_precision)]
const AS241_C: [f64; 8] = [
    1.42343711074968357734e0,
    4.63033784615654529590e0,
    5.76949722146069140550e0,
    3.64784832476320460504e0,
    1.27045825245236838258e0,
    2.41780725177450611770e-1,
    2.27238449892691845833e-2,
    7.74545014278341407640e-4,
];
#[allow(clippy::excessive_precision)]
const AS241_D: [f64; 8] = [
    1.0,
    2.05319162663775882187e0,
    1.67638483018380384940e0,
    6.89767334985100004550e-1,
    1.48103976427480074590e-1,
    1.51986665636164571966e-2,
    5.47593808499534494600e-4,
    1.05075007164441684324e-9,
];
#[allow(clippy::excessive_precision)]
const AS241_E: [f64; 8] = [
    6.65790464350110377720e0,
    5.46378491116411436990e0,
    1.78482653991729133580e0,
    2.96560571828504891230e-1,
    2.65321895265761230930e-2,
    1.24266094738807843860e-3,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
];
#[allow(clippy::excessive_precision)]
const AS241_F: [f64; 8] = [
    1.0,
    5.99832206555887937690e-1,
    1.36929880922735805310e-1,
    1.48753612908506148525e-2,
    7.86869131145613259100e-4,
    1.84631831751005468180e-5,
    1.42151175831644588870e-7,
    2.04426310338993978564e-15,
];

/// Horner evaluation, highest degree first, in AS 241's order of operations.
#[inline]
fn poly(c: &[f64; 8], r: f64) -> f64 {
    let mut acc = c[7];
    for k in (0..7).rev() {
        acc = acc * r + c[k];
    }
    acc
}

/// Inverse CDF of the standard normal, Wichura's algorithm AS 241 (PPND16), relative accuracy
/// about 1e-16. `p` must be in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&AS241_A, r) / poly(&AS241_B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-libm::log(tail)).sqrt();
    let v = if r <= 5.0 {
        r -= 1.6;
        poly(&AS241_C, r) / poly(&AS241_D, r)
    } else {
        r -= 5.0;
        poly(&AS241_E, r) / poly(&AS241_F, r)
    };
    if q < 0.0 {
        -v
    } else {
        v
    }
}

/// Lognormal sigma from the 90% range: `ln(p95 / p5) / (2 * 1.6448536...)`.
pub fn lognormal_sigma(p5: f64, p95: f64) -> f64 {
    libm::log(p95 / p5) / (2.0 * Z95)
}

/// Gamma(shape >= 1, scale 1) by Marsaglia and Tsang (2000), normals by [`normal_quantile`].
fn gamma_ge1(shape: f64, s: &mut Stream) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = normal_quantile(s.open01());
        let t = 1.0 + c * z;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = s.open01();
        let z2 = z * z;
        if u < 1.0 - 0.0331 * z2 * z2 {
            return d * v;
        }
        if libm::log(u) < 0.5 * z2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

/// PERT shape parameters: alpha = 1 + 4 (m - a) / (b - a), beta = 1 + 4 (b - m) / (b - a).
pub fn pert_shapes(low: f64, likely: f64, high: f64) -> (f64, f64) {
    let w = high - low;
    (
        1.0 + 4.0 * (likely - low) / w,
        1.0 + 4.0 * (high - likely) / w,
    )
}

/// Whether the distribution has zero width (then every sample and quantile is `point()`).
fn degenerate(u: &Uncertain) -> bool {
    let (lo, hi) = u.support();
    match *u {
        Uncertain::Fixed(_) => true,
        Uncertain::Lognormal90 { p5, p95 } => p5 == p95,
        _ => lo == hi,
    }
}

/// One draw of `u` from the stream (MODEL.md §5.2). Zero-width distributions return `point()`
/// exactly, so they reproduce the deterministic run bit for bit.
pub fn sample(u: &Uncertain, s: &mut Stream) -> f64 {
    if degenerate(u) {
        return u.point();
    }
    match *u {
        Uncertain::Fixed(v) => v,
        Uncertain::Uniform { low, high } => low + (high - low) * s.open01(),
        Uncertain::Triangular { low, likely, high } => {
            triangular_quantile(low, likely, high, s.open01())
        }
        Uncertain::Lognormal90 { p5, p95 } => {
            u.point() * libm::exp(lognormal_sigma(p5, p95) * normal_quantile(s.open01()))
        }
        Uncertain::Pert { low, likely, high } => {
            let (a, b) = pert_shapes(low, likely, high);
            let x = gamma_ge1(a, s);
            let y = gamma_ge1(b, s);
            (low + (high - low) * (x / (x + y))).clamp(low, high)
        }
    }
}

/// Inverse CDF of the triangular distribution.
pub fn triangular_quantile(low: f64, likely: f64, high: f64, p: f64) -> f64 {
    let w = high - low;
    if w <= 0.0 {
        return likely;
    }
    let f = (likely - low) / w;
    if p < f {
        low + (p * w * (likely - low)).sqrt()
    } else {
        high - ((1.0 - p) * w * (high - likely)).sqrt()
    }
}

/// The `p`-quantile of `u` (0 < p < 1) (MODEL.md §5.4): closed forms, and for PERT the beta
/// quantile by bisection on the regularised incomplete beta function.
pub fn quantile(u: &Uncertain, p: f64) -> f64 {
    if degenerate(u) {
        return u.point();
    }
    match *u {
        Uncertain::Fixed(v) => v,
        Uncertain::Uniform { low, high } => low + (high - low) * p,
        Uncertain::Triangular { low, likely, high } => triangular_quantile(low, likely, high, p),
        Uncertain::Lognormal90 { p5, p95 } => {
            u.point() * libm::exp(lognormal_sigma(p5, p95) * normal_quantile(p))
        }
        Uncertain::Pert { low, likely, high } => {
            let (a, b) = pert_shapes(low, likely, high);
            low + (high - low) * beta_quantile(a, b, p)
        }
    }
}

/// Median of `u` (the tornado's base value; MODEL.md §5.4).
pub fn median(u: &Uncertain) -> f64 {
    quantile(u, 0.5)
}

/// Regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz).
pub fn beta_cdf(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log(1.0 - x);
    let front = libm::exp(ln_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        // The even and the odd step of the fraction, each by the modified Lentz rule.
        let mut step = |aa: f64| {
            d = 1.0 + aa * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + aa / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            d * c
        };
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let del = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// Quantile of Beta(a, b) by bisection (the CDF is monotone; 100 halvings reach the f64 grid).
pub fn beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_cdf(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::rng::{sample_key, Stream};

    fn draws(u: Uncertain, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| sample(&u, &mut Stream::new(sample_key(42, i as u64), 3)))
            .collect()
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    fn empirical(v: &[f64], p: f64) -> f64 {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        s[((s.len() - 1) as f64 * p).round() as usize]
    }

    #[test]
    fn normal_quantile_matches_known_values() {
        let cases = [
            (0.5, 0.0),
            (0.95, 1.644_853_626_951_472_2),
            (0.9, 1.281_551_565_544_600_4),
            (0.975, 1.959_963_984_540_054),
            (0.025, -1.959_963_984_540_054),
            (1e-10, -6.361_340_902_404_056),
            (1e-6, -4.753_424_308_822_899),
        ];
        for (p, z) in cases {
            let got = normal_quantile(p);
            assert!(
                (got - z).abs() <= 1e-14 * z.abs().max(1.0),
                "p={p}: {got} vs {z}"
            );
        }
    }

    #[test]
    fn beta_cdf_and_quantile_agree_with_closed_forms() {
        // Beta(1,1) is uniform; Beta(2,1) has CDF x^2; Beta(3,3) is symmetric.
        assert!((beta_cdf(1.0, 1.0, 0.3) - 0.3).abs() < 1e-14);
        assert!((beta_cdf(2.0, 1.0, 0.6) - 0.36).abs() < 1e-14);
        assert!((beta_quantile(3.0, 3.0, 0.5) - 0.5).abs() < 1e-14);
        assert!((beta_quantile(2.0, 1.0, 0.25) - 0.5).abs() < 1e-14);
        // Beta(2,5) CDF at 0.3 = 0.579825 (binomial sum: P(Bin(6,0.3) >= 2)).
        assert!((beta_cdf(2.0, 5.0, 0.3) - 0.579_825).abs() < 1e-12);
    }

    #[test]
    fn samples_have_the_documented_moments() {
        let n = 40_000;
        // Uniform(2, 6): mean 4.
        let v = draws(
            Uncertain::Uniform {
                low: 2.0,
                high: 6.0,
            },
            n,
        );
        assert!(v.iter().all(|&x| (2.0..=6.0).contains(&x)));
        assert!((mean(&v) - 4.0).abs() < 0.03);
        // Triangular(6, 10, 15): mean 31/3; sd = sqrt((a²+b²+c²-ab-ac-bc)/18) ~ 1.84.
        let v = draws(Uncertain::tri(6.0, 10.0, 15.0), n);
        assert!(v.iter().all(|&x| (6.0..=15.0).contains(&x)));
        assert!((mean(&v) - 31.0 / 3.0).abs() < 0.04, "{}", mean(&v));
        // PERT(0, 1, 9): mean (0 + 4 + 9) / 6 = 13/6.
        let pert = Uncertain::Pert {
            low: 0.0,
            likely: 1.0,
            high: 9.0,
        };
        let v = draws(pert, n);
        assert!(v.iter().all(|&x| (0.0..=9.0).contains(&x)));
        assert!((mean(&v) - 13.0 / 6.0).abs() < 0.03, "{}", mean(&v));
        // Its median agrees with the beta quantile.
        assert!((empirical(&v, 0.5) - median(&pert)).abs() < 0.04);
        // Lognormal from the 90% range (2, 8): empirical P5, P50, P95 near 2, 4, 8.
        let v = draws(Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 }, n);
        assert!((empirical(&v, 0.05) - 2.0).abs() < 0.05);
        assert!((empirical(&v, 0.5) - 4.0).abs() < 0.06);
        assert!((empirical(&v, 0.95) - 8.0).abs() < 0.25);
    }

    #[test]
    fn zero_width_distributions_are_their_point_exactly() {
        let cases = [
            Uncertain::tri(0.3, 0.3, 0.3),
            Uncertain::Pert {
                low: 7.1,
                likely: 7.1,
                high: 7.1,
            },
            Uncertain::Uniform {
                low: 1e6,
                high: 1e6,
            },
            Uncertain::Lognormal90 { p5: 0.7, p95: 0.7 },
        ];
        for u in cases {
            let mut s = Stream::new(1, 1);
            assert_eq!(sample(&u, &mut s).to_bits(), u.point().to_bits(), "{u:?}");
            assert_eq!(quantile(&u, 0.1).to_bits(), u.point().to_bits(), "{u:?}");
            assert_eq!(quantile(&u, 0.9).to_bits(), u.point().to_bits(), "{u:?}");
        }
    }

    #[test]
    fn quantiles_by_hand() {
        let u = Uncertain::Uniform {
            low: 10.0,
            high: 20.0,
        };
        assert!((quantile(&u, 0.1) - 11.0).abs() < 1e-12);
        // Triangular(0, 0, 1): CDF 1 - (1-x)^2 -> P90 = 1 - sqrt(0.1).
        let t = Uncertain::tri(0.0, 0.0, 1.0);
        assert!((quantile(&t, 0.9) - (1.0 - 0.1f64.sqrt())).abs() < 1e-12);
        // Lognormal: P5 and P95 are the given range.
        let l = Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 };
        assert!((quantile(&l, 0.05) - 2.0).abs() < 1e-12);
        assert!((quantile(&l, 0.95) - 8.0).abs() < 1e-12);
        // PERT(0, 0.5, 1) is Beta(3, 3): symmetric around 0.5.
        let p = Uncertain::Pert {
            low: 0.0,
            likely: 0.5,
            high: 1.0,
        };
        assert!((quantile(&p, 0.1) + quantile(&p, 0.9) - 1.0).abs() < 1e-12);
    }
}

#[cfg(test)]
mod pinned {
    use super::*;
    use crate::montecarlo::rng::{sample_key, Stream};

    /// The same three numbers are asserted in the browser (tests/web_montecarlo.rs).
    #[test]
    fn sampler_bits_are_pinned() {
        let mut s = Stream::new(sample_key(1, 2), 3);
        let l = sample(&Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 }, &mut s);
        let p = sample(
            &Uncertain::Pert {
                low: 0.0,
                likely: 1.0,
                high: 9.0,
            },
            &mut s,
        );
        let q = quantile(
            &Uncertain::Pert {
                low: 0.0,
                likely: 1.0,
                high: 9.0,
            },
            0.9,
        );
        assert_eq!(
            (l.to_bits(), p.to_bits(), q.to_bits()),
            (
                4_615_245_482_599_794_072,
                4_615_355_095_796_008_370,
                4_616_468_760_843_346_105
            ),
            "{:?}",
            (l.to_bits(), p.to_bits(), q.to_bits())
        );
    }
}
