#!/usr/bin/env bash
# Whole processes, side by side in one run (issue 13): what a planner or a
# batch job at city hall waits for, from exec to exit, against the Python
# scripts that write the same files.
#
#   export   hoshin-cli export-xlsx --layout data, one plan of 1,200 具体的取組
#            vs openpyxl writing the same workbook from the plan's JSON
#   chart    hoshin-cli chart --kind budget (5-1-1, PNG 300 dpi)
#            vs matplotlib drawing the same chart
#   open     hoshin-cli export-json of one plan from a 24-ward × 10-year file
#
# Timing: hyperfine (wall clock, median; user+sys CPU, mean). The machine is
# shared, so wall times are noisy; CPU time and the instruction counts
# (valgrind --tool=callgrind, the Hoshin side only) repeat.
#
# Usage: benches/processes.sh [RUNS]                 (default 10)
#   HOSHIN_CLI=path        a hoshin-cli to time instead of building one
#   HOSHIN_CLI_BEFORE="path…" older builds (hoshin-cli, or the app's hoshin) timed beside it
#   NO_CALLGRIND=1         skip the instruction counts
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-10}
target=${CARGO_TARGET_DIR:-$root/target}
for tool in hyperfine python3; do
  command -v $tool >/dev/null || { echo "$tool がありません（apt-get install hyperfine）" >&2; exit 1; }
done

if [ -z "${HOSHIN_CLI:-}" ]; then
  cargo build --quiet --release -p hoshin-cli
  HOSHIN_CLI=$target/release/hoshin-cli
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet --release -p hoshin-core --example bench-inputs -- "$work" >/dev/null

venv() { # venv NAME PACKAGE: a venv in target/NAME-venv with PACKAGE, made once
  local dir=$root/target/$1-venv
  if [ ! -x "$dir/bin/python" ]; then
    python3 -m venv "$dir" && "$dir/bin/pip" install --quiet "$2"
  fi
  echo "$dir/bin/python"
}
openpyxl=$(venv openpyxl "openpyxl==3.1.*")
matplotlib=$(venv matplotlib matplotlib)

cd "$work"
export_args="export-xlsx --db city-plan.hoshin --ward 大阪市 --year 2024 --layout data --out hoshin.xlsx"
chart_args="chart --db demo.hoshin --ward 阿倍野区 --year 2024 --item 5-1-1 --kind budget --out hoshin.png"
open_args="export-json --db archive.hoshin --ward 西成区 --year 2020 --out plan.json"

# The openpyxl workbook must hold the same plan: both read back by Hoshin.
"$HOSHIN_CLI" $export_args >/dev/null
"$openpyxl" "$root/benches/openpyxl/bench.py" --export city-plan.json openpyxl.xlsx
for book in hoshin openpyxl; do
  "$HOSHIN_CLI" import-xlsx $book.xlsx --layout data --db back-$book.hoshin >/dev/null
  "$HOSHIN_CLI" export-json --db back-$book.hoshin --ward 大阪市 --year 2024 --out back-$book.json >/dev/null
done
python3 - <<'EOF'
import json
def plain(v):  # stable ids are assigned on import; compare the content
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if k != "id"}
    return [plain(x) for x in v] if isinstance(v, list) else v
a, b, c = (plain(json.load(open(f))) for f in ("city-plan.json", "back-hoshin.json", "back-openpyxl.json"))
assert a == b == c, "the workbooks do not hold the same plan"
n = sum(len(s["initiatives"]) for i in a["issues"] for s in i["strategies"])
print(f"same plan in both workbooks: {n} 具体的取組")
EOF

side_by_side() { # NAME COMMAND... : hyperfine over the commands, JSON in $work/NAME.json
  local name=$1; shift
  hyperfine --style none -N --warmup 2 --runs "$runs" --export-json "$name.json" "$@" >/dev/null
}
read -ra befores <<<"${HOSHIN_CLI_BEFORE:-}"
before() { for b in "${befores[@]}"; do echo "$b $1"; done; }
{
  mapfile -t b < <(before "$export_args")
  side_by_side export "$HOSHIN_CLI $export_args" "${b[@]}" \
    "$openpyxl $root/benches/openpyxl/bench.py --export city-plan.json openpyxl.xlsx"
  mapfile -t b < <(before "$chart_args")
  side_by_side chart "$HOSHIN_CLI $chart_args" "${b[@]}" \
    "$matplotlib $root/benches/matplotlib/chart_bench.py --once budget matplotlib.png"
  mapfile -t b < <(before "$open_args")
  side_by_side open "$HOSHIN_CLI $open_args" "${b[@]}"
}

instructions() { # the Hoshin side's instruction count, in millions
  [ -n "${NO_CALLGRIND:-}" ] || ! command -v valgrind >/dev/null && { echo "–"; return; }
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/refs:/ {gsub(",", "", $4); printf "%.0f M", $4 / 1e6}'
}
declare -A ir
for what in export chart open; do
  args_var=${what}_args
  for program in "$HOSHIN_CLI" "${befores[@]}"; do
    ir["$program ${!args_var}"]=$(instructions "$program" ${!args_var})
  done
done
for key in "${!ir[@]}"; do printf '%s\t%s\n' "$key" "${ir[$key]}"; done >instructions.tsv

echo
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each; $(date -I)"
python3 - "$root" <<'EOF'
import json, statistics, sys
root = sys.argv[1]
ir = dict(line.rstrip("\n").split("\t") for line in open("instructions.tsv"))
def label(cmd):
    prog = cmd.split()[0]
    if prog.endswith("python"):
        return "openpyxl" if "openpyxl" in cmd else "matplotlib"
    return prog.replace(root + "/", "")
print("| what | program | wall, median | CPU user+sys, mean | instructions | × (wall) | × (CPU) |")
print("|---|---|---:|---:|---:|---:|---:|")
for what in ("export", "chart", "open"):
    results = json.load(open(f"{what}.json"))["results"]
    first = results[0]
    base_wall, base_cpu = statistics.median(first["times"]), first["user"] + first["system"]
    for r in results:
        wall, cpu = statistics.median(r["times"]), r["user"] + r["system"]
        print(f"| {what} | {label(r['command'])} | {wall * 1000:.1f} ms | {cpu * 1000:.1f} ms "
              f"| {ir.get(r['command'], '')} | {wall / base_wall:.1f} | {cpu / base_cpu:.1f} |")
print("\n× = time ÷ the first row's (hoshin-cli) time: how many times faster hoshin-cli is.")
EOF
