//! The grid's reading, checking and pasting (ARCHITECTURE.md "All sites grid"; MODEL.md §2, §6).

use super::*;
use crate::presets::{base_case, houston_doubles, others_keep_lines, sea_site_slips};
use crate::uncertain::Uncertain;

#[test]
fn a_block_pastes_at_its_anchor_as_one_change() {
    let mut s = base_case();
    let before = s.clone();
    // 2 rows x 3 columns at row 1, capacity: capacity, others' share, qualification.
    let r = paste(
        &mut s,
        1,
        Column::Capacity.index(),
        "700\t45%\t2\r\n1,250\t40\t0\r\n",
    );
    assert_eq!(r.applied.len(), 6, "{r:?}");
    assert!(r.refused.is_empty());
    assert_eq!(r.summary(), "Pasted 6 cells.");
    assert_eq!(
        s.sites[1].capacity[0].units_per_month,
        Uncertain::Fixed(700.0)
    );
    assert_eq!(
        s.sites[2].capacity[0].units_per_month,
        Uncertain::Fixed(1250.0)
    );
    assert_eq!(s.sites[1].other_customers_share[0].share.point(), 0.45);
    assert_eq!(s.sites[2].other_customers_share[0].share.point(), 0.4);
    assert_eq!(s.sites[1].qualification_lead_time_months.point(), 2.0);
    assert_eq!(s.sites[2].qualification_lead_time_months.point(), 0.0);
    // Nothing else moved.
    for (k, (a, b)) in before.sites.iter().zip(&s.sites).enumerate() {
        if k != 1 && k != 2 {
            assert_eq!(a, b);
        }
    }
    assert!(!crate::validate::has_errors(&validate(&s)));
}

#[test]
fn bad_cells_are_refused_and_named_while_good_ones_apply() {
    let mut s = base_case();
    let name0 = s.sites[0].name.clone();
    let r = paste(
        &mut s,
        0,
        Column::Ramp.index(),
        "4\t120%\t$41,000.00\n-1\t90\t1,5\n",
    );
    assert_eq!(
        r.applied,
        vec![(0, Column::Ramp), (0, Column::Price), (1, Column::Yield)]
    );
    assert_eq!(r.refused.len(), 3);
    assert_eq!(
        r.refused[0].to_string(),
        format!("“{name0}”, Yield (% delivered): must be above 0 % and at most 100 %, got 120 %")
    );
    assert_eq!(r.refused[1].column, Column::Ramp);
    assert_eq!(r.refused[1].message, "must be >= 0, got -1");
    assert_eq!(r.refused[2].text, "1,5");
    assert!(
        r.refused[2].message.contains("decimal point"),
        "{}",
        r.refused[2].message
    );
    assert_eq!(
        r.summary(),
        "Pasted 3 of 6 cells; 3 refused (see the marked cells)."
    );
    // The refused cells kept their values.
    assert_eq!(s.sites[0].yield_share, base_case().sites[0].yield_share);
    assert_eq!(s.sites[1].ramp_months, base_case().sites[1].ramp_months);
    assert_eq!(s.sites[0].unit_price_usd.point(), 41_000.0);
    assert_eq!(s.sites[1].yield_share, Uncertain::Fixed(0.9));
}

#[test]
fn a_block_past_the_edges_pastes_what_fits_and_says_so() {
    let mut s = base_case();
    let n = s.sites.len();
    let r = paste(
        &mut s,
        n - 1,
        Column::Yield.index(),
        "90\t40000\textra\tmore\n80\t1\t\n70\n",
    );
    assert_eq!(
        r.applied,
        vec![(n - 1, Column::Yield), (n - 1, Column::Price)]
    );
    assert_eq!(
        (r.rows_outside, r.columns_outside, r.cells_outside),
        (2, 2, 5)
    );
    assert_eq!(r.empty, 0);
    assert!(r.summary().contains("5 cells outside the grid (2 rows below the last site, 2 columns right of Unit price) not pasted"), "{}", r.summary());
    assert_eq!(s.sites.len(), n);
}

