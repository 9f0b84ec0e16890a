//! Metrics of an allocation (MODEL.md §4).

use crate::scenario::{format_month, MonthIndex};
use crate::sourcing::{Allocation, SourcingProblem};
use serde::{Deserialize, Serialize};

/// Why a month ended short (MODEL.md §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortReason {
    /// All qualified capacity of the month was delivered and was below what had to be delivered
    /// (need + backlog in), and sites still qualifying or ramping could not have closed the gap.
    NoCapacity,
    /// All qualified capacity was delivered, and sites not yet qualified (or still ramping) would
    /// have closed the gap at full rate.
    NotYetQualified,
    /// Capacity was left unused and a supplier or region share cap was binding.
    Cap,
    /// Capacity was left unused and no cap bound: the least-cost policy chose backlog because
    /// the backlog penalty was below the cost of buying.
    Cost,
}

/// Why rented capacity did not cover a short month (MODEL.md §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RentStatus {
    /// No renting, or nothing to rent that month.
    #[default]
    None,
    /// Renting hit its limit for the month.
    AtLimit,
    /// The rent is not below the backlog penalty: nothing is rented.
    TooDear,
}

impl RentStatus {
    pub fn is_none(&self) -> bool {
        *self == RentStatus::None
    }
}

/// One month that ended with backlog (MODEL.md §4.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    /// `"YYYY-MM"`.
    pub month: String,
    /// Month offset from the start.
    pub month_index: usize,
    /// Backlog at the end of the month not covered by rented capacity, units (the backlog
    /// itself without renting; MODEL.md §4.7).
    pub backlog_units: f64,
    /// What had to be delivered this month: max(0, need + backlog in - inventory in), units.
    pub required_units: f64,
    /// Sum of all sites' available capacity this month, units.
    pub available_units: f64,
    /// Extra capacity the sites not yet qualified or still ramping would have had at full rate.
    pub not_yet_qualified_units: f64,
    pub reason: ShortReason,
    /// For a `cap` month: every cap at its ceiling (supplier first, then region), and on whom
    /// (MODEL.md §4.6). With both, raising one alone delivers nothing more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binding_caps: Vec<BindingCap>,
    /// Server-equivalents rented this month (MODEL.md §3.4).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rented_units: f64,
    /// Why renting did not cover the rest (MODEL.md §4.6).
    #[serde(default, skip_serializing_if = "RentStatus::is_none")]
    pub rent: RentStatus,
    /// The sites still qualifying or ramping this month, each with its first-unit month and what
    /// it would have added at full rate (MODEL.md §4.6); largest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ramping_sites: Vec<RampingSite>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// A site not yet at full rate in a short month (MODEL.md §4.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RampingSite {
    pub name: String,
    /// The first month the site has capacity for us, `"YYYY-MM"`; `None` when it has none within
    /// the horizon.
    pub first_unit_month: Option<String>,
    /// Capacity it lacks this month: full rate x (1 - ramp factor), units/month.
    pub missing_units: f64,
}

/// The cap behind a `cap` shortfall (MODEL.md §4.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BindingCap {
    pub over: CapOver,
    /// The cap, a share of the month's deliveries (0..1).
    pub cap: f64,
    /// The supplier or region at its cap; `None` when nothing could be delivered because too few
    /// suppliers (regions) had capacity for the cap to allow a whole month.
    pub name: Option<String>,
}

/// Which share cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapOver {
    Supplier,
    Region,
}

/// Deliveries of one supplier or region over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedShare {
    pub name: String,
    pub units: f64,
    /// Share of all units delivered over the horizon (0..1; 0 when nothing was delivered).
    pub share: f64,
}

/// The supply region with the highest risk weight and its share of deliveries (MODEL.md §4.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposedRegion {
    pub name: String,
    pub risk_weight: f64,
    pub share: f64,
}

/// Utilisation of one site over the horizon (MODEL.md §4.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteUtilisation {
    pub name: String,
    pub delivered_units: f64,
    pub available_units: f64,
    /// delivered / available (0..1); `None` when the site had no capacity.
    pub utilisation: Option<f64>,
}

