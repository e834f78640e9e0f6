/// A client-features state compiled for evaluation: the engine.
///
///     let state = FlagState(try StateDocument.load(path: "state.json").resolved())
///     var context = EvaluationContext(Context(userId: "42", properties: ["region": "eu-west"]))
///     state.isEnabled("new-checkout", in: &context)
///
/// Compiling never fails: a flag whose definition cannot be compiled is off, and `warnings` says why.
/// Evaluation allocates nothing (regular expressions and case-insensitive tests on non-ASCII text aside).
public struct FlagState: Sendable {
  /// One reference, so that passing a state around copies a pointer, not its tables.
  let program: Program

  /// Compiles `definition`.
  ///
  /// - Complexity: O(size of the definition).
  public init(_ definition: ClientFeatures) {
    program = StateCompiler(definition).compileAll()
  }

  /// The state this was compiled from.
  public var definition: ClientFeatures { program.definition }

  /// What could not be compiled; each flag concerned is off.
  public var warnings: [StateWarning] { program.warnings }

  var tables: ProgramTables { program.tables }

  /// The flags of this state, in definition order.
  public var flagNames: [String] { definition.features.map(\.name) }

  /// A handle for every flag, in definition order.
  public var flagHandles: [FlagHandle] { tables.features.indices.map(FlagHandle.init) }

  /// The handle of the flag called `name`, or `nil` when the state has no such flag.
  public func flag(_ name: String) -> FlagHandle? {
    program.indexByName[name].map(FlagHandle.init)
  }

  /// Whether the flag `name` is enabled for `context`; an unknown flag is off.
  public func isEnabled(_ name: String, in context: inout EvaluationContext) -> Bool {
    guard let flag = flag(name) else { return false }
    return isEnabled(flag, in: &context)
  }

  /// The variant of the flag `name` for `context`.
  public func variant(_ name: String, in context: inout EvaluationContext) -> VariantResult {
    guard let flag = flag(name) else { return .disabled }
    return variant(flag, in: &context)
  }

  /// Whether `flag` is enabled for `context`.
  ///
  /// - Complexity: O(strategies × constraints) of the flag and of its parents.
  public func isEnabled(_ flag: FlagHandle, in context: inout EvaluationContext) -> Bool {
    program.matchingStrategy(flag.index, context.values, &context.random) != nil
  }

  /// The variant of `flag` for `context`: `disabled` when the flag is off, and `disabled` with
  /// `featureEnabled` when it is on but has no variants.
  public func variant(_ flag: FlagHandle, in context: inout EvaluationContext) -> VariantResult {
    let values = context.values
    guard let strategy = program.matchingStrategy(flag.index, values, &context.random) else { return .disabled }
    let set = program.variantSet(program.features[flag.index], strategy: strategy)
    guard set >= 0 else { return VariantResult(name: "disabled", enabled: false, featureEnabled: true) }
    let entry = program.chooseVariant(Int(set), values, &context.random)
    let result = Int(program.variantEntries[entry].result)
    return VariantResult(name: program.variantNames[result], enabled: true, featureEnabled: true, payload: program.payloads[result])
  }
}

extension FlagState {
  /// Whether evaluating `flag` (or a parent it depends on) can read `field`: a constraint on it, a
  /// rollout or variant sticky on it. Lets a caller skip setting fields no rule reads. With
  /// `assumingUserId`, the default stickiness counts as reading `userId` only (the caller always sets it,
  /// so the fallback to `sessionId` never happens).
  public func reads(_ field: ContextField, flag: FlagHandle, assumingUserId: Bool = false) -> Bool {
    program.reads(Int32(field.slot), feature: flag.index, depth: 0, assumingUserId: assumingUserId)
  }

  /// Whether `flag` can answer differently for the same context twice: a random rollout, a `random`
  /// stickiness, or a rollout or variant that falls back to random when `userId` and `sessionId` are
  /// missing (`assumingUserId`: the caller always sets `userId`).
  public func isRandom(_ flag: FlagHandle, assumingUserId: Bool) -> Bool {
    program.isRandom(feature: flag.index, assumingUserId: assumingUserId, depth: 0)
  }
}

extension Program {
  func reads(_ slot: Int32, feature index: Int, depth: Int, assumingUserId: Bool) -> Bool {
    let defaultSlots: ClosedRange<Int32> = assumingUserId ? 0...0 : 0...1
    let feature = features[index]
    for s in feature.strategies.range {
      let strategy = strategies[s]
      if strategy.stickiness == .field && strategy.stickinessSlot == slot { return true }
      if strategy.stickiness == .default && strategy.rule == .rollout && defaultSlots.contains(slot) { return true }
      if strategy.rule == .userIds && slot == 0 { return true }
      if strategy.rule == .remoteAddress && slot == Int32(ContextField.remoteAddress.slot) { return true }
      for c in strategy.constraints.range where constraints[c].slot == slot { return true }
      if strategy.variantSet >= 0 && variantSetReads(slot, Int(strategy.variantSet), defaultSlots) { return true }
    }
    if feature.variantSet >= 0 && variantSetReads(slot, Int(feature.variantSet), defaultSlots) { return true }
    if depth == 0 {
      for d in feature.dependencies.range where dependencies[d].parent >= 0 {
        if reads(slot, feature: Int(dependencies[d].parent), depth: 1, assumingUserId: assumingUserId) { return true }
      }
    }
    return false
  }

