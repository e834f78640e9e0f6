/// Where a rollout or a variant choice takes its sticky value from.

enum Stickiness: Sendable {
  /// `userId`, else `sessionId`, else a random draw (rollouts) or no value (variants: random choice).
  case `default`
  /// A fresh random draw each evaluation.
  case random
  /// One field; a missing value means "not in the rollout" (rollouts) or a random choice (variants).
  case field(ContextField)
}

/// A strategy compiled for evaluation.

struct CompiledStrategy: Sendable {
  
  enum Rule: Sendable {
    case always
    case never
    /// `userWithId`: the listed user ids.
    case userIds(StringList)
    /// Percentage rollouts: the bucket of `"<groupId>:<sticky value>"` must be `<= percentage`.
    /// `prefix` has already hashed `"<groupId>:"`.
    case rollout(percentage: UInt32, stickiness: Stickiness, prefix: Murmur3.Hasher)
    /// `gradualRolloutRandom`: a draw in 1...99 below the percentage.
    case random(percentage: Int)
    case remoteAddress([IPNetwork])
    /// `applicationHostname`: lower-cased names.
    case hostname([String])
  }

  let rule: Rule
  /// The strategy's own constraints followed by those of its segments.
  let constraints: ContiguousArray<CompiledConstraint>
  /// The variants this strategy hands out; `nil` when it has none (the feature's variants apply).
  let variants: CompiledVariants?

  /// Whether the strategy is on for `context`. Constraints are checked first: they are cheaper than
  /// hashing and usually decide.
  
  func isOn(_ context: inout EvaluationContext) -> Bool {
    for constraint in constraints where !constraint.matches(&context) { return false }
    switch rule {
    case .always: return true
    case .never: return false
    case .userIds(let ids):
      guard let userId = context[.userId] else { return false }
      return ids.contains(userId)
    case .rollout(let percentage, let stickiness, let prefix):
      var hasher = prefix
      switch stickiness {
      case .default:
        if let value = context[.userId] ?? context[.sessionId] {
          hasher.combine(value)
        } else {
          hasher.combine(decimal: 1 + Int(context.random.next(below: 99)))
        }
      case .random:
        hasher.combine(decimal: 1 + Int(context.random.next(below: 99)))
      case .field(let field):
        guard let value = context.resolve(field) else { return false }
        hasher.combine(value)
      }
      return hasher.finalize() % 100 + 1 <= percentage
    case .random(let percentage):
      return 1 + Int(context.random.next(below: 99)) < percentage
    case .remoteAddress(let networks):
      guard let text = context[.remoteAddress],
        let address = withUTF8Bytes(text, { IPAddress.parse($0[...]) })
      else { return false }
      for network in networks where network.contains(address) { return true }
      return false
    case .hostname(let names):
      guard let hostname = context.hostname?.lowercased() else { return false }
      return names.contains(hostname)
    }
  }
}
