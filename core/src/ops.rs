//! Row operations on a scenario (add, remove, duplicate, move, rename) that keep the references
//! between tables consistent: the priority order and fixed-split shares index the sites, and
//! sites name their supply region; and the conversions between kinds of distribution the editor offers. Plain functions, tested natively (`cargo test -p rackplan-core`).

use crate::scenario::{
    CapacityPoint, ExtraDemand, Market, PolicyChoice, Scenario, SharePoint, Site, SupplyRegion,
};
use crate::Uncertain;

pub use crate::table::Table;

/// A name like `base 2`, not used by any of `taken`.
pub fn unique_name(base: &str, taken: &[String]) -> String {
    (1..)
        .map(|n| {
            if n == 1 && !base.ends_with(char::is_numeric) {
                base.to_string()
            } else {
                format!("{base} {n}")
            }
        })
        .find(|c| !taken.iter().any(|t| t == c))
        .expect("some name is free")
}

pub fn names(s: &Scenario, t: Table) -> Vec<String> {
    (0..t.len(s)).map(|i| t.name(s, i)).collect()
}

/// Per-row flags (`flags[i]` belongs to row `old[i]`) carried over to the rows `new` of the same
/// table after the scenario changed (a row added, moved, copied or removed, a name typed, undo,
/// redo, a new scenario): each row takes the flag of the old row it continues
/// ([`crate::csv_io::continued_rows`]: same name at its position, else the nearest old
/// row of its name, else the old row at its position if renamed in place); a new row is unflagged.
pub fn follow_rows(old: &[String], flags: &[bool], new: &[String]) -> Vec<bool> {
    crate::csv_io::continued_rows(old, new)
        .into_iter()
        .map(|f| f.and_then(|i| flags.get(i).copied()).unwrap_or(false))
        .collect()
}

/// Append a new row with sensible figures; returns its index. The scenario-wide settings have
/// no rows: nothing is added there (returns 0).
pub fn add_row(s: &mut Scenario, t: Table) -> usize {
    match t {
        Table::Scenario => 0,
        Table::Markets => {
            let name = unique_name("New market", &names(s, t));
            s.markets.push(Market {
                name,
                installed_base_units: Uncertain::Fixed(10_000_000.0),
                capable_share_at_start: Uncertain::Fixed(0.3),
                capable_share_ceiling: Uncertain::Fixed(0.9),
                upgrade_rate_per_year: Uncertain::Fixed(0.25),
                launch_month: Some(s.start_month.clone()),
                adoption_ceiling: Uncertain::Fixed(0.4),
                adoption_midpoint_months: Uncertain::Fixed(9.0),
                adoption_steepness_per_month: Uncertain::Fixed(0.4),
                requests_per_user_per_day: Uncertain::Fixed(5.0),
                cloud_share: Uncertain::Fixed(0.3),
                server_seconds_per_request: Uncertain::Fixed(1.0),
                peak_to_average: Uncertain::Fixed(2.0),
                target_utilisation: Uncertain::Fixed(0.6),
                redundancy_headroom: Uncertain::Fixed(0.2),
                ..Market::default()
            });
            s.markets.len() - 1
        }
        Table::SupplyRegions => {
            let name = unique_name("New region", &names(s, t));
            s.supply_regions.push(SupplyRegion {
                name,
                risk_weight: Uncertain::Fixed(0.5),
                ..SupplyRegion::default()
            });
            s.supply_regions.len() - 1
        }
        Table::Sites => {
            let name = unique_name("New site", &names(s, t));
            if s.supply_regions.is_empty() {
                add_row(s, Table::SupplyRegions);
            }
            let price = s
                .sites
                .first()
                .map_or(40_000.0, |x| x.unit_price_usd.point());
            s.sites.push(Site {
                supplier: name.clone(),
                name,
                region: s.supply_regions[0].name.clone(),
                capacity: vec![CapacityPoint {
                    month: s.start_month.clone(),
                    units_per_month: Uncertain::Fixed(500.0),
                }],
                other_customers_share: vec![SharePoint {
                    month: s.start_month.clone(),
                    share: Uncertain::Fixed(0.5),
                }],
                qualification_lead_time_months: Uncertain::Fixed(6.0),
                ramp_months: Uncertain::Fixed(3.0),
                unit_price_usd: Uncertain::Fixed(price),
                ..Site::default()
            });
            let i = s.sites.len() - 1;
            match &mut s.sourcing.policy {
                PolicyChoice::Priority { order } if !order.is_empty() => order.push(i),
                PolicyChoice::FixedSplit { shares } => shares.push(0.0),
                _ => {}
            }
            i
        }
        Table::ExtraDemand => {
            let name = unique_name("Extra demand", &names(s, t));
            s.extra_demand.push(ExtraDemand {
                name,
                start_month: None,
                units_per_month: vec![100.0; 12],
                scale: Uncertain::Fixed(1.0),
                ..ExtraDemand::default()
            });
            s.extra_demand.len() - 1
        }
    }
}

