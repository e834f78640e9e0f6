#!/usr/bin/env python3
"""Generates Sources/FlagEngine/Regex/RustRegex+UnicodeTables.swift.

Rust's regex-syntax 0.8 (as used by yggdrasil-engine 2.0.0) ships Unicode 16.0 tables.
Sources:
  * property sets: the `regex` PyPI module at a Unicode 16.0 release
    (`pip install regex==2025.9.1`), which knows \\p{Script=..},
    \\p{Script_Extensions=..}, binary properties and the break properties;
  * names and aliases: PropertyAliases.txt / PropertyValueAliases.txt (Debian
    `unicode-data`, Unicode 15.0) plus the names Unicode 15.1 and 16.0 added;
  * general categories stay with Swift's `Unicode.Scalar.Properties` at run time;
    tools/swift_categories.swift dumps them so that the scalars where Swift's (newer)
    data disagrees with 16.0 are recorded as overrides.

Usage: python gen_unicode_tables.py SWIFT_CATEGORIES_FILE UCD_DIR OUT_SWIFT
"""
import sys
import regex

swift_categories_file, ucd, out_path = sys.argv[1:4]

# All scalar values, as one string, so `finditer` finds property runs quickly.
CPS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
ALL = ''.join(map(chr, CPS))


def subtract(ranges, holes):
    out = []
    for s, e in ranges:
        cur = s
        for hs, he in holes:
            if he < cur or hs > e:
                continue
            if hs > cur:
                out.append((cur, hs - 1))
            cur = max(cur, he + 1)
        if cur <= e:
            out.append((cur, e))
    return out


def raw_ranges(pattern):
    rx = regex.compile(pattern + '+')
    out = []
    for m in rx.finditer(ALL):
        s = ord(ALL[m.start()])
        e = ord(ALL[m.end() - 1])
        if out and out[-1][1] + 1 == s:
            out[-1] = (out[-1][0], e)
        elif out and out[-1][1] == 0xD7FF and s == 0xE000:
            out[-1] = (out[-1][0], e)  # runs split only by the surrogate gap
        else:
            out.append((s, e))
    # merge across the surrogate gap like Rust's char ranges do
    merged = []
    for s, e in out:
        if merged and merged[-1][1] == 0xD7FF and s == 0xE000:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


ranges_of = raw_ranges
assert not regex.match(r'\p{Cn}', '\u1c89') and regex.match(r'\p{Cn}', '\u20c1'), 'need Unicode 16.0'

# ---- general category overrides ------------------------------------------------------
SWIFT_GC = {'uppercaseLetter': 'Lu', 'lowercaseLetter': 'Ll', 'titlecaseLetter': 'Lt',
            'modifierLetter': 'Lm', 'otherLetter': 'Lo', 'nonspacingMark': 'Mn',
            'spacingMark': 'Mc', 'enclosingMark': 'Me', 'decimalNumber': 'Nd',
            'letterNumber': 'Nl', 'otherNumber': 'No', 'connectorPunctuation': 'Pc',
            'dashPunctuation': 'Pd', 'openPunctuation': 'Ps', 'closePunctuation': 'Pe',
            'initialPunctuation': 'Pi', 'finalPunctuation': 'Pf', 'otherPunctuation': 'Po',
            'mathSymbol': 'Sm', 'currencySymbol': 'Sc', 'modifierSymbol': 'Sk', 'otherSymbol': 'So',
            'spaceSeparator': 'Zs', 'lineSeparator': 'Zl', 'paragraphSeparator': 'Zp',
            'control': 'Cc', 'format': 'Cf', 'surrogate': 'Cs', 'privateUse': 'Co',
            'unassigned': 'Cn'}
swift_gc = {}
for line in open(swift_categories_file):
    a, b, name = line.split()
    for cp in range(int(a), int(b) + 1):
        swift_gc[cp] = SWIFT_GC[name]
