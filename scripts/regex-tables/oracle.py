#!/usr/bin/env python3
"""Differential test: RustRegex (via .build/debug/regexprobe) against yggdrasil-engine
(Rust `regex`) on generated (pattern, text) pairs.

Usage: /work/main/.venv/bin/python oracle.py [N_PATTERNS] [SEED] [--dump FILE]
Prints agreement counts and every disagreement. --dump writes the agreed cases as
JSON lines (pattern, ci, valid, [(text, match)]) for baking into Swift tests.
"""
import json
import random
import subprocess
import sys

from ygg import run, valid_many

LITERALS = list('abcABCxyz019 _-.,@') + ['é', 'É', 'ß', 'ẞ', 'k', 'K', '\u212a', 'ſ', 's', 'S',
            'σ', 'Σ', 'ς', 'ı', 'İ', 'i', 'I', 'α', 'Ω', 'ω', '中', 'あ', 'ア', '한', 'ก',
            'क', 'א', 'ع', 'д', 'Ж', '٣', '😀', '\u0301', 'ǅ', 'ǆ', 'Ǆ', 'µ', 'Μ', 'μ']
TEXT_EXTRA = ['\n', '\r', '\t', ' ', '\u00a0', '\u2028', '\u3000', 'ﬀ', '\u1c89', '\U00010d50']
ESCAPES = [r'\.', r'\\', r'\n', r'\t', r'\r', r'\x41', r'\x{e9}', r'\u{3b1}', r'\u0041',
           r'\U0001F600', r'\-', r'\#', r'\ ', r'\&', r'\~', r'\x7F', r'\a', r'\f', r'\v',
           r'\"', r'\/', r'\_', r'\!', r'\@', r'\{', r'\}', r'\[', r'\]', r'\(', r'\)', r'\|',
           r'\^', r'\$', r'\*', r'\+', r'\?']
CLASSES = ['.', r'\d', r'\D', r'\w', r'\W', r'\s', r'\S', r'\pL', r'\p{Lu}', r'\p{Ll}', r'\PL',
           r'\p{Greek}', r'\p{Latin}', r'\p{Han}', r'\p{Nd}', r'\p{sc=Cyrillic}', r'\p{scx=Greek}',
           r'\p{Alphabetic}', r'\p{White_Space}', r'\p{Emoji}', r'\p{gc=Lu}', r'\p{Letter}',
           r'\p{Uppercase}', r'\p{lower}', r'\pN', r'\p{P}', r'\p{Sc}', r'\p{Hiragana}',
           r'\p{Arabic}', r'\p{Hebrew}', r'\p{Thai}', r'\p{Devanagari}', r'\p{Hangul}',
           r'\p{Katakana}', r'\p{Common}', r'\p{Inherited}', r'\p{Any}', r'\p{ASCII}',
           r'\p{Assigned}', r'\p{gc!=L}', r'\P{Greek}', r'\p{ Greek }', r'\p{is_greek}',
           r'\p{Lt}', r'\p{Cased_Letter}', r'\p{Mn}', r'\p{Extended_Pictographic}', r'\p{Dash}',
           r'\p{Age=V6_0}', r'\p{wb=ALetter}', r'\p{ID_Start}', r'\p{Math}', r'\p{Hex_Digit}']
BRACKETS = ['[abc]', '[^abc]', '[a-z]', '[A-Z0-9]', '[[:alpha:]]', '[[:^digit:]]', '[[:word:]]',
            '[a-z&&[^aeiou]]', r'[\w--\d]', '[a-c~~b-d]', '[α-ω]', '[]a]', '[-a]', r'[^\n]',
            r'[\pL\d]', '[^]a]', '[a-]', '[[:space:][:punct:]]', r'[\p{Greek}&&\p{Ll}]',
            '[kK]', '[^k]', r'[\x00-\x7F]', r'[^\x00-\x7F]', '[ßs]', '[a[bc]]', '[.-.]',
            r'[\-]', '[a&&b]', '[--]', '[&&]', '[a--b]', r'[\d&&\p{Arabic}]', '[^[:ascii:]]']
ANCHORS = ['^', '$', r'\A', r'\z', r'\b', r'\B', r'\<', r'\>', r'\b{start}', r'\b{end}',
           r'\b{start-half}', r'\b{end-half}']
FLAGS = ['i', 'm', 's', 'x', 'U', 'R', 'u', '-i', '-u', 'is', 'ms', 'im', 'i-s', 'Rm', '-u:', 'mR']
REPS = ['*', '+', '?', '{2}', '{1,}', '{0,2}', '{1,3}', '*?', '+?', '??', '{2,}?', '{ 2 }',
        '{0}', '{1}']
INVALID = ['(?=a)', '(?!a)', '(?<=a)', '(?<!a)', r'\1', r'\k<n>', '(', ')', '[z-a]', r'\p{Foo}',
           r'\e', '(?P<n>a)(?P<n>b)', 'a{5,3}', '*a', '[]', '(?)', '(?z)', r'\Z', r'\G',
           r'\x{110000}', r'\u{D800}', 'a{', '{', '(?i-)', '(?ii)', r'\pX', r'[\b]', r'\c',
           r'(?-u:.)', r'(?-u:\W)', r'(?-u:\xFF)', r'\p{Cs}', '[[:alpha:]', 'a{1000}{1000}',
           r'\w{1000}', '(?P<>a)', '(?P<1a>b)', r'\Q', r'\0', '(?#c)', '(?>a)', r'\p{L&}']


