import Simulation
import Telemetry

/// Fixed thresholds counted over measurements, with the counting of Argo Rollouts or of Flagger.
///
/// A measurement reads the windows since the previous measurement (one window when `interval` is zero,
/// else at the first window end at least `interval` after the previous measurement) and computes
/// `metric` of the treatment, alone or compared with the control (`compare: difference | ratio`). A
/// comparison matches each cohort and region with its own control, and one that has none left (released
/// whole, everyone at 100%) with its own control before: see `stratifiedValue`. Fixed thresholds do not
/// allow for drift: the threshold is the margin.
///
/// **Argo Rollouts** (`semantics: argo`), as `analysis/analysis.go` in argoproj/argo-rollouts counts:
/// - A measurement is *Successful*, *Failed*, *Inconclusive* or *Error*. With only `success`, a measurement
///   that does not meet it failed; with only `failure`, one that does not meet it succeeded; with both,
///   `failure` wins and a measurement meeting neither is inconclusive. A measurement without data (fewer
///   than `minSample` treatment sessions) is an Error: the provider returned nothing.
/// - Successful, Failed and Inconclusive measurements increase `count` and reset the consecutive-error
///   counter; an Error increases it and does not count.
/// - After each measurement the metric is assessed, in this order: `failed > failureLimit` → Failed;
///   `inconclusive > inconclusiveLimit` → Inconclusive; `consecutiveErrors > consecutiveErrorLimit` →
///   Error; `count` set and reached → Successful; else still Running. Defaults: failureLimit 0,
///   inconclusiveLimit 0, consecutiveErrorLimit 4, no count.
/// - A completed assessment is final for the run. The rollout aborts on Failed or Error (the gate fails),
///   pauses on Inconclusive (the gate pauses), and a step proceeds once its analysis is Successful. A run
///   without `count` runs in the background: it never succeeds, it only may fail, so it does not block.
/// - Each milestone starts a new AnalysisRun (a step analysis), and so does a human resuming a pause.
///
/// **Flagger** (`semantics: flagger`), as `pkg/controller/scheduler.go` in fluxcd/flagger counts:
/// - At each tick (measurement), first: if `failedChecks >= maxFailedChecks` (Flagger's
///   `analysis.threshold`, default 1) the canary is rolled back, before anything is measured.
/// - Otherwise every metric is checked against `thresholdRange` (`min`, `max`); a value outside it, or no
///   value at all ("no values found"), fails the check: `failedChecks` grows by one and advancement halts
///   for this tick. A passing check lets the canary advance.
/// - `failedChecks` is never reset by a passing check; it lives for the whole release (here: unless a
///   human resumes a release this gate stopped).
public struct ThresholdGate: Gate {
  public enum Semantics: String, Sendable, Hashable, CaseIterable, Codable {
    case argo, flagger
    public init(from decoder: any Decoder) throws { self = try decodeNamedValue(Semantics.self, from: decoder) }
  }

  /// Argo's measurement phases and the AnalysisRun's.
  public enum Phase: String, Sendable, Hashable {
    case running, successful, failed, inconclusive, error
  }

  /// Argo's per-metric counters (`MetricResult`).
  public struct Counters: Sendable, Hashable {
    public var count = 0
    public var successful = 0
    public var failed = 0
    public var inconclusive = 0
    public var error = 0
    public var consecutiveError = 0
  }

  public let name: String
  public var kind: GateKind { .threshold }
  public let activity: GateActivity
  public let onFail: Action
  public let semantics: Semantics
  public let metric: Metric
  public let comparison: MetricComparison
  public let cohorts: Set<UInt16>?
  /// Argo's successCondition and failureCondition.
  public let success: Condition?
  public let failure: Condition?
  /// Flagger's thresholdRange.
  public let minimum: Double?
  public let maximum: Double?
  public let failureLimit: Int
  public let inconclusiveLimit: Int
  public let consecutiveErrorLimit: Int
  public let count: Int?
  public let maxFailedChecks: Int
  /// Time between measurements; zero measures every window.
  public let interval: SimulatedTime
  /// Treatment sessions a measurement needs; fewer is "no data".
  public let minSample: UInt64

  public private(set) var counters = Counters()
  public private(set) var phase = Phase.running
  public private(set) var failedChecks = 0
  var pending: [Stratum: ArmSamples] = [:]
  var reference: ControlReference
  var pendingSpan: WindowSpan?
  var lastMeasurementEnd: SimulatedTime?
  var last: GateEvaluation?

