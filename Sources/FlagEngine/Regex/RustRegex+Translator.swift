extension RustRegex {
  /// Turns syntax into `Hir` the way regex-syntax's `hir::translate` does: applies the
  /// `i m s U u R` flags with their group scoping, case folds, resolves classes, and
  /// refuses what Rust refuses at this stage (for example `(?-u:.)`, which could match
  /// invalid UTF-8, or an unknown `\p{..}` name).
  struct Translator {
    private struct Flags {
      var caseInsensitive = false
      var multiLine = false
      var dotMatchesNewLine = false
      var unicode = true
      var crlf = false

      mutating func apply(_ items: FlagItems) {
        if let value = items.caseInsensitive { caseInsensitive = value }
        if let value = items.multiLine { multiLine = value }
        if let value = items.dotMatchesNewLine { dotMatchesNewLine = value }
        if let value = items.unicode { unicode = value }
        if let value = items.crlf { crlf = value }
        // `U` only swaps greediness, which an is-match search never observes.
      }
    }

    private var flags = Flags()

    init(caseInsensitive: Bool) {
      flags.caseInsensitive = caseInsensitive
    }

    private static let invalidUTF8 = "pattern can match invalid UTF-8"
    private static let unicodeNotAllowed = "Unicode not allowed here"

    mutating func translate(_ node: SyntaxNode) throws(RustRegexError) -> Hir {
      switch node.kind {
      case .empty:
        return .empty
      case .flags(let items):
        flags.apply(items)
        return .empty
      case .literal(let literal):
        return try translateLiteral(literal)
      case .dot(let offset):
        guard flags.unicode else { throw RustRegexError(Self.invalidUTF8, at: offset) }
        if flags.dotMatchesNewLine { return .set(.all) }
        var excluded = ScalarSet(lower: 0x0A, upper: 0x0A)
        if flags.crlf { excluded.insert(0x0D, 0x0D) }
        return .set(excluded.inverted())
      case .assertion(let assertion, _):
        return .look(look(for: assertion))
      case .perlClass(let kind, let negated, let offset):
        return Hir.makeSet(try perlClass(kind, negated: negated, offset: offset))
      case .unicodeClass(let name, let negated, let offset):
        return Hir.makeSet(try unicodeClass(name, negated: negated, offset: offset))
      case .bracketClass(let set, let negated, let offset):
        let members = try classSet(set)
        return Hir.makeSet(try foldAndNegate(members, negated: negated, offset: offset))
      case .repetition(let sub, let min, let max, _):
        return Hir.makeRepetition(try translate(sub), min: min, max: max)
      case .group(let sub, let kind):
        let outer = flags
        if case .nonCapture(let items?) = kind { flags.apply(items) }
        let inner = try translate(sub)
        flags = outer
        if case .capture = kind { return .capture(inner) }
        return inner
      case .concat(let subs):
        var parts: [Hir] = []
        parts.reserveCapacity(subs.count)
        for sub in subs { parts.append(try translate(sub)) }
        return Hir.makeConcat(parts)
      case .alternation(let subs):
        var parts: [Hir] = []
        parts.reserveCapacity(subs.count)
        for sub in subs { parts.append(try translate(sub)) }
        return Hir.makeAlternation(parts)
      }
    }

    private func translateLiteral(_ literal: SyntaxLiteral) throws(RustRegexError) -> Hir {
      let value = literal.scalar.value
      // Without Unicode, `\xNN` is a byte; only ASCII bytes keep the text valid UTF-8.
      if !flags.unicode && literal.isHexByte && value > 0x7F {
        throw RustRegexError(Self.invalidUTF8, at: literal.offset)
      }
      guard flags.caseInsensitive else { return .literal(literal.scalar) }
      if flags.unicode {
        guard UnicodeProperties.hasCaseVariants(value, value) else { return .literal(literal.scalar) }
        return .set(UnicodeProperties.caseFolded(ScalarSet(lower: value, upper: value)))
      }
      let folded = Self.asciiCaseFolded(ScalarSet(lower: value, upper: value))
      return Hir.makeSet(folded)
    }

    private func look(for assertion: Assertion) -> Look {
      let unicode = flags.unicode
      switch assertion {
      case .startLine: return flags.multiLine ? (flags.crlf ? .startCRLF : .startLF) : .start
      case .endLine: return flags.multiLine ? (flags.crlf ? .endCRLF : .endLF) : .end
      case .startText: return .start
      case .endText: return .end
      case .wordBoundary: return unicode ? .wordUnicode : .wordASCII
      case .notWordBoundary: return unicode ? .wordUnicodeNegate : .wordASCIINegate
      case .wordStart: return unicode ? .wordStartUnicode : .wordStartASCII
      case .wordEnd: return unicode ? .wordEndUnicode : .wordEndASCII
      case .wordStartHalf: return unicode ? .wordStartHalfUnicode : .wordStartHalfASCII
      case .wordEndHalf: return unicode ? .wordEndHalfUnicode : .wordEndHalfASCII
      }
    }

    // MARK: Classes

    private func perlClass(_ kind: PerlClass, negated: Bool, offset: Int) throws(RustRegexError) -> ScalarSet {
      var set: ScalarSet
      if flags.unicode {
        switch kind {
        case .digit: set = UnicodeProperties.perlDigit
        case .space: set = UnicodeProperties.perlSpace
        case .word: set = UnicodeProperties.perlWord
        }
      } else {
        let ascii: AsciiClass = kind == .digit ? .digit : kind == .space ? .space : .word
        set = ScalarSet(ascii.ranges.map { ScalarSet.Range(lower: $0.0, upper: $0.1) })
      }
      // Perl classes are closed under case folding already.
      if negated { set = set.inverted() }
      if !flags.unicode && !set.isASCII { throw RustRegexError(Self.invalidUTF8, at: offset) }
      return set
    }

    private func unicodeClass(_ name: UnicodeClassName, negated: Bool, offset: Int) throws(RustRegexError) -> ScalarSet {
      guard flags.unicode else { throw RustRegexError(Self.unicodeNotAllowed, at: offset) }
      var set = try UnicodeProperties.classSet(for: name, at: offset)
      if flags.caseInsensitive { set = UnicodeProperties.caseFolded(set) }
      var invert = negated
      if case .namedValue(_, _, true) = name { invert.toggle() }
      return invert ? set.inverted() : set
    }

    /// Folds first, then negates: `(?i)[^x]` must exclude `X` too.
    private func foldAndNegate(_ set: ScalarSet, negated: Bool, offset: Int) throws(RustRegexError) -> ScalarSet {
      var result = fold(set)
      if negated { result = result.inverted() }
      if !flags.unicode && !result.isASCII { throw RustRegexError(Self.invalidUTF8, at: offset) }
      return result
    }

    private func fold(_ set: ScalarSet) -> ScalarSet {
      guard flags.caseInsensitive else { return set }
      return flags.unicode ? UnicodeProperties.caseFolded(set) : Self.asciiCaseFolded(set)
    }

    static func asciiCaseFolded(_ set: ScalarSet) -> ScalarSet {
      var added: [ScalarSet.Range] = []
      for range in set.ranges {
        for (lower, upper, delta) in [(UInt32(0x41), UInt32(0x5A), Int64(32)), (0x61, 0x7A, -32)] {
          let low = max(range.lower, lower)
          let high = min(range.upper, upper)
          if low <= high {
            added.append(ScalarSet.Range(lower: UInt32(Int64(low) + delta), upper: UInt32(Int64(high) + delta)))
          }
        }
      }
      return added.isEmpty ? set : set.union(ScalarSet(added))
    }

    private func classLiteral(_ literal: SyntaxLiteral) throws(RustRegexError) -> UInt32 {
      let value = literal.scalar.value
      if !flags.unicode && value > 0x7F {
        throw RustRegexError(literal.isHexByte ? Self.invalidUTF8 : Self.unicodeNotAllowed, at: literal.offset)
      }
      return value
    }

    private func classSet(_ node: ClassSetNode) throws(RustRegexError) -> ScalarSet {
      switch node.kind {
      case .empty:
        return ScalarSet()
      case .literal(let literal):
        let value = try classLiteral(literal)
        return ScalarSet(lower: value, upper: value)
      case .range(let lower, let upper):
        return ScalarSet(lower: try classLiteral(lower), upper: try classLiteral(upper))
      case .ascii(let kind, let negated):
        let set = ScalarSet(kind.ranges.map { ScalarSet.Range(lower: $0.0, upper: $0.1) })
        return try foldAndNegate(set, negated: negated, offset: 0)
      case .unicode(let name, let negated, let offset):
        return try unicodeClass(name, negated: negated, offset: offset)
      case .perl(let kind, let negated, let offset):
        return try perlClass(kind, negated: negated, offset: offset)
      case .bracketed(let inner, let negated, let offset):
        return try foldAndNegate(try classSet(inner), negated: negated, offset: offset)
      case .union(let items):
        var set = ScalarSet()
        for item in items { set.formUnion(try classSet(item)) }
        return set
      case .binary(let op, let lhsNode, let rhsNode):
        let lhs = fold(try classSet(lhsNode))
        let rhs = fold(try classSet(rhsNode))
        switch op {
        case .intersection: return lhs.intersection(rhs)
        case .difference: return lhs.subtracting(rhs)
        case .symmetricDifference: return lhs.symmetricDifference(rhs)
        }
      }
    }
  }
}
