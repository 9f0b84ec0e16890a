//! The two rule-based policies: priority and fixed split (MODEL.md §3).
//!
//! Both work month by month on the quantity `need[t] + backlog carried in`, never deliver ahead of
//! need (no inventory) and ignore the diversification caps: they do what the planner asked, and
//! the metrics report the shares that follow.

use super::SourcingProblem;

/// Fill sites in `order` (then the unlisted sites in their natural order), each up to its
/// capacity in the month.
pub(super) fn priority(problem: &SourcingProblem, order: &[usize]) -> Vec<Vec<f64>> {
    let n = problem.sites.len();
    let mut full_order: Vec<usize> = order.to_vec();
    let mut listed = vec![false; n];
    for &s in order {
        listed[s] = true;
    }
    full_order.extend((0..n).filter(|&s| !listed[s]));

    let mut deliveries = vec![vec![0.0; problem.months]; n];
    let mut backlog = 0.0_f64;
    for t in 0..problem.months {
        let mut left = problem.need_per_month[t] + backlog;
        for &s in &full_order {
            if left <= 0.0 {
                break;
            }
            let take = left.min(problem.sites[s].available_per_month[t]);
            deliveries[s][t] = take;
            left -= take;
        }
        backlog = left.max(0.0);
    }
    deliveries
}

/// Target shares per site (normalised by their sum). Each month the quantity is split by target;
/// a site takes at most its capacity, and what it cannot take is split again over the sites that
/// still have spare capacity, in proportion to their targets, until everything is placed or no
/// targeted site has spare capacity. What is still left then goes to the sites with a zero
/// target, in proportion to their spare capacity. The rest is backlog.
pub(super) fn fixed_split(problem: &SourcingProblem, targets: &[f64]) -> Vec<Vec<f64>> {
    let n = problem.sites.len();
    let mut deliveries = vec![vec![0.0; problem.months]; n];
    let mut backlog = 0.0_f64;
    let mut active: Vec<usize> = Vec::with_capacity(n);
    for t in 0..problem.months {
        let qty = problem.need_per_month[t] + backlog;
        let mut left = qty;
        let spare = |s: usize, d: &Vec<Vec<f64>>| problem.sites[s].available_per_month[t] - d[s][t];
        active.clear();
        active.extend(
            (0..n).filter(|&s| targets[s] > 0.0 && problem.sites[s].available_per_month[t] > 0.0),
        );
        // Each round either places everything or saturates at least one site: at most n rounds.
        while left > 1e-12 * qty.max(1.0) && !active.is_empty() {
            let weight: f64 = active.iter().map(|&s| targets[s]).sum();
            let round = left;
            let mut saturated = false;
            for &s in &active {
                let want = round * targets[s] / weight;
                let room = spare(s, &deliveries);
                let take = if want >= room {
                    saturated = true;
                    room
                } else {
                    want
                };
                deliveries[s][t] += take;
                left -= take;
            }
            if !saturated {
                left = 0.0; // everything placed; drop round-off
                break;
            }
            active.retain(|&s| spare(s, &deliveries) > 0.0);
        }
        if left > 0.0 {
            // Overflow to the sites without a target, in proportion to their spare capacity.
            let others: Vec<usize> = (0..n).filter(|&s| targets[s] <= 0.0).collect();
            let room: f64 = others.iter().map(|&s| spare(s, &deliveries)).sum();
            if room > 0.0 {
                let frac = (left / room).min(1.0);
                for &s in &others {
                    let take = spare(s, &deliveries) * frac;
                    deliveries[s][t] += take;
                }
                left = if frac >= 1.0 { left - room } else { 0.0 };
            }
        }
        backlog = left.max(0.0);
    }
    deliveries
}
