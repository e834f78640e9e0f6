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
