import Testing

@testable import Scenario

@Suite struct ScenarioLoadingTests {
  @Test func theSmallScenarioLoads() throws {
    #expect(try refusal(smallScenario) == nil)
  }

  @Test(arguments: [
    ("share: 0.9}]", "share: 1.4}]", "scenario.yaml:13:65: fleet.cohorts[1].share: 1.4 is not a fraction in 0...1"),
    ("duration: 6h", "duration: soon", "scenario.yaml:4:11: duration: 'soon' is not a duration such as 90s, 15m or 1h30m"),
    ("release: {flag: new-checkout}", "release: {flag: old-checkout}",
     "scenario.yaml:21:17: release.flag: 'old-checkout' is not a flag of the state (it has: new-checkout)"),
    ("kind: time-ramp", "kind: hope", "scenario.yaml:32:11: policies[1].kind: unknown value 'hope'"),
    ("operator: NUM_EQ", "operator: NUM_ABOUT", "scenario.yaml:24:15: faults[0].devices[0]: constraint on 'hardwareGeneration' has an unknown operator 'NUM_ABOUT'"),
    ("utcOffset: 1}]", "utcOffset: 19}]", "scenario.yaml:12:45: fleet.regions[0].utcOffset: 19 is not a UTC offset in -12...14 hours"),
    ("probability: 0.1", "probability: 2", "scenario.yaml:25:40: faults[0].effect.probability: 2 is not a fraction in 0...1"),
    ("start: 2026-03-02T06:00:00Z", "start: tuesday", "scenario.yaml:3:8: start: 'tuesday' is not an RFC 3339 time such as 2024-07-19T04:00:00Z"),
    ("- name: ramp", "- name: big-bang", "scenario.yaml:31:11: policies[1].name: 'big-bang' is used twice"),
    ("name: small", "name: small/../../etc", "scenario.yaml:1:7: name: 'small/../../etc' must be letters, digits, '-', '_' or '.'"),
    ("duration: 6h", "duration: 91d", "scenario.yaml:4:11: duration: 91d is not a duration between 1m and 90d"),
    ("    effect: {kind: crash", "    from: {min: 0s, max: 7h}\n    effect: {kind: crash",
     "scenario.yaml:25:26: faults[0].from.max: 7h is not in 0s...6h"),
    ("spread: 0.3}}", "spread: 0.3}, sessionLength: 2d}",
     "scenario.yaml:14:72: fleet.activity.sessionLength: 2d is not a duration in 1s...1d"),
    ("spread: 0.3}}", "spread: 0.3}, sessionLenght: 5m}",
     "scenario.yaml:14:57: fleet.activity.sessionLenght: unknown field 'sessionLenght'; did you mean 'sessionLength'?"),
    ("{kind: crash, probability: 0.1, reboot: 1m}", "{kind: crashLoop, probability: 0.1, reboot: 1m, fetchBeforeCrash: 1.5}",
     "scenario.yaml:25:79: faults[0].effect.fetchBeforeCrash: 1.5 is not a fraction in 0...1"),
    ("activity: {", "repair: {sharePerHour: 0.01, duration: {median: 1h, p99: 400d}}\n  activity: {",
     "scenario.yaml:14:42: fleet.repair.duration: draws reach"),
  ])
  func errorsNameTheFieldAndTheProblem(_ edit: (String, String, String)) throws {
    let (from, to, expected) = edit
    #expect(smallScenario.contains(from), "the fixture must contain \(from)")
    let message = try refusal(smallScenario.replacingOccurrences(of: from, with: to))
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  /// The mistakes a new user made (issue: inputs a user can trust), each refused on its line.
  @Test(arguments: [
    // Misspelt and unknown keys: never a silent default.
    ("faults:", "faultz:", "scenario.yaml:22:1: faultz: unknown field 'faultz'; did you mean 'faults'?"),
    ("probability: 0.1", "probabilty: 0.1", "scenario.yaml:25:27: faults[0].effect.probabilty: unknown field 'probabilty'; did you mean 'probability'?"),
    ("utcOffset: 1}]", "utcOffset: 1, timezone: CET}]", "scenario.yaml:12:48: fleet.regions[0].timezone: unknown field 'timezone'"),
    ("{name: internal, share: 0.1}", "{name: internal, share: 0.1, size: 4}", "scenario.yaml:13:42: fleet.cohorts[0].size: unknown field 'size'"),
    ("activity: {", "onlne: 0.5\n  activity: {", "scenario.yaml:14:3: fleet.onlne: unknown field 'onlne'"),
    ("activity: {", "devicesPerUsr: 2\n  activity: {", "scenario.yaml:14:3: fleet.devicesPerUsr: unknown field 'devicesPerUsr'; did you mean 'devicesPerUser'?"),
    ("reboot: 1m}", "reboot: 1m, latency: 2s}", "scenario.yaml:25:57: faults[0].effect.latency: unknown field 'latency'"),
    // The race and the boots a crash loop tries belong to crash loops only; repair is spelt as documented.
    ("reboot: 1m}", "reboot: 1m, fetchBeforeCrash: 0.2}", "scenario.yaml:25:57: faults[0].effect.fetchBeforeCrash: unknown field 'fetchBeforeCrash'"),
    ("activity: {", "repair: {sharePerHour: 0.01, rampup: 3d}\n  activity: {",
     "scenario.yaml:14:32: fleet.repair.rampup: unknown field 'rampup'; did you mean 'rampUp'?"),
    // A misspelt required field is named as the misspelling, not as "missing".
    ("{generation: 1, share: 0.5,", "{generation: 1, sahre: 0.5,", "scenario.yaml:9:23: fleet.hardwareGenerations[0].sahre: unknown field 'sahre'; did you mean 'share'?"),
    // A duration always has a unit.
    ("reboot: 1m}", "reboot: 60}", "scenario.yaml:25:53: faults[0].effect.reboot: a duration needs a unit: write 60s, 60m or 60h"),
    ("duration: 6h", "duration: 6", "scenario.yaml:4:11: duration: a duration needs a unit"),
    // Numbers out of range are refused, never trapped on.
    ("{median: 48, spread: 0.3}", "{median: 1e308, spread: 0.3}", "scenario.yaml:14:39: fleet.activity.sessionsPerDay.median: 1e+308 is not in 0...1440"),
    ("{median: 48, spread: 0.3}", "{median: 48, spread: 40}", "scenario.yaml:14:51: fleet.activity.sessionsPerDay.spread: 40 is not a log-normal spread"),
    ("devices: 3000", "devices: 1e19", "scenario.yaml:6:12: fleet.devices: expected a whole number, found 1e19"),
    ("threshold: 0.02,", "threshold: 1e308,", "scenario.yaml:41:53: policies[2].gates[0].threshold: 1e+308 is not a threshold for crashRate"),
    // Messages in words, not Swift's type names.
    ("seed: 5", "seed: abc", "scenario.yaml:2:7: seed: expected a whole number, 0 or more, found 'abc'"),
    ("seed: 5", "seed: {a: 1}", "scenario.yaml:2:7: seed: expected a whole number, 0 or more, found a mapping"),
    ("{median: 48, spread: 0.3}", "{median: six}", "scenario.yaml:14:39: fleet.activity.sessionsPerDay.median: expected a number, found 'six'"),
    ("probability: 0.1", "probability: \"0.1\"", "scenario.yaml:25:40: faults[0].effect.probability: expected a number, found the string \"0.1\""),
    ("probability: 0.1", "probability: ", "scenario.yaml:25:40: faults[0].effect.probability: expected a number, found nothing (null)"),
    // A fault on a field no device has would match nothing.
    ("contextName: hardwareGeneration", "contextName: hwGeneration", "scenario.yaml:24:29: faults[0].devices[0].contextName: no device has the context field 'hwGeneration'"),
    ("{kind: crash,", "{kind: crsh,", "scenario.yaml:25:20: faults[0].effect.kind: 'crsh' is not a fault kind"),
  ])
  func mistakesAreRefusedOnTheirLine(_ edit: (String, String, String)) throws {
    let (from, to, expected) = edit
    #expect(smallScenario.contains(from), "the fixture must contain \(from)")
    let message = try refusal(smallScenario.replacingOccurrences(of: from, with: to))
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  /// Users have exports from Unleash's admin UI, not API payloads: a scenario names the environment.
  @Test func flagStatesCanComeFromAnUnleashExport() throws {
    let exports = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("FlagEngineTests/Exports/admin-export-production.json")
    var export = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: exports)) as? [String: Any])
    // A second environment, as real exports have.
    let environments = try #require(export["featureEnvironments"] as? [[String: Any]])
    export["featureEnvironments"] = environments + environments.map { $0.merging(["environment": "development"]) { $1 } }
    // Exports name segments without their constraints; the user adds them.
    let segments = try #require(export["segments"] as? [[String: Any]])
    export["segments"] = segments.map {
      $0.merging(["constraints": [["contextName": "cohort", "operator": "IN", "values": ["internal"]]]]) { $1 }
    }
    let strategies = try #require(export["featureStrategies"] as? [[String: Any]])
    export["featureStrategies"] = ["production", "development"].flatMap { environment in
      strategies.map { $0.merging(["environment": environment]) { $1 } }
    }
    let data = try JSONSerialization.data(withJSONObject: export)
    let scenario = { (flags: String) in
      smallScenario.replacingOccurrences(
        of: """
          flags:
            state:
              features:
                - name: new-checkout
                  enabled: true
                  strategies: [{name: flexibleRollout, parameters: {rollout: "0", groupId: new-checkout}}]
          """, with: flags)
    }
    try withTemporaryFolder { folder in
      try data.write(to: folder.appendingPathComponent("export.json"))
      let path = folder.appendingPathComponent("scenario.yaml").path
      func load(_ flags: String) throws(ScenarioError) -> LoadedScenario {
        FileManager.default.createFile(atPath: path, contents: Data(scenario(flags).utf8))
        return try LoadedScenario.load(path: path)
      }
      let loaded = try load("flags:\n  path: export.json\n  environment: production")
      #expect(loaded.state.features.map(\.name).contains("new-checkout"))
      #expect(throws: ScenarioError.self) { try load("flags:\n  path: export.json") }
      do {
        _ = try load("flags:\n  path: export.json")
      } catch let error as ScenarioError {
        #expect(error.path == "flags.path")
        #expect(error.message.contains("development") && error.message.contains("production"))
        #expect(error.message.hasSuffix("with 'flags.environment: NAME'"))
      }
      do {
        _ = try load("flags:\n  path: export.json\n  environment: staging")
        Issue.record("loaded an environment the export does not have")
      } catch let error as ScenarioError {
        #expect(error.path == "flags.environment")
      }
    }
    #expect(try refusal(smallScenario.replacingOccurrences(of: "flags:\n  state:", with: "flags:\n  environment: production\n  state:"))?
      .contains("flags.environment: applies to an Unleash export") == true)
  }

  @Test func anEmptyFileSaysWhatAScenarioIs() throws {
    #expect(try refusal("") == "scenario.yaml: the file is empty (expected a scenario: a mapping with name, duration, fleet, flags, release and policies)")
    #expect(try refusal("name: x\nname: y\n")?.contains("'name' given twice") == true)
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
