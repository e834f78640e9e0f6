import Telemetry
import FlagEngine

/// The states a policy publishes, in order, built from its definition and the base state.
///
/// Every milestone's state is the base state with the released flag enabled and its strategies replaced
/// by the milestone's. Percentages are `flexibleRollout` strategies with one groupId for the whole plan, so
/// the devices inside 10% are inside 50%. In a cumulative plan (the default) a milestone also keeps the
/// strategies of the milestones before it, merged where they overlap (the highest percentage of the same
/// audience; one `IN` list for cohorts or rings), so no device that had the feature loses it while the
/// release advances. With a holdout, every milestone's state keeps the held-out devices off (``Holdout``).
public struct ReleasePlan: Sendable {
  public let flag: String
  public let baseState: ClientFeatures
  public let milestones: [Milestone]
  /// The devices kept on the old state until `bake` after the last milestone, if the plan keeps any.
  public let holdout: Holdout?
  let featureIndex: Int

  public init(policy: PolicyDefinition, subject: ReleaseSubject) throws(PolicyError) {
    guard let index = subject.baseState.features.firstIndex(where: { $0.name == subject.flag }) else {
      throw PolicyError(path: "", "the flag '\(subject.flag)' is not in the base state")
    }
    flag = subject.flag
    baseState = subject.baseState
    featureIndex = index
    let builder = try StrategyBuilder(policy: policy, subject: subject)
    let steps: [(name: String, strategies: [Strategy], minDwell: TimeSpan, maxDwell: TimeSpan?, minSample: UInt64)]
    switch policy.kind {
    case .bigBang:
      steps = [("100%", [builder.percentage(100)], .zero, nil, 0)]
    case .timeRamp:
      guard !policy.steps.isEmpty else { throw PolicyError(path: "steps", "a time ramp needs at least one step") }
      guard policy.interval.microseconds > 0 else { throw PolicyError(path: "interval", "must be longer than 0s") }
      var previous = 0
      for (i, step) in policy.steps.enumerated() {
        guard (1...100).contains(step) else { throw PolicyError(path: "steps[\(i)]", "must be a whole percent from 1 to 100, found \(step)") }
        guard step > previous else { throw PolicyError(path: "steps[\(i)]", "steps must increase, found \(step) after \(previous)") }
        previous = step
      }
      steps = policy.steps.enumerated().map { i, step in
        ("\(step)%", [builder.percentage(step)], i == policy.steps.count - 1 ? .zero : policy.interval, nil, 0)
      }
    case .releasePlan:
      guard !policy.milestones.isEmpty else { throw PolicyError(path: "milestones", "a release plan needs at least one milestone") }
      var list: [(String, [Strategy], TimeSpan, TimeSpan?, UInt64)] = []
      for (i, milestone) in policy.milestones.enumerated() {
        do {
          list.append(try builder.milestone(milestone, position: i))
        } catch {
          throw error.nested(in: "milestones[\(i)]")
        }
      }
      steps = list
    case .stagedPush:
      guard !policy.rings.isEmpty else { throw PolicyError(path: "rings", "a staged push needs at least one ring") }
      var list: [(String, [Strategy], TimeSpan, TimeSpan?, UInt64)] = []
      var names = Set<String>()
      for (i, ring) in policy.rings.enumerated() {
        guard names.insert(ring.name).inserted else { throw PolicyError(path: "rings[\(i)].name", "two rings are named '\(ring.name)'") }
        do {
          list.append(try builder.ring(ring, bake: policy.bake))
        } catch {
          throw error.nested(in: "rings[\(i)]")
        }
      }
      steps = list
    }
    for (i, step) in steps.enumerated() {
      let place = policy.kind == .stagedPush ? "rings[\(i)]" : "milestones[\(i)]"
      try checkSample(step.minSample, "\(place).minSample")
    }
    var built: [Milestone] = []
    var accumulated: [Strategy] = []
    if subject.turnsOff {
      guard subject.baseState.features[index].enabled else {
        throw PolicyError(path: "", "the release turns '\(subject.flag)' off, but the flag is already off in the base state")
      }
      guard !subject.baseState.features.contains(where: { $0.name == subject.offFeature }) else {
        throw PolicyError(path: "", "the state already has a feature named '\(subject.offFeature)'")
      }
      guard policy.holdout == nil else { throw PolicyError(path: "holdout", "a release that turns the flag off keeps no holdout") }
    }
    for (i, step) in steps.enumerated() {
      accumulated = policy.cumulative ? mergeStrategies(accumulated + step.strategies) : step.strategies
      var state = subject.baseState
      if subject.turnsOff {
        // The audience gets the flag off: a feature on for it, which the flag depends on being off.
        state.features.append(FeatureDefinition(name: subject.offFeature, enabled: true, strategies: accumulated))
        state.features[index].dependencies = (state.features[index].dependencies ?? []) + [Dependency(feature: subject.offFeature, enabled: false)]
      } else {
        state.features[index].enabled = true
        state.features[index].strategies = accumulated
      }
      let warnings = FlagState(state).warnings.filter { $0.feature == subject.flag || $0.feature == subject.offFeature }
      if let warning = warnings.first {
        let place = policy.kind == .releasePlan ? "milestones[\(i)].strategies" : policy.kind == .stagedPush ? "rings[\(i)]" : "steps[\(i)]"
        throw PolicyError(path: place, "the flag engine cannot use this milestone's state: \(warning.message)")
      }
      built.append(
        Milestone(
          name: step.name, strategies: step.strategies, state: state, minDwell: step.minDwell, maxDwell: step.maxDwell,
          minSample: step.minSample, exposure: (subject.turnsOff ? "the flag off for " : "") + describe(accumulated)))
    }
    if let definition = policy.holdout, let last = built.last {
      let holdout = try Holdout(definition: definition, flag: subject.flag, baseState: subject.baseState, last: last)
      let strategy = Holdout.strategy(
        percent: holdout.percent, groupId: definition.groupId ?? subject.flag + "-holdout", stickiness: builder.stickiness)
      for i in built.indices {
        Holdout.apply(feature: holdout.feature, strategy: strategy, flag: subject.flag, to: &built[i].state)
        built[i].exposure += ", except a \(holdout.percent)% holdout"
        if let warning = FlagState(built[i].state).warnings.first(where: { $0.feature == subject.flag || $0.feature == holdout.feature }) {
          throw PolicyError(path: "holdout", "the flag engine cannot use the state with the holdout: \(warning.message)")
        }
      }
      self.holdout = holdout
    } else {
      holdout = nil
    }
    milestones = built
  }

