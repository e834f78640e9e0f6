import Foundation
import Simulation
import Telemetry

/// An anytime-valid sequential test of treatment against control over the whole release: one e-process,
/// never restarted, so that its `alpha` is the false-alarm budget of the release, not of a milestone.
///
/// Each window's ``RatioEvidence`` gives, for every rate ratio `r` on a grid (log-spaced from
/// `minimumEffect` to `maximumEffect`, equal weights), a likelihood ratio of `r` against 1, stratum by
/// stratum (cohort and region): the conditional binomial against the stratum's control where it has
/// one, and where it has none (a cohort or region released whole, everyone at 100%) the Poisson ratio
/// against its ceiling, a before/after comparison with the stratum's own control before. Each kind
/// feeds a process of its own, so that conservative before/after terms never bury what the control
/// shows:
///
///     S_t(r) = (S_{t−1}(r) + w_k) · LR_t(r),   w_k = 1 / (k (k + 1)) for the process's k-th window,
///     E_t = ½ · Σ_r S_t^control(r) / R + ½ · Σ_r S_t^before(r) / R.
///
/// `S_t(r)` is the sum, over every window `k` the process could have started at, of `w_k` times the
/// product of the ratios since: a regression that begins late (a fault that arrives after the plan
/// reached everyone) is weighed from when it began, not against the healthy days before it, at the cost
/// of `ln(1/w_k)`. Under H0 (the treatment is no worse) every product is a non-negative
/// supermartingale from its start, and `E` is a mixture of them with weights summing to at most 1, so
/// by Ville's inequality `P(sup E ≥ 1/α) ≤ α`: the gate fails when `E ≥ 1/α`, at any window, however
/// often it is looked at, whatever the allocation (milestones change it) as long as it depends only on
/// the past. The before/after terms add the small chances that drift or chance exceed the ceiling (see
/// ``ControlReference``).
///
/// The test runs across milestones, pauses and resumes; only a human resuming a release this test
/// stopped starts a new one (that release already counts as stopped). It never accepts: the gate passes
/// while `E` stays below `1/α`. `stratify: false` pools every cohort and region into one comparison,
/// which is valid only when they share one base rate.
public struct AnytimeValidTest: Gate {
  public let name: String
  public var kind: GateKind { .anytimeValid }
  public let activity: GateActivity
  public let onFail: Action
  public let metric: Metric
  public let cohorts: Set<UInt16>?
  public let alpha: Double
  /// The grid of rate ratios the mixture averages over.
  public let ratios: [Double]
  /// Compare treatment with control within each cohort and region (true) or pooled (false).
  public let stratify: Bool
  /// The log-normal sigma of day-to-day drift a before/after comparison allows for.
  public let drift: Double

  /// The process fed by strata with a control, and the one fed by strata compared with their before.
  var controlProcess: MixtureProcess
  var beforeProcess: MixtureProcess
  let logRatios: [Double]
  var reference = ControlReference()
  public private(set) var rejected = false
  public private(set) var tally = ComparisonTally()
  var span: WindowSpan?
  var basis = EvidenceBasis.none

  public init(
    name: String, activity: GateActivity = .always, onFail: Action = .rollBack, metric: Metric = .errorRate,
    cohorts: Set<UInt16>? = nil, alpha: Double = 0.05, minimumEffect: Double = 1.1, maximumEffect: Double = 10,
    gridSize: Int = 12, stratify: Bool = true, drift: Double = 0.1
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.cohorts = cohorts
    self.alpha = alpha
    self.stratify = stratify
    self.drift = drift
    let count = max(gridSize, 1)
    if count == 1 || minimumEffect == maximumEffect {
      ratios = [minimumEffect]
    } else {
      let step = log(maximumEffect / minimumEffect) / Double(count - 1)
      ratios = (0..<count).map { minimumEffect * exp(Double($0) * step) }
    }
    logRatios = ratios.map { log($0) }
    controlProcess = MixtureProcess(ratios: ratios.count)
    beforeProcess = MixtureProcess(ratios: ratios.count)
  }

  /// Events that fell into strata compared with a control, and how many of them in the treatment.
  public var informativeEvents: UInt64 { tally.comparedEvents }
  public var treatmentEvents: UInt64 { tally.comparedTreatmentEvents }
  public var treatmentSessions: UInt64 { tally.treatmentSessions }
  public var controlSessions: UInt64 { tally.controlSessions }

