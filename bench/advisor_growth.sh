#!/usr/bin/env bash
# The commitment advisor's growth (BENCHMARKS.md, "Commitment advisor"): time to a 0.1 % certified
# gap, native, one thread, against samples and sites, and HiGHS on the same extensive form
# (`--export-lp`) where asked. A benchmark tool, not a test.
#
#   bench/advisor_growth.sh SAMPLES_LIST SITES_LIST [--highs]
#   e.g. bench/advisor_growth.sh "50 100 200 500 1000" "15"; bench/advisor_growth.sh 200 "4 8 30"
#
# The scenario: the base preset, every site given a reservation fee of 400 USD per unit-month and
# a spot premium tri(0.05, 0.15, 0.30); fewer sites keep the first ones, more repeat the list with
# numbered names (same supplier, so the supplier cap holds across the copies).
set -euo pipefail
cd "$(dirname "$0")/.."
# BIN=path uses a rackplan binary built before (e.g. while the tree is being edited).
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -p rackplan-core --bin rackplan >&2
fi
bin="${BIN:-target/release/rackplan}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
highs=0
[ "${3:-}" = "--highs" ] && highs=1
printf '| samples | sites | iterations | gap | advisor s |%s\n' "$([ $highs = 1 ] && echo ' HiGHS s | HiGHS objective / advisor upper |')"
for sites in $2; do
  "$bin" preset base | python3 -c '
import json, sys
s = json.load(sys.stdin)
n = int(sys.argv[1])
base = s["sites"]
out = []
for i in range(n):
    site = dict(base[i % len(base)])
    if i >= len(base):
        site["name"] = "%s %d" % (site["name"], i // len(base) + 1)
    site["reservation_fee_usd_per_unit_month"] = 400
    site["spot_premium_share"] = {"tri": [0.05, 0.15, 0.3]}
    out.append(site)
s["sites"] = out
json.dump(s, sys.stdout)
' "$sites" > "$tmp/s.json"
  for n in $1; do
    lp=()
    [ $highs = 1 ] && lp=(--export-lp "$tmp/x.lp")
    t0=$(date +%s.%N)
    out=$("$bin" advise "$tmp/s.json" --samples "$n" --no-eval --csv "${lp[@]}")
    t1=$(date +%s.%N)
    line=$(printf '%s\n' "$out" | grep -A1 '^samples,seed' | tail -1)
    IFS=, read -r _ _ lower upper gap its _ <<<"$line"
    row=$(printf '| %s | %s | %s | %.3f %% | %.1f |' "$n" "$sites" "$its" "$(python3 -c "print(100*$gap)")" "$(python3 -c "print($t1-$t0)")")
    if [ $highs = 1 ]; then
      h=$(python3 - "$tmp/x.lp" <<'PY'
import sys, time, highspy
h = highspy.Highs(); h.setOptionValue("output_flag", False); h.setOptionValue("threads", 1)
t = time.time(); h.readModel(sys.argv[1]); h.run()
print(time.time() - t, h.getInfo().objective_function_value)
PY
)
      h=$(printf '%s\n' "$h" | tail -1)  # HiGHS prints its banner first
      read -r hs hobj <<<"$h"
      row="$row $(printf '%.1f | %.6f |' "$hs" "$(python3 -c "print($hobj/$upper)")")"
    fi
    echo "$row"
  done
done
