#!/usr/bin/env python3
"""Seeded generator of Unleash client-features states and evaluation cases.

Writes, for k in 0..N-1:
  DIR/state-<k>.json   {"version": 2, "features": [...], "segments": [...]}
  DIR/cases-<k>.jsonl  one {"toggleName": ..., "context": {...}} per line

The same --seed (and the same other options) gives byte-identical files: all
randomness comes from random.Random seeded per state, nothing iterates over a
set or depends on the hash seed, and JSON is written with sorted keys.

Contexts are drawn per case for one feature of the state, so that each
constraint is sometimes satisfied (a value taken from the constraint itself),
sometimes not, and sometimes missing. Contexts never leave an outcome to
chance: whenever yggdrasil would fall back to a random number (a rollout or a
variant whose stickiness value is missing from the context) the context is
completed so that the stickiness value is present.

A feature whose behaviour in yggdrasil-engine 2.0.0 is known to be surprising
carries tags in its "description" ("diff-tags: tag1 tag2"); run.py groups
mismatches by those tags and can leave tagged features out (--skip-tag).
See README.md for the list.
"""

import argparse
import ipaddress
import json
import os
import random
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone

DEFAULT_HOSTNAME = "rollsim-diff-host"
TAG_PREFIX = "diff-tags:"

# --------------------------------------------------------------------------
# Value pools
# --------------------------------------------------------------------------

USER_IDS = [f"u{i}" for i in range(1, 31)] + [
    "user-ä", "用户-7", "admin@example.com", "U1", "u01", "x" * 40,
]
SESSION_IDS = [f"s-{i:04x}" for i in range(0, 4000, 97)]
ENVIRONMENTS = ["production", "staging", "development", "test", "Production", "prod-eu", "ẞtaging"]
APP_NAMES = ["web", "ios", "android", "backend", "web-admin", "Web", "app-日本"]

# name -> kind
PROPERTIES = {
    "tenant": "str",
    "plan": "str",
    "country": "str",
    "région": "str",
    "名前": "str",
    "email": "str",
    "beta": "str",
    "score": "num",
    "age": "num",
    "since": "date",
    "version": "semver",
    "appVersion": "semver",
    "ip": "ip",
}
STR_POOLS = {
    "tenant": ["acme", "globex", "initech", "Acme", "ACME", "umbrella", "Ærøskøbing", "ß-corp", "İstanbul-ltd", "hooli", ""],
    "plan": ["free", "pro", "enterprise", "Pro", "pro-trial", "free "],
    "country": ["NO", "SE", "DE", "US", "no", "Deutschland", "日本"],
    "région": ["île-de-france", "bretagne", "Île-de-France", "provence"],
    "名前": ["太郎", "花子", "タロウ", "taro"],
    "email": ["a@example.com", "b@EXAMPLE.com", "c@example.org", "root@localhost", "ünï@example.com"],
    "beta": ["true", "false", "TRUE", "1", "yes"],
}
STR_GENERIC = ["alpha", "beta", "gamma", "delta", "Alpha", "ALPHA", "al", "pha", "a", "", " ", "日本語", "straße", "STRASSE", "ǅemal", "x-y_z"]

NUM_VALUES = ["5", "-3", "0", "100", "1.5", "-0.25", "3.14159", "42", "1000000", "-100", "0.1", "7"]
NUM_VALUES_EDGE = ["+5", "5.", "1e3", " 7", "-0", "0.10"]
NUM_VALUES_INVALID = ["abc", "", "1,5", "0x10"]
NUM_CTX_EDGE = ["+5", "5.", ".5", "1e3", "1E3", " 5", "5 ", "0x10", "NaN", "inf", "-inf", "1_000", "٣"]
NUM_CTX_BAD = ["abc", "", "five", "1.2.3", "--1"]

SEMVER_VALID = ["0.9.9", "1.0.0", "1.2.3", "1.2.3-alpha.1", "1.2.3-alpha.2", "1.2.3-alpha.10",
                "1.2.3-beta", "1.2.3-rc.2", "1.2.3+build.5", "1.2.3-rc.2+build.7", "1.2.4",
                "1.10.0", "2.0.0-0", "2.0.0", "10.0.0", "1.2.3-alpha", "1.2.3-alpha.beta"]
SEMVER_CTX_INVALID = ["v1.2.3", "1.2", "1.2.3.4", "latest", "", "01.2.3", "1.2.3-01", " 1.2.3", "1"]

DATE_BASES = [
    datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc),
    datetime(2023, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
    datetime(2025, 2, 28, 6, 30, 0, tzinfo=timezone.utc),
    datetime(2020, 2, 29, 0, 0, 0, tzinfo=timezone.utc),
]
DATE_OFFSETS = [None, None, None, "+02:00", "-05:30", "+00:00", "+14:00", "-00:30"]

CIDR_GOOD = ["10.0.0.0/8", "192.168.1.0/24", "192.168.1.7", "172.16.0.0/12", "203.0.113.0/24",
             "2001:db8::/32", "::1", "fe80::/10", "2001:db8:abcd::/48", "100.64.0.0/10", "8.8.8.8"]
CIDR_RARE = ["0.0.0.0/0", "::/0", "192.168.1.7/32"]
CIDR_INVALID = ["bad", "300.1.1.1", "10.0.0.0/33", "", "2001:db8::/129", "192.168.1"]
CIDR_HOSTBITS = ["10.1.2.3/8", "192.168.1.77/24"]
IP_OUTSIDE = ["11.0.0.1", "8.8.4.4", "192.168.2.1", "172.32.0.1", "2001:db9::1", "::2", "1.1.1.1", "2606:4700::1111"]
IP_INVALID = ["not-an-ip", "", "10.0.0", "256.0.0.1", "fe80::1%eth0", "::ffff:10.1.2.3", " 10.1.2.3", "010.1.2.3"]

