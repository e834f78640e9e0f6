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

  @Test func badContextLineStopsBeforeAnyOutput() throws {
    let cases = folder.appendingPathComponent("bad.jsonl").path
    try Data("""
      {"toggleName":"on","context":{"userId":"1"}}
      {"toggleName":"on","context":{"userId":7}}
      """.utf8).write(to: URL(fileURLWithPath: cases))
    let outcome = try CommandLine.rollsim("eval", "--state", state, "--contexts", cases, "--quiet")
    #expect(outcome.status == 1)
    #expect(outcome.stdout.isEmpty)
    #expect(outcome.stderr == "rollsim: \(cases):2: context.userId: expected a string or null, found a number\n")
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