/// Headline metrics of one run (MODEL.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// 1 - (sum of monthly backlog increases) / (sum of deliveries needed); 1 when nothing is
    /// needed (MODEL.md §4.1).
    pub service_level: f64,
    pub total_need_units: f64,
    pub total_delivered_units: f64,
    pub backlog_peak_units: f64,
    /// Month of the (first) backlog peak; `None` if never short.
    pub backlog_peak_month: Option<String>,
    pub first_short_month: Option<String>,
    pub months_short: usize,
    /// Backlog still open at the end of the horizon, units (never dropped).
    pub unmet_at_horizon_end_units: f64,
    /// Server-months short: the sum over the short months of their backlog, units x months
    /// (MODEL.md §4.2). 1,000 servers late for 3 months = 3,000.
    #[serde(default)]
    pub server_months_short: f64,
    /// Sum of deliveries x unit cost, USD (no risk premium, backlog or holding cost).
    pub total_purchase_cost_usd: f64,
    /// total purchase cost / units delivered; `None` if nothing was delivered.
    pub average_unit_cost_usd: Option<f64>,
    pub supplier_shares: Vec<NamedShare>,
    pub region_shares: Vec<NamedShare>,
    /// Herfindahl index of supplier shares, 0..1 (1 = a single supplier).
    pub supplier_hhi: f64,
    /// Herfindahl index of region shares, 0..1.
    pub region_hhi: f64,
    /// Region with the highest risk weight (first in table order on ties).
    pub most_exposed_region: Option<ExposedRegion>,
    /// Region with the largest share of deliveries.
    pub largest_region: Option<NamedShare>,
    pub site_utilisation: Vec<SiteUtilisation>,
    /// Every short month with its binding reason.
    pub shortfalls: Vec<Shortfall>,
    /// Server-equivalent months rented over the horizon (MODEL.md §4.7).
    #[serde(default)]
    pub rented_server_months: f64,
    /// Rent paid, USD (MODEL.md §4.3).
    #[serde(default)]
    pub rent_cost_usd: f64,
    /// Purchase cost + rent cost, USD (MODEL.md §4.3).
    #[serde(default)]
    pub total_cost_usd: f64,
    /// Rented share of the servers in service, owned + rented (MODEL.md §4.7).
    #[serde(default)]
    pub rented_share: f64,
    /// Rented server-months over the required fleet's server-months (MODEL.md §4.7).
    #[serde(default)]
    pub rented_share_of_need: f64,
}

/// Names and weights the metrics report against.
pub struct Labels<'a> {
    pub site_names: &'a [&'a str],
    pub supplier_names: &'a [&'a str],
    pub region_names: &'a [&'a str],
    pub region_risk_weight: &'a [f64],
    pub start_month: MonthIndex,
    /// Required fleet per month (MODEL.md §1.2), for the owned and rented shares (§4.7).
    pub required_fleet: &'a [f64],
}

/// The tolerance under which a backlog counts as zero: 1e-6 x max(1, largest monthly need)
/// (MODEL.md §4.2).
pub fn short_tolerance(need: &[f64]) -> f64 {
    1e-6 * need.iter().copied().fold(1.0, f64::max)
}

