import Foundation
import Testing

@testable import Scenario

/// The rules that keep a user's files safe where Rollsim writes its results (ResultsFolder).
@Suite struct ResultsFolderTests {
  static let files = ["summary.json", "report.html"]
  static func contents(_ tag: String) -> [(name: String, text: String)] {
    [("summary.json", "summary \(tag)\n"), ("report.html", "report \(tag)\n")]
  }

  /// Every entry under `folder`, hidden ones too, with a file's text: what a refused write must not change.
  func snapshot(_ folder: URL) -> [String: String] {
    var entries: [String: String] = [:]
    for case let path as String in FileManager.default.enumerator(atPath: folder.path)! {
      let url = folder.appendingPathComponent(path)
      entries[path] = (try? String(contentsOf: url, encoding: .utf8)) ?? "<folder>"
    }
    return entries
  }

  func text(_ url: URL, _ name: String) throws -> String {
    try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
  }

  @Test func createsAMissingFolderAndItsParentsWithAManifest() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("a/b/results")
      try ResultsFolder.prepare(out.path, files: Self.files).write(Self.contents("1"), command: "rollsim run x.yaml")
      #expect(try text(out, "summary.json") == "summary 1\n")
      let manifest = try text(out, ".rollsim-results")
      #expect(manifest.contains("command: rollsim run x.yaml\n"))
      #expect(manifest.contains("file: summary.json\nfile: report.html\n"))
      // Nothing but the folder itself appears beside it: the staging folder was renamed into place.
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path) == ["results"])
    }
  }

  @Test func replacesOnlyItsOwnFilesInAResultsFolder() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("results")
      try ResultsFolder.prepare(out.path, files: Self.files).write(Self.contents("1"), command: "first")
      try Data("my notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
      try FileManager.default.createDirectory(at: out.appendingPathComponent("sweep"), withIntermediateDirectories: false)
      try Data("shard\n".utf8).write(to: out.appendingPathComponent("sweep/shard.jsonl"))
      try ResultsFolder.prepare(out.path, files: Self.files).write(Self.contents("2"), command: "second")
      #expect(try text(out, "summary.json") == "summary 2\n")
      #expect(try text(out, "report.html") == "report 2\n")
      #expect(try text(out, "notes.txt") == "my notes\n")
      #expect(try text(out, "sweep/shard.jsonl") == "shard\n")
      #expect(try text(out, ".rollsim-results").contains("command: second\n"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        == [".rollsim-results", "notes.txt", "report.html", "summary.json", "sweep"])
    }
  }

  @Test func anotherCommandsFilesGoButTheUsersStay() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("results")
      try ResultsFolder.prepare(out.path, files: ["summary.json", "timeline.csv"])
        .write([("summary.json", "s"), ("timeline.csv", "t")], command: "run")
      try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
      try ResultsFolder.prepare(out.path, files: ["capacity.json"]).write([("capacity.json", "c")], command: "capacity")
      // The run's files would describe another run than the folder's: Rollsim wrote them, so it removes them.
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [".rollsim-results", "capacity.json", "notes.txt"])
      #expect(try text(out, ".rollsim-results").hasSuffix("command: capacity\nfile: capacity.json\n"))
    }
  }

  @Test func writesIntoAnEmptyFolder() throws {
    try withTemporaryFolder { temporary in
      try ResultsFolder.prepare(temporary.path, files: Self.files).write(Self.contents("1"), command: "run")
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).sorted() == [".rollsim-results", "report.html", "summary.json"])
    }
  }

  @Test func refusesANonEmptyFolderThatIsNotAResultsFolder() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("mine")
      try FileManager.default.createDirectory(at: out.appendingPathComponent("drafts"), withIntermediateDirectories: true)
      try Data("my notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
      try Data("draft\n".utf8).write(to: out.appendingPathComponent("drafts/one.md"))
      let before = snapshot(temporary)
      do {
        _ = try ResultsFolder.prepare(out.path, files: Self.files)
        Issue.record("a folder of somebody else's files was accepted")
      } catch {
        #expect(String(describing: error).hasPrefix("\(out.path): not a Rollsim results folder, and not empty (drafts/, notes.txt)"))
        #expect(String(describing: error).contains("--force"))
      }
      // A manifest that is not Rollsim's (another header) does not make it one.
      try Data("file: notes.txt\n".utf8).write(to: out.appendingPathComponent(".rollsim-results"))
      #expect(throws: ScenarioError.self) { try ResultsFolder.prepare(out.path, files: Self.files) }
      try FileManager.default.removeItem(at: out.appendingPathComponent(".rollsim-results"))
      #expect(snapshot(temporary) == before)
    }
  }

  @Test func forceReplacesOnlyFilesWithItsNamesAndDeletesNothing() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("mine")
      try FileManager.default.createDirectory(at: out.appendingPathComponent("drafts"), withIntermediateDirectories: true)
      try Data("my notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
      try Data("my summary\n".utf8).write(to: out.appendingPathComponent("summary.json"))
      try ResultsFolder.prepare(out.path, files: Self.files, force: true).write(Self.contents("1"), command: "forced")
      #expect(try text(out, "summary.json") == "summary 1\n")
      #expect(try text(out, "notes.txt") == "my notes\n")
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("drafts").path))
      // Now it is a results folder: the next write needs no --force, and still leaves the notes alone.
      try ResultsFolder.prepare(out.path, files: Self.files).write(Self.contents("2"), command: "again")
      #expect(try text(out, "summary.json") == "summary 2\n")
      #expect(try text(out, "notes.txt") == "my notes\n")
    }
  }

  @Test func aFileWithItsNameThatItDidNotWriteIsReplacedOnlyWithForce() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("results")
      try ResultsFolder.prepare(out.path, files: ["summary.json"]).write([("summary.json", "s")], command: "run")
      try Data("mine\n".utf8).write(to: out.appendingPathComponent("report.html"))
      do {
        _ = try ResultsFolder.prepare(out.path, files: Self.files)
        Issue.record("a report.html Rollsim did not write was going to be replaced")
      } catch {
        #expect(String(describing: error).contains("report.html there was not written by Rollsim"))
      }
      #expect(try text(out, "report.html") == "mine\n")
      try ResultsFolder.prepare(out.path, files: Self.files, force: true).write(Self.contents("1"), command: "run")
      #expect(try text(out, "report.html") == "report 1\n")
    }
  }

  @Test func neverReplacesASubFolderWithOneOfItsNames() throws {
    try withTemporaryFolder { temporary in
      try FileManager.default.createDirectory(at: temporary.appendingPathComponent("report.html"), withIntermediateDirectories: false)
      try Data("x".utf8).write(to: temporary.appendingPathComponent("report.html/inside"))
      for force in [false, true] {
        #expect(throws: ScenarioError.self) { try ResultsFolder.prepare(temporary.path, files: Self.files, force: force) }
      }
      #expect(try text(temporary, "report.html/inside") == "x")
    }
  }

  @Test func aManifestNeverReachesOutsideItsFolder() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("results")
      try ResultsFolder.prepare(out.path, files: Self.files).write(Self.contents("1"), command: "run")
      try Data("keep\n".utf8).write(to: temporary.appendingPathComponent("outside.txt"))
      // A hand-edited manifest naming a file outside, and a sub-folder: neither is removed as stale.
      try FileManager.default.createDirectory(at: out.appendingPathComponent("sub"), withIntermediateDirectories: false)
      let manifest = ResultsFolder.manifestText(command: "run", files: Self.files + ["../outside.txt", "sub"])
      try Data(manifest.utf8).write(to: out.appendingPathComponent(".rollsim-results"))
      try ResultsFolder.prepare(out.path, files: ["capacity.json"]).write([("capacity.json", "c")], command: "capacity")
      #expect(try text(temporary, "outside.txt") == "keep\n")
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sub").path))
    }
  }

  @Test func refusesAFileOrAPathThroughAFile() throws {
    try withTemporaryFolder { temporary in
      let file = temporary.appendingPathComponent("plain")
      try Data("x".utf8).write(to: file)
      #expect(throws: ScenarioError.self) { try ResultsFolder.prepare(file.path, files: Self.files) }
      do {
        _ = try ResultsFolder.prepare(file.path + "/deeper/results", files: Self.files)
        Issue.record("a folder under a file was accepted")
      } catch {
        #expect(String(describing: error).hasSuffix("cannot write the results: \(file.path) is a file, not a folder"))
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == ["plain"])
    }
  }

  @Test func refusesAFolderItCannotWriteIn() throws {
    // sysfs takes no new entries, even from root: the check really tries.
    try #require(FileManager.default.fileExists(atPath: "/sys/kernel"), "needs Linux's /sys")
    do {
      _ = try ResultsFolder.prepare("/sys/rollsim-results", files: Self.files)
      Issue.record("a folder in /sys was accepted")
    } catch {
      #expect(String(describing: error).hasPrefix("/sys/rollsim-results: cannot write the results: cannot write in /sys ("))
    }
  }

  @Test func aFailedWriteLeavesNoHalfWrittenFilesAndNoStaging() throws {
    // A name longer than the file system takes: the second file fails while it is staged.
    let tooLong = String(repeating: "x", count: 300)
    let contents: [(name: String, text: String)] = [("summary.json", "new"), (tooLong, "never")]
    try withTemporaryFolder { temporary in
      // Into a new folder: no folder, no parents it made, nothing beside it.
      let fresh = temporary.appendingPathComponent("a/b/results")
      #expect(throws: ScenarioError.self) {
        try ResultsFolder.prepare(fresh.path, files: ["summary.json", tooLong]).write(contents, command: "run")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
      // Into a results folder: its files as they were, the user's too, and no staging folder.
      let out = temporary.appendingPathComponent("results")
      try ResultsFolder.prepare(out.path, files: ["summary.json"]).write([("summary.json", "old")], command: "run")
      try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
      let before = snapshot(out)
      #expect(throws: ScenarioError.self) {
        try ResultsFolder.prepare(out.path, files: ["summary.json", tooLong]).write(contents, command: "run")
      }
      #expect(snapshot(out) == before)
    }
  }

  @Test func theFolderIsCheckedAgainWhenWritten() throws {
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("results")
      let folder = try ResultsFolder.prepare(out.path, files: Self.files)
      // While the command worked, somebody made the folder and put a file in it.
      try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
      try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
      #expect(throws: ScenarioError.self) { try folder.write(Self.contents("1"), command: "run") }
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == ["results"])
    }
  }

  /// Where a job array's shards write: a folder none of them finds (with a missing parent, which they all
  /// make at once), or one the job script made empty beforehand.
  enum SharedFolder: CaseIterable { case missingWithItsParent, madeEmpty }

  @Test(arguments: SharedFolder.allCases) func processesAddingTheirFilesToOneFolderTakeTurns(_ shared: SharedFolder) throws {
    // A sweep's shards: eight writers at once into one folder, each with its own file, each checking the
    // folder first (its probe is in the folder for a moment) and then writing (through a staging folder).
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("sweeps/one")
      if shared == .madeEmpty { try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true) }
      let failures = Failures()
      DispatchQueue.concurrentPerform(iterations: 8) { index in
        do {
          let name = "shard-\(index + 1)-of-8.jsonl"
          let folder = try ResultsFolder.prepare(out.path, files: [name], accumulating: true)
          try folder.write([(name, "shard \(index + 1)\n")], command: "shard \(index + 1)")
        } catch {
          failures.add("\(error)")
        }
      }
      #expect(failures.all.isEmpty, "\(failures.all)")
      let shards = (1...8).map { "shard-\($0)-of-8.jsonl" }
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ([".rollsim-results"] + shards).sorted())
      #expect(ResultsFolder.readManifest(out.appendingPathComponent(".rollsim-results"))?.sorted() == shards.sorted())
      #expect(try text(out, "shard-3-of-8.jsonl") == "shard 3\n")
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == ["sweeps"])
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path) == ["one"])
      // Then the merge adds its summary and keeps the shards.
      try ResultsFolder.prepare(out.path, files: ["sweep.json"], accumulating: true).write([("sweep.json", "{}")], command: "merge")
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).count == 10)
    }
  }

  @Test func anotherWritersStagingOrProbeDoesNotMakeAFolderSomebodyElses() throws {
    // The moment another writer has its probe or staging folder in an empty folder, and nothing else yet.
    try withTemporaryFolder { temporary in
      let staging = temporary.appendingPathComponent(ResultsFolder.stagingName())
      let probe = temporary.appendingPathComponent(".rollsim-probe-\(UUID().uuidString)")
      for folder in [staging, probe] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false) }
      try ResultsFolder.prepare(temporary.path, files: ["shard-1.jsonl"], accumulating: true).write([("shard-1.jsonl", "1\n")], command: "shard 1")
      // The other writer's entries are its own to remove: still there, untouched.
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).sorted()
        == [".rollsim-results", probe.lastPathComponent, staging.lastPathComponent, "shard-1.jsonl"].sorted())
      // Anything else makes it somebody else's again.
      try FileManager.default.removeItem(at: temporary.appendingPathComponent(".rollsim-results"))
      try FileManager.default.removeItem(at: temporary.appendingPathComponent("shard-1.jsonl"))
      try Data("mine".utf8).write(to: temporary.appendingPathComponent("notes.txt"))
      do {
        _ = try ResultsFolder.prepare(temporary.path, files: ["shard-1.jsonl"], accumulating: true)
        Issue.record("a folder with the user's notes was taken as empty")
      } catch {
        // Named by what is the user's, not by the other writer's passing entries.
        #expect(String(describing: error).contains("not a Rollsim results folder, and not empty (notes.txt):"))
      }
    }
  }

  @Test func aMergeKeepsTheShardsAndTheUsersFilesAndReplacesOnlyItsOwnSummary() throws {
    // A sweep's folder: shards, then the merge's sweep.json and report.html, as rollsim sweep writes them.
    try withTemporaryFolder { temporary in
      let out = temporary.appendingPathComponent("sweep")
      let merge = ["sweep.json", "report.html"]
      for index in 1...2 {
        let name = "sweep-shard-\(index)-of-2.jsonl"
        try ResultsFolder.prepare(out.path, files: [name], accumulating: true).write([(name, "shard \(index)\n")], command: "shard")
      }
      try Data("my notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
      try Data("{\"mine\": true}\n".utf8).write(to: out.appendingPathComponent("sweep.json"))
      let before = snapshot(out)
      do {
        _ = try ResultsFolder.prepare(out.path, files: merge, accumulating: true)
        Issue.record("a sweep.json Rollsim did not write was going to be replaced")
      } catch {
        #expect(String(describing: error).contains("sweep.json there was not written by Rollsim"))
      }
      #expect(snapshot(out) == before)

      try FileManager.default.removeItem(at: out.appendingPathComponent("sweep.json"))
      for round in 1...2 {
        try ResultsFolder.prepare(out.path, files: merge, accumulating: true)
          .write([("sweep.json", "merged \(round)\n"), ("report.html", "page \(round)\n")], command: "merge")
        #expect(try text(out, "sweep.json") == "merged \(round)\n")
        #expect(try text(out, "notes.txt") == "my notes\n")
        #expect(try text(out, "sweep-shard-1-of-2.jsonl") == "shard 1\n")
        #expect(ResultsFolder.readManifest(out.appendingPathComponent(".rollsim-results"))?.sorted()
          == ["report.html", "sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl", "sweep.json"])
      }
    }
  }

  @Test func namesTheCurrentFolderByItsPath() throws {
    let folder = ResultsFolder(path: ".", files: Self.files, force: false)
    #expect(folder.path == FileManager.default.currentDirectoryPath)
    #expect(ResultsFolder(path: "out/x", files: Self.files, force: false).path == "out/x")
  }
}

/// Errors seen by concurrent writers.
final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var messages: [String] = []
  func add(_ message: String) { lock.withLock { messages.append(message) } }
  var all: [String] { lock.withLock { messages } }
}
