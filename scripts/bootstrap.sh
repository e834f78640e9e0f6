#!/usr/bin/env bash
# Installs what Rollsim needs on a fresh Debian machine with Swift, then builds it in release mode.
#   - libjemalloc-dev: the rollsim binary's allocator on Linux (and its allocation statistics)
#   - .venv: the peers of the tests and benchmarks, pinned (yggdrasil-engine, simpy, mmh3)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*" >&2; }

if [ "$(uname -s)" = Linux ] && [ ! -f /usr/include/jemalloc/jemalloc.h ]; then
  say "installing libjemalloc-dev"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjemalloc-dev >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import yggdrasil_engine, simpy, mmh3' 2>/dev/null; then
  say "installing the peers into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/peers/requirements.txt
fi

say "building (release)"
swift build -c release 2>&1 | grep -Ev '^(\[[0-9]+/[0-9]+\]|Building for|Compiling|Write|Linking)' >&2 || true
test -x .build/release/rollsim || { say "the build failed"; swift build -c release; exit 1; }
say "ready: .build/release/rollsim"
