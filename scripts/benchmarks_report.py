#!/usr/bin/env python3
"""Turns the raw figures collected by scripts/benchmarks.sh into results/benchmarks.md and .json.

    python3 scripts/benchmarks_report.py RAW_FOLDER OUT_FOLDER --command "scripts/benchmarks.sh" --seconds 900

Every raw file holds one JSON object per line, one line per run, in the order of the rounds: the n-th line
of a measurement was taken in round n, back to back with the n-th line of its peer. Each figure is the
median of the rounds, shown with the min and max; each ratio is the median of the ratios of the rounds
(never the most favourable round). Standard library only.
"""

import argparse
import json
import os
import statistics
import sys

GIB = 1024**3


def lines(raw, name):
    path = os.path.join(raw, name)
    if not os.path.exists(path):
        return []
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


def median_run(runs, key):
    """The run with the median `key` (the lower middle one for an even count), with the min and max of
    `key` over all runs and how many runs there were; None without runs."""
    runs = [run for run in runs if isinstance(run.get(key), (int, float))]
    if not runs:
        return None
    ordered = sorted(runs, key=lambda run: run[key])
    chosen = ordered[(len(ordered) - 1) // 2]
    return dict(chosen, runs=len(runs), min=ordered[0][key], max=ordered[-1][key])


def spread(values):
    """Median, min and max of a list of numbers, as a dict; None when empty."""
    values = [v for v in values if isinstance(v, (int, float))]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "rounds": len(values)}


def paired(a_runs, b_runs, ratio):
    """Per-round ratios of two measurements taken back to back (round n of each), summarised."""
    return spread([ratio(a, b) for a, b in zip(a_runs, b_runs)])


def cell(figure, key, digits=3, unit=""):
    """`median (min–max)` of a median_run result."""
    if not figure:
        return "–"
    if figure["runs"] == 1:
        return f"{fmt(figure[key], digits)}{unit}"
    return f"{fmt(figure[key], digits)}{unit} ({fmt(figure['min'], digits)}–{fmt(figure['max'], digits)})"


