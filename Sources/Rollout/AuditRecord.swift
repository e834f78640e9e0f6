import FlagEngine
import Simulation
/// A milestone by position and name. Index -1 is the base state (before the release).
public struct MilestoneReference: Sendable, Hashable, Encodable {
  public var index: Int
  public var name: String

  public init(index: Int, name: String) {
    self.index = index
    self.name = name
  }
}

/// The rule behind a decision: a gate (by kind), a safeguard, an alert, the plan's schedule, or a human.
public struct RuleReference: Sendable, Hashable, Encodable {
  public var name: String
  /// `threshold`, `sprt`, `anytime-valid`, `cusum`, `guard`, `safeguard`, `alert`, `plan`, `human`.
  public var kind: String

  public init(name: String, kind: String) {
    self.name = name
    self.kind = kind
  }
}

/// One gate's reading at a decision.
public struct GateReading: Sendable, Encodable {
  public var rule: RuleReference
  public var verdict: GateVerdict
  public var statistic: Double?
  public var statisticName: String
  public var threshold: Double?
  public var windows: WindowSpan?
  public var detail: String
  /// What the reading compared the treatment with (`none`: the gate could not have seen a regression).
  public var basis: EvidenceBasis

  public init(rule: RuleReference, _ evaluation: GateEvaluation) {
    self.rule = rule
    verdict = evaluation.verdict
    statistic = evaluation.statistic
    statisticName = evaluation.statisticName
    threshold = evaluation.threshold
    windows = evaluation.windows
    detail = evaluation.detail
    basis = evaluation.basis
  }

  enum CodingKeys: String, CodingKey { case rule, verdict, statistic, statisticName, threshold, windows, detail, basis }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(rule, forKey: .rule)
    try container.encode(verdict, forKey: .verdict)
    try container.encode(finite(statistic), forKey: .statistic)
    try container.encode(statisticName, forKey: .statisticName)
    try container.encode(finite(threshold), forKey: .threshold)
    try container.encode(windows.map(AuditWindows.init), forKey: .windows)
    try container.encode(detail, forKey: .detail)
    try container.encode(basis, forKey: .basis)
  }
}

/// One line of `audit.jsonl`: enough to replay why a release advanced, held or stopped.
///
/// `jsonLine()` writes the record with its keys always in this order: `timeSeconds` (simulated seconds
/// since the start, to the microsecond), `policy`, `action`, `milestone` (where the rule was read), `target`
/// (the milestone whose state is published, -1 for the base state), `rule`, `statistic`, `statisticName`,
/// `threshold`, `windows` (`first` and `last` window index, `startSeconds` of the first and `endSeconds` of
/// the last), `reason`, `evaluations` (every gate's reading at this decision, with `basis`: what it
/// compared the treatment with, `control`, `before-after`, `baseline`, `absolute` or `none`). Absent values are `null`;
/// numbers are shortest round-trip, every digit kept. Times carry their unit in their name; the reasons,
/// for people, round them (`ReadableText`).
public struct AuditRecord: Sendable, Encodable {
  /// When the decision takes effect.
  public var time: SimulatedTime
  public var policy: String
  public var action: Action
  public var milestone: MilestoneReference?
  public var target: MilestoneReference?
  public var rule: RuleReference?
  public var statistic: Double?
  public var statisticName: String?
  public var threshold: Double?
  public var windows: WindowSpan?
  /// A short sentence for a human reader.
  public var reason: String
  public var evaluations: [GateReading]

  public init(
    time: SimulatedTime, policy: String, action: Action, milestone: MilestoneReference?, target: MilestoneReference? = nil,
    rule: RuleReference? = nil, statistic: Double? = nil, statisticName: String? = nil, threshold: Double? = nil,
    windows: WindowSpan? = nil, reason: String, evaluations: [GateReading] = []
  ) {
    self.time = time
    self.policy = policy
    self.action = action
    self.milestone = milestone
    self.target = target
    self.rule = rule
    self.statistic = statistic
    self.statisticName = statisticName
    self.threshold = threshold
    self.windows = windows
    self.reason = reason
    self.evaluations = evaluations
  }

