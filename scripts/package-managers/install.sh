#!/usr/bin/env bash
# pnpm 10 and 11 and Yarn 4 (berry), for the tests that run a project's scripts with its real package
# manager inside the sandbox (test/support/packageManagers.ts). Each is installed from the npm registry
# as `npm install -g` lays a global prefix out (`bin/pnpm -> ../lib/node_modules/pnpm/bin/pnpm.cjs`),
# into $ORCH_E2E_CACHE/package-managers/<tool>-<major> (default <repo>/.cache/e2e), at a pinned version.
# Idempotent: does nothing when they are already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${ORCH_E2E_CACHE:-$ROOT/.cache/e2e}"
DIR="$CACHE/package-managers"
# Pinned: a new release must not change what the tests see (update here and in test/support/packageManagers.ts).
TOOLS=("pnpm-10 pnpm@10.34.9 pnpm" "pnpm-11 pnpm@11.28.11 pnpm" "yarn-4 @yarnpkg/cli-dist@4.18.1 yarn")
# An npm started by `npm run` exports npm_config_* that would point an inner `npm install -g` elsewhere.
unset npm_config_prefix npm_config_global npm_config_local_prefix

for entry in "${TOOLS[@]}"; do
  read -r name spec bin <<< "$entry"
  prefix="$DIR/$name"
  stamp="$prefix/.installed-${spec//\//_}"
  if [ -x "$prefix/bin/$bin" ] && [ -f "$stamp" ]; then
    echo "package-managers: $spec already in $prefix"
    continue
  fi
  rm -rf "$prefix.partial"
  mkdir -p "$prefix.partial"
  node "$ROOT/scripts/netRetry.mjs" --tag package-managers --what "npm install -g $spec" -- \
    npm install -g --prefix "$prefix.partial" --no-audit --no-fund --loglevel=error "$spec" > /dev/null
  touch "$prefix.partial/$(basename "$stamp")"
  rm -rf "$prefix"
  mv "$prefix.partial" "$prefix"
  echo "package-managers: $spec in $prefix ($("$prefix/bin/$bin" --version))"
done
