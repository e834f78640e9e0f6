import Testing

@testable import Scenario

@Suite struct ScenarioLoadingTests {
  @Test func theSmallScenarioLoads() throws {
    #expect(try refusal(smallScenario) == nil)
  }

  @Test(arguments: [
    ("share: 0.9}]", "share: 1.4}]", "scenario.yaml: fleet.cohorts[1].share: 1.4 is not a fraction in 0...1"),
    ("duration: 6h", "duration: soon", "scenario.yaml: duration: expected a time span such as \"90s\", \"15m\" or \"1h30m\", found \"soon\""),
    ("release: {flag: new-checkout}", "release: {flag: old-checkout}",
     "scenario.yaml: release.flag: 'old-checkout' is not a flag of the state (it has: new-checkout)"),
    ("kind: time-ramp", "kind: hope", "scenario.yaml: policies[1].kind"),
    ("operator: NUM_EQ", "operator: NUM_ABOUT", "scenario.yaml: faults[0].devices[0]: constraint on 'hardwareGeneration' has an unknown operator 'NUM_ABOUT'"),
    ("utcOffset: 1}]", "utcOffset: 19}]", "scenario.yaml: fleet.regions[0].utcOffset: 19 is not a UTC offset in -12...14 hours"),
    ("probability: 0.1", "probability: 2", "scenario.yaml: faults[0].effect.probability: 2 is not a fraction in 0...1"),
    ("start: 2026-03-02T06:00:00Z", "start: tuesday", "scenario.yaml: start: 'tuesday' is not an RFC 3339 time such as 2024-07-19T04:00:00Z"),
    ("- name: ramp", "- name: big-bang", "scenario.yaml: policies[1].name: 'big-bang' is used twice"),
    ("name: small", "name: small/../../etc", "scenario.yaml: name: 'small/../../etc' must be letters, digits, '-', '_' or '.'"),
  ])
  func errorsNameTheFieldAndTheProblem(_ edit: (String, String, String)) throws {
    let (from, to, expected) = edit
    #expect(smallScenario.contains(from), "the fixture must contain \(from)")
    let message = try refusal(smallScenario.replacingOccurrences(of: from, with: to))
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  @Test func missingAndMalformedFiles() throws {
    #expect(try refusal("name: x\n  - : [")?.contains("not valid YAML") == true)
    #expect(try refusal("name: x\nseed: 1\n")?.contains("missing required field 'duration'") == true)
    do {
      _ = try LoadedScenario.load(path: "/nonexistent/scenario.yaml")
      Issue.record("loaded a missing file")
    } catch {
      #expect(error.description == "/nonexistent/scenario.yaml: cannot read the file (missing or not readable)")
    }
  }

  @Test func flagStatesCanComeFromAFile() throws {
    try withTemporaryFile(#"{"version":2,"features":[{"name":"new-checkout","enabled":true,"strategies":[]}]}"#, name: "state.json") { state in
    let folder = (state as NSString).deletingLastPathComponent
    let text = smallScenario.replacingOccurrences(
      of: """
        flags:
          state:
            features:
              - name: new-checkout
                enabled: true
                strategies: [{name: flexibleRollout, parameters: {rollout: "0", groupId: new-checkout}}]
        """, with: "flags:\n  path: state.json")
    let path = folder + "/scenario.yaml"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let loaded = try LoadedScenario.load(path: path)
    #expect(loaded.state.features.map(\.name) == ["new-checkout"])
    }
  }
}

import Foundation
