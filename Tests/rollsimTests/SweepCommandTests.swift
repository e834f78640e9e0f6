import Foundation
import Testing

/// `rollsim sweep` through the built executable: shards, merges, refusals and what it leaves in its folder.
@Suite struct SweepCommandTests {
  static let scenario = "scenarios/progressive-release-template.yaml"
  /// Small and quick: 2 seeds of 1,000 devices, two policies.
  static let small = ["--seeds", "2", "--devices", "1000", "--policy", "big-bang", "--policy", "guarded", "--quiet"]

  func sweep(_ arguments: [String], in directory: URL = CommandLine.packageRoot) throws -> CommandLine.Outcome {
    let scenario = CommandLine.packageRoot.appendingPathComponent(Self.scenario).path
    return try CommandLine.run(CommandLine.rollsim, ["sweep", scenario] + arguments, directory: directory)
  }

  func files(_ folder: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

  func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  @Test func shardsRunAtOnceIntoOneFolderMergeIntoTheBytesOfOneAndLeaveOtherFilesAlone() throws {
    try CommandLine.withTemporaryFolder { folder in
      // A job array's two tasks, started together into a folder neither finds (nor its parent).
      let sharded = folder.appendingPathComponent("array/sweep").path
      let outcomes = Outcomes()
      DispatchQueue.concurrentPerform(iterations: 2) { index in
        outcomes.add(index, Result { try sweep(Self.small + ["--shard", "\(index + 1)/2", "--out", sharded]) })
      }
      for index in 0..<2 {
        let outcome = try outcomes.get(index)
        #expect(outcome.status == 0, "shard \(index + 1): \(outcome.stderr)")
        #expect(outcome.stdout == "shard \(index + 1) of 2: 2 records (1 of 2 seeds, 2 policies)\n")
        #expect(outcome.stderr.isEmpty)
      }
      #expect(try files(sharded) == [".rollsim-results", "sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl"])
      #expect(try files(folder.appendingPathComponent("array").path) == ["sweep"])

      // The user keeps notes beside the shards; the merge leaves them.
      try Data("mine\n".utf8).write(to: URL(fileURLWithPath: sharded + "/notes.txt"))
      let merged = try sweep(["--merge", "--out", sharded])
      #expect(merged.status == 0, "\(merged.stderr)")
      // A table for people, not JSON; where the files went on stderr.
      #expect(merged.stdout.hasPrefix("progressive-release-template: 2 seeds (42 to 43), 1,000 devices, 24h simulated, 2 shards, rollsim "))
      for row in ["devices failed", "failed device-hours", "devices needing manual recovery", "time to detect", "time to mitigate", "false-pause rate"] {
        #expect(merged.stdout.contains("\n" + row + " "), "no row '\(row)'")
      }
      #expect(!merged.stdout.contains("{"))
      #expect(merged.stderr == "results: \(sharded)/ (sweep.json, report.html)\n")
      #expect(try files(sharded) == [".rollsim-results", "notes.txt", "report.html", "sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl", "sweep.json"])
      #expect(try text(sharded + "/notes.txt") == "mine\n")
      #expect(try text(sharded + "/report.html").contains("<meta name=\"rollsim-report\" content=\"sweep\">"))
      let manifest = try text(sharded + "/.rollsim-results")
      for name in ["sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl", "sweep.json", "report.html"] {
        #expect(manifest.contains("\nfile: \(name)\n"), "\(name) is not in the manifest")
      }
      #expect(!manifest.contains("notes.txt"))

      // The same seeds in one shard: the same sweep.json, byte for byte.
      let whole = folder.appendingPathComponent("whole").path
      let one = try sweep(Self.small + ["--out", whole])
      #expect(one.status == 0, "\(one.stderr)")
      #expect(one.stdout.contains(", 1 shard, rollsim "))
      let shardedSummary = try Data(contentsOf: URL(fileURLWithPath: sharded + "/sweep.json"))
      #expect(shardedSummary == (try Data(contentsOf: URL(fileURLWithPath: whole + "/sweep.json"))))
      #expect(try files(whole) == [".rollsim-results", "report.html", "sweep-shard-1-of-1.jsonl", "sweep.json"])

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
      #expect(try sweep(["--merge", "--quiet", "--out", sharded]).status == 0)
      #expect(try files(sharded).count == 6)
      #expect(try text(sharded + "/notes.txt") == "mine\n")
    }
  }

  @Test func mergeRefusesShardsOfDifferentSweepsAndIncompleteSets() throws {
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.path
      #expect(try sweep(Self.small + ["--shard", "1/2", "--out", out]).status == 0)
      var other = Self.small
      other[3] = "800"
      #expect(try sweep(other + ["--shard", "2/2", "--out", out]).status == 0)

      let mixed = try sweep(["--merge", "--out", out])
      #expect(mixed.status == 1)
      #expect(mixed.stderr.contains("cannot merge shards of different sweeps: sweep-shard-2-of-2.jsonl and sweep-shard-1-of-2.jsonl differ in devices (800 and 1000)"))
      #expect(try files(out) == [".rollsim-results", "sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl"])

      try FileManager.default.removeItem(atPath: out + "/sweep-shard-2-of-2.jsonl")
      let incomplete = try sweep(["--merge", "--out", out])
      #expect(incomplete.status == 1)
      #expect(incomplete.stderr == "rollsim: \(out): cannot merge: shard 2 of 2 is missing (run --shard 2/2, then merge again)\n")

      let given = try sweep(["--merge", "--devices", "800", "--out", out])
      #expect(given.status == 1)
      #expect(given.stderr.contains("devices 1000 in the shards, 800 given"))

      #expect(try sweep(["--merge", "--shard", "1/2", "--out", out]).status == 2)
      #expect(try files(out) == [".rollsim-results", "sweep-shard-1-of-2.jsonl"])
    }
  }

