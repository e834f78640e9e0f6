import FlagEngine
import Simulation
import Telemetry

/// What one HTTP attempt got.
public enum Answer: String, Sendable, Hashable, CaseIterable {
  /// 200 with the whole state.
  case full
  /// 304 Not Modified: the state the client holds (its ETag) is current.
  case notModified
  /// 5xx or 429: the server is down behind its load balancer, or sheds load it cannot serve in time.
  case unavailable
  /// The connection is refused or times out: nothing answers.
  case refused
  /// The connection is reset (ECONNRESET: a keep-alive socket closed under the client).
  case reset
  /// 401 or 403: the client's key is not accepted.
  case forbidden

  public var succeeded: Bool { self == .full || self == .notModified }
}

/// How a client retries after a failed request: capped exponential backoff with optional jitter, or the
/// rule an SDK actually has.
public enum RetryRule: Sendable, Hashable {
  case exponential(ExponentialBackoff)
  /// Unleash's Node SDK (unleash-client-node 6.x, `src/repository/index.ts` and `src/request.ts`):
  /// - each fetch is made by make-fetch-happen with `retry: {retries: 2}`: a 408, 420, 429 or 5xx answer
  ///   or a network error is tried again after 1 s and after 2 s more (node-retry's defaults, no
  ///   randomisation), so a failing fetch is three requests, at 0, 1 and 3 s;
  /// - then the next fetch: after a 200, `interval × (1 + failures)` with failures lowered by one; after a
  ///   304, the plain interval (failures unchanged); after 404, 429 or 5xx, failures raised by one (at
  ///   most 10) and `interval × (1 + failures)`; after a refused connection or a timeout, the plain
  ///   interval; after ECONNRESET, half the interval, at least 1 s; after 401 or 403 it stops polling.
  ///   No jitter. The wait runs from the end of the fetch (the SDK sets its timer when the answer is in).
  /// - in streaming mode (experimental in 6.x), the stream reconnects by launchdarkly-eventsource:
  ///   2 s doubling to 30 s, less up to half at random (``ExponentialBackoff/unleashNodeStream``).
  case unleashNode

  public static let standard = RetryRule.exponential(ExponentialBackoff())

  /// The Node SDK's most failures counted.
  public static let unleashNodeMaximumFailures = 10

  public var name: String {
    switch self {
    case .exponential: return "exponential"
    case .unleashNode: return "unleash-node"
    }
  }

  /// The backoff of a stream's reconnections under this rule.
  public var reconnection: ExponentialBackoff {
    switch self {
    case .exponential(let backoff): return backoff
    case .unleashNode: return .unleashNodeStream
    }
  }

  /// The attempts one fetch makes when each fails with `answer`, as offsets in seconds from the first:
  /// the HTTP library's own retries. Answers that are not retried make one attempt.
  public func attemptOffsets(_ answer: Answer) -> [Double] {
    switch self {
    case .exponential: return [0]
    case .unleashNode:
      switch answer {
      case .unavailable, .refused, .reset: return Self.nodeAttempts
      case .full, .notModified, .forbidden: return [0]
      }
    }
  }

  static let nodeAttempts: [Double] = [0, 1, 3]

  /// A polling client with `interval` (seconds) whose fetch ended with `answer`: the wait from the fetch's
  /// last attempt to its next fetch, with `failures` (the client's count, 0 at its start) updated; nil when
  /// the client stops polling. An exponential rule waits its `failures`-th backoff after a failure and
  /// the interval after a success (and forgets its failures); the Node SDK's rule is described on
  /// ``unleashNode``.
  @inline(__always)
  public func nextFetch(after answer: Answer, interval: Double, failures: inout Int, _ random: inout RandomStream) -> Double? {
    switch self {
    case .exponential(let backoff):
      if answer.succeeded {
        failures = 0
        return interval
      }
      let wait = backoff.wait(failures, &random)
      failures += 1
      return wait
    case .unleashNode:
      switch answer {
      case .full:
        failures = Swift.max(failures - 1, 0)
        return interval * Double(1 + failures)
      case .notModified, .refused:
        return interval
      case .unavailable:
        failures = Swift.min(failures + 1, Self.unleashNodeMaximumFailures)
        return interval * Double(1 + failures)
      case .reset:
        return Swift.max((interval * 500).rounded(.down) / 1000, 1)
      case .forbidden:
        failures += 1
        return nil
      }
    }
  }

  /// Whether the waits after further failures with `answer` no longer change (beyond their jitter): an
  /// exponential backoff at its cap, the Node SDK at its most failures (or an answer it does not back off
  /// for).
  @inline(__always)
  public func isSteady(failures: Int, after answer: Answer) -> Bool {
    switch self {
    case .exponential(let backoff): return backoff.isCapped(failures)
    case .unleashNode:
      return answer != .unavailable || failures >= Self.unleashNodeMaximumFailures
    }
  }

