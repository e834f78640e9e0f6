#!/usr/bin/env bash
# Makes every committed file under results/ except the benchmarks (scripts/benchmarks.sh makes those, and
# they measure this machine): the shipped scenarios' runs and the capacity plan, each with the options it
# was made with. All of them are reproducible: --reproducible leaves out wall time and memory, and the plan
# is given its evaluation cost (--eval-ns 73) instead of measuring it, so the same build gives the same bytes.
#
#   scripts/results.sh           rewrite the files in results/
#   scripts/results.sh --check   rewrite nothing: exit 1 naming each committed file that differs or is missing,
#                                and each file in results/ that this script does not make (.ci/run runs this)
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/results-common.sh results "$@"

# One committed folder: results/NAME gets FILES from rollsim's output folder, and outcome.txt, what it
# printed on stdout (the table alone: where the files went is said on stderr, and --quiet silences that).
commit() {
  local name=$1; shift
  local files=$1; shift
  say "$name: rollsim $*"
  "$rollsim" "$@" --reproducible --quiet --out "$made/out/$name" > "$made/$name.outcome.txt"
  mkdir -p "$made/results/$name"
  for file in $files; do cp "$made/out/$name/$file" "$made/results/$name/$file"; done
  cp "$made/$name.outcome.txt" "$made/results/$name/outcome.txt"
}

for scenario in progressive-release-template sonos-2024-app-rewrite crowdstrike-2024-channel-file-291 \
  cloudflare-2025-11-feature-file google-cloud-2025-06-service-control cloudflare-2025-12-killswitch \
  knight-capital-2012-power-peg windows-2018-10-1809-data-loss; do
  commit "$scenario" "summary.json report.html" run "scenarios/$scenario.yaml"
done
# capacity.csv (one row per second, 2.7 MB) is left out; capacity.json holds its figures.
commit capacity-edge-10m-capacity "capacity.json report.html" capacity scenarios/capacity-edge-10m.yaml --eval-ns 73
# The gates over whole releases (a few minutes): deterministic, whatever the machine.
say "gates.md: rollsim bench gates"
"$rollsim" bench gates --quiet > "$made/results/gates.md"

made_files=$(cd "$made/results" && find . -type f | sed 's|^\./||' | sort)
if [ "$mode" = write ]; then
  for file in $made_files; do
    mkdir -p "results/$(dirname "$file")"
    cp "$made/results/$file" "results/$file"
  done
  say "wrote $(echo "$made_files" | wc -l) files under results/"
  exit 0
fi

status=0
for file in $made_files; do
  if [ ! -f "results/$file" ]; then
    say "results/$file: missing (this script makes it)"; status=1
  elif ! cmp -s "$made/results/$file" "results/$file"; then
    say "results/$file: differs from what this build makes (scripts/results.sh rewrites it)"; status=1
  fi
done
# Everything else in results/ must be made by another command that says so (verdicts.md: scripts/verdicts.sh;
# scaling.md: scripts/scaling.sh, wall times of the machine it ran on, so not checked byte for byte).
committed=$(cd results && find . -type f | sed 's|^\./||' | grep -Ev '^(README\.md|benchmarks\.(md|json)|verdicts\.md|scaling\.md)$' | sort)
for file in $(comm -23 <(echo "$committed") <(echo "$made_files")); do
  say "results/$file: not made by this script"; status=1
done
[ $status -eq 0 ] && say "all $(echo "$made_files" | wc -l) files reproduced byte for byte"
exit $status
