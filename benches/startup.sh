#!/usr/bin/env bash
# Start-up benchmark: time from launching `hoshin` to the plan tree being on
# screen (the UI calls `ui_ready`, which writes $HOSHIN_READY_FILE), and the
# memory (RSS and PSS) of the app and its WebKit processes at that moment.
# Runs under its own Xvfb on a fresh demo database each time.
# Usage: benches/startup.sh [RUNS]   (build first: scripts/run.sh or cargo build --release --features custom-protocol)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
app="${CARGO_TARGET_DIR:-target}/release/hoshin"
[ -x "$app" ] || { echo "build the release app first: cargo build --release --features custom-protocol" >&2; exit 1; }

Xvfb :77 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1

# Sum a /proc/PID/smaps_rollup field over a process and all its descendants.
tree_pids() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do tree_pids "$c"; done; }
sum_kb() { local field=$1; shift; local t=0; for p in "$@"; do
  v=$(awk -v f="$field:" '$1==f {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; echo $t; }

printf 'run\tready_ms\trss_mib\tpss_mib\tprocesses\n'
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d); ready="$dir/ready"
  start=$(date +%s%N)
  DISPLAY=:77 HOSHIN_READY_FILE="$ready" XDG_DATA_HOME="$dir" XDG_CONFIG_HOME="$dir" "$app" --db "$dir/bench.hoshin" >/dev/null 2>&1 & pid=$!
  while [ ! -f "$ready" ]; do sleep 0.005; done
  end=$(date +%s%N)
  sleep 0.3 # let the webview settle before sampling memory
  pids=$(tree_pids $pid)
  rss=$(sum_kb Rss $pids); pss=$(sum_kb Pss $pids)
  printf '%d\t%d\t%.1f\t%.1f\t%d\n' "$i" $(((end - start) / 1000000)) "$(echo "$rss/1024" | bc -l)" "$(echo "$pss/1024" | bc -l)" "$(echo $pids | wc -w)"
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
done
