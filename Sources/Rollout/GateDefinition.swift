import Telemetry
/// One gate, as a scenario writes it. `kind` chooses the gate; the other fields have defaults, and a field
/// that does not apply to the kind is refused.
///
///     - {kind: threshold, metric: errorRate, success: "<= 0.02", failure: "> 0.05", failureLimit: 2, count: 6}
///     - {kind: threshold, semantics: flagger, metric: errorRate, thresholdRange: {max: 0.02}, maxFailedChecks: 3}
///     - {kind: sprt, metric: errorRate, effect: 2, alpha: 0.05, beta: 0.2}
///     - {kind: anytime-valid, metric: failureRate, alpha: 0.05}
///     - {kind: cusum, metric: errorRate, arl0: 30d}
///     - {kind: guard, metric: crashRate, threshold: 0.02}
///     - {kind: guard, metric: silence, compare: difference, threshold: 0.1, windows: 2}
public struct GateDefinition: Sendable, Decodable {
  /// Default: the kind's name. Names must be unique within a policy.
  public var name: String?
  public var kind: GateKind
  /// Default `crashRate` for guards, `errorRate` otherwise.
  public var metric: Metric?
  /// Cohorts the gate reads (all by default).
  public var cohorts: [String]?
  /// Default `monitoring` for cusum, `always` for anytime-valid and guards, `rollout` otherwise.
  public var during: GateActivity?
  /// `pause`, `rollBack` or `kill`. Default `kill` for cusum and guards, `rollBack` otherwise.
  public var onFail: Action?
  /// threshold, guard: how the treatment is set against the control. Default `absolute`.
  public var compare: MetricComparison?

  // threshold
  public var semantics: ThresholdGate.Semantics?
  public var success: Condition?
  public var failure: Condition?
  public var interval: TimeSpan?
  public var count: Int?
  public var failureLimit: Int?
  public var inconclusiveLimit: Int?
  public var consecutiveErrorLimit: Int?
  public var thresholdRange: ThresholdRange?
  public var maxFailedChecks: Int?
  /// threshold: treatment sessions a measurement needs (default 1); guard: per window (default 100).
  public var minSample: UInt64?

  // sprt, cusum
  /// A fixed baseline rate: a one-sample test against it instead of the treatment against the control.
  public var baseline: Double?
  public var alternative: Double?
  /// The rate ratio of the alternative hypothesis. Default 2.
  public var effect: Double?
  /// sprt, anytime-valid: the false-alarm budget of the whole release. Default 0.05.
  public var alpha: Double?
  public var beta: Double?
  /// cusum: the decision interval h; guard: trips when the value is above it.
  public var threshold: Double?
  /// cusum: the average time between false alarms wanted, from which h follows. Default 30d.
  public var arl0: TimeSpan?
  /// sprt, anytime-valid, cusum: the log-normal sigma of the day-to-day drift of a stratum's base rate
  /// that a before/after comparison allows for. Default 0.1.
  public var drift: Double?

  /// sprt on `reports`: how long after its window an install waits for its reports before it counts.
  public var wait: TimeSpan?

  // anytime-valid
  public var minimumEffect: Double?
  public var maximumEffect: Double?
  public var stratify: Bool?

  // guard
  public var windows: Int?

  /// Flagger's `thresholdRange`.
  public struct ThresholdRange: Sendable, Hashable, Decodable {
    public var min: Double?
    public var max: Double?
    public init(min: Double? = nil, max: Double? = nil) {
      self.min = min
      self.max = max
    }
    enum CodingKeys: String, CodingKey, CaseIterable { case min, max }
    public init(from decoder: any Decoder) throws {
      try decoder.rejectUnknownKeys(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(min: try c.decodeIfPresent(Double.self, forKey: .min), max: try c.decodeIfPresent(Double.self, forKey: .max))
    }
  }

  public init(name: String? = nil, kind: GateKind) {
    self.name = name
    self.kind = kind
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, kind, metric, cohorts, during, onFail, compare
    case semantics, success, failure, interval, count, failureLimit, inconclusiveLimit, consecutiveErrorLimit, thresholdRange
    case maxFailedChecks, minSample, baseline, alternative, effect, alpha, beta, threshold, arl0, drift, minimumEffect, maximumEffect
    case stratify, windows, wait
  }

