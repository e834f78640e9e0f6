import Foundation
import Telemetry

/// The before of a before/after comparison: what each stratum's control group showed, from the first window
/// a gate saw (windows before the release included) until the stratum had no control left.
///
/// A gate falls back to it for a stratum that has treatment but no control in a window: a cohort or a
/// region released whole, everyone at 100%, the holdout released. Two things separate the before from
/// the after besides the flag: chance (the before is an estimate) and drift (base rates wander from day to
/// day; Fleet's `baseline.noise` is the log-normal sigma of a region's error rate from one day to the
/// next). The statistical gates therefore test the treatment against a ceiling: an upper confidence bound
/// on the stratum's rate before (Poisson, one-sided 1 − 10⁻⁴, Wilson and Hilferty's approximation), times
/// the drift allowance `exp(4·√2·drift)`, four standard deviations of the log ratio of two days' drifts
/// (1.76 at drift 0.1). Two days' drifts differ by more with probability 3·10⁻⁵ per region and day, and
/// the bound fails with probability 10⁻⁴ per stratum, both small beside a gate's α; the price is that
/// a regression smaller than the ceiling cannot be told from drift by a before/after comparison.
struct ControlReference: Sendable {
  private(set) var counts: [Stratum: OutcomeCounts] = [:]
  private(set) var latency: [Stratum: LatencyHistogram] = [:]
  let keepsLatency: Bool

  init(keepsLatency: Bool = false) {
    self.keepsLatency = keepsLatency
  }

  /// Adds the control of each stratum that has one.
  mutating func record(_ strata: [StratumCounts]) {
    for entry in strata where entry.control.sessions > 0 || entry.control.devicesAssigned > 0 {
      counts[entry.stratum, default: OutcomeCounts()] += entry.control
    }
  }

  /// Adds the control of each stratum that has one, with its latency when this reference keeps it.
  mutating func record(_ samples: [Stratum: ArmSamples]) {
    for (stratum, sample) in samples where sample.control.counts.sessions > 0 || sample.control.counts.devicesAssigned > 0 {
      counts[stratum, default: OutcomeCounts()] += sample.control.counts
      if keepsLatency, let histogram = sample.control.latency {
        latency[stratum, default: LatencyHistogram()].merge(histogram)
      }
    }
  }

  /// The stratum's control before, as a sample.
  func sample(_ stratum: Stratum) -> ArmSample? {
    guard let counts = counts[stratum] else { return nil }
    return ArmSample(counts: counts, latency: keepsLatency ? latency[stratum] : nil)
  }

  /// The rate a statistical gate holds the treatment of `stratum` against when the stratum has no control:
  /// `nil` without a before.
  func ceiling(_ stratum: Stratum, metric: Metric, drift: Double) -> Double? {
    guard let counts = counts[stratum], counts.sessions > 0, let events = metric.events(in: counts) else { return nil }
    return Self.ceiling(events: events, sessions: counts.sessions, drift: drift)
  }

  /// z of the one-sided 1 − 10⁻⁴ bound.
  static let boundZ = 3.719_016
  /// Standard deviations of the log ratio of two days' drifts that the allowance covers.
  static let driftDeviations = 4.0

  /// `events` in `sessions`: the Poisson upper bound times the drift allowance, at most just below 1.
  static func ceiling(events: UInt64, sessions: UInt64, drift: Double) -> Double {
    let y = Double(events) + 1
    let cube = 1 - 1 / (9 * y) + boundZ / (3 * y.squareRoot())
    let upper = y * cube * cube * cube / Double(sessions)
    return min(upper * driftAllowance(drift), 0.999_999)
  }

  /// The factor by which a stratum's base rate may differ from one day to another: `exp(4·√2·drift)`.
  static func driftAllowance(_ drift: Double) -> Double { exp(driftDeviations * 2.0.squareRoot() * drift) }
}

/// `metric` of the treatment in `samples`, set against the control as `comparison` says, stratum by
/// stratum: each stratum where the treatment has data is matched with its own control in the samples, or,
/// without one, with its before in `reference`, or, without either, with the other strata's control
/// pooled (a canary ring released at once has neither: it is set against the rest, as Argo Rollouts and
/// Flagger set a canary against the stable version). Rates and silence are standardised to the
/// treatment's make-up (each matched control weighted by the treatment's sessions, or assigned devices,
/// in its stratum), so that a cohort released alone is compared with itself where it can be; latency
/// percentiles read the matched controls' merged histograms; counts compare with the concurrent
/// controls' sums. Returns `nil` when the treatment has no value or no stratum could be matched.
func stratifiedValue(
  _ metric: Metric, _ comparison: MetricComparison, samples: [Stratum: ArmSamples], reference: ControlReference?
) -> (value: Double?, basis: EvidenceBasis) {
  var treatment = ArmSample()
  for stratum in samples.keys.sorted() { treatment.add(samples[stratum]!.treatment) }
  guard let treated = metric.value(of: treatment) else { return (nil, .none) }
  if comparison == .absolute { return (treated, .absolute) }

  func size(_ sample: ArmSample) -> UInt64 { metric.sampleSize(sample.counts) }
  var pooled = ArmSample()
  for stratum in samples.keys.sorted() where size(samples[stratum]!.control) > 0 { pooled.add(samples[stratum]!.control) }
  if metric == .sessions || metric == .errors || metric == .crashes {
    // Counts: against the concurrent control's sum, as they were always read.
    guard size(pooled) > 0, let controlValue = metric.value(of: pooled) else { return (nil, .none) }
    switch comparison {
    case .absolute: return (treated, .absolute)
    case .difference: return (treated - controlValue, .control)
    case .ratio: return controlValue > 0 ? (treated / controlValue, .control) : (nil, .none)
    }
  }
  var weighted = 0.0
  var weights = 0.0
  var merged = ArmSample()
  var matched = false
  var usedBefore = false
  for stratum in samples.keys.sorted() {
    let sample = samples[stratum]!
    let weight = Double(size(sample.treatment))
    guard weight > 0 else { continue }
    var control: ArmSample
    if size(sample.control) > 0 {
      control = sample.control
    } else if let before = reference?.sample(stratum), size(before) > 0 {
      control = before
      usedBefore = true
    } else if size(pooled) > 0 {
      control = pooled
    } else {
      continue
    }
    switch metric {
    case .errorRate, .crashRate, .failureRate, .silence:
      guard let value = metric.value(of: control) else { continue }
      weighted += weight * value
      weights += weight
    default:
      merged.add(control)
    }
    matched = true
  }
  guard matched else { return (nil, .none) }
  let controlValue: Double?
  switch metric {
  case .errorRate, .crashRate, .failureRate, .silence: controlValue = weights > 0 ? weighted / weights : nil
  default: controlValue = metric.value(of: merged)
  }
  guard let controlValue else { return (nil, .none) }
  let basis: EvidenceBasis = usedBefore ? .beforeAfter : .control
  switch comparison {
  case .absolute: return (treated, .absolute)
  case .difference: return (treated - controlValue, basis)
  case .ratio: return controlValue > 0 ? (treated / controlValue, basis) : (nil, .none)
  }
}
