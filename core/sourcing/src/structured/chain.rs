//! The chain of months (MODEL.md §3.1): the forward exchange greedy without build-ahead, and
//! successive shortest paths over the months' curves with it (and with renting).

use super::*;

impl Workspace {
    /// Without build-ahead: forward exchange greedy on `g_t(X) = f_t(X) - p (T - t) X` under
    /// `S_t <= N_t`. Fills `seg`, `seg_used` and `backlog`; returns the backlog left at the end.
    pub(super) fn forward_greedy(&mut self, problem: &SourcingProblem) -> Result<f64, Uncertified> {
        let months = problem.months;
        let p = problem.backlog_penalty_usd_per_unit_month;
        let need = &problem.need_per_month;
        let curves = &mut self.curves;
        let sc = &mut self.sc;
        let seg = &mut self.seg;
        let seg_used = &mut self.seg_used;
        let key = &mut self.key;
        reset(key, months, f64::NAN);
        let heap = &mut self.heap;
        heap.clear();
        let bonus = |t: usize| p * (months - t) as f64;
        // Value of month t's most expensive bought unit (NaN if none).
        let last_value = |c: &Curve, k: usize, used: f64, t: usize| -> f64 {
            if used > 0.0 {
                c.slopes[k] - bonus(t)
            } else if k > 0 {
                c.slopes[k - 1] - bonus(t)
            } else {
                f64::NAN
            }
        };
        let mut cum_need = 0.0_f64;
        let mut bought = 0.0_f64;
        for t in 0..months {
            cum_need += need[t];
            let eps = 1e-12 * cum_need.max(1.0);
            let bt = bonus(t);
            // Buy this month's cheapest worthwhile units while cumulative need leaves room.
            loop {
                let room = cum_need - bought;
                if room <= eps {
                    break;
                }
                let k = seg[t];
                let c = &mut curves[t];
                if !c.ensure(k, sc)? || c.slopes[k] - bt >= 0.0 {
                    break;
                }
                let len = c.xs[k + 1] - c.xs[k] - seg_used[t];
                if room >= len {
                    seg[t] += 1;
                    seg_used[t] = 0.0;
                    bought += len;
                } else {
                    seg_used[t] += room;
                    bought += room;
                }
            }
            // Swap the most expensive earlier units for cheaper units of this month.
            loop {
                let k = seg[t];
                if !curves[t].ensure(k, sc)? {
                    break;
                }
                let g_new = curves[t].slopes[k] - bt;
                // Most expensive valid entry.
                let top = loop {
                    match heap.peek() {
                        Some(b) if key[b.t].to_bits() == b.g.to_bits() => break Some(*b),
                        Some(_) => {
                            heap.pop();
                        }
                        None => break None,
                    }
                };
                let Some(top) = top else { break };
                if g_new >= top.g {
                    break;
                }
                let u = top.t;
                let len_new = curves[t].xs[k + 1] - curves[t].xs[k] - seg_used[t];
                let cu = &curves[u];
                let (ku, have) = if seg_used[u] > 0.0 {
                    (seg[u], seg_used[u])
                } else {
                    (seg[u] - 1, cu.xs[seg[u]] - cu.xs[seg[u] - 1])
                };
                let amount = have.min(len_new);
                // Give back `amount` of month u's last bought segment ku.
                if amount >= have {
                    seg[u] = ku;
                    seg_used[u] = 0.0;
                } else {
                    seg[u] = ku;
                    seg_used[u] = have - amount;
                }
                let g = last_value(cu, seg[u], seg_used[u], u);
                if g.to_bits() != key[u].to_bits() {
                    key[u] = g;
                    if !g.is_nan() {
                        heap.push(Bought { g, t: u });
                    }
                }
                // Take it from month t.
                if amount >= len_new {
                    seg[t] += 1;
                    seg_used[t] = 0.0;
                } else {
                    seg_used[t] += amount;
                }
            }
            // The first unused segment must be traced (it bounds pi_t in the certificate).
            curves[t].ensure(seg[t], sc)?;
            let g = last_value(&curves[t], seg[t], seg_used[t], t);
            key[t] = g;
            if !g.is_nan() {
                heap.push(Bought { g, t });
            }
        }
        // Backlog B_t = N_t - S_t from the totals; round-off residues are no backlog.
        let mut cum_need = 0.0_f64;
        let mut cum = 0.0_f64;
        let mut final_backlog = 0.0;
        for t in 0..months {
            let c = &curves[t];
            cum += c.xs[seg[t]] + seg_used[t];
            cum_need += need[t];
            let b = cum_need - cum;
            let b = if b <= 1e-11 * cum_need.max(1.0) {
                0.0
            } else {
                b
            };
            if t + 1 < months {
                self.backlog[t] = b;
            } else {
                final_backlog = b;
            }
        }
        Ok(final_backlog)
    }