  static let common: Set<CodingKeys> = [.name, .kind, .metric, .cohorts, .during, .onFail]
  static let fields: [GateKind: Set<CodingKeys>] = [
    .threshold: [
      .compare, .semantics, .success, .failure, .interval, .count, .failureLimit, .inconclusiveLimit, .consecutiveErrorLimit,
      .thresholdRange, .maxFailedChecks, .minSample,
    ],
    .sprt: [.baseline, .alternative, .effect, .alpha, .beta, .drift, .wait],
    .anytimeValid: [.alpha, .minimumEffect, .maximumEffect, .stratify, .drift],
    .cusum: [.baseline, .alternative, .effect, .threshold, .arl0, .drift],
    .guard: [.compare, .threshold, .failure, .minSample, .windows],
  ]

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decode(GateKind.self, forKey: .kind)
    let allowed = Self.common.union(Self.fields[kind] ?? [])
    for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key) {
      throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(key.stringValue)' does not apply to a \(kind.rawValue) gate")
    }
    name = try c.decodeIfPresent(String.self, forKey: .name)
    metric = try c.decodeIfPresent(Metric.self, forKey: .metric)
    cohorts = try c.decodeIfPresent([String].self, forKey: .cohorts)
    during = try c.decodeIfPresent(GateActivity.self, forKey: .during)
    onFail = try c.decodeIfPresent(Action.self, forKey: .onFail)
    compare = try c.decodeIfPresent(MetricComparison.self, forKey: .compare)
    semantics = try c.decodeIfPresent(ThresholdGate.Semantics.self, forKey: .semantics)
    success = try c.decodeIfPresent(Condition.self, forKey: .success)
    failure = try c.decodeIfPresent(Condition.self, forKey: .failure)
    interval = try c.decodeIfPresent(TimeSpan.self, forKey: .interval)
    count = try c.decodeIfPresent(Int.self, forKey: .count)
    failureLimit = try c.decodeIfPresent(Int.self, forKey: .failureLimit)
    inconclusiveLimit = try c.decodeIfPresent(Int.self, forKey: .inconclusiveLimit)
    consecutiveErrorLimit = try c.decodeIfPresent(Int.self, forKey: .consecutiveErrorLimit)
    thresholdRange = try c.decodeIfPresent(ThresholdRange.self, forKey: .thresholdRange)
    maxFailedChecks = try c.decodeIfPresent(Int.self, forKey: .maxFailedChecks)
    minSample = try c.decodeIfPresent(UInt64.self, forKey: .minSample)
    baseline = try c.decodeIfPresent(Double.self, forKey: .baseline)
    alternative = try c.decodeIfPresent(Double.self, forKey: .alternative)
    effect = try c.decodeIfPresent(Double.self, forKey: .effect)
    alpha = try c.decodeIfPresent(Double.self, forKey: .alpha)
    beta = try c.decodeIfPresent(Double.self, forKey: .beta)
    threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
    arl0 = try c.decodeIfPresent(TimeSpan.self, forKey: .arl0)
    drift = try c.decodeIfPresent(Double.self, forKey: .drift)
    minimumEffect = try c.decodeIfPresent(Double.self, forKey: .minimumEffect)
    maximumEffect = try c.decodeIfPresent(Double.self, forKey: .maximumEffect)
    stratify = try c.decodeIfPresent(Bool.self, forKey: .stratify)
    windows = try c.decodeIfPresent(Int.self, forKey: .windows)
    wait = try c.decodeIfPresent(TimeSpan.self, forKey: .wait)
  }

  /// The gate, checked against the subject. Errors name fields relative to the gate.
  public func makeGate(subject: ReleaseSubject) throws(PolicyError) -> any Gate {
    let name = self.name ?? kind.rawValue
    guard !name.isEmpty else { throw PolicyError(path: "name", "must not be empty") }
    let cohorts = try cohortSet(self.cohorts, subject: subject, path: "cohorts")
    let onFail = self.onFail ?? ((kind == .cusum || kind == .guard) ? .kill : .rollBack)
    guard [.pause, .rollBack, .kill].contains(onFail) else {
      throw PolicyError(path: "onFail", "must be pause, rollBack or kill, found \(onFail.rawValue)")
    }
    let metric = self.metric ?? (kind == .guard ? .crashRate : .errorRate)
    if [.sprt, .anytimeValid, .cusum].contains(kind), !metric.isSessionRate {
      throw PolicyError(path: "metric", "a \(kind.rawValue) gate tests a rate: errorRate, crashRate, failureRate or reports, found \(metric.rawValue)")
    }
    if !metric.hasControl {
      if kind == .anytimeValid {
        throw PolicyError(path: "metric", "an anytime-valid gate compares with the control, which has no \(metric.rawValue); use sprt or cusum with a fixed baseline")
      }
      if (kind == .sprt || kind == .cusum) && baseline == nil {
        throw PolicyError(
          path: "baseline", "a \(kind.rawValue) gate on \(metric.rawValue) needs a fixed baseline (reports per install without a fault, as the scenario's baseline.reportRate): the control has no installs to compare with")
      }
    }
    let compare = self.compare ?? .absolute
    switch kind {
    case .threshold:
      let semantics = self.semantics ?? .argo
      let argoFields: [(String, Bool)] = [
        ("success", success != nil), ("failure", failure != nil), ("count", count != nil), ("failureLimit", failureLimit != nil),
        ("inconclusiveLimit", inconclusiveLimit != nil), ("consecutiveErrorLimit", consecutiveErrorLimit != nil),
      ]
      let flaggerFields: [(String, Bool)] = [("thresholdRange", thresholdRange != nil), ("maxFailedChecks", maxFailedChecks != nil)]
      for (field, present) in semantics == .argo ? flaggerFields : argoFields where present {
        throw PolicyError(path: field, "does not apply to \(semantics.rawValue) semantics")
      }
      for (field, condition) in [("success", success), ("failure", failure)] {
        if let condition { try metric.checkThreshold(condition.threshold, compare, path: field) }
      }
      if let low = thresholdRange?.min { try metric.checkThreshold(low, compare, path: "thresholdRange.min") }
      if let high = thresholdRange?.max { try metric.checkThreshold(high, compare, path: "thresholdRange.max") }
      if semantics == .flagger {
        guard let range = thresholdRange, range.min != nil || range.max != nil else {
          throw PolicyError(path: "thresholdRange", "a flagger check needs thresholdRange with min, max or both")
        }
        if let low = range.min, let high = range.max, low > high {
          throw PolicyError(path: "thresholdRange", "min (\(formatNumber(low))) is above max (\(formatNumber(high)))")
        }
      } else if success == nil && failure == nil {
        throw PolicyError(path: "", "an argo threshold gate needs success, failure or both")
      }
      for (field, value) in [("failureLimit", failureLimit), ("inconclusiveLimit", inconclusiveLimit), ("consecutiveErrorLimit", consecutiveErrorLimit)] {
        if let value, !(0...100_000).contains(value) { throw PolicyError(path: field, "\(value) is not a number of measurements in 0...100000") }
      }
      if let count, !(1...100_000).contains(count) { throw PolicyError(path: "count", "\(count) is not a number of measurements in 1...100000") }
      if let maxFailedChecks, !(1...100_000).contains(maxFailedChecks) {
        throw PolicyError(path: "maxFailedChecks", "\(maxFailedChecks) is not a number of checks in 1...100000")
      }
      if let interval, interval > .days(31) { throw PolicyError(path: "interval", "\(interval) is not a duration in 0s...31d") }
      if let minSample { try checkSample(minSample, "minSample") }
      return ThresholdGate(
        name: name, activity: during ?? .rollout, onFail: onFail, semantics: semantics, metric: metric, comparison: compare,
        cohorts: cohorts, success: success, failure: failure, minimum: thresholdRange?.min, maximum: thresholdRange?.max,
        failureLimit: failureLimit ?? 0, inconclusiveLimit: inconclusiveLimit ?? 0, consecutiveErrorLimit: consecutiveErrorLimit ?? 4,
        count: count, maxFailedChecks: maxFailedChecks ?? 1, interval: interval ?? .zero, minSample: minSample ?? 1)
    case .sprt:
      let alpha = try probability(self.alpha ?? 0.05, "alpha")
      let beta = try probability(self.beta ?? 0.2, "beta")
      guard alpha + beta < 1 else { throw PolicyError(path: "beta", "alpha + beta must be below 1") }
      try checkRates()
      if metric == .reports && wait == nil {
        throw PolicyError(
          path: "wait", "an sprt gate on reports needs wait: how long after an install its reports are waited for before it counts "
            + "(most of the report delay, e.g. 3d); counted at once, the installs would pass the test before any report came")
      }
      if let wait {
        guard metric == .reports else { throw PolicyError(path: "wait", "applies to metric reports only (the other metrics arrive with their sessions)") }
        guard (TimeSpan.zero...TimeSpan.days(31)).contains(wait) else { throw PolicyError(path: "wait", "\(wait) is not a duration in 0s...31d") }
      }
      return SequentialProbabilityRatioTest(
        name: name, activity: during ?? .rollout, onFail: onFail, metric: metric, cohorts: cohorts, baseline: baseline,
        alternative: alternative, effect: effect ?? 2, alpha: alpha, beta: beta, drift: try checkedDrift(), wait: wait ?? .zero)
    case .anytimeValid:
      let alpha = try probability(self.alpha ?? 0.05, "alpha")
      let low = minimumEffect ?? 1.1
      let high = maximumEffect ?? 10
      guard high <= 1e6 else { throw PolicyError(path: "maximumEffect", "\(formatNumber(high)) is not a rate ratio in (1, 1000000]") }
      guard low.isFinite, low > 1 else { throw PolicyError(path: "minimumEffect", "must be above 1 (a rate ratio), found \(formatNumber(low))") }
      guard high.isFinite, high >= low else { throw PolicyError(path: "maximumEffect", "must be at least minimumEffect, found \(formatNumber(high))") }
      return AnytimeValidTest(
        name: name, activity: during ?? .always, onFail: onFail, metric: metric, cohorts: cohorts, alpha: alpha, minimumEffect: low,
        maximumEffect: high, stratify: stratify ?? true, drift: try checkedDrift())
    case .cusum:
      try checkRates()
      if let h = threshold {
        guard h.isFinite, h > 0, h <= 1e6 else { throw PolicyError(path: "threshold", "\(formatNumber(h)) is not a decision interval h in (0, 1000000]") }
        if arl0 != nil { throw PolicyError(path: "arl0", "give threshold (h) or arl0, not both") }
      }
      if let arl0, !(TimeSpan.minutes(1)...TimeSpan.days(3650)).contains(arl0) {
        throw PolicyError(path: "arl0", "\(arl0) is not a run length in 1m...3650d")
      }
      return CUSUM(
        name: name, activity: during ?? .monitoring, onFail: onFail, metric: metric, cohorts: cohorts, baseline: baseline,
        alternative: alternative, effect: effect ?? 2, threshold: threshold, arl0: arl0, drift: try checkedDrift())
    case .guard:
      let trip: Condition
      switch (threshold, failure) {
      case (let value?, nil): trip = Condition(.greater, value)
      case (nil, let condition?): trip = condition
      case (nil, nil): throw PolicyError(path: "threshold", "a guard needs a threshold (or a failure condition)")
      case (_?, _?): throw PolicyError(path: "failure", "give threshold or failure, not both")
      }
      try metric.checkThreshold(trip.threshold, compare, path: threshold != nil ? "threshold" : "failure")
      let windows = self.windows ?? 1
      guard (1...10_000).contains(windows) else { throw PolicyError(path: "windows", "\(windows) is not a number of windows in 1...10000") }
      if let minSample { try checkSample(minSample, "minSample") }
      return HardGuard(
        name: name, activity: during ?? .always, onFail: onFail, metric: metric, comparison: compare, cohorts: cohorts, trip: trip,
        minSample: minSample ?? 100, windows: windows)
    }
  }

  func checkedDrift() throws(PolicyError) -> Double {
    let value = drift ?? 0.1
    guard value.isFinite, (0...2).contains(value) else { throw PolicyError(path: "drift", "\(formatNumber(value)) is not a log-normal sigma in 0...2") }
    return value
  }

  func probability(_ value: Double, _ field: String) throws(PolicyError) -> Double {
    guard value.isFinite, value > 0, value < 1 else { throw PolicyError(path: field, "must be between 0 and 1 (exclusive), found \(formatNumber(value))") }
    return value
  }

  func checkRates() throws(PolicyError) {
    if let baseline { _ = try probability(baseline, "baseline") }
    if let alternative {
      _ = try probability(alternative, "alternative")
      if let baseline, alternative <= baseline {
        throw PolicyError(path: "alternative", "must be above the baseline (\(formatNumber(alternative)) <= \(formatNumber(baseline)))")
      }
      if effect != nil { throw PolicyError(path: "effect", "give alternative or effect, not both") }
    }
    if let effect, !(effect.isFinite && effect > 1 && effect <= 1e6) {
      throw PolicyError(path: "effect", "must be above 1 (the alternative rate over the baseline), found \(formatNumber(effect))")
    }
    if alternative != nil && baseline == nil {
      throw PolicyError(path: "alternative", "a fixed alternative needs a fixed baseline; without one, give effect (the rate ratio against the control)")
    }
  }
}
