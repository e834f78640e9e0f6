#!/usr/bin/env bash
# Checks issue 12's verdicts over every incident replay and writes results/verdicts.md: each scenario swept
# over seeds (and so over fault arrival times), then
#   1. the best staged policy's mean failed device-hours is at most a quarter of big-bang's;
#   2. on the seeds where the fault arrived only after every staged policy had reached everyone (the
#      sweep's lateArrivals), no guarded policy does worse than big-bang, and where the harm stops when the
#      flag goes off, the best guarded policy does at most half of big-bang.
# To keep it to about a quarter of an hour, fleets are scaled down (--devices); every scenario gets the same
# 32 seeds (12 left a ratio's standard error too wide to tell 0.25 from 0.3). Each row says what it ran. Failed device-hours scale with the fleet, so the ratios, not the figures, are the verdicts.
#
#   scripts/verdicts.sh            rewrite results/verdicts.md (exit 1 if a verdict fails)
#   scripts/verdicts.sh --check    rewrite nothing: exit 1 if results/verdicts.md differs from what it makes
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/results-common.sh verdicts "$@"

# scenario, devices (empty: the scenario's own fleet), seeds
runs=(
  "sonos-2024-app-rewrite 5000 32"
  "crowdstrike-2024-channel-file-291 5000 32"
  "cloudflare-2025-11-feature-file 2000 32"
  "google-cloud-2025-06-service-control 2000 32"
  "cloudflare-2025-12-killswitch 5000 32"
  "knight-capital-2012-power-peg 8000 32"
  # Count-preserving scaling (k = 350 in the file): at 200,000 devices the counts are a tenth of the file's.
  "windows-2018-10-1809-data-loss 200000 32"
)

for run in "${runs[@]}"; do
  read -r name devices seeds <<< "$run"
  say "$name: rollsim sweep --seeds $seeds --devices $devices"
  start=$SECONDS
  "$rollsim" sweep "scenarios/$name.yaml" --seeds "$seeds" --devices "$devices" --quiet --out "$made/$name" > /dev/null
  say "$name: $((SECONDS - start)) s"
  printf '%s %s %s\n' "$name" "$devices" "$seeds" >> "$made/runs.txt"
done

status=0
python3 - "$made" > "$made/verdicts.md" <<'EOF' || status=$?
import json, sys
made = sys.argv[1]
def f(x):
    return "–" if x is None else f"{x:,.1f}"
lines = [
    "# Verdicts over the incident replays (issue 12)",
    "",
    "Made by `scripts/verdicts.sh` (deterministic: the same build writes the same bytes). Each scenario is swept",
    "over seeds (`rollsim sweep`), so over its fault's arrival times where the scenario draws them. To keep the",
    "script to about a quarter of an hour the fleets are scaled down with `--devices` (column *devices*; the",
    "scenarios' own fleets are larger): failed device-hours scale with the fleet, so read the ratios. Every",
    "scenario gets the same seeds. A scaled-down fleet can leave a small first milestone under its gates'",
    "`minSample`, blind until the next one: that costs the staged policies, never helps them.",
    "",
    "**Staging**: the best staged policy's mean failed device-hours must be at most a quarter of big-bang's.",
    "**Late arrival**: on the seeds where the fault arrived only after every staged policy had reached everyone",
    "(a policy that stages the fault's trigger, and so starts with it, is neither waited for nor judged there),",
    "no guarded policy may do worse than big-bang, and where the harm stops when the flag goes off the best",
    "guarded policy must do at most half of big-bang's. A scenario whose fault arrives with the release has no",
    "such seeds.",
    "",
    "## Staging",
    "",
    "| scenario | devices | seeds | big-bang | big-bang-guarded | best staged | best / big-bang | every staged policy / big-bang | verdict |",
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |",
]
late_lines = [
    "",
    "## Late arrival",
    "",
    "| scenario | late seeds | harm ends with the flag | big-bang | guarded policies (mean failed device-hours) | worst / big-bang | best / big-bang | verdict |",
    "| --- | ---: | --- | ---: | --- | ---: | ---: | --- |",
]
failed = []
for row in open(f"{made}/runs.txt"):
    name, devices, seeds = row.split()
    sweep = json.load(open(f"{made}/{name}/sweep.json"))
    split = sweep["benefitSplit"]
    bb = split["bigBangFailedDeviceHours"]["mean"]
    bbg = split["bigBangGuardedFailedDeviceHours"]["mean"]
    best = split["bestStaged"]
    best_h = (split["bestStagedFailedDeviceHours"] or {}).get("mean")
    ratio = None if best_h is None or not bb else best_h / bb
    ok = ratio is not None and ratio <= 0.25
    if not ok: failed.append(f"{name}: staging")
    staged = [p for p in sweep["policies"] if p["staged"]]
    each = ", ".join(
        f"{p['name']} {p['failedDeviceHours']['mean'] / bb:.3f}" + (" (starts with the fault)" if p.get("startsWithFault") else "")
        for p in staged if bb and p["failedDeviceHours"]["mean"] is not None) or "–"
    lines.append(
        f"| {name} | {int(devices):,} | {seeds} | {f(bb)} | {f(bbg)} | {best or '–'}: {f(best_h)} | "
        f"{'–' if ratio is None else f'{ratio:.3f}'} | {each} | {'pass' if ok else 'FAIL'} |")
    late = sweep["lateArrivals"]
    if late is None or late["seeds"] == 0:
        of = late["of"] if late else seeds
        late_lines.append(f"| {name} | 0 of {of} | – | – | – | – | – | no late seeds |")
        continue
    policies = {p["name"]: p["failedDeviceHours"]["mean"] for p in late["policies"]}
    lbb = policies["big-bang"]
    guarded = [(p["name"], p["failedDeviceHours"]["mean"]) for p in late["policies"] if p["guarded"]]
    worst = max(h for _, h in guarded)
    best_g = min(h for _, h in guarded)
    worst_r = worst / lbb if lbb else None
    best_r = best_g / lbb if lbb else None
    ok = worst <= lbb and (not late["harmEndsWithFlag"] or best_g <= lbb / 2)
    if not ok: failed.append(f"{name}: late arrival")
    listed = ", ".join(f"{n} {f(h)}" for n, h in guarded)
    late_lines.append(
        f"| {name} | {late['seeds']} of {late['of']} | {'yes' if late['harmEndsWithFlag'] else 'no'} | {f(lbb)} | {listed} | "
        f"{'–' if worst_r is None else f'{worst_r:.3f}'} | {'–' if best_r is None else f'{best_r:.3f}'} | {'pass' if ok else 'FAIL'} |")
lines += late_lines
lines += ["", "All verdicts pass." if not failed else "Failing: " + "; ".join(failed) + "."]
print("\n".join(lines))
sys.exit(1 if failed else 0)
EOF

if [ "$mode" = write ]; then
  cp "$made/verdicts.md" results/verdicts.md
  say "wrote results/verdicts.md"
elif ! cmp -s "$made/verdicts.md" results/verdicts.md; then
  say "results/verdicts.md differs from what this build makes (scripts/verdicts.sh rewrites it)"; exit 1
fi
exit $status
