# Shared by scripts/run.sh and scripts/test.sh: install what is missing, once.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }

APT_UPDATED=0
# apt_need PKG...: installs the packages that are not installed yet.
apt_need() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# What building and running the app needs (Tauri v2 on WebKitGTK 4.1).
need_app_packages() {
  apt_need build-essential pkg-config libssl-dev file curl \
    libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev \
    libayatana-appindicator3-dev libxdo-dev fonts-noto-cjk xvfb xauth \
    libclang-dev
  command -v cargo >/dev/null || { echo "Rust (cargo) がありません。rustup で入れてください。" >&2; exit 1; }
  command -v npm >/dev/null || apt_need nodejs npm
}

# npm packages from the committed lockfile; reinstalled only when it changed.
need_npm_packages() {
  local stamp=node_modules/.hoshin-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
}

build_ui() {
  say "UI build (Vite)"
  npm run -s -w ui build
}

# One feature set for every cargo call that builds `hoshin`, so nothing is
# rebuilt twice: the real app serving the built UI, not the dev server.
CARGO_APP_FEATURES=(--features custom-protocol)