REGEX_PATTERNS = [
    "^u[0-9]+$", "^(acme|globex)$", "@example\\.com$", "(?i)^prod", "^[a-z]{2,4}-[0-9]{1,3}$",
    "beta", "^$", ".*", "^\\w+$", "^a.c$", "x{2,}", "^(?:eu|us)-(west|east)-[12]$", "日本",
    "^[^@]+@[^@]+$", "(?i)acme", "^(pro|free)(-trial)?$", "\\d{2}", "^.{3}$", "s$",
]
REGEX_INVALID = ["(", "[a-", "a{2", "(?<name", "*a"]
REGEX_SAMPLES = ["u1", "u12", "u", "acme", "globex", "Acme", "acme-corp", "a@example.com", "b@EXAMPLE.com",
                 "c@example.org", "production", "Production", "prod-eu", "ab-12", "abc", "abcd-1234", "a-c",
                 "beta-tester", "xx", "xxx", "日本語", "", "eu-west-1", "us-east-2", "eu-north-1", "pro",
                 "pro-trial", "free", "a1b22", "yes", "ünï"]

UNKNOWN_OPERATORS = ["STR_MATCHES", "NUM_NE", "DATE_EQ", "semver_eq", "IN_RANGE", "str_contains"]

STRING_OPS = ["IN", "NOT_IN", "STR_CONTAINS", "STR_STARTS_WITH", "STR_ENDS_WITH"]
NUM_OPS = ["NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE"]
DATE_OPS = ["DATE_AFTER", "DATE_BEFORE"]
SEMVER_OPS = ["SEMVER_EQ", "SEMVER_GT", "SEMVER_GTE", "SEMVER_LT", "SEMVER_LTE"]
ALL_OPS = STRING_OPS + NUM_OPS + DATE_OPS + SEMVER_OPS + ["IN_CIDR", "REGEX"]

TOP_LEVEL = ["userId", "sessionId", "environment", "appName", "currentTime", "remoteAddress"]

GROUP_IDS = ["grp-a", "grp-b", "checkout", "grüppe-ü", "組-1", "launch 2024"]
HOSTS = ["host-a", "build-01", "web-7.internal", "localhost"]
UNKNOWN_STRATEGIES = ["myCustomStrategy", "customX", "Default", "userWithIds", "beta-users"]

NAME_STEMS = ["checkout", "search", "new-ui", "dark-mode", "payments", "onboarding", "beta", "export",
              "billing", "recs", "chat", "api-v2"]
UTF8_STEMS = ["ünïcødé", "фича", "機能", "🚀-launch", "café-au-lait", "naïve-𝔘", "ελληνικά", "한국어"]

VARIANT_NAMES = ["red", "green", "blue", "control", "treatment", "variant-ü", "ベータ", "A", "B", "C"]
PAYLOADS = [
    {"type": "string", "value": "hello"},
    {"type": "string", "value": "ünïcødé ✓"},
    {"type": "string", "value": ""},
    {"type": "json", "value": "{\"a\":1,\"b\":[true,null]}"},
    {"type": "json", "value": "{\"colour\":\"blue\",\"n\":2.5}"},
    {"type": "number", "value": "42"},
    {"type": "number", "value": "-1.5"},
    {"type": "csv", "value": "a,b,c"},
]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def fmt_num(x):
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = "%.6f" % x
    return s.rstrip("0").rstrip(".")


def fmt_date(rng, dt, frac_digits=None, offset=None):
    """RFC 3339 text for dt, in the given offset, with the given fractional digits."""
    if offset is None:
        text_dt = dt.astimezone(timezone.utc)
        suffix = "Z"
    else:
        sign = 1 if offset[0] == "+" else -1
        hh, mm = offset[1:].split(":")
        tz = timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
        text_dt = dt.astimezone(tz)
        suffix = offset
    base = text_dt.strftime("%Y-%m-%dT%H:%M:%S")
    if frac_digits:
        micro = "%06d" % text_dt.microsecond
        frac = (micro + "000")[:frac_digits]
        base += "." + frac
    return base + suffix


def pick_weighted(rng, items):
    """items: list of (weight, value)."""
    total = sum(w for w, _ in items)
    r = rng.random() * total
    acc = 0.0
    for w, v in items:
        acc += w
        if r < acc:
            return v
    return items[-1][1]


def comma_list(rng, items):
    out = []
    for i, it in enumerate(items):
        sep = "" if i == 0 else rng.choice([",", ", ", " ,", " , ", ",  "])
        out.append(sep + it)
    return "".join(out)


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------

