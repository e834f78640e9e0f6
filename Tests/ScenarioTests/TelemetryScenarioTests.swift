import Foundation
import Rollout
import Simulation
import Testing

@testable import Scenario

/// Telemetry as a pipeline delivers it, seen through whole runs: a boot loop shows as silence and a
/// silence guard catches it; gates stratified by region keep their alpha on healthy releases across
/// region milestones while the regions drift apart.
@Suite struct TelemetryScenarioTests {
  static let fleet = """
    platforms: {android: 0.6, ios: 0.4}
    hardwareGenerations: [{generation: 1, share: 1, firmware: {"3.0.0": 1}}]
    appVersions: {default: {"7.11.0": 1}}
    regions: [{name: eu, share: 0.4, utcOffset: 1}, {name: us, share: 0.4, utcOffset: -5}, {name: ap, share: 0.2, utcOffset: 8}]
  """

  static let flags = """
  flags:
    state:
      features:
        - name: new-checkout
          enabled: true
          strategies: [{name: flexibleRollout, parameters: {rollout: "0", groupId: new-checkout}}]
  """

  /// A canary cohort whose devices boot-loop on the release: they never report a session, so no crash
  /// reaches the pipeline until they boot again. Only their silence shows.
  static let bootLoop = """
    name: boot-loop
    seed: 3
    start: 2026-03-02T06:00:00Z
    duration: 6h
    fleet:
      devices: 6000
    \(fleet)
      cohorts: [{name: canary, share: 0.05}, {name: public, share: 0.95}]
      activity: {sessionsPerDay: {median: 96, spread: 0.3}, online: 0.9, offlineSpell: 2h}
    \(flags)
    release: {flag: new-checkout, at: 30m}
    faults:
      - name: boot-loop
        effect: {kind: crashLoop, probability: 1, reboot: 2m}
    policies:
      - name: silence-guarded
        kind: release-plan
        milestones: [{cohorts: [canary], minDwell: 1h, minSample: 1}, {rollout: 100}]
        gates:
          - {name: going-dark, kind: guard, metric: silence, compare: difference, threshold: 0.1, windows: 2, minSample: 20, onFail: rollBack}
      - name: crash-guarded
        kind: release-plan
        milestones: [{cohorts: [canary], minDwell: 1h, minSample: 1}, {rollout: 100}]
        gates:
          - {name: crashes, kind: guard, metric: crashRate, compare: difference, threshold: 0.05, minSample: 20, onFail: rollBack}
    """

  @Test func aBootLoopingCohortGoesSilentAndASilenceGuardCatchesIt() throws {
    let outcome = try ScenarioRunner.run(try loadScenario(Self.bootLoop))
    let silence = try #require(outcome.policies.first { $0.name == "silence-guarded" })
    let rollBack = try #require(silence.decisions.first { $0.action == .rollBack })
    #expect(rollBack.audit.rule?.name == "going-dark")
    #expect(rollBack.audit.statisticName == "silence minus control")
    #expect(try #require(rollBack.audit.statistic) > 0.5)
    // Within about half an hour of the release: the canary adopts within minutes and goes dark.
    #expect(rollBack.time < .hours(1) + .minutes(30))
    #expect(silence.finalState == .rolledBack)
    // The devices that loop report no crash while they loop, so a crash-rate guard sees nothing.
    let crashes = try #require(outcome.policies.first { $0.name == "crash-guarded" })
    #expect(!crashes.decisions.contains { $0.action == .rollBack })
    #expect(crashes.result.devicesFailed > 200)
  }

  /// A healthy release, region by region, over two days in which each region's error rate drifts by
  /// its own factor every day (`noise: 0.2`). The same anytime-valid test twice: stratified by cohort and
  /// region (the default), and pooled (`stratify: false`), which sets the released region against the
  /// others' control and so blames the flag for the regions' drift.
  static func drifting(seed: Int) -> String {
    """
    name: drifting-regions
    seed: \(seed)
    start: 2026-03-02T00:00:00Z
    duration: 2d
    fleet:
      devices: 4000
    \(fleet)
      cohorts: [{name: everyone, share: 1}]
      activity: {sessionsPerDay: {median: 48, spread: 0.4}, online: 0.9, offlineSpell: 2h}
    \(flags)
    release: {flag: new-checkout, at: 6h}
    baseline: {errorRate: 0.02, crashRate: 0.002, noise: 0.2}
    policies:
      - name: stratified
        kind: release-plan
        milestones:
          - {regions: [eu], minDwell: 6h}
          - {regions: [eu, us], minDwell: 6h}
          - {rollout: 50, minDwell: 6h}
          - {rollout: 100}
        gates:
          - {kind: anytime-valid, metric: errorRate, alpha: 0.05, drift: 0.2}
          - {kind: sprt, metric: failureRate, alpha: 0.05, drift: 0.2}
          - {name: dark, kind: guard, metric: silence, compare: difference, threshold: 0.1, windows: 2, minSample: 100}
      - name: pooled
        kind: release-plan
        milestones:
          - {regions: [eu], minDwell: 6h}
          - {regions: [eu, us], minDwell: 6h}
          - {rollout: 50, minDwell: 6h}
          - {rollout: 100}
        gates:
          - {kind: anytime-valid, metric: errorRate, alpha: 0.05, stratify: false, drift: 0.2}
    """
  }

  @Test func gatesStratifiedByRegionKeepTheirAlphaAcrossRegionMilestones() throws {
    let seeds = 24
    var stratifiedAlarms = 0
    var pooledAlarms = 0
    var completed = 0
    for seed in 1...seeds {
      let outcome = try ScenarioRunner.run(try loadScenario(Self.drifting(seed: seed)))
      for policy in outcome.policies {
        let alarmed = policy.decisions.contains { [.pause, .rollBack, .kill].contains($0.action) }
        if policy.name == "stratified" {
          if alarmed { stratifiedAlarms += 1 }
          if policy.decisions.contains(where: { $0.action == .complete }) { completed += 1 }
        } else if alarmed {
          pooledAlarms += 1
        }
      }
    }
    // Two tests at alpha 0.05 each (and a guard): at most 0.1 of healthy releases stopped on average; 5
    // or more of 24 would happen with probability under 0.08 at that rate (0 measured). Pooled, the
    // regions' drift reads as a regression (6 of 24 measured).
    #expect(stratifiedAlarms <= 4, "stratified gates stopped \(stratifiedAlarms) of \(seeds) healthy releases")
    #expect(completed >= seeds - 4)
    #expect(pooledAlarms >= 3, "pooled gates stopped only \(pooledAlarms) of \(seeds) healthy releases")
  }
}
