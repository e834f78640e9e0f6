import FlagEngine
import Simulation
import Telemetry

/// A holdout, as a plan writes it: a share of devices that stays on the old state through every milestone
/// and for `bake` after the last one completed, then is released. As in the guarded rollouts of
/// commercial tools, it keeps a control group after the plan reached everyone else, so that the gates
/// keep comparing the treatment with a concurrent control while the release bakes.
///
///     holdout: {share: 0.05, bake: 24h}
public struct HoldoutDefinition: Sendable, Decodable {
  /// The share of devices held out: a whole percent from 0.01 to 0.5 (Unleash rollouts are whole percents).
  public var share: Double
  /// How long the holdout stays off after the last milestone completed, 0s to 365d. Default 24h.
  public var bake: TimeSpan
  /// The hash group that picks the holdout: the same devices throughout. Default `<flag>-holdout`.
  public var groupId: String?

  public init(share: Double, bake: TimeSpan = .hours(24), groupId: String? = nil) {
    self.share = share
    self.bake = bake
    self.groupId = groupId
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case share, bake, groupId }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      share: try c.decode(Double.self, forKey: .share), bake: try c.decodeIfPresent(TimeSpan.self, forKey: .bake) ?? .hours(24),
      groupId: try c.decodeIfPresent(String.self, forKey: .groupId))
  }
}

/// A holdout ready to run. It is a feature of its own in every state the plan publishes, on for the held-out
/// devices (a `flexibleRollout` of `percent`% with its own groupId, so independent of the plan's
/// percentages), and the released flag depends on it being off (an Unleash dependency, `enabled:
/// false`): a held-out device never has the flag, whatever the milestone. Releasing the holdout publishes
/// the last milestone's state without the dependency and without the holdout feature.
public struct Holdout: Sendable {
  /// The holdout feature's name: `<flag>.holdout`.
  public let feature: String
  public let percent: Int
  public let bake: TimeSpan
  /// The last milestone's state with the holdout released, and who has the flag then.
  public let released: ClientFeatures
  public let releasedExposure: String

  /// Adds the holdout to `state` (a state of the plan): the holdout feature and the flag's dependency on it.
  static func apply(feature: String, strategy: Strategy, flag: String, to state: inout ClientFeatures) {
    state.features.append(FeatureDefinition(name: feature, enabled: true, strategies: [strategy]))
    if let index = state.features.firstIndex(where: { $0.name == flag }) {
      state.features[index].dependencies = (state.features[index].dependencies ?? []) + [Dependency(feature: feature, enabled: false)]
    }
  }

  init(definition: HoldoutDefinition, flag: String, baseState: ClientFeatures, last: Milestone) throws(PolicyError) {
    let percentage = definition.share * 100
    guard definition.share.isFinite, percentage >= 1 - 1e-9, percentage <= 50 + 1e-9, abs(percentage - percentage.rounded()) < 1e-9 else {
      throw PolicyError(path: "holdout.share", "\(formatNumber(definition.share)) is not a whole percent from 0.01 to 0.5")
    }
    guard definition.bake <= .days(365) else { throw PolicyError(path: "holdout.bake", "\(definition.bake) is not a duration in 0s...365d") }
    let name = flag + ".holdout"
    guard !baseState.features.contains(where: { $0.name == name }) else {
      throw PolicyError(path: "holdout", "the state already has a feature named '\(name)'")
    }
    feature = name
    if let groupId = definition.groupId, groupId.isEmpty { throw PolicyError(path: "holdout.groupId", "must not be empty") }
    percent = Int(percentage.rounded())
    bake = definition.bake
    released = last.state
    releasedExposure = last.exposure
  }

  /// The holdout's own strategy.
  static func strategy(percent: Int, groupId: String, stickiness: String) -> Strategy {
    Strategy(name: "flexibleRollout", parameters: ["rollout": String(percent), "stickiness": stickiness, "groupId": groupId])
  }
}
