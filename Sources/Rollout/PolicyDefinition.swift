import Simulation
import Telemetry
/// The kinds of release policy.
public enum PolicyKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// Everything at once; recovery only by humans (alerts, on-call response, kill switch or fix).
  case bigBang = "big-bang"
  /// Unleash's release template: percentage steps, each "proceed after" an interval; no health checks.
  case timeRamp = "time-ramp"
  /// Milestones (cohorts and percentages), each with a dwell, a minimum sample and gates.
  case releasePlan = "release-plan"
  /// Rings of hosts, each with a bake time and a health gate (config pushes, content updates).
  case stagedPush = "staged-push"

  public init(from decoder: any Decoder) throws {
    self = try decodeNamedValue(
      PolicyKind.self, from: decoder,
      aliases: ["bigBang": .bigBang, "timeRamp": .timeRamp, "releasePlan": .releasePlan, "stagedPush": .stagedPush])
  }
}

/// Where a roll back goes.
public enum RollBackTarget: String, Sendable, Hashable, CaseIterable, Codable {
  /// The previous milestone's state (the base state from the first milestone).
  case previous
  /// The base state: the release is undone.
  case base

  public init(from decoder: any Decoder) throws { self = try decodeNamedValue(RollBackTarget.self, from: decoder) }
}

/// Configuration of one policy, as a scenario names it. Every field but `name` and `kind` has a default.
///
///     - name: guarded
///       kind: release-plan
///       milestones:
///         - {cohorts: [internal], minDwell: 30m, minSample: 500}
///         - {cohorts: [beta], minDwell: 1h}
///         - {rollout: 1, minDwell: 1h, minSample: 2000}
///         - {rollout: 10, minDwell: 2h}
///         - {rollout: 50, minDwell: 2h}
///         - {rollout: 100, minDwell: 1h}
///       gates:
///         - {kind: anytime-valid, metric: failureRate, alpha: 0.05}
///         - {kind: guard, metric: crashRate, threshold: 0.02}
///       safeguards:
///         - {metric: errorRate, operator: ">", threshold: 0.05, timeRange: hour, action: pause}
///       onCall: {responseTime: {distribution: lognormal, median: 20m, sigma: 0.8}, onPause: judge}
public struct PolicyDefinition: Sendable, Decodable {
  public var name: String
  public var kind: PolicyKind
  /// Free text for reports.
  public var description: String?

  // The plan.
  /// `release-plan`: the milestones, in order. Required for that kind.
  public var milestones: [MilestoneDefinition]
  /// `time-ramp`: percentages, increasing. Default 25, 50, 75, 100.
  public var steps: [Int]
  /// `time-ramp`: "proceed after" this long at each step. Default 30m.
  public var interval: TimeSpan
  /// `staged-push`: the rings, in order. Required for that kind.
  public var rings: [RingDefinition]
  /// `staged-push`: the context property naming a device's ring. Default `cohort`, so that rings are cohorts
  /// and telemetry is split by ring.
  public var ringProperty: String
  /// `staged-push`: the bake time of a ring that does not set its own. Default 1h.
  public var bake: TimeSpan
  /// The context property naming a device's cohort. Default `cohort`.
  public var cohortProperty: String
  /// The context property naming a device's region, for milestones' `regions`. Default `region`.
  public var regionProperty: String
  /// The groupId of percentage rollouts: the same for every milestone, so that a device inside 10% is
  /// inside 50%. Default: the flag's name (Unleash's default).
  public var groupId: String?
  /// Stickiness of percentage rollouts. Default `default` (userId, then sessionId, then random).
  public var stickiness: String
  /// Whether each milestone keeps the previous milestones' strategies (so nobody who had the feature loses
  /// it). Default true.
  public var cumulative: Bool
  /// Where `rollBack` goes. Default `previous`.
  public var rollBackTo: RollBackTarget
  /// `release-plan`, `staged-push`: devices kept off until `bake` after the last milestone. Default none.
  public var holdout: HoldoutDefinition?
  /// In a release of a regenerated artifact (the scenario's `release.every`): check each generation
  /// before releasing it, and release none that fails (a validation of the file, as Cloudflare chose to
  /// harden its generated configuration files); the plan goes on with the generation it had. Which bad
  /// generations a check rejects is the fault's (`generations.invalid`). Default false.
  public var validate: Bool

  // The rules.
  public var gates: [GateDefinition]
  public var safeguards: [SafeguardDefinition]
  public var alerts: [AlertDefinition]
  public var onCall: HumanResponse

