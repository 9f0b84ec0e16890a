//! Demand model (MODEL.md §1): servers required in service per market and month, then the new
//! deliveries needed to keep the fleet at that size.

use crate::resolve::MarketInputs;

/// Seconds per day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// Active users of a market in month `t` (offset from start) (MODEL.md §1.1):
/// `base(t) * capable(t) * adoption(t)`.
pub fn active_users(m: &MarketInputs, t: usize) -> f64 {
    let Some(launch) = m.launch_offset_months else {
        return 0.0;
    };
    let since = t as f64 - launch as f64;
    if since < 0.0 {
        return 0.0;
    }
    let y = t as f64 / 12.0;
    let base = m.installed_base_units * libm::pow(1.0 + m.installed_base_growth_per_year, y);
    let capable = m.capable_share_ceiling
        - (m.capable_share_ceiling - m.capable_share_at_start)
            * libm::pow(1.0 - m.upgrade_rate_per_year, y);
    let adoption = m.adoption_ceiling
        / (1.0 + libm::exp(-m.adoption_steepness_per_month * (since - m.adoption_midpoint_months)));
    base * capable * adoption
}

/// Servers required in service for a market in month `t` (MODEL.md §1.2):
/// `users * requests/day * cloud share / 86400 * peak-to-average * server-seconds / utilisation
/// * (1 + headroom)`.
pub fn servers_required(m: &MarketInputs, t: usize) -> f64 {
    let users = active_users(m, t);
    if users == 0.0 {
        return 0.0;
    }
    let y = t as f64 / 12.0;
    let requests_per_day =
        m.requests_per_user_per_day * libm::pow(1.0 + m.requests_growth_per_year, y);
    let seconds = m.server_seconds_per_request * libm::pow(1.0 - m.efficiency_gain_per_year, y);
    let peak_requests_per_second =
        users * requests_per_day * m.cloud_share / SECONDS_PER_DAY * m.peak_to_average;
    peak_requests_per_second * seconds / m.target_utilisation * (1.0 + m.redundancy_headroom)
}

/// Fill `out[t]` with the servers a market requires in each month.
pub fn market_required_fleet(m: &MarketInputs, out: &mut [f64]) {
    for (t, x) in out.iter_mut().enumerate() {
        *x = servers_required(m, t);
    }
}

