/// A weighted list of variants with the stickiness and group used to choose among them.

struct CompiledVariants: Sendable {
  
  struct Entry: Sendable {
    let name: String
    let weight: UInt32
    let payload: Payload?
    /// Feature-level overrides: a context field and the values that force this variant.
    let overrides: [(field: ContextField, values: StringList)]
  }

  let entries: ContiguousArray<Entry>
  let totalWeight: UInt32
  let stickiness: Stickiness
  /// `"<groupId>:"` hashed with the variant seed.
  let prefix: Murmur3.Hasher
  let hasOverrides: Bool

  /// The seed Unleash uses for variant buckets, so they are independent of rollout buckets.
  static let seed: UInt32 = 86_028_157

  /// The chosen entry. Overrides first; then the bucket of the sticky value, or a random one when the
  /// context has no sticky value.
  
  func choose(_ context: inout EvaluationContext) -> Entry {
    if hasOverrides {
      for entry in entries {
        for (field, values) in entry.overrides {
          if let value = context[field], values.contains(value) { return entry }
        }
      }
    }
    let target: UInt32
    let sticky: String?
    switch stickiness {
    case .default: sticky = context[.userId] ?? context[.sessionId]
    case .random: sticky = nil
    case .field(let field): sticky = context[field]
    }
    if let sticky {
      var hasher = prefix
      hasher.combine(sticky)
      target = hasher.finalize() % totalWeight + 1
    } else {
      // Uniform over 1...total like the sticky path. (yggdrasil draws 0..<total here, which favours the
      // first variant: with weights 1 and 1 it never picks the second.)
      target = context.random.next(below: totalWeight) + 1
    }
    var cumulative: UInt32 = 0
    for entry in entries {
      cumulative += entry.weight
      if cumulative >= target { return entry }
    }
    return entries[entries.count - 1]
  }
}