  /// The steady wait between fetches after failures with `answer` (see ``isSteady(failures:after:)``),
  /// as a mean and a jitter (waits uniform on `mean × (1 ± jitter)`), fetch to fetch.
  public func steadyCycle(after answer: Answer, interval: Double) -> (mean: Double, jitter: Double) {
    switch self {
    case .exponential(let backoff):
      // Uniform on max × (1 - jitter)...max.
      let cap = backoff.max.seconds
      let mean = cap * (1 - backoff.jitter / 2)
      return (mean, (backoff.jitter / 2) / (1 - backoff.jitter / 2))
    case .unleashNode:
      var failures = Self.unleashNodeMaximumFailures
      var random = RetryStages.noRandom
      let wait = nextFetch(after: answer, interval: interval, failures: &failures, &random) ?? .infinity
      return ((attemptOffsets(answer).last ?? 0) + wait, 0)
    }
  }
}

/// A retry rule as a scenario writes it: `{rule: unleash-node}`, or a capped exponential backoff whose
/// fields not given come from the rule it refines (`{jitter: false}`: the default backoff without jitter).
///
///     retry: {rule: unleash-node}
///     retry: {initial: 1s, max: 60s, multiplier: 2, jitter: true}     # rule: exponential
public struct RetryDefinition: Sendable, Hashable, Decodable {
  public var unleashNode: Bool
  public var initial: TimeSpan?
  public var max: TimeSpan?
  public var multiplier: Double?
  public var jitter: Double?

  public init(unleashNode: Bool = false, initial: TimeSpan? = nil, max: TimeSpan? = nil, multiplier: Double? = nil, jitter: Double? = nil) {
    self.unleashNode = unleashNode
    self.initial = initial
    self.max = max
    self.multiplier = multiplier
    self.jitter = jitter
  }

  /// The whole of `rule`, as a definition.
  public init(_ rule: RetryRule) {
    switch rule {
    case .unleashNode: self.init(unleashNode: true)
    case .exponential(let b): self.init(initial: b.initial, max: b.max, multiplier: b.multiplier, jitter: b.jitter)
    }
  }

  enum CodingKeys: String, CodingKey { case rule, initial, max, multiplier, jitter }

  static let rules = ["exponential", "unleash-node"]

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let rule = try c.decodeIfPresent(String.self, forKey: .rule) ?? "exponential"
    switch rule {
    case "exponential":
      unleashNode = false
    case "unleash-node", "unleashNode":
      unleashNode = true
      // The SDK's own rule has no parameters: refuse rather than ignore one.
      for key in [CodingKeys.initial, .max, .multiplier, .jitter] where c.contains(key) {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c,
          debugDescription: "the unleash-node rule is the SDK's own and has no '\(key.stringValue)' (give rule: exponential to set it)")
      }
    default:
      var message = "'\(rule)' is not a retry rule (expected \(Self.rules.joined(separator: " or ")))"
      if let near = Spelling.suggestion(for: rule, among: Self.rules) { message += "; did you mean '\(near)'?" }
      throw DecodingError.dataCorruptedError(forKey: .rule, in: c, debugDescription: message)
    }
    initial = try c.decodeIfPresent(TimeSpan.self, forKey: .initial)
    max = try c.decodeIfPresent(TimeSpan.self, forKey: .max)
    multiplier = try c.decodeIfPresent(Double.self, forKey: .multiplier)
    if c.contains(.jitter) {
      if let flag = try? c.decode(Bool.self, forKey: .jitter) {
        jitter = flag ? 1 : 0
      } else {
        jitter = try c.decode(Double.self, forKey: .jitter)
      }
    }
  }

  /// The rule: the Node SDK's, or the backoff with the fields given and the others from `base` (from the
  /// default backoff when `base` is not exponential).
  public func applied(to base: RetryRule) -> RetryRule {
    if unleashNode { return .unleashNode }
    let from: ExponentialBackoff
    if case .exponential(let backoff) = base { from = backoff } else { from = ExponentialBackoff() }
    return .exponential(ExponentialBackoff(
      initial: initial ?? from.initial, max: max ?? from.max, multiplier: multiplier ?? from.multiplier, jitter: jitter ?? from.jitter))
  }
}

extension RetryRule {
  /// Checks an exponential rule's fields (the Node SDK's rule has none).
  package func validate() throws(DefinitionError) {
    if case .exponential(let backoff) = self { try backoff.validate() }
  }
}
