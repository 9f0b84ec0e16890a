//! Supplier-wide levers (MODEL.md §2.6): the worked example of §2.6 by hand; a lever equals the
//! same change made by hand on each site of its supplier (seeded random levers on every preset);
//! neutral levers change nothing, bit for bit (deterministic run and Monte Carlo); Monte Carlo
//! and the quick risk run apply the lever to every sample.

use rackplan_core::montecarlo::rng::{sample_key, Stream};
use rackplan_core::montecarlo::MonteCarlo;
use rackplan_core::scenario::{SharePoint, SupplierLever};
use rackplan_core::{presets, run, Scenario, Uncertain};
use serde_json::Value;

const EXAMPLE: &str = r#"{
  "schema_version": 3,
  "name": "Supplier lever example (MODEL.md §2.6)",
  "start_month": "2025-01",
  "horizon_months": 6,
  "markets": [{"name": "M", "installed_base_units": 1000, "requests_per_user_per_day": 1,
               "launch_month": "2025-01", "adoption_midpoint_months": 0}],
  "supply_regions": [{"name": "R", "risk_weight": 1}],
  "sites": [{
    "name": "Acme One", "supplier": "Acme", "region": "R",
    "capacity": [{"month": "2025-01", "units_per_month": 1000}],
    "other_customers_share": [{"month": "2025-01", "share": 0.10},
                              {"month": "2025-06", "share": 0.85}],
    "qualification_lead_time_months": 1,
    "ramp_months": 2
  }],
  "supplier_levers": [{"supplier": "Acme", "others_share_points": 20,
                       "capacity_change_percent": -10, "qualification_slip_months": 1}]
}"#;

fn available(s: &Scenario) -> Vec<f64> {
    run(s).unwrap().sites[0].available_per_month.clone()
}

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (t, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() < 1e-9,
            "month {t}: got {g}, want {w}\n{got:?}"
        );
    }
}

/// MODEL.md §2.6, the worked example's table.
#[test]
fn worked_example_of_section_2_6() {
    let mut s = Scenario::from_json_str(EXAMPLE).unwrap();
    close(&available(&s), &[0.0, 0.0, 189.0, 252.0, 126.0, 0.0]);
    s.supplier_levers.clear();
    close(&available(&s), &[0.0, 375.0, 600.0, 450.0, 300.0, 150.0]);
}

/// Seeded uniforms from the Monte Carlo's portable stream (MODEL.md §5.2).
struct Rng(Stream);
impl Rng {
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.0.open01()
    }
}

/// The change a lever makes, made by hand on each site of its supplier (MODEL.md §2.6): every
/// capacity point times (1 + c/100), every share point plus p/100 clamped to 0..1 (a point at
/// the start month when there is none), lead time plus d. Inputs become fixed at the moved
/// point value, so the deterministic runs must agree bit for bit.
fn by_hand(s: &Scenario) -> Scenario {
    let mut h = s.clone();
    h.supplier_levers.clear();
    for site in &mut h.sites {
        let Some(l) = s
            .supplier_levers
            .iter()
            .find(|l| l.supplier == site.supplier)
        else {
            continue;
        };
        if l.capacity_change_percent != 0.0 {
            for p in &mut site.capacity {
                let v = p.units_per_month.point() * (1.0 + l.capacity_change_percent / 100.0);
                p.units_per_month = Uncertain::Fixed(v);
            }
        }
        if l.others_share_points != 0.0 {
            let d = l.others_share_points / 100.0;
            if site.other_customers_share.is_empty() {
                site.other_customers_share.push(SharePoint {
                    month: s.start_month.clone(),
                    share: Uncertain::Fixed(d.clamp(0.0, 1.0)),
                });
            } else {
                for p in &mut site.other_customers_share {
                    p.share = Uncertain::Fixed((p.share.point() + d).clamp(0.0, 1.0));
                }
            }
        }
        if l.qualification_slip_months != 0.0 {
            let lead = site.qualification_lead_time_months.point();
            site.qualification_lead_time_months =
                Uncertain::Fixed(lead + l.qualification_slip_months);
        }
    }
    h
}

fn run_value(s: &Scenario) -> Value {
    match run(s) {
        Ok(r) => serde_json::to_value(r).unwrap(),
        Err(e) => Value::String(format!("error: {e}")),
    }
}