#[test]
fn empty_cells_leave_values_and_an_empty_typed_cell_is_refused() {
    let mut s = base_case();
    let r = paste(&mut s, 0, Column::Supplier.index(), "\tTaiwan\t\n");
    assert_eq!(r.applied, vec![(0, Column::Region)]);
    assert_eq!(r.empty, 2);
    assert_eq!(
        r.summary(),
        "Pasted 1 cell. 2 empty cells left as they were."
    );
    let e = edit_cell(&mut s, 0, Column::Capacity, " ").unwrap_err();
    assert_eq!(e.message, "needs a number");
    let e = edit_cell(&mut s, 0, Column::Name, "").unwrap_err();
    assert_eq!(e.message, "must not be empty");
    assert_eq!(s.sites[0].name, base_case().sites[0].name);
}

#[test]
fn names_stay_unique_and_can_be_swapped() {
    let mut s = base_case();
    let (a, b) = (s.sites[0].name.clone(), s.sites[1].name.clone());
    let r = paste(&mut s, 0, 0, &format!("{b}\n{a}\n"));
    assert!(r.refused.is_empty(), "{r:?}");
    assert_eq!(
        (s.sites[0].name.as_str(), s.sites[1].name.as_str()),
        (b.as_str(), a.as_str())
    );
    // A clash with a site outside the block, and two equal names inside it.
    let c = s.sites[5].name.clone();
    let r = paste(&mut s, 0, 0, &format!("{c}\nTwin\nTwin\n"));
    assert!(r.applied.is_empty(), "{r:?}");
    assert_eq!(r.refused.len(), 3);
    assert_eq!(
        r.refused[0].message,
        format!("duplicate name \"{c}\" (also row 6, a site's name must be unique)")
    );
    assert!(r.refused[1].message.starts_with("duplicate name \"Twin\""));
    // Refusing a name brings back the old one, which can clash with another pasted name.
    let mut s = base_case();
    let (a, b, c) = (
        s.sites[0].name.clone(),
        s.sites[1].name.clone(),
        s.sites[5].name.clone(),
    );
    let r = paste(&mut s, 0, 0, &format!("{c}\n{a}\n"));
    assert!(r.applied.is_empty(), "{r:?}");
    assert_eq!(
        r.refused[1].message,
        format!("duplicate name \"{a}\" (also row 1, a site's name must be unique)")
    );
    assert_eq!(
        (s.sites[0].name.as_str(), s.sites[1].name.as_str()),
        (a.as_str(), b.as_str())
    );
    assert_eq!(s, base_case());
}

#[test]
fn regions_are_matched_without_case_and_unknown_ones_refused() {
    let mut s = base_case();
    edit_cell(&mut s, 0, Column::Region, " mexico ").unwrap();
    assert_eq!(s.sites[0].region, "Mexico");
    let e = edit_cell(&mut s, 0, Column::Region, "Atlantis").unwrap_err();
    assert!(
        e.message
            .starts_with("unknown region \"Atlantis\" (supply_regions: Taiwan, "),
        "{}",
        e.message
    );
    assert!(
        e.to_string().contains(", Supply region: unknown region"),
        "{e}"
    );
}