  /// The state published by a roll back from milestone `index` to `target`.
  public func rolledBack(from index: Int, to target: RollBackTarget) -> (state: ClientFeatures, milestone: Int) {
    if target == .base || index <= 0 { return (baseState, -1) }
    return (milestones[index - 1].state, index - 1)
  }

  /// `state` with the flag turned off: the kill switch.
  public func killed(_ state: ClientFeatures) -> ClientFeatures {
    var killed = state
    if let index = killed.features.firstIndex(where: { $0.name == flag }) { killed.features[index].enabled = false }
    return killed
  }

  public func reference(_ index: Int) -> MilestoneReference {
    index < 0 || index >= milestones.count
      ? MilestoneReference(index: -1, name: "base") : MilestoneReference(index: index, name: milestones[index].name)
  }
}

/// Makes the strategies of shorthand milestones and rings.
struct StrategyBuilder {
  let groupId: String
  let stickiness: String
  let cohortProperty: String
  let regionProperty: String
  let ringProperty: String
  let subject: ReleaseSubject

  init(policy: PolicyDefinition, subject: ReleaseSubject) throws(PolicyError) {
    groupId = policy.groupId ?? subject.flag
    guard !groupId.isEmpty else { throw PolicyError(path: "groupId", "must not be empty") }
    guard !policy.stickiness.isEmpty else { throw PolicyError(path: "stickiness", "must not be empty") }
    guard !policy.cohortProperty.isEmpty else { throw PolicyError(path: "cohortProperty", "must not be empty") }
    guard !policy.ringProperty.isEmpty else { throw PolicyError(path: "ringProperty", "must not be empty") }
    guard !policy.regionProperty.isEmpty else { throw PolicyError(path: "regionProperty", "must not be empty") }
    stickiness = policy.stickiness
    cohortProperty = policy.cohortProperty
    regionProperty = policy.regionProperty
    ringProperty = policy.ringProperty
    self.subject = subject
  }