  /// A human resumed: if this test had rejected, a new test starts (a new e-process, valid on its own);
  /// otherwise the evidence so far is kept.
  public mutating func resume(at time: SimulatedTime) {
    guard rejected else { return }
    rejected = false
    controlProcess = MixtureProcess(ratios: ratios.count)
    beforeProcess = MixtureProcess(ratios: ratios.count)
    tally = ComparisonTally()
    span = nil
  }

  /// log E, the log of the e-value: the two processes' mean.
  public var logEValue: Double { logAddExp(controlProcess.logEValue, beforeProcess.logEValue) - log(2.0) }

  public var eValue: Double { exp(min(logEValue, 700)) }
  public var rejectionThreshold: Double { 1 / alpha }

  public mutating func observe(_ read: TelemetryRead, context: GateContext) -> GateEvaluation? {
    let window = read.window
    let strata = window.strata(cohorts: cohorts, stratify: stratify, targeting: context.targeting)
    defer { reference.record(strata) }
    guard activity.isActive(in: context.phase) else { return nil }
    guard !rejected else { return evaluation }
    // One step per read: the fresh window's terms and those of the late pieces (each tagged by its own
    // window, so a stratum is never compared across windows), multiplied into one ratio.
    let late = read.late.map { $0.strata(cohorts: cohorts, stratify: stratify, targeting: context.targeting) }
    let evidence = RatioEvidence(strata, metric: metric, reference: reference, drift: drift, late: late)
    basis = evidence.hasControl ? .control : evidence.beforeTerms.isEmpty ? .none : .beforeAfter
    tally.add(evidence, before: true)
    if !evidence.controlTerms.isEmpty || !evidence.beforeTerms.isEmpty {
      span = WindowSpan.extend(span, window)
      for piece in read.late { span = WindowSpan.extend(span, piece) }
    }
    controlProcess.add(evidence.controlTerms, ratios: ratios, logRatios: logRatios)
    beforeProcess.add(evidence.beforeTerms, ratios: ratios, logRatios: logRatios)
    if logEValue >= log(rejectionThreshold) { rejected = true }
    return evaluation
  }

  var evaluation: GateEvaluation {
    let e = eValue
    let detail =
      rejected
      ? "treatment worse than without the flag: e-value \(ReadableText.number(e)) >= \(ReadableText.number(rejectionThreshold)); \(tally.text)"
      : "no evidence against the treatment: e-value \(ReadableText.number(e)) < \(ReadableText.number(rejectionThreshold)); \(tally.text)"
    return GateEvaluation(
      verdict: rejected ? .fail : .pass, statistic: e, statisticName: "e-value", threshold: rejectionThreshold, windows: span,
      detail: detail, basis: basis)
  }
}

/// One e-process of the anytime-valid test: for each rate ratio on the grid, the log of
/// `Σ_k w_k Π_{i=k}^t LR_i(r)` over the windows `k` it could have started at, `w_k = 1/(k(k+1))`.
struct MixtureProcess: Sendable {
  var logSums: [Double]
  /// Windows that brought terms.
  var windows = 0

  init(ratios: Int) { logSums = Array(repeating: -Double.infinity, count: ratios) }

  mutating func add(_ terms: [RatioEvidence.Term], ratios: [Double], logRatios: [Double]) {
    guard !terms.isEmpty else { return }
    windows += 1
    let logWeight = -log(Double(windows)) - log(Double(windows + 1))
    for index in logSums.indices {
      logSums[index] =
        logAddExp(logSums[index], logWeight) + RatioEvidence.logLikelihoodRatio(terms, ratio: ratios[index], logRatio: logRatios[index])
    }
  }

  /// log of the grid's mean; −∞ before the first window.
  var logEValue: Double { logSumExp(logSums) - log(Double(logSums.count)) }
}

/// `log Σ exp(values)`, without overflow; −∞ for no values or all −∞.
func logSumExp(_ values: [Double]) -> Double {
  guard let top = values.max(), top > -Double.infinity else { return -Double.infinity }
  var sum = 0.0
  for value in values { sum += exp(value - top) }
  return top + log(sum)
}

/// `log(exp(a) + exp(b))`, without overflow.
func logAddExp(_ a: Double, _ b: Double) -> Double {
  let top = max(a, b)
  guard top > -Double.infinity else { return -Double.infinity }
  return top + log(exp(a - top) + exp(b - top))
}
