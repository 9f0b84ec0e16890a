//! Least cost by structure, exactly (MODEL.md §3, "How the optimum is computed").
//!
//! The LP splits into two exact stages.
//!
//! 1. **Month curves.** For a month `t` and a total delivery `X`, the cheapest way to deliver `X`
//!    from that month's sites under the capacity and share caps is a small LP whose right-hand
//!    side is `X * (1, c_1, c_2, ...)`. Its optimal value `f_t(X)` is convex and piecewise linear
//!    on `[0, Xmax_t]`. A parametric dual simplex (dense, `1 + groups` rows) walks `X` from 0 up:
//!    each breakpoint is one pivot. Every segment's basis is checked primal and dual feasible, so
//!    each segment is a certified optimum; the deliveries at each breakpoint are kept and the
//!    allocation for any `X` is the interpolation between the two breakpoints around it (the
//!    basis is the same along a segment, so this is exact).
//! 2. **The chain.** With the curves, the LP is a min-cost flow on the months: node `t` needs
//!    `need_t`; month `t`'s segments are source arcs into node `t` (cost = slope, capacity =
//!    length); backlog arcs `t+1 -> t` (cost `p`), inventory arcs `t -> t+1` (cost `h`, only with
//!    build-ahead) and an unlimited source arc into the last month at cost `p` (backlog left at
//!    the horizon end). Successive shortest paths solve it exactly; on a path graph a shortest
//!    path is monotone, so each search is two sweeps.
//!
//! At the end the node potentials `pi_t` give the chain's dual; the answer is accepted only if
//! the chain dual is feasible, the duality gap is within tolerance and the resulting deliveries
//! meet every bound, cap and balance row. Otherwise the caller falls back to the general simplex.

use super::SourcingProblem;

/// Relative tolerance of the certificate checks.
const TOL: f64 = 1e-9;

/// One month's curve: `breakpoints[k]` = (X_k, deliveries of the open sites at X_k); segment k
/// runs from X_k to X_{k+1} at cost `slopes[k]` per unit.
struct MonthCurve {
    sites: Vec<usize>,
    xs: Vec<f64>,
    points: Vec<Vec<f64>>,
    slopes: Vec<f64>,
}

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Basic,
    Lower,
    Upper,
}

