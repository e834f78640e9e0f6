#!/usr/bin/env python3
"""Differential test: `rollsim eval` against yggdrasil-engine (Unleash's Rust engine).

Generates seeded states and cases (generate.py), or takes them from --dir,
evaluates every case with yggdrasil (check_enabled and check_variant), runs
`ROLLSIM eval --state STATE --contexts CASES` once per state, and compares
the answers case by case. Prints every mismatch, a summary grouped by the
feature's tags, and last the line

    differential: N cases, M mismatches

Exit status: 0 when M == 0, 1 when M > 0 or rollsim failed, 2 on usage errors.

Run with the project's venv (yggdrasil_engine is installed there):

    .venv/bin/python Tests/Differential/run.py            # 30 states x 200 features, 30000 cases
    .venv/bin/python Tests/Differential/run.py --quick    # 5 states x 60 features x 120 cases
    .venv/bin/python Tests/Differential/run.py --ygg-only --stats   # no rollsim: check the generator
"""

import argparse
import ctypes
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402

TOP_LEVEL = generate.TOP_LEVEL
DISABLED = {"name": "disabled", "enabled": False, "feature_enabled": False, "payload": None}


def j(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------
# yggdrasil side
# --------------------------------------------------------------------------

def rust_debug_unescape(text):
    simple = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}

    def one(m):
        if m.group(1).startswith("u{"):
            return chr(int(m.group(1)[2:-1], 16))
        return simple.get(m.group(1), m.group(1))
    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|.)", one, text)


def ygg_engine(state_text):
    """A loaded engine, and the names of the toggles yggdrasil failed to compile."""
    from yggdrasil_engine.engine import UnleashEngine
    engine = UnleashEngine()
    # The binding's take_state drops the warnings; ask the library directly so
    # that "failed to compile, will always be off" toggles are known.
    ptr = engine.lib.take_state(engine.state, state_text.encode("utf-8"))
    try:
        raw = ctypes.cast(ptr, ctypes.c_char_p).value.decode("utf-8")
    finally:
        engine.lib.free_response(ptr)
    # The binding's custom-strategy bookkeeping (which answers False for every
    # strategy it does not know) cannot read a feature without a strategy list.
    parsed = json.loads(state_text)
    for f in parsed.get("features") or []:
        if not isinstance(f.get("strategies"), list):
            f["strategies"] = []
    engine.custom_strategy_handler.update_strategies(json.dumps(parsed))
    resp = json.loads(raw)
    failed = []
    if resp.get("status_code") != "Ok":
        msg = resp.get("error_message") or ""
        if "EvalWarning" not in msg:
            raise RuntimeError("yggdrasil rejected the state: " + msg)
        for m in re.finditer(r'toggle_name: "((?:[^"\\]|\\.)*)"', msg):
            failed.append(rust_debug_unescape(m.group(1)))
    return engine, failed


def ygg_answer(engine, name, ctx, known):
    en = engine.check_enabled(name, ctx)
    fv = engine.check_variant(name, ctx)
    v = fv.variant
    ans = {
        "enabled": bool(en.is_enabled),
        "variant": {"name": v.name, "enabled": bool(v.enabled), "feature_enabled": bool(v.feature_enabled),
                    "payload": v.payload if v.payload else None},
    }
    error = known and (not en.is_found or not fv.is_found)
    return ans, error


def normalize_rollsim(line):
    v = line.get("variant") or {}
    payload = v.get("payload")
    return {
        "enabled": line.get("enabled"),
        "variant": {"name": v.get("name"), "enabled": v.get("enabled"),
                    "feature_enabled": v.get("feature_enabled"), "payload": payload if payload else None},
    }


def diff_fields(a, b):
    out = []
    if a["enabled"] != b["enabled"]:
        out.append("enabled")
    for k in ("name", "enabled", "feature_enabled", "payload"):
        if a["variant"][k] != b["variant"][k]:
            out.append("variant." + k)
    return out


# --------------------------------------------------------------------------
# helpers on states
# --------------------------------------------------------------------------

def feature_tags(f):
    d = f.get("description") or ""
    if d.startswith(generate.TAG_PREFIX):
        return d[len(generate.TAG_PREFIX):].split()
    return []


