//! Explanations that name names (MODEL.md §4.2 server-months short, over the uncovered backlog
//! of §4.7; §4.6 ramping sites).

use rackplan_core::metrics::{short_tolerance, ShortReason};

#[test]
fn server_months_short_is_the_sum_of_the_short_months_backlog() {
    for (name, _, scenario) in rackplan_core::presets::presets() {
        let r = rackplan_core::run(&scenario).unwrap();
        let tol = short_tolerance(&r.deliveries_needed);
        // The uncovered backlog: what neither owned nor rented servers cover (MODEL.md §4.7).
        let want: f64 = r
            .backlog
            .iter()
            .zip(&r.rented)
            .map(|(b, x)| b - x)
            .filter(|&b| b > tol)
            .sum();
        assert_eq!(r.metrics.server_months_short, want, "{}", name);
        let by_months: f64 = r.metrics.shortfalls.iter().map(|s| s.backlog_units).sum();
        assert!((by_months - want).abs() <= 1e-9 * want.max(1.0));
    }
}

#[test]
fn short_months_name_the_sites_still_ramping() {
    let mut named = 0;
    for (name, _, scenario) in rackplan_core::presets::presets() {
        let r = rackplan_core::run(&scenario).unwrap();
        for sf in &r.metrics.shortfalls {
            // What the named sites lack adds up to the month's missing capacity.
            let sum: f64 = sf.ramping_sites.iter().map(|x| x.missing_units).sum();
            assert!(
                (sum - sf.not_yet_qualified_units).abs()
                    <= 1e-6 * sf.not_yet_qualified_units.max(1.0),
                "{} {}: {sum} vs {}",
                name,
                sf.month,
                sf.not_yet_qualified_units
            );
            if sf.reason == ShortReason::NotYetQualified {
                assert!(!sf.ramping_sites.is_empty(), "{} {}", name, sf.month);
            }
            for w in sf.ramping_sites.windows(2) {
                assert!(w[0].missing_units >= w[1].missing_units);
            }
            for x in &sf.ramping_sites {
                named += 1;
                let site = r.sites.iter().find(|s| s.name == x.name).unwrap();
                // The first-unit month is the site's first month with capacity for us.
                let first = site.available_per_month.iter().position(|&a| a > 0.0);
                if let Some(m) = &x.first_unit_month {
                    let t = r.months.iter().position(|l| l == m).unwrap();
                    assert!(site.available_per_month[t] > 0.0);
                    assert!(t >= first.unwrap());
                } else {
                    assert_eq!(
                        first, None,
                        "no first-unit month: no capacity in the horizon"
                    );
                }
            }
        }
    }
    assert!(
        named > 0,
        "some preset has a short month with a ramping site"
    );
}