def ratio_cell(s, suffix="×", digits=2):
    if not s:
        return "–"
    return f"{s['median']:.{digits}f}{suffix} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


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
    hash_runs = {name: lines(args.raw, f"hash-{name}.jsonl") for name in ("rollsim", "c", "mmh3")}
    hash_rollsim, hash_c, hash_mmh3 = (median_run(hash_runs[name], "nsPerHash") for name in ("rollsim", "c", "mmh3"))
    checksums = {run["checksum"] for name in ("hash-rollsim.jsonl", "hash-c.jsonl", "hash-mmh3.jsonl")
                 for run in lines(args.raw, name)}
    checksums |= {run["hashChecksum"] for run in lines(args.raw, "eval-constrained-paired.jsonl") if "hashChecksum" in run}
    speed_vs_c = paired(hash_runs["c"], hash_runs["rollsim"], lambda c, r: c["nsPerHash"] / r["nsPerHash"])
    speed_vs_mmh3 = paired(hash_runs["mmh3"], hash_runs["rollsim"], lambda m, r: m["nsPerHash"] / r["nsPerHash"])
    hash_section = {"rollsim": hash_rollsim, "c": hash_c, "mmh3": hash_mmh3, "checksums": sorted(checksums),
                    "rollsimSpeedVsC": speed_vs_c, "rollsimSpeedVsMmh3": speed_vs_mmh3}
    if speed_vs_c:
        target("murmur3: speed vs the C reference (gcc -O3)", "≥ 0.9×", ratio_cell(speed_vs_c), speed_vs_c["median"] >= 0.9)
        target("murmur3: identical checksums (Rollsim, C, mmh3)", "one value", ", ".join(map(str, sorted(checksums))),
               len(checksums) == 1)

    # evaluation: single calls (no "batch" field) and the batch API, each (case, batch) one line a round
    eval_runs = lines(args.raw, "eval-rollsim.jsonl")
    groups = {}
    for run in eval_runs:
        groups.setdefault((run["case"], run.get("batch")), []).append(run)
    cases = [case for case, batch in groups if batch is None]
    evaluation = {case: median_run(groups[(case, None)], "nsPerEval") for case in cases}
    batches = {f"{case}/{batch}": dict(median_run(runs, "nsPerEval"), batch=batch)
               for (case, batch), runs in groups.items() if batch is not None}
    ygg_runs = lines(args.raw, "eval-yggdrasil.jsonl")
    ygg_groups = {}
    for run in ygg_runs:
        ygg_groups.setdefault(run["case"], []).append(run)
    ygg = {case: median_run(runs, "nsPerEval") for case, runs in ygg_groups.items()}
    vs_ygg = {case: paired(ygg_groups[case], groups.get((case, None), []), lambda y, r: y["nsPerEval"] / r["nsPerEval"])
              for case in ygg_groups}
    # constrained and one hash, interleaved in one process (ten turns each) in each round
    rounds = [{"constrainedNsPerEval": e["interleavedNsPerEval"], "nsPerHash": e["interleavedNsPerHash"], "ratio": e["costInHashes"]}
              for e in lines(args.raw, "eval-constrained-paired.jsonl")]
    in_hashes = spread([r["ratio"] for r in rounds])
    eval_section = {"rollsim": evaluation, "batches": batches, "yggdrasil": ygg, "speedVsYggdrasil": vs_ygg,
                    "constrainedAgainstHashRounds": rounds, "constrainedCostInHashes": in_hashes}
    constrained = evaluation.get("constrained")
    if vs_ygg.get("constrained"):
        ratio = vs_ygg["constrained"]
        target("constrained: faster than yggdrasil's C ABI", "≥ 20×", ratio_cell(ratio, digits=0), ratio["median"] >= 20)
    if constrained and ygg.get("constrained"):
        fractions = (constrained["enabledFraction"], ygg["constrained"]["enabledFraction"])
        target("constrained: enabled fraction on both sides", "0.2498",
               f"{fractions[0]:.4f} / {fractions[1]:.4f}", all(abs(f - 0.2498) < 5e-5 for f in fractions))
    if in_hashes:
        paired_eval = spread([r["constrainedNsPerEval"] for r in rounds])
        paired_hash = spread([r["nsPerHash"] for r in rounds])
        target("constrained: cost in Rollsim murmur3 hashes (interleaved)", "≤ 4", ratio_cell(in_hashes, suffix=""),
               in_hashes["median"] <= 4,
               f"median of {in_hashes['rounds']} rounds; {paired_eval['median']:.1f} ns / {paired_hash['median']:.2f} ns")
    all_mallocs = [run.get("mallocsPerEval") for run in eval_runs]
    if all_mallocs:
        numeric = [m for m in all_mallocs if isinstance(m, (int, float))]
        worst = max(numeric) if numeric else None
        target("evaluation: allocations per evaluation (every case and batch)", "0",
               fmt(worst) if worst is not None else str(all_mallocs[0]), worst == 0 and len(numeric) == len(all_mallocs))

    # event queue
    des = {}
    des_runs = {queue: lines(args.raw, f"des-rollsim-{queue}.jsonl") for queue in ("radix", "heap")}
    des_runs["simpy"] = lines(args.raw, "des-simpy.jsonl")
    for queue, runs in des_runs.items():
        for pending in sorted({run["pending"] for run in runs}):
            des.setdefault(pending, {})[queue] = median_run([r for r in runs if r["pending"] == pending], "eventsPerSecond")
    for pending, row in sorted(des.items()):
        if row.get("radix") and row.get("simpy"):
            ratio = paired([r for r in des_runs["radix"] if r["pending"] == pending],
                           [r for r in des_runs["simpy"] if r["pending"] == pending],
                           lambda a, b: a["eventsPerSecond"] / b["eventsPerSecond"])
            row["radixVsSimpy"] = ratio
            target(f"event queue at {fmt(pending)} pending: vs SimPy", "≥ 50×", ratio_cell(ratio, digits=0), ratio["median"] >= 50)

    # whole scenario
    scenario = {run["allocator"]: run for run in lines(args.raw, "scenario.jsonl")}
    jemalloc = scenario.get("jemalloc")
    if jemalloc:
        rate = jemalloc["deviceHoursPerSecond"]
        size = f"{jemalloc['devices']:,} devices"
        full = jemalloc["devices"] >= 10_000_000
        note = "one run" if full else "one run, below the target's 10M devices"
        target(f"whole scenario ({size}): device-hours per wall second", "≥ 10M", fmt(rate),
               (rate >= 1e7) if full else None, note)
        target(f"whole scenario ({size}): peak memory", "≤ 2 GiB", f"{jemalloc['peakRSSBytes'] / GIB:.2f} GiB",
               (jemalloc["peakRSSBytes"] <= 2 * GIB) if full else None, note)
    if jemalloc and scenario.get("glibc"):
        glibc = scenario["glibc"]
        scenario["glibcVsJemalloc"] = {"wallSeconds": glibc["wallSeconds"] / jemalloc["wallSeconds"],
                                       "peakRSSBytes": glibc["peakRSSBytes"] / jemalloc["peakRSSBytes"]}
    small_runs = lines(args.raw, "scenario-small.jsonl")
    small_by = {name: [r for r in small_runs if r["allocator"] == name] for name in ("jemalloc", "glibc")}
    small = {name: median_run(runs, "wallSeconds") for name, runs in small_by.items()}
    if small["jemalloc"] and small["glibc"]:
        scenario["smaller"] = {**small, "glibcVsJemalloc": {
            "wallSeconds": paired(small_by["glibc"], small_by["jemalloc"], lambda g, j: g["wallSeconds"] / j["wallSeconds"]),
            "peakRSSBytes": paired(small_by["glibc"], small_by["jemalloc"], lambda g, j: g["peakRSSBytes"] / j["peakRSSBytes"])}}

    result = {"command": args.command, "seconds": args.seconds, "machine": machine,
              "method": "median of paired rounds, with min and max", "targets": targets,
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
        f"Made by `{args.command}` on {m['date']} at commit {m['commit']} (`git describe`: {m.get('describe', m['commit'])}, "
        f"\"{m.get('subject', '')}\"), in {args.seconds // 60} min {args.seconds % 60} s; these files were committed right "
        "after, in the commit that follows it. Release builds. The script measures in rounds: in each round Rollsim "
        "and its peers run back to back, so both sides of a ratio see the same minute of a shared machine (load average "
        f"{m['loadAverage']} at the start). **Each figure is the median of {m['repeat']} rounds, (min–max) beside it; each "
        "ratio is the median of the rounds' ratios.** Whole scenarios at full size: one run each.",
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
        "| target | goal | measured: median (min–max) | met |",
        "| --- | --- | --- | --- |",
    ]
    for t in targets:
        note = f"; {t['note']}" if t["note"] else ""
        met = "not at the target's size" if t["met"] is None else ("yes" if t["met"] else "**no**")
        md.append(f"| {t['target']} | {t['goal']} | {t['measured']}{note} | {met} |")

    md += ["", "## murmur3 x86_32", "",
           "Seed 0 over the keys `bench.group:<i>`, laid out in memory before timing; the checksum is the sum of "
           "every hash over all passes, wrapping at 2^32.", "",
           "| implementation | command | ns per hash | checksum | Rollsim's speed vs it |",
           "| --- | --- | --- | --- | --- |"]
    rows = [("Rollsim", hash_rollsim, "`rollsim bench hash --keys 1000000 --passes 10`", None),
            ("C reference, gcc -O3", hash_c, "`scripts/peers/murmur3.c`", speed_vs_c),
            ("mmh3 (Python)", hash_mmh3, "`scripts/peers/mmh3_hash.py`", speed_vs_mmh3)]
    for label, run, command, vs in rows:
        if run:
            md.append(f"| {label} | {command} | {cell(run, 'nsPerHash')} | {run['checksum']} | {ratio_cell(vs)} |")

    md += ["", "## Flag evaluation", "",
           "`rollsim bench eval --evaluations 5000000`: contexts built before timing and taken in turn; "
           "allocations counted by jemalloc's statistics. yggdrasil-engine is called through its C ABI from C "
           "(`scripts/peers/yggdrasil_eval.c`: `new_engine`, `take_state`, `check_enabled` or `check_variant`, "
           "`free_response`; JSON context in and JSON answer out, the context strings read before timing), on the "
           "state, flags and contexts Rollsim uses, written by `rollsim bench eval --peer-cases DIR`; "
           f"500,000 evaluations a round.", "",
           "| case | Rollsim ns per evaluation | allocations | enabled | yggdrasil ns per evaluation | enabled | Rollsim's speed vs yggdrasil |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for case, run in evaluation.items():
        mallocs = run.get("mallocsPerEval")
        mallocs = fmt(mallocs) if isinstance(mallocs, (int, float)) else mallocs
        y = ygg.get(case)
        peer = (f"{cell(y, 'nsPerEval')} | {y['enabledFraction']:.4f} | {ratio_cell(vs_ygg.get(case), digits=0)}"
                if y else "– | – | –")
        md.append(f"| {case} | {cell(run, 'nsPerEval')} | {mallocs} | {run['enabledFraction']:.4f} | {peer} |")
    if ygg:
        engine = next(iter(ygg.values())).get("engine", "yggdrasil")
        md += ["", f"The peer is {engine}. Its enabled fraction differs from Rollsim's only where the two loops see "
               "different (context, flag) pairs: it runs fewer evaluations, and large-state pairs 100,000 contexts with "
               "65,536 flags."]
    if in_hashes:
        md += ["", f"`constrained` costs **{in_hashes['median']:.2f}** of Rollsim's murmur3 hashes (min {in_hashes['min']:.2f}, "
               f"max {in_hashes['max']:.2f}): `rollsim bench eval --case constrained --against-hash` times its 5,000,000 "
               "evaluations and 10 passes of `rollsim bench hash`'s 1,000,000 keys in one process, alternating in ten turns "
               f"each, so both see the same moments of the machine; one such run in each of {in_hashes['rounds']} rounds:", "",
               "| round | constrained ns | hash ns | ratio |", "| --- | --- | --- | --- |"]
        for index, r in enumerate(rounds, 1):
            md.append(f"| {index} | {r['constrainedNsPerEval']:.1f} | {r['nsPerHash']:.2f} | {r['ratio']:.2f} |")
    if batches:
        md += ["", "### The batch API", "",
               "`FlagState.isEnabled(_:in:into:)`: one flag for a batch of contexts (`constrained`: a fleet adopting a "
               "state), or a batch of flags for one context (`large-state`, flags taken in turn from its 65,536 random "
               "picks of 350: an edge answering a request). Same evaluations as above, `batch` per call.", "",
               "| case | batch | shape | ns per evaluation | allocations | enabled |", "| --- | --- | --- | --- | --- | --- |"]
        for key, run in sorted(batches.items(), key=lambda kv: (kv[1]["case"], kv[1]["batch"])):
            mallocs = run.get("mallocsPerEval")
            md.append(f"| {run['case']} | {run['batch']:,} | {run.get('shape', '')} | {cell(run, 'nsPerEval')} | "
                      f"{fmt(mallocs) if isinstance(mallocs, (int, float)) else mallocs} | {run['enabledFraction']:.4f} |")

    md += ["", "## Event queue: the hold model", "",
           "N events pending at all times; each event popped schedules one more after an Exp(1 s) delay. "
           "`rollsim bench des --pending N --events 10000000` (`--queue heap` for the 4-ary heap) and "
           "`scripts/peers/simpy_hold.py --pending N --events 1000000` (SimPy's `env.step()`).", "",
           "| pending | Rollsim radix heap (events/s) | Rollsim 4-ary heap (events/s) | SimPy (events/s) | radix vs SimPy | "
           "radix allocations per event |",
           "| --- | --- | --- | --- | --- | --- |"]
    for pending, row in sorted(des.items()):
        mallocs = row.get("radix", {}).get("mallocsPerEvent") if row.get("radix") else None
        mallocs = f"{mallocs:.2g}" if isinstance(mallocs, (int, float)) else "–"
        md.append(f"| {fmt(pending)} | {cell(row.get('radix'), 'eventsPerSecond')} | {cell(row.get('heap'), 'eventsPerSecond')} | "
                  f"{cell(row.get('simpy'), 'eventsPerSecond')} | {ratio_cell(row.get('radixVsSimpy'), digits=0)} | {mallocs} |")
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
        rows = [(f"{name}, one run", scenario.get(name)) for name in ("jemalloc", "glibc")]
        if "smaller" in scenario:
            rows += [(f"{name}, median of {scenario['smaller'][name]['runs']}", scenario["smaller"][name]) for name in ("jemalloc", "glibc")]
        for name, run in rows:
            if run:
                wall = cell(run, "wallSeconds") if "min" in run else f"{run['wallSeconds']:.1f}"
                md.append(f"| {name} | {run['devices']:,} | {fmt(run['deviceHours'])} | {wall} | "
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
            md += ["", f"At {scenario['smaller']['jemalloc']['devices']:,} devices (alternating, {g['wallSeconds']['rounds']} rounds): "
                       f"{ratio_cell(g['wallSeconds'])} the wall time, {ratio_cell(g['peakRSSBytes'])} the peak memory (median of the "
                       "rounds' ratios, min–max)."]
    md.append("")
    with open(os.path.join(args.out, "benchmarks.md"), "w") as file:
        file.write("\n".join(md))
    missed = [t["target"] for t in targets if t["met"] is False]
    met = [t for t in targets if t["met"]]
    print(f"{len(met)} of {len(targets)} targets met" + (f"; missed: {'; '.join(missed)}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
