import Foundation
import Simulation
import Telemetry

/// Page's CUSUM on the treatment's event rate: regressions that begin at any time, above all after full
/// rollout, with a false-alarm rate set by a target run length.
///
/// `S ← max(0, S + z)` per window and the gate fails when `S ≥ h`. `z` is the window's log-likelihood
/// ratio of rate ratio `effect` (default 2) against 1 from ``RatioEvidence``: stratum by stratum
/// (cohort and region), treatment against the same stratum's control, or, once no stratum has one
/// (everyone at 100%), against the strata's own control before, so no baseline is estimated and none
/// can inflate the false alarms. With a fixed `baseline` `p0` (and `alternative` `p1` or `p0 · effect`), `z` is instead the
/// one-sample step `x·ln(p1/p0) + (n−x)·ln((1−p1)/(1−p0))` of the treatment's sessions.
///
/// The decision interval `h` is `threshold`, or comes from `arl0`, the average time between false alarms
/// wanted (default 30 days): `h = ln(arl0 / window)`. This is Lorden's bound (1971), not an
/// approximation: the CUSUM alarms at the first of the one-sided SPRTs started at each window, each of
/// which ever reaches `h` with probability at most `e^−h` under H0 (its steps are likelihood ratios of
/// mean at most 1), so on average at least `e^h` windows pass before a false alarm, and a false alarm
/// within a time `T` has probability at most `T / arl0` (union bound over the start windows). Siegmund's
/// approximation, `(e^h − h − 1) / |E₀[z]|` steps, suits charts updated per session; a window's step holds
/// thousands of sessions and overshoots, where the bound still holds (a test measures both).
public struct CUSUM: Gate {
  public let name: String
  public var kind: GateKind { .cusum }
  public let activity: GateActivity
  public let onFail: Action
  public let metric: Metric
  public let cohorts: Set<UInt16>?
  /// `h` as given, or `nil` when it comes from `arl0`.
  public let fixedThreshold: Double?
  /// The target average time between false alarms.
  public let arl0: SimulatedTime?
  public let effect: Double
  /// The fixed baseline and alternative rates of the one-sample chart; `nil` for the two-sample chart.
  public let hypotheses: (p0: Double, p1: Double)?
  public let drift: Double
  var reference = ControlReference()

  public private(set) var statistic = 0.0
  public private(set) var alarmed = false
  /// `h` once known (at the first window, from its length, when it comes from `arl0`).
  public private(set) var threshold: Double?
  /// The windows since the statistic last left zero.
  var span: WindowSpan?
  var run = ComparisonTally()
  var basis = EvidenceBasis.none

  public init(
    name: String, activity: GateActivity = .monitoring, onFail: Action = .kill, metric: Metric = .errorRate,
    cohorts: Set<UInt16>? = nil, baseline: Double? = nil, alternative: Double? = nil, effect: Double = 2, threshold: Double? = nil,
    arl0: TimeSpan? = nil, drift: Double = 0.1
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.cohorts = cohorts
    self.effect = effect
    self.drift = drift
    fixedThreshold = threshold
    self.arl0 = threshold == nil ? (arl0 ?? .days(30)) : nil
    self.threshold = threshold
    hypotheses = baseline.map { p0 in (p0, min(alternative ?? p0 * effect, 0.999_999)) }
  }

  /// `h` for a target run length of `arl0` windows (at least 2): `ln(arl0)`.
  public static func threshold(arl0 windows: Double) -> Double { log(max(windows, 2)) }

  /// A human resumed: if this chart had alarmed, it starts again from zero.
  public mutating func resume(at time: SimulatedTime) {
    guard alarmed else { return }
    statistic = 0
    alarmed = false
    span = nil
    run = ComparisonTally()
  }

  public mutating func observe(_ read: TelemetryRead, context: GateContext) -> GateEvaluation? {
    let window = read.window
    let strata = window.strata(cohorts: cohorts, targeting: context.targeting)
    defer { reference.record(strata) }
    guard activity.isActive(in: context.phase) else { return nil }
    if threshold == nil, let arl0 { threshold = Self.threshold(arl0: Double(arl0.microseconds) / Double(max(window.duration.microseconds, 1))) }
    guard !alarmed else { return evaluation }
    var step: Double?
    if let (p0, p1) = hypotheses {
      var treatment = strata.reduce(into: OutcomeCounts()) { $0 += $1.treatment }
      if metric == .reports {
        // Reports arrive days after the installs they are about, in late pieces of those windows.
        for piece in read.late { treatment += piece.strata(cohorts: cohorts, targeting: context.targeting).reduce(into: OutcomeCounts()) { $0 += $1.treatment } }
      }
      let (x, n) = (metric.events(in: treatment) ?? 0, metric.trials(in: treatment))
      basis = n > 0 || x > 0 ? .baseline : .none
      if n > 0 || x > 0 {
        step = bernoulliLogLikelihoodRatio(events: x, sessions: n, p0: p0, p1: p1)
        run.add(treatmentEvents: x, sessions: n)
      }
    } else {
      // One step per read (so `arl0` still counts reads): the fresh window's terms and the late pieces'.
      let late = read.late.map { $0.strata(cohorts: cohorts, targeting: context.targeting) }
      let evidence = RatioEvidence(strata, metric: metric, reference: reference, drift: drift, late: late)
      let (terms, compared) = evidence.preferred
      basis = compared
      if !terms.isEmpty {
        step = RatioEvidence.logLikelihoodRatio(terms, ratio: effect, logRatio: log(effect))
        run.add(evidence, before: compared == .beforeAfter)
      }
    }
    if let step {
      statistic = max(0, statistic + step)
      if statistic == 0 {
        span = nil
        run = ComparisonTally()
      } else {
        span = WindowSpan.extend(span, window)
      }
      if statistic >= threshold! { alarmed = true }
    }
    return evaluation
  }

  var evaluation: GateEvaluation {
    let h = threshold ?? fixedThreshold ?? 0
    let origin = arl0.map { " (from arl0 \(ReadableText.duration($0)))" } ?? ""
    let tested =
      hypotheses.map { "\(ReadableText.name(metric)) \(ReadableText.value($0.p0, of: metric)) -> \(ReadableText.value($0.p1, of: metric))" }
      ?? "\(ReadableText.name(metric)) \(ReadableText.number(effect)) times what it would be without the flag"
    let since = run.treatmentSessions == 0 ? "" : "; since it left zero: \(run.text)"
    let detail =
      "\(alarmed ? "regression" : "in control"): CUSUM \(ReadableText.number(statistic)) \(alarmed ? ">=" : "<") \(ReadableText.number(h))\(origin) "
      + "for \(tested)\(since)"
    return GateEvaluation(
      verdict: alarmed ? .fail : .pass, statistic: statistic, statisticName: "CUSUM", threshold: h, windows: span, detail: detail, basis: basis)
  }
}