  public init(
    name: String, activity: GateActivity = .rollout, onFail: Action = .rollBack, semantics: Semantics = .argo,
    metric: Metric = .errorRate, comparison: MetricComparison = .absolute, cohorts: Set<UInt16>? = nil,
    success: Condition? = nil, failure: Condition? = nil, minimum: Double? = nil, maximum: Double? = nil,
    failureLimit: Int = 0, inconclusiveLimit: Int = 0, consecutiveErrorLimit: Int = 4, count: Int? = nil,
    maxFailedChecks: Int = 1, interval: TimeSpan = .zero, minSample: UInt64 = 1
  ) {
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.semantics = semantics
    self.metric = metric
    self.comparison = comparison
    self.cohorts = cohorts
    self.success = success
    self.failure = failure
    self.minimum = minimum
    self.maximum = maximum
    self.failureLimit = failureLimit
    self.inconclusiveLimit = inconclusiveLimit
    self.consecutiveErrorLimit = consecutiveErrorLimit
    self.count = count
    self.maxFailedChecks = maxFailedChecks
    self.interval = interval
    self.minSample = minSample
    reference = ControlReference(keepsLatency: metric.needsLatency && comparison != .absolute)
  }

  public mutating func beginMilestone(_ index: Int, at time: SimulatedTime) {
    if semantics == .argo { startNewRun() }
  }

  /// Argo: a new run. Flagger: a human overriding a failed canary starts its count of failed checks over.
  public mutating func resume(at time: SimulatedTime) {
    if semantics == .argo {
      startNewRun()
    } else if failedChecks >= maxFailedChecks {
      failedChecks = 0
      last = nil
    }
  }

  mutating func startNewRun() {
    counters = Counters()
    phase = .running
    pending = [:]
    pendingSpan = nil
    lastMeasurementEnd = nil
    last = nil
  }

  public mutating func observe(_ read: TelemetryRead, context: GateContext) -> GateEvaluation? {
    // What arrived since the last read, as a metrics query sees it; while rolling out, only what belongs
    // to the milestone's windows.
    let window = read.merged(since: activity == .rollout ? context.milestoneStart : .min)
    let samples = window.stratifiedSamples(cohorts: cohorts, latency: metric.needsLatency, targeting: context.targeting)
    defer { if comparison != .absolute { reference.record(samples) } }
    guard activity.isActive(in: context.phase) else { return nil }
    if semantics == .argo, phase != .running, var last {
      // A completed analysis: a successful one no longer watches.
      if phase == .successful { last.basis = .none }
      return last
    }
    if activity == .rollout, window.start < context.milestoneStart {
      // The window began under the previous milestone: it says nothing about this one.
      return last ?? GateEvaluation(
        verdict: semantics == .argo && count != nil ? .inconclusive : .pass, statistic: nil, statisticName: metric.rawValue,
        threshold: nil, windows: nil, detail: "waiting for the first window of the milestone", basis: .none)
    }
    for (stratum, sample) in samples { pending[stratum, default: ArmSamples()].add(sample) }
    pendingSpan = WindowSpan.extend(pendingSpan, window)
    if let lastMeasurementEnd, window.end - lastMeasurementEnd < interval, let last { return last }
    let measured = pending
    let span = pendingSpan
    pending = [:]
    pendingSpan = nil
    lastMeasurementEnd = window.end
    let evaluation = semantics == .argo ? measureArgo(measured, span) : measureFlagger(measured, span)
    last = evaluation
    return evaluation
  }

  /// The measured value, or `nil` when the measurement has no data; and what it was compared with.
  func value(_ samples: [Stratum: ArmSamples]) -> (value: Double?, basis: EvidenceBasis) {
    guard treatmentSessions(samples) >= minSample else { return (nil, .none) }
    return stratifiedValue(metric, comparison, samples: samples, reference: reference)
  }

  func treatmentSessions(_ samples: [Stratum: ArmSamples]) -> UInt64 {
    samples.values.reduce(0) { $0 + metric.sampleSize($1.treatment.counts) }
  }

  var valueName: String {
    switch comparison {
    case .absolute: return metric.rawValue
    case .difference: return "\(metric.rawValue) minus control"
    case .ratio: return "\(metric.rawValue) over control"
    }
  }

  /// What the gate reads and its readings, for details.
  var readableName: String { ReadableText.name(metric, comparison) }
  func readable(_ value: Double) -> String { ReadableText.value(value, of: metric, comparison) }
  func readable(_ condition: Condition) -> String { ReadableText.condition(condition, of: metric, comparison) }

  // MARK: Argo

  /// One measurement's phase from the conditions (Argo's `EvaluateResult`).
  func measurementPhase(_ value: Double?) -> Phase {
    guard let value else { return .error }
    let successHolds = success?.holds(value)
    let failureHolds = failure?.holds(value)
    switch (successHolds, failureHolds) {
    case (nil, nil): return .successful
    case (let s?, nil): return s ? .successful : .failed
    case (nil, let f?): return f ? .failed : .successful
    case (let s?, let f?): return f ? .failed : (s ? .successful : .inconclusive)
    }
  }

