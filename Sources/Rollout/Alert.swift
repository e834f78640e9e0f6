import Simulation
import Telemetry

/// An on-call alert: what a dashboard pages a human on. It fires when `condition` has held in every
/// window for `for` (Prometheus' `for`: at least that long since the first breaching window began),
/// and fires again only after a window without the breach. Firing is detection only: the page goes to
/// `onCall`, who acts after a response time.
///
///     alerts:
///       - {name: error-rate-page, metric: errorRate, condition: "> 0.02", for: 10m}
public struct AlertDefinition: Sendable, Decodable {
  /// Default `alert` with its position.
  public var name: String?
  /// Default `errorRate`.
  public var metric: Metric
  /// Default `all`: dashboards show the application, not the flag's arms.
  public var population: Population
  /// Default `absolute`.
  public var compare: MetricComparison
  public var condition: Condition
  public var `for`: TimeSpan
  /// Sessions (assigned devices, for silence) a window needs to be read. Default 100.
  public var minSample: UInt64

  public init(
    name: String? = nil, metric: Metric = .errorRate, population: Population = .all, compare: MetricComparison = .absolute,
    condition: Condition, for duration: TimeSpan = .zero, minSample: UInt64 = 100
  ) {
    self.name = name
    self.metric = metric
    self.population = population
    self.compare = compare
    self.condition = condition
    self.for = duration
    self.minSample = minSample
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case name, metric, population, compare, condition, `for`, minSample }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try c.decodeIfPresent(String.self, forKey: .name), metric: try c.decodeIfPresent(Metric.self, forKey: .metric) ?? .errorRate,
      population: try c.decodeIfPresent(Population.self, forKey: .population) ?? .all,
      compare: try c.decodeIfPresent(MetricComparison.self, forKey: .compare) ?? .absolute,
      condition: try c.decode(Condition.self, forKey: .condition), for: try c.decodeIfPresent(TimeSpan.self, forKey: .for) ?? .zero,
      minSample: try c.decodeIfPresent(UInt64.self, forKey: .minSample) ?? 100)
  }

  func makeRule(position: Int) throws(PolicyError) -> AlertRule {
    try metric.checkThreshold(condition.threshold, compare, path: "condition")
    try checkSample(minSample, "minSample")
    if compare != .absolute, population != .treatment {
      throw PolicyError(path: "compare", "comparing with the control needs population: treatment")
    }
    return AlertRule(definition: self, name: name ?? "alert-\(position + 1)")
  }
}

/// An alert at run time.
struct AlertRule: Sendable {
  let definition: AlertDefinition
  let name: String
  var breachStart: SimulatedTime?
  var breachSpan: WindowSpan?
  var fired = false
  /// Whether the last window read had enough data for a value.
  var readable = false

  init(definition: AlertDefinition, name: String) {
    self.definition = definition
    self.name = name
  }

  var reference: RuleReference { RuleReference(name: name, kind: "alert") }

  /// Reads one window; returns the firing when the alert fires at this window.
  mutating func observe(_ record: WindowRecord) -> (value: Double, span: WindowSpan, detail: String)? {
    let sample = record.samples.sample(definition.population)
    let size = definition.metric.sampleSize(sample.counts)
    readable = false
    guard size >= definition.minSample,
      let value = definition.compare == .absolute
        ? definition.metric.value(of: sample) : record.samples.value(definition.metric, definition.compare)
    else { return nil }
    readable = true
    guard definition.condition.holds(value) else {
      breachStart = nil
      breachSpan = nil
      fired = false
      return nil
    }
    if breachStart == nil { breachStart = record.span.start }
    breachSpan = WindowSpan(
      first: breachSpan?.first ?? record.span.first, last: record.span.last, start: breachSpan?.start ?? record.span.start,
      end: record.span.end)
    guard !fired, record.span.end - breachStart! >= definition.for else { return nil }
    fired = true
    return (
      value, breachSpan!,
      "\(ReadableText.name(definition.metric, definition.compare, of: definition.population)) "
        + "\(ReadableText.value(value, of: definition.metric, definition.compare)) "
        + "\(ReadableText.condition(definition.condition, of: definition.metric, definition.compare)) in the windows from "
        + "\(ReadableText.clock(breachSpan!.start)) to \(ReadableText.clock(breachSpan!.end)) "
        + "(for \(ReadableText.duration(definition.for)))"
    )
  }
}
