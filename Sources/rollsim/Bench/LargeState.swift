import FlagEngine

/// A synthetic state the size of a large Unleash project (hundreds of flags), with the mix of strategies
/// and constraints such projects have, and contexts that exercise it. Deterministic for a seed.
enum LargeState {
  static let regions = ["eu-west", "eu-north", "us-east", "us-west", "ap-south"]

  static func make(features count: Int, seed: UInt64) -> ClientFeatures {
    var random = SplitMix64(seed: seed)
    func pick<T>(_ options: [T]) -> T { options[Int(random.next(below: UInt32(options.count)))] }
    func percent() -> String { String(random.next(below: 101)) }
    let segments = (1...10).map { id in
      Segment(id: id, name: "segment-\(id)", constraints: [
        Constraint(contextName: "region", operator: "IN", values: [pick(regions), pick(regions)])
      ])
    }
    var features: [FeatureDefinition] = []
    for index in 0..<count {
      let name = "feature-\(index)"
      var strategies: [Strategy] = []
      for _ in 0..<(1 + Int(random.next(below: 3))) {
        var constraints: [Constraint] = []
        switch random.next(below: 6) {
        case 0: constraints.append(Constraint(contextName: "region", operator: "IN", values: [pick(regions)]))
        case 1: constraints.append(Constraint(contextName: "appVersion", operator: "SEMVER_GTE", value: "\(1 + random.next(below: 4)).\(random.next(below: 10)).0"))
        case 2: constraints.append(Constraint(contextName: "hw", operator: "NUM_GT", value: String(random.next(below: 4))))
        case 3: constraints.append(Constraint(contextName: "tenant", operator: "STR_STARTS_WITH", values: ["t\(random.next(below: 10))"], caseInsensitive: true))
        default: break
        }
        let segmentIds = random.next(below: 5) == 0 ? [1 + Int(random.next(below: 10))] : nil
        switch random.next(below: 4) {
        case 0:
          strategies.append(Strategy(name: "default", constraints: constraints, segments: segmentIds))
        case 1:
          strategies.append(Strategy(name: "userWithId", parameters: ["userIds": (0..<5).map { _ in "user-\(random.next(below: 1000))" }.joined(separator: ",")], constraints: constraints))
        default:
          strategies.append(Strategy(name: "flexibleRollout", parameters: ["rollout": percent(), "stickiness": "default", "groupId": name], constraints: constraints, segments: segmentIds))
        }
      }
      let variants: [Variant]? = random.next(below: 4) == 0
        ? [Variant(name: "control", weight: 500, stickiness: "default"), Variant(name: "treatment", weight: 500, stickiness: "default")] : nil
      features.append(FeatureDefinition(name: name, enabled: random.next(below: 10) != 0, strategies: strategies, variants: variants))
    }
    return ClientFeatures(version: 2, features: features, segments: segments)
  }

  static func contexts(count: Int) -> [EvaluationContext] {
    let region = ContextField(property: "region")
    let appVersion = ContextField(property: "appVersion")
    let hw = ContextField(property: "hw")
    let tenant = ContextField(property: "tenant")
    return (0..<count).map { i in
      var context = EvaluationContext(seed: UInt64(i))
      context[.userId] = "user-\(i)"
      context[.sessionId] = "s-\(i)"
      context[region] = regions[i % regions.count]
      context[appVersion] = "\(1 + i % 4).\(i % 10).\(i % 3)"
      context[hw] = String(i % 5)
      context[tenant] = "T\(i % 97)"
      return context
    }
  }

  /// Context `i` of `contexts(count:)` as Unleash's JSON, for the peer.
  static func contextJSON(_ i: Int) -> String {
    #"{"userId":"user-\#(i)","sessionId":"s-\#(i)","properties":{"region":"\#(regions[i % regions.count])","#
      + #""appVersion":"\#(1 + i % 4).\#(i % 10).\#(i % 3)","hw":"\#(i % 5)","tenant":"T\#(i % 97)"}}"#
  }
}