#[test]
fn a_likely_value_moves_its_distribution_keeping_offsets() {
    let mut s = base_case();
    // Price is triangular 0.8p / p / 1.3p: low and high keep their offsets from the likely value.
    let u = s.sites[0].unit_price_usd;
    let (lo, hi) = u.support();
    edit_cell(&mut s, 0, Column::Price, "50000").unwrap();
    let Uncertain::Triangular { low, likely, high } = s.sites[0].unit_price_usd else {
        panic!()
    };
    assert_eq!(likely, 50_000.0);
    assert_eq!(low, lo + 50_000.0 - u.point());
    assert_eq!(high, hi + 50_000.0 - u.point());
    // A share near its bound: the high end stops at 100 %.
    let tri = Uncertain::tri(0.9, 0.95, 0.99);
    let r = Column::Yield.range();
    assert_eq!(move_point(&tri, 0.99, r), Uncertain::tri(0.94, 0.99, 1.0));
    // An excluded bound (yield > 0): the low end stops halfway between it and the value.
    assert_eq!(move_point(&tri, 0.02, r), Uncertain::tri(0.01, 0.02, 0.06));
    // A lognormal keeps its ratios.
    let logn = Uncertain::Lognormal90 { p5: 4.0, p95: 16.0 };
    assert_eq!(
        move_point(&logn, 16.0, Column::Capacity.range()),
        Uncertain::Lognormal90 { p5: 8.0, p95: 32.0 }
    );
    assert_eq!(
        move_point(&logn, 0.0, Column::Capacity.range()),
        Uncertain::Fixed(0.0)
    );
    let unif = Uncertain::Uniform {
        low: 1.0,
        high: 3.0,
    };
    assert_eq!(
        move_point(&unif, 0.5, Column::Ramp.range()),
        Uncertain::Uniform {
            low: 0.0,
            high: 1.5
        }
    );
}

#[test]
fn capacity_and_share_edit_the_first_point_and_move_later_ones() {
    let mut s = base_case();
    // The base case's others' share has a 2026 point after the first (MODEL.md §8).
    let k = s
        .sites
        .iter()
        .position(|x| x.other_customers_share.len() > 1)
        .unwrap();
    let old: Vec<f64> = s.sites[k]
        .other_customers_share
        .iter()
        .map(|p| p.share.point())
        .collect();
    let d = 0.1;
    let text = number_text(crate::number::tidy((old[0] + d) * 100.0));
    edit_cell(&mut s, k, Column::OthersShare, &text).unwrap();
    for (p, o) in s.sites[k].other_customers_share.iter().zip(&old) {
        assert!(
            (p.share.point() - (o + d).min(1.0)).abs() < 1e-12,
            "{p:?} {o}"
        );
    }
    // Capacity: later points move by the same amount, never below 0.
    let mut x = s.sites[0].clone();
    x.capacity.push(crate::scenario::CapacityPoint {
        month: "2025-01".into(),
        units_per_month: Uncertain::Fixed(1400.0),
    });
    s.sites[0] = x;
    edit_cell(&mut s, 0, Column::Capacity, "1000").unwrap();
    let pts: Vec<f64> = s.sites[0]
        .capacity
        .iter()
        .map(|p| p.units_per_month.point())
        .collect();
    assert_eq!(pts, vec![1000.0, 1200.0]);
    edit_cell(&mut s, 0, Column::Capacity, "0").unwrap();
    let pts: Vec<f64> = s.sites[0]
        .capacity
        .iter()
        .map(|p| p.units_per_month.point())
        .collect();
    assert_eq!(pts, vec![0.0, 200.0]);
    // No points: a value adds one at the start month; 0 adds none.
    s.sites[1].capacity.clear();
    s.sites[1].other_customers_share.clear();
    assert_eq!(cell_text(&s, 1, Column::Capacity), "0");
    edit_cell(&mut s, 1, Column::OthersShare, "0").unwrap();
    assert!(s.sites[1].other_customers_share.is_empty());
    edit_cell(&mut s, 1, Column::Capacity, "800").unwrap();
    assert_eq!(s.sites[1].capacity[0].month, s.start_month);
    assert_eq!(
        s.sites[1].capacity[0].units_per_month,
        Uncertain::Fixed(800.0)
    );
}