  enum CodingKeys: String, CodingKey {
    case timeSeconds, policy, action, milestone, target, rule, statistic, statisticName, threshold, windows, reason, evaluations
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(time.seconds, forKey: .timeSeconds)
    try container.encode(policy, forKey: .policy)
    try container.encode(action, forKey: .action)
    try container.encode(milestone, forKey: .milestone)
    try container.encode(target, forKey: .target)
    try container.encode(rule, forKey: .rule)
    try container.encode(finite(statistic), forKey: .statistic)
    try container.encode(statisticName, forKey: .statisticName)
    try container.encode(finite(threshold), forKey: .threshold)
    try container.encode(windows.map(AuditWindows.init), forKey: .windows)
    try container.encode(reason, forKey: .reason)
    try container.encode(evaluations, forKey: .evaluations)
  }

  /// The milestone a reader associates with the decision: the one it publishes (advance, roll back; `base`
  /// for the base state), else the one in effect when it was taken; `nil` for a kill, which publishes no
  /// milestone, and before the release started.
  public var milestoneName: String? {
    if let target { return target.name }
    if action == .kill { return nil }
    guard let milestone, milestone.index >= 0 else { return nil }
    return milestone.name
  }

  /// The record as one line of JSON (no trailing newline), keys in the documented order, numbers exact.
  public func jsonLine() -> String { jsonValue.compact }

  /// The record as JSON.
  public var jsonValue: JSONValue {
    .object([
      ("timeSeconds", .exactNumber(time.seconds)),
      ("policy", .string(policy)),
      ("action", .string(action.rawValue)),
      ("milestone", Self.json(milestone)),
      ("target", Self.json(target)),
      ("rule", Self.json(rule)),
      ("statistic", Self.json(statistic)),
      ("statisticName", statisticName.map(JSONValue.string) ?? .null),
      ("threshold", Self.json(threshold)),
      ("windows", Self.json(windows)),
      ("reason", .string(reason)),
      ("evaluations", .array(evaluations.map { reading in
        .object([
          ("rule", Self.json(reading.rule)),
          ("verdict", .string(reading.verdict.rawValue)),
          ("statistic", Self.json(reading.statistic)),
          ("statisticName", .string(reading.statisticName)),
          ("threshold", Self.json(reading.threshold)),
          ("windows", Self.json(reading.windows)),
          ("detail", .string(reading.detail)),
          ("basis", .string(reading.basis.rawValue)),
        ])
      })),
    ])
  }

  static func json(_ value: Double?) -> JSONValue { value.map(JSONValue.exactNumber) ?? .null }

  static func json(_ value: MilestoneReference?) -> JSONValue {
    value.map { .object([("index", .int($0.index)), ("name", .string($0.name))]) } ?? .null
  }

  static func json(_ value: RuleReference?) -> JSONValue {
    value.map { .object([("name", .string($0.name)), ("kind", .string($0.kind))]) } ?? .null
  }

  static func json(_ value: WindowSpan?) -> JSONValue {
    value.map {
      .object([
        ("first", .int($0.first)), ("last", .int($0.last)), ("startSeconds", .exactNumber($0.start.seconds)),
        ("endSeconds", .exactNumber($0.end.seconds)),
      ])
    } ?? .null
  }
}

/// A window span as the audit writes it: times in seconds, named so.
struct AuditWindows: Encodable {
  var first: Int
  var last: Int
  var startSeconds: Double
  var endSeconds: Double

  init(_ span: WindowSpan) {
    first = span.first
    last = span.last
    startSeconds = span.start.seconds
    endSeconds = span.end.seconds
  }
}

func finite(_ value: Double?) -> Double? {
  guard let value, value.isFinite else { return nil }
  return value
}

/// Shortest round-trip text of a number, integers without a fraction: stable across runs, for audit lines.
func formatNumber(_ value: Double) -> String {
  if value.isNaN { return "NaN" }
  if value.isInfinite { return value > 0 ? "inf" : "-inf" }
  if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
  return "\(value)"
}
