import Foundation
import Rollout
import Telemetry
import Testing

@testable import Scenario

/// A small edge: 2,000 proxies taking a state within seconds, a session a minute, 1-minute windows.
private func edge(release: String, faults: String, policies: String, cohorts: String = "[{name: canary, share: 0.05}, {name: early, share: 0.15}, {name: rest, share: 0.8}]", rollout: String = "0", hours: Int = 2) -> String {
  """
  name: edge
  seed: 3
  start: 2026-03-02T10:00:00Z
  duration: \(hours)h
  fleet:
    devices: 2000
    platforms: {linux: 1}
    hardwareGenerations: [{generation: 1, share: 1, firmware: {"1.0.0": 1}}]
    appVersions: {default: {"1.0.0": 0.3, "2.0.0": 0.7}}
    regions: [{name: eu, share: 1, utcOffset: 1}]
    cohorts: \(cohorts)
    devicesPerUser: 1
    activity: {sessionsPerDay: 1440, diurnal: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], online: 1}
    sync: [{model: streaming, share: 1, latency: {median: 2s, p99: 10s}}]
  flags:
    state:
      features:
        - name: config
          enabled: true
          strategies: [{name: flexibleRollout, parameters: {rollout: "\(rollout)", groupId: config}}]
  release: \(release)
  faults:
  \(faults)
  baseline: {errorRate: 0.0005, crashRate: 0, noise: 0}
  telemetry: {flush: 10s, delay: {median: 10s, p99: 30s}, loss: 0, window: 1m}
  policies:
  \(policies)
  """
}

private let perFilePolicies = """
    - name: big-bang
      kind: big-bang
    - name: staged-per-file
      kind: staged-push
      rings: [{name: canary, bake: 1m, minSample: 20}, {name: early, bake: 1m}, {name: rest}]
      rollBackTo: base
      gates: [{kind: guard, metric: errorRate, compare: difference, threshold: 0.02, windows: 1, minSample: 20, onFail: rollBack}]
    - name: big-bang-guarded
      kind: release-plan
      milestones: [{rollout: 100}]
      rollBackTo: base
      gates: [{kind: guard, metric: errorRate, compare: difference, threshold: 0.02, windows: 1, minSample: 20, onFail: rollBack}]
    - name: validated
      kind: big-bang
      validate: true
  """

private let badFiles = """
    - name: bad-file
      from: 20m
      generations: {every: 5m, bad: 0.5, invalid: 1}
      effect: {kind: error, probability: 1}
  """

/// `release.every`: each generation of a regenerated artifact (Cloudflare's feature file) is its own release.
@Suite struct ArtifactReleaseTests {
  func run(_ text: String, seed: UInt64 = 3) throws -> ScenarioOutcome {
    try ScenarioRunner.run(loadScenario(text), options: RunOptions(seed: seed))
  }