GC_CODES = list(SWIFT_GC.values())
gc_overrides = []  # (first, last, code) where Unicode 16.0 differs from Swift
rust_gc = {}
for code in GC_CODES:
    if code == 'Cs':
        continue
    for a, b in raw_ranges(r'\p{%s}' % code):
        for cp in range(a, b + 1):
            rust_gc[cp] = code
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    want = rust_gc.get(cp, 'Cn')
    have = swift_gc.get(cp, 'Cn')
    if want != have:
        if gc_overrides and gc_overrides[-1][1] == cp - 1 and gc_overrides[-1][2] == want:
            gc_overrides[-1] = (gc_overrides[-1][0], cp, want)
        else:
            gc_overrides.append((cp, cp, want))
print('general category overrides:', gc_overrides[:20], len(gc_overrides))


DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'  # 64


def enc_uint(n):
    # little-endian base-32 digits; 32..63 mark "more digits follow"
    s = ''
    while True:
        d = n & 31
        n >>= 5
        if n:
            s += DIGITS[32 + d]
        else:
            s += DIGITS[d]
            return s


def encode(ranges):
    s = ''
    prev = 0
    for a, b in ranges:
        s += enc_uint(a - prev) + enc_uint(b - a)
        prev = b + 1
    return s


def norm(name):
    """Rust regex-syntax `symbolic_name_normalize`."""
    b = name.encode('utf-8')
    starts_is = len(b) >= 2 and b[:2].lower() == b'is'
    if starts_is:
        b = b[2:]
    out = bytearray()
    for c in b:
        if c in b' _-':
            continue
        if 65 <= c <= 90:
            out.append(c + 32)
        elif c <= 0x7F:
            out.append(c)
    if starts_is and out == b'c':
        out = bytearray(b'isc')
    return out.decode()


# ---- names -------------------------------------------------------------------------
prop_aliases = {}  # normalized alias -> canonical property name
for line in open(f'{ucd}/PropertyAliases.txt'):
    line = line.split('#')[0].strip()
    if not line:
        continue
    parts = [p.strip() for p in line.split(';')]
    canon = parts[1]
    for a in parts:
        prop_aliases[norm(a)] = canon
for short, canon in [('IDCompat_Math_Start', 'ID_Compat_Math_Start'),
                     ('ID_Compat_Math_Start', 'ID_Compat_Math_Start'),
                     ('IDCompat_Math_Continue', 'ID_Compat_Math_Continue'),
                     ('ID_Compat_Math_Continue', 'ID_Compat_Math_Continue'),
                     ('IDSU', 'IDS_Unary_Operator'), ('IDS_Unary_Operator', 'IDS_Unary_Operator'),
                     ('MCM', 'Modifier_Combining_Mark'),
                     ('Modifier_Combining_Mark', 'Modifier_Combining_Mark'),
                     ('InCB', 'Indic_Conjunct_Break'), ('Indic_Conjunct_Break', 'Indic_Conjunct_Break')]:
    prop_aliases[norm(short)] = canon

values = {}  # property short name -> {normalized alias: canonical value}
for line in open(f'{ucd}/PropertyValueAliases.txt'):
    line = line.split('#')[0].strip()
    if not line:
        continue
    parts = [p.strip() for p in line.split(';')]
    prop = parts[0]
    if prop not in ('gc', 'sc', 'GCB', 'WB', 'SB', 'age'):
        continue
    canon = parts[2]
    if prop == 'age':
        canon = parts[2]  # V1_1 ...
    d = values.setdefault(prop, {})
    for a in parts[1:]:
        d[norm(a)] = canon
for code, name in [('Gara', 'Garay'), ('Gukh', 'Gurung_Khema'), ('Krai', 'Kirat_Rai'),
                   ('Onao', 'Ol_Onal'), ('Sunu', 'Sunuwar'), ('Todr', 'Todhri'),
                   ('Tutg', 'Tulu_Tigalari')]:
    values['sc'][norm(code)] = name
    values['sc'][norm(name)] = name
