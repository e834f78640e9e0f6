// The compiled form of a state: plain records without references, so that evaluation reads memory
// and never touches a reference count. Records point into each other and into the program's tables by
// index. `Program` owns them; `StateCompiler` writes them.

/// A run of a table: `start..<start + count`, or bytes `offset..<offset + length` of the text table.
struct Span: Sendable {
  var start: Int32
  var count: Int32

  static let empty = Span(start: 0, count: 0)
  /// The indices of the run; unchecked, as the compiler writes no negative counts.
  var range: Range<Int> {
    @inline(__always) get { Range(uncheckedBounds: (Int(start), Int(start) &+ Int(count))) }
  }
}

struct FeatureRecord: Sendable {
  /// The server switch, and false when the definition could not be compiled.
  var enabled: Bool
  var broken: Bool
  var strategies: Span
  /// Index into `variantSets`, or -1.
  var variantSet: Int32
  var dependencies: Span
}

/// How a strategy decides once its constraints hold.
enum RuleKind: UInt8, Sendable {
  case always, never
  /// `userWithId`: `list` is a sorted string list of ids.
  case userIds
  /// Percentage rollouts: bucket of `"<groupId>:<sticky value>"` `<= percentage`.
  case rollout
  /// `gradualRolloutRandom`: a draw in 1...99 below `percentage`.
  case random
  /// `remoteAddress`: `list` is a run of `networks`.
  case remoteAddress
  /// `applicationHostname`: `list` is a string list of lower-cased names.
  case hostname
}

/// Where a rollout or a variant choice takes its sticky value from.
enum StickinessKind: UInt8, Sendable {
  /// `userId`, else `sessionId`, else a random draw (rollouts) or a random choice (variants).
  case `default`
  /// A fresh random draw each evaluation.
  case random
  /// The field in `slot`; when missing, a rollout is off and a variant choice is random.
  case field
}

struct StrategyRecord: Sendable {
  var rule: RuleKind
  var stickiness: StickinessKind
  var stickinessSlot: Int32
  var percentage: UInt32
  /// `"<groupId>:"` already hashed.
  var prefix: Murmur3.Hasher
  var constraints: Span
  /// The rule's list by kind: a string list of ids or host names, or the first of `listCount` networks.
  var list: Int32
  var listCount: Int32
  /// The strategy's own variants (index into `variantSets`), or -1.
  var variantSet: Int32
}

/// What a constraint tests.
enum TestKind: UInt8, Sendable {
  /// Always false, inverted or not (a `v`-prefixed version).
  case never
  /// IN (`negated` false) or NOT_IN (`negated` true) over a sorted string list.
  case list
  /// IN or NOT_IN over at most 16 values of at most 7 bytes: `operandCount` `ShortWord`s from `operand`
  /// in `words`, compared with the value's word.
  case words
  /// STR_STARTS_WITH one needle of 1 to 8 bytes, exact case: `word` holds it, `operandCount` its length.
  case prefixWord
  case startsWith, endsWith, contains
  /// `number` holds the literal; a context's parsed number is compared without reading its text.
  case number
  /// As `number`, for the operators other than NUM_EQ: `low` and `high` hold the closed interval of the
  /// numbers that pass, as `Double` bits (a NaN bound passes nothing), so one test serves all four.
  case numberRange
  case date
  /// `operand` indexes `semvers`.
  case semver
  /// As `semver`, with the operand as a `VersionKey` in `word` and the keys that pass as `low...high`: a
  /// context's parsed version is compared as one word.
  case semverKey
  /// A run of `networks`.
  case cidr
  /// `operand` indexes `regexes`; a pattern that did not compile is false.
  case regex
}

extension TestKind {
  /// The kind as one bit of a mask.
  @inline(__always) var bit: UInt16 { 1 &<< UInt16(rawValue) }
}

enum OrdinalKind: UInt8, Sendable {
  case equal, less, lessOrEqual, greater, greaterOrEqual

  @inline(__always)
  func holds(_ order: Int) -> Bool {
    switch self {
    case .equal: return order == 0
    case .less: return order < 0
    case .lessOrEqual: return order <= 0
    case .greater: return order > 0
    case .greaterOrEqual: return order >= 0
    }
  }

  /// Rust's float comparisons: NaN compares false; equality is within machine epsilon.
  @inline(__always)
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

struct ConstraintRecord: Sendable {
  var slot: Int32
  var test: TestKind
  var ordinal: OrdinalKind
  var inverted: Bool
  /// NOT_IN for `.list`.
  var negated: Bool
  var caseInsensitive: Bool
  /// A string list (list, string tests), a run of networks (`cidr`, as `Span` start), a semver or a regex index.
  var operand: Int32
  var operandCount: Int32
  var number: Double
  var timestamp: Timestamp
  /// The test's literal as a word (`prefixWord`, `semverKey`).
  var word: UInt64 = 0
  /// The closed interval that passes (`numberRange`, `semverKey`).
  var low: UInt64 = 0
  var high: UInt64 = 0
}

/// A version operand: the numbers inline, the prerelease identifiers as a string list.
struct SemverRecord: Sendable {
  var major: UInt64
  var minor: UInt64
  var patch: UInt64
  /// String list of prerelease identifiers (empty for a release).
  var prerelease: Int32
}

struct VariantSetRecord: Sendable {
  var entries: Span
  var totalWeight: UInt32
  var stickiness: StickinessKind
  var stickinessSlot: Int32
  /// `"<groupId>:"` hashed with the variant seed.
  var prefix: Murmur3.Hasher
  var hasOverrides: Bool
}

struct VariantEntryRecord: Sendable {
  var weight: UInt32
  /// Index into `variantNames` and `payloads`.
  var result: Int32
  /// The name again, as a string of the text table, for dependency checks.
  var nameString: Int32
  var overrides: Span
}

struct OverrideRecord: Sendable {
  var slot: Int32
  /// A sorted string list.
  var values: Int32
}

struct DependencyRecord: Sendable {
  /// The parent feature's index, or -1 when the state has no such feature.
  var parent: Int32
  var parentEnabled: Bool
  /// String list of allowed parent variants (empty: any).
  var variants: Int32
}
