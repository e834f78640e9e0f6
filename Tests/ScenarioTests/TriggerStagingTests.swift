import Foundation
import Simulation
import Testing

@testable import Scenario

/// A policy that stages a fault's trigger (`startsAtArrivalOf`): Google's remediation of its Service Control
/// outage, policy data propagated region by region instead of globally within seconds. Its release starts
/// when the fault arrives, on the faulty release and on the sweep's healthy variant alike.
@Suite struct TriggerStagingTests {
  /// The small scenario with the crash arriving between 1 h and 4 h, and a fourth policy staging its trigger.
  static let text = smallScenario.replacingOccurrences(
    of: "    effect: {kind: crash, probability: 0.1, reboot: 1m}",
    with: "    from: {min: 1h, max: 4h}\n    effect: {kind: crash, probability: 0.1, reboot: 1m}")
    + """

      - name: staged-trigger
        kind: release-plan
        startsAtArrivalOf: crash
        milestones:
          - {cohorts: [internal], minDwell: 30m}
          - {rollout: 100}
        gates:
          - {kind: guard, metric: crashRate, threshold: 0.02, windows: 2, minSample: 20}

    """

  @Test func theReleaseStartsWhenTheFaultArrives() throws {
    let scenario = try loadScenario(Self.text)
    let healthy = try scenario.withoutFaults()
    var arrivals: Set<SimulatedTime> = []
    for seed: UInt64 in [5, 6, 7] {
      let options = RunOptions(devices: 300, seed: seed, policies: ["guarded", "staged-trigger"])
      let run = try ScenarioRunner.run(scenario, options: options)
      let arrival = try #require(run.faultWindows.first).from
      arrivals.insert(arrival)
      let guarded = try #require(run.policies.first { $0.name == "guarded" })
      let staged = try #require(run.policies.first { $0.name == "staged-trigger" })
      // The ordinary plan starts at release.at (the run's start); the staged trigger at the first read
      // after the arrival: within one telemetry window and its delivery (5 min by default) of it.
      #expect(try #require(guarded.decisions.first).time == .zero)
      let start = try #require(staged.decisions.first).time
      #expect(start >= arrival && start < arrival + .minutes(15), "seed \(seed): started at \(start), fault at \(arrival)")
      // The healthy variant keeps the trigger's arrival, harmless: the same start, and nothing fails.
      let clean = try ScenarioRunner.run(healthy, options: options)
      let cleanStaged = try #require(clean.policies.first { $0.name == "staged-trigger" })
      #expect(try #require(cleanStaged.decisions.first).time == start)
      #expect(cleanStaged.result.devicesFailed == 0)
    }
    #expect(arrivals.count == 3)
  }

  /// Such a policy can never meet its fault late, so the late-arrival comparison neither waits for it nor
  /// lists it; sweep.json says which policies start with a fault.
  @Test func lateArrivalsLeaveItOut() throws {
    try withTemporaryFile(Self.text) { path in
      let scenario = try LoadedScenario.load(path: path)
      let shard = try Sweep.run(scenario, seeds: 2, shard: 1, of: 1, options: RunOptions(devices: 200, policies: ["guarded", "staged-trigger"]))
      let merged = try Sweep.merge([("sweep-shard-1-of-1.jsonl", shard)], in: "DIR")
      let summary = Sweep.summary(merged, scenario: scenario)
      let late = try #require(summary.lateArrivals)
      #expect(late.policies.map(\.name) == ["guarded"])
      #expect(summary.policies.map(\.startsWithFault) == [false, true])
      #expect(Sweep.json(summary).compact.contains("\"startsWithFault\":true"))
    }
  }

  @Test func aTriggerMustBeAFaultTheFlagGates() throws {
    let unknown = try #require(try refusal(Self.text.replacingOccurrences(of: "startsAtArrivalOf: crash", with: "startsAtArrivalOf: crsh")))
    #expect(unknown.contains("policies[3].startsAtArrivalOf: no fault is named 'crsh' (faults: 'crash')"), "\(unknown)")
    let line = try #require(Self.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("startsAtArrivalOf") }) + 1
    #expect(unknown.hasPrefix("scenario.yaml:\(line):"), "\(unknown)")
    let always = try #require(
      try refusal(Self.text.replacingOccurrences(of: "    from: {min: 1h, max: 4h}", with: "    when: always\n    from: {min: 1h, max: 4h}")))
    #expect(always.contains("policies[3].startsAtArrivalOf: the fault 'crash' does not bite where the flag is on"), "\(always)")
  }
}
