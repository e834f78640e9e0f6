import Simulation

/// A retry rule as stages, for counting a crowd of clients instead of walking each: a client that has just
/// failed in stage `s` waits between `stages[s].low` and `stages[s].high` seconds (uniformly; a fixed wait
/// when they are equal) and tries again, in stage `stages[s].next` should that fail too. Stage 0 is a
/// client's first failure. The waits are those ``RetryRule/nextFetch(after:interval:failures:_:)`` and
/// ``ExponentialBackoff/wait(_:_:)`` draw for one client.
public struct RetryStages: Sendable, Hashable {
  public struct Stage: Sendable, Hashable {
    public let low: Double
    public let high: Double
    public let next: Int
  }

  public let stages: [Stage]

  /// The longest wait of any stage.
  public var longest: Double { stages.map(\.high).max() ?? 0 }

  /// `rule` for a client polling every `interval` seconds (0: a stream, a frontend session or an edge,
  /// which back off as a stream reconnects) whose requests are answered `answer`.
  public init(_ rule: RetryRule, interval: Double, answer: Answer) {
    if interval > 0, case .unleashNode = rule {
      // Stage f × 3 + a: the a-th attempt of a fetch by a client with f failures has failed.
      let offsets = rule.attemptOffsets(answer)
      let attempts = offsets.count
      var stages: [Stage] = []
      for failures in 0...RetryRule.unleashNodeMaximumFailures {
        for attempt in 0..<attempts {
          if attempt + 1 < attempts {
            let wait = offsets[attempt + 1] - offsets[attempt]
            stages.append(Stage(low: wait, high: wait, next: failures * attempts + attempt + 1))
          } else {
            var after = failures
            var random = Self.noRandom
            let wait = rule.nextFetch(after: answer, interval: interval, failures: &after, &random) ?? .infinity
            let next = Swift.min(after, RetryRule.unleashNodeMaximumFailures) * attempts
            stages.append(Stage(low: wait, high: wait, next: next))
          }
        }
      }
      self.stages = stages
      return
    }
    let backoff: ExponentialBackoff
    if interval == 0 {
      backoff = rule.reconnection
    } else if case .exponential(let b) = rule {
      backoff = b
    } else {
      backoff = rule.reconnection
    }
    var stages: [Stage] = []
    var k = 0
    while true {
      let high = backoff.backoff(k)
      let capped = backoff.isCapped(k) || k == 63
      stages.append(Stage(low: high * (1 - backoff.jitter), high: high, next: capped ? k : k + 1))
      if capped { break }
      k += 1
    }
    self.stages = stages
  }

  /// A stream for rules that draw nothing (the Node SDK's waits are fixed).
  static var noRandom: RandomStream { RandomStream(seed: 0, entity: 0, purpose: .fixedWaits) }
}

extension StreamPurpose {
  /// Never drawn from: what a rule with fixed waits is handed.
  static let fixedWaits = StreamPurpose("delivery.fixed-waits")
}