/// Remove row `i`.
pub fn remove_row(s: &mut Scenario, t: Table, i: usize) {
    if i >= t.len(s) {
        return;
    }
    match t {
        Table::Scenario => {}
        Table::Markets => {
            s.markets.remove(i);
        }
        Table::SupplyRegions => {
            s.supply_regions.remove(i);
        }
        Table::ExtraDemand => {
            s.extra_demand.remove(i);
        }
        Table::Sites => {
            s.sites.remove(i);
            match &mut s.sourcing.policy {
                PolicyChoice::Priority { order } => {
                    order.retain(|&x| x != i);
                    order.iter_mut().filter(|x| **x > i).for_each(|x| *x -= 1);
                }
                PolicyChoice::FixedSplit { shares } if i < shares.len() => {
                    shares.remove(i);
                }
                _ => {}
            }
        }
    }
}

/// Insert a copy of row `i` named `name` right after it.
fn copy_after<T: Clone>(
    rows: &mut Vec<T>,
    i: usize,
    name: String,
    name_of: fn(&mut T) -> &mut String,
) {
    let mut r = rows[i].clone();
    *name_of(&mut r) = name;
    rows.insert(i + 1, r);
}

/// Insert a copy of row `i` right after it, with a new name; returns the copy's index.
pub fn duplicate_row(s: &mut Scenario, t: Table, i: usize) -> Option<usize> {
    if i >= t.len(s) {
        return None;
    }
    let taken = names(s, t);
    let name = unique_name(&format!("{} copy", t.name(s, i)), &taken);
    let j = i + 1;
    match t {
        Table::Scenario => {}
        Table::Markets => copy_after(&mut s.markets, i, name, |r| &mut r.name),
        Table::SupplyRegions => copy_after(&mut s.supply_regions, i, name, |r| &mut r.name),
        Table::ExtraDemand => copy_after(&mut s.extra_demand, i, name, |r| &mut r.name),
        Table::Sites => {
            copy_after(&mut s.sites, i, name, |r| &mut r.name);
            match &mut s.sourcing.policy {
                PolicyChoice::Priority { order } => {
                    order.iter_mut().filter(|x| **x >= j).for_each(|x| *x += 1);
                    if let Some(p) = order.iter().position(|&x| x == i) {
                        order.insert(p + 1, j);
                    }
                }
                PolicyChoice::FixedSplit { shares } if i < shares.len() => {
                    let v = shares[i];
                    shares.insert(j, v);
                }
                _ => {}
            }
        }
    }
    Some(j)
}

/// Move row `i` to position `j` (the rows between shift by one).
pub fn move_row(s: &mut Scenario, t: Table, i: usize, j: usize) {
    let n = t.len(s);
    if i >= n || j >= n || i == j {
        return;
    }
    fn mv<T>(v: &mut Vec<T>, i: usize, j: usize) {
        let x = v.remove(i);
        v.insert(j, x);
    }
    match t {
        Table::Scenario => {}
        Table::Markets => mv(&mut s.markets, i, j),
        Table::SupplyRegions => mv(&mut s.supply_regions, i, j),
        Table::ExtraDemand => mv(&mut s.extra_demand, i, j),
        Table::Sites => {
            mv(&mut s.sites, i, j);
            // New index of the site that was at old index k.
            let remap = |k: usize| {
                if k == i {
                    j
                } else if i < j && k > i && k <= j {
                    k - 1
                } else if j < i && k >= j && k < i {
                    k + 1
                } else {
                    k
                }
            };
            match &mut s.sourcing.policy {
                PolicyChoice::Priority { order } => order.iter_mut().for_each(|x| *x = remap(*x)),
                PolicyChoice::FixedSplit { shares } if i < shares.len() && j < shares.len() => {
                    mv(shares, i, j)
                }
                _ => {}
            }
        }
    }
}

