#!/usr/bin/env bash
# Start-up and memory of the window, side by side with LibreOffice Calc
# showing the same plan's workbook, under a private Xvfb.
#
# Hoshin: launch → the plan tree on screen (the UI calls `ui_ready`, which
# writes $HOSHIN_READY_FILE), each run on a fresh file with the demo plan.
# LibreOffice: launch → its window for the demo plan's 事業計画書 workbook is
# mapped (xdotool), each run with its own profile and its own copy.
# Memory 1.5 s later, over the program and its child processes (hoshin +
# WebKitWebProcess + WebKitNetworkProcess; soffice + soffice.bin):
#   alone  every physical page any of them maps, counted once
#          (benches/footprint.py, from /proc/PID/pagemap): what PSS shows when
#          the program runs alone, as on a planner's PC. Repeatable here,
#          where other people's WebKit and LibreOffice processes share pages;
#   PSS    the kernel's proportional count, summed: lower the more other
#          programs on the machine map the same libraries;
#   RSS    summed (shared pages counted in each process);
#   CPU    user+sys time the processes used until then.
#
# Usage: benches/startup.sh [RUNS] [VAR=VALUE...]
#   VAR=VALUE are set for Hoshin only (e.g. WEBKIT_DISABLE_COMPOSITING_MODE=0 to
#   see a setting's share). HOSHIN_APP=path times another build;
#   NO_LIBREOFFICE=1 skips LibreOffice.
# Build first: cargo build --release --features custom-protocol (after npm run -w ui build).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
shift || true
app=${HOSHIN_APP:-${CARGO_TARGET_DIR:-target}/release/hoshin}
[ -x "$app" ] || { echo "build the release app first: cargo build --release --features custom-protocol" >&2; exit 1; }
cli=${CARGO_TARGET_DIR:-target}/release/hoshin-cli
[ -x "$cli" ] || cargo build --quiet --release -p hoshin-cli

display=:77
Xvfb $display -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
work=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1

tree_pids() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do tree_pids "$c"; done; }
sum_kb() { # FIELD... PID...: the fields of smaps_rollup summed over the processes
  local fields=$1; shift
  for p in "$@"; do cat "/proc/$p/smaps_rollup" 2>/dev/null; done |
    awk -v f="$fields" 'BEGIN {n = split(f, a, ",")} {for (i = 1; i <= n; i++) if ($1 == a[i] ":") t += $2} END {print t + 0}'
}
cpu_ms() { local t=0; for p in "$@"; do v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; echo $((t * 1000 / $(getconf CLK_TCK))); }
sample() { # NAME RUN START_NS END_NS PID: one result line
  sleep 1.5 # let the page settle before sampling memory
  local pids; pids=$(tree_pids "$5")
  printf '%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n' "$1" "$2" $((($4 - $3) / 1000000)) "$(cpu_ms $pids)" \
    "$(python3 benches/footprint.py $pids)" $(($(sum_kb Pss $pids) / 1024)) \
    $(($(sum_kb Rss $pids) / 1024)) "$(echo $pids | wc -w)"
}

"$cli" import-json assets/demo/abeno-2024-issue5.json --db "$work/demo.hoshin" >/dev/null
"$cli" export-xlsx --db "$work/demo.hoshin" --ward 阿倍野区 --year 2024 --layout jigyo-keikakusho --out "$work/abeno.xlsx" >/dev/null

printf 'program\trun\tready_ms\tcpu_ms\talone_mib\tpss_mib\trss_mib\tprocesses\n' | tee "$work/results.tsv"
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d -p "$work"); ready="$dir/ready"
  start=$(date +%s%N)
  env "$@" DISPLAY=$display HOSHIN_READY_FILE="$ready" XDG_DATA_HOME="$dir" XDG_CONFIG_HOME="$dir" "$app" --db "$dir/bench.hoshin" >/dev/null 2>&1 & pid=$!
  while [ ! -f "$ready" ]; do sleep 0.005; done
  sample hoshin "$i" "$start" "$(date +%s%N)" $pid | tee -a "$work/results.tsv"
  kill $pid; wait $pid 2>/dev/null || true

  [ -n "${NO_LIBREOFFICE:-}" ] && continue
  command -v soffice >/dev/null || { echo "soffice がありません（apt-get install libreoffice-calc）" >&2; exit 1; }
  cp "$work/abeno.xlsx" "$dir/"
  start=$(date +%s%N)
  DISPLAY=$display soffice --calc --norestore "-env:UserInstallation=file://$dir/profile" "$dir/abeno.xlsx" >/dev/null 2>&1 & pid=$!
  DISPLAY=$display xdotool search --sync --name abeno >/dev/null
  sample libreoffice "$i" "$start" "$(date +%s%N)" $pid | tee -a "$work/results.tsv"
  kill $pid; wait $pid 2>/dev/null || true
done

echo
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -I); medians of $runs runs"
awk -F'\t' 'NR > 1 {k = $1; n[k]++; for (c = 3; c <= 7; c++) v[k, c, n[k]] = $c}
  function median(k, c,   i, j, t, a, m) { m = n[k]; for (i = 1; i <= m; i++) a[i] = v[k, c, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
  END { print "| program | launch → ready (ms) | CPU (ms) | memory alone (MiB) | PSS (MiB) | RSS (MiB) |"
        print "|---|---:|---:|---:|---:|---:|"
        for (k in n) printf "| %s | %d | %d | %d | %d | %d |\n", k, median(k, 3), median(k, 4), median(k, 5), median(k, 6), median(k, 7) }' \
  "$work/results.tsv"
