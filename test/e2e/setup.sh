#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100 on Node 20) into a cache folder, once.
# Idempotent: a finished install leaves a stamp file and later runs return at once.
# Nothing here downloads a VS Code build or a prebuilt binary: native modules are
# rebuilt against this machine's Node, and ripgrep comes from Debian.
set -euo pipefail

VERSION=4.100.3
CACHE="${TANDEM_E2E_CACHE:-$HOME/.cache/tandem-e2e}"
ROOT="$CACHE/code-server-$VERSION"
STAMP="$ROOT/.installed"
export npm_config_yes=true

if [ -f "$STAMP" ]; then
  echo "$ROOT/node_modules/.bin/code-server"
  exit 0
fi

need=()
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "code-server needs these Debian packages: ${need[*]}" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

rm -rf "$ROOT"
mkdir -p "$ROOT"
cd "$ROOT"
echo '{"name":"tandem-e2e-code-server","private":true}' > package.json
{
  npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION"
  # npm hoists argon2 next to code-server, so it is rebuilt from here.
  npm rebuild argon2

  vscode="$ROOT/node_modules/code-server/lib/vscode"
  cd "$vscode"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild kerberos node-pty @parcel/watcher native-watchdog @vscode/spdlog @vscode/deviceid
  ln -sfn node_modules node_modules.asar
  ln -sfn code-linux.sh bin/remote-cli/code-server
  ln -sfn browser-linux.sh bin/helpers/browser.sh
  (cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts)
} >&2

touch "$STAMP"
echo "$ROOT/node_modules/.bin/code-server"