/// Fleet bookkeeping (MODEL.md §1.3): from the required fleet, the retirements and the new
/// deliveries needed each month.
///
/// * The fleet required in month 0 counts as delivered before the horizon, aged
///   `initial_age_months` at the start; it retires in month `lifetime - initial_age`.
/// * Servers delivered in month `t` retire in month `t + lifetime`.
/// * Each month: in service = last month's in service - retirements; deliveries needed =
///   max(0, required - in service); in service += deliveries.
/// * A shrinking requirement retires nothing early: surplus servers stay in service until their
///   end of life, and retirements are replaced only once the fleet falls below the requirement.
///
/// `lifetime_months` and `initial_age_months` are rounded to whole months (lifetime >= 1,
/// 0 <= age < lifetime). `extra` is added to the need but not tracked as fleet (§1.4).
/// Writes `retirements[t]`, `fleet_deliveries[t]` (replacement + growth) and `need[t]`.
pub fn deliveries_needed(
    required: &[f64],
    lifetime_months: f64,
    initial_age_months: f64,
    extra: &[f64],
    retirements: &mut [f64],
    fleet_deliveries: &mut [f64],
    need: &mut [f64],
) {
    let n = required.len();
    let life = lifetime_months.round().max(1.0) as usize;
    let age = (initial_age_months.round().max(0.0) as usize).min(life - 1);
    let initial = required.first().copied().unwrap_or(0.0);
    let mut in_service = initial;
    for t in 0..n {
        let mut retire = 0.0;
        if t == life - age {
            retire += initial;
        }
        if t >= life {
            retire += fleet_deliveries[t - life];
        }
        retirements[t] = retire;
        in_service -= retire;
        let d = (required[t] - in_service).max(0.0);
        fleet_deliveries[t] = d;
        in_service += d;
        need[t] = d + extra.get(t).copied().unwrap_or(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market() -> MarketInputs {
        MarketInputs {
            installed_base_units: 1_000_000.0,
            installed_base_growth_per_year: 0.0,
            capable_share_at_start: 0.5,
            capable_share_ceiling: 0.5,
            upgrade_rate_per_year: 0.0,
            launch_offset_months: Some(0),
            adoption_ceiling: 0.8,
            adoption_midpoint_months: 0.0,
            adoption_steepness_per_month: 1.0,
            requests_per_user_per_day: 8.64,
            requests_growth_per_year: 0.0,
            cloud_share: 0.5,
            server_seconds_per_request: 2.0,
            efficiency_gain_per_year: 0.0,
            peak_to_average: 2.0,
            target_utilisation: 0.5,
            redundancy_headroom: 0.25,
        }
    }

    /// MODEL.md §1.1-§1.2 by hand: at the midpoint adoption = 0.8/2 = 0.4, users = 1e6 * 0.5 *
    /// 0.4 = 200,000; requests/s = 200,000 * 8.64 * 0.5 / 86,400 = 10; peak 20; busy servers =
    /// 20 * 2 = 40; / 0.5 = 80; * 1.25 = 100.
    #[test]
    fn servers_by_hand_at_the_adoption_midpoint() {
        let m = market();
        assert!((active_users(&m, 0) - 200_000.0).abs() < 1e-6);
        assert!((servers_required(&m, 0) - 100.0).abs() < 1e-9);
    }

    /// §1.1: growth, capable share, launch gate and efficiency compound per year.
    #[test]
    fn yearly_terms_compound() {
        let mut m = market();
        m.installed_base_growth_per_year = 0.10;
        m.capable_share_at_start = 0.2;
        m.capable_share_ceiling = 0.6;
        m.upgrade_rate_per_year = 0.5;
        m.adoption_steepness_per_month = 50.0; // adoption = ceiling after the midpoint
        m.efficiency_gain_per_year = 0.5;
        // t = 12: base 1.1e6, capable 0.6 - 0.4*0.5 = 0.4, adoption 0.8 -> users 352,000.
        assert!((active_users(&m, 12) - 352_000.0).abs() < 1e-3);
        // §1.2 with server-seconds halved after one year (2.0 -> 1.0):
        let s12 = servers_required(&m, 12);
        let expected = 352_000.0 * 8.64 * 0.5 / 86_400.0 * 2.0 * 1.0 / 0.5 * 1.25;
        assert!((s12 - expected).abs() < 1e-9, "{s12} vs {expected}");
        m.launch_offset_months = Some(13);
        assert_eq!(servers_required(&m, 12), 0.0);
        m.launch_offset_months = None;
        assert_eq!(servers_required(&m, 12), 0.0);
    }

    /// §1.3 by hand: lifetime 3, initial fleet 10 aged 1 (retires in month 2).
    #[test]
    fn fleet_growth_replacement_and_shrinking() {
        let required = [10.0, 12.0, 12.0, 15.0, 9.0, 9.0, 9.0, 9.0];
        let extra = [0.0, 0.0, 1.0];
        let n = required.len();
        let (mut r, mut d, mut need) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        deliveries_needed(&required, 3.0, 1.0, &extra, &mut r, &mut d, &mut need);
        // month 0: in service 10 (initial), need 0
        // month 1: +2 growth                          in service 12
        // month 2: initial 10 retire -> 2, need 10     in service 12
        // month 3: none retire (d[0]=0), need 3        in service 15
        // month 4: d[1]=2 retire -> 13 >= 9, need 0    in service 13
        // month 5: d[2]=10 retire -> 3, need 6         in service 9
        // month 6: d[3]=3 retire -> 6, need 3          in service 9
        // month 7: d[4]=0 retire -> 9, need 0
        assert_eq!(r, vec![0.0, 0.0, 10.0, 0.0, 2.0, 10.0, 3.0, 0.0]);
        assert_eq!(d, vec![0.0, 2.0, 10.0, 3.0, 0.0, 6.0, 3.0, 0.0]);
        assert_eq!(need, vec![0.0, 2.0, 11.0, 3.0, 0.0, 6.0, 3.0, 0.0]);
    }
}