/// Parametric dual simplex for one month. `None` if a check fails.
fn month_curve(problem: &SourcingProblem, t: usize, sites: &[usize]) -> Option<MonthCurve> {
    let n = sites.len();
    let mut curve = MonthCurve {
        sites: sites.to_vec(),
        xs: vec![0.0],
        points: vec![vec![0.0; n]],
        slopes: Vec::new(),
    };
    if n == 0 {
        return Some(curve);
    }
    // Rows: 0 = sum of deliveries = X; then one row per capped group present this month:
    // sum of the group's deliveries + slack = c * X.
    let mut dir = vec![1.0];
    let mut rows_of: Vec<Vec<usize>> = vec![vec![0]; n];
    for (cap, by_supplier) in [
        (problem.max_supplier_share, true),
        (problem.max_region_share, false),
    ] {
        let Some(c) = cap.filter(|&c| c < 1.0) else {
            continue;
        };
        let key = |s: usize| {
            let o = &problem.sites[s];
            if by_supplier {
                o.supplier
            } else {
                o.region
            }
        };
        let mut groups: Vec<usize> = sites.iter().map(|&s| key(s)).collect();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            let row = dir.len();
            dir.push(c);
            for (j, &s) in sites.iter().enumerate() {
                if key(s) == g {
                    rows_of[j].push(row);
                }
            }
        }
    }
    let m = dir.len();
    // Columns: 0..n sites (bounds [0, a]), n..n+m slacks (slack 0 fixed at 0, others [0, inf)).
    let ncol = n + m;
    let ub: Vec<f64> = (0..ncol)
        .map(|j| {
            if j < n {
                problem.sites[sites[j]].available_per_month[t]
            } else if j == n {
                0.0
            } else {
                f64::INFINITY
            }
        })
        .collect();
    let cost: Vec<f64> = (0..ncol)
        .map(|j| {
            if j < n {
                let o = &problem.sites[sites[j]];
                o.unit_cost_usd[t] + o.risk_premium_usd_per_unit
            } else {
                0.0
            }
        })
        .collect();
    let cost_scale = cost.iter().fold(1.0_f64, |a, &c| a.max(c.abs()));
    let qty_scale = ub[..n].iter().fold(1.0_f64, |a, &u| a.max(u));
    // Column j of the constraint matrix, applied: Binv[r] . A_j
    let col_dot = |binv_row: &[f64], j: usize| -> f64 {
        if j < n {
            rows_of[j].iter().map(|&r| binv_row[r]).sum()
        } else {
            binv_row[j - n]
        }
    };
    let mut basic: Vec<usize> = (0..m).map(|i| n + i).collect();
    let mut status = vec![Status::Lower; ncol];
    for i in 0..m {
        status[n + i] = Status::Basic;
    }
    let mut binv = vec![vec![0.0; m]; m];
    for (i, row) in binv.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let mut d = cost.clone(); // reduced costs (basis = slacks with zero cost)
    let mut x_total = 0.0_f64;
    let mut beta = vec![0.0; m];
    let mut delta = vec![0.0; m];
    let mut alpha_row = vec![0.0; ncol];
    let max_pivots = 20 + 4 * ncol;
    for _ in 0..max_pivots {
        // Basic values at x_total and their rate of change with X.
        let mut rhs: Vec<f64> = dir.iter().map(|&c| c * x_total).collect();
        for j in 0..n {
            if status[j] == Status::Upper {
                for &r in &rows_of[j] {
                    rhs[r] -= ub[j];
                }
            }
        }
        for i in 0..m {
            beta[i] = (0..m).map(|k| binv[i][k] * rhs[k]).sum();
            delta[i] = (0..m).map(|k| binv[i][k] * dir[k]).sum();
        }
        // Primal feasibility of the current basis at x_total.
        for i in 0..m {
            let k = basic[i];
            let tol = TOL * qty_scale.max(x_total) * 10.0;
            if beta[i] < -tol || beta[i] > ub[k] + tol {
                return None;
            }
        }
        // Ratio test: how far X can grow with this basis.
        let mut theta = f64::INFINITY;
        let mut leave = usize::MAX;
        for i in 0..m {
            let k = basic[i];
            let step = if delta[i] > 1e-12 {
                (ub[k] - beta[i]) / delta[i]
            } else if delta[i] < -1e-12 {
                (0.0 - beta[i]) / delta[i]
            } else {
                continue;
            };
            let step = step.max(0.0);
            if step < theta {
                theta = step;
                leave = i;
            }
        }
        if leave == usize::MAX {
            return None; // unbounded growth cannot happen: capacities are finite
        }
        // Segment [x_total, x_total + theta] at slope y . dir, y = c_B Binv.
        if theta > 0.0 {
            let slope: f64 = (0..m)
                .map(|k| {
                    let yk: f64 = (0..m).map(|i| cost[basic[i]] * binv[i][k]).sum();
                    yk * dir[k]
                })
                .sum();
            x_total += theta;
            let mut point = vec![0.0; n];
            for j in 0..n {
                if status[j] == Status::Upper {
                    point[j] = ub[j];
                }
            }
            for i in 0..m {
                if basic[i] < n {
                    point[basic[i]] = (beta[i] + theta * delta[i]).clamp(0.0, ub[basic[i]]);
                }
            }
            if let Some(&last) = curve.slopes.last() {
                if slope < last - TOL * cost_scale * 10.0 {
                    return None; // not convex: numerical trouble
                }
            }
            curve.xs.push(x_total);
            curve.points.push(point);
            curve.slopes.push(slope);
        }
        // Dual simplex pivot: the leaving variable goes to the bound it reached.
        let r = leave;
        let k = basic[r];
        let to_upper = delta[r] > 0.0;
        let mut enter = usize::MAX;
        let mut best = f64::INFINITY;
        let mut best_alpha = 0.0_f64;
        for j in 0..ncol {
            alpha_row[j] = if status[j] == Status::Basic {
                0.0
            } else {
                col_dot(&binv[r], j)
            };
        }
        for j in 0..ncol {
            if status[j] == Status::Basic || j == n {
                continue; // basic, or the fixed slack of the sum row
            }
            let alpha = alpha_row[j];
            if alpha.abs() <= 1e-11 {
                continue;
            }
            let ok = match (status[j], to_upper) {
                (Status::Lower, true) => alpha > 0.0,
                (Status::Upper, true) => alpha < 0.0,
                (Status::Lower, false) => alpha < 0.0,
                (Status::Upper, false) => alpha > 0.0,
                _ => false,
            };
            if !ok {
                continue;
            }
            let ratio = d[j].abs() / alpha.abs();
            if ratio < best - 1e-12 * cost_scale
                || (ratio <= best + 1e-12 * cost_scale && alpha.abs() > best_alpha.abs())
            {
                best = ratio;
                enter = j;
                best_alpha = alpha;
            }
        }
        if enter == usize::MAX {
            return Some(curve); // no basis beyond: X cannot grow further
        }
        // Update reduced costs.
        let ratio = d[enter] / best_alpha;
        for j in 0..ncol {
            if status[j] != Status::Basic && j != enter {
                let alpha = alpha_row[j];
                if alpha != 0.0 {
                    d[j] -= ratio * alpha;
                }
            }
        }
        d[k] = -ratio;
        d[enter] = 0.0;
        // Update the basis inverse.
        let w: Vec<f64> = (0..m).map(|i| col_dot(&binv[i], enter)).collect();
        let pivot = w[r];
        for v in binv[r].iter_mut() {
            *v /= pivot;
        }
        let prow = binv[r].clone();
        for i in 0..m {
            if i != r && w[i] != 0.0 {
                for (v, p) in binv[i].iter_mut().zip(&prow) {
                    *v -= w[i] * p;
                }
            }
        }
        status[k] = if to_upper {
            Status::Upper
        } else {
            Status::Lower
        };
        status[enter] = Status::Basic;
        basic[r] = enter;
        // Dual feasibility of the new basis (certifies the next segment).
        let dtol = TOL * cost_scale * 100.0;
        for j in 0..ncol {
            let bad = match status[j] {
                Status::Lower => d[j] < -dtol && j != n,
                Status::Upper => d[j] > dtol && j != n,
                Status::Basic => false,
            };
            if bad {
                return None;
            }
        }
    }
    None
}

