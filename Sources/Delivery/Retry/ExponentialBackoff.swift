import Foundation
import Simulation
import Telemetry

/// Capped exponential backoff: the k-th wait (from 0) is `min(max, initial × multiplier^k)`, shortened by a
/// random fraction up to `jitter` (1, or `true`: "full jitter", a wait uniform in 0...backoff; 0, or
/// `false`: every client waits exactly the backoff).
public struct ExponentialBackoff: Sendable, Hashable {
  public var initial: TimeSpan
  public var max: TimeSpan
  public var multiplier: Double
  public var jitter: Double

  public init(initial: TimeSpan = .seconds(1), max: TimeSpan = .seconds(60), multiplier: Double = 2, jitter: Double = 1) {
    self.initial = initial
    self.max = max
    self.multiplier = multiplier
    self.jitter = jitter
  }

  /// The reconnection of Unleash's Node SDK in streaming mode: launchdarkly-eventsource with
  /// `initialRetryDelayMillis: 2000`, `maxBackoffMillis: 30000`, `jitterRatio: 0.5` (unleash-client-node,
  /// src/unleash.ts), whose delay is `min(30 s, 2 s × 2^k)` less a random part of up to half of it.
  public static let unleashNodeStream = ExponentialBackoff(initial: .seconds(2), max: .seconds(30), multiplier: 2, jitter: 0.5)

  /// The backoff before attempt `k + 1`, before jitter, in seconds.
  @inline(__always)
  public func backoff(_ k: Int) -> Double {
    Swift.min(max.seconds, initial.seconds * pow(multiplier, Double(Swift.min(k, 1000))))
  }

  /// The wait before attempt `k + 1`, jitter drawn from `random` (one draw, with or without jitter, so
  /// that the draws after it do not depend on the jitter).
  @inline(__always)
  public func wait(_ k: Int, _ random: inout RandomStream) -> Double {
    backoff(k) * (1 - jitter * random.nextDouble())
  }

  /// Whether the `k`-th wait is at the cap.
  @inline(__always)
  public func isCapped(_ k: Int) -> Bool { backoff(k) >= max.seconds }

  package func validate() throws(DefinitionError) {
    guard initial.microseconds >= 10_000 else { throw DefinitionError("initial", "\(initial) is shorter than 10ms") }
    guard max >= initial else { throw DefinitionError("max", "\(max) is shorter than initial (\(initial))") }
    guard max <= .hours(24) else { throw DefinitionError("max", "\(max) is longer than 1d") }
    guard multiplier.isFinite, multiplier >= 1, multiplier <= 100 else {
      throw DefinitionError("multiplier", "\(Check.format(multiplier)) is not a factor in 1...100")
    }
    guard jitter.isFinite, (0...1).contains(jitter) else {
      throw DefinitionError("jitter", "\(Check.format(jitter)) is not true, false or a fraction in 0...1")
    }
  }
}
