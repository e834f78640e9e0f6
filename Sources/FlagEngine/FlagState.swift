/// A client-features state compiled for evaluation: the engine.
///
///     let state = FlagState(try StateDocument.load(path: "state.json").resolved())
///     var context = EvaluationContext(Context(userId: "42", properties: ["region": "eu-west"]))
///     state.isEnabled("new-checkout", in: &context)
///
/// Compiling never fails: a flag whose definition cannot be compiled is off, and `warnings` says why.
/// Evaluation allocates nothing (case-insensitive tests on non-ASCII text aside).
public struct FlagState: Sendable {
  /// The state this was compiled from.
  public let definition: ClientFeatures
  let features: ContiguousArray<CompiledFeature>
  let indexByName: [String: Int]
  public let warnings: [StateWarning]

  /// Compiles `definition`.
  ///
  /// - Complexity: O(size of the definition).
  public init(_ definition: ClientFeatures) {
    self.definition = definition
    var compiler = StateCompiler(definition)
    features = compiler.compileAll()
    indexByName = compiler.indexByName
    warnings = compiler.warnings
  }

  /// The flags of this state, in definition order.
  public var flagNames: [String] { features.map(\.name) }

  /// The handle of the flag called `name`, or `nil` when the state has no such flag.
  public func flag(_ name: String) -> FlagHandle? {
    indexByName[name].map(FlagHandle.init)
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
    matchingStrategy(features[flag.index], &context) != nil
  }

  /// The variant of `flag` for `context`: `disabled` when the flag is off or has no variants.
  
  public func variant(_ flag: FlagHandle, in context: inout EvaluationContext) -> VariantResult {
    let feature = features[flag.index]
    guard let strategy = matchingStrategy(feature, &context) else { return .disabled }
    guard let variants = variantList(feature, strategy: strategy) else {
      return VariantResult(name: "disabled", enabled: false, featureEnabled: true)
    }
    let entry = variants.choose(&context)
    return VariantResult(name: entry.name, enabled: true, featureEnabled: true, payload: entry.payload)
  }

  /// Which strategy turned the feature on: `nil` when it is off, `-1` when it is on without strategies.
  
  func matchingStrategy(_ feature: CompiledFeature, _ context: inout EvaluationContext) -> Int? {
    guard feature.enabled else { return nil }
    if !feature.dependencies.isEmpty && !dependenciesHold(feature, &context) { return nil }
    return firstStrategyOn(feature, &context)
  }

  
  func firstStrategyOn(_ feature: CompiledFeature, _ context: inout EvaluationContext) -> Int? {
    if feature.strategies.isEmpty { return -1 }
    for index in feature.strategies.indices where feature.strategies[index].isOn(&context) { return index }
    return nil
  }

  /// The variants that apply when `strategy` turned the feature on: the strategy's own, else the feature's.
  
  func variantList(_ feature: CompiledFeature, strategy: Int) -> CompiledVariants? {
    if strategy >= 0, let own = feature.strategies[strategy].variants { return own }
    return feature.variants
  }

  /// Unleash's dependency rule: every parent exists, has no parents of its own, is in the required
  /// state, and (when variants are listed and the parent has variants) shows one of them. A parent's
  /// variant is chosen as if it were enabled.
  
  func dependenciesHold(_ feature: CompiledFeature, _ context: inout EvaluationContext) -> Bool {
    for dependency in feature.dependencies {
      guard let index = dependency.parent else { return false }
      let parent = features[index]
      guard parent.dependencies.isEmpty else { return false }
      let strategy = parent.problem == nil ? firstStrategyOn(parent, &context) : nil
      let parentOn = parent.enabled && strategy != nil
      if !dependency.variants.isEmpty,
        let variants = variantList(parent, strategy: strategy ?? -1)
      {
        let name = variants.choose(&context).name
        if !dependency.variants.contains(name) { return false }
      }
      if parentOn != dependency.parentEnabled { return false }
    }
    return true
  }
}
