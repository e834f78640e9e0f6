import Foundation
import Telemetry

/// Page's CUSUM on the treatment's per-session event rate: regressions after full rollout.
///
/// `S ← max(0, S + x·ln(p1/p0) + (n−x)·ln((1−p1)/(1−p0)))` for each window's `x` events in `n` treatment
/// sessions; the gate fails when `S ≥ h` (`threshold`). `p0` is the `baseline` (or the control's rate
/// up to the moment the gate becomes active, frozen then), `p1 = alternative` or `p0 · effect`.
///
/// For a CUSUM updated at every session, Siegmund's approximations put the average number of sessions
/// to a false alarm near `(e^h − h − 1) / |E₀[z]|` and to detection of a shift to `p1` near
/// `(h + e^−h − 1) / E₁[z]`, `z` the per-session increment: with `p0` = 1%, `p1` = 2%, `h` = 10, about
/// 7 million sessions between false alarms and 2,300 sessions to detection. Updated once per window, the
/// statistic is never above the per-session one (it is clipped at zero less often), so false alarms are
/// rarer still and detection comes at the end of the window that completes the evidence.
public struct CUSUM: Gate {
  public let name: String
  public var kind: GateKind { .cusum }
  public let activity: GateActivity
  public let onFail: Action
  public let metric: Metric
  public let cohorts: Set<UInt16>?
  public let threshold: Double
  var baseline: Baseline
  let alternative: Alternative

  public private(set) var statistic = 0.0
  public private(set) var hypotheses: (p0: Double, p1: Double)?
  public private(set) var alarmed = false
  /// The windows since the statistic last left zero.
  var span: WindowSpan?
  var runSessions: UInt64 = 0
  var runEvents: UInt64 = 0

  public init(
    name: String, activity: GateActivity = .monitoring, onFail: Action = .kill, metric: Metric = .errorRate,
    cohorts: Set<UInt16>? = nil, baseline: Double? = nil, alternative: Double? = nil, effect: Double = 2, threshold: Double = 10
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.cohorts = cohorts
    self.threshold = threshold
    self.baseline = Baseline(fixed: baseline, metric: metric, cohorts: cohorts)
    self.alternative = Alternative(fixed: alternative, effect: effect)
  }

  /// A human resumed: if this chart had alarmed, it starts again from zero.
  public mutating func resume(at time: Int64) {
    guard alarmed else { return }
    statistic = 0
    alarmed = false
    span = nil
    runSessions = 0
    runEvents = 0
  }

  public mutating func observe(_ window: TelemetryWindow, context: GateContext) -> GateEvaluation? {
    guard activity.isActive(in: context.phase) else {
      baseline.record(window)
      return nil
    }
    if hypotheses == nil {
      baseline.record(window)
      if let p0 = baseline.rate { hypotheses = (p0, alternative.rate(baseline: p0)) }
    }
    if !alarmed, let (p0, p1) = hypotheses, p0 > 0, p1 > p0 {
      let treatment = window.counts { $0.arm.isTreatment && (cohorts?.contains($0.cohort) ?? true) }
      if treatment.sessions > 0 {
        let x = metric.events(in: treatment) ?? 0
        statistic = max(0, statistic + bernoulliLogLikelihoodRatio(events: x, sessions: treatment.sessions, p0: p0, p1: p1))
        if statistic == 0 {
          span = nil
          runSessions = 0
          runEvents = 0
        } else {
          span = WindowSpan.extend(span, window)
          runSessions += treatment.sessions
          runEvents += x
        }
        if statistic >= threshold { alarmed = true }
      }
    }
    return evaluation
  }

  var evaluation: GateEvaluation {
    guard let (p0, p1) = hypotheses else {
      return GateEvaluation(
        verdict: .inconclusive, statistic: nil, statisticName: "CUSUM", threshold: threshold, windows: nil,
        detail: "no baseline yet: \(baseline.source), \(baseline.controlEvents) events, \(Baseline.minimumEvents) needed")
    }
    let run =
      runSessions == 0 ? "" : "; \(ReadableText.count(runEvents)) events in \(ReadableText.count(runSessions)) treatment sessions since it left zero"
    let detail =
      "\(alarmed ? "regression" : "in control"): CUSUM \(ReadableText.number(statistic)) \(alarmed ? ">=" : "<") \(ReadableText.number(threshold)) "
      + "for \(ReadableText.name(metric)) \(ReadableText.value(p0, of: metric)) -> \(ReadableText.value(p1, of: metric))\(run)"
    return GateEvaluation(
      verdict: alarmed ? .fail : .pass, statistic: statistic, statisticName: "CUSUM", threshold: threshold, windows: span, detail: detail)
  }
}
