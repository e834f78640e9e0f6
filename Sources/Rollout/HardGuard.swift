import Simulation
import Telemetry

/// A hard guard: the treatment's metric crosses a line in `windows` consecutive windows and the gate fails
/// at once (by default killing the flag). Crash rate above X, or silence: devices that stop reporting
/// (`metric: silence`, best compared with the control as a `difference`, since some devices are always
/// offline).
///
/// A window with fewer than `minSample` treatment sessions (assigned treatment devices, for silence) is
/// skipped: it neither breaks nor extends a streak. A comparison matches each cohort and region with its
/// own control, or, where none is left (a region released whole, everyone at 100%), with its own control
/// before (`stratifiedValue`), so that a guard keeps watching after the last milestone.
public struct HardGuard: Gate {
  public let name: String
  public var kind: GateKind { .guard }
  public let activity: GateActivity
  public let onFail: Action
  public let metric: Metric
  public let comparison: MetricComparison
  public let cohorts: Set<UInt16>?
  /// The condition that trips the guard, such as `> 0.02`.
  public let trip: Condition
  public let minSample: UInt64
  public let windows: Int

  public private(set) var streak = 0
  var span: WindowSpan?
  var last: GateEvaluation?
  var reference: ControlReference
  public private(set) var tripped = false

  public init(
    name: String, activity: GateActivity = .always, onFail: Action = .kill, metric: Metric = .crashRate,
    comparison: MetricComparison = .absolute, cohorts: Set<UInt16>? = nil, trip: Condition, minSample: UInt64 = 100,
    windows: Int = 1
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.comparison = comparison
    self.cohorts = cohorts
    self.trip = trip
    self.minSample = minSample
    self.windows = windows
    reference = ControlReference(keepsLatency: metric.needsLatency && comparison != .absolute)
  }

  /// A human resumed: if this guard had tripped, it starts counting again.
  public mutating func resume(at time: SimulatedTime) {
    guard tripped else { return }
    streak = 0
    span = nil
    tripped = false
    last = nil
  }

  var valueName: String {
    switch comparison {
    case .absolute: return metric.rawValue
    case .difference: return "\(metric.rawValue) minus control"
    case .ratio: return "\(metric.rawValue) over control"
    }
  }

  public mutating func observe(_ read: TelemetryRead, context: GateContext) -> GateEvaluation? {
    // What arrived since the last read, as a dashboard shows it: late crash reports count now.
    let window = read.merged()
    let samples = window.stratifiedSamples(cohorts: cohorts, latency: metric.needsLatency, targeting: context.targeting)
    defer { if comparison != .absolute { reference.record(samples) } }
    guard activity.isActive(in: context.phase) else { return nil }
    if tripped, let last { return last }
    let size = samples.values.reduce(0) { $0 + metric.sampleSize($1.treatment.counts) }
    let (value, basis) = size >= minSample ? stratifiedValue(metric, comparison, samples: samples, reference: reference) : (nil, .none)
    guard let value else {
      let detail =
        size < minSample
        ? "not enough treatment data in window \(window.index) (\(ReadableText.count(size)), \(ReadableText.count(minSample)) needed)"
        : "nothing to compare the treatment with in window \(window.index): no control and no control before"
      return GateEvaluation(
        verdict: .pass, statistic: nil, statisticName: valueName, threshold: trip.threshold, windows: nil, detail: detail, basis: .none)
    }
    if trip.holds(value) {
      streak += 1
      span = WindowSpan.extend(span, window)
    } else {
      streak = 0
      span = nil
    }
    tripped = streak >= windows
    let before = basis == .beforeAfter ? " (against the strata's control before)" : ""
    let evaluation = GateEvaluation(
      verdict: tripped ? .fail : .pass, statistic: value, statisticName: valueName, threshold: trip.threshold,
      windows: span ?? WindowSpan(window),
      detail:
        "\(ReadableText.name(metric, comparison)) \(ReadableText.value(value, of: metric, comparison))\(before) in window \(window.index)"
        + "\(trip.holds(value) ? "" : " does not meet") \(ReadableText.condition(trip, of: metric, comparison))"
        + (windows > 1 ? "; \(streak) of \(windows) consecutive windows" : ""),
      basis: basis)
    last = evaluation
    return evaluation
  }
}
