import Testing

@testable import Scenario

/// A data-loss fault, its user reports and the background report rate, as a scenario writes them: every
/// mistake refused on its line, never a default.
@Suite struct DataLossDefinitionTests {
  static let crash = "{kind: crash, probability: 0.1, reboot: 1m}"

  @Test func aDataLossFaultWithReportsLoads() throws {
    let text = smallScenario.replacingOccurrences(of: Self.crash, with: "{kind: dataLoss, report: {share: 0.1, delay: {median: 1d, p99: 7d}}}")
      .replacingOccurrences(of: "policies:\n", with: "baseline: {reportRate: 0.0035, reportDelay: {median: 1d, p99: 7d}}\npolicies:\n")
    let loaded = try loadScenario(text)
    #expect(loaded.definition.faults[0].effect.kind == .dataLoss)
    #expect(loaded.definition.faults[0].effect.irreversible)
    #expect(loaded.definition.faults[0].effect.report?.share == 0.1)
    #expect(loaded.definition.baseline.reportRate == 0.0035)
  }

  @Test(arguments: [
    ("{kind: dataLoss, report: {share: 1.5, delay: 1d}}", "scenario.yaml:25:46: faults[0].effect.report.share: 1.5 is not a fraction in 0...1"),
    ("{kind: dataLoss, report: {share: 0.1, delay: 1d, channel: hub}}", "scenario.yaml:25:62: faults[0].effect.report.channel: unknown field 'channel'"),
    ("{kind: dataLoss, report: {share: 0.1}}", "scenario.yaml:25:38: faults[0].effect.report: missing required field 'delay'"),
    ("{kind: dataLoss, report: {share: 0.1, delay: {median: 1d, p99: 900d}}}", "scenario.yaml:25:58: faults[0].effect.report.delay: draws reach"),
    ("{kind: error, report: {share: 0.1, delay: 1d}}", "scenario.yaml:25:27: faults[0].effect.report: unknown field 'report'"),
    ("{kind: dataLoss, irreversible: false}", "scenario.yaml:25:44: faults[0].effect.irreversible: a data loss stays lost"),
    ("{kind: dataLoss, probability: 0.1, reboot: 1m}", "scenario.yaml:25:48: faults[0].effect.reboot: unknown field 'reboot'"),
    ("{kind: dataLos}", "scenario.yaml:25:20: faults[0].effect.kind: 'dataLos' is not a fault kind"),
  ])
  func faultMistakesAreRefusedOnTheirLine(_ edit: (String, String)) throws {
    let (to, expected) = edit
    let message = try refusal(smallScenario.replacingOccurrences(of: Self.crash, with: to))
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  @Test(arguments: [
    ("baseline: {reportRate: 1.2}", "scenario.yaml:26:24: baseline.reportRate: 1.2 is not a fraction in 0...1"),
    ("baseline: {reportRat: 0.1}", "scenario.yaml:26:12: baseline.reportRat: unknown field 'reportRat'; did you mean 'reportRate'?"),
    ("baseline: {reportRate: 0.1, reportDelay: {median: 1d, p99: 900d}}", "scenario.yaml:26:42: baseline.reportDelay: draws reach"),
  ])
  func baselineMistakesAreRefusedOnTheirLine(_ edit: (String, String)) throws {
    let (to, expected) = edit
    let message = try refusal(smallScenario.replacingOccurrences(of: "policies:\n", with: "\(to)\npolicies:\n"))
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  @Test func oneDataLossFaultAtMostAndNeverWhenKilled() throws {
    let two = smallScenario.replacingOccurrences(of: Self.crash, with: "{kind: dataLoss}\n  - name: second\n    effect: {kind: dataLoss}")
    let twoMessage = try refusal(two)
    #expect(twoMessage?.contains("faults[1].effect.kind: one dataLoss fault at most") == true, "\(twoMessage ?? "loaded")")
    let killed = smallScenario.replacingOccurrences(of: Self.crash, with: "{kind: dataLoss}")
      .replacingOccurrences(of: "  - name: crash\n", with: "  - name: crash\n    when: killed\n")
    let killedMessage = try refusal(killed)
    #expect(killedMessage?.contains("faults[0].when: a data loss bites at a session the flag is on for") == true, "\(killedMessage ?? "loaded")")
  }

  @Test func aReportGateNeedsItsBaselineAndWait() throws {
    let gate = "{kind: guard, metric: crashRate, threshold: 0.02, windows: 2, minSample: 20}"
    #expect(smallScenario.contains(gate))
    let noWait = smallScenario.replacingOccurrences(of: gate, with: "{kind: sprt, metric: reports, baseline: 0.0035}")
    let noWaitMessage = try refusal(noWait)
    #expect(noWaitMessage?.contains("policies[2].gates[0].wait: an sprt gate on reports needs wait") == true, "\(noWaitMessage ?? "loaded")")
    let ok = smallScenario.replacingOccurrences(of: gate, with: "{kind: sprt, metric: reports, baseline: 0.0035, wait: 3d}")
    #expect(try refusal(ok) == nil)
  }
}
