import FlagEngine
import Simulation
import Telemetry

/// One milestone of a release plan, as a scenario writes it.
///
/// The audience is either shorthand, `cohorts`, `regions` and/or `rollout`, which become one
/// `flexibleRollout` strategy (`rollout`% of the devices, default 100, with the policy's stable groupId,
/// constrained to `cohort IN cohorts` and `region IN regions` when they are given), or explicit Unleash
/// `strategies`.
///
///     - {name: internal, cohorts: [internal], minDwell: 30m, minSample: 500}
///     - {regions: [eu-west, eu-north], minDwell: 1d}
///     - {name: "10%", rollout: 10, minDwell: 2h, maxDwell: 8h}
///     - name: eu-beta
///       strategies:
///         - name: flexibleRollout
///           parameters: {rollout: 50, groupId: new-checkout, stickiness: default}
///           constraints: [{contextName: region, operator: IN, values: [eu-west]}]
public struct MilestoneDefinition: Sendable, Decodable {
  /// Default: the cohorts' and regions' names, the percentage (`"10%"`), or `milestone N`.
  public var name: String?
  public var cohorts: [String]?
  /// Values of the policy's `regionProperty` (default `region`).
  public var regions: [String]?
  /// Whole percent, 0 to 100 (Unleash's `rollout` parameter).
  public var rollout: Int?
  public var strategies: [Strategy]?
  /// Time at the milestone before it may advance. Default 0.
  public var minDwell: TimeSpan
  /// Holding longer than this (a gate still inconclusive) pauses the release for a human. Default: never.
  public var maxDwell: TimeSpan?
  /// Treatment sessions reported since the milestone began before it may advance. Default 0.
  public var minSample: UInt64

  public init(
    name: String? = nil, cohorts: [String]? = nil, regions: [String]? = nil, rollout: Int? = nil, strategies: [Strategy]? = nil,
    minDwell: TimeSpan = .zero, maxDwell: TimeSpan? = nil, minSample: UInt64 = 0
  ) {
    self.name = name
    self.cohorts = cohorts
    self.regions = regions
    self.rollout = rollout
    self.strategies = strategies
    self.minDwell = minDwell
    self.maxDwell = maxDwell
    self.minSample = minSample
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case name, cohorts, regions, rollout, strategies, minDwell, maxDwell, minSample }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name)
    cohorts = try c.decodeIfPresent([String].self, forKey: .cohorts)
    regions = try c.decodeIfPresent([String].self, forKey: .regions)
    rollout = try c.decodeIfPresent(Int.self, forKey: .rollout)
    strategies = try c.decodeIfPresent([Strategy].self, forKey: .strategies)
    minDwell = try c.decodeIfPresent(TimeSpan.self, forKey: .minDwell) ?? .zero
    maxDwell = try c.decodeIfPresent(TimeSpan.self, forKey: .maxDwell)
    minSample = try c.decodeIfPresent(UInt64.self, forKey: .minSample) ?? 0
  }
}

/// A milestone ready to run: the state it publishes and what it needs before it may advance.
public struct Milestone: Sendable {
  public var name: String
  /// The milestone's own strategies, as defined.
  public var strategies: [Strategy]
  /// The complete state published when the milestone begins (with the previous milestones' strategies
  /// when the plan is cumulative).
  public var state: ClientFeatures
  public var minDwell: TimeSpan
  public var maxDwell: TimeSpan?
  public var minSample: UInt64
  /// Who has the flag, in words: `cohort IN [internal, beta]; 10% of everyone`.
  public var exposure: String

  public init(
    name: String, strategies: [Strategy], state: ClientFeatures, minDwell: TimeSpan, maxDwell: TimeSpan?, minSample: UInt64,
    exposure: String
  ) {
    self.name = name
    self.strategies = strategies
    self.state = state
    self.minDwell = minDwell
    self.maxDwell = maxDwell
    self.minSample = minSample
    self.exposure = exposure
  }
}
