extension RustRegex {
  /// High-level intermediate representation, like regex-syntax's `Hir`: flags resolved,
  /// case folding applied, classes as scalar sets. The smart constructors simplify the
  /// same way Rust's do, which keeps the size estimate close to Rust's.
  indirect enum Hir: Sendable {
    case empty
    /// One or more scalars in sequence.
    case literal([Unicode.Scalar])
    /// A class; an empty class never matches (Rust's `Hir::fail`).
    case set(ScalarSet)
    case look(Look)
    case repetition(Hir, min: UInt32, max: UInt32?)
    /// A capturing group; only its size matters here.
    case capture(Hir)
    case concat([Hir])
    case alternation([Hir])

    static let fail = Hir.set(ScalarSet())

    static func literal(_ scalar: Unicode.Scalar) -> Hir { .literal([scalar]) }

    static func makeSet(_ set: ScalarSet) -> Hir {
      if let single = set.singleScalar, let scalar = Unicode.Scalar(single) { return .literal([scalar]) }
      return .set(set)
    }

    static func makeConcat(_ subs: [Hir]) -> Hir {
      var result: [Hir] = []
      var pending: [Unicode.Scalar] = []
      func flush() {
        if !pending.isEmpty {
          result.append(.literal(pending))
          pending = []
        }
      }
      func add(_ hir: Hir) {
        switch hir {
        case .empty: break
        case .literal(let scalars): pending.append(contentsOf: scalars)
        default:
          flush()
          result.append(hir)
        }
      }
      for sub in subs {
        if case .concat(let inner) = sub { inner.forEach(add) } else { add(sub) }
      }
      flush()
      switch result.count {
      case 0: return .empty
      case 1: return result[0]
      default: return .concat(result)
      }
    }

    static func makeAlternation(_ subs: [Hir]) -> Hir {
      var flat: [Hir] = []
      for sub in subs {
        if case .alternation(let inner) = sub { flat.append(contentsOf: inner) } else { flat.append(sub) }
      }
      switch flat.count {
      case 0: return .fail
      case 1: return flat[0]
      default: break
      }
      // `a|b|[c-e]` is the class `[a-e]`.
      var union: [ScalarSet.Range] = []
      for sub in flat {
        switch sub {
        case .literal(let scalars) where scalars.count == 1:
          union.append(ScalarSet.Range(lower: scalars[0].value, upper: scalars[0].value))
        case .set(let set):
          union.append(contentsOf: set.ranges)
        default:
          return .alternation(flat)
        }
      }
      return makeSet(ScalarSet(union))
    }

    static func makeRepetition(_ sub: Hir, min: UInt32, max: UInt32?) -> Hir {
      var min = min
      var max = max
      // Something that only matches the empty string needs no more than one copy.
      if sub.maximumLength == 0 {
        min = Swift.min(min, 1)
        max = Swift.min(max ?? 1, 1)
      }
      if min == 0 && max == 0 { return .empty }
      if min == 1 && max == 1 { return sub }
      return .repetition(sub, min: min, max: max)
    }

    /// Shortest match in UTF-8 bytes; nil if it cannot match at all.
    var minimumLength: Int? {
      switch self {
      case .empty, .look: return 0
      case .literal(let scalars): return scalars.reduce(0) { $0 + Self.utf8Length($1.value) }
      case .set(let set): return set.ranges.first.map { Self.utf8Length($0.lower) }
      case .repetition(let sub, let min, _):
        return sub.minimumLength.map { $0.multipliedReportingOverflow(by: Int(min)).overflow ? Int.max : $0 * Int(min) }
      case .capture(let sub): return sub.minimumLength
      case .concat(let subs):
        var total = 0
        for sub in subs {
          guard let length = sub.minimumLength else { return nil }
          total = total.addingReportingOverflow(length).overflow ? Int.max : total + length
        }
        return total
      case .alternation(let subs):
        var best: Int?
        for sub in subs {
          guard let length = sub.minimumLength else { return nil }
          best = Swift.min(best ?? length, length)
        }
        return best
      }
    }

    /// Longest match in UTF-8 bytes; nil if unbounded or it cannot match.
    var maximumLength: Int? {
      switch self {
      case .empty, .look: return 0
      case .literal(let scalars): return scalars.reduce(0) { $0 + Self.utf8Length($1.value) }
      case .set(let set): return set.ranges.map { Self.utf8Length($0.upper) }.max()
      case .repetition(let sub, _, let max):
        guard let max, let length = sub.maximumLength else { return nil }
        let (product, overflow) = length.multipliedReportingOverflow(by: Int(max))
        return overflow ? nil : product
      case .capture(let sub): return sub.maximumLength
      case .concat(let subs):
        var total = 0
        for sub in subs {
          guard let length = sub.maximumLength else { return nil }
          let (sum, overflow) = total.addingReportingOverflow(length)
          if overflow { return nil }
          total = sum
        }
        return total
      case .alternation(let subs):
        var best = 0
        for sub in subs {
          guard let length = sub.maximumLength else { return nil }
          best = Swift.max(best, length)
        }
        return best
      }
    }

    static func utf8Length(_ value: UInt32) -> Int {
      value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4
    }
  }

