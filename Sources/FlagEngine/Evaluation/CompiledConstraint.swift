/// A constraint compiled for evaluation: the field it reads, the test, and whether it is inverted.

struct CompiledConstraint: Sendable {
  
  enum Test: Sendable {
    /// A fixed answer that `inverted` does not flip (Unleash's rule for a `v`-prefixed semver).
    case never
    /// IN, or NOT_IN when `negated`. A missing value is outside the list.
    case list(StringList, negated: Bool)
    case startsWith([String], caseInsensitive: Bool)
    case endsWith([String], caseInsensitive: Bool)
    case contains([String], caseInsensitive: Bool)
    case number(Ordinal, Double)
    case date(Ordinal, Timestamp)
    case semver(Ordinal, SemverOperand)
    case cidr([IPNetwork])
    /// `nil` when the pattern does not compile: the constraint is then false (and true when inverted).
    case regex(RustRegex?)
  }

  let field: ContextField
  let test: Test
  let inverted: Bool
}

/// The comparison of an ordered operator (`NUM_*`, `DATE_*`, `SEMVER_*`).

enum Ordinal: Sendable {
  case equal, less, lessOrEqual, greater, greaterOrEqual

  
  func holds(_ order: Int) -> Bool {
    switch self {
    case .equal: return order == 0
    case .less: return order < 0
    case .lessOrEqual: return order <= 0
    case .greater: return order > 0
    case .greaterOrEqual: return order >= 0
    }
  }

  /// Rust's float comparisons: everything with NaN is false; equality within machine epsilon.
  
  func holds(_ value: Double, _ operand: Double) -> Bool {
    switch self {
    case .equal: return abs(value - operand) < Double.ulpOfOne
    case .less: return value < operand
    case .lessOrEqual: return value <= operand
    case .greater: return value > operand
    case .greaterOrEqual: return value >= operand
    }
  }
}

extension CompiledConstraint {
  /// Evaluates the constraint. Allocates nothing except for case-insensitive tests on non-ASCII text.
  
  func matches(_ context: inout EvaluationContext) -> Bool {
    if case .never = test { return false }
    return evaluateTest(context.resolve(field)) != inverted
  }

  
  func evaluateTest(_ value: String?) -> Bool {
    guard let value else {
      if case .list(_, let negated) = test { return negated }
      return false
    }
    switch test {
    case .never:
      return false
    case .list(let list, let negated):
      return list.contains(value) != negated
    case .startsWith(let needles, let caseInsensitive):
      return StringSearch.any(needles, in: value, caseInsensitive: caseInsensitive, where: .prefix)
    case .endsWith(let needles, let caseInsensitive):
      return StringSearch.any(needles, in: value, caseInsensitive: caseInsensitive, where: .suffix)
    case .contains(let needles, let caseInsensitive):
      return StringSearch.any(needles, in: value, caseInsensitive: caseInsensitive, where: .anywhere)
    case .number(let ordinal, let operand):
      guard let number = RustFloat.parse(value) else { return false }
      return ordinal.holds(number, operand)
    case .date(let ordinal, let operand):
      guard let instant = withUTF8Bytes(value, { Timestamp.parseRelaxed($0) }) else { return false }
      return ordinal.holds(instant < operand ? -1 : (instant == operand ? 0 : 1))
    case .semver(let ordinal, let operand):
      guard let order = withUTF8Bytes(value, { operand.compare(contextValue: $0) }) else { return false }
      return ordinal.holds(order)
    case .cidr(let networks):
      guard let address = withUTF8Bytes(value, { IPAddress.parse($0[...]) }) else { return false }
      for network in networks where network.contains(address) { return true }
      return false
    case .regex(let regex):
      return regex?.isMatch(value) ?? false
    }
  }
}

/// Substring tests over UTF-8 bytes, with Unicode lower-casing for the case-insensitive forms.

enum StringSearch {
  enum Position { case prefix, suffix, anywhere }

  /// Whether any needle occurs in `value` at `position`. Needles of case-insensitive tests are already
  /// lower-cased at compile time.
  
  static func any(_ needles: [String], in value: String, caseInsensitive: Bool, where position: Position) -> Bool {
    if caseInsensitive {
      // ASCII lower-casing in place is exact; other text takes Unicode's mapping (and an allocation).
      let isASCII = value.utf8.allSatisfy { $0 < 0x80 }
      if !isASCII { return any(needles, in: value.lowercased(), caseInsensitive: false, where: position) }
    }
    return withUTF8Bytes(value) { haystack in
      for needle in needles {
        let found = withUTF8Bytes(needle) { needle in
          occurs(needle, in: haystack, foldingASCII: caseInsensitive, at: position)
        }
        if found { return true }
      }
      return false
    }
  }

  
  static func occurs(
    _ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, foldingASCII: Bool,
    at position: Position
  ) -> Bool {
    let n = needle.count
    let h = haystack.count
    guard n <= h else { return false }
    func equal(at offset: Int) -> Bool {
      if foldingASCII {
        for index in 0..<n where haystack[offset + index].asciiLowercased != needle[index] { return false }
        return true
      }
      return n == 0 || memcmpEqual(haystack.baseAddress! + offset, needle.baseAddress!, n)
    }
    switch position {
    case .prefix: return equal(at: 0)
    case .suffix: return equal(at: h - n)
    case .anywhere:
      if n == 0 { return true }
      for offset in 0...(h - n) where equal(at: offset) { return true }
      return false
    }
  }
}