  /// Each file goes through the policy's plan; a proxy holds the file its state gives it. Big-bang hands every
  /// bad file to every proxy; a per-file guard rolls a bad file back within minutes, so the proxies go back to
  /// the last good one; a staged push stops it in the canary ring; a check before publishing stops it there.
  @Test func eachFileIsItsOwnRelease() throws {
    let outcome = try run(edge(release: "{flag: config, at: 10m, every: 5m}", faults: badFiles, policies: perFilePolicies))
    let hours = Dictionary(uniqueKeysWithValues: outcome.policies.map { ($0.name, $0.result.failedDeviceHours) })
    let failed = Dictionary(uniqueKeysWithValues: outcome.policies.map { ($0.name, $0.result.devicesFailed) })
    // Seed 3 draws bad files after 20m; every proxy gets them under big-bang, for as long as they last.
    #expect(failed["big-bang"]! > 1900, "\(failed)")
    #expect(hours["big-bang"]! > 200, "\(hours)")
    // The guard at 100% sees each bad file against the before, and the proxies go back to the last good file.
    #expect(hours["big-bang-guarded"]! < hours["big-bang"]! / 4, "\(hours)")
    // The canary ring is 5%: only its proxies ever hold a bad file.
    #expect(failed["staged-per-file"]! <= 110 && failed["staged-per-file"]! > 0, "\(failed)")
    #expect(hours["staged-per-file"]! < hours["big-bang-guarded"]! / 5, "\(hours)")
    // Every bad file fails its check and none is released.
    #expect(failed["validated"]! == 0)
    let validated = try #require(outcome.policies.first { $0.name == "validated" })
    let rejected = validated.decisions.filter { $0.audit.reason.contains("failed its check before release") }.count
    let model = try ScenarioRunner.prepare(loadScenario(edge(release: "{flag: config, at: 10m, every: 5m}", faults: badFiles, policies: perFilePolicies)), seed: 3, devices: nil, policies: []).1
    let bad = (3..<24).filter { model.artifactIsBad($0, fault: 0) }.count
    #expect(rejected == bad && bad > 3, "\(rejected) rejected, \(bad) bad files")
    // A plan starts again for each file: the staged push published its canary ring about every five minutes.
    let staged = try #require(outcome.policies.first { $0.name == "staged-per-file" })
    let starts = staged.decisions.filter { $0.action == .advance && $0.audit.target?.index == 0 }.count
    #expect(starts >= 20 && starts <= 23, "\(starts)")
  }

  /// A file rolled back is not the one the other proxies hold: after the guard drops a bad file, the fleet
  /// is back on the last good one, and with no bad file at all nothing fails.
  @Test func withoutBadFilesNothingFails() throws {
    let healthy = badFiles.replacingOccurrences(of: "bad: 0.5", with: "bad: 0")
    let outcome = try run(edge(release: "{flag: config, at: 10m, every: 5m}", faults: healthy, policies: perFilePolicies))
    #expect(outcome.policies.allSatisfy { $0.result.devicesFailed == 0 })
    #expect(outcome.policies.allSatisfy { $0.decisions.allSatisfy { $0.action != .rollBack } })
  }

  @Test func theReleaseAndItsFaultsMustAgree() throws {
    let good = edge(release: "{flag: config, at: 10m, every: 5m}", faults: badFiles, policies: perFilePolicies)
    #expect(try refusal(good) == nil)
    let otherPace = try #require(try refusal(good.replacingOccurrences(of: "every: 5m, bad", with: "every: 10m, bad")))
    #expect(otherPace.contains("faults[0].generations.every: 10m differs from release.every (5m)"), "\(otherPace)")
    let always = try #require(try refusal(good.replacingOccurrences(of: "from: 20m", with: "from: 20m\n    when: always")))
    #expect(always.contains("faults[0].when: a fault with generations in a release of an artifact"), "\(always)")
    let notEvery = try #require(try refusal(good.replacingOccurrences(of: ", every: 5m}", with: "}")))
    #expect(notEvery.contains("policies[3].validate: applies to a release of a regenerated artifact"), "\(notEvery)")
    let holdout = try #require(
      try refusal(good.replacingOccurrences(of: "    milestones: [{rollout: 100}]", with: "    milestones: [{rollout: 100}]\n    holdout: {share: 0.05}")))
    #expect(holdout.contains("policies[2].holdout: a holdout keeps devices off one release"), "\(holdout)")
    let tooOften = try #require(try refusal(good.replacingOccurrences(of: "every: 5m}", with: "every: 500ms}")))
    #expect(tooOften.contains("release.every"), "\(tooOften)")
  }
}

private let killBug = """
    - name: nil-execute
      when: killed
      devices: [{contextName: appVersion, operator: IN, values: ["1.0.0"]}]
      effect: {kind: error, probability: 1}
  """

