#!/usr/bin/env python3
"""Time the sourcing benchmark LPs with HiGHS (benchmark tool, not shipped).

    cargo run --release -p rackplan-sourcing --example bench_sourcing -- --json /tmp/sourcing-bench
    pip install highspy numpy
    python3 bench/highs_compare.py /tmp/sourcing-bench

Builds the least-cost LP of MODEL.md section 3 literally (every x[s][t] with capacity > 0, B_t,
I_t with build-ahead, one cap row per month and capped group) from each JSON problem, solves it
with HiGHS (default: dual simplex after presolve), and prints the median / p90 wall time of
build + solve (and of solve alone) next to the objective the Rust optimiser reported.
"""
import glob
import json
import statistics
import sys
import time

import highspy
import numpy as np


def build(p):
    T = p["months"]
    sites = p["sites"]
    inf = highspy.kHighsInf
    cost, lo, hi = [], [], []
    xidx = []  # (s, t, col)
    for s, site in enumerate(sites):
        for t in range(T):
            if site["available"][t] > 0:
                xidx.append((s, t, len(cost)))
                cost.append(site["cost"][t] + site["risk"])
                lo.append(0.0)
                hi.append(site["available"][t])
    bcol = len(cost)
    for t in range(T):
        cost.append(p["penalty"]); lo.append(0.0); hi.append(inf)
    icol = len(cost)
    if p["build_ahead"]:
        for t in range(T):
            cost.append(p["holding"]); lo.append(0.0); hi.append(inf)
    rows_lo, rows_hi, starts, index, value = [], [], [], [], []
    by_month = [[] for _ in range(T)]
    for s, t, c in xidx:
        by_month[t].append((s, c))

    def row(entries, rlo, rhi):
        starts.append(len(index))
        for c, v in entries:
            index.append(c)
            value.append(v)
        rows_lo.append(rlo)
        rows_hi.append(rhi)

    for t in range(T):
        e = [(c, 1.0) for _, c in by_month[t]]
        e.append((bcol + t, 1.0))
        if t > 0:
            e.append((bcol + t - 1, -1.0))
        if p["build_ahead"]:
            e.append((icol + t, -1.0))
            if t > 0:
                e.append((icol + t - 1, 1.0))
        row(e, p["need"][t], p["need"][t])
        for key, cap in (("supplier", p["max_supplier_share"]), ("region", p["max_region_share"])):
            if cap is None:
                continue
            groups = sorted({sites[s][key] for s, _ in by_month[t]})
            for g in groups:
                e = [(c, (1.0 if sites[s][key] == g else 0.0) - cap) for s, c in by_month[t]]
                row(e, -inf, 0.0)
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = len(rows_lo)
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.array(lo)
    lp.col_upper_ = np.array(hi)
    lp.row_lower_ = np.array(rows_lo)
    lp.row_upper_ = np.array(rows_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts + [len(index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    return lp


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sourcing-bench"
    h = highspy.Highs()
    print(f"HiGHS {h.version()}")
    print("| problem | HiGHS solve median ms | p90 ms | build+solve median ms | HiGHS objective | rackplan objective | rel diff |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path in sorted(glob.glob(f"{folder}/*.json")):
        p = json.load(open(path))
        reps = 30 if p["months"] * len(p["sites"]) < 2000 else 10
        solve_t, total_t, obj = [], [], None
        for _ in range(reps):
            t0 = time.perf_counter()
            lp = build(p)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            h.passModel(lp)
            t1 = time.perf_counter()
            h.run()
            t2 = time.perf_counter()
            assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.getModelStatus()
            obj = h.getInfo().objective_function_value
            solve_t.append((t2 - t1) * 1e3)
            total_t.append((t2 - t0) * 1e3)
        solve_t.sort()
        rel = abs(obj - p["objective"]) / max(1.0, abs(obj))
        print(f"| {p['name']} | {statistics.median(solve_t):.2f} | {solve_t[int(len(solve_t) * 0.9)]:.2f} | "
              f"{statistics.median(total_t):.2f} | {obj:.0f} | {p['objective']:.0f} | {rel:.1e} |")


if __name__ == "__main__":
    main()
