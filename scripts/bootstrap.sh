#!/usr/bin/env bash
# Installs what Rollsim needs on a fresh Debian machine with Swift, then builds it in release mode. Quiet
# and idempotent: it installs only what is missing, and says what. As root, or with sudo for apt-get.
#   - libjemalloc-dev: the rollsim binary's allocator on Linux (and its allocation statistics)
#   - OpenMPI (libopenmpi-dev, openmpi-bin; pkg-config): rollsim sweep and capacity over MPI ranks
#   - Slurm (slurmctld, slurmd, slurm-client) and munge: scripts/slurm/local-cluster.sh, a one-node cluster
#   - chromium: scripts/check-report.sh renders reports in it, headless
#   - .venv: the peers of the tests and benchmarks, pinned (yggdrasil-engine, simpy, mmh3)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    say "installing packages needs root: run this as root, or install sudo"
    exit 1
  fi
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Debian's packages: those missing, with one apt-get update. Chromium keeps its recommended packages
# (fonts), the rest are installed without theirs.
if [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null; then
  lean=()
  for package in libjemalloc-dev pkg-config libopenmpi-dev openmpi-bin munge slurmctld slurmd slurm-client; do
    installed "$package" || lean+=("$package")
  done
  full=()
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || full+=(chromium)
  if [ ${#lean[@]} -gt 0 ] || [ ${#full[@]} -gt 0 ]; then
    say "installing from Debian's packages: ${lean[*]} ${full[*]}"
    as_root apt-get update -qq >/dev/null
    if [ ${#lean[@]} -gt 0 ]; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
    fi
    if [ ${#full[@]} -gt 0 ]; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${full[@]}" >/dev/null
    fi
  fi
elif [ "$(uname -s)" = Linux ]; then
  say "no apt-get: install jemalloc, OpenMPI, Slurm with munge, and chromium with this system's packages"
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import yggdrasil_engine, simpy, mmh3' 2>/dev/null; then
  say "installing the peers into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/peers/requirements.txt
fi

build() {
  swift build -c release "$@" 2>&1 | grep -Ev '^(\[[0-9]+/[0-9]+\]|Building for|Compiling|Write|Linking)' >&2 || true
  test -x .build/release/rollsim || { say "the build failed"; swift build -c release; exit 1; }
}
say "building (release)"
build
# Package.swift builds with MPI when OpenMPI is installed, and SwiftPM caches that answer: a checkout
# configured before OpenMPI was installed builds without it until the manifest is read again.
if [ "${ROLLSIM_MPI:-}" != 0 ] && command -v mpirun >/dev/null && .build/release/rollsim ranks | grep -q 'built without MPI'; then
  say "this checkout was configured before OpenMPI was installed: building again with MPI"
  touch Package.swift
  build --manifest-cache none
fi
say "ready: .build/release/rollsim"