def rand_atom(rng, depth):
    r = rng.random()
    if depth > 0 and r < 0.22:
        inner = rand_regex(rng, depth - 1)
        kind = rng.random()
        if kind < 0.35:
            return '(' + inner + ')'
        if kind < 0.6:
            return '(?:' + inner + ')'
        if kind < 0.75:
            return '(?P<g%d>' % rng.randrange(1000) + inner + ')'
        if kind < 0.8:
            return '(?<n%d>' % rng.randrange(1000) + inner + ')'
        return '(?' + rng.choice(FLAGS).rstrip(':') + ':' + inner + ')'
    if r < 0.45:
        return rng.choice(LITERALS)
    if r < 0.55:
        return rng.choice(ESCAPES)
    if r < 0.70:
        return rng.choice(CLASSES)
    if r < 0.80:
        return rng.choice(BRACKETS)
    if r < 0.88:
        return rng.choice(ANCHORS)
    if r < 0.94:
        return '(?' + rng.choice(FLAGS).rstrip(':') + ')'
    if r < 0.97:
        return rng.choice(INVALID)
    return ''


def rand_regex(rng, depth=3):
    n_alt = 1 if rng.random() < 0.75 else rng.randint(2, 3)
    alts = []
    for _ in range(n_alt):
        parts = []
        for _ in range(rng.randint(0, 4)):
            atom = rand_atom(rng, depth)
            if atom and rng.random() < 0.3:
                atom += rng.choice(REPS)
            parts.append(atom)
        alts.append(''.join(parts))
    return '|'.join(alts)


def mutate(rng, p):
    chars = list(p)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        pos = rng.randint(0, len(chars))
        if op < 0.4:
            chars.insert(pos, rng.choice(list('()[]{}|*+?\\^$-&~:#,0123456789xupPbBdDwWsS=!<>') + [' ']))
        elif op < 0.7 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(LITERALS)
    return ''.join(chars)


def rand_text(rng, pattern):
    pool = [c for c in pattern if c not in '\\'] + LITERALS + TEXT_EXTRA
    n = rng.choice([0, 1, 2, 3, 4, 6, 8, 12])
    return ''.join(rng.choice(pool) for _ in range(n))


def gen_cases(n, seed):
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        p = rand_regex(rng, rng.randint(0, 3))
        if rng.random() < 0.15:
            p = mutate(rng, p)
        ci = rng.random() < 0.2
        texts = set()
        for _ in range(6):
            texts.add(rand_text(rng, p))
        # fragments of the pattern's own literals make positives likely
        lits = ''.join(c for c in p if c.isalnum() or c in ' _-.')
        if lits:
            a = rng.randrange(len(lits))
            texts.add(lits[a:a + rng.randint(1, 6)])
            texts.add(rng.choice(['', 'x', ' ']) + lits + rng.choice(['', 'y', '\n']))
        cases.append((p, ci, sorted(texts)))
    return cases


def run_swift(cases):
    proc = subprocess.run(['.build/debug/regexprobe'], input='\n'.join(
        json.dumps({'p': p, 'ci': ci, 't': ts}) for p, ci, ts in cases) + '\n',
        capture_output=True, text=True, timeout=600)
    outs = [json.loads(l) for l in proc.stdout.splitlines()]
    assert len(outs) == len(cases), (len(outs), len(cases), proc.stderr[-2000:])
    return outs


def check(cases, dump=None):
    swift = run_swift(cases)
    validity = {}
    for ci in (False, True):
        ps = sorted({p for p, c, _ in cases if c == ci})
        for p, v in zip(ps, valid_many(ps, ci)):
            validity[(p, ci)] = v
    pairs = [(p, ci, t) for p, ci, ts in cases for t in ts]
    rust = dict(zip(pairs, run(pairs)))
    n_pairs = agree_pairs = n_pat = agree_pat = 0
    bad = []
    agreed = []
    for (p, ci, ts), s in zip(cases, swift):
        n_pat += 1
        rv = validity[(p, ci)]
        ok_valid = rv == s['valid']
        agree_pat += ok_valid
        if not ok_valid:
            bad.append(('validity', p, ci, rv, s.get('error')))
        rows = []
        for t, m in zip(ts, s['m']):
            n_pairs += 1
            if rust[(p, ci, t)] == m:
                agree_pairs += 1
                rows.append((t, m))
            else:
                bad.append(('match', p, ci, t, rust[(p, ci, t)], m))
        if ok_valid:
            agreed.append({'p': p, 'ci': ci, 'valid': rv, 'cases': rows, 'error': s.get('error')})
    if dump:
        with open(dump, 'w') as f:
            for a in agreed:
                f.write(json.dumps(a, ensure_ascii=False) + '\n')
    return n_pat, agree_pat, n_pairs, agree_pairs, bad


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    n = int(args[0]) if args else 1000
    seed = int(args[1]) if len(args) > 1 else 1
    dump = None
    if '--dump' in sys.argv:
        dump = sys.argv[sys.argv.index('--dump') + 1]
        args = [a for a in args if a != dump]
    cases = gen_cases(n, seed)
    n_pat, agree_pat, n_pairs, agree_pairs, bad = check(cases, dump)
    for b in bad[:60]:
        print(*[repr(x) for x in b])
    swift = run_swift(cases)
    n_valid = sum(1 for s in swift if s['valid'])
    n_true = sum(sum(s['m']) for s in swift)
    print(f'patterns: {agree_pat}/{n_pat} validity agree ({n_valid} valid); '
          f'pairs: {agree_pairs}/{n_pairs} match agree ({n_true} matching)')
