#!/usr/bin/env python3
"""Asks yggdrasil-engine again about every fixed expectation of Tests/FlagEngineTests/RustRegexTests.swift.

    .venv/bin/python scripts/regex-tables/check_tests.py [Tests/FlagEngineTests/RustRegexTests.swift]

Reads each `.rust(PATTERN, ci:, matches: [...], misses: [...])` and `.refused(PATTERN, ci:)` case, asks
yggdrasil's REGEX operator (ygg.py, through the yggdrasil-engine of .venv) whether it accepts the pattern
and which texts it matches, and prints every disagreement. The last line is always
`regex oracle: N cases (P patterns, T texts) asked, M disagreements`; the exit status is 1 when M > 0.
Standard library and yggdrasil-engine only.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ygg import run, valid_many  # noqa: E402


class Reader:
    def __init__(self, text, at):
        self.text, self.at = text, at

    def space(self):
        while self.at < len(self.text):
            if self.text[self.at].isspace():
                self.at += 1
            elif self.text.startswith("//", self.at):
                self.at = self.text.index("\n", self.at)
            else:
                return

    def take(self, token):
        self.space()
        if not self.text.startswith(token, self.at):
            raise ValueError(f"expected {token!r} at {self.text[self.at:self.at + 40]!r}")
        self.at += len(token)

    def peek(self, token):
        self.space()
        return self.text.startswith(token, self.at)

    def string(self):
        """A Swift string literal, `"..."` or raw `#"..."#`, or `scalars(0x.., ...)`."""
        self.space()
        if self.peek("scalars("):
            self.take("scalars(")
            end = self.text.index(")", self.at)
            values = [int(v.strip(), 16) for v in self.text[self.at:end].split(",")]
            self.at = end + 1
            return "".join(chr(v) for v in values)
        hashes = 0
        while self.text[self.at] == "#":
            hashes += 1
            self.at += 1
        if self.text[self.at] != '"':
            raise ValueError(f"expected a string at {self.text[self.at:self.at + 40]!r}")
        self.at += 1
        close = '"' + "#" * hashes
        escape = "\\" + "#" * hashes
        out = []
        while not self.text.startswith(close, self.at):
            if self.text.startswith(escape, self.at):
                self.at += len(escape)
                c = self.text[self.at]
                if c == "u":
                    end = self.text.index("}", self.at)
                    out.append(chr(int(self.text[self.at + 2:end], 16)))
                    self.at = end + 1
                    continue
                out.append({"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}[c])
                self.at += 1
            else:
                out.append(self.text[self.at])
                self.at += 1
        self.at += len(close)
        return "".join(out)

    def strings(self):
        self.take("[")
        items = []
        while not self.peek("]"):
            items.append(self.string())
            if self.peek(","):
                self.take(",")
        self.take("]")
        return items


def cases(path):
    text = open(path, encoding="utf-8").read()
    found = []
    for match in re.finditer(r"\.(rust|refused)\(", text):
        reader = Reader(text, match.end())
        pattern = reader.string()
        ci, matches, misses = False, [], []
        while reader.peek(","):
            reader.take(",")
            if reader.peek("ci:"):
                reader.take("ci:")
                reader.space()
                ci = text.startswith("true", reader.at)
                reader.at += 4 if ci else 5
            elif reader.peek("matches:"):
                reader.take("matches:")
                matches = reader.strings()
            elif reader.peek("misses:"):
                reader.take("misses:")
                misses = reader.strings()
        reader.take(")")
        found.append((match.group(1), pattern, ci, matches, misses))
    return found


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests/FlagEngineTests/RustRegexTests.swift")
    found = cases(path)
    # yggdrasil builds a rule text from each constraint without escaping quotes: such patterns cannot be asked.
    askable = [c for c in found if '"' not in c[1]]
    disagreements = []
    for ci in (False, True):
        group = [c for c in askable if c[2] == ci]
        accepted = valid_many([c[1] for c in group], ci)
        pairs, expected = [], []
        for (kind, pattern, _, matches, misses), ok in zip(group, accepted):
            if (kind == "rust") != ok:
                disagreements.append(f"{kind}({pattern!r}, ci: {ci}): yggdrasil {'accepts' if ok else 'refuses'} it")
                continue
            for t in matches:
                pairs.append((pattern, ci, t))
                expected.append(True)
            for t in misses:
                pairs.append((pattern, ci, t))
                expected.append(False)
        for (pattern, _, t), want, got in zip(pairs, expected, run(pairs) if pairs else []):
            if want != got:
                disagreements.append(f"{pattern!r} (ci: {ci}) on {t!r}: the test says {want}, yggdrasil says {got}")
    for line in disagreements:
        print("DISAGREE", line)
    texts = sum(len(c[3]) + len(c[4]) for c in askable)
    print(f"left out: {len(found) - len(askable)} case(s) whose pattern holds a quote")
    print(f"regex oracle: {len(askable)} cases ({len({(c[1], c[2]) for c in askable})} patterns, {texts} texts) asked, "
          f"{len(disagreements)} disagreements")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