/// Compute the metrics (MODEL.md §4). `not_yet_qualified[t]` is the sum over sites of the
/// capacity they lack in month `t` because they are not qualified or still ramping
/// (full rate x (1 - ramp factor)).
pub fn compute(
    problem: &SourcingProblem,
    alloc: &Allocation,
    labels: &Labels,
    not_yet_qualified: &[f64],
) -> Metrics {
    let months = problem.months;
    let need = &problem.need_per_month;
    let tol = short_tolerance(need);
    let total_need: f64 = need.iter().sum();
    // §4.7: the backlog not covered by rented capacity (the backlog itself without renting).
    let uncovered: Vec<f64> = alloc
        .backlog
        .iter()
        .zip(&alloc.rented)
        .map(|(&b, &r)| b - r)
        .collect();

    // §4.1 service level
    let mut increases = 0.0;
    let mut prev = 0.0;
    for &b in &uncovered {
        increases += (b - prev).max(0.0);
        prev = b;
    }
    let service_level = if total_need > 0.0 {
        (1.0 - increases / total_need).clamp(0.0, 1.0)
    } else {
        1.0
    };

    // §4.2 backlog
    let mut peak = 0.0;
    let mut peak_month = None;
    let mut first_short = None;
    let mut months_short = 0;
    let mut server_months_short = 0.0;
    for (t, &b) in uncovered.iter().enumerate() {
        if b > tol {
            months_short += 1;
            server_months_short += b;
            first_short.get_or_insert(t);
            if b > peak {
                peak = b;
                peak_month = Some(t);
            }
        }
    }
    let label = |t: usize| format_month(labels.start_month + t as MonthIndex);

    // §4.3 cost, §4.4 shares
    let mut total_cost = 0.0;
    let mut total_delivered = 0.0;
    let mut by_supplier = vec![0.0; labels.supplier_names.len()];
    let mut by_region = vec![0.0; labels.region_names.len()];
    let mut site_utilisation = Vec::with_capacity(problem.sites.len());
    for (s, (site, row)) in problem.sites.iter().zip(&alloc.deliveries).enumerate() {
        let mut delivered = 0.0;
        let mut available = 0.0;
        for ((&d, &a), &c) in row
            .iter()
            .zip(&site.available_per_month)
            .zip(&site.unit_cost_usd)
        {
            delivered += d;
            available += a;
            total_cost += d * c;
        }
        total_delivered += delivered;
        if let Some(x) = by_supplier.get_mut(site.supplier) {
            *x += delivered;
        }
        if let Some(x) = by_region.get_mut(site.region) {
            *x += delivered;
        }
        site_utilisation.push(SiteUtilisation {
            name: labels.site_names.get(s).copied().unwrap_or("").to_string(),
            delivered_units: delivered,
            available_units: available,
            utilisation: (available > 0.0).then(|| (delivered / available).min(1.0)),
        });
    }
    let share = |u: f64| {
        if total_delivered > 0.0 {
            u / total_delivered
        } else {
            0.0
        }
    };
    let named = |names: &[&str], units: &[f64]| -> Vec<NamedShare> {
        names
            .iter()
            .zip(units)
            .map(|(n, &u)| NamedShare {
                name: n.to_string(),
                units: u,
                share: share(u),
            })
            .collect()
    };
    let supplier_shares = named(labels.supplier_names, &by_supplier);
    let region_shares = named(labels.region_names, &by_region);
    let hhi = |v: &[NamedShare]| v.iter().map(|x| x.share * x.share).sum::<f64>();
    let most_exposed_region = labels
        .region_risk_weight
        .iter()
        .enumerate()
        .fold(None::<usize>, |best, (i, &w)| match best {
            Some(b) if labels.region_risk_weight[b] >= w => Some(b),
            _ => Some(i),
        })
        .and_then(|i| {
            Some(ExposedRegion {
                name: labels.region_names.get(i)?.to_string(),
                risk_weight: labels.region_risk_weight[i],
                share: region_shares.get(i).map_or(0.0, |r| r.share),
            })
        });
    let largest_region = region_shares
        .iter()
        .fold(None::<&NamedShare>, |best, r| match best {
            Some(b) if b.units >= r.units => Some(b),
            _ => Some(r),
        })
        .cloned();

    // §4.6 binding reasons
    let mut shortfalls = Vec::new();
    let caps = [problem.max_supplier_share, problem.max_region_share];
    for t in 0..months {
        let b = uncovered[t];
        if b <= tol {
            continue;
        }
        let (b_in, i_in) = if t > 0 {
            (alloc.backlog[t - 1], alloc.inventory[t - 1])
        } else {
            (0.0, 0.0)
        };
        let required = (need[t] + b_in - i_in).max(0.0);
        let available: f64 = problem.sites.iter().map(|s| s.available_per_month[t]).sum();
        let nyq = not_yet_qualified.get(t).copied().unwrap_or(0.0);
        let delivered: f64 = alloc.deliveries.iter().map(|r| r[t]).sum();
        let mut binding_caps = Vec::new();
        let reason = if delivered < available - tol {
            // Capacity was left unused: a cap or the cost trade-off stopped the policy.
            binding_caps = cap_binds(problem, alloc, t, tol, &caps)
                .map(|(over, cap, group)| {
                    let names = match over {
                        CapOver::Supplier => labels.supplier_names,
                        CapOver::Region => labels.region_names,
                    };
                    BindingCap {
                        over,
                        cap,
                        name: group.and_then(|g| names.get(g)).map(|n| n.to_string()),
                    }
                })
                .collect();
            if !binding_caps.is_empty() {
                ShortReason::Cap
            } else {
                ShortReason::Cost
            }
        } else if available + nyq >= required - tol {
            ShortReason::NotYetQualified
        } else {
            ShortReason::NoCapacity
        };
        shortfalls.push(Shortfall {
            month: label(t),
            month_index: t,
            backlog_units: b,
            required_units: required,
            available_units: available,
            not_yet_qualified_units: nyq,
            reason,
            binding_caps,
            rented_units: alloc.rented[t],
            rent: rent_status(problem, alloc, t, tol),
            ramping_sites: Vec::new(),
        });
    }

    // §4.3 rent, §4.7 owned and rented
    let rented_server_months: f64 = alloc.rented.iter().sum();
    let rent_cost_usd = problem
        .rent
        .as_ref()
        .map_or(0.0, |r| r.cost_usd_per_unit_month * rented_server_months);
    let (mut covered, mut fleet) = (0.0, 0.0);
    for t in 0..months {
        let f = labels.required_fleet.get(t).copied().unwrap_or(0.0);
        covered += (f - alloc.backlog[t]).max(0.0) + alloc.rented[t];
        fleet += f;
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };

    Metrics {
        service_level,
        total_need_units: total_need,
        total_delivered_units: total_delivered,
        backlog_peak_units: peak,
        backlog_peak_month: peak_month.map(label),
        first_short_month: first_short.map(label),
        months_short,
        unmet_at_horizon_end_units: uncovered.last().copied().unwrap_or(0.0),
        server_months_short,
        total_purchase_cost_usd: total_cost,
        average_unit_cost_usd: (total_delivered > 0.0).then(|| total_cost / total_delivered),
        supplier_hhi: hhi(&supplier_shares),
        region_hhi: hhi(&region_shares),
        supplier_shares,
        region_shares,
        most_exposed_region,
        largest_region,
        site_utilisation,
        shortfalls,
        rented_server_months,
        rent_cost_usd,
        total_cost_usd: total_cost + rent_cost_usd,
        rented_share: ratio(rented_server_months, covered),
        rented_share_of_need: ratio(rented_server_months, fleet),
    }
}

