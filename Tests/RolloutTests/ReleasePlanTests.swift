import FlagEngine
import Rollout
import Testing

@Suite struct ReleasePlanTests {
  let subject = standardSubject()

  /// Devices of every cohort, 3,000 user ids each.
  func contexts() -> [Context] {
    var list: [Context] = []
    for cohort in subject.cohortNames {
      for id in 0..<3000 { list.append(Context(userId: "user-\(id)", properties: ["cohort": cohort])) }
    }
    return list
  }

  func enabled(_ state: ClientFeatures, _ contexts: [Context]) -> [Bool] {
    let compiled = FlagState(state)
    return contexts.map { context in
      var evaluation = EvaluationContext(context)
      return compiled.isEnabled(subject.flag, in: &evaluation)
    }
  }

  static let standardPlan = PolicyDefinition(
    name: "plan", kind: .releasePlan,
    milestones: [
      MilestoneDefinition(cohorts: ["internal"]), MilestoneDefinition(cohorts: ["beta"]), MilestoneDefinition(rollout: 1),
      MilestoneDefinition(rollout: 10), MilestoneDefinition(rollout: 50), MilestoneDefinition(rollout: 100),
    ])

  /// No device that had the feature loses it while the release advances: each state's enabled set contains
  /// the previous one's, for every kind of policy.
  @Test(arguments: [
    standardPlan,
    PolicyDefinition(name: "ramp", kind: .timeRamp),
    PolicyDefinition(name: "rings", kind: .stagedPush, rings: [RingDefinition(name: "internal"), RingDefinition(name: "beta"), RingDefinition(name: "general")]),
    PolicyDefinition(
      name: "mixed", kind: .releasePlan,
      milestones: [MilestoneDefinition(cohorts: ["beta"], rollout: 20), MilestoneDefinition(rollout: 5), MilestoneDefinition(cohorts: ["beta"])]),
  ])
  func milestonesNeverTakeTheFeatureAway(policy: PolicyDefinition) throws {
    let plan = try ReleasePlan(policy: policy, subject: subject)
    let contexts = contexts()
    var previous = enabled(plan.baseState, contexts)
    #expect(!previous.contains(true))
    for milestone in plan.milestones {
      let current = enabled(milestone.state, contexts)
      let lost = zip(previous, current).filter { $0 && !$1 }.count
      #expect(lost == 0, "milestone \(milestone.name) takes the feature from \(lost) devices")
      #expect(current.filter { $0 }.count >= previous.filter { $0 }.count)
      previous = current
    }
    // The end of each plan reaches everyone it targets.
    #expect(previous.filter { $0 }.count > 0)
  }

  @Test func percentagesAreStableAndCohortsArePreserved() throws {
    let plan = try ReleasePlan(policy: Self.standardPlan, subject: subject)
    let contexts = contexts()
    let counts = plan.milestones.map { enabled($0.state, contexts) }
    // internal only, then internal and beta.
    #expect(counts[0].filter { $0 }.count == 3000)
    #expect(counts[1].filter { $0 }.count == 6000)
    // 10% of general: about 300 of 3,000, on top of internal and beta.
    let general = counts[3].suffix(3000).filter { $0 }.count
    #expect((240...360).contains(general))
    #expect(counts[5].allSatisfy { $0 })
    #expect(plan.milestones[3].exposure == "100% of cohort IN [internal, beta]; 10% of everyone")
    // Merged: one IN list and one percentage.
    #expect(plan.milestones[4].state.features[0].strategies?.count == 2)
  }

  @Test func rollBackAndKillTakeTheFeatureAway() throws {
    let plan = try ReleasePlan(policy: Self.standardPlan, subject: subject)
    let contexts = contexts()
    let atTen = enabled(plan.milestones[3].state, contexts).filter { $0 }.count
    let back = plan.rolledBack(from: 3, to: .previous)
    #expect(back.milestone == 2)
    #expect(enabled(back.state, contexts).filter { $0 }.count < atTen)
    #expect(plan.rolledBack(from: 3, to: .base).milestone == -1)
    #expect(plan.rolledBack(from: 0, to: .previous).state == plan.baseState)
    #expect(!enabled(plan.killed(plan.milestones[5].state), contexts).contains(true))
    // Other flags are untouched.
    #expect(plan.killed(plan.milestones[5].state).features[1] == subject.baseState.features[1])
  }

  @Test func explicitStrategiesGetTheStableGroupId() throws {
    let policy = PolicyDefinition(
      name: "explicit", kind: .releasePlan,
      milestones: [
        MilestoneDefinition(strategies: [Strategy(name: "flexibleRollout", parameters: ["rollout": "10"])]),
        MilestoneDefinition(strategies: [Strategy(name: "flexibleRollout", parameters: ["rollout": "60"])]),
      ])
    let plan = try ReleasePlan(policy: policy, subject: subject)
    #expect(plan.milestones[1].state.features[0].strategies == [
      Strategy(name: "flexibleRollout", parameters: ["rollout": "60", "groupId": "new-checkout", "stickiness": "default"])
    ])
  }

  @Test func nonCumulativePlansReplaceStrategies() throws {
    var policy = Self.standardPlan
    policy.cumulative = false
    let plan = try ReleasePlan(policy: policy, subject: subject)
    #expect(plan.milestones[1].state.features[0].strategies?.count == 1)
    #expect(plan.milestones[1].exposure == "100% of cohort IN [beta]")
  }

  @Test func errorsNameTheField() {
    func error(_ policy: PolicyDefinition) -> PolicyError? {
      do {
        _ = try ReleasePlan(policy: policy, subject: subject)
        return nil
      } catch {
        return error
      }
    }
    #expect(error(PolicyDefinition(name: "p", kind: .releasePlan))?.path == "milestones")
    #expect(
      error(PolicyDefinition(name: "p", kind: .releasePlan, milestones: [MilestoneDefinition(rollout: 5), MilestoneDefinition(rollout: 120)]))?
        .path == "milestones[1].rollout")
    #expect(
      error(PolicyDefinition(name: "p", kind: .releasePlan, milestones: [MilestoneDefinition(cohorts: ["internal", "gamma"])]))?.path
        == "milestones[0].cohorts[1]")
    #expect(error(PolicyDefinition(name: "p", kind: .releasePlan, milestones: [MilestoneDefinition()]))?.path == "milestones[0]")
    #expect(error(PolicyDefinition(name: "p", kind: .timeRamp, steps: [50, 25]))?.path == "steps[1]")
    #expect(error(PolicyDefinition(name: "p", kind: .stagedPush, rings: [RingDefinition(name: "canary")]))?.path == "rings[0].name")
    #expect(
      error(
        PolicyDefinition(
          name: "p", kind: .releasePlan, milestones: [MilestoneDefinition(strategies: [Strategy(name: "flexibleRollout", parameters: ["rollout": "300"])])]))?
        .path == "milestones[0].strategies")
    let unknownFlag = ReleaseSubject(flag: "missing", baseState: subject.baseState, cohortNames: subject.cohortNames)
    #expect(throws: PolicyError.self) { try ReleasePlan(policy: Self.standardPlan, subject: unknownFlag) }
  }
}
