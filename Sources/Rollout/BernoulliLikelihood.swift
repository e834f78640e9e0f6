import Foundation
import Telemetry

/// The baseline event rate of a test: fixed in the policy, or estimated from the control arm.
///
/// An estimate reads every control session seen so far, including the windows before the release
/// started, and needs `minimumEvents` events before it is used: a rate from three errors would make the
/// test's hypotheses noise.
struct Baseline: Sendable {
  let fixed: Double?
  let metric: Metric
  let cohorts: Set<UInt16>?
  static let minimumEvents: UInt64 = 20
  private(set) var controlEvents: UInt64 = 0
  private(set) var controlSessions: UInt64 = 0

  init(fixed: Double?, metric: Metric, cohorts: Set<UInt16>?) {
    self.fixed = fixed
    self.metric = metric
    self.cohorts = cohorts
  }

  mutating func record(_ window: TelemetryWindow) {
    guard fixed == nil else { return }
    let control = window.counts { !$0.arm.isTreatment && (cohorts?.contains($0.cohort) ?? true) }
    controlEvents += metric.events(in: control) ?? 0
    controlSessions += control.sessions
  }

  /// The rate to test against, or `nil` while an estimate has too little data.
  var rate: Double? {
    if let fixed { return fixed }
    guard controlEvents >= Self.minimumEvents, controlSessions > 0 else { return nil }
    return Double(controlEvents) / Double(controlSessions)
  }

  var source: String {
    fixed != nil ? "fixed baseline" : "baseline estimated from \(ReadableText.count(controlSessions)) control sessions"
  }
}

/// The alternative rate of a Bernoulli test: fixed, or the baseline times an effect.
struct Alternative: Sendable, Hashable {
  let fixed: Double?
  let effect: Double

  func rate(baseline: Double) -> Double {
    min(fixed ?? baseline * effect, 0.999_999)
  }
}

/// Log-likelihood ratio of `events` in `sessions` Bernoulli trials, rate `p1` against `p0`.
@inline(__always)
func bernoulliLogLikelihoodRatio(events: UInt64, sessions: UInt64, p0: Double, p1: Double) -> Double {
  let x = Double(events)
  let n = Double(sessions)
  return x * log(p1 / p0) + (n - x) * log((1 - p1) / (1 - p0))
}
