#!/usr/bin/env bash
# What an edit costs (issue 10), as whole processes: `hoshin-cli import-json
# --replace` of a plan in which one field changed, alternating two versions so
# every run is a real change. Time with hyperfine, and the file's growth after
# ten such replaces (history included), for the demo plan with eight 560 kB
# photos and for a city-sized plan (1,200 具体的取組).
#
# Usage: benches/edit_cost.sh [RUNS]          (default 10)
#   HOSHIN_CLI=path          a hoshin-cli to measure instead of building one
#   HOSHIN_CLI_BEFORE=path   an older hoshin-cli measured beside it
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-10}
target=${CARGO_TARGET_DIR:-$root/target}
command -v hyperfine >/dev/null || { echo "hyperfine がありません（apt-get install hyperfine）" >&2; exit 1; }
if [ -z "${HOSHIN_CLI:-}" ]; then
  cargo build --quiet --release -p hoshin-cli
  HOSHIN_CLI=$target/release/hoshin-cli
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet --release -p hoshin-core --example bench-inputs -- "$work" >/dev/null
cd "$work"

# Two versions of each plan that differ in 区の使命 only; the photo plan gets
# eight photos of 560 kB: a JPEG then random bytes (incompressible, like JPEG).
python3 - <<'EOF'
import base64, copy, json, os
city = json.load(open("city-plan.json"))
def versions(plan, name):
    for n in (1, 2):
        p = copy.deepcopy(plan)
        p["mission"] = f"{p.get('mission') or ''} 版{n}"
        json.dump(p, open(f"{name}-{n}.json", "w"), ensure_ascii=False)
versions(city, "city")
# A real 1×1 JPEG first: Hoshin stores only images that are what they say.
tiny_jpeg = base64.b64decode("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==")
photos = copy.deepcopy(city)
photos["issues"] = photos["issues"][:1]
photos["issues"][0]["strategies"] = photos["issues"][0]["strategies"][:1]
first = photos["issues"][0]["strategies"][0]["initiatives"][0]
first["photos"] = [{"caption": f"区政会議 {k}", "media_type": "image/jpeg",
                    "data_base64": base64.b64encode(tiny_jpeg + os.urandom(560_000)).decode()}
                   for k in range(8)]
versions(photos, "photos")
EOF

measure() { # LABEL CLI
  local label=$1 cli=$2
  for plan in photos city; do
    rm -f "$plan.hoshin"*
    "$cli" import-json "$plan-1.json" --db "$plan.hoshin" >/dev/null
    local before; before=$(stat -c %s "$plan.hoshin")
    for k in 1 2 3 4 5 6 7 8 9 10; do
      "$cli" import-json "$plan-$(( k % 2 + 1 )).json" --db "$plan.hoshin" --replace >/dev/null
    done
    "$cli" plans --db "$plan.hoshin" >/dev/null # a read closes the WAL into the file
    printf '| %s | %s | %s | %s |\n' "$label" "$plan" \
      "$(numfmt --grouping "$before") B" "$(numfmt --grouping $(( $(stat -c %s "$plan.hoshin") - before ))) B"
  done
  hyperfine --style none -N --warmup 2 --runs "$runs" --export-json "time-$label.json" \
    "$cli import-json city-1.json --db city.hoshin --replace" \
    "$cli import-json city-2.json --db city.hoshin --replace" >/dev/null
  local rss
  rss=$({ /usr/bin/time -f %M "$cli" import-json city-1.json --db city.hoshin --replace >/dev/null; } 2>&1)
  python3 -c '
import json, statistics, sys
label, rss = sys.argv[1], int(sys.argv[2])
r = json.load(open(f"time-{label}.json"))["results"]
t = [x for a in r for x in a["times"]]
print(f"| {label} | city, one replace | wall median {statistics.median(t) * 1000:.0f} ms | max RSS {rss // 1024} MiB |")
' "$label" "$rss"
}
echo "| build | plan | file after import | growth after 10 replaces |"
echo "|---|---|---:|---:|"
if [ -n "${HOSHIN_CLI_BEFORE:-}" ]; then measure before "$HOSHIN_CLI_BEFORE"; fi
measure after "$HOSHIN_CLI"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs; $(date -I)"
