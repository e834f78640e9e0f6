import Foundation
import Testing

@Suite struct CapacityCommandTests {
  static let scenario = "scenarios/capacity-edge-10m.yaml"

  @Test func plansTheShippedScenarioSmallAndWritesEveryFile() throws {
    try CommandLine.withTemporaryFolder { folder in
    let out = folder.appendingPathComponent("a").path
    let outcome = try CommandLine.rollsim("capacity", Self.scenario, "--devices", "20000", "--eval-ns", "400", "--out", out, "--quiet", "--reproducible")
    #expect(outcome.status == 0, "\(outcome.stderr)")
    for text in ["API requests/s", "evaluations/s (edge)", "storms", "apiOutage", "edgeRestart", "stateChange", "servers", "needed at p99",
                 "through the worst storm", "cores for evaluation alone at the peak",
                 "Unleash Edge's published", "https://github.com/Unleash/unleash-edge/blob/main/docs/benchmarking.md"] {
      #expect(outcome.stdout.contains(text), "stdout lacks \(text)")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
    #expect(files == ["capacity.csv", "capacity.json", "report.html"])
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/capacity.json"))) as? [String: Any]
    #expect(json?["devices"] as? Int == 20000)
    let sizing = json?["sizing"] as? [String: Any]
    #expect((sizing?["measured"] as? [String: Any])?["nanosecondsPerEvaluation"] as? Double == 400)
    #expect(sizing?["coresAtPeak"] as? Double != nil)
    // Instances and cores per tier, at p99 and through the worst storm.
    let tiers = sizing?["tiers"] as? [[String: Any]] ?? []
    #expect(tiers.map { $0["tier"] as? String } == ["api", "edge"])
    for tier in tiers {
      for key in ["atP99", "atWorstStorm"] {
        let need = tier[key] as? [String: Any]
        #expect((need?["instances"] as? Int ?? 0) >= 1 && (need?["cores"] as? Double ?? 0) >= 1, "\(key) of \(tier["tier"] ?? "")")
      }
    }
    #expect((json?["storms"] as? [Any])?.count == 3)
    // Given the cost, the same scenario and seed give the same bytes, the cost and cores included.
    let again = folder.appendingPathComponent("b").path
    _ = try CommandLine.rollsim("capacity", Self.scenario, "--devices", "20000", "--eval-ns", "400", "--out", again, "--quiet", "--reproducible")
    for file in files {
      #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/" + file)) == Data(contentsOf: URL(fileURLWithPath: again + "/" + file)), "\(file) differs")
    }
    }
  }

  @Test func measuresTheEvaluationCostOnTheScenariosOwnState() throws {
    try CommandLine.withTemporaryFolder { folder in
    let out = folder.appendingPathComponent("results").path
    let outcome = try CommandLine.rollsim("capacity", Self.scenario, "--devices", "5000", "--evaluations", "20000", "--out", out, "--quiet")
    #expect(outcome.status == 0, "\(outcome.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/capacity.json"))) as? [String: Any]
    let measured = (json?["sizing"] as? [String: Any])?["measured"] as? [String: Any]
    #expect((measured?["nanosecondsPerEvaluation"] as? Double ?? 0) > 0)
    #expect((measured?["method"] as? String)?.contains("each of the state's 12 flags") == true)
    }
  }

  @Test func aBadCapacitySectionIsRefusedWithoutWritingAnything() throws {
    try CommandLine.withTemporaryFolder { folder in
    let scenario = folder.appendingPathComponent("bad.yaml")
    let text = try String(contentsOfFile: CommandLine.packageRoot.appendingPathComponent(Self.scenario).path, encoding: .utf8)
      .replacingOccurrences(of: "{kind: edgeRestart, at: 5h, down: 30s,", with: "{kind: edgeRestart, at: 5h, down: 0s,")
    try Data(text.utf8).write(to: scenario)
    let out = folder.appendingPathComponent("results").path
    let outcome = try CommandLine.rollsim("capacity", scenario.path, "--out", out, "--quiet")
    #expect(outcome.status == 1)
    #expect(outcome.stderr == "rollsim: \(scenario.path):158:41: capacity.storms[1].down: must be greater than 0\n")
    #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test func badArgumentsExitWithTwo() throws {
    let devices = try CommandLine.rollsim("capacity", Self.scenario, "--devices", "0")
    #expect(devices.status == 2)
    #expect(devices.stderr.contains("The value '0' is invalid for '--devices <N>': must be a whole number in 1...1000000000"))
    let cost = try CommandLine.rollsim("capacity", Self.scenario, "--eval-ns", "0")
    #expect(cost.status == 2)
    #expect(cost.stderr.contains("The value '0' is invalid for '--eval-ns <NS>': must be a number of nanoseconds greater than 0"))
  }
}