for ver in ('15.1', '16.0'):
    canon = 'V' + ver.replace('.', '_')
    values['age'][norm(ver)] = canon
    values['age'][norm(canon)] = canon
values['age'] = {k: v for k, v in values['age'].items() if v != 'Unassigned'}
# Surrogates are not scalar values: Rust has no table for them, so `\p{Cs}` is an error.
values['gc'] = {k: v for k, v in values['gc'].items() if v != 'Surrogate'}

# ---- sets --------------------------------------------------------------------------
scripts = {}
scx = {}
for canon in sorted(set(values['sc'].values())):
    r = ranges_of(r'\p{Script=%s}' % canon)
    if not r or canon == 'Unknown':
        continue  # Katakana_Or_Hiragana is empty; Rust has no Unknown table
    scripts[canon] = r
    scx[canon] = ranges_of(r'\p{Script_Extensions=%s}' % canon)
values['sc'] = {k: v for k, v in values['sc'].items() if v in scripts}

BOOL = ['ASCII_Hex_Digit', 'Alphabetic', 'Bidi_Control', 'Bidi_Mirrored', 'Case_Ignorable',
        'Cased', 'Changes_When_Casefolded', 'Changes_When_Casemapped',
        'Changes_When_Lowercased', 'Changes_When_Titlecased', 'Changes_When_Uppercased',
        'Dash', 'Default_Ignorable_Code_Point', 'Deprecated', 'Diacritic', 'Emoji',
        'Emoji_Component', 'Emoji_Modifier', 'Emoji_Modifier_Base', 'Emoji_Presentation',
        'Extended_Pictographic', 'Extender', 'Grapheme_Base', 'Grapheme_Extend',
        'Grapheme_Link', 'Hex_Digit', 'Hyphen', 'ID_Compat_Math_Continue',
        'ID_Compat_Math_Start', 'ID_Continue', 'ID_Start', 'IDS_Binary_Operator',
        'IDS_Trinary_Operator', 'IDS_Unary_Operator', 'Ideographic', 'Join_Control',
        'Logical_Order_Exception', 'Lowercase', 'Math', 'Modifier_Combining_Mark',
        'Noncharacter_Code_Point', 'Other_Alphabetic', 'Other_Default_Ignorable_Code_Point',
        'Other_Grapheme_Extend', 'Other_ID_Continue', 'Other_ID_Start', 'Other_Lowercase',
        'Other_Math', 'Other_Uppercase', 'Pattern_Syntax', 'Pattern_White_Space',
        'Prepended_Concatenation_Mark', 'Quotation_Mark', 'Radical', 'Regional_Indicator',
        'Sentence_Terminal', 'Soft_Dotted', 'Terminal_Punctuation', 'Unified_Ideograph',
        'Uppercase', 'Variation_Selector', 'White_Space', 'XID_Continue', 'XID_Start']
bools = {name: ranges_of(r'\p{%s}' % name) for name in BOOL}


def break_tables(prop, pyname):
    out = {}
    for canon in sorted(set(values[prop].values())):
        if canon == 'Other':
            continue
        try:
            r = ranges_of(r'\p{%s=%s}' % (pyname, canon))
        except regex.error:
            continue
        if r:
            out[canon] = r
    values[prop] = {k: v for k, v in values[prop].items() if v in out}
    return out


gcb = break_tables('GCB', 'Grapheme_Cluster_Break')
wb = break_tables('WB', 'Word_Break')
sb = break_tables('SB', 'Sentence_Break')

perl_word = ranges_of(r'[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]')
perl_digit = ranges_of(r'\p{Nd}')
perl_space = ranges_of(r'\p{White_Space}')


def named(tables):
    return ';'.join(f'{k}={encode(v)}' for k, v in sorted(tables.items()))


