import Foundation
import Testing

@Suite final class EvalCommandTests {
  let folder: URL
  let state: String

  deinit { try? FileManager.default.removeItem(at: folder) }

  init() throws {
    folder = try CommandLine.createTemporaryFolder()
    state = folder.appendingPathComponent("state.json").path
    try Data(#"""
      {"version":2,"features":[
        {"name":"on","enabled":true,"strategies":[{"name":"default"}],
         "variants":[{"name":"blue","weight":1,"payload":{"type":"string","value":"b\"q"}}]},
        {"name":"eu","enabled":true,"strategies":[{"name":"default","constraints":[{"contextName":"region","operator":"STR_STARTS_WITH","values":["eu"]}]}]},
        {"name":"broken","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"150"}}]}]}
      """#.utf8).write(to: URL(fileURLWithPath: state))
  }

  @Test func evaluatesCasesInOrder() throws {
    let cases = folder.appendingPathComponent("cases.jsonl").path
    try Data("""
      {"toggleName":"on","context":{"userId":"1"}}
      {"toggleName":"eu","context":{"properties":{"region":"eu-west"}}}

      {"toggleName":"eu","context":{"properties":{"region":"us-east"}}}
      {"toggleName":"missing","context":{}}
      """.utf8).write(to: URL(fileURLWithPath: cases))
    let outcome = try CommandLine.rollsim("eval", "--state", state, "--contexts", cases, "--quiet")
    #expect(outcome.status == 0)
    #expect(outcome.stdout == """
      {"toggleName":"on","enabled":true,"variant":{"name":"blue","enabled":true,"feature_enabled":true,"payload":{"type":"string","value":"b\\"q"}}}
      {"toggleName":"eu","enabled":true,"variant":{"name":"disabled","enabled":false,"feature_enabled":true}}
      {"toggleName":"eu","enabled":false,"variant":{"name":"disabled","enabled":false,"feature_enabled":false}}
      {"toggleName":"missing","enabled":false,"variant":{"name":"disabled","enabled":false,"feature_enabled":false}}

      """)
  }

  @Test func singleCaseAndWarnings() throws {
    let outcome = try CommandLine.rollsim("eval", "--state", state, "--flag", "broken", "--context", "{}")
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix(#"{"toggleName":"broken","enabled":false"#))
    #expect(outcome.stderr.contains("broken: strategy 'flexibleRollout' has a rollout of 150%, above 100; the flag is always off"))
  }

  @Test func aBadLineStopsTheStreamAfterTheAnswersBeforeIt() throws {
    let cases = folder.appendingPathComponent("bad.jsonl").path
    try Data("""
      {"toggleName":"on","context":{"userId":"1"}}
      {"toggleName":"eu","context":{"properties":{"region":"eu-west"}}}
      {"toggleName":"on","context":{"userId":7}}
      {"toggleName":"on","context":{"userId":"3"}}
      """.utf8).write(to: URL(fileURLWithPath: cases))
    let outcome = try CommandLine.rollsim("eval", "--state", state, "--contexts", cases, "--quiet")
    #expect(outcome.status == 1)
    // Answers are written as lines are read: those before the bad line are out, none after it.
    #expect(outcome.stdout.split(separator: "\n").map { $0.prefix(40) } == [
      #"{"toggleName":"on","enabled":true,"varia"#, #"{"toggleName":"eu","enabled":true,"varia"#,
    ])
    #expect(outcome.stderr == "rollsim: \(cases):3: context.userId: expected a string or null, found a number\n")
    let broken = try CommandLine.rollsim("eval", "--state", state, "--contexts", "-", "--quiet", stdin: "{\"toggleName\":\"on\"\n")
    #expect(broken.status == 1)
    #expect(broken.stderr == "rollsim: stdin:1: not valid JSON: the line ends inside an object at column 19\n")
  }

  @Test func unknownFlagsAreAnsweredAsUnleashDoesWithAWarning() throws {
    // yggdrasil reports such a flag as not found; SDKs then answer off, and so does the specification.
    let single = try CommandLine.rollsim("eval", "--state", state, "--flag", "brokn", "--context", "{}")
    #expect(single.status == 0)
    #expect(single.stdout == #"{"toggleName":"brokn","enabled":false,"variant":{"name":"disabled","enabled":false,"feature_enabled":false}}"# + "\n")
    #expect(single.stderr.contains(
      "rollsim: warning: flag 'brokn' is not in \(state); answered as off, as Unleash SDKs answer an unknown flag (did you mean 'broken'?)\n"))

    let lines = """
      {"toggleName":"new-chekout","context":{}}
      {"toggleName":"on","context":{}}
      {"toggleName":"new-chekout","context":{"userId":"2"}}
      {"toggleName":"zzz","context":{}}

      """
    let stream = try CommandLine.rollsim("eval", "--state", state, "--contexts", "-", stdin: lines)
    #expect(stream.status == 0)
    #expect(stream.stdout.split(separator: "\n").count == 4)
    let warnings = stream.stderr.split(separator: "\n").filter { $0.contains("is not in") }
    #expect(warnings == [
      "rollsim: warning: stdin:1: flag 'new-chekout' is not in \(state); answered as off, as Unleash SDKs answer an unknown flag",
      "rollsim: warning: stdin:4: flag 'zzz' is not in \(state); answered as off, as Unleash SDKs answer an unknown flag",
    ])
    #expect(stream.stderr.contains("rollsim: warning: 3 cases asked for flags that are not in \(state)\n"))
    let quiet = try CommandLine.rollsim("eval", "--state", state, "--contexts", "-", "--quiet", stdin: lines)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout == stream.stdout)
  }

  /// 300,000 cases through standard input: the answers come back in order, and the process's peak memory
  /// stays bounded (reading the whole input first took about 230 MB for as many lines). Half the cases ask
  /// for a flag the state does not have, each with its own name, and each has a property of its own name:
  /// neither may be kept per line.
  @Test func streamsAnyNumberOfCasesInBoundedMemory() throws {
    let count = 300_000
    let outcome = try CommandLine.measured(["eval", "--state", state, "--contexts", "-", "--seed", "3"]) { handle in
      var chunk = ""
      for index in 0..<count {
        let name = index % 2 == 0 ? "eu" : "missing-\(index)"
        let region = index % 3 == 0 ? "eu-west" : "us-east"
        chunk += #"{"toggleName":"\#(name)","context":{"userId":"u\#(index)","properties":{"region":"\#(region)","p\#(index)":"x"}}}"# + "\n"
        if chunk.utf8.count > 1 << 16 || index == count - 1 {
          try? handle.write(contentsOf: Data(chunk.utf8))
          chunk = ""
        }
      }
    }
    #expect(outcome.status == 0, "\(outcome.stderr.suffix(500))")
    let lines = outcome.stdout.split(separator: UInt8(ascii: "\n"))
    #expect(lines.count == count)
    var misplaced = 0
    for (index, line) in lines.enumerated() {
      let expected = index % 2 == 0
        ? #"{"toggleName":"eu","enabled":\#(index % 3 == 0),"#
        : #"{"toggleName":"missing-\#(index)","enabled":false,"#
      if !line.starts(with: expected.utf8) { misplaced += 1 }
    }
    #expect(misplaced == 0)
    // A warning per name up to a bound, then one line for the rest.
    #expect(outcome.stderr.split(separator: "\n").filter { $0.contains("is not in") }.count == 100)
    #expect(outcome.stderr.contains("warning: further unknown flags are not named\n"))
    #expect(outcome.stderr.contains("warning: 150000 cases asked for flags that are not in"))
    // Measured: about 25 MiB (the debug build), where reading everything first took 230 MB.
    #expect(outcome.maxResidentBytes > 0 && outcome.maxResidentBytes < 64 << 20, "peak memory \(outcome.maxResidentBytes >> 20) MiB")
    print("streamed \(count) cases, peak memory \(outcome.maxResidentBytes >> 20) MiB")
  }

  @Test func longLinesAreReadAndOverlongOnesRefused() throws {
    // A line longer than the 1 MiB read buffer makes it grow; one over 16 MiB is refused with its number.
    let long = #"{"toggleName":"eu","context":{"properties":{"region":"eu-west","note":""# + String(repeating: "x", count: 3 << 20) + #""}}}"#
    let grown = try CommandLine.measured(["eval", "--state", state, "--contexts", "-"]) { handle in
      try? handle.write(contentsOf: Data((#"{"toggleName":"on","context":{}}"# + "\n" + long + "\n" + #"{"toggleName":"eu","context":{}}"#).utf8))
    }
    #expect(grown.status == 0, "\(grown.stderr)")
    #expect(String(decoding: grown.stdout, as: UTF8.self).split(separator: "\n").map { $0.prefix(36) } == [
      #"{"toggleName":"on","enabled":true,"v"#, #"{"toggleName":"eu","enabled":true,"v"#, #"{"toggleName":"eu","enabled":false,""#,
    ])
    let overlong = try CommandLine.measured(["eval", "--state", state, "--contexts", "-", "--quiet"]) { handle in
      try? handle.write(contentsOf: Data((#"{"toggleName":"on","context":{}}"# + "\n").utf8))
      try? handle.write(contentsOf: Data(repeating: UInt8(ascii: " "), count: 17 << 20))
    }
    #expect(overlong.status == 1)
    #expect(overlong.stdout.count > 0)
    #expect(overlong.stderr == "rollsim: stdin:2: the line is longer than 16 MiB\n")
  }

  @Test func anUnleashExportIsEvaluatedForItsEnvironment() throws {
    let export = folder.appendingPathComponent("export.json").path
    try Data(#"""
      {"features": [{"name": "pay-later", "project": "default"}],
       "featureStrategies": [
         {"id": "s1", "featureName": "pay-later", "environment": "development", "strategyName": "default", "parameters": {}},
         {"id": "s2", "featureName": "pay-later", "environment": "production", "strategyName": "userWithId", "parameters": {"userIds": "7"}}],
       "featureEnvironments": [
         {"enabled": true, "featureName": "pay-later", "environment": "development"},
         {"enabled": true, "featureName": "pay-later", "environment": "production"}]}
      """#.utf8).write(to: URL(fileURLWithPath: export))
    let refused = try CommandLine.rollsim("eval", "--state", export, "--flag", "pay-later", "--context", "{}")
    #expect(refused.status == 1 && refused.stdout.isEmpty)
    #expect(refused.stderr == "rollsim: \(export): the export holds 2 environments ('development', 'production'); choose one with --environment NAME\n")
    for (environment, user, enabled) in [("development", "1", true), ("production", "1", false), ("production", "7", true)] {
      let outcome = try CommandLine.rollsim(
        "eval", "--state", export, "--environment", environment, "--flag", "pay-later", "--context", #"{"userId":"\#(user)"}"#)
      #expect(outcome.status == 0 && outcome.stderr.isEmpty)
      #expect(outcome.stdout.hasPrefix(#"{"toggleName":"pay-later","enabled":\#(enabled),"#), "\(environment) \(user)")
    }
    let payload = try CommandLine.rollsim("eval", "--state", state, "--environment", "production", "--flag", "on", "--context", "{}")
    #expect(payload.status == 1)
    #expect(payload.stderr.contains("environment 'production' was chosen, but this is a client-features state"))
  }

  @Test func benchEvalOutsideTheRepositorySaysWhereItLooked() throws {
    // Two levels inside the test's own folder, so `../shared` is a path nobody made (the temporary folder
    // itself may hold a `shared` link, as a clean-clone CI run beside `../shared` makes one).
    let inside = folder.appendingPathComponent("outside/repository")
    try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
    let outcome = try CommandLine.run(
      CommandLine.rollsim, ["bench", "eval", "--case", "constrained", "--evaluations", "10"], directory: inside)
    #expect(outcome.status == 1)
    let looked = inside.deletingLastPathComponent().appendingPathComponent("shared/bench/constrained-state.json").standardizedFileURL.path
    #expect(outcome.stderr.contains("is not at \(looked) "), "\(outcome.stderr)")
    #expect(outcome.stderr.contains("pass --constrained-state FILE") && outcome.stderr.contains("--state FILE"))
  }

  @Test func badStateNamesThePlace() throws {
    let bad = folder.appendingPathComponent("bad-state.json").path
    try Data(#"{"features":[{"name":"x","enabled":true,"strategies":[{"name":"default","segments":"1"}]}]}"#.utf8)
      .write(to: URL(fileURLWithPath: bad))
    let outcome = try CommandLine.rollsim("eval", "--state", bad, "--flag", "x", "--context", "{}")
    #expect(outcome.status == 1)
    #expect(outcome.stderr == "rollsim: \(bad): features[0].strategies[0].segments: expected a list, found a string\n")
    let missing = try CommandLine.rollsim("eval", "--state", "/nonexistent/state.json", "--flag", "x", "--context", "{}")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/nonexistent/state.json: cannot read the file"))
  }

  @Test func usageErrorsExitWithTwo() throws {
    let outcome = try CommandLine.rollsim("eval", "--state", state)
    #expect(outcome.status == 2)
    #expect(outcome.stderr.contains("give --contexts FILE, or --flag NAME with --context JSON"))
    let unknown = try CommandLine.rollsim("eval", "--state", state, "--flag", "on", "--context", "{}", "--bogus")
    #expect(unknown.status == 2)
  }
}
