//! Supply model (MODEL.md §2): capacity available to us per site and month, and its unit cost.

use crate::resolve::SiteInputs;

/// Piecewise-linear value at month offset `t` (MODEL.md §2.1): flat before the first point and
/// after the last; linear in between. No points -> `empty`.
///
/// Exact at the points: at a point's month the value is the point's value, bit for bit (a
/// capacity that falls to 0 is 0 there, a share that rises to 1 is 1). Between two points the
/// value never leaves the range of their two values, whatever the rounding.
pub fn piecewise(points: &[(f64, f64)], t: f64, empty: f64) -> f64 {
    let Some(&(m0, v0)) = points.first() else {
        return empty;
    };
    if t <= m0 {
        return v0;
    }
    for w in points.windows(2) {
        let (a, va) = w[0];
        let (b, vb) = w[1];
        if t < b && b > a {
            // a < t < b here (t <= a was answered by the point before).
            let v = va + (vb - va) * (t - a) / (b - a);
            return v.clamp(va.min(vb), va.max(vb));
        }
        if t <= b {
            return vb;
        }
    }
    points[points.len() - 1].1
}

/// Qualification and ramp factor in month `t` (MODEL.md §2.3):
/// `clamp((t + 1 - q) / max(ramp, 1), 0, 1)`, where `q` is the month of the first unit.
pub fn ramp_factor(site: &SiteInputs, t: usize) -> f64 {
    ((t as f64 + 1.0 - site.first_unit_offset_months) / site.ramp_months.max(1.0)).clamp(0.0, 1.0)
}

/// Capacity of a site at full qualification in month `t`, units/month:
/// nominal * (1 - other customers' share) * yield (MODEL.md §2).
pub fn full_rate_per_month(site: &SiteInputs, t: usize) -> f64 {
    let nominal = piecewise(&site.capacity, t as f64, 0.0);
    let others = piecewise(&site.other_customers_share, t as f64, 0.0);
    let v = nominal * (1.0 - others) * site.yield_share;
    if v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Capacity available to us in month `t`, units/month: full rate * ramp factor (MODEL.md §2),
/// never below 0.
pub fn available_per_month(site: &SiteInputs, t: usize) -> f64 {
    available_from(full_rate_per_month(site, t), ramp_factor(site, t))
}

/// `full_rate * ramp`, never below 0 (MODEL.md §2.4); -0.0 becomes 0.0.
pub fn available_from(full_rate: f64, ramp: f64) -> f64 {
    let v = full_rate * ramp;
    if v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Unit price in month `t`, USD/unit: `price * (1 + change)^(t/12)` (MODEL.md §2.5).
pub fn unit_cost_usd(site: &SiteInputs, t: usize) -> f64 {
    site.unit_price_usd * price_factor(site.price_change_per_year, t)
}

/// The price change factor of month `t`: `(1 + change)^(t/12)`. [`unit_cost_usd`] is
/// `unit_price_usd * price_factor(price_change_per_year, t)`, so a caller may keep the factors of
/// a change rate and multiply (same bits).
pub fn price_factor(price_change_per_year: f64, t: usize) -> f64 {
    libm::pow(1.0 + price_change_per_year, t as f64 / 12.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteInputs {
        SiteInputs {
            supplier: 0,
            region: 0,
            capacity: vec![(2.0, 100.0), (6.0, 300.0)],
            other_customers_share: vec![(0.0, 0.5), (4.0, 0.25)],
            qualification_lead_time_months: 3.0,
            first_unit_offset_months: 3.0,
            ramp_months: 4.0,
            yield_share: 0.8,
            unit_price_usd: 1000.0,
            price_change_per_year: -0.19,
            spot_premium_share: 0.0,
        }
    }

    /// MODEL.md §2.1: flat before the first point and after the last, linear between.
    #[test]
    fn piecewise_is_flat_outside_and_linear_inside() {
        let s = site();
        let got: Vec<f64> = (0..8)
            .map(|t| piecewise(&s.capacity, t as f64, 0.0))
            .collect();
        assert_eq!(
            got,
            vec![100.0, 100.0, 100.0, 150.0, 200.0, 250.0, 300.0, 300.0]
        );
        assert_eq!(piecewise(&[], 3.0, 7.0), 7.0);
        assert_eq!(piecewise(&[(5.0, 2.0)], 0.0, 7.0), 2.0);
    }

    /// MODEL.md §2.3: first unit in month 3, ramp over 4 months.
    #[test]
    fn ramp_by_hand() {
        let s = site();
        let got: Vec<f64> = (0..8).map(|t| ramp_factor(&s, t)).collect();
        assert_eq!(got, vec![0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0]);
        let mut q = site();
        q.ramp_months = 0.0; // counts as 1: full rate from the first unit
        q.first_unit_offset_months = 2.5; // half of month 2 is after the first unit
        assert_eq!(ramp_factor(&q, 1), 0.0);
        assert_eq!(ramp_factor(&q, 2), 0.5);
        assert_eq!(ramp_factor(&q, 3), 1.0);
    }

    /// MODEL.md §2: available = nominal * (1 - others) * ramp * yield, by hand.
    #[test]
    fn available_by_hand() {
        let s = site();
        let got: Vec<f64> = (2..8).map(|t| available_per_month(&s, t)).collect();
        // t=3: 150 * (1-0.3125) * 0.25 * 0.8 = 20.625; t=4: 200 * 0.75 * 0.5 * 0.8 = 60;
        // t=5: 250 * 0.75 * 0.75 * 0.8 = 112.5; t>=6: 300 * 0.75 * 0.8 = 180.
        let want = [0.0, 20.625, 60.0, 112.5, 180.0, 180.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{got:?}");
        }
    }

    /// MODEL.md §2.5: -19 %/yr -> 810 after one year, 656.1 after two, compounding monthly.
    #[test]
    fn price_changes_yearly() {
        let s = site();
        assert!((unit_cost_usd(&s, 0) - 1000.0).abs() < 1e-9);
        assert!((unit_cost_usd(&s, 12) - 810.0).abs() < 1e-9);
        assert!((unit_cost_usd(&s, 24) - 656.1).abs() < 1e-9);
        assert!((unit_cost_usd(&s, 6) - 900.0).abs() < 1e-9);
    }

    /// The cached-factor form the engine uses gives the same bits as `unit_cost_usd`.
    #[test]
    fn price_factor_times_price_is_unit_cost() {
        let mut s = site();
        for change in [-0.19, -0.03, 0.0, 0.07, 1.5] {
            s.price_change_per_year = change;
            for t in 0..240 {
                let via_factor = s.unit_price_usd * price_factor(change, t);
                assert_eq!(via_factor.to_bits(), unit_cost_usd(&s, t).to_bits());
            }
        }
    }
}