#[test]
fn number_cells_read_spreadsheet_text() {
    let ok = |t: &str, c: Column| parse_number(t, c).unwrap();
    assert_eq!(ok("1,500", Column::Capacity), 1500.0);
    assert_eq!(ok("1 500.5", Column::Capacity), 1500.5);
    assert_eq!(ok("1\u{a0}500", Column::Capacity), 1500.0);
    assert_eq!(ok("30%", Column::Yield), 30.0);
    assert_eq!(ok("97.5 %", Column::Yield), 97.5);
    assert_eq!(ok("$43,000.00", Column::Price), 43_000.0);
    assert_eq!(ok("US$ 43000", Column::Price), 43_000.0);
    assert_eq!(ok("43000 USD", Column::Price), 43_000.0);
    assert_eq!(ok("1.5e3", Column::Capacity), 1500.0);
    let err = |t: &str, c: Column| parse_number(t, c).unwrap_err();
    assert!(err("1,5", Column::Ramp).contains("a comma only groups thousands"));
    assert!(err("30%", Column::Ramp).starts_with("\"30%\": a percent sign only fits the % columns"));
    assert_eq!(err("lots", Column::Ramp), "\"lots\" is not a number");
    assert_eq!(err("$5", Column::Ramp), "\"$5\" is not a number");
    assert_eq!(
        err("1e999", Column::Ramp),
        "must be a finite number, got \"1e999\""
    );
    assert_eq!(
        complaint(1e13, Column::Capacity).unwrap(),
        "must be at most 1e12 in size, got 10000000000000"
    );
    assert_eq!(
        complaint(0.0, Column::Yield).unwrap(),
        "must be above 0 % and at most 100 %, got 0 %"
    );
    assert_eq!(
        complaint(-1.0, Column::OthersShare).unwrap(),
        "must be between 0 % and 100 %, got -1 %"
    );
    assert_eq!(complaint(100.0, Column::OthersShare), None);
    assert_eq!(number_text(1_234_567.25), "1,234,567.25");
    assert_eq!(number_text(-40_000.0), "-40,000");
    assert_eq!(number_text(999.0), "999");
    assert_eq!(number_text(0.07), "0.07");
}

/// Every cell of every preset pasted back as it is shown changes nothing: what the grid shows
/// reads back to the same value.
#[test]
fn every_cell_reads_back_to_itself() {
    for s0 in [
        base_case(),
        others_keep_lines(),
        sea_site_slips(),
        houston_doubles(),
    ] {
        let mut s = s0.clone();
        let rows: Vec<String> = (0..s.sites.len())
            .map(|r| {
                Column::ALL
                    .iter()
                    .map(|&c| cell_text(&s, r, c))
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect();
        let r = paste(&mut s, 0, 0, &rows.join("\r\n"));
        assert!(r.refused.is_empty(), "{r:?}");
        assert_eq!(r.applied.len(), s.sites.len() * Column::ALL.len());
        assert_eq!(s, s0, "{}", s0.name);
    }
}

/// The whole table copied out (with its header row) and pasted back at the first cell changes
/// nothing; the header row is skipped, not refused.
#[test]
fn the_copied_table_pastes_back_unchanged() {
    let s0 = houston_doubles();
    let text = table_tsv(&s0);
    assert!(
        text.starts_with("Site\tSupplier\tSupply region\tCapacity (units/month, first point)\t"),
        "{text}"
    );
    assert_eq!(text.lines().count(), s0.sites.len() + 1);
    let mut s = s0.clone();
    let r = paste(&mut s, 0, 0, &text);
    assert!(r.header_skipped && r.refused.is_empty(), "{r:?}");
    assert_eq!(s, s0);
    assert!(
        r.summary().ends_with("The header row was skipped."),
        "{}",
        r.summary()
    );
    // Bare labels over part of the grid count as a header too; a row with data does not.
    let r = paste(
        &mut s,
        0,
        Column::Yield.index(),
        "yield\tUnit price\n90\t41000\n",
    );
    assert!(r.header_skipped);
    assert_eq!(r.applied, vec![(0, Column::Yield), (0, Column::Price)]);
    let r = paste(&mut s, 0, Column::Yield.index(), "Yield\t41000\n");
    assert!(!r.header_skipped);
    assert_eq!(r.refused[0].message, "\"Yield\" is not a number");
}