def ancestors(name, by_name):
    out, todo = [], [name]
    while todo:
        n = todo.pop()
        f = by_name.get(n)
        if f is None:
            continue
        for d in f.get("dependencies") or []:
            p = d.get("feature")
            if p not in out and p != name:
                out.append(p)
                todo.append(p)
    return out


def strategy_kinds(f):
    kinds = []
    for s in f.get("strategies") or []:
        kinds.append(s["name"] if s["name"] in KNOWN_STRATEGIES else "unknown-strategy")
    return kinds


KNOWN_STRATEGIES = ["default", "userWithId", "gradualRolloutUserId", "gradualRolloutSessionId",
                    "gradualRolloutRandom", "flexibleRollout", "remoteAddress", "applicationHostname"]


def operators(f, seg_by_id):
    ops = []
    for s in f.get("strategies") or []:
        cons = list(s.get("constraints") or [])
        for sid in s.get("segments") or []:
            if sid in seg_by_id:
                cons += seg_by_id[sid].get("constraints") or []
        for c in cons:
            op = c.get("operator")
            ops.append(op if op in generate.ALL_OPS else "unknown-operator")
    return ops


# --------------------------------------------------------------------------
# minimization of a mismatch (--minimize)
# --------------------------------------------------------------------------

class Reproducer:
    """Evaluates one (state, case) with both engines, to shrink a mismatch."""

    def __init__(self, rollsim, env, workdir):
        self.rollsim, self.env, self.workdir = rollsim, env, workdir
        self.runs = 0

    def answers(self, state, name, ctx, ygg_repeats=20):
        """Both answers, or None for an engine whose answer is random or that fails."""
        text = j(state)
        engine, _ = ygg_engine(text)
        known = any(f["name"] == name for f in state["features"])
        ys = [ygg_answer(engine, name, ctx, known)[0] for _ in range(ygg_repeats)]
        if any(y != ys[0] for y in ys):
            return None, None           # random in yggdrasil: not a usable reduction
        sp = os.path.join(self.workdir, "min-state.json")
        cp = os.path.join(self.workdir, "min-cases.jsonl")
        with open(sp, "w", encoding="utf-8") as fh:
            fh.write(text)
        with open(cp, "w", encoding="utf-8") as fh:
            # the same case several times: differing answers mean rollsim drew a random number
            fh.write((j({"toggleName": name, "context": ctx}) + "\n") * 8)
        self.runs += 1
        try:
            p = subprocess.run([self.rollsim, "eval", "--state", sp, "--contexts", cp], env=self.env,
                               capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
            rs = [normalize_rollsim(json.loads(ln)) for ln in p.stdout.decode("utf-8").split("\n") if ln.strip()]
        except Exception:
            return ys[0], None
        if p.returncode != 0 or not rs or any(r != rs[0] for r in rs):
            return ys[0], None
        return ys[0], rs[0]

    def mismatch(self, state, name, ctx):
        y, r = self.answers(state, name, ctx)
        return y is not None and r is not None and bool(diff_fields(y, r))


def candidates(state, name, ctx):
    """Smaller (state, ctx) pairs, one change each."""
    import copy
    feats = state["features"]
    for fi, f in enumerate(feats):
        if f["name"] != name and not any(d.get("feature") == f["name"] for g in feats
                                         for d in g.get("dependencies") or []):
            s2 = copy.deepcopy(state)
            del s2["features"][fi]
            yield s2, ctx
    for fi, f in enumerate(feats):
        for key in ("description", "type", "project", "stale", "impressionData", "variants", "dependencies"):
            if key in f:
                s2 = copy.deepcopy(state)
                del s2["features"][fi][key]
                yield s2, ctx
        for di in range(len(f.get("dependencies") or [])):
            s2 = copy.deepcopy(state)
            del s2["features"][fi]["dependencies"][di]
            yield s2, ctx
        for vi, v in enumerate(f.get("variants") or []):
            s2 = copy.deepcopy(state)
            del s2["features"][fi]["variants"][vi]
            if s2["features"][fi]["variants"] and any(x["weight"] for x in s2["features"][fi]["variants"]):
                yield s2, ctx
            for key in ("payload", "overrides"):
                if key in v:
                    s2 = copy.deepcopy(state)
                    del s2["features"][fi]["variants"][vi][key]
                    yield s2, ctx
        for si, s in enumerate(f.get("strategies") or []):
            s2 = copy.deepcopy(state)
            del s2["features"][fi]["strategies"][si]
            yield s2, ctx
            for key in ("constraints", "segments", "variants", "sortOrder"):
                if key in s:
                    s2 = copy.deepcopy(state)
                    del s2["features"][fi]["strategies"][si][key]
                    yield s2, ctx
            for ci in range(len(s.get("constraints") or [])):
                s2 = copy.deepcopy(state)
                del s2["features"][fi]["strategies"][si]["constraints"][ci]
                yield s2, ctx
                c = s["constraints"][ci]
                for vi in range(len(c.get("values") or [])):
                    s2 = copy.deepcopy(state)
                    del s2["features"][fi]["strategies"][si]["constraints"][ci]["values"][vi]
                    yield s2, ctx
            for vi in range(len(s.get("variants") or [])):
                s2 = copy.deepcopy(state)
                del s2["features"][fi]["strategies"][si]["variants"][vi]
                yield s2, ctx
            for pk in list((s.get("parameters") or {}).keys()):
                s2 = copy.deepcopy(state)
                del s2["features"][fi]["strategies"][si]["parameters"][pk]
                yield s2, ctx
    used = [sid for f in feats for s in f.get("strategies") or [] for sid in s.get("segments") or []]
    for gi, g in enumerate(state.get("segments") or []):
        if g["id"] not in used:
            s2 = copy.deepcopy(state)
            del s2["segments"][gi]
            yield s2, ctx
    for k in list(ctx.keys()):
        c2 = dict(ctx)
        del c2[k]
        yield state, c2
    for k in list((ctx.get("properties") or {}).keys()):
        c2 = dict(ctx)
        c2["properties"] = dict(ctx["properties"])
        del c2["properties"][k]
        yield state, c2


def minimize(rep, state, name, ctx, budget=400):
    changed = True
    while changed and rep.runs < budget:
        changed = False
        for s2, c2 in candidates(state, name, ctx):
            if rep.runs >= budget:
                break
            if rep.mismatch(s2, name, c2):
                state, ctx, changed = s2, c2, True
                break
    y, r = rep.answers(state, name, ctx, ygg_repeats=50)
    return state, ctx, y, r


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", help="use the state-*.json / cases-*.jsonl already in DIR instead of generating")
    ap.add_argument("--out", help="generate into OUT and keep it (default: a temporary folder, removed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--states", type=int, default=30)
    ap.add_argument("--features", type=int, default=200, help="features per state")
    ap.add_argument("--contexts", type=int, default=1000, help="cases per state")
    ap.add_argument("--edge-rate", type=float, default=0.2,
                    help="share of features that may hold inputs yggdrasil treats surprisingly (tagged)")
    ap.add_argument("--quick", action="store_true", help="5 states x 60 features x 120 cases")
    ap.add_argument("--rollsim", default=".build/debug/rollsim", help="path of the rollsim executable")
    ap.add_argument("--hostname", default=generate.DEFAULT_HOSTNAME,
                    help="`hostname` environment variable given to both engines")
    ap.add_argument("--ygg-only", action="store_true", help="evaluate with yggdrasil only (no rollsim)")
    ap.add_argument("--stats", action="store_true", help="print coverage and true/false counts")
    ap.add_argument("--skip-tag", action="append", default=[], metavar="TAG",
                    help="leave out cases whose feature (or an ancestor) has TAG; repeatable; see README")
    ap.add_argument("--max-print", type=int, default=0, help="print at most N mismatches in full (0: all)")
    ap.add_argument("--minimize", action="store_true",
                    help="shrink one mismatch of each group to a minimal state and context (runs rollsim often)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds allowed to one rollsim run")
    args = ap.parse_args(argv)

    if args.quick:
        args.states, args.features, args.contexts = 5, 60, 120

    t0 = time.monotonic()
    tmp = None
    if args.dir:
        data_dir = args.dir
        meta_path = os.path.join(data_dir, "generator.json")
        if os.path.exists(meta_path):
            with open(meta_path, encoding="utf-8") as fh:
                args.hostname = json.load(fh).get("hostname", args.hostname)
        ks = sorted(int(m.group(1)) for m in (re.match(r"state-(\d+)\.json$", n) for n in os.listdir(data_dir)) if m)
        pairs = [(os.path.join(data_dir, f"state-{k}.json"), os.path.join(data_dir, f"cases-{k}.jsonl")) for k in ks]
    else:
        if args.out:
            data_dir = args.out
        else:
            tmp = tempfile.mkdtemp(prefix="rollsim-diff-")
            data_dir = tmp
        res = generate.generate(args.seed, args.states, args.contexts, data_dir, args.features, args.hostname,
                                args.edge_rate)
        with open(os.path.join(data_dir, "generator.json"), "w", encoding="utf-8") as fh:
            fh.write(j({"seed": args.seed, "states": args.states, "features": args.features,
                        "contexts": args.contexts, "hostname": args.hostname,
                        "edge_rate": args.edge_rate}) + "\n")
        pairs = [(sp, cp) for sp, cp, _, _ in res]
        if args.stats:
            print("coverage of the generated states:")
            generate.print_coverage(generate.coverage(res))
    if not pairs:
        print("no states found", file=sys.stderr)
        return 2

    os.environ["hostname"] = args.hostname
    logging.getLogger("yggdrasil_engine.engine").setLevel(logging.CRITICAL)
    env = dict(os.environ, hostname=args.hostname)
    rollsim = None
    if not args.ygg_only:
        rollsim = args.rollsim
        if not (os.path.isfile(rollsim) and os.access(rollsim, os.X_OK)):
            print(f"rollsim executable not found at {rollsim} (build it, pass --rollsim, or use --ygg-only)",
                  file=sys.stderr)
            print("differential: 0 cases, 0 mismatches (rollsim missing)")
            return 1

    total = 0
    skipped = 0
    unstable = []
    ygg_errors = []
    mismatches = []
    rollsim_failed = False
    printed_features = set()
    n_printed = 0
    stat = Counter()
    stat_by = defaultdict(Counter)
    t_ygg = 0.0
    t_rs_wait = 0.0

    for sp, cp in pairs:
        with open(sp, encoding="utf-8") as fh:
            state_text = fh.read()
        state = json.loads(state_text)
        with open(cp, encoding="utf-8") as fh:
            cases = [json.loads(line) for line in fh if line.strip()]
        by_name = {f["name"]: f for f in state.get("features") or []}
        seg_by_id = {s["id"]: s for s in state.get("segments") or []}

        # rollsim runs while yggdrasil evaluates the same state
        proc = out_fh = err_fh = None
        if rollsim:
            out_fh = tempfile.TemporaryFile()
            err_fh = tempfile.TemporaryFile()
            proc = subprocess.Popen([rollsim, "eval", "--state", sp, "--contexts", cp],
                                    stdout=out_fh, stderr=err_fh, stdin=subprocess.DEVNULL, env=env)

        t1 = time.monotonic()
        engine, failed = ygg_engine(state_text)
        failed_set = set(failed)
        stat["yggdrasil compile failures (toggles)"] += len(failed)
        stat["yggdrasil compile failures, untagged"] += sum(1 for n in failed if not feature_tags(by_name.get(n, {})))
        if args.stats:
            for n in failed:
                if not feature_tags(by_name.get(n, {})):
                    print("untagged compile failure:", j(by_name.get(n)))
        ygg = []
        for i, case in enumerate(cases):
            name, ctx = case["toggleName"], case["context"]
            known = name in by_name
            a1, err1 = ygg_answer(engine, name, ctx, known)
            a2, err2 = ygg_answer(engine, name, ctx, known)
            if a1 != a2:
                unstable.append((sp, i + 1, name, ctx, a1, a2))
            if err1 or err2:
                ygg_errors.append((sp, i + 1, name, ctx))
            ygg.append((a1, a1 == a2 and not (err1 or err2)))
            if args.stats and known:
                f = by_name[name]
                e = "true" if a1["enabled"] else "false"
                stat["enabled." + e] += 1
                stat["variant." + ("disabled" if a1["variant"]["name"] == "disabled" else "named")] += 1
                for kind in sorted(set(strategy_kinds(f))) or ["(no strategies)"]:
                    stat_by["strategy " + kind][e] += 1
                for op in sorted(set(operators(f, seg_by_id))):
                    stat_by["operator " + op][e] += 1
                if f.get("dependencies"):
                    stat_by["has dependencies"][e] += 1
                if f.get("variants"):
                    stat_by["feature variants: variant"][
                        "named" if a1["variant"]["name"] != "disabled" else "disabled"] += 1
                if any(s.get("variants") for s in f.get("strategies") or []):
                    stat_by["strategy variants: variant"][
                        "named" if a1["variant"]["name"] != "disabled" else "disabled"] += 1
            elif args.stats:
                stat["unknown-toggle"] += 1
        t_ygg += time.monotonic() - t1
        del engine

        if not rollsim:
            total += len(cases)
            continue

        t2 = time.monotonic()
        try:
            rc = proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            rc = "timeout"
        t_rs_wait += time.monotonic() - t2
        out_fh.seek(0)
        err_fh.seek(0)
        out_text = out_fh.read().decode("utf-8", errors="replace")
        err_text = err_fh.read().decode("utf-8", errors="replace")
        out_fh.close()
        err_fh.close()
        lines = [ln for ln in out_text.split("\n") if ln.strip()]
        problem = None
        if rc != 0:
            problem = f"exit status {rc}"
        elif len(lines) != len(cases):
            problem = f"{len(lines)} output lines for {len(cases)} cases"
        parsed = []
        if problem is None:
            for ln in lines:
                try:
                    parsed.append(json.loads(ln))
                except ValueError:
                    problem = "output line is not JSON: " + ln[:200]
                    break
        if problem is not None:
            rollsim_failed = True
            print(f"ROLLSIM FAILED on {os.path.basename(sp)}: {problem}")
            if err_text.strip():
                print("  stderr: " + err_text.strip()[:2000].replace("\n", "\n          "))
            continue

        for i, (case, (ya, stable), line) in enumerate(zip(cases, ygg, parsed)):
            name, ctx = case["toggleName"], case["context"]
            tags = []
            f = by_name.get(name)
            if f is not None:
                tags += feature_tags(f)
                anc = ancestors(name, by_name)
                if name in failed_set or any(a in failed_set for a in anc):
                    tags.append("ygg-compile-failure")
                for a in anc:
                    if a in by_name:
                        tags += feature_tags(by_name[a])
            if any(k in TOP_LEVEL for k in (ctx.get("properties") or {})):
                tags.append("ctx-property-shadow")
            tags = sorted(set(tags))
            if not stable or any(t in args.skip_tag for t in tags):
                skipped += 1
                continue
            total += 1
            ra = normalize_rollsim(line)
            fields = diff_fields(ya, ra)
            if line.get("toggleName") != name:
                fields.append("toggleName (output out of order?)")
            if not fields:
                continue
            mm = {"state": os.path.basename(sp), "line": i + 1, "toggle": name, "context": ctx,
                  "ygg": ya, "rollsim": ra, "fields": fields, "tags": tags, "feature": f,
                  "segments": [seg_by_id[sid] for s in (f or {}).get("strategies") or []
                               for sid in s.get("segments") or [] if sid in seg_by_id],
                  "parents": [by_name[a] for a in ancestors(name, by_name) if a in by_name] if f else []}
            mismatches.append(mm)
            if args.max_print and n_printed >= args.max_print:
                continue
            n_printed += 1
            key = (mm["state"], name)
            print(f"MISMATCH {mm['state']} case {i + 1}: toggle {j(name)}  differs in: {', '.join(fields)}")
            print(f"  context:   {j(ctx)}")
            print(f"  yggdrasil: {j(ya)}")
            print(f"  rollsim:   {j(ra)}")
            if tags:
                print(f"  tags:      {' '.join(tags)}")
            if key in printed_features:
                print("  feature:   (printed above)")
            else:
                printed_features.add(key)
                print(f"  feature:   {j(f)}")
                for seg in mm["segments"]:
                    print(f"  segment:   {j(seg)}")
                for p in mm["parents"]:
                    print(f"  parent:    {j(p)}")

    if unstable:
        print(f"\n{len(unstable)} case(s) where yggdrasil answered differently twice (left out; a generator bug):")
        for sp, ln, name, ctx, a1, a2 in unstable[:10]:
            print(f"  {os.path.basename(sp)} case {ln}: {j(name)} {j(ctx)}\n    {j(a1)}\n    {j(a2)}")
    if ygg_errors:
        print(f"\n{len(ygg_errors)} case(s) where yggdrasil reported an error (left out):")
        for sp, ln, name, ctx in ygg_errors[:10]:
            print(f"  {os.path.basename(sp)} case {ln}: {j(name)} {j(ctx)}")

    if args.stats:
        print("\nyggdrasil answers:")
        for k in sorted(stat):
            print(f"  {k:40s} {stat[k]}")
        print("yggdrasil enabled answers of the cases, by what the feature contains:")
        for k in sorted(stat_by):
            c = stat_by[k]
            print(f"  {k:40s} " + "  ".join(f"{x}={c[x]}" for x in sorted(c)))
        print(f"yggdrasil time: {t_ygg:.1f}s; waiting for rollsim after yggdrasil: {t_rs_wait:.1f}s")

    if mismatches:
        groups = defaultdict(list)
        for mm in mismatches:
            kind = "enabled" if "enabled" in mm["fields"] else "variant"
            groups[(kind, " ".join(mm["tags"]) or "(untagged)")].append(mm)
        print(f"\nmismatches by kind and tags ({len(mismatches)}):")
        for (kind, tags), mms in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            small = min(mms, key=lambda m: len(j(m["feature"])) + len(j(m["context"])) + len(j(m["parents"])))
            print(f"  {len(mms):5d}  {kind:8s} tags: {tags}")
            print(f"         smallest: {small['state']} case {small['line']} toggle {j(small['toggle'])}")

    if mismatches and args.minimize:
        print("\nminimal reproductions (one per group):")
        with tempfile.TemporaryDirectory(prefix="rollsim-min-") as wd:
            rep = Reproducer(rollsim, env, wd)
            for (kind, tags), mms in sorted(groups.items(), key=lambda kv: -len(kv[1])):
                small = min(mms, key=lambda m: len(j(m["feature"])) + len(j(m["context"])) + len(j(m["parents"])))
                st = {"version": 2, "features": [small["feature"]] + small["parents"],
                      "segments": [dict(t) for t in {j(g): g for g in small["segments"]}.values()]}
                rep.runs = 0
                if not rep.mismatch(st, small["toggle"], small["context"]):
                    print(f"  [{kind} / {tags}] {small['state']} case {small['line']}: "
                          "does not reproduce on its own (needs other features of the state?)")
                    continue
                st, ctx, y, r = minimize(rep, st, small["toggle"], small["context"])
                print(f"  [{kind} / {tags}] from {small['state']} case {small['line']} ({rep.runs} runs):")
                print(f"    state:     {j(st)}")
                print(f"    case:      {j({'toggleName': small['toggle'], 'context': ctx})}")
                print(f"    yggdrasil: {j(y)}")
                print(f"    rollsim:   {j(r)}")

    if tmp and not mismatches and not rollsim_failed:
        shutil.rmtree(tmp, ignore_errors=True)
    elif tmp:
        print(f"\nthe generated files are kept in {tmp}")
    elapsed = time.monotonic() - t0
    print(f"time: {elapsed:.1f}s; {skipped} case(s) left out" +
          (f" (--skip-tag {' '.join(args.skip_tag)}, unstable or erroring in yggdrasil)" if skipped else ""))
    if rollsim is None:
        print(f"differential: {total} cases, 0 mismatches (yggdrasil only, rollsim not run)")
        return 0
    status = "" if not rollsim_failed else " (rollsim failed)"
    if total == 0:
        status += " (no case compared: nothing was tested)"
    print(f"differential: {total} cases, {len(mismatches)} mismatches{status}")
    return 1 if (mismatches or rollsim_failed or total == 0) else 0


if __name__ == "__main__":
    sys.exit(main())
