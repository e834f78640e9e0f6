import Foundation
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
}
