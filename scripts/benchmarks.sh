#!/usr/bin/env bash
# Rollsim beside its peers, on the same work, in one run; writes results/benchmarks.md and .json.
#
#   scripts/benchmarks.sh                      # everything (README: how long it took here)
#   scripts/benchmarks.sh --repeat 7           # more paired rounds (default 5)
#   scripts/benchmarks.sh --devices 1000000    # a smaller whole-scenario run
#   scripts/benchmarks.sh --no-scenario        # hot paths only (a few minutes)
#
# Builds rollsim in release mode twice (with jemalloc, its allocator on Linux, and with the C library's
# malloc, in .build-glibc), builds the C peers with gcc (murmur3 -O3, the yggdrasil C ABI driver), installs
# the Python peers into .venv (yggdrasil-engine, whose wheel carries libyggdrasilffi.so, mmh3, simpy),
# then measures in rounds: each round runs Rollsim and its peers back to back, so both sides of a ratio
# see the same minute of a shared machine. The report keeps the median of the rounds, with the min and max.
set -euo pipefail
cd "$(dirname "$0")/.."

arguments="$*"
repeat=5
devices=10000000
scenario=scenarios/progressive-release-template.yaml
run_scenario=1
out=results
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --devices) devices="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --no-scenario) run_scenario=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "benchmarks: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

started=$SECONDS
say() { printf 'benchmarks [%4ss]: %s\n' "$((SECONDS - started))" "$*" >&2; }
raw=$(mktemp -d /tmp/rollsim-benchmarks.XXXXXX)
trap 'rm -rf "$raw"' EXIT

# --- build ---------------------------------------------------------------------------------------------
say "bootstrap: jemalloc, the Python peers in .venv, release build"
scripts/bootstrap.sh
rollsim=.build/release/rollsim

say "release build on glibc malloc (.build-glibc)"
ROLLSIM_SYSTEM_MALLOC=1 swift build -c release --product rollsim --scratch-path .build-glibc 2>&1 \
  | grep -Ev '^(\[[0-9]+/[0-9]+\]|Building for|Compiling|Write|Linking|Fetching|Fetched|Computing|Computed|Creating|Working copy)' >&2 || true
rollsim_glibc=.build-glibc/release/rollsim
test -x "$rollsim_glibc" || { say "the glibc build failed"; exit 1; }

say "C peers (gcc)"
mkdir -p .build-peers
gcc -O3 -o .build-peers/murmur3 scripts/peers/murmur3.c
gcc -O2 -o .build-peers/yggdrasil_eval scripts/peers/yggdrasil_eval.c -ldl
ygglib=$(ls .venv/lib/python*/site-packages/yggdrasil_engine/lib/libyggdrasilffi.so | head -n 1)
test -f "$ygglib" || { say "libyggdrasilffi.so is missing from .venv (yggdrasil-engine)"; exit 1; }
python=.venv/bin/python

# --- the machine ---------------------------------------------------------------------------------------
{
  printf '{"cpu":"%s",' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  printf '"cores":%s,' "$(nproc)"
  printf '"memoryBytes":%s,' "$(awk '/MemTotal/ {print $2 * 1024}' /proc/meminfo)"
  printf '"os":"%s",' "$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  printf '"swift":"%s",' "$(swift --version 2>&1 | grep -m1 'Swift version' | sed 's/"/ /g')"
  printf '"gcc":"%s",' "$(gcc --version | head -n 1)"
  printf '"python":"%s",' "$($python --version 2>&1)"
  printf '"peers":"%s",' "$($python -m pip list --disable-pip-version-check 2>/dev/null | awk '$1 ~ /^(yggdrasil-engine|mmh3|simpy)$/ {printf "%s %s, ", $1, $2}' | sed 's/, $//')"
  printf '"commit":"%s",' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf '"describe":"%s",' "$(git describe --always --dirty 2>/dev/null || echo unknown)"
  printf '"subject":"%s",' "$(git log -1 --format=%s 2>/dev/null | sed 's/["\\]/ /g')"
  printf '"date":"%s",' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '"loadAverage":"%s",' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '"repeat":%s}\n' "$repeat"
} >"$raw/machine.json"

