import Foundation
import Testing

/// `--out` of run and capacity: Rollsim never loses a file of the user's, and checks the folder before it
/// works.
@Suite struct OutputFolderTests {
  static let scenario = CommandLine.packageRoot.appendingPathComponent("scenarios/progressive-release-template.yaml").path
  static let capacityScenario = CommandLine.packageRoot.appendingPathComponent("scenarios/capacity-edge-10m.yaml").path

  /// A folder as a user has one: notes and a sub-folder with a file in it.
  func makeUserFolder(_ url: URL) throws {
    try FileManager.default.createDirectory(at: url.appendingPathComponent("drafts"), withIntermediateDirectories: true)
    try Data("my notes\n".utf8).write(to: url.appendingPathComponent("notes.txt"))
    try Data("draft\n".utf8).write(to: url.appendingPathComponent("drafts/plan.md"))
  }

  func run(_ out: String, _ extra: String..., in directory: URL = CommandLine.packageRoot) throws -> CommandLine.Outcome {
    try CommandLine.run(
      CommandLine.rollsim, ["run", Self.scenario, "--devices", "300", "--reproducible", "--out", out] + extra, directory: directory)
  }

  @Test func aFolderOfTheUsersIsRefusedBeforeAnyWorkAndLeftAsItWas() throws {
    try CommandLine.withTemporaryFolder { folder in
      let mine = folder.appendingPathComponent("mine")
      try makeUserFolder(mine)
      let before = try CommandLine.snapshot(folder)
      let outcome = try run(mine.path)
      #expect(outcome.status == 1)
      #expect(outcome.stderr.hasPrefix("rollsim: \(mine.path): not a Rollsim results folder, and not empty (drafts/, notes.txt)"))
      #expect(outcome.stdout.isEmpty, "the run went ahead")
      #expect(try CommandLine.snapshot(folder) == before)
      // Checked before the run: an unknown policy, found only when the run starts, is not what stops it.
      let first = try run(mine.path, "--policy", "nope")
      #expect(first.stderr.contains("not a Rollsim results folder"), "\(first.stderr)")
    }
  }

  @Test func outDotIsRefusedInAFolderThatHoldsFiles() throws {
    try CommandLine.withTemporaryFolder { folder in
      try makeUserFolder(folder)
      let before = try CommandLine.snapshot(folder)
      let outcome = try run(".", in: folder)
      #expect(outcome.status == 1)
      // Named by its full path, not ".".
      #expect(outcome.stderr.contains(": not a Rollsim results folder, and not empty (drafts/, notes.txt)"))
      #expect(outcome.stderr.hasPrefix("rollsim: /"))
      #expect(try CommandLine.snapshot(folder) == before)
    }
  }

  @Test func outHomeIsRefusedWhenHomeHoldsFiles() throws {
    try CommandLine.withTemporaryFolder { home in
      try makeUserFolder(home)
      let before = try CommandLine.snapshot(home)
      // "~" as a shell passes it when quoted: Rollsim expands it itself.
      let outcome = try CommandLine.run(
        CommandLine.rollsim, ["run", Self.scenario, "--devices", "300", "--out", "~"], environment: ["HOME": home.path])
      #expect(outcome.status == 1)
      #expect(outcome.stderr.hasPrefix("rollsim: \(home.path): not a Rollsim results folder"), "\(outcome.stderr)")
      #expect(try CommandLine.snapshot(home) == before)
    }
  }

