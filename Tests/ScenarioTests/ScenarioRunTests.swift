import Foundation
import Rollout
import Simulation
import Testing

@testable import Scenario

@Suite struct ScenarioRunTests {
  func run(seed: UInt64? = nil) throws -> ScenarioOutcome {
    try ScenarioRunner.run(loadScenario(smallScenario), options: RunOptions(seed: seed))
  }

  @Test func theSameSeedGivesByteIdenticalResults() throws {
    let a = try run()
    let b = try run()
    #expect(ResultWriter.summary(a, reproducible: true).pretty == ResultWriter.summary(b, reproducible: true).pretty)
    #expect(ResultWriter.timeline(a) == ResultWriter.timeline(b))
    #expect(ResultWriter.audit(a) == ResultWriter.audit(b))
    let other = try run(seed: 6)
    #expect(ResultWriter.timeline(other) != ResultWriter.timeline(a))
  }

  @Test func theGuardedPolicyLimitsTheDamage() throws {
    let outcome = try run()
    let byName = Dictionary(uniqueKeysWithValues: outcome.policies.map { ($0.name, $0) })
    let bigBang = try #require(byName["big-bang"])
    let guarded = try #require(byName["guarded"])
    #expect(bigBang.result.devicesFailed > 0)
    #expect(guarded.result.devicesFailed * 3 < bigBang.result.devicesFailed)
    #expect(guarded.finalState != .completed)
    #expect(guarded.timeToMitigate != nil)
    // Every decision is in the audit log, with its rule and reason.
    let audit = ResultWriter.audit(outcome).split(separator: "\n")
    #expect(audit.count == outcome.policies.map(\.decisions.count).reduce(0, +))
    #expect(audit.allSatisfy { $0.contains("\"reason\":") && $0.contains("\"rule\":") })
  }

  /// "big-bang-guarded": everything at once, watched by automatic gates. Released after an hour of
  /// telemetry, the gates compare each cohort with itself before the release (no control is left) and
  /// roll the fault back by machine; without that hour they have nothing to compare with, and
  /// summary.json says the policy was blind.
  @Test func aGuardedBigBangDetectsThroughTheBefore() throws {
    func scenario(at: String) -> String {
      smallScenario
        .replacingOccurrences(of: "release: {flag: new-checkout}", with: "release: {flag: new-checkout, at: \(at)}")
        .replacingOccurrences(
          of: "effect: {kind: crash, probability: 0.1, reboot: 1m}", with: "effect: {kind: error, probability: 0.1}")
        .replacingOccurrences(
          of: "- name: ramp\n    kind: time-ramp\n    steps: [50, 100]\n    interval: 1h",
          with: "- name: big-bang-guarded\n    kind: release-plan\n    milestones: [{rollout: 100}]\n    gates:\n"
            + "      - {kind: anytime-valid, metric: failureRate}\n"
            + "      - {kind: guard, metric: errorRate, compare: difference, threshold: 0.03, windows: 2, minSample: 20}")
    }
    let outcome = try ScenarioRunner.run(loadScenario(scenario(at: "1h")), options: RunOptions(policies: ["big-bang-guarded"]))
    let guarded = try #require(outcome.policies.first)
    let stop = try #require(guarded.decisions.first { $0.action == .rollBack || $0.action == .kill })
    #expect(stop.audit.rule?.kind != "human")
    #expect(stop.audit.evaluations.first { $0.rule == stop.audit.rule }?.basis == .beforeAfter)
    #expect(try #require(guarded.timeToMitigate) <= 20 * 60)
    #expect(guarded.blindIntervals.isEmpty)

    let early = try ScenarioRunner.run(loadScenario(scenario(at: "0s")), options: RunOptions(policies: ["big-bang-guarded"]))
    let blind = try #require(early.policies.first)
    #expect(!blind.decisions.contains { $0.action == .rollBack || $0.action == .kill })
    let summary = ResultWriter.summary(early, reproducible: true).pretty
    #expect(summary.contains("\"blindSeconds\": "))
    #expect(summary.contains("\"phase\": \"after the last milestone\""))
    #expect(blind.blindIntervals.reduce(0) { $0 + $1.seconds } >= 5 * 3600)
  }

