"""Batch access to yggdrasil-engine's REGEX operator (Rust `regex` crate)."""
import json
from yggdrasil_engine.engine import UnleashEngine

_e = UnleashEngine()

def _dsl_safe(p):
    # The rule DSL reads a trailing backslash before the closing quote as an escaped
    # quote; `(?:)` after an even run of backslashes keeps Rust semantics.
    n = len(p) - len(p.rstrip('\\'))
    if n and n % 2 == 0:
        return p + '(?:)'
    return p

def run(pairs, inv=False):
    """pairs: list of (pattern, caseInsensitive, text) -> list of bool"""
    keys = {}
    for p, ci, _ in pairs:
        keys.setdefault((p, ci), len(keys))
    out = []
    items = list(keys.items())
    CH = 500
    res = {}
    for s in range(0, len(items), CH):
        chunk = items[s:s+CH]
        feats = [{'name': 'f%d' % i, 'enabled': True, 'strategies': [{'name': 'default', 'constraints': [
            {'contextName': 'userId', 'operator': 'REGEX', 'value': _dsl_safe(p), 'caseInsensitive': ci, 'inverted': inv}]}]}
            for (p, ci), i in chunk]
        _e.take_state(json.dumps({'version': 1, 'features': feats}))
        for (p, ci, t) in pairs:
            i = keys[(p, ci)]
            if s <= i < s + CH:
                res[(p, ci, t)] = bool(_e.check_enabled('f%d' % i, {'userId': t}).is_enabled)
    return [res[x] for x in pairs]

def chk(p, t, ci=False, inv=False):
    return run([(p, ci, t)], inv)[0]

def valid_many(patterns, ci=False):
    # `|P` matches the empty string iff P compiles (an invalid pattern never matches).
    return run([('|' + p, ci, 'zz') for p in patterns])

def valid(p, ci=False):
    return valid_many([p], ci)[0]
