#!/usr/bin/env bash
# The Debian package installs and starts (issue 13): builds the .deb with the
# Tauri CLI from npm, installs it with apt-get on this machine (no chroot: the
# package's dependencies are the ones test.sh installs anyway), starts the
# installed /usr/bin/hoshin under Xvfb on the demo plan, waits until the UI
# reports the plan tree on screen, checks the window title, and removes the
# package again.
#
# The package is a debug build (`tauri build --debug`): it reuses what test.sh
# has just compiled instead of a 15-minute release build. The release package's
# size is in docs/BENCHMARKS.md.
#
# Usage: scripts/test-deb.sh            (as root, after `npm run -w ui build`)
#   DEB_RELEASE=1   build the release package instead (for its size)
source "$(dirname "$0")/lib.sh"
target=${CARGO_TARGET_DIR:-$PWD/target}
profile=debug profile_flag=--debug
[ -n "${DEB_RELEASE:-}" ] && profile=release profile_flag=
if dpkg-query -W -f='${Status}' hoshin 2>/dev/null | grep -q "install ok installed"; then
  echo "hoshin パッケージがすでに入っています。このテストは入れて消すので、先に apt-get remove hoshin してください。" >&2
  exit 1
fi

say "hoshin-cli for the package (a sidecar beside hoshin)"
if [ $profile = release ]; then
  cargo build --quiet --release -p hoshin-cli
else
  # The binary test.sh's workspace tests built (nothing to do after them);
  # `-p hoshin-cli` alone would compile the core once more with other features.
  cargo test --quiet --workspace "${CARGO_APP_FEATURES[@]}" --no-run
fi
triple=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p gen/bin
cp "$target/$profile/hoshin-cli" "gen/bin/hoshin-cli-$triple"

say ".deb with the Tauri CLI ($profile)"
rm -rf "$target/$profile/bundle/deb"
# The same features as test.sh's cargo calls, so only the app crate is rebuilt.
npx --no-install tauri build $profile_flag --bundles deb --ci \
  --features custom-protocol --config src-tauri/bundle.conf.json
deb=$(ls "$target/$profile"/bundle/deb/*.deb)
printf '%s: %s bytes (%.1f MiB)\n' "$(basename "$deb")" "$(stat -c %s "$deb")" \
  "$(echo "$(stat -c %s "$deb") / 1048576" | bc -l)"

work=$(mktemp -d)
cleanup() {
  [ -n "${app:-}" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null
  if dpkg-query -W -f='${Status}' hoshin 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq hoshin >/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say "apt-get install ./$(basename "$deb")"
cp "$deb" "$work/hoshin.deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$work/hoshin.deb" >/dev/null
for f in /usr/bin/hoshin /usr/bin/hoshin-cli /usr/share/applications/Hoshin.desktop; do
  [ -e "$f" ] || { echo "パッケージに $f がありません" >&2; exit 1; }
done
/usr/bin/hoshin-cli --version

say "the installed app starts under Xvfb and shows the demo plan's tree"
/usr/bin/hoshin-cli import-json assets/demo/abeno-2024-issue5.json --db "$work/demo.hoshin" >/dev/null
# A free display: the lowest without a lock file.
display=120
while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
mkdir -p "$work/home"
# Its own data and config folders, and no session bus: one instance per test.
env -u DBUS_SESSION_BUS_ADDRESS DISPLAY=":$display" HOME="$work/home" \
  XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" \
  HOSHIN_READY_FILE="$work/ready" /usr/bin/hoshin "$work/demo.hoshin" >"$work/app.log" 2>&1 & app=$!
for _ in $(seq 1 600); do
  [ -s "$work/ready" ] && break
  kill -0 "$app" 2>/dev/null || { cat "$work/app.log" >&2; echo "hoshin が画面を出す前に終了しました" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/ready" ] || { cat "$work/app.log" >&2; echo "60 秒待ってもツリーが表示されません" >&2; exit 1; }
# 計画全体, then each 経営課題, 戦略 and 具体的取組: the UI counts its [role=treeitem].
items=$(sed -n 's/^tree_items=//p' "$work/ready")
/usr/bin/hoshin-cli export-json --db "$work/demo.hoshin" --ward 阿倍野区 --year 2024 --out "$work/plan.json" >/dev/null
expected=$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))
print(1 + sum(1 + sum(1 + len(s["initiatives"]) for s in i["strategies"]) for i in p["issues"]))' "$work/plan.json")
echo "tree items on screen: $items (the plan has $expected)"
[ "$items" = "$expected" ] || { echo "ツリーの項目数が違います: 画面 $items、ファイル $expected" >&2; exit 1; }
title=$(DISPLAY=":$display" timeout 30 xdotool search --sync --onlyvisible --name 'Hoshin' getwindowname | head -1)
echo "window: $title"
[ "$title" = "Hoshin — 区運営方針" ] || { echo "ウィンドウのタイトルが違います: $title" >&2; exit 1; }
DISPLAY=":$display" import -window root "$target/deb-test.png"
echo "screenshot: $target/deb-test.png"

say "apt-get remove hoshin"
kill "$app"; wait "$app" 2>/dev/null || true; app=
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq hoshin >/dev/null
[ ! -e /usr/bin/hoshin ] || { echo "/usr/bin/hoshin が残っています" >&2; exit 1; }
echo "installed, started, showed the tree, removed"
