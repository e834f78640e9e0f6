#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into OUT/<target>/, made at run time from what the repository
and ../shared hold (nothing of ../shared is committed): the client specification's states, deltas and
test contexts, the bench state, the test exports, the shipped scenarios, and the regexes of the tests.

Usage: scripts/fuzz-seeds.py OUT
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
SPEC = os.path.join(SHARED, "unleash-client-specification", "specifications")


def write(out, target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def specification():
    if not os.path.isdir(SPEC):
        sys.exit(f"fuzz-seeds: the client specification is missing at {SPEC}")
    for name in sorted(os.listdir(SPEC)):
        if name.endswith(".json") and name != "index.json":
            with open(os.path.join(SPEC, name), encoding="utf-8") as f:
                yield json.load(f)


def swift_string(literal, raw):
    if raw:
        return literal
    def one(m):
        text = m.group(1)
        if text.startswith("u{"):
            return chr(int(text[2:-1], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(text, text)
    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|.)", one, literal)


def main(out):
    compact = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for suite in specification():
        state = suite["state"]
        if "events" in state:
            write(out, "delta", compact(state))
            write(out, "client-features", compact(state))
        else:
            write(out, "client-features", compact(state))
            write(out, "delta", compact({"events": [{"eventId": 1, "type": "hydration",
                                                      "features": state.get("features", []),
                                                      "segments": state.get("segments", [])}]}))
            for feature in state.get("features", []):
                write(out, "delta", compact({"events": [{"eventId": 2, "type": "feature-updated", "feature": feature}]}))
        tests = suite.get("tests", []) + suite.get("variantTests", [])
        lines = [compact({"toggleName": t["toggleName"], "context": t.get("context", {})}) for t in tests]
        if lines:
            write(out, "eval-case", "\n".join(lines) + "\n")
            for line in lines[:3]:
                write(out, "eval-case", line)
        for feature in state.get("features", []) if isinstance(state, dict) else []:
            for strategy in feature.get("strategies") or []:
                for constraint in strategy.get("constraints") or []:
                    if constraint.get("operator") == "REGEX" and isinstance(constraint.get("value"), str):
                        write(out, "regex", b"\0" + constraint["value"].encode() + b"\0" + b"cat")
    for path in [os.path.join(SHARED, "bench", "constrained-state.json")] + [
        os.path.join(ROOT, "Tests", "FlagEngineTests", "Exports", name)
        for name in sorted(os.listdir(os.path.join(ROOT, "Tests", "FlagEngineTests", "Exports")))
    ]:
        with open(path, "rb") as f:
            write(out, "client-features", f.read())
    scenarios = os.path.join(ROOT, "scenarios")
    # A dictionary for the scenario target: the keys the shipped scenarios use, and numbers at the edges.
    tokens = {"1e308", "-1e308", "1e19", "-0", "0", "-1", "0.5", ".nan", ".inf", "-.inf", "18446744073709551616",
              "9223372036854775807", "1 s", "5m", "24h", "31d", "null", "~", "[]", "{}", "&a", "*a"}
    for name in sorted(os.listdir(scenarios)):
        if name.endswith(".yaml"):
            with open(os.path.join(scenarios, name), "rb") as f:
                text = f.read()
            write(out, "scenario", text)
            tokens.update(re.findall(r"^\s*-?\s*([A-Za-z][A-Za-z0-9]*):", text.decode("utf-8"), re.M))
    with open(os.path.join(out, "scenario.dict"), "w", encoding="utf-8") as f:
        for token in sorted(tokens):
            f.write(json.dumps(token) + "\n")
    # Patterns of the regex tests, each with its first matching text: (flags byte, pattern, NUL, text).
    with open(os.path.join(ROOT, "Tests", "FlagEngineTests", "RustRegexTests.swift"), encoding="utf-8") as f:
        source = f.read()
    literal = r'(#?)"((?:[^"\\]|\\.)*)"\1'
    for m in re.finditer(r"\.(?:rust|refused)\(" + literal + r"(?P<rest>[^\n]*)", source):
        pattern = swift_string(m.group(2), m.group(1) == "#")
        ci = b"\1" if "ci: true" in m.group("rest") else b"\0"
        text = re.search(r"matches: \[" + literal, m.group("rest"))
        sample = swift_string(text.group(2), text.group(1) == "#") if text else ""
        write(out, "regex", ci + pattern.encode() + b"\0" + sample.encode())


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
