//! The quick risk run of the first screen (MODEL.md §5.6).

use rackplan_core::montecarlo::MonteCarlo;
use rackplan_core::risk::{pct0, quick_risk, tightest_month, QuickRisk};
use rackplan_core::Uncertain;

#[test]
fn base_case_quick_risk_matches_the_full_monte_carlo() {
    let s = rackplan_core::presets::base_case();
    let seed = s.monte_carlo.seed;
    let r = quick_risk(&s, 200, seed).unwrap();
    let mut mc = MonteCarlo::new(&s, 200, seed).unwrap();
    mc.run_all(50, |_, _| true).unwrap();
    let full = mc.summary();
    assert_eq!(r.samples, 200);
    assert!(r.uncertain_inputs > 0);
    assert_eq!(r.any_short, full.any_shortfall_probability);
    // P50s agree with the panel's distributions (same percentile definition).
    assert_eq!(r.backlog_peak_p50, full.backlog_peak_units.p50);
    assert_eq!(r.cost_p50, full.total_cost_usd.p50);
    assert_eq!(r.service_level_p5, full.service_level.p5);
    assert_eq!(r.unmet_p95, full.unmet_units.p95);
    assert!(r.backlog_peak_p50 <= r.backlog_peak_p90);
    assert!(r.backlog_peak_p90 <= full.backlog_peak_units.p95);
    assert!(r.cost_p50 <= r.cost_p90);
    // "Most likely from": the first month more than half of the samples are short.
    let first = full.shortfall_probability.iter().position(|&p| p > 0.5);
    assert_eq!(r.short_from, first.map(|t| full.months[t].clone()));
    // The same seed gives the same figures.
    assert_eq!(quick_risk(&s, 200, seed).unwrap(), r);
    assert_eq!(QuickRisk::from_json(&r.to_json()).unwrap(), r);
    let text = r.sentence();
    assert!(
        text.contains("chance of running short") || text.starts_with("No shortfall"),
        "{text}"
    );
    assert!(text.contains("the tightest month is"), "{text}");
}

#[test]
fn a_scenario_without_uncertain_inputs_says_so() {
    // Every distribution in the file replaced by its likely value.
    fn fix(v: &mut serde_json::Value) {
        if let Ok(u) = serde_json::from_value::<Uncertain>(v.clone()) {
            if u.is_uncertain() {
                *v = serde_json::json!(u.point());
                return;
            }
        }
        match v {
            serde_json::Value::Object(m) => m.values_mut().for_each(fix),
            serde_json::Value::Array(a) => a.iter_mut().for_each(fix),
            _ => {}
        }
    }
    let mut json: serde_json::Value =
        serde_json::from_str(&rackplan_core::presets::base_case().to_json()).unwrap();
    fix(&mut json);
    let s = rackplan_core::Scenario::parse_json(&json.to_string()).unwrap();
    let r = quick_risk(&s, 20, 1).unwrap();
    assert_eq!(r.uncertain_inputs, 0);
    assert!(r.any_short == 0.0 || r.any_short == 1.0);
    assert!(
        r.sentence().starts_with("No input is uncertain"),
        "{}",
        r.sentence()
    );
}

#[test]
fn tightest_month_counts_what_is_still_owed() {
    // Month 1 has more spare against its own need, but owes month 0's backlog.
    let need = [100.0, 50.0, 100.0];
    let available = [90.0, 70.0, 130.0];
    let backlog = [10.0, 0.0, 0.0];
    let (t, spare) = tightest_month(&need, &available, &backlog).unwrap();
    assert_eq!(t, 0);
    assert!((spare - (-0.1)).abs() < 1e-12);
    // Without the debt, month 2 (130/100 - 1 = 30 %) is tighter than month 1 (70/50 - 1 = 40 %).
    let (t, spare) = tightest_month(&need[1..], &available[1..], &[0.0, 0.0]).unwrap();
    assert_eq!(t, 1);
    assert!((spare - 0.3).abs() < 1e-12);
    // Nothing due: no tightest month.
    assert_eq!(tightest_month(&[0.0], &[5.0], &[0.0]), None);
}

#[test]
fn whole_percents_do_not_claim_certainty() {
    assert_eq!(pct0(0.59), "59 %");
    assert_eq!(pct0(0.001), "< 1 %");
    assert_eq!(pct0(0.999), "> 99 %");
    assert_eq!(pct0(0.0), "0 %");
    assert_eq!(pct0(1.0), "100 %");
}