    /// Successive shortest paths on the chain (any problem). Fills `seg`, `seg_used`, `backlog`
    /// and `inventory`; returns the backlog left at the end.
    pub(super) fn shortest_paths(&mut self, problem: &SourcingProblem) -> Result<f64, Uncertified> {
        let months = problem.months;
        let need = &problem.need_per_month;
        for t in 0..months {
            self.curves[t].ensure(0, &mut self.sc)?;
        }
        self.left_need.clear();
        self.left_need.extend_from_slice(need);
        self.needy.clear();
        self.needy.extend((0..months).filter(|&t| need[t] > 0.0));
        self.final_backlog = 0.0;
        let total_need: f64 = need.iter().sum();
        let qty_scale = total_need.max(1.0);
        let rent = problem.active_rent().map(|r| r.limit_per_month.as_slice());
        let mut max_aug = 50
            + 8 * (months
                + self.curves[..months]
                    .iter()
                    .map(Curve::max_segments)
                    .sum::<usize>());
        if rent.is_some() {
            // Each month's backlog arc has one more breakpoint: the rent limit.
            max_aug += 16 * months;
        }
        let mut augmentations = 0;
        // The months the last augmentation changed (all of them before the first).
        let mut changed = None;
        loop {
            match changed {
                None => self.distances(problem),
                Some((lo, hi)) => {
                    self.update_distances(problem, lo, hi);
                    #[cfg(debug_assertions)]
                    self.check_distances(problem);
                }
            }
            let Workspace {
                curves,
                sc,
                seg,
                seg_used,
                backlog,
                inventory,
                left_need,
                needy,
                base,
                from_left,
                from_right,
                final_backlog,
                ..
            } = self;
            // Nearest node that still needs something.
            let mut target = usize::MAX;
            let mut at = usize::MAX;
            let mut best = f64::INFINITY;
            for (i, &t) in needy.iter().enumerate() {
                let dist = from_left[t].min(from_right[t]);
                if dist < best {
                    best = dist;
                    target = t;
                    at = i;
                }
            }
            if target == usize::MAX {
                break;
            }
            augmentations += 1;
            if augmentations > max_aug || !best.is_finite() {
                return Err(Uncertified);
            }
            // Walk the path back to its source, collecting its capacity.
            let leftward = from_left[target] <= from_right[target];
            let mut amount = left_need[target];
            let mut o = target;
            if leftward {
                while from_left[o] < base[o] {
                    o -= 1;
                    if backlog[o] > 0.0 {
                        // With renting, undo only the dearer tier above the limit first.
                        let room = match rent {
                            Some(l) if backlog[o] > l[o] => backlog[o] - l[o],
                            _ => backlog[o],
                        };
                        amount = amount.min(room);
                    }
                }
            } else {
                while from_right[o] < base[o] {
                    if inventory[o] > 0.0 {
                        amount = amount.min(inventory[o]);
                    } else if let Some(l) = rent {
                        // Carry backlog in the rent tier up to its limit.
                        if backlog[o] < l[o] {
                            amount = amount.min(l[o] - backlog[o]);
                        }
                    }
                    o += 1;
                }
            }
            let c = &mut curves[o];
            let seg_room = if seg[o] < c.slopes.len() && c.slopes[seg[o]] <= base[o] {
                c.xs[seg[o] + 1] - c.xs[seg[o]] - seg_used[o]
            } else {
                f64::INFINITY // the unlimited final-backlog source
            };
            // The final-backlog source's rent tier (MODEL.md §3.4): up to the last month's limit.
            let rent_room = match rent {
                Some(l) if !seg_room.is_finite() && *final_backlog < l[o] => l[o] - *final_backlog,
                _ => f64::INFINITY,
            };
            amount = amount.min(rent_room);
            amount = amount.min(seg_room);
            // Apply.
            if seg_room.is_finite() {
                seg_used[o] += amount;
                if amount >= seg_room {
                    seg[o] += 1;
                    seg_used[o] = 0.0;
                    c.ensure(seg[o], sc)?;
                }
            } else if amount >= rent_room {
                *final_backlog = rent.map_or(0.0, |l| l[o]);
            } else {
                *final_backlog += amount;
            }
            let mut u = o;
            while u != target {
                if leftward {
                    if backlog[u] > 0.0 {
                        backlog[u] = match rent {
                            // Down to the rent limit exactly (the path's capacity).
                            Some(l) if backlog[u] > l[u] && amount >= backlog[u] - l[u] => l[u],
                            _ if amount >= backlog[u] => 0.0,
                            _ => backlog[u] - amount,
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
                        backlog[u - 1] = match rent {
                            // Up to the rent limit exactly (the path's capacity).
                            Some(l)
                                if backlog[u - 1] < l[u - 1]
                                    && amount >= l[u - 1] - backlog[u - 1] =>
                            {
                                l[u - 1]
                            }
                            _ => backlog[u - 1] + amount,
                        };
                    }
                    u -= 1;
                }
            }
            changed = Some((o.min(target), o.max(target)));
            left_need[target] = if amount >= left_need[target] {
                0.0
            } else {
                left_need[target] - amount
            };
            if left_need[target] <= 1e-12 * qty_scale {
                left_need[target] = 0.0;
            }
            if left_need[target] <= 0.0 {
                needy.remove(at);
            }
        }
        Ok(self.final_backlog)
    }

    /// Shortest distances from the sources to every node in the residual chain: `base` = cheapest
    /// source arc into each node, `from_left`/`from_right` = best path arriving from either side.
    pub(super) fn distances(&mut self, problem: &SourcingProblem) {
        let months = problem.months;
        // Every entry is written: only the lengths need setting.
        self.base.resize(months, 0.0);
        self.from_left.resize(months, 0.0);
        self.from_right.resize(months, 0.0);
        if months > 0 {
            self.update_distances(problem, 0, months - 1);
        }
    }

    /// Debug builds: the updated distances are bit for bit the recomputed ones.
    #[cfg(debug_assertions)]
    fn check_distances(&mut self, problem: &SourcingProblem) {
        let months = problem.months;
        let bits = |v: &[f64]| v[..months].iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let kept = [
            bits(&self.base),
            bits(&self.from_left),
            bits(&self.from_right),
        ];
        self.distances(problem);
        let full = [
            bits(&self.base),
            bits(&self.from_left),
            bits(&self.from_right),
        ];
        assert_eq!(kept, full, "updated distances differ from recomputed ones");
    }

    /// The distances again after a change confined to months `lo..=hi`: their source arcs (the
    /// segment in use, the final-backlog source when `hi` is the last month) and the backlog and
    /// inventory arcs between them. `base` is recomputed there; `from_left` from `lo` rightwards
    /// and `from_right` from `hi` leftwards, each until, outside the range, a distance comes out
    /// bit-identical to the one it had (every later one then is too: same inputs). The result is
    /// bit for bit that of [`Workspace::distances`].
    pub(super) fn update_distances(&mut self, problem: &SourcingProblem, lo: usize, hi: usize) {
        let months = problem.months;
        let p = problem.backlog_penalty_usd_per_unit_month;
        let h = problem.holding_cost_usd_per_unit_month;
        let ba = problem.allow_build_ahead;
        let rent = problem.active_rent();
        let base = &mut self.base[..months];
        let from_left = &mut self.from_left[..months];
        let from_right = &mut self.from_right[..months];
        let backlog = &self.backlog[..months];
        let inventory = &self.inventory[..months];
        for t in lo..=hi {
            let c = &self.curves[t];
            let k = self.seg[t];
            let mut best = if k < c.slopes.len() {
                c.slopes[k]
            } else {
                f64::INFINITY
            };
            if t + 1 == months {
                // The final-backlog source: the rent tier while below its limit (MODEL.md §3.4).
                let src = match rent {
                    Some(r) if self.final_backlog < r.limit_per_month[t] => {
                        r.cost_usd_per_unit_month
                    }
                    _ => p,
                };
                if src < best {
                    best = src;
                }
            }
            base[t] = best;
        }
        // t -> t+1: undo backlog B_t (cost -p) or hold inventory (cost h, build-ahead only).
        let mut prev = if lo > 0 {
            from_left[lo - 1]
        } else {
            f64::INFINITY
        };
        for t in lo..months {
            let mut v = base[t];
            if t > 0 {
                let step = if backlog[t - 1] > 0.0 {
                    match rent {
                        Some(r) if backlog[t - 1] <= r.limit_per_month[t - 1] => {
                            -r.cost_usd_per_unit_month
                        }
                        _ => -p,
                    }
                } else if ba {
                    h
                } else {
                    f64::INFINITY
                };
                let via = prev + step;
                if via < v {
                    v = via;
                }
            }
            if t > hi && v.to_bits() == from_left[t].to_bits() {
                break;
            }
            from_left[t] = v;
            prev = v;
        }
        // t+1 -> t: undo inventory I_t (cost -h) or carry backlog B_t (cost p).
        let mut next = if hi + 1 < months {
            from_right[hi + 1]
        } else {
            f64::INFINITY
        };
        for t in (0..=hi).rev() {
            let mut v = base[t];
            if t + 1 < months {
                let step = if inventory[t] > 0.0 {
                    -h
                } else {
                    match rent {
                        Some(r) if backlog[t] < r.limit_per_month[t] => r.cost_usd_per_unit_month,
                        _ => p,
                    }
                };
                let via = next + step;
                if via < v {
                    v = via;
                }
            }
            if t < lo && v.to_bits() == from_right[t].to_bits() {
                break;
            }
            from_right[t] = v;
            next = v;
        }
    }
}