  func percentage(_ rollout: Int, constraints: [Constraint]? = nil) -> Strategy {
    Strategy(
      name: "flexibleRollout", parameters: ["rollout": String(rollout), "stickiness": stickiness, "groupId": groupId],
      constraints: constraints)
  }

  func milestone(_ m: MilestoneDefinition, position: Int) throws(PolicyError) -> (String, [Strategy], TimeSpan, TimeSpan?, UInt64) {
    if let maxDwell = m.maxDwell, maxDwell < m.minDwell {
      throw PolicyError(path: "maxDwell", "is shorter than minDwell (\(maxDwell) < \(m.minDwell))")
    }
    if let strategies = m.strategies {
      if m.cohorts != nil || m.regions != nil || m.rollout != nil {
        throw PolicyError(path: "strategies", "give either strategies or cohorts, regions and rollout, not both")
      }
      guard !strategies.isEmpty else { throw PolicyError(path: "strategies", "an empty list turns the flag off for everyone") }
      let completed = strategies.map { strategy -> Strategy in
        guard strategy.name == "flexibleRollout" else { return strategy }
        var strategy = strategy
        var parameters = strategy.parameters ?? [:]
        if parameters["groupId"] == nil { parameters["groupId"] = groupId }
        if parameters["stickiness"] == nil { parameters["stickiness"] = stickiness }
        strategy.parameters = parameters
        return strategy
      }
      return (m.name ?? "milestone \(position + 1)", completed, m.minDwell, m.maxDwell, m.minSample)
    }
    guard m.cohorts != nil || m.regions != nil || m.rollout != nil else {
      throw PolicyError(path: "", "a milestone needs cohorts, regions, a rollout or strategies")
    }
    let rollout = m.rollout ?? 100
    guard (0...100).contains(rollout) else { throw PolicyError(path: "rollout", "must be a whole percent from 0 to 100, found \(rollout)") }
    var constraints: [Constraint] = []
    if let cohorts = m.cohorts {
      guard !cohorts.isEmpty else { throw PolicyError(path: "cohorts", "an empty cohort list enables nobody") }
      if cohortProperty == "cohort" {
        for (i, name) in cohorts.enumerated() where !subject.cohortNames.contains(name) {
          throw PolicyError(path: "cohorts[\(i)]", "unknown cohort '\(name)'; the scenario has \(subject.cohortNames.joined(separator: ", "))")
        }
      }
      constraints.append(Constraint(contextName: cohortProperty, operator: "IN", values: cohorts))
    }
    if let regions = m.regions {
      guard !regions.isEmpty else { throw PolicyError(path: "regions", "an empty region list enables nobody") }
      if regionProperty == "region", !subject.regionNames.isEmpty {
        for (i, name) in regions.enumerated() where !subject.regionNames.contains(name) {
          throw PolicyError(path: "regions[\(i)]", "unknown region '\(name)'; the scenario has \(subject.regionNames.joined(separator: ", "))")
        }
      }
      constraints.append(Constraint(contextName: regionProperty, operator: "IN", values: regions))
    }
    let audience = ((m.cohorts ?? []) + (m.regions ?? [])).joined(separator: "+")
    let name = m.name ?? (audience.isEmpty ? "\(rollout)%" : audience + (m.rollout.map { " \($0)%" } ?? ""))
    return (name, [percentage(rollout, constraints: constraints.isEmpty ? nil : constraints)], m.minDwell, m.maxDwell, m.minSample)
  }

