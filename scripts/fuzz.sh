#!/usr/bin/env bash
# Fuzzes an import path with cargo fuzz (libFuzzer), seeded with the example
# plan and the workbooks Hoshin exports from it.
#   scripts/fuzz.sh import_json|import_xlsx [SECONDS]   (default 60)
# FUZZ_DEV=1 builds without optimisation: a much quicker build for a short
# run (scripts/test.sh); the long runs in docs/BENCHMARKS.md are optimised.
# Crashes land in fuzz/artifacts/TARGET/; each one becomes a regression test
# (src-tauri/core/tests/fuzz_regressions.rs). Stable Rust: cargo fuzz passes
# -Z flags, which RUSTC_BOOTSTRAP=1 allows; no sanitizer (the code is safe
# Rust: panics, overflows, timeouts and memory blow-ups are what we look for).
source "$(dirname "$0")/lib.sh"
target=${1:?import_json or import_xlsx}
seconds=${2:-60}
command -v cargo-fuzz >/dev/null || [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo-fuzz" ] \
  || { say "cargo install cargo-fuzz"; cargo install cargo-fuzz --locked --quiet; }

seeds=fuzz/seeds
say "fuzz seeds"
cargo run -q -p hoshin-core --example fuzz_seeds -- "$seeds"
mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"

say "cargo fuzz run $target (${seconds} s)"
# Memory: 2 GB RSS and 1 GB per allocation; a workbook within the reader's
# limits needs far less. 30 s per input.
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --debug-assertions ${FUZZ_DEV:+--dev} "$target" \
  "fuzz/corpus/$target" "$seeds/$target" -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=30 \
  -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$target/"
