#!/usr/bin/env bash
# Builds Hoshin and opens it. On first start the data file is filled with
# the bundled demo plan (阿倍野区 令和6年度 経営課題5).
source "$(dirname "$0")/lib.sh"
need_app_packages
need_npm_packages
build_ui
say "cargo build (hoshin and hoshin-cli)"
cargo build --release --workspace "${CARGO_APP_FEATURES[@]}"
app="${CARGO_TARGET_DIR:-target}/release/hoshin"
say "コマンドライン版: ${CARGO_TARGET_DIR:-target}/release/hoshin-cli --help"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "Hoshin を起動します"
  exec "$app" "$@"
fi
# No display (a server or container): run under Xvfb and leave a screenshot.
apt_need imagemagick
shot="${CARGO_TARGET_DIR:-target}/run-screenshot.png"
say "画面がないため Xvfb 上で起動します。数秒後の画面を $shot に保存します（終了は Ctrl+C）"
exec xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
  "$0" "${@:2}" & pid=$!
  sleep 8 && import -window root "$1" && echo "screenshot: $1"
  wait $pid' "$app" "$shot" "$@"