private let killPolicies = """
    - name: big-bang
      kind: big-bang
      alerts: [{metric: errorRate, condition: "> 0.05", for: 2m}]
      onCall: {responseTime: 20m, onAlert: rollBack}
    - name: staged-kill
      kind: staged-push
      rings: [{name: canary, bake: 5m, minSample: 50}, {name: early, bake: 5m}, {name: rest}]
      rollBackTo: base
      gates: [{kind: guard, metric: errorRate, compare: difference, threshold: 0.02, windows: 1, minSample: 20, onFail: rollBack}]
    - name: big-bang-guarded
      kind: release-plan
      milestones: [{rollout: 100}]
      rollBackTo: base
      gates: [{kind: guard, metric: errorRate, compare: difference, threshold: 0.02, windows: 1, minSample: 20, onFail: rollBack}]
  """

/// `release.to: off`: the change under study is a kill (Cloudflare, 5 December 2025), staged and guarded like
/// any other, and a `when: killed` fault bites where it turned the flag off.
@Suite struct KillReleaseTests {
  @Test func aKillCanBeStagedGuardedAndRolledBack() throws {
    let text = edge(release: "{flag: config, to: off, at: 10m}", faults: killBug, policies: killPolicies, rollout: "100")
    let outcome = try ScenarioRunner.run(loadScenario(text))
    let byName = Dictionary(uniqueKeysWithValues: outcome.policies.map { ($0.name, $0) })
    let fl1 = 2000 * 3 / 10
    // Nothing fails before the kill; then every FL1 slice with a session fails until the revert.
    let bigBang = try #require(byName["big-bang"])
    let first = try #require(bigBang.result.firstFailure)
    #expect(first >= .minutes(10) && first < .minutes(12))
    #expect(bigBang.result.devicesFailed > fl1 * 9 / 10 && bigBang.result.devicesFailed < fl1 * 11 / 10, "\(bigBang.result.devicesFailed)")
    // The revert (a roll back to the base state, the flag on again) ends the harm: the last windows are clean.
    #expect(bigBang.finalState == .rolledBack)
    let late = bigBang.result.windows.filter { $0.start >= .minutes(60) }
    #expect(late.allSatisfy { $0.treatment.errors + $0.control.errors < 20 }, "\(late.map { $0.treatment.errors + $0.control.errors })")
    // About 20 minutes for ~600 slices.
    #expect(bigBang.result.failedDeviceHours > 150 && bigBang.result.failedDeviceHours < 300, "\(bigBang.result.failedDeviceHours)")
    // The guard sees the slices the kill reached against their before, within minutes.
    let guarded = try #require(byName["big-bang-guarded"])
    #expect(guarded.result.failedDeviceHours < bigBang.result.failedDeviceHours / 5)
    // Staged: only the canary ring (5%) ever had the rule off.
    let staged = try #require(byName["staged-kill"])
    #expect(staged.result.devicesExposed <= 110 && staged.result.devicesFailed <= 40 && staged.result.devicesFailed > 0)
    #expect(staged.finalState == .rolledBack)
  }

  @Test func killsAndFaultsThatDoNotFitAreRefused() throws {
    let good = edge(release: "{flag: config, to: off, at: 10m}", faults: killBug, policies: killPolicies, rollout: "100")
    #expect(try refusal(good) == nil)
    let enabled = try #require(try refusal(good.replacingOccurrences(of: "when: killed", with: "when: enabled")))
    #expect(enabled.contains("faults[0].when: the release turns the flag off"), "\(enabled)")
    let killing = try #require(try refusal(good.replacingOccurrences(of: ", onFail: rollBack}]\n  - name: big-bang-guarded", with: "}]\n  - name: big-bang-guarded")))
    #expect(killing.contains("policies[1].gates[0].onFail: a release that turns the flag off is stopped by rolling it back"), "\(killing)")
    let human = try #require(try refusal(good.replacingOccurrences(of: "onAlert: rollBack", with: "onAlert: kill")))
    #expect(human.contains("policies[0].onCall.onAlert"), "\(human)")
    let every = try #require(try refusal(good.replacingOccurrences(of: "to: off,", with: "to: off, every: 5m,")))
    #expect(every.contains("release.to"), "\(every)")
    let target = try #require(try refusal(good.replacingOccurrences(of: "to: off", with: "to: of")))
    #expect(target.contains("release.to") && target.contains("'of' is not a target"), "\(target)")
  }
}