  /// Zero-width assertions, named after regex-automata's `Look`.
  enum Look: UInt8, Sendable {
    case start, end
    case startLF, endLF, startCRLF, endCRLF
    case wordUnicode, wordUnicodeNegate, wordASCII, wordASCIINegate
    case wordStartUnicode, wordEndUnicode, wordStartHalfUnicode, wordEndHalfUnicode
    case wordStartASCII, wordEndASCII, wordStartHalfASCII, wordEndHalfASCII

    /// Whether the assertion holds between `previous` and `next` (nil at either end).
    @inline(__always)
    func holds(previous: UInt32?, next: UInt32?) -> Bool {
      switch self {
      case .start: return previous == nil
      case .end: return next == nil
      case .startLF: return previous == nil || previous == 0x0A
      case .endLF: return next == nil || next == 0x0A
      case .startCRLF:
        // After \n, or after \r unless \n follows (never between \r and \n).
        return previous == nil || previous == 0x0A || (previous == 0x0D && next != 0x0A)
      case .endCRLF:
        return next == nil || next == 0x0D || (next == 0x0A && previous != 0x0D)
      case .wordUnicode: return Self.unicodeWord(previous) != Self.unicodeWord(next)
      case .wordUnicodeNegate: return Self.unicodeWord(previous) == Self.unicodeWord(next)
      case .wordASCII: return Self.asciiWord(previous) != Self.asciiWord(next)
      case .wordASCIINegate: return Self.asciiWord(previous) == Self.asciiWord(next)
      case .wordStartUnicode: return !Self.unicodeWord(previous) && Self.unicodeWord(next)
      case .wordEndUnicode: return Self.unicodeWord(previous) && !Self.unicodeWord(next)
      case .wordStartHalfUnicode: return !Self.unicodeWord(previous)
      case .wordEndHalfUnicode: return !Self.unicodeWord(next)
      case .wordStartASCII: return !Self.asciiWord(previous) && Self.asciiWord(next)
      case .wordEndASCII: return Self.asciiWord(previous) && !Self.asciiWord(next)
      case .wordStartHalfASCII: return !Self.asciiWord(previous)
      case .wordEndHalfASCII: return !Self.asciiWord(next)
      }
    }

    @inline(__always)
    private static func unicodeWord(_ value: UInt32?) -> Bool {
      guard let value else { return false }
      return UnicodeProperties.isWord(value)
    }

    @inline(__always)
    private static func asciiWord(_ value: UInt32?) -> Bool {
      guard let value else { return false }
      return UnicodeProperties.isASCIIWord(value)
    }
  }
}
