import Foundation
import Telemetry

/// Wald's sequential probability ratio test of the treatment's per-session event rate.
///
/// H0: the rate is the baseline `p0`; H1: it is `p1` (`alternative`, or `p0 · effect`, effect 2 by default).
/// Each window adds `x·ln(p1/p0) + (n−x)·ln((1−p1)/(1−p0))` for its `x` events in `n` treatment sessions to
/// the log-likelihood ratio. The test rejects H0 (the gate fails) when the ratio reaches
/// `A = ln((1−β)/α)`, and accepts it (the gate passes) when it falls to `B = ln(β/(1−α))`; in between the
/// gate is inconclusive and the release holds at the milestone boundary. Wald's inequalities bound the
/// false-alarm probability by `α/(1−β)` and the miss probability by `β/(1−α)`; windows make the ratio
/// overshoot the boundaries, which only lowers both.
///
/// Each milestone is a new test (the ratio starts at zero), with `p0` frozen at the test's first window;
/// a decision is final for the milestone. Expected treatment sessions to decide under H1 (Wald):
/// `((1−β)·A + β·B) / E₁[z]`, `E₁[z] = p1·ln(p1/p0) + (1−p1)·ln((1−p1)/(1−p0))`; for `p0` = 1%, `p1` = 2%,
/// α = 0.05, β = 0.2 that is about 490 sessions.
public struct SequentialProbabilityRatioTest: Gate {
  public let name: String
  public var kind: GateKind { .sprt }
  public let activity: GateActivity
  public let onFail: Action
  public let metric: Metric
  public let cohorts: Set<UInt16>?
  public let alpha: Double
  public let beta: Double
  var baseline: Baseline
  let alternative: Alternative

  /// Upper (reject) and lower (accept) boundaries of the log-likelihood ratio.
  public var upperBoundary: Double { log((1 - beta) / alpha) }
  public var lowerBoundary: Double { log(beta / (1 - alpha)) }

  /// The test in progress.
  public private(set) var logLikelihoodRatio = 0.0
  public private(set) var sessions: UInt64 = 0
  public private(set) var events: UInt64 = 0
  public private(set) var hypotheses: (p0: Double, p1: Double)?
  public private(set) var decision: GateVerdict?
  var span: WindowSpan?

  public init(
    name: String, activity: GateActivity = .rollout, onFail: Action = .rollBack, metric: Metric = .errorRate,
    cohorts: Set<UInt16>? = nil, baseline: Double? = nil, alternative: Double? = nil, effect: Double = 2,
    alpha: Double = 0.05, beta: Double = 0.2
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.cohorts = cohorts
    self.alpha = alpha
    self.beta = beta
    self.baseline = Baseline(fixed: baseline, metric: metric, cohorts: cohorts)
    self.alternative = Alternative(fixed: alternative, effect: effect)
  }

  public mutating func beginMilestone(_ index: Int, at time: Int64) { startNewTest() }
  public mutating func resume(at time: Int64) { startNewTest() }

  mutating func startNewTest() {
    logLikelihoodRatio = 0
    sessions = 0
    events = 0
    hypotheses = nil
    decision = nil
    span = nil
  }

  public mutating func observe(_ window: TelemetryWindow, context: GateContext) -> GateEvaluation? {
    baseline.record(window)
    guard activity.isActive(in: context.phase) else { return nil }
    if decision == nil, !(activity == .rollout && window.start < context.milestoneStart) {
      if hypotheses == nil, let p0 = baseline.rate {
        hypotheses = (p0, alternative.rate(baseline: p0))
      }
      if let (p0, p1) = hypotheses, p0 > 0, p1 > p0 {
        let treatment = window.counts { $0.arm.isTreatment && (cohorts?.contains($0.cohort) ?? true) }
        if treatment.sessions > 0 {
          let x = metric.events(in: treatment) ?? 0
          logLikelihoodRatio += bernoulliLogLikelihoodRatio(events: x, sessions: treatment.sessions, p0: p0, p1: p1)
          sessions += treatment.sessions
          events += x
          span = WindowSpan.extend(span, window)
          if logLikelihoodRatio >= upperBoundary {
            decision = .fail
          } else if logLikelihoodRatio <= lowerBoundary {
            decision = .pass
          }
        }
      }
    }
    return evaluation
  }

  var evaluation: GateEvaluation {
    guard let (p0, p1) = hypotheses else {
      return GateEvaluation(
        verdict: .inconclusive, statistic: nil, statisticName: "log-likelihood ratio", threshold: upperBoundary, windows: nil,
        detail: "no baseline yet: \(baseline.source), \(baseline.controlEvents) events, \(Baseline.minimumEvents) needed")
    }
    let verdict = decision ?? .inconclusive
    let rate = sessions == 0 ? 0 : Double(events) / Double(sessions)
    let hypothesesText =
      "H0 \(ReadableText.name(metric)) = \(ReadableText.value(p0, of: metric)) (\(baseline.source)), H1 = \(ReadableText.value(p1, of: metric))"
    let observed =
      "\(ReadableText.count(events)) events in \(ReadableText.count(sessions)) treatment sessions (\(ReadableText.value(rate, of: metric)))"
    let detail: String
    switch verdict {
    case .fail: detail = "rejected H0: \(observed); \(hypothesesText)"
    case .pass: detail = "accepted H0: \(observed); \(hypothesesText)"
    default:
      detail =
        "undecided: log-likelihood ratio \(ReadableText.number(logLikelihoodRatio)) between \(ReadableText.number(lowerBoundary)) and "
        + "\(ReadableText.number(upperBoundary)); \(observed); \(hypothesesText)"
    }
    return GateEvaluation(
      verdict: verdict, statistic: logLikelihoodRatio, statisticName: "log-likelihood ratio",
      threshold: verdict == .pass ? lowerBoundary : upperBoundary, windows: span, detail: detail)
  }
}