# --- murmur3 -------------------------------------------------------------------------------------------
keys=1000000 passes=10
say "murmur3: $keys keys x $passes passes, $repeat rounds (Rollsim, C, mmh3)"
for ((i = 0; i < repeat; i++)); do
  "$rollsim" bench hash --keys $keys --passes $passes --json >>"$raw/hash-rollsim.jsonl"
  .build-peers/murmur3 --keys $keys --passes $passes --json >>"$raw/hash-c.jsonl"
  $python scripts/peers/mmh3_hash.py --keys $keys --passes $passes --json >>"$raw/hash-mmh3.jsonl"
done

# --- flag evaluation -----------------------------------------------------------------------------------
evaluations=5000000 ygg_evaluations=500000
mkdir "$raw/cases"
"$rollsim" bench eval --peer-cases "$raw/cases"
say "evaluation: every case x $evaluations and the batch API; yggdrasil's C ABI on four cases x $ygg_evaluations; $repeat rounds"
for ((i = 0; i < repeat; i++)); do
  "$rollsim" bench eval --evaluations $evaluations --json >>"$raw/eval-rollsim.jsonl"
  for case in rollout constrained variants large-state; do
    mode=""
    [ $case = variants ] && mode=--variant
    .build-peers/yggdrasil_eval --library "$ygglib" --cases "$raw/cases" --case $case $mode \
      --evaluations $ygg_evaluations --json >>"$raw/eval-yggdrasil.jsonl"
  done
  # constrained against one murmur3 hash: the two interleaved in one process, ten turns each.
  "$rollsim" bench eval --case constrained --batch 0 --against-hash --evaluations $evaluations --json \
    >>"$raw/eval-constrained-paired.jsonl"
done

# --- event queue ---------------------------------------------------------------------------------------
say "event queue: hold model at 10k, 1M and 10M pending; SimPy at 10k and 1M"
for pending in 10000 1000000 10000000; do
  events=10000000
  for ((i = 0; i < repeat; i++)); do
    "$rollsim" bench des --pending $pending --events $events --json >>"$raw/des-rollsim-radix.jsonl"
    "$rollsim" bench des --pending $pending --events $events --queue heap --json >>"$raw/des-rollsim-heap.jsonl"
    if [ $pending -le 1000000 ]; then
      $python scripts/peers/simpy_hold.py --pending $pending --events 1000000 --json >>"$raw/des-simpy.jsonl"
    fi
  done
done

# --- whole scenario, jemalloc and glibc malloc ---------------------------------------------------------
# measure_scenario VARIANT DEVICES OUTPUT.jsonl: one run, its summary.json's run fields and /usr/bin/time's figures.
measure_scenario() {
  local variant=$1 size=$2 binary=$rollsim folder="$raw/scenario-$1-$2"
  [ "$variant" = glibc ] && binary=$rollsim_glibc
  /usr/bin/time -f '%e %M' -o "$raw/time" "$binary" run "$scenario" --devices "$size" --out "$folder" --quiet >/dev/null
  read -r wall maxrss <"$raw/time"
  $python - "$folder/summary.json" "$variant" "$wall" "$maxrss" "$scenario" >>"$3" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))
print(json.dumps({"allocator": sys.argv[2], "scenarioFile": sys.argv[5], "processWallSeconds": float(sys.argv[3]),
                  "processMaxRSSBytes": int(sys.argv[4]) * 1024, "scenario": summary["scenario"],
                  "devices": summary["devices"], "deviceHours": summary["deviceHours"], **summary["run"]}))
EOF
  rm -rf "$folder"
}
if [ $run_scenario = 1 ]; then
  for variant in jemalloc glibc; do
    say "whole scenario: $scenario at $devices devices, $variant"
    measure_scenario $variant "$devices" "$raw/scenario.jsonl"
  done
  # One run each at full size is one sample: the allocators are also compared at a tenth of the size,
  # alternating, in --repeat rounds.
  small=$((devices / 10))
  say "allocators: $scenario at $small devices, jemalloc and glibc alternating, $repeat rounds"
  for ((i = 0; i < repeat; i++)); do
    for variant in jemalloc glibc; do measure_scenario $variant $small "$raw/scenario-small.jsonl"; done
  done
fi

# --- the report ----------------------------------------------------------------------------------------
say "writing $out/benchmarks.md and $out/benchmarks.json"
mkdir -p "$out"
python3 scripts/benchmarks_report.py "$raw" "$out" --command "scripts/benchmarks.sh${arguments:+ $arguments}" --seconds $((SECONDS - started))
say "done in $((SECONDS - started))s"