  func ring(_ ring: RingDefinition, bake: TimeSpan) throws(PolicyError) -> (String, [Strategy], TimeSpan, TimeSpan?, UInt64) {
    let dwell = ring.bake ?? bake
    if let maxDwell = ring.maxDwell, maxDwell < dwell {
      throw PolicyError(path: "maxDwell", "is shorter than the bake time (\(maxDwell) < \(dwell))")
    }
    if let rollout = ring.rollout {
      guard (0...100).contains(rollout) else { throw PolicyError(path: "rollout", "must be a whole percent from 0 to 100, found \(rollout)") }
      return (ring.name, [percentage(rollout)], dwell, ring.maxDwell, ring.minSample)
    }
    if ringProperty == "cohort", !subject.cohortNames.contains(ring.name) {
      throw PolicyError(
        path: "name",
        "unknown cohort '\(ring.name)': rings are cohorts while ringProperty is 'cohort'; the scenario has \(subject.cohortNames.joined(separator: ", "))")
    }
    let constraint = Constraint(contextName: ringProperty, operator: "IN", values: [ring.name])
    return (ring.name, [percentage(100, constraints: [constraint])], dwell, ring.maxDwell, ring.minSample)
  }
}

/// Merges overlapping strategies: the same audience at two percentages keeps the higher one; whole
/// audiences (100%) that differ only in the values of one `IN` constraint become one list.
func mergeStrategies(_ strategies: [Strategy]) -> [Strategy] {
  var merged: [Strategy] = []
  for strategy in strategies {
    if let i = merged.firstIndex(where: { samePercentageAudience($0, strategy) }) {
      let a = Int(merged[i].parameters?["rollout"] ?? "") ?? 0
      let b = Int(strategy.parameters?["rollout"] ?? "") ?? 0
      merged[i].parameters?["rollout"] = String(max(a, b))
    } else if let i = merged.firstIndex(where: { sameListAudience($0, strategy) }) {
      var values = merged[i].constraints![0].values ?? []
      for value in strategy.constraints![0].values ?? [] where !values.contains(value) { values.append(value) }
      merged[i].constraints![0].values = values
    } else if !merged.contains(strategy) {
      merged.append(strategy)
    }
  }
  return merged
}

private func samePercentageAudience(_ a: Strategy, _ b: Strategy) -> Bool {
  guard a.name == "flexibleRollout", b.name == "flexibleRollout", a.constraints ?? [] == b.constraints ?? [],
    a.segments ?? [] == b.segments ?? [], a.variants == b.variants,
    let ra = a.parameters?["rollout"], let rb = b.parameters?["rollout"], Int(ra) != nil, Int(rb) != nil
  else { return false }
  var pa = a.parameters ?? [:]
  var pb = b.parameters ?? [:]
  pa["rollout"] = nil
  pb["rollout"] = nil
  return pa == pb
}

private func sameListAudience(_ a: Strategy, _ b: Strategy) -> Bool {
  guard a.name == "flexibleRollout", b.name == "flexibleRollout", a.parameters == b.parameters, a.parameters?["rollout"] == "100",
    a.segments ?? [] == [], b.segments ?? [] == [], a.variants == b.variants,
    let ca = a.constraints, let cb = b.constraints, ca.count == 1, cb.count == 1
  else { return false }
  let x = ca[0]
  let y = cb[0]
  return x.operator == "IN" && y.operator == "IN" && x.contextName == y.contextName && !x.inverted && !y.inverted
    && x.caseInsensitive == y.caseInsensitive
}

/// The audience of a list of strategies, in words.
func describe(_ strategies: [Strategy]) -> String {
  strategies.map { strategy in
    let constraints = (strategy.constraints ?? []).map { c in
      "\(c.contextName) \(c.inverted ? "NOT " : "")\(c.operator) \(c.values.map { "[\($0.joined(separator: ", "))]" } ?? c.value ?? "")"
    }
    let audience = constraints.isEmpty ? "everyone" : constraints.joined(separator: " and ")
    if strategy.name == "flexibleRollout" {
      return "\(strategy.parameters?["rollout"] ?? "100")% of \(audience)"
    }
    return "\(strategy.name) for \(audience)"
  }.joined(separator: "; ")
}