/// Why renting did not cover short month `t` (MODEL.md §4.6).
fn rent_status(problem: &SourcingProblem, alloc: &Allocation, t: usize, tol: f64) -> RentStatus {
    let Some(rent) = &problem.rent else {
        return RentStatus::None;
    };
    let limit = rent.limit_per_month[t];
    if limit <= 0.0 {
        RentStatus::None
    } else if rent.cost_usd_per_unit_month >= problem.backlog_penalty_usd_per_unit_month {
        RentStatus::TooDear
    } else if alloc.rented[t] >= limit - tol {
        RentStatus::AtLimit
    } else {
        RentStatus::None
    }
}

/// The share caps binding in month `t`, supplier then region: some supplier (region) delivered
/// its cap x the month's total (the first such group's index, in site order), or nothing was
/// delivered and the groups with capacity times the cap add up to less than 1 (no group)
/// (MODEL.md §4.6).
fn cap_binds<'a>(
    problem: &'a SourcingProblem,
    alloc: &'a Allocation,
    t: usize,
    tol: f64,
    caps: &'a [Option<f64>; 2],
) -> impl Iterator<Item = (CapOver, f64, Option<usize>)> + 'a {
    caps.iter()
        .enumerate()
        .filter_map(move |(k, cap)| cap_bind(problem, alloc, t, tol, k, (*cap)?))
}

/// Whether cap `k` (0: supplier, 1: region) of `cap` binds in month `t` (see [`cap_binds`]).
fn cap_bind(
    problem: &SourcingProblem,
    alloc: &Allocation,
    t: usize,
    tol: f64,
    k: usize,
    cap: f64,
) -> Option<(CapOver, f64, Option<usize>)> {
    if cap >= 1.0 {
        return None;
    }
    let total: f64 = alloc.deliveries.iter().map(|r| r[t]).sum();
    let over = if k == 0 {
        CapOver::Supplier
    } else {
        CapOver::Region
    };
    let key = |x: &crate::sourcing::SiteOffer| if k == 0 { x.supplier } else { x.region };
    if total <= tol {
        // Nothing delivered: the cap binds if the groups with capacity cannot add up to 1.
        let mut groups: Vec<usize> = problem
            .sites
            .iter()
            .filter(|x| x.available_per_month[t] > tol)
            .map(key)
            .collect();
        groups.sort_unstable();
        groups.dedup();
        if cap * (groups.len() as f64) < 1.0 - 1e-12 {
            return Some((over, cap, None));
        }
        return None;
    }
    // Group by supplier (k = 0) or region (k = 1); groups are small, a quadratic scan is fine.
    for site in &problem.sites {
        let group: f64 = problem
            .sites
            .iter()
            .zip(&alloc.deliveries)
            .filter(|(x, _)| key(x) == key(site))
            .map(|(_, r)| r[t])
            .sum();
        if group >= cap * total - tol {
            return Some((over, cap, Some(key(site))));
        }
    }
    None
}