  public init(
    name: String, kind: PolicyKind, milestones: [MilestoneDefinition] = [], steps: [Int] = [25, 50, 75, 100],
    interval: TimeSpan = .minutes(30), rings: [RingDefinition] = [], ringProperty: String = "cohort", bake: TimeSpan = .hours(1),
    cohortProperty: String = "cohort", regionProperty: String = "region", groupId: String? = nil, stickiness: String = "default",
    cumulative: Bool = true, rollBackTo: RollBackTarget = .previous, holdout: HoldoutDefinition? = nil, validate: Bool = false,
    gates: [GateDefinition] = [], safeguards: [SafeguardDefinition] = [], alerts: [AlertDefinition] = [],
    onCall: HumanResponse = HumanResponse()
  ) {
    self.validate = validate
    self.name = name
    self.kind = kind
    self.milestones = milestones
    self.steps = steps
    self.interval = interval
    self.rings = rings
    self.ringProperty = ringProperty
    self.bake = bake
    self.cohortProperty = cohortProperty
    self.regionProperty = regionProperty
    self.groupId = groupId
    self.stickiness = stickiness
    self.cumulative = cumulative
    self.rollBackTo = rollBackTo
    self.holdout = holdout
    self.gates = gates
    self.safeguards = safeguards
    self.alerts = alerts
    self.onCall = onCall
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, kind, description, milestones, steps, interval, rings, ringProperty, bake, cohortProperty, regionProperty, groupId
    case stickiness, cumulative, rollBackTo, holdout, validate, gates, safeguards, alerts, onCall
  }

  /// Fields of a policy that the scenario reads itself, not Rollout: `retry`, how the fleet's SDKs would
  /// retry in this policy's run (a what-if of the delivery path, which is no business of the controller's),
  /// and `startsAtArrivalOf`, the fault whose trigger the policy releases (faults are the scenario's).
  public static let fieldsReadByTheScenario: Set<String> = ["retry", "startsAtArrivalOf"]

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self, allowing: Self.fieldsReadByTheScenario)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(name: try c.decode(String.self, forKey: .name), kind: try c.decode(PolicyKind.self, forKey: .kind))
    description = try c.decodeIfPresent(String.self, forKey: .description)
    milestones = try c.decodeIfPresent([MilestoneDefinition].self, forKey: .milestones) ?? milestones
    steps = try c.decodeIfPresent([Int].self, forKey: .steps) ?? steps
    interval = try c.decodeIfPresent(TimeSpan.self, forKey: .interval) ?? interval
    rings = try c.decodeIfPresent([RingDefinition].self, forKey: .rings) ?? rings
    ringProperty = try c.decodeIfPresent(String.self, forKey: .ringProperty) ?? ringProperty
    bake = try c.decodeIfPresent(TimeSpan.self, forKey: .bake) ?? bake
    cohortProperty = try c.decodeIfPresent(String.self, forKey: .cohortProperty) ?? cohortProperty
    regionProperty = try c.decodeIfPresent(String.self, forKey: .regionProperty) ?? regionProperty
    groupId = try c.decodeIfPresent(String.self, forKey: .groupId)
    stickiness = try c.decodeIfPresent(String.self, forKey: .stickiness) ?? stickiness
    cumulative = try c.decodeIfPresent(Bool.self, forKey: .cumulative) ?? cumulative
    rollBackTo = try c.decodeIfPresent(RollBackTarget.self, forKey: .rollBackTo) ?? rollBackTo
    holdout = try c.decodeIfPresent(HoldoutDefinition.self, forKey: .holdout)
    validate = try c.decodeIfPresent(Bool.self, forKey: .validate) ?? false
    gates = try c.decodeIfPresent([GateDefinition].self, forKey: .gates) ?? []
    safeguards = try c.decodeIfPresent([SafeguardDefinition].self, forKey: .safeguards) ?? []
    alerts = try c.decodeIfPresent([AlertDefinition].self, forKey: .alerts) ?? []
    onCall = try c.decodeIfPresent(HumanResponse.self, forKey: .onCall) ?? onCall
    // Fields that belong to another kind are refused, so that a plan does not silently ignore half of itself.
    let foreign: [(CodingKeys, Set<PolicyKind>)] = [
      (.milestones, [.releasePlan]), (.steps, [.timeRamp]), (.interval, [.timeRamp]), (.rings, [.stagedPush]),
      (.ringProperty, [.stagedPush]), (.bake, [.stagedPush]), (.cumulative, [.releasePlan]), (.regionProperty, [.releasePlan]),
      (.holdout, [.releasePlan, .stagedPush]),
      (.gates, [.releasePlan, .stagedPush]), (.safeguards, [.timeRamp, .releasePlan, .stagedPush]),
    ]
    for (key, kinds) in foreign where c.contains(key) && !kinds.contains(kind) {
      let owners = kinds.map(\.rawValue).sorted().joined(separator: ", ")
      let hint =
        key == .gates || key == .safeguards
        ? " (a \(kind.rawValue) release has no automated health checks: use alerts and onCall, or a release-plan)" : ""
      throw DecodingError.dataCorruptedError(
        forKey: key, in: c, debugDescription: "'\(key.stringValue)' applies to \(owners), not \(kind.rawValue)\(hint)")
    }
  }
}

extension PolicyDefinition {
  /// Whether the policy reaches its final audience in more than one step: a plan of several milestones, a
  /// push of several rings, a ramp of several steps. A big-bang, or a plan with one milestone, is not
  /// staged (a holdout aside: it is the same everyone at once, less a share kept off).
  public var isStaged: Bool {
    switch kind {
    case .bigBang: return false
    case .timeRamp: return steps.count > 1
    case .releasePlan: return milestones.count > 1
    case .stagedPush: return rings.count > 1
    }
  }

  /// Whether machines watch the release: gates or safeguards that act without waiting for a human.
  /// Alerts only page one.
  public var isGuarded: Bool { !gates.isEmpty || !safeguards.isEmpty }
}