  func variantSetReads(_ slot: Int32, _ index: Int, _ defaultSlots: ClosedRange<Int32>) -> Bool {
    let set = variantSets[index]
    if set.stickiness == .field && set.stickinessSlot == slot { return true }
    if set.stickiness == .default && defaultSlots.contains(slot) { return true }
    for e in set.entries.range {
      for o in variantEntries[e].overrides.range where overrides[o].slot == slot { return true }
    }
    return false
  }

  func isRandom(feature index: Int, assumingUserId: Bool, depth: Int) -> Bool {
    let feature = features[index]
    func variantsRandom(_ set: Int32) -> Bool {
      guard set >= 0 else { return false }
      let record = variantSets[Int(set)]
      switch record.stickiness {
      case .random: return true
      case .default: return !assumingUserId
      case .field: return record.stickinessSlot != 0 || !assumingUserId
      }
    }
    for s in feature.strategies.range {
      let strategy = strategies[s]
      if strategy.rule == .random { return true }
      if strategy.rule == .rollout {
        switch strategy.stickiness {
        case .random: return true
        case .default: if !assumingUserId { return true }
        case .field: break
        }
      }
      if variantsRandom(strategy.variantSet) { return true }
    }
    if variantsRandom(feature.variantSet) { return true }
    if depth == 0 {
      for d in feature.dependencies.range where dependencies[d].parent >= 0 {
        if isRandom(feature: Int(dependencies[d].parent), assumingUserId: assumingUserId, depth: 1) { return true }
      }
    }
    return false
  }
}

// MARK: Batches

extension FlagState {
  /// Whether `flag` is enabled for each of `contexts`: `results[i]` answers `contexts[i]`. The way a
  /// fleet adopts a new state: one flag, many devices. Returns how many are enabled.
  ///
  /// The flag's record and its strategies are found once for the whole batch. Allocates nothing.
  ///
  /// - Precondition: `results` holds at least `contexts.count` elements.
  /// - Complexity: O(contexts × strategies × constraints).
  @discardableResult
  public func isEnabled(
    _ flag: FlagHandle, in contexts: UnsafeMutableBufferPointer<EvaluationContext>, into results: UnsafeMutableBufferPointer<Bool>
  ) -> Int {
    precondition(results.count >= contexts.count, "results holds \(results.count) answers for \(contexts.count) contexts")
    guard let base = contexts.baseAddress, let answers = results.baseAddress else { return 0 }
    return program.isEnabled(flag.index, contexts: base, count: contexts.count, results: answers)
  }

  /// Whether each of `flags` is enabled for `context`: `results[i]` answers `flags[i]`. The way an edge
  /// answers a frontend request: many flags, one user. Returns how many are enabled.
  ///
  /// The context's values are read once for the whole batch. Allocates nothing.
  ///
  /// - Precondition: `results` holds at least `flags.count` elements.
  @discardableResult
  public func isEnabled(
    _ flags: UnsafeBufferPointer<FlagHandle>, in context: inout EvaluationContext, into results: UnsafeMutableBufferPointer<Bool>
  ) -> Int {
    precondition(results.count >= flags.count, "results holds \(results.count) answers for \(flags.count) flags")
    let values = context.values
    var enabled = 0
    for index in 0..<flags.count {
      let on = program.matchingStrategy(flags[index].index, values, &context.random) != nil
      results[index] = on
      enabled &+= on ? 1 : 0
    }
    return enabled
  }

  /// `isEnabled(_:in:into:)` over arrays: `results` is resized to `contexts.count` (which allocates only
  /// when it grows).
  @discardableResult
  public func isEnabled(_ flag: FlagHandle, in contexts: inout [EvaluationContext], into results: inout [Bool]) -> Int {
    if results.count != contexts.count { results = Array(repeating: false, count: contexts.count) }
    return contexts.withUnsafeMutableBufferPointer { contexts in
      results.withUnsafeMutableBufferPointer { isEnabled(flag, in: contexts, into: $0) }
    }
  }

  /// `isEnabled(_:in:into:)` over arrays: `results` is resized to `flags.count` (which allocates only
  /// when it grows).
  @discardableResult
  public func isEnabled(_ flags: [FlagHandle], in context: inout EvaluationContext, into results: inout [Bool]) -> Int {
    if results.count != flags.count { results = Array(repeating: false, count: flags.count) }
    return flags.withUnsafeBufferPointer { flags in
      results.withUnsafeMutableBufferPointer { isEnabled(flags, in: &context, into: $0) }
    }
  }
}
