extension RustRegex {
  /// Abstract syntax of a Rust `regex` pattern, shaped like regex-syntax's `Ast` so that
  /// the nesting limit and the later translation behave the same.
  struct SyntaxNode: Sendable {
    indirect enum Kind: Sendable {
      case empty
      /// `(?flags)`: changes flags until the end of the enclosing group.
      case flags(FlagItems)
      case literal(SyntaxLiteral)
      case dot(offset: Int)
      case assertion(Assertion, offset: Int)
      case perlClass(PerlClass, negated: Bool, offset: Int)
      case unicodeClass(UnicodeClassName, negated: Bool, offset: Int)
      case bracketClass(ClassSetNode, negated: Bool, offset: Int)
      case repetition(SyntaxNode, min: UInt32, max: UInt32?, greedy: Bool)
      case group(SyntaxNode, GroupKind)
      case concat([SyntaxNode])
      case alternation([SyntaxNode])
    }

    let kind: Kind
    /// Nesting depth as regex-syntax's `NestLimiter` counts it.
    let depth: Int

    init(_ kind: Kind) {
      self.kind = kind
      switch kind {
      case .empty, .flags, .literal, .dot, .assertion, .perlClass, .unicodeClass:
        depth = 0
      case .bracketClass(let set, _, _):
        depth = 1 + set.depth
      case .repetition(let sub, _, _, _), .group(let sub, _):
        depth = 1 + sub.depth
      case .concat(let subs), .alternation(let subs):
        depth = 1 + (subs.map(\.depth).max() ?? 0)
      }
    }

    var isEmptyOrFlags: Bool {
      switch kind {
      case .empty, .flags: return true
      default: return false
      }
    }
  }

  /// A literal scalar and how it was written.
  struct SyntaxLiteral: Sendable {
    var scalar: Unicode.Scalar
    /// Written as `\xNN`: without Unicode mode this denotes a byte, not a scalar.
    var isHexByte: Bool
    var offset: Int
  }

  enum Assertion: Sendable {
    case startLine, endLine, startText, endText
    case wordBoundary, notWordBoundary
    case wordStart, wordEnd, wordStartHalf, wordEndHalf
  }

  enum PerlClass: Sendable {
    case digit, space, word
  }

  /// The name in `\pN`, `\p{Name}` or `\p{name=value}` (or `:` or `!=`).
  enum UnicodeClassName: Sendable {
    case oneLetter(Unicode.Scalar)
    case named(String)
    case namedValue(name: String, value: String, notEqual: Bool)
  }

  enum AsciiClass: String, Sendable {
    case alnum, alpha, ascii, blank, cntrl, digit, graph, lower, print, punct, space, upper, word, xdigit

    var ranges: [(UInt32, UInt32)] {
      switch self {
      case .alnum: return [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]
      case .alpha: return [(0x41, 0x5A), (0x61, 0x7A)]
      case .ascii: return [(0x00, 0x7F)]
      case .blank: return [(0x09, 0x09), (0x20, 0x20)]
      case .cntrl: return [(0x00, 0x1F), (0x7F, 0x7F)]
      case .digit: return [(0x30, 0x39)]
      case .graph: return [(0x21, 0x7E)]
      case .lower: return [(0x61, 0x7A)]
      case .print: return [(0x20, 0x7E)]
      case .punct: return [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]
      case .space: return [(0x09, 0x0D), (0x20, 0x20)]
      case .upper: return [(0x41, 0x5A)]
      case .word: return [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
      case .xdigit: return [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]
      }
    }
  }

  enum GroupKind: Sendable {
    case capture
    case nonCapture(FlagItems?)
  }

  /// Flags as written in `(?i-s)`: each is on, off or untouched.
  struct FlagItems: Sendable {
    var caseInsensitive: Bool?
    var multiLine: Bool?
    var dotMatchesNewLine: Bool?
    var swapGreed: Bool?
    var unicode: Bool?
    var crlf: Bool?
    var ignoreWhitespace: Bool?
  }

  /// One item of a bracketed class, shaped like regex-syntax's `ClassSet`.
  struct ClassSetNode: Sendable {
    indirect enum Kind: Sendable {
      case empty
      case literal(SyntaxLiteral)
      case range(SyntaxLiteral, SyntaxLiteral)
      case ascii(AsciiClass, negated: Bool)
      case unicode(UnicodeClassName, negated: Bool, offset: Int)
      case perl(PerlClass, negated: Bool, offset: Int)
      case bracketed(ClassSetNode, negated: Bool, offset: Int)
      case union([ClassSetNode])
      case binary(ClassSetOperator, ClassSetNode, ClassSetNode)
    }

    let kind: Kind
    let depth: Int

    init(_ kind: Kind) {
      self.kind = kind
      switch kind {
      case .empty, .literal, .range, .ascii, .unicode, .perl:
        depth = 0
      case .bracketed(let set, _, _):
        depth = 1 + set.depth
      case .union(let items):
        depth = 1 + (items.map(\.depth).max() ?? 0)
      case .binary(_, let lhs, let rhs):
        depth = 1 + max(lhs.depth, rhs.depth)
      }
    }
  }

  enum ClassSetOperator: Sendable {
    case intersection, difference, symmetricDifference
  }
}
