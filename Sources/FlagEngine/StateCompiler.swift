/// Turns a client-features definition into a `Program`, following the rules of Unleash's reference
/// engine (yggdrasil) wherever a definition is unusual: which mistakes switch a whole flag off, which only
/// a strategy or a constraint. Each rule below that is not obvious says which it is.
struct StateCompiler {
  let definition: ClientFeatures
  var indexByName: [String: Int] = [:]
  var warnings: [StateWarning] = []
  var builder = ProgramBuilder()
  let segments: [Int: Segment]
  /// The string list every "no values" reference shares.
  let emptyList: Int32

  /// A definition that cannot be compiled: the whole flag is off.
  struct Problem: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }

  init(_ definition: ClientFeatures) {
    self.definition = definition
    var segments: [Int: Segment] = [:]
    for segment in definition.segments ?? [] { segments[segment.id] = segment }
    self.segments = segments
    for (index, feature) in definition.features.enumerated() { indexByName[feature.name] = index }
    emptyList = builder.addList([], sorted: true)
  }

  consuming func compileAll() -> Program {
    for feature in definition.features { compile(feature) }
    return Program(builder, definition: definition, indexByName: indexByName, warnings: warnings)
  }

  mutating func compile(_ feature: FeatureDefinition) {
    let dependencyStart = builder.dependencies.count
    for dependency in feature.dependencies ?? [] {
      let variants = dependency.variants ?? []
      builder.dependencies.append(
        DependencyRecord(
          parent: Int32(indexByName[dependency.feature] ?? -1), parentEnabled: dependency.enabled ?? true,
          variants: variants.isEmpty ? emptyList : builder.addList(variants, sorted: true)))
    }
    let dependencies = Span(start: Int32(dependencyStart), count: Int32(builder.dependencies.count - dependencyStart))
    // Compile into a scratch copy, so that a problem halfway leaves no half-written records behind.
    var scratch = self
    do throws(Problem) {
      var strategyRecords: [StrategyRecord] = []
      for strategy in feature.strategies ?? [] { strategyRecords.append(try scratch.compile(strategy, feature: feature.name)) }
      var variantSet: Int32 = -1
      if let list = feature.variants, !list.isEmpty {
        variantSet = try scratch.addVariants(
          list.map { ($0.name, $0.weight, $0.payload, $0.overrides ?? []) },
          stickiness: list.first?.stickiness, groupId: feature.name)
      }
      let start = scratch.builder.strategies.count
      scratch.builder.strategies.append(contentsOf: strategyRecords)
      scratch.builder.features.append(
        FeatureRecord(
          enabled: feature.enabled, broken: false,
          strategies: Span(start: Int32(start), count: Int32(strategyRecords.count)),
          variantSet: variantSet, dependencies: dependencies))
      self = scratch
    } catch {
      warnings.append(StateWarning(feature: feature.name, message: "\(error.message); the flag is always off"))
      builder.features.append(
        FeatureRecord(enabled: false, broken: true, strategies: .empty, variantSet: -1, dependencies: dependencies))
    }
  }

  // MARK: Strategies

  mutating func compile(_ strategy: Strategy, feature: String) throws(Problem) -> StrategyRecord {
    let parameters = strategy.parameters ?? [:]
    var record = StrategyRecord(
      rule: .never, stickiness: .default, stickinessSlot: -1, percentage: 0, prefix: Murmur3.Hasher(),
      constraints: .empty, list: emptyList, listCount: 0, variantSet: -1)

    var constraintRecords: [ConstraintRecord] = []
    for constraint in strategy.constraints ?? [] { constraintRecords.append(try compile(constraint)) }
    for id in strategy.segments ?? [] {
      // A missing segment switches the whole flag off, as in the reference engine.
      guard let segment = segments[id] else {
        throw Problem("strategy '\(strategy.name)' uses segment \(id), which the state does not define")
      }
      for constraint in segment.constraints { constraintRecords.append(try compile(constraint)) }
    }
    record.constraints = Span(start: Int32(builder.constraints.count), count: Int32(constraintRecords.count))
    builder.constraints.append(contentsOf: constraintRecords)

    switch strategy.name {
    case "default":
      record.rule = .always
    case "userWithId":
      if let ids = parameters["userIds"] {
        record.rule = .userIds
        record.list = builder.addList(
          ids.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }, sorted: true)
      }
    case "flexibleRollout":
      let stickiness = parameters["stickiness"]
      switch stickiness {
      case nil, "default": record.stickiness = .default
      case "random": record.stickiness = .random
      case let name?:
        record.stickiness = .field
        record.stickinessSlot = Int32(ContextField(name).slot)
      }
      try rollout(&record, parameters["rollout"], groupId: parameters["groupId"] ?? feature, strategy: strategy.name)
    case "gradualRolloutUserId", "gradualRolloutSessionId":
      // Both need a groupId; without one the strategy is off.
      if let groupId = parameters["groupId"] {
        record.stickiness = .field
        record.stickinessSlot = Int32(strategy.name == "gradualRolloutUserId" ? ContextField.userId.slot : ContextField.sessionId.slot)
        try rollout(&record, parameters["percentage"], groupId: groupId, strategy: strategy.name)
      }
    case "gradualRolloutRandom":
      // Any whole number works here, even above 100 (then always on).
      if let percentage = parameters["percentage"].flatMap(Self.wholeNumber) {
        record.rule = .random
        record.percentage = UInt32(clamping: percentage)
      }
    case "remoteAddress":
      if let list = parameters["IPs"] {
        let networks = list.split(separator: ",", omittingEmptySubsequences: false).compactMap { IPNetwork($0.trimmingWhitespace()) }
        let span = builder.addNetworks(networks)
        record.rule = .remoteAddress
        record.list = span.start
        record.listCount = span.count
      }
    case "applicationHostname":
      let names = (parameters["hostNames"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
      record.rule = .hostname
      record.list = builder.addList(names.map { $0.trimmingWhitespace().lowercased() }, sorted: false)
    default:
      // Custom strategies need code this engine does not have: off, as in SDKs without that strategy.
      record.rule = .never
    }

    if let list = strategy.variants, !list.isEmpty {
      record.variantSet = try addVariants(
        list.map { ($0.name, $0.weight, $0.payload, []) }, stickiness: parameters["stickiness"] ?? "default",
        groupId: parameters["groupId"] ?? feature)
    }
    return record
  }

  /// A percentage rollout. A value that is not a whole number turns the strategy off; a whole number
  /// above 100 turns the whole flag off (both as in the reference engine).
  func rollout(_ record: inout StrategyRecord, _ text: String?, groupId: String, strategy: String) throws(Problem) {
    guard let text, let percentage = Self.wholeNumber(text) else { return }
    guard percentage <= 100 else { throw Problem("strategy '\(strategy)' has a rollout of \(text)%, above 100") }
    var prefix = Murmur3.Hasher(seed: 0)
    prefix.combine(groupId)
    prefix.combine(byte: UInt8(ascii: ":"))
    record.rule = .rollout
    record.percentage = UInt32(percentage)
    record.prefix = prefix
  }

  /// Rust's `usize::from_str`: an optional `+` and ASCII digits.
  static func wholeNumber(_ text: String) -> Int? {
    var digits = Substring(text)
    if digits.first == "+" { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.utf8.allSatisfy(\.isASCIIDigit) else { return nil }
    return Int(digits) ?? Int.max
  }

  // MARK: Variants

  /// Adds a variant set and returns its index.
  mutating func addVariants(
    _ list: [(name: String, weight: Int, payload: Payload?, overrides: [VariantOverride])], stickiness: String?,
    groupId: String
  ) throws(Problem) -> Int32 {
    var total: UInt64 = 0
    for item in list {
      guard item.weight >= 0 else { throw Problem("variant '\(item.name)' has a negative weight \(item.weight)") }
      total += UInt64(item.weight)
    }
    guard total > 0 else { throw Problem("every variant has weight 0, so none can be chosen") }
    guard total <= UInt64(UInt32.max) else { throw Problem("the variant weights add up to \(total), more than 2^32 - 1") }
    let entryStart = builder.variantEntries.count
    var hasOverrides = false
    for item in list {
      let overrideStart = builder.overrides.count
      for override in item.overrides {
        builder.overrides.append(
          OverrideRecord(slot: Int32(Self.variantField(override.contextName).slot), values: builder.addList(override.values, sorted: true)))
      }
      hasOverrides = hasOverrides || !item.overrides.isEmpty
      builder.variantNames.append(item.name)
      builder.payloads.append(item.payload)
      let nameList = builder.addList([item.name], sorted: false)
      builder.variantEntries.append(
        VariantEntryRecord(
          weight: UInt32(item.weight), result: Int32(builder.variantNames.count - 1),
          nameString: builder.lists[Int(nameList)].start,
          overrides: Span(start: Int32(overrideStart), count: Int32(builder.overrides.count - overrideStart))))
    }
    var prefix = Murmur3.Hasher(seed: Self.variantSeed)
    prefix.combine(groupId)
    prefix.combine(byte: UInt8(ascii: ":"))
    var kind = StickinessKind.default
    var slot: Int32 = -1
    if let stickiness, stickiness != "default" {
      kind = .field
      slot = Int32(Self.variantField(stickiness).slot)
    }
    builder.variantSets.append(
      VariantSetRecord(
        entries: Span(start: Int32(entryStart), count: Int32(list.count)), totalWeight: UInt32(total),
        stickiness: kind, stickinessSlot: slot, prefix: prefix, hasOverrides: hasOverrides))
    return Int32(builder.variantSets.count - 1)
  }

  /// The seed Unleash uses for variant buckets, so they are independent of rollout buckets.
  static let variantSeed: UInt32 = 86_028_157

  /// Variant stickiness and overrides read these standard fields at the top level and anything else
  /// from the properties (the reference engine's lookup).
  static func variantField(_ name: String) -> ContextField {
    switch name {
    case "userId": return .userId
    case "sessionId": return .sessionId
    case "environment": return .environment
    case "appName": return .appName
    case "remoteAddress": return .remoteAddress
    case "currentTime": return .currentTime
    default: return ContextField(property: name)
    }
  }

  // MARK: Constraints

  mutating func compile(_ constraint: Constraint) throws(Problem) -> ConstraintRecord {
    var record = ConstraintRecord(
      slot: Int32(ContextField(constraint.contextName).slot), test: .never, ordinal: .equal,
      inverted: constraint.inverted, negated: false, caseInsensitive: constraint.caseInsensitive,
      operand: emptyList, operandCount: 0, number: 0, timestamp: Timestamp(seconds: 0))
    let op = constraint.operator
    let values = constraint.values ?? []
    switch op {
    case "IN", "NOT_IN":
      // An empty or missing list is fine: nothing is in it.
      record.negated = op == "NOT_IN"
      let unique = Array(Set(values.map { Array($0.utf8) })).sorted { $0.lexicographicallyPrecedes($1) }
      let words = unique.compactMap(ShortWord.make)
      if words.count == unique.count && words.count <= 16 {
        // Short values, few of them (regions, tiers, hardware generations): compared as words.
        record.test = .words
        record.operand = Int32(builder.words.count)
        record.operandCount = Int32(words.count)
        builder.words.append(contentsOf: words)
      } else {
        record.test = .list
        record.operand = builder.addList(values, sorted: true)
      }
    case "STR_STARTS_WITH", "STR_ENDS_WITH", "STR_CONTAINS":
      guard !values.isEmpty else { throw Problem("constraint \(op) on '\(constraint.contextName)' has no values") }
      record.test = op == "STR_STARTS_WITH" ? .startsWith : op == "STR_ENDS_WITH" ? .endsWith : .contains
      record.operand = builder.addList(constraint.caseInsensitive ? values.map { $0.lowercased() } : values, sorted: false)
      let needle = Array(values[0].utf8)
      if record.test == .startsWith && !constraint.caseInsensitive && values.count == 1 && (1...8).contains(needle.count) {
        // One short prefix (`eu`, `t3`): the value's first word, masked, against the needle's.
        record.test = .prefixWord
        record.operandCount = Int32(needle.count)
        record.word = needle.reversed().reduce(0) { $0 << 8 | UInt64($1) }
      }
    case "IN_CIDR":
      guard !values.isEmpty else { throw Problem("constraint IN_CIDR on '\(constraint.contextName)' has no values") }
      // Entries that are not addresses or ranges are skipped.
      let span = builder.addNetworks(values.compactMap(IPNetwork.init))
      record.test = .cidr
      record.operand = span.start
      record.operandCount = span.count
    case "REGEX":
      record.test = .regex
      // Without a `value` the reference engine matches the empty pattern, which matches everything.
      let pattern = constraint.value ?? ""
      builder.regexes.append(try? RustRegex(pattern, caseInsensitive: constraint.caseInsensitive))
      record.operand = Int32(builder.regexes.count - 1)
    case "NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE", "DATE_AFTER", "DATE_BEFORE",
      "SEMVER_EQ", "SEMVER_GT", "SEMVER_GTE", "SEMVER_LT", "SEMVER_LTE":
      try compileOrdered(constraint, into: &record)
    default:
      throw Problem("constraint on '\(constraint.contextName)' has an unknown operator '\(op)'")
    }
    return record
  }

  static let ordinals: [String: OrdinalKind] = [
    "NUM_EQ": .equal, "NUM_GT": .greater, "NUM_GTE": .greaterOrEqual, "NUM_LT": .less, "NUM_LTE": .lessOrEqual,
    "DATE_AFTER": .greater, "DATE_BEFORE": .less,
    "SEMVER_EQ": .equal, "SEMVER_GT": .greater, "SEMVER_GTE": .greaterOrEqual, "SEMVER_LT": .less,
    "SEMVER_LTE": .lessOrEqual,
  ]

  /// Ordered operators. The reference engine decides how to compare by the shape of the value, not by
  /// the operator's name: a date compares as a date, `1.2.3` as a version, `12` as a number, whatever the
  /// operator says. A value of none of these shapes switches the flag off.
  mutating func compileOrdered(_ constraint: Constraint, into record: inout ConstraintRecord) throws(Problem) {
    let op = constraint.operator
    record.ordinal = Self.ordinals[op]!
    guard let raw = constraint.value else { throw Problem("constraint \(op) on '\(constraint.contextName)' has no value") }
    if op.hasPrefix("SEMVER_") && raw.hasPrefix("v") {
      // A `v1.2.3` version is refused: the constraint is false, inverted or not.
      record.test = .never
      return
    }
    let value = raw.trimmingSpacesAndTabs()
    if let date = Timestamp.parseConstraintLiteral(value) {
      record.test = .date
      record.timestamp = date
    } else if Self.looksLikeVersion(value) {
      guard let version = SemanticVersion(value) else {
        throw Problem("constraint \(op) on '\(constraint.contextName)' has an invalid version '\(raw)'")
      }
      builder.semvers.append(
        SemverRecord(
          major: version.major, minor: version.minor, patch: version.patch,
          prerelease: builder.addList(version.prerelease, sorted: false)))
      record.operand = Int32(builder.semvers.count - 1)
      if let key = VersionKey.make(version.major, version.minor, version.patch, isRelease: version.prerelease.isEmpty) {
        record.test = .semverKey
        record.word = key
        switch record.ordinal {
        case .equal: (record.low, record.high) = (key, key)
        case .less: (record.low, record.high) = key == 0 ? (1, 0) : (0, key - 1)
        case .lessOrEqual: (record.low, record.high) = (0, key)
        case .greater: (record.low, record.high) = key == .max ? (1, 0) : (key + 1, .max)
        case .greaterOrEqual: (record.low, record.high) = (key, .max)
        }
      } else {
        record.test = .semver
      }
      FieldRegistry.shared.markReadAsNumber(Int(record.slot))
    } else if let number = RustFloat.constraintLiteral(value) {
      record.test = .number
      record.number = number
      if record.ordinal != .equal {
        // x > n is x >= n.nextUp, x < n is x <= n.nextDown; past an infinity nothing passes (NaN).
        record.test = .numberRange
        let (low, high): (Double, Double)
        switch record.ordinal {
        case .less: (low, high) = (-.infinity, number.nextDown == number ? .nan : number.nextDown)
        case .lessOrEqual: (low, high) = (-.infinity, number)
        case .greater: (low, high) = (number.nextUp == number ? .nan : number.nextUp, .infinity)
        default: (low, high) = (number, .infinity)
        }
        (record.low, record.high) = (low.bitPattern, high.bitPattern)
      }
      FieldRegistry.shared.markReadAsNumber(Int(record.slot))
    } else {
      let expected = op.hasPrefix("DATE") ? "an RFC 3339 date such as 2024-01-31T12:00:00.000Z"
        : op.hasPrefix("SEMVER") ? "a version such as 1.2.3" : "a number"
      throw Problem("constraint \(op) on '\(constraint.contextName)' has value '\(raw)', expected \(expected)")
    }
  }

  /// `digits.digits.digits` with optional `-prerelease` and `+build` made of `[0-9A-Za-z-]` and dots.
  static func looksLikeVersion(_ text: String) -> Bool {
    var main = Substring(text)
    var suffix = Substring("")
    if let index = text.firstIndex(where: { $0 == "-" || $0 == "+" }) {
      main = text[..<index]
      suffix = text[index...]
    }
    let numbers = main.split(separator: ".", omittingEmptySubsequences: false)
    guard numbers.count == 3, numbers.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(\.isASCIIDigit) }) else { return false }
    // Split the suffix into an optional -prerelease and an optional +build, each a dotted list of fragments.
    func fragments(_ text: Substring) -> Bool {
      text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
        !part.isEmpty && part.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }
      }
    }
    if suffix.isEmpty { return true }
    if suffix.first == "-" {
      let rest = suffix.dropFirst()
      if let plus = rest.firstIndex(of: "+") {
        return fragments(rest[..<plus]) && fragments(rest[rest.index(after: plus)...])
      }
      return fragments(rest)
    }
    return fragments(suffix.dropFirst())
  }
}

extension StringProtocol {
  /// Drops Unicode white space at both ends (Rust's `str::trim`).
  func trimmingWhitespace() -> String {
    let scalars = Array(unicodeScalars)
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars[first...last])
    return String(result)
  }
}