  mutating func measureArgo(_ samples: [Stratum: ArmSamples], _ span: WindowSpan?) -> GateEvaluation {
    let (value, basis) = value(samples)
    let measured = measurementPhase(value)
    switch measured {
    case .successful: counters.successful += 1; counters.count += 1; counters.consecutiveError = 0
    case .failed: counters.failed += 1; counters.count += 1; counters.consecutiveError = 0
    case .inconclusive: counters.inconclusive += 1; counters.count += 1; counters.consecutiveError = 0
    case .error, .running: counters.error += 1; counters.consecutiveError += 1
    }
    // assessMetricStatus, in Argo's order.
    let statistic: Double?
    let threshold: Double?
    let statisticName: String
    if counters.failed > failureLimit {
      phase = .failed
      (statistic, threshold, statisticName) = (Double(counters.failed), Double(failureLimit), "failed measurements")
    } else if counters.inconclusive > inconclusiveLimit {
      phase = .inconclusive
      (statistic, threshold, statisticName) = (Double(counters.inconclusive), Double(inconclusiveLimit), "inconclusive measurements")
    } else if counters.consecutiveError > consecutiveErrorLimit {
      phase = .error
      (statistic, threshold, statisticName) = (Double(counters.consecutiveError), Double(consecutiveErrorLimit), "consecutive errors")
    } else if let count, counters.count >= count {
      phase = .successful
      (statistic, threshold, statisticName) = (Double(counters.count), Double(count), "measurements")
    } else {
      phase = .running
      (statistic, threshold, statisticName) = (value, failure?.threshold ?? success?.threshold, valueName)
    }
    let verdict: GateVerdict
    switch phase {
    case .running: verdict = count == nil ? .pass : .inconclusive
    case .successful: verdict = .pass
    case .failed, .error: verdict = .fail
    case .inconclusive: verdict = .pause
    }
    let reading =
      value.map { "\(readableName) \(readable($0))" }
      ?? "no data (\(ReadableText.count(treatmentSessions(samples))) treatment sessions, \(ReadableText.count(minSample)) needed)"
    let tally =
      "count \(counters.count)\(count.map { "/\($0)" } ?? ""), failed \(counters.failed)/\(failureLimit), inconclusive \(counters.inconclusive)/\(inconclusiveLimit), consecutive errors \(counters.consecutiveError)/\(consecutiveErrorLimit)"
    let conditions = [success.map { "success \(readable($0))" }, failure.map { "failure \(readable($0))" }].compactMap { $0 }.joined(separator: ", ")
    let before = basis == .beforeAfter ? " against the strata's control before" : ""
    let detail = "measurement \(measured.rawValue): \(reading)\(before)\(conditions.isEmpty ? "" : " (\(conditions))"); analysis \(phase.rawValue): \(tally)"
    let warning = phase == .running && measured != .successful ? detail : nil
    return GateEvaluation(
      verdict: verdict, statistic: statistic, statisticName: statisticName, threshold: threshold, windows: span, detail: detail,
      warning: warning, basis: basis)
  }

  // MARK: Flagger

  mutating func measureFlagger(_ samples: [Stratum: ArmSamples], _ span: WindowSpan?) -> GateEvaluation {
    if failedChecks >= maxFailedChecks {
      return GateEvaluation(
        verdict: .fail, statistic: Double(failedChecks), statisticName: "failed checks", threshold: Double(maxFailedChecks),
        windows: span, detail: "failed checks threshold reached: \(failedChecks) >= \(maxFailedChecks)",
        basis: comparison == .absolute ? .absolute : .control)
    }
    let (value, basis) = value(samples)
    let before = basis == .beforeAfter ? " against the strata's control before" : ""
    let range = "[\(minimum.map(readable) ?? "-inf"), \(maximum.map(readable) ?? "inf")]"
    var failed = value == nil
    if let value {
      if let minimum, value < minimum { failed = true }
      if let maximum, value > maximum { failed = true }
    }
    if failed {
      failedChecks += 1
      let reading =
        value.map { "\(readableName) \(readable($0))\(before) outside \(range)" }
        ?? "no values found (\(ReadableText.count(treatmentSessions(samples))) treatment sessions)"
      let detail = "check failed: \(reading); failed checks \(failedChecks)/\(maxFailedChecks)"
      return GateEvaluation(
        verdict: .inconclusive, statistic: value, statisticName: valueName, threshold: maximum ?? minimum, windows: span,
        detail: detail, warning: detail, basis: basis)
    }
    return GateEvaluation(
      verdict: .pass, statistic: value, statisticName: valueName, threshold: maximum ?? minimum, windows: span,
      detail: "check passed: \(readableName) \(readable(value!))\(before) within \(range); failed checks \(failedChecks)/\(maxFailedChecks)",
      basis: basis)
  }
}