/// Solves the least-cost LP by structure; `None` if any certificate check fails.
pub(super) fn solve(problem: &SourcingProblem, open: &[Vec<usize>]) -> Option<Vec<Vec<f64>>> {
    let months = problem.months;
    let p = problem.backlog_penalty_usd_per_unit_month;
    let h = problem.holding_cost_usd_per_unit_month;
    let ba = problem.allow_build_ahead;
    let curves: Vec<MonthCurve> = (0..months)
        .map(|t| month_curve(problem, t, &open[t]))
        .collect::<Option<_>>()?;

    // Successive shortest paths on the chain of months.
    let need = &problem.need_per_month;
    let mut left_need = need.clone();
    let mut seg = vec![0usize; months]; // next segment with room, per month
    let mut seg_used = vec![0.0_f64; months]; // amount used of that segment
    let mut backlog = vec![0.0_f64; months]; // B_t for t < T-1 (flow t+1 -> t)
    let mut inventory = vec![0.0_f64; months]; // I_t for t < T-1 (flow t -> t+1)
    let mut final_backlog = 0.0_f64;
    let total_need: f64 = need.iter().sum();
    let qty_scale = total_need.max(1.0);
    // Per node: best source cost, shortest distances from the left/right and where they come from.
    let mut base = vec![0.0_f64; months];
    let mut from_left = vec![0.0_f64; months];
    let mut from_right = vec![0.0_f64; months];
    let source_cost = |t: usize, seg: &[usize]| -> f64 {
        let c = &curves[t];
        let mut best = if seg[t] < c.slopes.len() {
            c.slopes[seg[t]]
        } else {
            f64::INFINITY
        };
        if t + 1 == months && p < best {
            best = p;
        }
        best
    };
    let fwd_cost = |t: usize, backlog: &[f64]| -> f64 {
        // t -> t+1: undo backlog B_t (cost -p) or hold inventory (cost h, build-ahead only)
        if backlog[t] > 0.0 {
            -p
        } else if ba {
            h
        } else {
            f64::INFINITY
        }
    };
    let bwd_cost = |t: usize, inventory: &[f64]| -> f64 {
        // t+1 -> t: undo inventory I_t (cost -h) or carry backlog B_t (cost p)
        if inventory[t] > 0.0 {
            -h
        } else {
            p
        }
    };
    let max_aug = 50 + 8 * (months + curves.iter().map(|c| c.slopes.len()).sum::<usize>());
    let mut augmentations = 0;
    let distances = |base: &mut [f64],
                     from_left: &mut [f64],
                     from_right: &mut [f64],
                     seg: &[usize],
                     backlog: &[f64],
                     inventory: &[f64]| {
        for t in 0..months {
            base[t] = source_cost(t, seg);
        }
        for t in 0..months {
            from_left[t] = base[t];
            if t > 0 {
                let via = from_left[t - 1] + fwd_cost(t - 1, backlog);
                if via < from_left[t] {
                    from_left[t] = via;
                }
            }
        }
        for t in (0..months).rev() {
            from_right[t] = base[t];
            if t + 1 < months {
                let via = from_right[t + 1] + bwd_cost(t, inventory);
                if via < from_right[t] {
                    from_right[t] = via;
                }
            }
        }
    };
    loop {
        distances(
            &mut base,
            &mut from_left,
            &mut from_right,
            &seg,
            &backlog,
            &inventory,
        );
        // Nearest node that still needs something.
        let mut target = usize::MAX;
        let mut best = f64::INFINITY;
        for t in 0..months {
            if left_need[t] > 0.0 {
                let dist = from_left[t].min(from_right[t]);
                if dist < best {
                    best = dist;
                    target = t;
                }
            }
        }
        if target == usize::MAX {
            break;
        }
        augmentations += 1;
        if augmentations > max_aug || !best.is_finite() {
            return None;
        }
        // Walk the path back to its source, collecting its capacity.
        let leftward = from_left[target] <= from_right[target];
        let mut amount = left_need[target];
        let mut o = target;
        if leftward {
            while from_left[o] < base[o] {
                o -= 1;
                if backlog[o] > 0.0 {
                    amount = amount.min(backlog[o]);
                }
            }
        } else {
            while from_right[o] < base[o] {
                if inventory[o] > 0.0 {
                    amount = amount.min(inventory[o]);
                }
                o += 1;
            }
        }
        let c = &curves[o];
        let seg_room = if seg[o] < c.slopes.len() && c.slopes[seg[o]] <= base[o] {
            c.xs[seg[o] + 1] - c.xs[seg[o]] - seg_used[o]
        } else {
            f64::INFINITY // the unlimited final-backlog source
        };
        amount = amount.min(seg_room);
        // Apply.
        if seg_room.is_finite() {
            seg_used[o] += amount;
            if amount >= seg_room {
                seg[o] += 1;
                seg_used[o] = 0.0;
            }
        } else {
            final_backlog += amount;
        }
        let mut u = o;
        while u != target {
            if leftward {
                if backlog[u] > 0.0 {
                    backlog[u] = if amount >= backlog[u] {
                        0.0
                    } else {
                        backlog[u] - amount
                    };
                } else {
                    inventory[u] += amount;
                }
                u += 1;
            } else {
                if inventory[u - 1] > 0.0 {
                    inventory[u - 1] = if amount >= inventory[u - 1] {
                        0.0
                    } else {
                        inventory[u - 1] - amount
                    };
                } else {
                    backlog[u - 1] += amount;
                }
                u -= 1;
            }
        }
        left_need[target] = if amount >= left_need[target] {
            0.0
        } else {
            left_need[target] - amount
        };
        if left_need[target] <= 1e-12 * qty_scale {
            left_need[target] = 0.0;
        }
    }

    // Totals per month and the chain's certificate.
    distances(
        &mut base,
        &mut from_left,
        &mut from_right,
        &seg,
        &backlog,
        &inventory,
    );
    let pi: Vec<f64> = (0..months)
        .map(|t| from_left[t].min(from_right[t]))
        .collect();
    let totals: Vec<f64> = (0..months)
        .map(|t| curves[t].xs[seg[t]] + seg_used[t])
        .collect();
    let cost_scale = curves
        .iter()
        .flat_map(|c| c.slopes.iter())
        .fold(p.max(h).max(1.0), |a, &s| a.max(s.abs()));
    let ptol = TOL * cost_scale * 10.0;
    let mut primal = p * final_backlog;
    let mut dual = 0.0;
    for t in 0..months {
        if !pi[t].is_finite() {
            return None;
        }
        dual += need[t] * pi[t];
        let c = &curves[t];
        for k in 0..c.slopes.len() {
            let len = c.xs[k + 1] - c.xs[k];
            let used = if k < seg[t] {
                len
            } else if k == seg[t] {
                seg_used[t]
            } else {
                0.0
            };
            primal += c.slopes[k] * used;
            dual -= len * (pi[t] - c.slopes[k]).max(0.0);
        }
        primal += p * backlog[t] + h * inventory[t];
        // Chain dual feasibility: pi_t - pi_{t+1} <= p; pi_{t+1} - pi_t <= h with build-ahead.
        if t + 1 < months {
            if pi[t] - pi[t + 1] > p + ptol {
                return None;
            }
            if ba && pi[t + 1] - pi[t] > h + ptol {
                return None;
            }
        } else {
            if pi[t] > p + ptol {
                return None;
            }
            if ba && -pi[t] > h + ptol {
                return None;
            }
        }
    }
    if (primal - dual).abs() > TOL * 100.0 * (1.0 + primal.abs()) {
        return None;
    }

    // Deliveries: interpolate each month's curve at its total.
    let mut deliveries = vec![vec![0.0; months]; problem.sites.len()];
    for t in 0..months {
        let c = &curves[t];
        let x = totals[t];
        if x <= 0.0 || c.slopes.is_empty() {
            continue;
        }
        let k = match c.xs.iter().position(|&b| b >= x) {
            Some(0) => 0,
            Some(k) => k - 1,
            None => c.slopes.len() - 1,
        };
        let (x0, x1) = (c.xs[k], c.xs[k + 1]);
        let w = if x1 > x0 {
            ((x - x0) / (x1 - x0)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        for (j, &s) in c.sites.iter().enumerate() {
            deliveries[s][t] = c.points[k][j] + w * (c.points[k + 1][j] - c.points[k][j]);
        }
    }
    if !feasible(problem, &deliveries) {
        return None;
    }
    Some(deliveries)
}

/// Primal check of the final deliveries: bounds, share caps, and (without build-ahead) no
/// delivery ahead of cumulative need.
fn feasible(problem: &SourcingProblem, deliveries: &[Vec<f64>]) -> bool {
    let mut cum_need = 0.0;
    let mut cum_delivered = 0.0;
    let mut groups: Vec<f64> = Vec::new();
    for t in 0..problem.months {
        let mut total = 0.0;
        for (s, site) in problem.sites.iter().enumerate() {
            let x = deliveries[s][t];
            let a = site.available_per_month[t];
            if !(x >= 0.0 && x <= a * (1.0 + 1e-12)) {
                return false;
            }
            total += x;
        }
        for (cap, by_supplier) in [
            (problem.max_supplier_share, true),
            (problem.max_region_share, false),
        ] {
            let Some(c) = cap else { continue };
            groups.clear();
            for (s, site) in problem.sites.iter().enumerate() {
                let g = if by_supplier {
                    site.supplier
                } else {
                    site.region
                };
                if groups.len() <= g {
                    groups.resize(g + 1, 0.0);
                }
                groups[g] += deliveries[s][t];
            }
            if groups.iter().any(|&v| v > c * total + 1e-9 * (1.0 + total)) {
                return false;
            }
        }
        cum_need += problem.need_per_month[t];
        cum_delivered += total;
        if !problem.allow_build_ahead && cum_delivered > cum_need + 1e-9 * (1.0 + cum_need) {
            return false;
        }
    }
    true
}