class StateGen:
    def __init__(self, seed, k, n_features, n_cases, hostname, edge_rate=0.2):
        self.rng = random.Random(f"rollsim-differential:{seed}:{k}")
        self.k = k
        self.n_features = n_features
        self.n_cases = n_cases
        self.hostname = hostname
        self.edge_rate = edge_rate
        self.edge = False
        self.features = []
        self.segments = []
        self.segment_by_id = {}
        # per feature name: requirements (list of str), hints (list), tags (list)
        self.meta = {}

    # ---------------- constraints ----------------

    def pick_field(self, kind):
        rng = self.rng
        if kind == "str":
            return pick_weighted(rng, [(5, "userId"), (2, "sessionId"), (3, "environment"), (2, "appName"),
                                       (3, "tenant"), (2, "plan"), (1, "country"), (1, "région"), (1, "名前"),
                                       (1, "email"), (1, "beta"), (0.3, "score")])
        if kind == "num":
            return pick_weighted(rng, [(5, "score"), (4, "age"), (0.5, "tenant"), (0.5, "userId")])
        if kind == "date":
            return pick_weighted(rng, [(8, "currentTime"), (2, "since")])
        if kind == "semver":
            return pick_weighted(rng, [(6, "version"), (3, "appVersion"), (0.5, "appName")])
        if kind == "ip":
            return pick_weighted(rng, [(6, "remoteAddress"), (3, "ip"), (0.5, "userId")])
        if kind == "regex":
            return pick_weighted(rng, [(3, "userId"), (2, "tenant"), (2, "environment"), (2, "email"), (1, "plan"), (1, "appName")])
        raise ValueError(kind)

    def str_pool(self, field):
        if field == "userId":
            return USER_IDS
        if field == "sessionId":
            return SESSION_IDS[:10]
        if field == "environment":
            return ENVIRONMENTS
        if field == "appName":
            return APP_NAMES
        return STR_POOLS.get(field, STR_GENERIC)

    def rare(self, p):
        """True with probability p, in edge features only (see gen_feature)."""
        return self.edge and self.rng.random() < p

    def gen_constraint(self, tags):
        """One constraint. Inputs that yggdrasil treats surprisingly (most of them make
        it fail to compile the whole toggle) appear only in edge features, tagged."""
        rng = self.rng
        op = pick_weighted(rng, [(1.0, o) for o in ALL_OPS])
        if self.rare(0.06):
            op = "UNKNOWN"
        inverted = rng.random() < 0.3
        ci = rng.random() < 0.5
        c = {}
        if op in STRING_OPS:
            field = self.pick_field("str")
            pool = self.str_pool(field) + STR_GENERIC[:4]
            if self.rare(0.08):
                # yggdrasil reads a missing currentTime as "now" for every operator
                field = "currentTime"
                pool = ["20", "Z", "T", ".", "+", "x"]  # nothing that depends on the clock
                tags.append("string-operator-on-currentTime")
            n = pick_weighted(rng, [(4, 1), (3, 2), (2, 3), (1, 5)])
            if (op in ("IN", "NOT_IN") and rng.random() < 0.08) or self.rare(0.12):
                n = 0
            values = []
            for _ in range(n):
                v = rng.choice(pool)
                if op != "IN" and op != "NOT_IN" and len(v) > 2 and rng.random() < 0.6:
                    # a fragment, so that contains/starts/ends are meaningful
                    a = rng.randrange(0, len(v) - 1)
                    b = rng.randrange(a + 1, len(v) + 1)
                    v = v[a:b] if op == "STR_CONTAINS" else (v[:b] if op == "STR_STARTS_WITH" else v[a:])
                if self.rare(0.05):
                    v = v + rng.choice(['"q', "\\", "\\n"])
                    tags.append("quote-or-backslash-in-value")
                values.append(v)
            if n == 0 and op not in ("IN", "NOT_IN"):
                tags.append("empty-list-string-operator")
            c = {"contextName": field, "operator": op, "values": values}
        elif op in NUM_OPS:
            field = self.pick_field("num")
            if self.rare(0.15):
                value = rng.choice(NUM_VALUES_INVALID)
                tags.append("invalid-constraint-value")
            elif self.rare(0.2):
                value = rng.choice(NUM_VALUES_EDGE)
                tags.append("num-edge-value")
            else:
                value = rng.choice(NUM_VALUES)
            c = {"contextName": field, "operator": op, "value": value}
        elif op in DATE_OPS:
            field = self.pick_field("date")
            dt = rng.choice(DATE_BASES) + timedelta(seconds=rng.choice([0, 0, 3600, -86400, 17]))
            if self.rare(0.2):
                dt = dt + timedelta(microseconds=rng.randrange(1, 10 ** 6))
                value = fmt_date(rng, dt, rng.choice([1, 2, 6, 9]), rng.choice(DATE_OFFSETS))
                tags.append("date-value-fraction-not-3-digits")
            elif self.rare(0.1):
                value = rng.choice(["2024-05-01", "2024-05-01T12:00:00", "yesterday", "2024-05-01 12:00:00Z", ""])
                tags.append("invalid-constraint-value")
            elif rng.random() < 0.3:
                dt = dt + timedelta(milliseconds=rng.randrange(1, 1000))
                value = fmt_date(rng, dt, 3, rng.choice(DATE_OFFSETS))
            else:
                value = fmt_date(rng, dt, None, rng.choice(DATE_OFFSETS))
            c = {"contextName": field, "operator": op, "value": value}
        elif op in SEMVER_OPS:
            field = self.pick_field("semver")
            if self.rare(0.12):
                value = "v1.2.3"
                tags.append("semver-v-prefix-value")
            elif self.rare(0.12):
                value = rng.choice(["1.2", "2.0"])
                tags.append("semver-partial-value")
            elif self.rare(0.1):
                value = rng.choice(["1.2.3.4", "latest", ""])
                tags.append("invalid-constraint-value")
            else:
                value = rng.choice(SEMVER_VALID)
            c = {"contextName": field, "operator": op, "value": value}
        elif op == "IN_CIDR":
            field = self.pick_field("ip")
            n = pick_weighted(rng, [(4, 1), (3, 2), (2, 3)])
            if self.rare(0.12):
                n = 0
                tags.append("empty-list-string-operator")
            values = []
            for _ in range(n):
                if rng.random() < 0.12:
                    values.append(rng.choice(CIDR_INVALID))
                elif self.rare(0.15):
                    values.append(rng.choice(CIDR_HOSTBITS))
                    tags.append("cidr-host-bits")
                elif rng.random() < 0.04:
                    values.append(rng.choice(CIDR_RARE))
                else:
                    values.append(rng.choice(CIDR_GOOD))
            c = {"contextName": field, "operator": op, "values": values}
        elif op == "REGEX":
            field = self.pick_field("regex")
            if rng.random() < 0.05:
                value = rng.choice(REGEX_INVALID)
            else:
                value = rng.choice(REGEX_PATTERNS)
            c = {"contextName": field, "operator": op, "value": value}
            if self.rare(0.1):
                del c["value"]
                c["values"] = [value]
                tags.append("regex-without-value")
        else:
            field = self.pick_field("str")
            c = {"contextName": field, "operator": rng.choice(UNKNOWN_OPERATORS), "values": [rng.choice(self.str_pool(field))]}
            tags.append("unknown-operator")
        if self.rare(0.02):
            c["contextName"] = rng.choice(['we"ird', 'back\\slash', 'sp ace'])
            tags.append("odd-context-name")
            if '"' in c["contextName"]:
                # yggdrasil embeds the name in its rule text unescaped: a quote breaks the flag.
                tags.append("quote-or-backslash-in-value")
        if self.rare(0.04) and c.get("operator") in ("IN", "NOT_IN") and "values" in c:
            c["values"] = None
            tags.append("null-or-missing-fields")
        # Single-value operators: the server usually sends an empty "values" too.
        if "value" in c and rng.random() < 0.5:
            c["values"] = []
        if inverted or rng.random() < 0.8:
            c["inverted"] = inverted
        if ci or rng.random() < 0.8:
            c["caseInsensitive"] = ci
        return c

    # ---------------- strategies ----------------

    def rollout_value(self):
        v = pick_weighted(self.rng, [(1, 0), (2, 100), (1, 50), (0.5, 1), (0.5, 99), (5, None)])
        return self.rng.randrange(1, 100) if v is None else v

    def stickiness_needs(self, stickiness):
        """Requirement that makes a value present for this stickiness."""
        if stickiness in (None, "", "default"):
            return "uid_or_sid"
        if stickiness in ("userId", "sessionId", "environment", "appName", "remoteAddress"):
            return stickiness
        return "prop:" + stickiness

    def gen_strategy_variants(self, stickiness, group_id, tags):
        rng = self.rng
        n = pick_weighted(rng, [(1, 0), (2, 1), (4, 2), (2, 3)])
        variants = self.gen_variant_list(n, stickiness or "default", allow_overrides=False)
        return variants

    def gen_variant_list(self, n, stickiness, allow_overrides=True):
        rng = self.rng
        if n == 0:
            return []
        names = rng.sample(VARIANT_NAMES, n)
        # weights summing to 1000, never all zero
        if n == 1:
            weights = [1000]
        else:
            cuts = sorted(rng.randrange(0, 1001) for _ in range(n - 1))
            weights = [b - a for a, b in zip([0] + cuts, cuts + [1000])]
            if rng.random() < 0.15:
                # an explicit zero-weight variant (only reachable by override)
                i = rng.randrange(n)
                j = (i + 1) % n
                weights[j] += weights[i]
                weights[i] = 0
        variants = []
        for name, w in zip(names, weights):
            v = {"name": name, "weight": w, "weightType": "variable", "stickiness": stickiness}
            if rng.random() < 0.6:
                v["payload"] = dict(rng.choice(PAYLOADS))
            if allow_overrides and rng.random() < 0.25:
                field = pick_weighted(rng, [(3, "userId"), (2, "tenant"), (1, "environment"), (0.5, "sessionId"),
                                            (0.5, "appName"), (0.3, "remoteAddress")])
                pool = self.str_pool(field)
                v["overrides"] = [{"contextName": field, "values": rng.sample(pool, min(len(pool), rng.randrange(1, 4)))}]
            variants.append(v)
        return variants

    def gen_strategy(self, feature_name, reqs, tags):
        rng = self.rng
        kind = pick_weighted(rng, [
            (14, "default"), (9, "userWithId"), (7, "gradualRolloutUserId"), (5, "gradualRolloutSessionId"),
            (3, "gradualRolloutRandom"), (30, "flexibleRollout"), (8, "remoteAddress"),
            (4, "applicationHostname"), (3, "unknown"),
        ])
        params = {}
        name = kind
        variant_stickiness = "default"
        allow_strategy_variants = True
        if kind == "userWithId":
            ids = rng.sample(USER_IDS[:30], rng.randrange(1, 6))
            if rng.random() < 0.1:
                ids.insert(rng.randrange(len(ids) + 1), "")
            params["userIds"] = comma_list(rng, ids)
            if self.rare(0.05):
                del params["userIds"]
        elif kind in ("gradualRolloutUserId", "gradualRolloutSessionId"):
            params["percentage"] = str(self.rollout_value())
            if rng.random() < 0.92:
                params["groupId"] = rng.choice(GROUP_IDS + [feature_name])
        elif kind == "gradualRolloutRandom":
            params["percentage"] = rng.choice(["0", "100"])
        elif kind == "flexibleRollout":
            rollout = self.rollout_value()
            stickiness = pick_weighted(rng, [(7, "default"), (4, "userId"), (3, "sessionId"), (3, "tenant"),
                                             (1, "plan"), (1, "environment"), (0.5, "appName"),
                                             (0.5, "région"), (1, "random"), (0.5, None)])
            if stickiness == "random":
                rollout = rng.choice([0, 100])
                allow_strategy_variants = False
            if stickiness is not None:
                params["stickiness"] = stickiness
            if self.rare(0.08):
                params["rollout"] = rng.choice(["abc", "101", "50.5", "-1", "", "050", " 50", "+50", "100 "])
                tags.append("rollout-invalid")
            else:
                params["rollout"] = str(rollout)
            if rng.random() < 0.6:
                params["groupId"] = rng.choice(GROUP_IDS + [feature_name, feature_name + "-x"])
                if self.rare(0.05):
                    params["groupId"] = ""
            if stickiness in (None, "default") and rollout not in (0, 100):
                reqs.append("uid_or_sid")
            variant_stickiness = stickiness if stickiness is not None else "default"
        elif kind == "remoteAddress":
            entries = []
            for _ in range(rng.randrange(1, 5)):
                r = rng.random()
                entries.append(rng.choice(CIDR_INVALID[:3]) if r < 0.12 else rng.choice(CIDR_GOOD))
            params["IPs"] = comma_list(rng, entries)
            if self.rare(0.05):
                params["IPs"] += ', "10.0.0.1"'
                tags.append("quote-or-backslash-in-value")
        elif kind == "applicationHostname":
            hosts = rng.sample(HOSTS, rng.randrange(1, 3))
            if self.rare(0.6):
                h = rng.choice([self.hostname, self.hostname.upper(), " " + self.hostname + " "])
                hosts.insert(rng.randrange(len(hosts) + 1), h)
                tags.append("hostname-match")
            params["hostNames"] = comma_list(rng, hosts)
            if self.rare(0.05):
                params["hostNames"] += ',we"ird'
                tags.append("quote-or-backslash-in-value")
        elif kind == "unknown":
            name = rng.choice(UNKNOWN_STRATEGIES)
            params["foo"] = "bar"
        if "groupId" in params and self.rare(0.03):
            params["groupId"] = params["groupId"] + rng.choice(['"', '\\'])
            tags.append("quote-or-backslash-in-value")
        s = {"name": name, "parameters": params}
        # constraints
        n_c = pick_weighted(rng, [(35, 0), (35, 1), (20, 2), (10, 3)])
        constraints = [self.gen_constraint(tags) for _ in range(n_c)]
        if constraints or rng.random() < 0.5:
            s["constraints"] = constraints
        # segments
        if self.segments and rng.random() < 0.18:
            ids = [seg["id"] for seg in rng.sample(self.segments, min(len(self.segments), rng.randrange(1, 3)))]
            if self.rare(0.3):
                ids.append(9000 + rng.randrange(100))  # a segment that does not exist
                tags.append("missing-segment")
            s["segments"] = ids
        # strategy variants
        if allow_strategy_variants and rng.random() < 0.22:
            if kind != "flexibleRollout":
                vs = pick_weighted(rng, [(4, "default"), (2, "userId"), (1, "sessionId"), (1, "tenant")])
                if vs != "default" or rng.random() < 0.5:
                    params["stickiness"] = vs
                variant_stickiness = vs
            if rng.random() < 0.5:
                params["groupId"] = params.get("groupId") or rng.choice(GROUP_IDS)
            s["variants"] = self.gen_strategy_variants(variant_stickiness, params.get("groupId"), tags)
            if s["variants"]:
                reqs.append(self.stickiness_needs(variant_stickiness))
        if rng.random() < 0.3:
            s["sortOrder"] = rng.randrange(0, 10)
        return s

    # ---------------- features ----------------

    def feature_name(self, i):
        rng = self.rng
        if rng.random() < 0.12:
            stem = rng.choice(UTF8_STEMS)
        else:
            stem = rng.choice(NAME_STEMS)
        odd = self.rare(0.03)
        if odd:
            stem = rng.choice(['say "hi"', "back\\slash", "with space", "tab\tname", "UPPER"])
        return f"{stem}-{self.k}-{i}", odd

    def gen_segments(self):
        rng = self.rng
        self.edge = False
        for j in range(rng.randrange(0, 7)):
            tags = []
            seg = {"id": j + 1, "name": f"segment-{j + 1}",
                   "constraints": [self.gen_constraint(tags) for _ in range(rng.randrange(1, 3))]}
            self.segments.append(seg)
            self.segment_by_id[seg["id"]] = (seg, tags)

    def gen_feature(self, i):
        rng = self.rng
        reqs, tags = [], []
        # An edge feature may hold inputs that yggdrasil handles surprisingly
        # (tagged); the other features hold only well-formed ones.
        self.edge = rng.random() < self.edge_rate
        name, odd = self.feature_name(i)
        if odd:
            tags.append("odd-toggle-name")
        f = {"name": name, "type": rng.choice(["release", "experiment", "operational", "kill-switch"]),
             "project": "default", "enabled": rng.random() < 0.86, "stale": False,
             "impressionData": rng.random() < 0.1}
        n_s = pick_weighted(rng, [(7, 0), (50, 1), (28, 2), (15, 3)])
        f["strategies"] = [self.gen_strategy(name, reqs, tags) for _ in range(n_s)]
        if rng.random() < 0.35:
            stickiness = pick_weighted(rng, [(5, "default"), (2, "userId"), (1.5, "sessionId"), (1.5, "tenant"), (0.5, "plan")])
            f["variants"] = self.gen_variant_list(rng.randrange(1, 5), stickiness)
            reqs.append(self.stickiness_needs(stickiness))
        elif rng.random() < 0.3:
            f["variants"] = []
        for s in f["strategies"]:
            for sid in s.get("segments", []):
                if sid in self.segment_by_id:
                    tags.extend(self.segment_by_id[sid][1])
        if self.rare(0.15):
            self.null_fields(f)
            tags.append("null-or-missing-fields")
        return f, reqs, tags

    def null_fields(self, f):
        """JSON null (or absence) where the client API allows an optional field."""
        rng = self.rng
        for s in f["strategies"]:
            if not s.get("constraints") and rng.random() < 0.5:
                s["constraints"] = None
            if not s.get("parameters") and rng.random() < 0.5:
                if rng.random() < 0.5:
                    s["parameters"] = None
                else:
                    s.pop("parameters", None)
            if "segments" not in s and rng.random() < 0.3:
                s["segments"] = None
            if "variants" in s and not s["variants"] and rng.random() < 0.5:
                s["variants"] = None
            for v in s.get("variants") or []:
                if v.get("stickiness") == "default" and rng.random() < 0.5:
                    if rng.random() < 0.5:
                        v["stickiness"] = None
                    else:
                        del v["stickiness"]
        if not f.get("variants") and rng.random() < 0.5:
            f["variants"] = None
        for v in f.get("variants") or []:
            if v.get("stickiness") == "default" and rng.random() < 0.4:
                if rng.random() < 0.5:
                    v["stickiness"] = None
                else:
                    del v["stickiness"]
            if "payload" not in v and rng.random() < 0.3:
                v["payload"] = None
        if rng.random() < 0.3:
            f["dependencies"] = None
        if not f["strategies"] and rng.random() < 0.6:
            if rng.random() < 0.5:
                f["strategies"] = None
            else:
                del f["strategies"]

    def add_dependencies(self):
        rng = self.rng
        feats = self.features
        n = len(feats)
        if n < 12:
            return
        # ordinary dependencies: a later feature depends on earlier roots
        for idx in range(n // 3, n):
            if rng.random() >= 0.15:
                continue
            child = feats[idx]
            deps = []
            for _ in range(pick_weighted(rng, [(5, 1), (1, 2)])):
                # prefer simple parents, so that they are often enabled
                cands = [feats[rng.randrange(0, n // 3)] for _ in range(3)]
                parent = min(cands, key=lambda f: (not f["enabled"], sum(len(s.get("constraints") or []) + 1
                                                                         for s in f.get("strategies") or [])))
                d = {"feature": parent["name"]}
                r = rng.random()
                pvars = [v["name"] for v in parent.get("variants") or []]
                if r < 0.2:
                    d["enabled"] = True
                elif r < 0.4:
                    d["enabled"] = False
                elif r < 0.65 and pvars:
                    d["variants"] = rng.sample(pvars, rng.randrange(1, len(pvars) + 1))
                elif r < 0.7:
                    d["variants"] = ["red", "nope"]
                    d["enabled"] = True
                elif r < 0.74:
                    d["enabled"] = True
                    d["variants"] = []
                elif r < 0.78 and pvars:
                    d["enabled"] = False
                    d["variants"] = rng.sample(pvars, 1)
                deps.append(d)
            child["dependencies"] = deps
        # explicit scenarios, on features past the first third
        pool = list(range(n // 3, n))
        rng.shuffle(pool)
        pick = pool[:8]
        a, b, c, x, y, s, m1, m2 = [feats[i] for i in pick]
        root = feats[rng.randrange(0, n // 3)]
        a["dependencies"] = [{"feature": root["name"]}]                       # chain: root <- a <- b <- c
        b["dependencies"] = [{"feature": a["name"]}]
        c["dependencies"] = [{"feature": b["name"], "enabled": rng.choice([True, False])}]
        x["dependencies"] = [{"feature": y["name"]}]                          # cycle x <-> y
        y["dependencies"] = [{"feature": x["name"], "enabled": True}]
        s["dependencies"] = [{"feature": s["name"]}]                          # self-cycle
        m1["dependencies"] = [{"feature": "no-such-flag-%d" % self.k}]        # missing parent
        m2["dependencies"] = [{"feature": "no-such-flag-%d" % self.k, "enabled": False}]
        for f in (a, b, c, x, y, s, m1, m2):
            if rng.random() < 0.9:
                f["enabled"] = True

    def finish_meta(self):
        """Requirements, hints and tags of a feature include those of its ancestors."""
        by_name = {f["name"]: f for f in self.features}

        def closure(name, seen):
            if name in seen or name not in by_name:
                return [], []
            seen.append(name)
            reqs = list(self.meta[name]["reqs"])
            tags = list(self.meta[name]["tags"])
            for d in by_name[name].get("dependencies") or []:
                r2, t2 = closure(d["feature"], seen)
                reqs += r2
                tags += t2
            return reqs, tags

        final = {}
        for f in self.features:
            reqs, tags = closure(f["name"], [])
            deps = f.get("dependencies") or []
            for d in deps:
                p = by_name.get(d["feature"])
                if p is None:
                    continue
                if p.get("dependencies"):
                    tags.append("dep-chain-or-cycle")
                if any(("groupId" not in (s.get("parameters") or {})) and s["name"] == "flexibleRollout"
                       for s in p.get("strategies") or []):
                    tags.append("dep-parent-rollout-without-groupid")
                if "variants" in d and d["variants"]:
                    if not p.get("variants") and not any(s.get("variants") for s in p.get("strategies") or []):
                        tags.append("dep-variants-on-parent-without-variants")
                    if d.get("enabled") is False:
                        tags.append("dep-variants-with-enabled-false")
            final[f["name"]] = (sorted(set(reqs)), sorted(set(tags)))
        for f in self.features:
            reqs, tags = final[f["name"]]
            self.meta[f["name"]]["reqs_all"] = reqs
            self.meta[f["name"]]["tags_all"] = tags
            if tags:
                f["description"] = TAG_PREFIX + " " + " ".join(tags)
            else:
                f["description"] = ""

    # ---------------- contexts ----------------

    def constraints_for(self, name, seen=None):
        """Constraints of the feature, its segments and its ancestors (hints for contexts)."""
        seen = seen if seen is not None else []
        if name in seen:
            return [], []
        seen.append(name)
        f = self.by_name.get(name)
        if f is None:
            return [], []
        cons, strats = [], []
        for s in f.get("strategies") or []:
            strats.append(s)
            cons += s.get("constraints") or []
            for sid in s.get("segments") or []:
                if sid in self.segment_by_id:
                    cons += self.segment_by_id[sid][0]["constraints"]
        for d in f.get("dependencies") or []:
            c2, s2 = self.constraints_for(d["feature"], seen)
            cons += c2
            strats += s2
        return cons, strats

    def random_value(self, field):
        rng = self.rng
        kind = PROPERTIES.get(field)
        if field in ("userId", "sessionId", "environment", "appName"):
            return rng.choice(self.str_pool(field))
        if field == "currentTime":
            return self.date_near(rng.choice(DATE_BASES))
        if field == "remoteAddress" or kind == "ip":
            return self.ip_value(None)
        if kind == "num":
            return self.num_near(rng.choice(NUM_VALUES))
        if kind == "date":
            return self.date_near(rng.choice(DATE_BASES))
        if kind == "semver":
            return self.semver_near(None)
        return rng.choice(self.str_pool(field))

    def num_near(self, value):
        rng = self.rng
        r = rng.random()
        if r < 0.06:
            return rng.choice(NUM_CTX_BAD)
        if r < 0.10:
            return rng.choice(NUM_CTX_EDGE)
        try:
            x = float(value)
        except ValueError:
            x = 5.0
        if x != x or x in (float("inf"), float("-inf")):
            x = 5.0
        d = rng.choice([0, 0, 0, 1, -1, 0.5, -0.5, 0.001, -0.001, 10, -10, 1000])
        y = x + d
        s = fmt_num(y)
        if y == int(y) and rng.random() < 0.15:
            s += ".0"
        return s

    def date_near(self, base, text=None):
        rng = self.rng
        if text is not None:
            try:
                base = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                base = rng.choice(DATE_BASES)
        r = rng.random()
        if r < 0.03:
            return rng.choice(["garbage", "2024-05-01", "2024-05-01T12:00:00", "1714564800"])
        if r < 0.06:
            # lowercase z / space separator: RFC 3339 allows them; chrono too
            dt = base + timedelta(seconds=rng.choice([-1, 1]))
            return dt.strftime("%Y-%m-%d") + rng.choice(["t", " "]) + dt.strftime("%H:%M:%S") + rng.choice(["z", "Z"])
        delta = rng.choice([0, 0, 1, -1, 0.001, -0.001, 0.0005, -0.0005, 3600, -3600, 86400 * 30, -86400 * 30,
                            86400 * 800, -86400 * 800])
        dt = base + timedelta(seconds=delta)
        frac = pick_weighted(rng, [(5, None), (4, 3), (0.7, 1), (0.7, 2), (1, 6), (1, 9)])
        if frac is None and dt.microsecond:
            frac = 3
        return fmt_date(rng, dt, frac, rng.choice(DATE_OFFSETS))

    def semver_near(self, value):
        rng = self.rng
        r = rng.random()
        if r < 0.12:
            return rng.choice(SEMVER_CTX_INVALID)
        if value is not None and r < 0.5:
            return value
        if value is not None and r < 0.6:
            return value.split("+")[0] + rng.choice(["", "+build.9", "+sha.abc"])
        return rng.choice(SEMVER_VALID)

    def ip_value(self, values):
        rng = self.rng
        nets = []
        for v in values or []:
            try:
                nets.append(ipaddress.ip_network(v.strip(), strict=False))
            except ValueError:
                pass
        r = rng.random()
        if nets and r < 0.55:
            net = rng.choice(nets)
            size = net.num_addresses
            off = rng.randrange(0, min(size, 2 ** 32))
            return str(net.network_address + off)
        if r < 0.68:
            return rng.choice(IP_INVALID)
        return rng.choice(IP_OUTSIDE)

    def good_value(self, c):
        """A value likely to satisfy constraint c (ignoring inversion)."""
        rng = self.rng
        op = c["operator"]
        values = c.get("values") or []
        value = c.get("value")
        field = c["contextName"]
        if op == "IN":
            return rng.choice(values) if values else self.random_value(field)
        if op == "NOT_IN":
            return self.random_value(field)
        if op in ("STR_CONTAINS", "STR_STARTS_WITH", "STR_ENDS_WITH"):
            if not values:
                return self.random_value(field)
            v = rng.choice(values)
            if c.get("caseInsensitive") and rng.random() < 0.5:
                v = v.upper() if rng.random() < 0.5 else v.swapcase()
            pre = rng.choice(["", "x", "pre-", "ü"]) if op != "STR_STARTS_WITH" else ""
            suf = rng.choice(["", "y", "-suf", "本"]) if op != "STR_ENDS_WITH" else ""
            return pre + v + suf
        if op in NUM_OPS:
            return self.num_near(value)
        if op in DATE_OPS:
            return self.date_near(rng.choice(DATE_BASES), value)
        if op in SEMVER_OPS:
            return self.semver_near(value)
        if op == "IN_CIDR":
            return self.ip_value(values)
        if op == "REGEX":
            return rng.choice(REGEX_SAMPLES)
        return rng.choice(values) if values else self.random_value(field)

    def set_field(self, ctx, field, val):
        if field in TOP_LEVEL:
            ctx[field] = val
        else:
            ctx.setdefault("properties", {})[field] = val

    def del_field(self, ctx, field):
        if field in TOP_LEVEL:
            ctx.pop(field, None)
        else:
            props = ctx.get("properties")
            if props is not None:
                if self.rng.random() < 0.3:
                    props[field] = None   # explicitly null
                else:
                    props.pop(field, None)

    def gen_context(self, fname):
        rng = self.rng
        ctx = {}
        if rng.random() < 0.7:
            ctx["userId"] = rng.choice(USER_IDS)
        if rng.random() < 0.5:
            ctx["sessionId"] = rng.choice(SESSION_IDS)
        if rng.random() < 0.5:
            ctx["environment"] = rng.choice(ENVIRONMENTS)
        if rng.random() < 0.4:
            ctx["appName"] = rng.choice(APP_NAMES)
        if rng.random() < 0.4:
            ctx["remoteAddress"] = self.ip_value(CIDR_GOOD[:3])
        if rng.random() < 0.5:
            ctx["currentTime"] = self.date_near(rng.choice(DATE_BASES))
        props = {}
        for p in PROPERTIES:
            if rng.random() < 0.25:
                props[p] = self.random_value(p) if rng.random() < 0.9 else None
        if props or rng.random() < 0.5:
            ctx["properties"] = props

        cons, strats = self.constraints_for(fname) if fname in self.by_name else ([], [])
        for c in cons:
            r = rng.random()
            field = c["contextName"]
            if r < 0.65:
                self.set_field(ctx, field, self.good_value(c))
            elif r < 0.87:
                self.set_field(ctx, field, self.random_value(field))
            else:
                self.del_field(ctx, field)
        for s in strats:
            p = s.get("parameters") or {}
            r = rng.random()
            if s["name"] == "userWithId" and r < 0.5 and p.get("userIds") is not None:
                ids = [x.strip() for x in p["userIds"].split(",")]
                ctx["userId"] = rng.choice(ids)
            elif s["name"] == "remoteAddress" and r < 0.6 and p.get("IPs") is not None:
                ctx["remoteAddress"] = self.ip_value(p["IPs"].split(","))
            elif s["name"] == "flexibleRollout" and r < 0.85:
                st = p.get("stickiness")
                if st not in (None, "default", "random") and not (st in TOP_LEVEL and st in ctx):
                    self.set_field(ctx, st, self.random_value(st) if st in PROPERTIES or st in TOP_LEVEL else rng.choice(STR_GENERIC))
        f = self.by_name.get(fname)
        if f is not None:
            for v in f.get("variants") or []:
                for o in v.get("overrides") or []:
                    if rng.random() < 0.3:
                        self.set_field(ctx, o["contextName"], rng.choice(o["values"]))
        # a property that shadows a top-level field name
        if rng.random() < 0.03:
            shadow = rng.choice(["userId", "environment", "sessionId", "appName", "remoteAddress"])
            ctx.setdefault("properties", {})[shadow] = self.random_value(shadow)
            if rng.random() < 0.7:
                ctx.pop(shadow, None)
        # requirements that keep yggdrasil away from random numbers
        meta = self.meta.get(fname)
        for req in (meta["reqs_all"] if meta else []):
            if req == "uid_or_sid":
                if "userId" not in ctx and "sessionId" not in ctx:
                    if rng.random() < 0.6:
                        ctx["userId"] = rng.choice(USER_IDS)
                    else:
                        ctx["sessionId"] = rng.choice(SESSION_IDS)
            elif req.startswith("prop:"):
                pn = req[5:]
                props = ctx.setdefault("properties", {})
                if props.get(pn) is None:
                    props[pn] = self.random_value(pn) if pn in PROPERTIES else rng.choice(STR_GENERIC[:8])
            elif req in TOP_LEVEL:
                if req not in ctx:
                    ctx[req] = self.random_value(req)
        # date constraints on currentTime: a missing one means "now"
        if any(c["operator"] in DATE_OPS and c["contextName"] == "currentTime" for c in cons) \
                and "currentTime" not in ctx:
            ctx["currentTime"] = self.date_near(rng.choice(DATE_BASES))
        # also: flexibleRollout sticky on currentTime would use "now"; we never generate that
        return ctx

    # ---------------- main ----------------

    def generate(self):
        rng = self.rng
        self.gen_segments()
        names_seen = []
        for i in range(self.n_features):
            f, reqs, tags = self.gen_feature(i)
            if f["name"] in names_seen:
                f["name"] = f["name"] + "-dup"
            names_seen.append(f["name"])
            self.features.append(f)
            self.meta[f["name"]] = {"reqs": reqs, "tags": tags}
        self.add_dependencies()
        self.by_name = {f["name"]: f for f in self.features}
        self.finish_meta()
        state = {"version": 2, "features": self.features, "segments": self.segments}
        if rng.random() < 0.2:
            state["query"] = {"project": ["default"], "environment": "production", "inlineSegmentConstraints": False}
        cases = []
        for _ in range(self.n_cases):
            if rng.random() < 0.02:
                name = rng.choice(["does-not-exist", "Checkout-0-1", "ünknown-flag", ""])
            else:
                name = rng.choice(self.features)["name"]
            cases.append({"toggleName": name, "context": self.gen_context(name)})
        return state, cases


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def generate(seed, n_states, n_cases, out_dir, n_features=200, hostname=DEFAULT_HOSTNAME, edge_rate=0.2):
    """Write the files; return a list of (state_path, cases_path, state, cases)."""
    os.makedirs(out_dir, exist_ok=True)
    out = []
    for k in range(n_states):
        gen = StateGen(seed, k, n_features, n_cases, hostname, edge_rate)
        state, cases = gen.generate()
        sp = os.path.join(out_dir, f"state-{k}.json")
        cp = os.path.join(out_dir, f"cases-{k}.jsonl")
        with open(sp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(state, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
        with open(cp, "w", encoding="utf-8") as fh:
            for c in cases:
                fh.write(dumps(c) + "\n")
        out.append((sp, cp, state, cases))
    return out


def coverage(results):
    """Counts of what the generated states contain."""
    cnt = Counter()
    for _, _, state, cases in results:
        seg_ids = {s["id"] for s in state["segments"]}
        cnt["states"] += 1
        cnt["segments"] += len(state["segments"])
        cnt["cases"] += len(cases)
        for f in state["features"]:
            cnt["features"] += 1
            cnt["features.enabled" if f["enabled"] else "features.disabled"] += 1
            if not f.get("strategies"):
                cnt["features.no-strategies"] += 1
            if any(ord(ch) > 127 for ch in f["name"]):
                cnt["features.utf8-name"] += 1
            if f.get("variants"):
                cnt["features.variants"] += 1
                if any(v.get("overrides") for v in f["variants"]):
                    cnt["features.variants.overrides"] += 1
                if any(v.get("payload") for v in f["variants"]):
                    cnt["features.variants.payload"] += 1
                cnt["features.variants.stickiness=" + str(f["variants"][0].get("stickiness"))] += 1
            for d in f.get("dependencies") or []:
                cnt["dependencies"] += 1
                if "variants" in d:
                    cnt["dependencies.with-variants"] += 1
                if d.get("enabled") is False:
                    cnt["dependencies.enabled-false"] += 1
            for t in (f.get("description") or "").replace(TAG_PREFIX, "").split():
                cnt["tag." + t] += 1
            for s in f.get("strategies") or []:
                nm = s["name"]
                if nm not in ("default", "userWithId", "gradualRolloutUserId", "gradualRolloutSessionId",
                              "gradualRolloutRandom", "flexibleRollout", "remoteAddress", "applicationHostname"):
                    nm = "unknown-strategy"
                cnt["strategy." + nm] += 1
                p = s.get("parameters") or {}
                if nm == "flexibleRollout":
                    cnt["flexibleRollout.stickiness=" + str(p.get("stickiness"))] += 1
                    cnt["flexibleRollout.groupId=" + ("yes" if "groupId" in p else "no")] += 1
                if "variants" in s:
                    cnt["strategy-variants" + (".empty" if not s["variants"] else "")] += 1
                for sid in s.get("segments") or []:
                    cnt["segment-refs" + ("" if sid in seg_ids else ".missing")] += 1
                for c in s.get("constraints") or []:
                    op = c["operator"] if c["operator"] in ALL_OPS else "unknown-operator"
                    cnt["op." + op + (".inverted" if c.get("inverted") else "")] += 1
                    if c.get("caseInsensitive") and op in STRING_OPS + ["REGEX"]:
                        cnt["op." + op + ".caseInsensitive"] += 1
                    if op in STRING_OPS + ["IN_CIDR"] and not c.get("values"):
                        cnt["op." + op + ".empty-list"] += 1
        for c in cases:
            ctx = c["context"]
            for k in TOP_LEVEL:
                cnt["ctx.has." + k] += k in ctx
            props = ctx.get("properties") or {}
            if any(v is None for v in props.values()):
                cnt["ctx.null-property"] += 1
            if any(k in TOP_LEVEL for k in props):
                cnt["ctx.property-shadows-top-level"] += 1
    return cnt


def print_coverage(cnt, out=sys.stdout):
    for k in sorted(cnt):
        print(f"  {k:60s} {cnt[k]}", file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--states", type=int, default=30)
    ap.add_argument("--contexts", type=int, default=1000, help="cases per state")
    ap.add_argument("--features", type=int, default=200, help="features per state")
    ap.add_argument("--hostname", default=DEFAULT_HOSTNAME,
                    help="value of the `hostname` environment variable the engines will see")
    ap.add_argument("--edge-rate", type=float, default=0.2,
                    help="share of features that may hold inputs yggdrasil treats surprisingly (tagged)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--stats", action="store_true", help="print coverage counts")
    args = ap.parse_args(argv)
    res = generate(args.seed, args.states, args.contexts, args.out, args.features, args.hostname, args.edge_rate)
    if args.stats:
        print_coverage(coverage(res))
    print(f"generated {len(res)} states, {sum(len(r[3]) for r in res)} cases in {args.out}")


if __name__ == "__main__":
    main()
