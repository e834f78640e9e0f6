/// A feature compiled for evaluation.

struct CompiledFeature: Sendable {
  let name: String
  /// The server-side switch, false as well when the feature could not be compiled.
  let enabled: Bool
  let strategies: ContiguousArray<CompiledStrategy>
  let variants: CompiledVariants?
  let dependencies: [CompiledDependency]
  /// Why the feature is always off, when its definition could not be compiled.
  let problem: String?
  let project: String
  let type: String?
  let impressionData: Bool
}

/// A parent requirement: the parent's index in the state (nil when it does not exist), the state it
/// must be in, and the variants it may have.

struct CompiledDependency: Sendable {
  let parent: Int?
  let parentEnabled: Bool
  let variants: [String]
}
