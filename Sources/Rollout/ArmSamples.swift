import Telemetry

/// What one side of a release reported over some windows.
public struct ArmSample: Sendable {
  public var counts = OutcomeCounts()
  /// Present when the reader asked for latency.
  public var latency: LatencyHistogram?

  public init(counts: OutcomeCounts = OutcomeCounts(), latency: LatencyHistogram? = nil) {
    self.counts = counts
    self.latency = latency
  }

  public mutating func add(_ other: ArmSample) {
    counts += other.counts
    if let otherLatency = other.latency {
      if latency == nil { latency = LatencyHistogram() }
      latency!.merge(otherLatency)
    }
  }

  mutating func add(_ cell: TelemetryWindow.Cell, latency withLatency: Bool) {
    counts += cell.counts
    if withLatency {
      if latency == nil { latency = LatencyHistogram() }
      latency!.merge(cell.latency)
    }
  }

  func latencyMilliseconds(atPercentile percentile: Double) -> Double? {
    guard let latency, latency.count > 0 else { return nil }
    return Double(latency.milliseconds(atPercentile: percentile))
  }
}

/// Treatment and control side by side, read from one or more windows.
public struct ArmSamples: Sendable {
  public var treatment = ArmSample()
  public var control = ArmSample()

  public init(treatment: ArmSample = ArmSample(), control: ArmSample = ArmSample()) {
    self.treatment = treatment
    self.control = control
  }

  /// The cells of `window` in `cohorts` (all when `nil`), split by arm. Latency histograms are merged only
  /// when asked for.
  public init(_ window: TelemetryWindow, cohorts: Set<UInt16>? = nil, latency: Bool = false) {
    for (key, cell) in window.cells where cohorts?.contains(key.cohort) ?? true {
      if key.arm.isTreatment {
        treatment.add(cell, latency: latency)
      } else {
        control.add(cell, latency: latency)
      }
    }
  }

  public mutating func add(_ other: ArmSamples) {
    treatment.add(other.treatment)
    control.add(other.control)
  }

  public func sample(_ population: Population) -> ArmSample {
    switch population {
    case .treatment: return treatment
    case .control: return control
    case .all:
      var all = treatment
      all.add(control)
      return all
    }
  }

  /// `metric` of the treatment, compared with the control as `comparison` says; `nil` when undefined.
  public func value(_ metric: Metric, _ comparison: MetricComparison, population: Population = .treatment) -> Double? {
    guard let value = metric.value(of: sample(population)) else { return nil }
    switch comparison {
    case .absolute: return value
    case .difference:
      guard let control = metric.value(of: control) else { return nil }
      return value - control
    case .ratio:
      guard let control = metric.value(of: control), control > 0 else { return nil }
      return value / control
    }
  }
}
