#!/usr/bin/env bash
# Every check and test Hoshin has: format, lints, UI type check, Rust unit
# and integration tests, UI unit tests, and end-to-end tests of the real app
# under Xvfb. Installs what it needs first; fast the second time.
source "$(dirname "$0")/lib.sh"
need_app_packages
# LibreOffice renders the exported workbooks in the tests; Carlito has
# Calibri's metrics, so its columns are as wide as in Excel.
apt_need webkit2gtk-driver imagemagick libreoffice-calc poppler-utils fonts-crosextra-carlito xdotool dbus python3-xlib
# A reply to a request workbook is filled in Calc through its Python bridge.
apt_need python3-uno
# The tests edit an exported workbook with openpyxl, as another program would.
python3 -c 'import openpyxl' 2>/dev/null \
  || python3 -m pip install --quiet openpyxl 2>/dev/null \
  || apt_need python3-openpyxl
command -v tauri-driver >/dev/null || [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ] \
  || { say "cargo install tauri-driver"; cargo install tauri-driver --locked --quiet; }
need_npm_packages

say "cargo fmt --check"
cargo fmt --all --check

# The UI is built first: the app embeds ui/dist when it compiles.
build_ui
say "UI type check (svelte-check)"
npm run -s -w ui check
say "UI unit tests (vitest)"
npm run -s -w ui test

# One feature set for the whole workspace, so the core is compiled once. This
# also builds hoshin-cli, which the end-to-end tests use to read files back.
say "Rust unit, integration and CLI tests (also writes ui/src/bindings)"
cargo test --workspace "${CARGO_APP_FEATURES[@]}"

say "TypeScript bindings are up to date"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git add -N ui/src/bindings
  git diff --exit-code --stat -- ui/src/bindings \
    || { echo "ui/src/bindings が Rust の型と一致しません。生成結果をコミットしてください。" >&2; exit 1; }
fi

say "cargo clippy -D warnings"
cargo clippy --workspace --all-targets "${CARGO_APP_FEATURES[@]}" -- -D warnings

# A minute of fuzzing per import path (the long runs are in docs/BENCHMARKS.md).
FUZZ_DEV=1 scripts/fuzz.sh import_json 60
FUZZ_DEV=1 scripts/fuzz.sh import_xlsx 60

say "End-to-end tests (real app, WebKitWebDriver, Xvfb)"
cargo test -p hoshin "${CARGO_APP_FEATURES[@]}" --test e2e --test e2e_editing --test e2e_file --test e2e_seed --test e2e_reply --test desktop -- --ignored --test-threads=1

# Last: bundling with --config rebuilds the app crate once more.
say "The Debian package installs and starts (scripts/test-deb.sh)"
bash scripts/test-deb.sh

say "すべてのテストに合格しました"