/// The sites a supply region's rename carries along, remembered between the keystrokes of one
/// rename: typed letter by letter, "Vietnam" may pass through "Taiwan" (another region's name)
/// on its way to "Taiwan 2", and its sites must not be mixed up with Taiwan's own meanwhile.
#[derive(Debug, Clone, Default)]
pub struct RegionRename {
    /// The name the last rename gave the region.
    name: String,
    /// The sites that moved with it.
    sites: Vec<usize>,
}

/// Rename supply region `i`, and every site standing in it. `memo` carries the region's sites
/// from one call to the next while the name keeps changing (see [`RegionRename`]).
pub fn rename_region(s: &mut Scenario, i: usize, name: String, memo: &mut Option<RegionRename>) {
    let Some(old) = s.supply_regions.get(i).map(|r| r.name.clone()) else {
        return;
    };
    let memo_sites = memo.take().filter(|m| m.name == old).map(|m| m.sites);
    let sites: Vec<usize> = if s.supply_regions.iter().filter(|r| r.name == old).count() == 1 {
        // The region's name is its own: its sites are those named after it.
        s.sites
            .iter()
            .enumerate()
            .filter(|(_, x)| x.region == old)
            .map(|(k, _)| k)
            .collect()
    } else {
        // Another region has the same name: only the sites this rename carried are its own.
        memo_sites
            .unwrap_or_default()
            .into_iter()
            .filter(|&k| s.sites.get(k).is_some_and(|x| x.region == old))
            .collect()
    };
    s.supply_regions[i].name = name.clone();
    for &k in &sites {
        s.sites[k].region = name.clone();
    }
    *memo = Some(RegionRename { name, sites });
}