  @Test func refusesBeforeAnyWorkToReplaceFilesItDidNotWrite() throws {
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.appendingPathComponent("sweep").path
      #expect(try sweep(Self.small + ["--shard", "1/2", "--out", out]).status == 0)
      #expect(try sweep(Self.small + ["--shard", "2/2", "--out", out]).status == 0)
      // The user's own sweep.json and report.html in Rollsim's folder: neither a merge nor a whole sweep
      // replaces them, and both stop before they start (no table, the folder as it was).
      for (name, text) in [("sweep.json", "{\"mine\": true}\n"), ("report.html", "<!DOCTYPE html><title>mine</title>\n")] {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(out)/\(name)"))
        let before = try CommandLine.snapshot(folder)
        for arguments in [["--merge", "--out", out], Self.small + ["--out", out]] {
          let refused = try sweep(arguments)
          #expect(refused.status == 1)
          #expect(
            refused.stderr.hasPrefix("rollsim: \(out): cannot write the results: \(name) there was not written by Rollsim"),
            "\(refused.stderr)")
          #expect(refused.stderr.contains("--force"))
          #expect(refused.stdout.isEmpty)
          #expect(try CommandLine.snapshot(folder) == before)
        }
        try FileManager.default.removeItem(atPath: "\(out)/\(name)")
      }
    }
  }

  @Test func shardsGatheredByHandAreMergedOnlyWithForce() throws {
    try CommandLine.withTemporaryFolder { folder in
      // Shards written where their tasks ran, then copied into a folder of the user's with their notes.
      let ran = folder.appendingPathComponent("ran").path
      let gathered = folder.appendingPathComponent("gathered").path
      #expect(try sweep(Self.small + ["--shard", "1/2", "--out", ran]).status == 0)
      #expect(try sweep(Self.small + ["--shard", "2/2", "--out", ran]).status == 0)
      try FileManager.default.createDirectory(atPath: gathered, withIntermediateDirectories: false)
      for name in ["sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl"] {
        try FileManager.default.copyItem(atPath: "\(ran)/\(name)", toPath: "\(gathered)/\(name)")
      }
      try Data("mine\n".utf8).write(to: URL(fileURLWithPath: gathered + "/notes.txt"))
      try Data("{\"mine\": true}\n".utf8).write(to: URL(fileURLWithPath: gathered + "/sweep.json"))
      let before = try CommandLine.snapshot(folder)

      let refused = try sweep(["--merge", "--out", gathered])
      #expect(refused.status == 1)
      #expect(refused.stderr.hasPrefix(
        "rollsim: \(gathered): not a Rollsim results folder, and not empty (notes.txt, sweep-shard-1-of-2.jsonl, sweep-shard-2-of-2.jsonl and 1 more)"))
      #expect(refused.stderr.contains("add --force to replace only sweep.json, report.html there"))
      #expect(try CommandLine.snapshot(folder) == before)

      // --force: the summary and page are written (the user's sweep.json, having the name, is replaced),
      // the shards and the notes stay, and nothing is removed.
      let forced = try sweep(["--merge", "--force", "--quiet", "--out", gathered])
      #expect(forced.status == 0, "\(forced.stderr)")
      #expect(try files(gathered) == [".rollsim-results", "notes.txt", "report.html", "sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl", "sweep.json"])
      #expect(try text(gathered + "/notes.txt") == "mine\n")
      #expect(try text(gathered + "/sweep.json").contains("\"kind\": \"rollsim sweep\""))
      #expect(before["gathered/sweep-shard-1-of-2.jsonl"] == (try CommandLine.snapshot(folder))["gathered/sweep-shard-1-of-2.jsonl"])
    }
  }

  @Test func theDefaultFolderIsUnderOutAndHelpSaysSo() throws {
    // Started in a fresh folder, rollsim sweep writes out/<scenario name>-sweep/ there (out/ is
    // git-ignored in the repository), beside a run's out/<scenario name>/ rather than inside it.
    try CommandLine.withTemporaryFolder { folder in
      let outcome = try sweep(["--seeds", "1", "--devices", "300", "--policy", "big-bang"], in: folder)
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stderr == "results: out/progressive-release-template-sweep/ (sweep-shard-1-of-1.jsonl, sweep.json, report.html)\n")
      #expect(try files(folder.path) == ["out"])
      #expect(try files(folder.appendingPathComponent("out").path) == ["progressive-release-template-sweep"])
    }
    let help = try CommandLine.rollsim("sweep", "--help")
    #expect(help.status == 0)
    // As the parser wraps it: the words, whatever the line breaks.
    let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("(default: out/<scenario name>-sweep/)"), "\(help.stdout)")
    #expect(help.stdout.contains("--force"))
  }

  @Test func aFirstSeedWhoseLastSeedOverflowsIsACommandLineError() throws {
    let outcome = try sweep(["--seeds", "2", "--seed", "9223372036854775807"])
    #expect(outcome.status == 2)
    #expect(outcome.stderr.hasPrefix("rollsim: Error: --seed must be a whole number in 0...9223372036854775806 with 2 seeds"), "\(outcome.stderr)")
    #expect(outcome.stdout.isEmpty)
  }
}

/// What concurrent command lines returned, by index.
final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Int: Result<CommandLine.Outcome, any Error>] = [:]
  func add(_ index: Int, _ result: Result<CommandLine.Outcome, any Error>) { lock.withLock { results[index] = result } }
  func get(_ index: Int) throws -> CommandLine.Outcome { try lock.withLock { results[index] }!.get() }
}
