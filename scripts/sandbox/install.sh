#!/usr/bin/env bash
# Debian's bubblewrap and socat: the sandbox every CLI agent and every validate command runs in
# on Linux (src/core/sandbox). Idempotent: does nothing when both are already there.
set -euo pipefail
if command -v bwrap > /dev/null && command -v socat > /dev/null; then
  echo "sandbox: $(bwrap --version) and socat already installed"
  exit 0
fi
SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || { echo 'sandbox: not installed, and installing it needs root or sudo (apt-get install bubblewrap socat)' >&2; exit 1; }
  SUDO='sudo'
fi
echo 'sandbox: apt-get install bubblewrap socat: Debian packages, system-wide (`sudo apt-get remove bubblewrap socat` removes them; docs/footprint.md)'
export DEBIAN_FRONTEND=noninteractive
# Retried after a network failure (scripts/netRetry.mjs); one attempt is update and install, since
# apt-get update only warns when it cannot fetch.
node "$(dirname "${BASH_SOURCE[0]}")/../netRetry.mjs" --tag sandbox --what 'apt-get install bubblewrap socat' -- \
  $SUDO env DEBIAN_FRONTEND=noninteractive bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends bubblewrap socat > /dev/null'
echo "sandbox: $(bwrap --version) and socat installed"