/// Switch the sourcing policy, filling in the priority order or shares from the site table.
pub fn set_policy_kind(s: &mut Scenario, kind: &str) {
    let n = s.sites.len();
    s.sourcing.policy = match kind {
        "priority" => PolicyChoice::Priority {
            order: (0..n).collect(),
        },
        "fixed_split" => PolicyChoice::FixedSplit {
            shares: vec![1.0; n],
        },
        _ => PolicyChoice::LeastCost,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn flags_follow_rows_by_name() {
        let old = v(&["A", "B", "C", "D"]);
        let open = [false, false, true, false];
        // A removed: C is now second.
        assert_eq!(
            follow_rows(&old, &open, &v(&["B", "C", "D"])),
            [false, true, false]
        );
        // Undo of that removal: C third again, A back closed.
        assert_eq!(
            follow_rows(&v(&["B", "C", "D"]), &[false, true, false], &old),
            [false, false, true, false]
        );
        // C and B swapped; a copy of B inserted.
        assert_eq!(
            follow_rows(&old, &open, &v(&["A", "C", "B", "B copy", "D"])),
            [false, true, false, false, false]
        );
        // C renamed in place (undo of a rename): keeps its flag.
        assert_eq!(
            follow_rows(&old, &open, &v(&["A", "B", "Cx", "D"])),
            [false, false, true, false]
        );
        // Repeated names: the nearest old row's flag.
        assert_eq!(
            follow_rows(
                &v(&["X", "X", "X"]),
                &[false, false, true],
                &v(&["X", "X", "X", "X"])
            ),
            [false, false, true, false]
        );
        // A name typed in an open row passes through another row's name: the row stays open.
        assert_eq!(
            follow_rows(&v(&["A", "B"]), &[true, false], &v(&["B", "B"])),
            [true, false]
        );
        // Flags shorter than the rows (never-opened rows), and an empty table.
        assert_eq!(
            follow_rows(&old, &[false, true], &v(&["B", "A"])),
            [true, false]
        );
        assert!(follow_rows(&old, &open, &[]).is_empty());
    }

    fn three_sites() -> Scenario {
        let mut s = Scenario::default();
        for _ in 0..3 {
            add_row(&mut s, Table::Sites);
        }
        s
    }

    #[test]
    fn new_rows_get_unique_names() {
        let s = three_sites();
        let n: Vec<_> = s.sites.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(n, ["New site", "New site 2", "New site 3"]);
        assert_eq!(s.supply_regions.len(), 1);
    }

    #[test]
    fn priority_order_follows_site_moves() {
        let mut s = three_sites();
        s.sourcing.policy = PolicyChoice::Priority {
            order: vec![2, 0, 1],
        };
        let names = |s: &Scenario| match &s.sourcing.policy {
            PolicyChoice::Priority { order } => order
                .iter()
                .map(|&i| s.sites[i].name.clone())
                .collect::<Vec<_>>(),
            _ => unreachable!(),
        };
        let before = names(&s);
        move_row(&mut s, Table::Sites, 0, 2);
        assert_eq!(names(&s), before);
        move_row(&mut s, Table::Sites, 2, 1);
        assert_eq!(names(&s), before);
        duplicate_row(&mut s, Table::Sites, 0);
        assert_eq!(s.sites.len(), 4);
        remove_row(&mut s, Table::Sites, 1);
        assert!(crate::validate(&s)
            .iter()
            .all(|i| !i.path.starts_with("sourcing")));
    }

    #[test]
    fn fixed_split_shares_follow_rows() {
        let mut s = three_sites();
        s.sourcing.policy = PolicyChoice::FixedSplit {
            shares: vec![0.1, 0.2, 0.7],
        };
        move_row(&mut s, Table::Sites, 2, 0);
        duplicate_row(&mut s, Table::Sites, 0);
        remove_row(&mut s, Table::Sites, 1);
        assert_eq!(
            s.sourcing.policy,
            PolicyChoice::FixedSplit {
                shares: vec![0.7, 0.1, 0.2]
            }
        );
    }

    #[test]
    fn renaming_a_region_moves_its_sites() {
        let mut s = three_sites();
        rename_region(&mut s, 0, "Mexico".into(), &mut None);
        assert!(s.sites.iter().all(|x| x.region == "Mexico"));
    }

    #[test]
    fn a_rename_passing_through_another_regions_name_keeps_the_sites_apart() {
        let mut s = three_sites();
        let first = s.supply_regions[0].name.clone();
        add_row(&mut s, Table::SupplyRegions);
        s.supply_regions[1].name = "Vietnam".into();
        s.sites[2].region = "Vietnam".into();
        let mut memo = None;
        // "Vietnam" typed over, letter by letter, to "<first> 2": one step is "<first>".
        let target = format!("{first} 2");
        for n in 1..=target.len() {
            rename_region(&mut s, 1, target[..n].to_string(), &mut memo);
        }
        let regions: Vec<_> = s.sites.iter().map(|x| x.region.as_str()).collect();
        assert_eq!(regions, [first.as_str(), first.as_str(), target.as_str()]);
        // A later, separate rename of the first region takes only its own sites.
        rename_region(&mut s, 0, "Taiwan".into(), &mut None);
        let regions: Vec<_> = s.sites.iter().map(|x| x.region.as_str()).collect();
        assert_eq!(regions, ["Taiwan", "Taiwan", target.as_str()]);
    }
}

/// Uncertain-input edits used by the editor (number <-> distribution).
pub mod uncertain {
    use crate::number::tidy;
    use crate::range::Range;
    use crate::Uncertain;

    pub use crate::uncertain::{Kind, KINDS};

    /// The editor's name of a distribution kind (`"tri"` -> "triangular"); `None` for a
    /// number or an unknown key.
    pub fn kind_label(key: &str) -> Option<&'static str> {
        Kind::by_key(key)
            .filter(|k| k.is_distribution())
            .map(|k| k.label)
    }

    /// The editor's names of a kind's parameters, in [`Uncertain::params`] order.
    pub fn param_names(key: &str) -> Option<&'static [&'static str]> {
        Kind::by_key(key).map(|k| k.params)
    }

    pub fn kind(u: &Uncertain) -> &'static str {
        u.kind().key
    }

    /// Convert to another kind around the same point value. A range the input already has is
    /// kept (triangular, PERT and uniform share low and high; a lognormal's p5 and p95 become
    /// them); a number gets +-20 %. Every value stays in the field's `range` (MODEL.md §6), so a
    /// yield of 0.97 made triangular does not reach above 1.
    pub fn convert(u: &Uncertain, to: &str, range: Option<Range>) -> Uncertain {
        let p = u.point();
        let d = if p != 0.0 { p.abs() * 0.2 } else { 0.1 };
        let (lo, hi) = match *u {
            Uncertain::Triangular { low, high, .. }
            | Uncertain::Pert { low, high, .. }
            | Uncertain::Uniform { low, high } => (low, high),
            Uncertain::Lognormal90 { p5, p95 } => (p5, p95),
            Uncertain::Fixed(_) => (p - d, p + d),
        };
        let fit = |x: f64| match range {
            Some(r) => r.pull_in(x, p),
            None => x,
        };
        let (lo, hi) = (fit(lo), fit(hi));
        match to {
            "tri" => Uncertain::Triangular {
                low: lo,
                likely: p,
                high: hi,
            },
            "pert" => Uncertain::Pert {
                low: lo,
                likely: p,
                high: hi,
            },
            "logn" => {
                // p5 and p95 a factor k either side of the median (the point value), k at most
                // 1.5 and small enough for p95 to stay in range.
                let k = match range {
                    Some(r) if p > 0.0 && r.max.is_finite() => (r.max / p).clamp(1.0, 1.5),
                    _ => 1.5,
                };
                Uncertain::Lognormal90 {
                    p5: p / k,
                    p95: p * k,
                }
            }
            "unif" => Uncertain::Uniform { low: lo, high: hi },
            _ => Uncertain::Fixed(p),
        }
    }

    /// Replace parameter `k` (in [`Uncertain::params`] order).
    pub fn with_param(u: &Uncertain, k: usize, v: f64) -> Uncertain {
        let mut u = *u;
        match &mut u {
            Uncertain::Fixed(x) => *x = v,
            Uncertain::Triangular { low, likely, high } | Uncertain::Pert { low, likely, high } => {
                *[low, likely, high][k.min(2)] = v
            }
            Uncertain::Lognormal90 { p5, p95 } => *[p5, p95][k.min(1)] = v,
            Uncertain::Uniform { low, high } => *[low, high][k.min(1)] = v,
        }
        u
    }

    /// Move the point value to `v`, shifting (lognormal: scaling) a distribution with it. Every
    /// parameter stays within `bounds` (the field's valid range: a share's high end stops at 1
    /// instead of leaving the scenario invalid), and loses the binary noise of the shift
    /// (0.4 + 0.3 is 0.7, not 0.7000000000000001).
    pub fn set_point(u: &Uncertain, v: f64, bounds: (f64, f64)) -> Uncertain {
        let fit = |x: f64| tidy(x).clamp(bounds.0, bounds.1);
        moved(u, fit(v), fit, fit)
    }

    /// `u` with its point value at `v`: a number becomes `v`; a triangular, PERT or uniform
    /// input keeps its offsets (its low end through `low`, its high end through `high`); a
    /// lognormal keeps its ratios (p5 through `low`, p95 through `high`) and becomes the number
    /// `v` when the old median or `v` is 0. The editor's fields and the grid's cells move
    /// points this way, each with its own rule for the ends.
    pub fn moved(
        u: &Uncertain,
        v: f64,
        low: impl Fn(f64) -> f64,
        high: impl Fn(f64) -> f64,
    ) -> Uncertain {
        let d = v - u.point();
        match *u {
            Uncertain::Fixed(_) => Uncertain::Fixed(v),
            // The same kind, from its numbers.
            Uncertain::Triangular {
                low: l, high: h, ..
            }
            | Uncertain::Pert {
                low: l, high: h, ..
            } => (u.kind().make)(&[low(l + d), v, high(h + d)]),
            Uncertain::Lognormal90 { p5, p95 } => {
                let m = u.point();
                if m > 0.0 && v > 0.0 {
                    Uncertain::Lognormal90 {
                        p5: low(p5 * v / m),
                        p95: high(p95 * v / m),
                    }
                } else {
                    Uncertain::Fixed(v)
                }
            }
            Uncertain::Uniform { low: l, high: h } => Uncertain::Uniform {
                low: low(l + d),
                high: high(h + d),
            },
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn switching_kind_keeps_the_range_and_stays_valid() {
            let yield_range = crate::validate::input_range("sites[0].yield_share");
            for k in ["tri", "pert", "unif", "logn"] {
                let d = convert(&Uncertain::Fixed(0.97), k, yield_range);
                let (params, n) = d.params();
                assert!(
                    params[..n].iter().all(|(_, v)| *v > 0.0 && *v <= 1.0),
                    "{k}: {d:?}"
                );
                if k != "unif" {
                    assert!((d.point() - 0.97).abs() < 1e-12, "{k}: {d:?}");
                }
            }
            let tri = Uncertain::Triangular {
                low: 32000.0,
                likely: 40000.0,
                high: 52000.0,
            };
            let price = crate::validate::input_range("sites[0].unit_price_usd");
            assert_eq!(
                convert(&tri, "pert", price),
                Uncertain::Pert {
                    low: 32000.0,
                    likely: 40000.0,
                    high: 52000.0
                }
            );
            assert_eq!(
                convert(&Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 }, "tri", price),
                Uncertain::Triangular {
                    low: 2.0,
                    likely: 4.0,
                    high: 8.0
                }
            );
            // Zero on a non-negative field: the low end stops at 0.
            assert_eq!(
                convert(&Uncertain::Fixed(0.0), "unif", price),
                Uncertain::Uniform {
                    low: 0.0,
                    high: 0.1
                }
            );
        }

        #[test]
        fn switching_keeps_the_point_value() {
            let u = Uncertain::Fixed(10.0);
            for k in KINDS.iter().map(|k| k.key) {
                let d = convert(&u, k, None);
                assert_eq!(kind(&d), k);
                assert!((d.point() - 10.0).abs() < 1e-9, "{k}");
                assert_eq!(convert(&d, "fixed", None), Uncertain::Fixed(d.point()));
                let all = (f64::NEG_INFINITY, f64::INFINITY);
                assert!(
                    (set_point(&d, 12.0, all).point() - 12.0).abs() < 1e-9,
                    "{k}"
                );
            }
            assert_eq!(
                with_param(&Uncertain::tri(1.0, 2.0, 3.0), 2, 5.0),
                Uncertain::tri(1.0, 2.0, 5.0)
            );
        }

        #[test]
        fn a_slider_keeps_a_distribution_valid_and_tidy() {
            let share = (0.0, 1.0);
            // Shifted by 0.3: no binary noise, and the high end stops at 1.
            assert_eq!(
                set_point(&Uncertain::tri(0.4, 0.6, 0.8), 0.9, share),
                Uncertain::tri(0.7, 0.9, 1.0)
            );
            assert_eq!(
                set_point(
                    &Uncertain::Uniform {
                        low: 0.1,
                        high: 0.3
                    },
                    0.0,
                    share
                ),
                Uncertain::Uniform {
                    low: 0.0,
                    high: 0.1
                }
            );
            // Unbounded above: the spread moves whole.
            let price = (0.0, f64::INFINITY);
            assert_eq!(
                set_point(&Uncertain::tri(32000.0, 40000.0, 52000.0), 90000.0, price),
                Uncertain::tri(82000.0, 90000.0, 102000.0)
            );
            // The moved distribution passes the validator's range for shares.
            let mut s = crate::presets::base_case();
            let u = s.markets[0].adoption_ceiling;
            s.markets[0].adoption_ceiling = set_point(&u, 1.0, share);
            assert!(crate::validate(&s)
                .iter()
                .all(|i| !i.path.contains("adoption_ceiling")));
        }

        #[test]
        fn tidy_drops_only_noise() {
            assert_eq!(tidy(0.4 + 0.3), 0.7);
            assert_eq!(tidy(0.1 + 0.2), 0.3);
            assert_eq!(tidy(1234.5678), 1234.5678);
            assert_eq!(tidy(-0.000123456789012), -0.000123456789012);
            assert_eq!(tidy(5e15), 5e15);
            assert_eq!(tidy(0.0), 0.0);
            assert!(tidy(f64::NAN).is_nan());
        }
    }
}
