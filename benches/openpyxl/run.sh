#!/usr/bin/env bash
# The openpyxl side of the xlsx benchmark: a venv with openpyxl, then bench.py
# on the bundled demo plan. Usage: benches/openpyxl/run.sh [RUNS] [OUT.xlsx]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${HOSHIN_OPENPYXL_VENV:-$root/target/openpyxl-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "openpyxl==3.1.*"
fi
"$venv/bin/python" "$here/bench.py" "$root/assets/demo/abeno-2024-issue5.json" "${1:-10}" ${2:+"$2"}