/// A lever on supplier S equals the same change made by hand on each of S's sites, for random
/// levers (some at their limits, some neutral) on every preset.
#[test]
fn a_lever_equals_the_same_edit_on_each_site() {
    let mut rng = Rng(Stream::new(sample_key(0x0001_e7e5, 0), 0));
    let (mut checked, mut moved) = (0, 0);
    for (id, _, base) in presets::presets() {
        // Correlation groups name uncertain inputs; the hand edit fixes them (the
        // deterministic run does not read the groups).
        let mut base = base.clone();
        base.correlations.clear();
        let suppliers: Vec<String> = base.suppliers().iter().map(|x| x.to_string()).collect();
        for round in 0..6 {
            let mut s = base.clone();
            for (k, sup) in suppliers.iter().enumerate() {
                if rng.range(0.0, 1.0) < 0.4 {
                    continue;
                }
                let pick = |rng: &mut Rng, lo: f64, hi: f64| match (round + k) % 4 {
                    0 => 0.0,
                    1 => lo,
                    _ => (rng.range(lo, hi) * 4.0).round() / 4.0,
                };
                s.supplier_levers.push(SupplierLever {
                    supplier: sup.clone(),
                    others_share_points: pick(&mut rng, -100.0, 100.0),
                    capacity_change_percent: pick(&mut rng, -100.0, 300.0),
                    qualification_slip_months: pick(&mut rng, 0.0, 24.0),
                });
            }
            let hand = by_hand(&s);
            let (a, b) = (run_value(&s), run_value(&hand));
            assert!(
                a == b,
                "{id} round {round}: lever and hand edit differ\nlevers: {:?}",
                s.supplier_levers
            );
            checked += 1;
            if a.is_object() && a != run_value(&base) {
                moved += 1;
            }
        }
    }
    assert!(checked >= 30, "{checked}");
    assert!(
        moved >= checked / 2,
        "levers moved the results in {moved} of {checked}"
    );
}

/// Neutral levers (every value 0, also -0) for every supplier give the very same results as no
/// levers: the deterministic run and a Monte Carlo run, bit for bit.
#[test]
fn neutral_levers_change_nothing() {
    for (id, _, s) in presets::presets() {
        let mut z = s.clone();
        for (k, sup) in s.suppliers().iter().enumerate() {
            let mut l = SupplierLever::neutral(*sup);
            if k % 2 == 1 {
                l.others_share_points = -0.0;
                l.qualification_slip_months = -0.0;
            }
            z.supplier_levers.push(l);
        }
        assert_eq!(run_value(&s), run_value(&z), "{id}");
        let mc = |s: &Scenario| {
            let mut m = MonteCarlo::new(s, 40, s.monte_carlo.seed).unwrap();
            m.run_all(40, |_, _| true).unwrap();
            serde_json::to_value(m.summary()).unwrap()
        };
        assert_eq!(mc(&s), mc(&z), "{id} Monte Carlo");
    }
}

/// Every Monte Carlo sample applies the lever to its own drawn values (MODEL.md §2.6): with all
/// capacity of every supplier taken away, no sample has any site capacity; with a slip, the
/// quick risk run's chance of a shortfall does not fall and its backlog grows.
#[test]
fn monte_carlo_and_the_quick_run_see_the_lever() {
    let base = presets::base_case();
    let mut none_left = base.clone();
    for sup in base.suppliers() {
        let mut l = SupplierLever::neutral(sup);
        l.capacity_change_percent = -100.0;
        none_left.supplier_levers.push(l);
    }
    let mut m = MonteCarlo::new(&none_left, 30, 7).unwrap();
    m.run_all(30, |_, _| true).unwrap();
    let summary = m.summary();
    let available = serde_json::to_value(&summary.available).unwrap();
    let all_zero = |v: &Value| -> bool {
        fn walk(v: &Value) -> bool {
            match v {
                Value::Number(n) => n.as_f64() == Some(0.0),
                Value::Array(a) => a.iter().all(walk),
                Value::Object(o) => o.values().all(walk),
                _ => true,
            }
        }
        walk(v)
    };
    assert!(all_zero(&available), "{available}");
    assert_eq!(summary.any_shortfall_probability, 1.0);

    let mut slipped = base.clone();
    slipped.supplier_levers.push(SupplierLever {
        supplier: "Foxconn".into(),
        others_share_points: 30.0,
        capacity_change_percent: 0.0,
        qualification_slip_months: 12.0,
    });
    let q0 = rackplan_core::risk::quick_risk(&base, 200, 11).unwrap();
    let q1 = rackplan_core::risk::quick_risk(&slipped, 200, 11).unwrap();
    assert!(
        q1.any_short >= q0.any_short && q1.backlog_peak_p50 > q0.backlog_peak_p50,
        "the quick risk run must see the lever: {q0:?}\n{q1:?}"
    );
}

