import Foundation
import Testing

/// `rollsim sweep` through the built executable: shards, merges, refusals and what it leaves in its folder.
@Suite struct SweepCommandTests {
  static let scenario = "scenarios/progressive-release-template.yaml"
  /// Small and quick: 2 seeds of 1,000 devices, two policies.
  static let small = ["--seeds", "2", "--devices", "1000", "--policy", "big-bang", "--policy", "guarded", "--quiet"]

  func sweep(_ arguments: [String]) throws -> CommandLine.Outcome {
    try CommandLine.run(CommandLine.rollsim, ["sweep", Self.scenario] + arguments)
  }

  func files(_ folder: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

  @Test func twoShardsMergeIntoTheBytesOfOneAndLeaveOtherFilesAlone() throws {
    let folder = try CommandLine.createTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sharded = folder.appendingPathComponent("sharded").path
    let whole = folder.appendingPathComponent("whole").path
    try FileManager.default.createDirectory(atPath: sharded, withIntermediateDirectories: true)
    try Data("mine\n".utf8).write(to: URL(fileURLWithPath: sharded + "/notes.txt"))

    let first = try sweep(Self.small + ["--shard", "1/2", "--out", sharded])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.hasPrefix("shard 1 of 2: 2 records in \(sharded)/sweep-shard-1-of-2.jsonl\n"))
    #expect(try files(sharded) == ["notes.txt", "sweep-shard-1-of-2.jsonl"])
    #expect(try sweep(Self.small + ["--shard", "2/2", "--out", sharded]).status == 0)

    let merged = try sweep(["--merge", "--out", sharded])
    #expect(merged.status == 0, "\(merged.stderr)")
    // A table for people, not JSON.
    #expect(merged.stdout.hasPrefix("progressive-release-template: 2 seeds (42 to 43), 1,000 devices, 24h simulated, 2 shards, rollsim "))
    for row in ["devices failed", "failed device-hours", "devices needing manual recovery", "time to detect", "time to mitigate", "false-pause rate"] {
      #expect(merged.stdout.contains("\n" + row + " "), "no row '\(row)'")
    }
    #expect(!merged.stdout.contains("{"))
    #expect(try files(sharded) == ["notes.txt", "report.html", "sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl", "sweep.json"])
    #expect(try String(contentsOfFile: sharded + "/notes.txt", encoding: .utf8) == "mine\n")
    #expect(try String(contentsOfFile: sharded + "/report.html", encoding: .utf8).contains("<meta name=\"rollsim-report\" content=\"sweep\">"))

    // The same seeds in one shard: the same sweep.json, byte for byte.
    let one = try sweep(Self.small + ["--out", whole])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout.contains(", 1 shard, rollsim "))
    let shardedSummary = try Data(contentsOf: URL(fileURLWithPath: sharded + "/sweep.json"))
    #expect(shardedSummary == (try Data(contentsOf: URL(fileURLWithPath: whole + "/sweep.json"))))

    // The names scripts read, and the version `--version` prints.
    let summary = try #require(try JSONSerialization.jsonObject(with: shardedSummary) as? [String: Any])
    let policies = try #require(summary["policies"] as? [[String: Any]])
    #expect(policies.map { $0["name"] as? String } == ["big-bang", "guarded"])
    let hours = try #require(policies[0]["failedDeviceHours"] as? [String: Any])
    #expect(Set(hours.keys).isSuperset(of: ["mean", "low", "high"]))
    let falsePauses = try #require(policies[0]["falsePauseRate"] as? [String: Any])
    #expect(Set(falsePauses.keys) == ["rate", "low", "high"])
    let version = try CommandLine.rollsim("--version")
    #expect(version.status == 0)
    #expect(version.stdout == "\(summary["rollsimVersion"] as? String ?? "?")\n")

    // Merging again replaces only its own files.
    #expect(try sweep(["--merge", "--out", sharded]).status == 0)
    #expect(try files(sharded).count == 5)
  }

  @Test func mergeRefusesShardsOfDifferentSweepsAndIncompleteSets() throws {
    let folder = try CommandLine.createTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.path
    #expect(try sweep(Self.small + ["--shard", "1/2", "--out", out]).status == 0)
    var other = Self.small
    other[3] = "800"
    #expect(try sweep(other + ["--shard", "2/2", "--out", out]).status == 0)

    let mixed = try sweep(["--merge", "--out", out])
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("cannot merge shards of different sweeps: sweep-shard-2-of-2.jsonl and sweep-shard-1-of-2.jsonl differ in devices (800 and 1000)"))
    #expect(try files(out) == ["sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl"])

    try FileManager.default.removeItem(atPath: out + "/sweep-shard-2-of-2.jsonl")
    let incomplete = try sweep(["--merge", "--out", out])
    #expect(incomplete.status == 1)
    #expect(incomplete.stderr == "rollsim: \(out): cannot merge: shard 2 of 2 is missing (run --shard 2/2, then merge again)\n")

    let given = try sweep(["--merge", "--devices", "800", "--out", out])
    #expect(given.status == 1)
    #expect(given.stderr.contains("devices 1000 in the shards, 800 given"))

    #expect(try sweep(["--merge", "--shard", "1/2", "--out", out]).status == 2)
    #expect(try files(out) == ["sweep-shard-1-of-2.jsonl"])
  }

  @Test func refusesToReplaceFilesItDidNotWrite() throws {
    let folder = try CommandLine.createTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.path
    for (name, text) in [("sweep.json", "{\"mine\": true}\n"), ("report.html", "<!DOCTYPE html><title>mine</title>\n")] {
      try Data(text.utf8).write(to: folder.appendingPathComponent(name))
      let refused = try sweep(Self.small + ["--out", out])
      #expect(refused.status == 1)
      #expect(refused.stderr.hasPrefix("rollsim: \(out): \(name) is not a file rollsim sweep wrote"))
      // Refused before any work: nothing written, the file as it was.
      #expect(try files(out) == [name])
      #expect(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) == text)
      try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }
}
