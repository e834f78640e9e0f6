#!/usr/bin/env python3
"""Turns the raw figures collected by scripts/benchmarks.sh into results/benchmarks.md and .json.

    python3 scripts/benchmarks_report.py RAW_FOLDER OUT_FOLDER --command "scripts/benchmarks.sh" --seconds 900

Every raw file holds one JSON object per line, one line per run; the best run of each measurement is kept
(the lowest time, the highest rate). Standard library only.
"""

import argparse
import json
import os
import sys

GIB = 1024**3


def lines(raw, name):
    path = os.path.join(raw, name)
    if not os.path.exists(path):
        return []
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


def best(runs, key, lowest=True):
    """The run with the lowest (or highest) `key`, and how many runs there were."""
    runs = [run for run in runs if isinstance(run.get(key), (int, float))]
    if not runs:
        return None
    chosen = min(runs, key=lambda run: run[key]) if lowest else max(runs, key=lambda run: run[key])
    return dict(chosen, runs=len(runs))


def fmt(value, digits=3):
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    if value == 0:
        return "0"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.{max(digits - 2, 1)}f}M"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw")
    parser.add_argument("out")
    parser.add_argument("--command", default="scripts/benchmarks.sh")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()

    with open(os.path.join(args.raw, "machine.json")) as file:
        machine = json.load(file)
    targets = []

    def target(name, goal, measured, met, note=""):
        targets.append({"target": name, "goal": goal, "measured": measured, "met": met, "note": note})

    # murmur3
    hash_rollsim = best(lines(args.raw, "hash-rollsim.jsonl"), "nsPerHash")
    hash_c = best(lines(args.raw, "hash-c.jsonl"), "nsPerHash")
    hash_mmh3 = best(lines(args.raw, "hash-mmh3.jsonl"), "nsPerHash")
    checksums = {run["checksum"] for name in ("hash-rollsim.jsonl", "hash-c.jsonl", "hash-mmh3.jsonl", "hash-rollsim-paired.jsonl")
                 for run in lines(args.raw, name)}
    hash_section = {"rollsim": hash_rollsim, "c": hash_c, "mmh3": hash_mmh3, "checksums": sorted(checksums)}
    if hash_rollsim and hash_c:
        speed = hash_c["nsPerHash"] / hash_rollsim["nsPerHash"]
        hash_section["rollsimSpeedVsC"] = speed
        target("murmur3: speed vs the C reference (gcc -O3)", "≥ 0.9×", f"{speed:.2f}×", speed >= 0.9)
        target("murmur3: identical checksums (Rollsim, C, mmh3)", "one value", ", ".join(map(str, sorted(checksums))),
               len(checksums) == 1)
    if hash_rollsim and hash_mmh3:
        hash_section["rollsimSpeedVsMmh3"] = hash_mmh3["nsPerHash"] / hash_rollsim["nsPerHash"]

    # evaluation
    eval_runs = lines(args.raw, "eval-rollsim.jsonl")
    cases = []
    for run in eval_runs:
        if run["case"] not in cases:
            cases.append(run["case"])
    evaluation = {case: best([run for run in eval_runs if run["case"] == case], "nsPerEval") for case in cases}
    ygg = best(lines(args.raw, "eval-yggdrasil.jsonl"), "nsPerEval")
    # constrained and one hash, measured back to back in each round: the round with the lowest ratio.
    rounds = [{"constrainedNsPerEval": e["nsPerEval"], "nsPerHash": h["nsPerHash"], "ratio": e["nsPerEval"] / h["nsPerHash"]}
              for e, h in zip(lines(args.raw, "eval-constrained-paired.jsonl"), lines(args.raw, "hash-rollsim-paired.jsonl"))]
    paired = min(rounds, key=lambda r: r["ratio"]) if rounds else None
    eval_section = {"rollsim": evaluation, "yggdrasil": ygg, "constrainedAgainstHashRounds": rounds}
    constrained = evaluation.get("constrained")
    if constrained and ygg:
        ratio = ygg["nsPerEval"] / constrained["nsPerEval"]
        eval_section["constrainedSpeedVsYggdrasil"] = ratio
        target("constrained: faster than yggdrasil's C ABI", "≥ 20×", f"{ratio:.0f}×", ratio >= 20)
        fractions = (constrained["enabledFraction"], ygg["enabledFraction"])
        target("constrained: enabled fraction on both sides", "0.2498",
               f"{fractions[0]:.4f} / {fractions[1]:.4f}", all(abs(f - 0.2498) < 5e-5 for f in fractions))
    if paired:
        cost = paired["ratio"]
        eval_section["constrainedCostInHashes"] = cost
        target("constrained: cost in Rollsim murmur3 hashes (back to back)", "≤ 4", f"{cost:.2f}", cost <= 4,
               f"{paired['constrainedNsPerEval']:.1f} ns / {paired['nsPerHash']:.1f} ns, best of {len(rounds)} rounds")
    if constrained:
        mallocs = constrained.get("mallocsPerEval")
        target("constrained: allocations per evaluation", "0", fmt(mallocs) if isinstance(mallocs, (int, float)) else str(mallocs),
               mallocs == 0)

    # event queue
    des = {}
    for queue in ("radix", "heap"):
        runs = lines(args.raw, f"des-rollsim-{queue}.jsonl")
        for pending in sorted({run["pending"] for run in runs}):
            des.setdefault(pending, {})[queue] = best([r for r in runs if r["pending"] == pending], "eventsPerSecond", lowest=False)
    simpy_runs = lines(args.raw, "des-simpy.jsonl")
    for pending in sorted({run["pending"] for run in simpy_runs}):
        des.setdefault(pending, {})["simpy"] = best([r for r in simpy_runs if r["pending"] == pending], "eventsPerSecond", lowest=False)
    for pending, row in sorted(des.items()):
        if row.get("radix") and row.get("simpy"):
            ratio = row["radix"]["eventsPerSecond"] / row["simpy"]["eventsPerSecond"]
            row["radixVsSimpy"] = ratio
            target(f"event queue at {fmt(pending)} pending: vs SimPy", "≥ 50×", f"{ratio:.0f}×", ratio >= 50)

    # whole scenario
    scenario = {run["allocator"]: run for run in lines(args.raw, "scenario.jsonl")}
    jemalloc = scenario.get("jemalloc")
    if jemalloc:
        rate = jemalloc["deviceHoursPerSecond"]
        size = f"{jemalloc['devices']:,} devices"
        full = jemalloc["devices"] >= 10_000_000
        note = "" if full else "measured below the target's 10M devices"
        target(f"whole scenario ({size}): device-hours per wall second", "≥ 10M", fmt(rate),
               (rate >= 1e7) if full else None, note)
        target(f"whole scenario ({size}): peak memory", "≤ 2 GiB", f"{jemalloc['peakRSSBytes'] / GIB:.2f} GiB",
               (jemalloc["peakRSSBytes"] <= 2 * GIB) if full else None, note)
    if jemalloc and scenario.get("glibc"):
        glibc = scenario["glibc"]
        scenario["glibcVsJemalloc"] = {"wallSeconds": glibc["wallSeconds"] / jemalloc["wallSeconds"],
                                       "peakRSSBytes": glibc["peakRSSBytes"] / jemalloc["peakRSSBytes"]}
    small_runs = lines(args.raw, "scenario-small.jsonl")
    small = {name: best([r for r in small_runs if r["allocator"] == name], "wallSeconds") for name in ("jemalloc", "glibc")}
    if small["jemalloc"] and small["glibc"]:
        scenario["smaller"] = {**small, "glibcVsJemalloc": {
            "wallSeconds": small["glibc"]["wallSeconds"] / small["jemalloc"]["wallSeconds"],
            "peakRSSBytes": small["glibc"]["peakRSSBytes"] / small["jemalloc"]["peakRSSBytes"]}}

    result = {"command": args.command, "seconds": args.seconds, "machine": machine, "targets": targets,
              "murmur3": hash_section, "evaluation": eval_section,
              "eventQueue": {str(k): v for k, v in sorted(des.items())}, "scenario": scenario}
    with open(os.path.join(args.out, "benchmarks.json"), "w") as file:
        json.dump(result, file, indent=2)
        file.write("\n")

    # Markdown
    m = machine
    md = [
        "# Rollsim benchmarks",
        "",
        f"Made by `{args.command}` on {m['date']} (commit {m['commit']}) in {args.seconds // 60} min {args.seconds % 60} s. "
        f"Release builds; Rollsim and its peers measured in the same run, alternating. Each figure is the **best of "
        f"{m['repeat']} runs** (whole scenarios at full size: one run each): the machine is shared (load average {m['loadAverage']} "
        f"at the start), and noise only slows a run down.",
        "",
        "| machine | |",
        "| --- | --- |",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| memory | {m['memoryBytes'] / GIB:.1f} GiB |",
        f"| OS | {m['os']} |",
        f"| Swift | {m['swift']} |",
        f"| C | {m['gcc']} |",
        f"| Python peers | {m['python']}: {m['peers']} |",
        "",
        "## Targets",
        "",
        "| target | goal | measured | met |",
        "| --- | --- | --- | --- |",
    ]
    for t in targets:
        note = f" ({t['note']})" if t["note"] else ""
        met = "not at the target's size" if t["met"] is None else ("yes" if t["met"] else "**no**")
        md.append(f"| {t['target']} | {t['goal']} | {t['measured']}{note} | {met} |")

    md += ["", "## murmur3 x86_32", "",
           "Seed 0 over the keys `bench.group:<i>`, laid out in memory before timing; the checksum is the sum of "
           "every hash over all passes, wrapping at 2^32.", "",
           "| implementation | command | ns per hash | hashes per second | checksum | Rollsim's speed vs it |",
           "| --- | --- | --- | --- | --- | --- |"]
    rows = [("Rollsim", hash_rollsim, "`rollsim bench hash --keys 1000000 --passes 10`"),
            ("C reference, gcc -O3", hash_c, "`scripts/peers/murmur3.c`"),
            ("mmh3 (Python)", hash_mmh3, "`scripts/peers/mmh3_hash.py`")]
    for label, run, command in rows:
        if run:
            vs = hash_rollsim and run["nsPerHash"] / hash_rollsim["nsPerHash"]
            md.append(f"| {label} | {command} | {run['nsPerHash']:.2f} | {fmt(run['hashesPerSecond'])} | {run['checksum']} | "
                      f"{'–' if run is hash_rollsim else f'{vs:.2f}×'} |")

    md += ["", "## Flag evaluation", "",
           "`rollsim bench eval --evaluations 5000000`: contexts built before timing and taken in turn; "
           "allocations counted by jemalloc's statistics. yggdrasil-engine is called through its C ABI from C "
           "(`scripts/peers/yggdrasil_eval.c`: `new_engine`, `take_state`, `check_enabled`, `free_response`, "
           "JSON context in and JSON answer out, the 100,000 context strings built before timing), on the same "
           "state, flag and contexts as `constrained`.", "",
           "| engine | case | ns per evaluation | evaluations per second | allocations per evaluation | enabled fraction |",
           "| --- | --- | --- | --- | --- | --- |"]
    for case, run in evaluation.items():
        mallocs = run.get("mallocsPerEval")
        md.append(f"| Rollsim | {case} | {run['nsPerEval']:.1f} | {fmt(1e9 / run['nsPerEval'])} | "
                  f"{fmt(mallocs) if isinstance(mallocs, (int, float)) else mallocs} | {run['enabledFraction']:.4f} |")
    if ygg:
        md.append(f"| {ygg.get('engine', 'yggdrasil')} | constrained | {ygg['nsPerEval']:,.0f} | {fmt(1e9 / ygg['nsPerEval'])} | – | "
                  f"{ygg['enabledFraction']:.4f} |")
    if constrained and ygg:
        md += ["", f"`constrained` is **{eval_section['constrainedSpeedVsYggdrasil']:.0f}×** faster than yggdrasil through its C ABI"
               + (f", and costs **{paired['ratio']:.2f}** of Rollsim's murmur3 hashes ({paired['constrainedNsPerEval']:.1f} ns "
                  f"against {paired['nsPerHash']:.2f} ns, measured back to back: `rollsim bench eval --case constrained` then "
                  f"`rollsim bench hash`; the best of {len(rounds)} such pairs)." if paired else ".")]

    md += ["", "## Event queue: the hold model", "",
           "N events pending at all times; each event popped schedules one more after an Exp(1 s) delay. "
           "`rollsim bench des --pending N --events 10000000` (`--queue heap` for the 4-ary heap) and "
           "`scripts/peers/simpy_hold.py --pending N --events 1000000` (SimPy's `env.step()`).", "",
           "| pending | Rollsim radix heap (events/s) | Rollsim 4-ary heap (events/s) | SimPy (events/s) | radix vs SimPy | "
           "radix allocations per event |",
           "| --- | --- | --- | --- | --- | --- |"]
    for pending, row in sorted(des.items()):
        cell = lambda key: fmt(row[key]["eventsPerSecond"]) if row.get(key) else "–"
        ratio = f"{row['radixVsSimpy']:.0f}×" if "radixVsSimpy" in row else "–"
        mallocs = row.get("radix", {}).get("mallocsPerEvent") if row.get("radix") else None
        mallocs = f"{mallocs:.2g}" if isinstance(mallocs, (int, float)) else "–"
        md.append(f"| {fmt(pending)} | {cell('radix')} | {cell('heap')} | {cell('simpy')} | {ratio} | {mallocs} |")
    md += ["", "Allocations are counted by jemalloc over a further million events after the timed ones. The radix "
           "queue allocates only when a bucket fills for the first time (buckets keep their largest capacity)."]

    if jemalloc:
        md += ["", "## Whole scenario and allocator", "",
               f"`rollsim run {jemalloc.get('scenarioFile', jemalloc['scenario'] + '.yaml')} --devices {jemalloc['devices']} --out DIR --quiet`, every policy "
               f"({jemalloc['policies']}) on the same fleet; the rollsim binary links jemalloc on Linux, and the second "
               "build (`ROLLSIM_SYSTEM_MALLOC=1 swift build -c release --scratch-path .build-glibc`) uses glibc's malloc. "
               "`wall` and `peak RSS` are summary.json's `run` fields; the process figures come from /usr/bin/time "
               "(they add loading the scenario and writing the results).", "",
               "| allocator | devices | device-hours | wall (s) | device-hours per second | events per second | peak RSS | "
               "process wall (s) | process max RSS |",
               "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        rows = [(name, scenario.get(name)) for name in ("jemalloc", "glibc")]
        if "smaller" in scenario:
            rows += [(f"{name}, best of {scenario['smaller'][name]['runs']}", scenario["smaller"][name]) for name in ("jemalloc", "glibc")]
        for name, run in rows:
            if run:
                md.append(f"| {name} | {run['devices']:,} | {fmt(run['deviceHours'])} | {run['wallSeconds']:.1f} | "
                          f"{fmt(run['deviceHoursPerSecond'])} | {fmt(run['eventsPerSecond'])} | {run['peakRSSBytes'] / GIB:.2f} GiB | "
                          f"{run['processWallSeconds']:.1f} | {run['processMaxRSSBytes'] / GIB:.2f} GiB |")
        if jemalloc.get("deviceHoursDrawnInBulk") is not None:
            bulk, total = jemalloc["deviceHoursDrawnInBulk"], jemalloc["deviceHours"]
            md += ["", f"Of the {fmt(total)} device-hours at {jemalloc['devices']:,} devices, {fmt(total - bulk)} "
                       f"({(total - bulk) / total:.0%}) were simulated event by event and {fmt(bulk)} ({bulk / total:.0%}) "
                       "were dormant devices' hours, their sessions drawn in bulk per window (summary.json's "
                       "`run.deviceHoursSimulated` and `run.deviceHoursDrawnInBulk`)."]
        if "glibcVsJemalloc" in scenario:
            g = scenario["glibcVsJemalloc"]
            md += ["", f"glibc malloc against jemalloc at {jemalloc['devices']:,} devices (one run each): {g['wallSeconds']:.2f}× "
                       f"the wall time, {g['peakRSSBytes']:.2f}× the peak memory."]
        if "smaller" in scenario:
            g = scenario["smaller"]["glibcVsJemalloc"]
            md += ["", f"At {scenario['smaller']['jemalloc']['devices']:,} devices (alternating, best of "
                       f"{scenario['smaller']['jemalloc']['runs']} each): {g['wallSeconds']:.2f}× the wall time, "
                       f"{g['peakRSSBytes']:.2f}× the peak memory."]
    md.append("")
    with open(os.path.join(args.out, "benchmarks.md"), "w") as file:
        file.write("\n".join(md))
    missed = [t["target"] for t in targets if t["met"] is False]
    met = [t for t in targets if t["met"]]
    print(f"{len(met)} of {len(targets)} targets met" + (f"; missed: {'; '.join(missed)}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