  /// The on-call human acts at the page plus the response (30 minutes here), not at a window's delivery,
  /// and the audit's reason quotes the same times as its timestamps.
  @Test func theHumanActsAtThePagePlusTheResponse() throws {
    let outcome = try run()
    let bigBang = try #require(outcome.policies.first { $0.name == "big-bang" })
    let alert = try #require(bigBang.decisions.first { $0.action == .alert })
    let kill = try #require(bigBang.decisions.first { $0.action == .kill })
    #expect(kill.time == alert.time + .minutes(30))
    #expect(kill.audit.reason.hasPrefix("on-call, paged at \(ReadableText.clock(alert.time)) by alert 'alert-1', responded 30m later:"))
  }

  @Test func resultsAreWrittenWholeOrNotAtAll() throws {
    let outcome = try run()
    try withTemporaryFolder { temporary in
      let folder = temporary.appendingPathComponent("results").path
      try ResultWriter.write(
        outcome, page: "<!DOCTYPE html>", to: ResultsFolder.prepare(folder, files: ResultWriter.files), reproducible: true, command: "test")
      let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
      #expect(files == [".rollsim-results", "audit.jsonl", "report.html", "summary.json", "timeline.csv"])
      // Writing again replaces the files.
      try ResultWriter.write(
        outcome, page: "<!DOCTYPE html>", to: ResultsFolder.prepare(folder, files: ResultWriter.files), reproducible: true, command: "test")
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == files)
      // A destination that cannot be a folder: refused before anything is written, and nothing left beside it.
      #expect(throws: ScenarioError.self) { try ResultsFolder.prepare(folder + "/summary.json/inside", files: ResultWriter.files) }
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == files)
    }
  }

  @Test func timelineHasOneRowPerWindowAndPolicy() throws {
    let outcome = try run()
    let lines = ResultWriter.timeline(outcome).split(separator: "\n")
    #expect(lines.first == Substring(ResultWriter.timelineHeader.joined(separator: ",")))
    // 6 hours of 5-minute windows, three policies.
    #expect(lines.count == 1 + 3 * 72)
  }

  @Test func unknownPoliciesAndSizesAreRefused() throws {
    let loaded = try loadScenario(smallScenario)
    #expect(throws: ScenarioError.self) { try ScenarioRunner.run(loaded, options: RunOptions(policies: ["nope"])) }
    #expect(throws: ScenarioError.self) { try ScenarioRunner.run(loaded, options: RunOptions(devices: 0)) }
    let one = try ScenarioRunner.run(loaded, options: RunOptions(devices: 500, policies: ["guarded"]))
    #expect(one.policies.map(\.name) == ["guarded"])
    #expect(one.devices == 500)
  }

  @Test func aDrawnArrivalIsInTheSummaryAndTheFaultWaitsForIt() throws {
    let arriving = smallScenario.replacingOccurrences(
      of: "    effect: {kind: crash, probability: 0.1, reboot: 1m}",
      with: "    from: {min: 1h, max: 4h}\n    until: 5h\n    effect: {kind: crash, probability: 0.1, reboot: 1m}")
    #expect(arriving != smallScenario)
    let loaded = try loadScenario(arriving)
    let options = RunOptions(devices: 1_000, policies: ["big-bang"])
    let outcome = try ScenarioRunner.run(loaded, options: options)
    let window = try #require(outcome.faultWindows.first)
    #expect(window.from > .hours(1) && window.from < .hours(4))
    #expect(window.until == .hours(5))
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(ResultWriter.summary(outcome, reproducible: true).pretty.utf8)) as? [String: Any])
    let faults = try #require(summary["faults"] as? [[String: Any]])
    #expect(faults.count == 1)
    #expect(faults[0]["name"] as? String == "crash")
    #expect(faults[0]["arrivalSeconds"] as? Double == window.from.seconds)
    #expect(faults[0]["untilSeconds"] as? Double == 18_000)
    // Nothing fails before the fault arrives.
    let first = try #require(outcome.policies[0].result.firstFailure)
    #expect(first >= window.from)
    // Another seed, another arrival; the same seed, the same.
    var other = options
    other.seed = 77
    #expect(try ScenarioRunner.run(loaded, options: other).faultWindows != outcome.faultWindows)
    #expect(try ScenarioRunner.run(loaded, options: options).faultWindows == outcome.faultWindows)
    // A scenario whose faults have plain times says so too, with no until.
    let plain = try #require(
      try JSONSerialization.jsonObject(with: Data(ResultWriter.summary(try run(), reproducible: true).pretty.utf8)) as? [String: Any])
    let plainFault = try #require((plain["faults"] as? [[String: Any]])?.first)
    #expect(plainFault["arrivalSeconds"] as? Double == 0)
    #expect(plainFault["untilSeconds"] is NSNull)
  }
}
