#!/usr/bin/env bash
# Python 3 with venv and pip, and pytest and Hypothesis, for the engine tests that prove a Python
# project's criteria (test/support/pythonEnv.ts: each test makes its own venv from what this
# leaves). Idempotent: does nothing when they are already there.
#
# pytest and Hypothesis are kept as wheels in $ORCH_E2E_CACHE/python-wheels (default
# <repo>/.cache/e2e), fetched by pip from PyPI or the index this machine's pip is set to; a test's
# venv installs them from there without the network. Where pip cannot get them, Debian's
# python3-pytest and python3-hypothesis are installed instead, and a venv made with
# --system-site-packages sees them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${ORCH_E2E_CACHE:-$ROOT/.cache/e2e}"
WHEELS="$CACHE/python-wheels"

apt_install() {
  local SUDO=''
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || { echo "python: $* not installed, and installing them needs root or sudo (apt-get install $*)" >&2; exit 1; }
    SUDO='sudo'
  fi
  # Retried after a network failure (scripts/netRetry.mjs); one attempt is update and install, since
  # apt-get update only warns when it cannot fetch.
  node "$ROOT/scripts/netRetry.mjs" --tag python --what "apt-get install $*" -- \
    $SUDO env DEBIAN_FRONTEND=noninteractive bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" > /dev/null' apt "$@"
}

# 1. Python 3 that makes venvs and has pip.
if ! python3 -c 'import venv, ensurepip' > /dev/null 2>&1 || ! python3 -m pip --version > /dev/null 2>&1; then
  echo "python: installing Debian's python3, python3-venv and python3-pip"
  apt_install python3 python3-venv python3-pip
fi

# 2. pytest and Hypothesis.
have_wheels() { compgen -G "$WHEELS/pytest-*.whl" > /dev/null && compgen -G "$WHEELS/hypothesis-*.whl" > /dev/null; }
if have_wheels; then
  echo "python: $(python3 --version), pytest and Hypothesis wheels already in $WHEELS"
  exit 0
fi
if python3 -c 'import pytest, hypothesis' > /dev/null 2>&1 && [ "$(command -v python3)" = /usr/bin/python3 ]; then
  echo "python: $(python3 --version) with Debian's pytest and Hypothesis already installed"
  exit 0
fi
rm -rf "$WHEELS.partial"
mkdir -p "$WHEELS.partial"
# Bounded: an unreachable index is one quick failure, and Debian's packages are the way then.
if python3 -m pip download --quiet --disable-pip-version-check --retries 1 --timeout 30 --dest "$WHEELS.partial" pytest hypothesis; then
  rm -rf "$WHEELS"
  mv "$WHEELS.partial" "$WHEELS"
  echo "python: pytest and Hypothesis wheels in $WHEELS ($(ls "$WHEELS" | tr '\n' ' '))"
  exit 0
fi
rm -rf "$WHEELS.partial"
echo "python: pip could not download pytest and Hypothesis; installing Debian's python3-pytest and python3-hypothesis"
apt_install python3-pytest python3-hypothesis
/usr/bin/python3 -c 'import pytest, hypothesis' || { echo 'python: Debian'"'"'s pytest and Hypothesis do not import' >&2; exit 1; }
echo "python: $(/usr/bin/python3 --version) with Debian's pytest and Hypothesis installed"
