import Foundation
import Telemetry

/// An anytime-valid sequential test of treatment against control: a mixture likelihood ratio (mixture
/// SPRT) of the conditional binomial, as an e-process.
///
/// In each window (and each cohort, when stratified) let the treatment have `x` events in `n_t` sessions and
/// the control `y` in `n_c`, and `m = x + y`. If the treatment's rate is `r` times the control's, then given
/// `m`, `x` is approximately Binomial(m, θ_r) with `θ_r = r·n_t / (r·n_t + n_c)`. The likelihood ratio of
/// `r` against `r = 1` is `r^x · ((n_t + n_c) / (r·n_t + n_c))^m`. The test multiplies these ratios over
/// windows and strata for each `r` on a grid (log-spaced from `minimumEffect` to `maximumEffect`, equal
/// weights) and averages over the grid: `E = Σ_r w_r Π LR_r`.
///
/// Under H0 (the treatment is no worse: `r ≤ 1`) every product is a non-negative supermartingale: with
/// exactly equal rates, `x` given `m` is hypergeometric, which Hoeffding (1963) showed is smaller than the
/// binomial in convex order, so `E[r^x]` is at most the binomial value that makes the ratio's mean 1; with
/// a lower treatment rate the mean is lower still. By Ville's inequality `P(sup E ≥ 1/α) ≤ α`: the gate
/// fails when `E ≥ 1/α`, at any window, however often it is looked at, and whatever the allocation of
/// devices to arms (milestones change it) as long as it depends only on the past.
///
/// The test runs across milestones without restarting. It never accepts: the gate passes while `E` stays
/// below `1/α`. Strata without both arms or without events carry no information and are skipped.
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
  /// Compare treatment with control within each cohort (true) or pooled (false).
  public let stratify: Bool

  /// Log of each ratio's likelihood product.
  var logProducts: [Double]
  let logRatios: [Double]
  public private(set) var rejected = false
  /// Events that fell into informative strata, and how many of them in the treatment.
  public private(set) var informativeEvents: UInt64 = 0
  public private(set) var treatmentEvents: UInt64 = 0
  public private(set) var treatmentSessions: UInt64 = 0
  public private(set) var controlSessions: UInt64 = 0
  var span: WindowSpan?

  public init(
    name: String, activity: GateActivity = .rollout, onFail: Action = .rollBack, metric: Metric = .errorRate,
    cohorts: Set<UInt16>? = nil, alpha: Double = 0.05, minimumEffect: Double = 1.1, maximumEffect: Double = 10,
    gridSize: Int = 12, stratify: Bool = true
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.cohorts = cohorts
    self.alpha = alpha
    self.stratify = stratify
    let count = max(gridSize, 1)
    if count == 1 || minimumEffect == maximumEffect {
      ratios = [minimumEffect]
    } else {
      let step = log(maximumEffect / minimumEffect) / Double(count - 1)
      ratios = (0..<count).map { minimumEffect * exp(Double($0) * step) }
    }
    logRatios = ratios.map { log($0) }
    logProducts = Array(repeating: 0, count: ratios.count)
  }

  /// A human resumed: if this test had rejected, a new test starts (a new e-process, valid on its own);
  /// otherwise the evidence so far is kept.
  public mutating func resume(at time: Int64) {
    guard rejected else { return }
    rejected = false
    logProducts = Array(repeating: 0, count: ratios.count)
    informativeEvents = 0
    treatmentEvents = 0
    treatmentSessions = 0
    controlSessions = 0
    span = nil
  }

  /// log E, the log of the mixture e-value.
  public var logEValue: Double {
    let logWeight = -log(Double(ratios.count))
    let top = logProducts.max() ?? 0
    var sum = 0.0
    for value in logProducts { sum += exp(value - top) }
    return top + log(sum) + logWeight
  }

  public var eValue: Double { exp(min(logEValue, 700)) }
  public var rejectionThreshold: Double { 1 / alpha }

  public mutating func observe(_ window: TelemetryWindow, context: GateContext) -> GateEvaluation? {
    guard activity.isActive(in: context.phase) else { return nil }
    guard !rejected else { return evaluation }
    // Strata in cohort order, so that floating-point sums do not depend on dictionary order.
    var strata: [UInt16: (nt: UInt64, x: UInt64, nc: UInt64, y: UInt64)] = [:]
    for (key, cell) in window.cells where cohorts?.contains(key.cohort) ?? true {
      let stratum: UInt16 = stratify ? key.cohort : 0
      var entry = strata[stratum] ?? (0, 0, 0, 0)
      let events = metric.events(in: cell.counts) ?? 0
      if key.arm.isTreatment {
        entry.nt += cell.counts.sessions
        entry.x += events
      } else {
        entry.nc += cell.counts.sessions
        entry.y += events
      }
      strata[stratum] = entry
    }
    for stratum in strata.keys.sorted() {
      let (nt, x, nc, y) = strata[stratum]!
      treatmentSessions += nt
      controlSessions += nc
      let m = x + y
      guard nt > 0, nc > 0, m > 0 else { continue }
      informativeEvents += m
      treatmentEvents += x
      span = WindowSpan.extend(span, window)
      let total = Double(nt + nc)
      for index in ratios.indices {
        logProducts[index] += Double(x) * logRatios[index] + Double(m) * log(total / (ratios[index] * Double(nt) + Double(nc)))
      }
    }
    if logEValue >= log(rejectionThreshold) { rejected = true }
    return evaluation
  }

  var evaluation: GateEvaluation {
    let e = eValue
    let share = informativeEvents == 0 ? 0 : Double(treatmentEvents) / Double(informativeEvents)
    let observed =
      "\(ReadableText.count(treatmentEvents)) of \(ReadableText.count(informativeEvents)) comparable events in the treatment "
      + "(\(ReadableText.percent(share))); \(ReadableText.count(treatmentSessions)) treatment and \(ReadableText.count(controlSessions)) control sessions"
    let detail =
      rejected
      ? "treatment worse than control: e-value \(ReadableText.number(e)) >= \(ReadableText.number(rejectionThreshold)); \(observed)"
      : "no evidence against the treatment: e-value \(ReadableText.number(e)) < \(ReadableText.number(rejectionThreshold)); \(observed)"
    return GateEvaluation(
      verdict: rejected ? .fail : .pass, statistic: e, statisticName: "e-value", threshold: rejectionThreshold, windows: span,
      detail: detail)
  }
}
