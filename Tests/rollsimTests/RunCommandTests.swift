import Foundation
import Testing

@Suite struct RunCommandTests {
  @Test func runsTheDefaultScenarioSmallAndWritesEveryFile() throws {
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.appendingPathComponent("results").path
      let outcome = try CommandLine.rollsim(
        "run", "scenarios/progressive-release-template.yaml", "--devices", "2000", "--out", out, "--quiet", "--reproducible")
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stdout.contains("big-bang") && outcome.stdout.contains("guarded"))
      let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
      #expect(files == [".rollsim-results", "audit.jsonl", "report.html", "summary.json", "timeline.csv"])
      let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
      #expect(summary?["devices"] as? Int == 2000)
      #expect((summary?["policies"] as? [Any])?.count == 3)
    }
  }

  @Test func aBadScenarioIsRefusedWithoutWritingAnything() throws {
    try CommandLine.withTemporaryFolder { folder in
      let scenario = folder.appendingPathComponent("bad.yaml")
      let text = try String(contentsOfFile: CommandLine.packageRoot.appendingPathComponent("scenarios/progressive-release-template.yaml").path, encoding: .utf8)
        .replacingOccurrences(of: "- {name: beta, share: 0.045}", with: "- {name: beta, share: 1.4}")
      try Data(text.utf8).write(to: scenario)
      let out = folder.appendingPathComponent("results").path
      let outcome = try CommandLine.rollsim("run", scenario.path, "--out", out, "--quiet")
      #expect(outcome.status == 1)
      #expect(outcome.stderr == "rollsim: \(scenario.path):34:27: fleet.cohorts[1].share: 1.4 is not a fraction in 0...1\n")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test func badArgumentsExitWithTwo() throws {
    let outcome = try CommandLine.rollsim("run", "scenarios/progressive-release-template.yaml", "--devices", "0")
    #expect(outcome.status == 2)
    #expect(outcome.stderr.contains("The value '0' is invalid for '--devices <N>': must be a whole number in 1...1000000000"))
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.appendingPathComponent("never").path
      let unknown = try CommandLine.rollsim("run", "scenarios/progressive-release-template.yaml", "--policy", "nope", "--devices", "100", "--out", out)
      #expect(unknown.status == 1)
      #expect(unknown.stderr.contains("no policy named 'nope'"))
      #expect(!FileManager.default.fileExists(atPath: out))
      // A fleet this machine cannot hold is refused before it is built, not killed by the kernel half way.
      let huge = try CommandLine.rollsim("run", "scenarios/progressive-release-template.yaml", "--devices", "1000000000", "--out", out)
      #expect(huge.status == 1)
      #expect(huge.stderr.hasPrefix("rollsim: --devices: 1000000000 devices need about "), "\(huge.stderr)")
      #expect(huge.stderr.contains("more than this machine's"))
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }
}