def aliases(d):
    return ','.join(f'{k}:{v}' for k, v in sorted(d.items()))


def swift_string(s, indent='    '):
    # chunk into readable lines joined by the compiler
    chunks = [s[i:i + 96] for i in range(0, len(s), 96)] or ['']
    return '\n'.join(f'{indent}"{c}"' + (' +' if i < len(chunks) - 1 else '')
                     for i, c in enumerate(chunks))


def raw(s):
    # multi-line string literal: one line per 96 characters, line breaks removed on decode
    lines = [s[i:i + 100] for i in range(0, len(s), 100)] or ['']
    return '"""\n' + '\n'.join('      ' + l for l in lines) + '\n      """'


with open(out_path, 'w') as f:
    f.write('''// Generated by tools/gen_unicode_tables.py -- do not edit by hand.
//
// Unicode 16.0 sets, matching what Rust's regex-syntax 0.8 (yggdrasil-engine 2.0.0)
// ships: scripts, script extensions, binary properties, break properties and the
// Perl classes, plus the property and value aliases `\\p{..}` accepts. Sets come from
// the `regex` PyPI module at its Unicode 16.0 release. General categories are not
// here: they come from Swift's `generalCategory` at run time, except the scalars
// listed in `generalCategoryOverrides`, where Swift's newer data differs from 16.0.
//
// Set encoding: pairs (gap from the previous range's end + 1, length - 1) as
// little-endian base-32 numbers over `UnicodeTables.digits`; a digit of 32...63 means
// more digits follow. Named sets are `Name=encoded` joined by `;`; aliases are
// `normalized:Canonical` joined by `,`. Line breaks inside the literals are ignored.

extension RustRegex {
  enum UnicodeTables {
    static let digits = "%s"

''' % DIGITS)

    def emit(name, doc, s):
        f.write(f'    /// {doc}\n    static let {name} = {raw(s)}\n\n')

    emit('propertyNames', 'Normalized property alias to canonical property name.', aliases(prop_aliases))
    emit('generalCategoryValues', 'Normalized General_Category value alias to canonical value.',
         aliases(values['gc']))
    emit('scriptValues', 'Normalized Script value alias to canonical script.', aliases(values['sc']))
    emit('graphemeClusterBreakValues', 'Grapheme_Cluster_Break value aliases.', aliases(values['GCB']))
    emit('wordBreakValues', 'Word_Break value aliases.', aliases(values['WB']))
    emit('sentenceBreakValues', 'Sentence_Break value aliases.', aliases(values['SB']))
    emit('ageValues', 'Age value aliases.', aliases(values['age']))
    emit('generalCategoryOverrides',
         'Scalars whose Unicode 16.0 general category differs from Swift\'s: `first-last:Gc`.',
         ','.join('%x-%x:%s' % o for o in gc_overrides))
    emit('perlWord', '`\\w`: Alphabetic, marks, decimal numbers, connector punctuation, Join_Control.',
         encode(perl_word))
    emit('perlDigit', '`\\d`: General_Category=Decimal_Number.', encode(perl_digit))
    emit('perlSpace', '`\\s`: White_Space.', encode(perl_space))
    emit('scripts', 'Script=X sets.', named(scripts))
    emit('scriptExtensions', 'Script_Extensions=X sets.', named(scx))
    emit('binaryProperties', 'Binary property sets.', named(bools))
    emit('graphemeClusterBreak', 'Grapheme_Cluster_Break=X sets.', named(gcb))
    emit('wordBreak', 'Word_Break=X sets.', named(wb))
    emit('sentenceBreak', 'Sentence_Break=X sets.', named(sb))
    f.write('  }\n}\n')

total = sum(len(encode(v)) for t in (scripts, scx, bools, gcb, wb, sb) for v in t.values())
print('encoded set bytes:', total, 'scripts', len(scripts), 'bools', len(bools))
