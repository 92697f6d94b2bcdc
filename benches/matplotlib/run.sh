#!/bin/sh
# Sets up a venv with matplotlib (once) and times the charts.
# Usage: benches/matplotlib/run.sh   (from anywhere; venv in target/matplotlib-venv)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="$root/target/matplotlib-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet matplotlib
fi
exec "$venv/bin/python" "$here/chart_bench.py" "$@"
