#!/usr/bin/env bash
# Debian's PostgreSQL server binaries for the queue's PostgreSQL tests (test/support/postgres.ts
# starts a throwaway cluster from them). Idempotent: does nothing when initdb is already there.
set -euo pipefail
if compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null; then
  echo "postgresql: $(ls /usr/lib/postgresql | sort -n | tail -1) already installed"
  exit 0
fi
SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || { echo 'postgresql: not installed, and installing it needs root or sudo (apt-get install postgresql)' >&2; exit 1; }
  SUDO='sudo'
fi
export DEBIAN_FRONTEND=noninteractive
# Retried after a network failure (scripts/netRetry.mjs); one attempt is update and install, since
# apt-get update only warns when it cannot fetch.
node "$(dirname "${BASH_SOURCE[0]}")/../netRetry.mjs" --tag postgresql --what 'apt-get install postgresql' -- \
  $SUDO env DEBIAN_FRONTEND=noninteractive bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql > /dev/null'
# The package starts a system cluster; the tests run their own, so it may stay stopped.
$SUDO service postgresql stop > /dev/null 2>&1 || true
echo "postgresql: $(ls /usr/lib/postgresql | sort -n | tail -1) installed"
