import Telemetry

/// What a rule reads from telemetry.
public enum Metric: String, Sendable, Hashable, CaseIterable, Codable {
  /// Errors per session.
  case errorRate
  /// Crashes per session.
  case crashRate
  /// Errors and crashes per session.
  case failureRate
  /// Share of assigned devices that did not report (`OutcomeCounts.silence`).
  case silence
  /// Session latency percentiles, in milliseconds.
  case latencyP50, latencyP95, latencyP99
  /// Raw counts over the rule's range (Unleash's `count` aggregation).
  case sessions, errors, crashes
  /// User reports per install (`OutcomeCounts.reports` over `installs`): what shows a fault that errors
  /// and crashes do not, such as a data loss. Only the treatment installs, so it is read alone (against a
  /// fixed baseline, or a threshold), never against the control. Sequential tests read each window's
  /// installs and the reports about them as they arrive (late pieces); a threshold reads what arrived
  /// since its last read.
  case reports
  /// User reports received, a count, as a dashboard adds them up when they arrive (whatever install they
  /// are about): what pages an on-call human. With count-preserving scaling the counts are real ones.
  case reportCount

  public init(from decoder: any Decoder) throws {
    self = try decodeNamedValue(Metric.self, from: decoder, aliases: ["error-rate": .errorRate, "crash-rate": .crashRate, "failure-rate": .failureRate])
  }

  /// Whether the metric is a Bernoulli rate (events per trial), the input of the sequential tests.
  public var isSessionRate: Bool { events(in: OutcomeCounts()) != nil }

  /// The trials with the event this rate counts; `nil` for metrics that are not rates.
  public func events(in counts: OutcomeCounts) -> UInt64? {
    switch self {
    case .errorRate: return counts.errors
    case .crashRate: return counts.crashes
    case .failureRate: return counts.errors + counts.crashes
    case .reports: return counts.reports
    default: return nil
    }
  }

  /// The trials of a rate: sessions, or installs for `reports`.
  public func trials(in counts: OutcomeCounts) -> UInt64 { self == .reports ? counts.installs : counts.sessions }

  /// How much data a reading rests on, which a rule's `minSample` counts: assigned devices for silence,
  /// installs for reports, sessions otherwise.
  public func sampleSize(_ counts: OutcomeCounts) -> UInt64 {
    switch self {
    case .silence: return counts.devicesAssigned
    case .reports: return counts.installs
    default: return counts.sessions
    }
  }

  /// Whether the control has this metric to compare with: not `reports`, whose installs are all on
  /// the treatment.
  public var hasControl: Bool { self != .reports && self != .reportCount }

  public var needsLatency: Bool {
    switch self {
    case .latencyP50, .latencyP95, .latencyP99: return true
    default: return false
    }
  }

  /// The metric's value on `sample`; `nil` when undefined (a rate without sessions, a percentile without
  /// latency, silence without assigned devices).
  public func value(of sample: ArmSample) -> Double? {
    let counts = sample.counts
    switch self {
    case .errorRate, .crashRate, .failureRate:
      guard counts.sessions > 0, let events = events(in: counts) else { return nil }
      return Double(events) / Double(counts.sessions)
    case .silence:
      return counts.devicesAssigned == 0 ? nil : counts.silence
    case .latencyP50: return sample.latencyMilliseconds(atPercentile: 50)
    case .latencyP95: return sample.latencyMilliseconds(atPercentile: 95)
    case .latencyP99: return sample.latencyMilliseconds(atPercentile: 99)
    case .sessions: return Double(counts.sessions)
    case .errors: return Double(counts.errors)
    case .crashes: return Double(counts.crashes)
    case .reports: return counts.installs == 0 ? nil : counts.reportRate
    case .reportCount: return Double(counts.reports)
    }
  }
}

extension Metric {
  /// The values a threshold on this metric can meaningfully take when compared as `comparison`: rates are
  /// fractions, latencies milliseconds up to an hour, counts up to a trillion, ratios up to a million.
  public func thresholdRange(_ comparison: MetricComparison) -> ClosedRange<Double> {
    let magnitude: Double
    switch self {
    case .errorRate, .crashRate, .failureRate, .silence: magnitude = 1
    case .latencyP50, .latencyP95, .latencyP99: magnitude = 3_600_000
    case .sessions, .errors, .crashes, .reportCount: magnitude = 1e12
    case .reports: magnitude = 1e6
    }
    switch comparison {
    case .absolute: return 0...magnitude
    case .difference: return -magnitude...magnitude
    case .ratio: return 0...1e6
    }
  }

  /// Refuses a threshold outside `thresholdRange`, and a comparison with a control the metric does not have.
  func checkThreshold(_ value: Double, _ comparison: MetricComparison, path: String) throws(PolicyError) {
    if comparison != .absolute && !hasControl {
      throw PolicyError(path: "compare", "\(rawValue) has no control to compare with (only the treatment installs): use compare: absolute")
    }
    let range = thresholdRange(comparison)
    guard value.isFinite, range.contains(value) else {
      let unit = needsLatency ? " milliseconds" : ""
      throw PolicyError(
        path: path,
        "\(formatNumber(value)) is not a threshold for \(rawValue) (\(comparison.rawValue)): expected \(formatNumber(range.lowerBound))...\(formatNumber(range.upperBound))\(unit)")
    }
  }
}

/// How a rule sets the treatment against the control.
public enum MetricComparison: String, Sendable, Hashable, CaseIterable, Codable {
  /// The treatment's value alone.
  case absolute
  /// Treatment minus control.
  case difference
  /// Treatment divided by control.
  case ratio

  public init(from decoder: any Decoder) throws { self = try decodeNamedValue(MetricComparison.self, from: decoder) }
}

/// Which devices a rule reads.
public enum Population: String, Sendable, Hashable, CaseIterable, Codable {
  /// Devices with the flag on (any variant).
  case treatment
  /// Devices with the flag off.
  case control
  /// Everyone: an application-wide metric, as Unleash impact metrics and on-call dashboards see it.
  case all

  public init(from decoder: any Decoder) throws { self = try decodeNamedValue(Population.self, from: decoder) }
}
