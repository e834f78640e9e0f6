#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (swiftc -sanitize=fuzzer, through SwiftPM's --sanitize=fuzzer, in
# .build-fuzz) and runs each for a bounded time.
#
#   scripts/fuzz.sh [--seconds N] [TARGET...]     targets: client-features delta eval-case scenario regex
#
# Seeds are made at run time from ../shared and the repository (scripts/fuzz-seeds.py) into
# .build-fuzz/seeds/; what the fuzzer finds is kept in .build-fuzz/corpus/<target>/ and grows from run to
# run. A crash, a trap, a timeout (over 20 s on one input) or 4 GB of memory stops that target, writes the
# input to .build-fuzz/crashes/ and makes the script exit with 1 once every target has run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
case "$seconds" in ''|*[!0-9]*|0) echo "fuzz.sh: --seconds takes a whole number above 0" >&2; exit 2 ;; esac
all=(client-features delta eval-case scenario regex)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

product() {
  case "$1" in
    client-features) echo FuzzClientFeatures ;;
    delta) echo FuzzDelta ;;
    eval-case) echo FuzzEvalCase ;;
    scenario) echo FuzzScenario ;;
    regex) echo FuzzRegex ;;
    *) echo "fuzz.sh: unknown target '$1' (expected one of: ${all[*]})" >&2; exit 2 ;;
  esac
}
for target in "${targets[@]}"; do product "$target" > /dev/null; done

say() { printf 'fuzz: %s\n' "$*" >&2; }
scratch=.build-fuzz
for target in "${targets[@]}"; do
  say "building $(product "$target")"
  ROLLSIM_FUZZ=1 swift build -c release --scratch-path "$scratch" --sanitize=fuzzer --product "$(product "$target")" 2>&1 \
    | grep -Ev '^(\[[0-9]+/[0-9]+\]|Building for|Compiling|Write|Linking|Build of product)' >&2 || true
  test -x "$scratch/release/$(product "$target")" || { say "the build of $(product "$target") failed"; exit 1; }
done

rm -rf "$scratch/seeds"
python3 scripts/fuzz-seeds.py "$scratch/seeds"
mkdir -p "$scratch/crashes"

failed=()
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus"
  say "$target: ${seconds}s"
  log="$scratch/$target.log"
  dictionary=()
  [ -f "$scratch/seeds/$target.dict" ] && dictionary=(-dict="$scratch/seeds/$target.dict")
  if "$scratch/release/$(product "$target")" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$scratch/crashes/$target-" "${dictionary[@]}" \
      "$corpus" "$scratch/seeds/$target" > "$log" 2>&1; then
    say "$target: $(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$') inputs, no crash ($(ls "$corpus" | wc -l) in the corpus)"
  else
    failed+=("$target")
    say "$target: FAILED; the last lines of $log:"
    tail -n 30 "$log" >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  say "crashed: ${failed[*]} (inputs in $scratch/crashes/)"
  exit 1
fi
say "no crash in ${targets[*]}"
