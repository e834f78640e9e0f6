/// Turns a client-features definition into compiled features, following the rules of Unleash's
/// reference engine (yggdrasil) wherever a definition is unusual: which mistakes switch a whole flag off,
/// which only a strategy or a constraint. Each rule below that is not obvious says which it is.
struct StateCompiler {
  let definition: ClientFeatures
  var indexByName: [String: Int] = [:]
  var warnings: [StateWarning] = []
  let segments: [Int: Segment]

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
  }

  mutating func compileAll() -> ContiguousArray<CompiledFeature> {
    var compiled = ContiguousArray<CompiledFeature>()
    compiled.reserveCapacity(definition.features.count)
    for feature in definition.features { compiled.append(compile(feature)) }
    return compiled
  }

  mutating func compile(_ feature: FeatureDefinition) -> CompiledFeature {
    let dependencies = (feature.dependencies ?? []).map { dependency in
      CompiledDependency(
        parent: indexByName[dependency.feature], parentEnabled: dependency.enabled ?? true,
        variants: dependency.variants ?? [])
    }
    do throws(Problem) {
      var strategies = ContiguousArray<CompiledStrategy>()
      for strategy in feature.strategies ?? [] { strategies.append(try compile(strategy, feature: feature.name)) }
      var variants: CompiledVariants? = nil
      if let list = feature.variants {
        variants = try compileVariants(
          list.map { ($0.name, $0.weight, $0.payload, $0.overrides ?? []) },
          stickiness: list.first?.stickiness, groupId: feature.name)
      }
      return CompiledFeature(
        name: feature.name, enabled: feature.enabled, strategies: strategies, variants: variants,
        dependencies: dependencies, problem: nil, project: feature.project ?? "default", type: feature.type,
        impressionData: feature.impressionData ?? false)
    } catch {
      warnings.append(StateWarning(feature: feature.name, message: "\(error.message); the flag is always off"))
      return CompiledFeature(
        name: feature.name, enabled: false, strategies: [], variants: nil, dependencies: dependencies,
        problem: error.message, project: feature.project ?? "default", type: feature.type,
        impressionData: feature.impressionData ?? false)
    }
  }

  // MARK: Strategies

  func compile(_ strategy: Strategy, feature: String) throws(Problem) -> CompiledStrategy {
    let parameters = strategy.parameters ?? [:]
    var constraints = ContiguousArray<CompiledConstraint>()
    for constraint in strategy.constraints ?? [] { constraints.append(try compile(constraint)) }
    for id in strategy.segments ?? [] {
      // A missing segment switches the whole flag off, as in the reference engine.
      guard let segment = segments[id] else { throw Problem("strategy '\(strategy.name)' uses segment \(id), which the state does not define") }
      for constraint in segment.constraints { constraints.append(try compile(constraint)) }
    }

    let rule: CompiledStrategy.Rule
    switch strategy.name {
    case "default":
      rule = .always
    case "userWithId":
      if let ids = parameters["userIds"] {
        rule = .userIds(StringList(ids.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }))
      } else {
        rule = .never
      }
    case "flexibleRollout":
      let groupId = parameters["groupId"] ?? feature
      rule = try rollout(parameters["rollout"], stickiness: rolloutStickiness(parameters["stickiness"]), groupId: groupId, strategy: strategy.name)
    case "gradualRolloutUserId", "gradualRolloutSessionId":
      // Both need a groupId; without one the strategy is off.
      if let groupId = parameters["groupId"] {
        let field: ContextField = strategy.name == "gradualRolloutUserId" ? .userId : .sessionId
        rule = try rollout(parameters["percentage"], stickiness: .field(field), groupId: groupId, strategy: strategy.name)
      } else {
        rule = .never
      }
    case "gradualRolloutRandom":
      // Any whole number works here, even above 100 (then always on).
      if let percentage = parameters["percentage"].flatMap(Self.wholeNumber) { rule = .random(percentage: percentage) } else { rule = .never }
    case "remoteAddress":
      if let list = parameters["IPs"] {
        rule = .remoteAddress(list.split(separator: ",", omittingEmptySubsequences: false).compactMap { IPNetwork($0.trimmingWhitespace()) })
      } else {
        rule = .never
      }
    case "applicationHostname":
      let names = (parameters["hostNames"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
      rule = .hostname(names.map { $0.trimmingWhitespace().lowercased() })
    default:
      // Custom strategies need code this engine does not have: off, as in SDKs without that strategy.
      rule = .never
    }

    var variants: CompiledVariants? = nil
    if let list = strategy.variants, !list.isEmpty {
      variants = try compileVariants(
        list.map { ($0.name, $0.weight, $0.payload, []) }, stickiness: parameters["stickiness"] ?? "default",
        groupId: parameters["groupId"] ?? feature)
    }
    return CompiledStrategy(rule: rule, constraints: constraints, variants: variants)
  }

  /// A percentage rollout. A value that is not a whole number turns the strategy off; a whole number
  /// above 100 turns the whole flag off (both as in the reference engine).
  func rollout(_ text: String?, stickiness: Stickiness, groupId: String, strategy: String) throws(Problem) -> CompiledStrategy.Rule {
    guard let text, let percentage = Self.wholeNumber(text) else { return .never }
    guard percentage <= 100 else { throw Problem("strategy '\(strategy)' has a rollout of \(text)%, above 100") }
    var prefix = Murmur3.Hasher(seed: 0)
    prefix.combine(groupId)
    prefix.combine(byte: UInt8(ascii: ":"))
    return .rollout(percentage: UInt32(percentage), stickiness: stickiness, prefix: prefix)
  }

  /// Rust's `usize::from_str`: an optional `+` and ASCII digits.
  static func wholeNumber(_ text: String) -> Int? {
    var digits = Substring(text)
    if digits.first == "+" { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.utf8.allSatisfy(\.isASCIIDigit) else { return nil }
    return Int(digits) ?? Int.max
  }

  func rolloutStickiness(_ name: String?) -> Stickiness {
    switch name {
    case nil, "default": return .default
    case "random": return .random
    case let name?: return .field(ContextField(name))
    }
  }

  // MARK: Variants

  func compileVariants(
    _ list: [(name: String, weight: Int, payload: Payload?, overrides: [VariantOverride])], stickiness: String?,
    groupId: String
  ) throws(Problem) -> CompiledVariants? {
    guard !list.isEmpty else { return nil }
    var total: UInt64 = 0
    var entries = ContiguousArray<CompiledVariants.Entry>()
    for item in list {
      guard item.weight >= 0 else { throw Problem("variant '\(item.name)' has a negative weight \(item.weight)") }
      total += UInt64(item.weight)
      entries.append(
        CompiledVariants.Entry(
          name: item.name, weight: UInt32(clamping: item.weight), payload: item.payload,
          overrides: item.overrides.map { (Self.variantField($0.contextName), StringList($0.values)) }))
    }
    guard total > 0 else { throw Problem("every variant has weight 0, so none can be chosen") }
    guard total <= UInt64(UInt32.max) else { throw Problem("the variant weights add up to \(total), more than 2^32 - 1") }
    var prefix = Murmur3.Hasher(seed: CompiledVariants.seed)
    prefix.combine(groupId)
    prefix.combine(byte: UInt8(ascii: ":"))
    let sticky: Stickiness
    switch stickiness {
    case nil, "default": sticky = .default
    case let name?: sticky = .field(Self.variantField(name))
    }
    return CompiledVariants(
      entries: entries, totalWeight: UInt32(total), stickiness: sticky, prefix: prefix,
      hasOverrides: entries.contains { !$0.overrides.isEmpty })
  }

  /// Variant stickiness and overrides read these standard fields at the top level and anything else,
  /// `currentTime` included for stickiness, from the properties (the reference engine's lookup).
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

  func compile(_ constraint: Constraint) throws(Problem) -> CompiledConstraint {
    let field = ContextField(constraint.contextName)
    let op = constraint.operator
    func make(_ test: CompiledConstraint.Test) -> CompiledConstraint {
      CompiledConstraint(field: field, test: test, inverted: constraint.inverted)
    }
    let values = constraint.values ?? []
    let lowered = constraint.caseInsensitive ? values.map { $0.lowercased() } : values
    switch op {
    case "IN", "NOT_IN":
      // An empty or missing list is fine: nothing is in it.
      return make(.list(StringList(values), negated: op == "NOT_IN"))
    case "STR_STARTS_WITH", "STR_ENDS_WITH", "STR_CONTAINS":
      guard !values.isEmpty else { throw Problem("constraint \(op) on '\(constraint.contextName)' has no values") }
      switch op {
      case "STR_STARTS_WITH": return make(.startsWith(lowered, caseInsensitive: constraint.caseInsensitive))
      case "STR_ENDS_WITH": return make(.endsWith(lowered, caseInsensitive: constraint.caseInsensitive))
      default: return make(.contains(lowered, caseInsensitive: constraint.caseInsensitive))
      }
    case "IN_CIDR":
      guard !values.isEmpty else { throw Problem("constraint IN_CIDR on '\(constraint.contextName)' has no values") }
      // Entries that are not addresses or ranges are skipped.
      return make(.cidr(values.compactMap(IPNetwork.init)))
    case "REGEX":
      guard let pattern = constraint.value ?? values.first else { return make(.regex(nil)) }
      return make(.regex(try? RustRegex(pattern, caseInsensitive: constraint.caseInsensitive)))
    case "NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE", "DATE_AFTER", "DATE_BEFORE",
      "SEMVER_EQ", "SEMVER_GT", "SEMVER_GTE", "SEMVER_LT", "SEMVER_LTE":
      return try compileOrdered(constraint, ordinal: Self.ordinals[op]!, make: make)
    default:
      throw Problem("constraint on '\(constraint.contextName)' has an unknown operator '\(op)'")
    }
  }

  static let ordinals: [String: Ordinal] = [
    "NUM_EQ": .equal, "NUM_GT": .greater, "NUM_GTE": .greaterOrEqual, "NUM_LT": .less, "NUM_LTE": .lessOrEqual,
    "DATE_AFTER": .greater, "DATE_BEFORE": .less,
    "SEMVER_EQ": .equal, "SEMVER_GT": .greater, "SEMVER_GTE": .greaterOrEqual, "SEMVER_LT": .less,
    "SEMVER_LTE": .lessOrEqual,
  ]

  /// Ordered operators. The reference engine decides how to compare by the shape of the value, not by
  /// the operator's name: a date compares as a date, `1.2.3` as a version, `12` as a number, whatever the
  /// operator says. A value of none of these shapes switches the flag off.
  func compileOrdered(
    _ constraint: Constraint, ordinal: Ordinal, make: (CompiledConstraint.Test) -> CompiledConstraint
  ) throws(Problem) -> CompiledConstraint {
    let op = constraint.operator
    guard let raw = constraint.value else { throw Problem("constraint \(op) on '\(constraint.contextName)' has no value") }
    if op.hasPrefix("SEMVER_") && raw.hasPrefix("v") {
      // A `v1.2.3` version is refused: the constraint is false, inverted or not.
      return CompiledConstraint(field: ContextField(constraint.contextName), test: .never, inverted: false)
    }
    let value = raw.trimmingSpacesAndTabs()
    if let date = Timestamp.parseConstraintLiteral(value) { return make(.date(ordinal, date)) }
    if Self.looksLikeVersion(value) {
      guard let version = SemanticVersion(value) else {
        throw Problem("constraint \(op) on '\(constraint.contextName)' has an invalid version '\(raw)'")
      }
      return make(.semver(ordinal, SemverOperand(version)))
    }
    if let number = RustFloat.constraintLiteral(value) { return make(.number(ordinal, number)) }
    let expected = op.hasPrefix("DATE") ? "an RFC 3339 date such as 2024-01-31T12:00:00.000Z"
      : op.hasPrefix("SEMVER") ? "a version such as 1.2.3" : "a number"
    throw Problem("constraint \(op) on '\(constraint.contextName)' has value '\(raw)', expected \(expected)")
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