  @Test func aResultsFolderIsRewrittenAroundTheUsersFiles() throws {
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.appendingPathComponent("new/results")
      let first = try run(out.path)
      #expect(first.status == 0, "\(first.stderr)")
      let manifest = try String(contentsOf: out.appendingPathComponent(".rollsim-results"), encoding: .utf8)
      #expect(manifest.contains("command: rollsim run \(Self.scenario) --devices 300 --reproducible --out \(out.path)\n"))
      // The user adds notes and a sub-folder; the next run replaces its files and leaves those alone.
      try makeUserFolder(out)
      let second = try CommandLine.run(
        CommandLine.rollsim, ["run", Self.scenario, "--devices", "400", "--reproducible", "--out", out.path, "--quiet"])
      #expect(second.status == 0, "\(second.stderr)")
      let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
      #expect(summary?["devices"] as? Int == 400)
      #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes\n")
      #expect(try String(contentsOf: out.appendingPathComponent("drafts/plan.md"), encoding: .utf8) == "draft\n")
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        == [".rollsim-results", "audit.jsonl", "drafts", "notes.txt", "report.html", "summary.json", "timeline.csv"])
    }
  }

  @Test func forceReplacesOnlyRollsimsFileNamesAndDeletesNothing() throws {
    try CommandLine.withTemporaryFolder { folder in
      try makeUserFolder(folder)
      try Data("my summary\n".utf8).write(to: folder.appendingPathComponent("summary.json"))
      let outcome = try run(".", "--force", "--quiet", in: folder)
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(try String(contentsOf: folder.appendingPathComponent("summary.json"), encoding: .utf8) != "my summary\n")
      #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes\n")
      #expect(try String(contentsOf: folder.appendingPathComponent("drafts/plan.md"), encoding: .utf8) == "draft\n")
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        == [".rollsim-results", "audit.jsonl", "drafts", "notes.txt", "report.html", "summary.json", "timeline.csv"])
    }
  }

  @Test func aFileOrAnUnwritablePlaceIsRefusedBeforeAnyWork() throws {
    try CommandLine.withTemporaryFolder { folder in
      let file = folder.appendingPathComponent("plain.txt")
      try Data("x".utf8).write(to: file)
      for out in [file.path, file.path + "/results"] {
        let outcome = try run(out, "--policy", "nope")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("is a file, not a folder"), "\(outcome.stderr)")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plain.txt"])
    }
    if FileManager.default.fileExists(atPath: "/sys/kernel") {
      let outcome = try run("/sys/rollsim-results", "--policy", "nope")
      #expect(outcome.status == 1)
      #expect(outcome.stderr.contains("cannot write in /sys ("), "\(outcome.stderr)")
    }
  }

  @Test func capacityKeepsTheSameRules() throws {
    try CommandLine.withTemporaryFolder { folder in
      let mine = folder.appendingPathComponent("mine")
      try makeUserFolder(mine)
      let before = try CommandLine.snapshot(mine)
      let arguments = ["capacity", Self.capacityScenario, "--devices", "2000", "--eval-ns", "100", "--quiet", "--reproducible", "--out"]
      let refused = try CommandLine.run(CommandLine.rollsim, arguments + [mine.path])
      #expect(refused.status == 1)
      #expect(refused.stderr.hasPrefix("rollsim: \(mine.path): not a Rollsim results folder"))
      #expect(try CommandLine.snapshot(mine) == before)
      // A results folder a run wrote, with the user's files added: the plan replaces the run's files
      // (Rollsim's own) and leaves the user's.
      let out = folder.appendingPathComponent("results")
      #expect(try run(out.path, "--quiet").status == 0)
      try makeUserFolder(out)
      let plan = try CommandLine.run(CommandLine.rollsim, arguments + [out.path])
      #expect(plan.status == 0, "\(plan.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        == [".rollsim-results", "capacity.csv", "capacity.json", "drafts", "notes.txt", "report.html"])
      #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes\n")
    }
  }

  @Test func stdoutHoldsTheOutcomeAndStderrSaysWhereItWent() throws {
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.appendingPathComponent("results").path
      let outcome = try run(out)
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stdout.hasPrefix("progressive-release-template: 300 devices"))
      #expect(!outcome.stdout.contains(folder.path), "stdout names the folder: it would not be the same from another folder")
      #expect(outcome.stderr == "results: \(out)/ (summary.json, timeline.csv, audit.jsonl, report.html)\n")
      let quiet = try run(out, "--quiet")
      #expect(quiet.stderr.isEmpty)
      #expect(quiet.stdout == outcome.stdout)
    }
  }

  @Test func theDefaultFolderIsUnderOut() throws {
    // Started in a fresh folder, rollsim writes out/<scenario name>/ there (git-ignored in the repository).
    try CommandLine.withTemporaryFolder { folder in
      let outcome = try CommandLine.run(
        CommandLine.rollsim, ["run", Self.scenario, "--devices", "300", "--quiet"], directory: folder)
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/progressive-release-template/summary.json").path))
    }
  }
}