/// Levers in files and links from strangers (MODEL.md §6): each bad value is named by its path,
/// in words; a schema 2 scenario holding a `supplier_levers` key (schema 2 ignored it) opens
/// without the lever.
#[test]
fn bad_levers_in_files_and_links_are_named() {
    use rackplan_core::codec::{decode_link, encode_json};
    let file = |levers: &str| {
        let text = format!(r#"{{"schema_version": 3, "name": "x", "supplier_levers": {levers}}}"#);
        match rackplan_core::load::load_json(&text) {
            Ok(_) => "OK".to_string(),
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(
        file(r#"[{"supplier": "Foxconn", "others_share_points": "lots"}]"#),
        "line 1, column 108: supplier_levers[0].others_share_points: must be a number, got the \
         text \"lots\""
    );
    assert_eq!(
        file(r#""Foxconn +20""#),
        "line 1, column 67: supplier_levers: must be a list [ ... ], got the text \"Foxconn +20\""
    );
    assert_eq!(
        file(r#"[{"supplier": "Foxconn", "qualification_slip_months": 1e999}]"#),
        "line 1, column 113: number out of range"
    );
    let link = |json: &str| match decode_link(&encode_json(json)) {
        Ok(l) => {
            let warnings: Vec<String> = l.warnings.iter().map(|w| w.to_string()).collect();
            format!(
                "OK {:?} {}",
                l.scenario.supplier_levers,
                warnings.join("\n")
            )
        }
        Err(e) => e.to_string(),
    };
    let base = rackplan_core::codec::compact_json(&presets::base_case());
    let with = |levers: &str| base.replacen('{', &format!(r#"{{"supplier_levers":{levers},"#), 1);
    assert_eq!(
        link(&with(
            r#"[{"supplier":"Foxconn","capacity_change_percent":-150}]"#
        )),
        "The scenario in this link is not valid:\nsupplier_levers[0].capacity_change_percent: \
         must be between -100 and 1000, got -150"
    );
    // (the levers, what the answer starts with, what it holds)
    for (levers, start, holds) in [
        (
            r#"[{"supplier":"Acme","others_share_points":5}]"#,
            "OK [",
            "supplier_levers[0].supplier: warning: no site has the supplier \"Acme\"",
        ),
        (
            r#"[{"supplier":"Foxconn","others_share_points":[20]}]"#,
            "",
            "supplier_levers[0].others_share_points: must be a number, got a list",
        ),
        (
            r#"[{"supplier":"Foxconn","others_share_points":20}]"#,
            "OK [SupplierLever { supplier: \"Foxconn\", others_share_points: 20.0",
            "",
        ),
    ] {
        let m = link(&with(levers));
        assert!(m.starts_with(start) && m.contains(holds), "{m}");
    }
    let v2 = base
        .replacen(r#""schema_version":3"#, r#""schema_version":2"#, 1)
        .replacen(
            '{',
            r#"{"supplier_levers":[{"supplier":"Foxconn","others_share_points":50}],"#,
            1,
        );
    assert!(
        link(&v2).starts_with("OK [] "),
        "schema 2 ignored the field"
    );
}

/// A capacity that a lever lifts above the limit of MODEL.md §6 stops the run with a message
/// naming the site and the lever.
#[test]
fn a_lever_that_lifts_capacity_past_the_limit_is_named() {
    let mut s = presets::base_case();
    s.sites[0].capacity[0].units_per_month = Uncertain::Fixed(2e11);
    s.supplier_levers
        .push(SupplierLever::neutral(s.sites[0].supplier.clone()));
    s.supplier_levers[0].capacity_change_percent = 1000.0;
    let e = run(&s).unwrap_err().to_string();
    assert!(
        e.starts_with("sites[0].capacity: the capacity of “Foxconn Taiwan” reaches")
            && e.ends_with(
                "above the limit of 1e12 (with the supplier lever supplier_levers[0]: capacity +1000 %)"
            ),
        "{e}"
    );
}

/// Schema 3 kept schema 2's base case, so a v2 link is not "made with an older base case"
/// ([`presets::BASE_CASE_SINCE_SCHEMA`]); a v1 link is.
#[test]
fn the_base_case_is_the_same_since_schema_2() {
    use rackplan_core::presets::BASE_CASE_SINCE_SCHEMA;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    let base = |v: u32| {
        let text = std::fs::read_to_string(dir.join(format!("v{v}/base-case.json"))).unwrap();
        rackplan_core::load::load_json(&text).unwrap().scenario
    };
    assert_eq!(BASE_CASE_SINCE_SCHEMA, 2);
    assert_eq!(base(2), base(3));
    assert_ne!(base(1), base(2));
}
