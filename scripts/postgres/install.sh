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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql > /dev/null
# The package starts a system cluster; the tests run their own, so it may stay stopped.
$SUDO service postgresql stop > /dev/null 2>&1 || true
echo "postgresql: $(ls /usr/lib/postgresql | sort -n | tail -1) installed"
