import Simulation
import Telemetry

/// A safeguard as Unleash defines one for a release plan: an impact metric read over a time range, a
/// trigger condition (an operator and a threshold), and an action: pause the plan's progression
/// (`pause`, Unleash's `pauseReleasePlanProgressions`) or disable the flag (`disable`, Unleash's
/// `disableFeatureEnvironment`).
///
/// Unleash impact metrics are application-wide unless filtered, so the default population is `all`:
/// at 1% exposure a regression of the treatment moves the metric by 1% of its size, as it would in
/// production. Unleash's time ranges `hour`, `day`, `week` and `month` are accepted, and so is any span.
///
///     safeguards:
///       - {metric: errorRate, operator: ">", threshold: 0.05, timeRange: hour, action: pause}
///       - {metric: crashRate, population: treatment, operator: ">", threshold: 0.01, timeRange: 15m, action: disable}
public struct SafeguardDefinition: Sendable, Decodable {
  /// Default `safeguard` with its position.
  public var name: String?
  public var metric: Metric
  public var population: Population
  /// Default `>`.
  public var `operator`: ComparisonOperator
  public var threshold: Double
  /// The span read back from each window's end. Default one hour.
  public var timeRange: TimeSpan
  /// `pause` or `disable` (a kill). Default `pause`.
  public var action: Action
  /// Sessions (assigned devices, for silence) the range needs before the safeguard reads it. Default 1.
  public var minSample: UInt64

  public init(
    name: String? = nil, metric: Metric, population: Population = .all, operator: ComparisonOperator = .greater, threshold: Double,
    timeRange: TimeSpan = .hours(1), action: Action = .pause, minSample: UInt64 = 1
  ) {
    self.name = name
    self.metric = metric
    self.population = population
    self.operator = `operator`
    self.threshold = threshold
    self.timeRange = timeRange
    self.action = action
    self.minSample = minSample
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case name, metric, population, `operator`, threshold, timeRange, action, minSample }

  static let ranges: [String: TimeSpan] = ["hour": .hours(1), "day": .days(1), "week": .days(7), "month": .days(30)]

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name)
    metric = try c.decode(Metric.self, forKey: .metric)
    population = try c.decodeIfPresent(Population.self, forKey: .population) ?? .all
    `operator` = try c.decodeIfPresent(ComparisonOperator.self, forKey: .operator) ?? .greater
    threshold = try c.decode(Double.self, forKey: .threshold)
    if let text = try? c.decodeIfPresent(String.self, forKey: .timeRange), let range = Self.ranges[text] {
      timeRange = range
    } else {
      timeRange = try c.decodeIfPresent(TimeSpan.self, forKey: .timeRange) ?? .hours(1)
    }
    if let text = try? c.decodeIfPresent(String.self, forKey: .action) {
      switch text {
      case "pause", "pauseReleasePlanProgressions": action = .pause
      case "disable", "kill", "disableFeatureEnvironment": action = .kill
      default:
        throw DecodingError.dataCorruptedError(
          forKey: .action, in: c, debugDescription: "unknown action '\(text)'; expected pause or disable")
      }
    } else {
      action = .pause
    }
    minSample = try c.decodeIfPresent(UInt64.self, forKey: .minSample) ?? 1
  }

  func makeRule(position: Int) throws(PolicyError) -> SafeguardRule {
    try metric.checkThreshold(threshold, .absolute, path: "threshold")
    guard timeRange >= .seconds(1), timeRange <= .days(31) else { throw PolicyError(path: "timeRange", "\(timeRange) is not a duration in 1s...31d") }
    try checkSample(minSample, "minSample")
    guard action == .pause || action == .kill else { throw PolicyError(path: "action", "must be pause or disable") }
    return SafeguardRule(definition: self, name: name ?? "safeguard-\(position + 1)")
  }
}

/// A safeguard at run time.
struct SafeguardRule: Sendable {
  let definition: SafeguardDefinition
  let name: String

  var reference: RuleReference { RuleReference(name: name, kind: "safeguard") }

  /// The metric over the windows that end within the time range before `now`, and whether it triggers.
  func evaluate(_ history: ArraySlice<WindowRecord>, now: SimulatedTime) -> (triggered: Bool, value: Double?, span: WindowSpan?, detail: String) {
    var sample = ArmSample()
    var span: WindowSpan?
    for record in history.reversed() {
      guard record.span.start >= now - definition.timeRange else { break }
      sample.add(record.samples.sample(definition.population))
      span = span.map { WindowSpan(first: record.span.first, last: $0.last, start: record.span.start, end: $0.end) } ?? record.span
    }
    let size = definition.metric.sampleSize(sample.counts)
    let what =
      "\(ReadableText.name(definition.metric, .absolute, of: definition.population)) over the last "
      + ReadableText.duration(definition.timeRange)
    guard size >= definition.minSample, let value = definition.metric.value(of: sample) else {
      return (false, nil, span, "\(what): not enough data (\(ReadableText.count(size)), \(ReadableText.count(definition.minSample)) needed)")
    }
    let triggered = definition.operator.holds(value, definition.threshold)
    return (
      triggered, value, span,
      "\(what) is \(ReadableText.value(value, of: definition.metric)), \(triggered ? "" : "not ")\(definition.operator.rawValue) "
        + ReadableText.value(definition.threshold, of: definition.metric)
    )
  }
}
