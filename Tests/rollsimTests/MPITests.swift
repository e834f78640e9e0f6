import Foundation
import Testing

/// `rollsim` started as several MPI ranks by OpenMPI's mpirun: sweeps and capacity plans write the bytes one
/// process writes, a rank that dies ends the run with nothing written, and what cannot run as ranks says so.
/// Skipped where mpirun is missing (`.ci/run` installs it through scripts/bootstrap.sh, so CI always runs
/// these). A rollsim built without MPI is held to refusing instead.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "mpirun is not installed (scripts/bootstrap.sh installs openmpi-bin)"))
struct MPITests {
  static let sweepScenario = "scenarios/progressive-release-template.yaml"
  static let sweep = ["--seeds", "3", "--devices", "1000", "--policy", "big-bang", "--policy", "guarded", "--quiet"]

  @Test func ranksExchangeWhatTheySent() throws {
    guard try MPI.rollsimHasMPI() else { return }
    for ranks in [2, 3] {
      let outcome = try MPI.run(ranks, ["ranks"])
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stdout.hasPrefix("\(ranks) ranks, started by mpirun, Open MPI v"), "\(outcome.stdout)")
      for rank in 0..<ranks { #expect(outcome.stdout.contains("\nrank \(rank): ")) }
      #expect(outcome.stdout.contains("arrived as sent on every rank"))
    }
    let alone = try CommandLine.rollsim("ranks")
    #expect(alone.status == 0)
    #expect(alone.stdout.hasPrefix("1 rank: started alone, so MPI does not start; this rollsim is built with MPI, Open MPI v"))
  }

  @Test func aSweepOverRanksWritesTheBytesOfOneProcess() throws {
    try CommandLine.withTemporaryFolder { folder in
      let one = folder.appendingPathComponent("one").path
      let single = try CommandLine.run(CommandLine.rollsim, ["sweep", Self.sweepScenario] + Self.sweep + ["--out", one])
      #expect(single.status == 0, "\(single.stderr)")
      guard try MPI.rollsimHasMPI() else {
        try MPI.expectRefusal(["sweep", Self.sweepScenario] + Self.sweep + ["--out", folder.appendingPathComponent("two").path])
        return
      }
      for ranks in [2, 3] {
        let out = folder.appendingPathComponent("ranks-\(ranks)").path
        let outcome = try MPI.run(ranks, ["sweep", Self.sweepScenario] + Self.sweep + ["--out", out])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // The table once, from rank 0.
        #expect(outcome.stdout == single.stdout)
        for file in ["sweep.json", "sweep-shard-1-of-1.jsonl", "report.html"] {
          #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)")) == Data(contentsOf: URL(fileURLWithPath: "\(one)/\(file)")), "\(file) differs with \(ranks) ranks")
        }
      }
      // A shard of a job array can be run over ranks too.
      let shard = folder.appendingPathComponent("shard").path
      let sharded = try MPI.run(2, ["sweep", Self.sweepScenario] + Self.sweep + ["--shard", "2/2", "--out", shard])
      #expect(sharded.status == 0, "\(sharded.stderr)")
      let alone = folder.appendingPathComponent("shard-alone").path
      #expect(try CommandLine.run(CommandLine.rollsim, ["sweep", Self.sweepScenario] + Self.sweep + ["--shard", "2/2", "--out", alone]).status == 0)
      #expect(try Data(contentsOf: URL(fileURLWithPath: "\(shard)/sweep-shard-2-of-2.jsonl")) == Data(contentsOf: URL(fileURLWithPath: "\(alone)/sweep-shard-2-of-2.jsonl")))
    }
  }

  @Test func aCapacityPlanOverRanksWritesTheBytesOfOneProcess() throws {
    guard try MPI.rollsimHasMPI() else { return }
    try CommandLine.withTemporaryFolder { folder in
      let plan = ["capacity", "scenarios/capacity-edge-10m.yaml", "--devices", "10000", "--eval-ns", "100", "--reproducible", "--quiet"]
      let one = folder.appendingPathComponent("one").path
      let single = try CommandLine.run(CommandLine.rollsim, plan + ["--out", one])
      #expect(single.status == 0, "\(single.stderr)")
      // Three ranks: 10,000 devices do not split evenly (3,333, 3,333 and 3,334).
      for ranks in [3] {
        let out = folder.appendingPathComponent("ranks-\(ranks)").path
        let outcome = try MPI.run(ranks, plan + ["--out", out])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == single.stdout)
        for file in ["capacity.json", "capacity.csv", "report.html"] {
          #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)")) == Data(contentsOf: URL(fileURLWithPath: "\(one)/\(file)")), "\(file) differs with \(ranks) ranks")
        }
      }
    }
  }

  /// A rank killed in the middle of a sweep: mpirun ends the others, the run fails, and nothing is written.
  @Test func aRankThatDiesEndsTheRunWithNothingWritten() throws {
    guard try MPI.rollsimHasMPI() else { return }
    try CommandLine.withTemporaryFolder { folder in
      let out = folder.appendingPathComponent("sweep").path
      let long = ["sweep", Self.sweepScenario, "--seeds", "40", "--devices", "2000", "--quiet", "--out", out]
      let outcome = try MPI.run(2, long, folder: folder) { mpirun in
        // Rank 1, once it has been at work for a moment.
        let deadline = Date().addingTimeInterval(30)
        var victim: pid_t? = nil
        while victim == nil && Date() < deadline {
          victim = MPI.descendants(of: mpirun).first { MPI.environment(of: $0)["OMPI_COMM_WORLD_RANK"] == "1" }
          usleep(50_000)
        }
        guard let victim else { return }
        usleep(1_500_000)
        kill(victim, SIGKILL)
      }
      #expect(outcome.status != 0)
      #expect(outcome.stderr.contains("rank 1") && outcome.stderr.contains("signal 9"), "\(outcome.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "the sweep's folder was written")
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "stdout" && $0 != "stderr" }.isEmpty)
    }
  }

  /// Refused on rank 0 (the folder is somebody else's): every rank stops, the message is said once, and
  /// the folder is left as it was.
  @Test func aRefusalStopsEveryRankAndIsSaidOnce() throws {
    guard try MPI.rollsimHasMPI() else { return }
    try CommandLine.withTemporaryFolder { folder in
      let theirs = folder.appendingPathComponent("theirs")
      try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
      try Data("mine\n".utf8).write(to: theirs.appendingPathComponent("notes.txt"))
      let outcome = try MPI.run(3, ["sweep", Self.sweepScenario] + Self.sweep + ["--out", theirs.path])
      #expect(outcome.status != 0)
      #expect(outcome.stderr.components(separatedBy: "rollsim: \(theirs.path): not a Rollsim results folder").count == 2, "\(outcome.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: theirs.path) == ["notes.txt"])

      let scenario = try MPI.run(2, ["sweep", "no-such.yaml", "--seeds", "2"])
      #expect(scenario.status != 0)
      #expect(scenario.stderr.components(separatedBy: "no-such.yaml").count == 2, "\(scenario.stderr)")
    }
  }

  /// A run over ranks: each rank holds its own blocks of the fleet, and rank 0 writes the bytes one process
  /// writes, with any number of threads (issue 14: byte-identical for every P and R). 50,000 devices are 3
  /// blocks, so 4 ranks are refused before any work.
  @Test func aRunOverRanksWritesTheBytesOfOneProcess() throws {
    guard try MPI.rollsimHasMPI() else { return }
    try CommandLine.withTemporaryFolder { folder in
      let run = ["run", Self.sweepScenario, "--devices", "50000", "--policy", "guarded", "--reproducible", "--quiet"]
      let one = folder.appendingPathComponent("one").path
      let single = try CommandLine.run(CommandLine.rollsim, run + ["--partitions", "1", "--out", one])
      #expect(single.status == 0, "\(single.stderr)")
      let files = ["summary.json", "timeline.csv", "audit.jsonl", "report.html"]
      func same(_ out: String, _ what: String) throws {
        for file in files {
          #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)")) == Data(contentsOf: URL(fileURLWithPath: "\(one)/\(file)")),
            "\(file) differs with \(what)")
        }
      }
      let threads = folder.appendingPathComponent("threads").path
      #expect(try CommandLine.run(CommandLine.rollsim, run + ["--partitions", "3", "--out", threads]).status == 0)
      try same(threads, "3 partitions")
      for ranks in [2, 3] {
        let out = folder.appendingPathComponent("ranks-\(ranks)").path
        let outcome = try MPI.run(ranks, run + ["--out", out])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == single.stdout)
        try same(out, "\(ranks) ranks")
      }
      let four = try MPI.run(4, run + ["--out", folder.appendingPathComponent("four").path])
      #expect(four.status != 0)
      #expect(
        four.stderr.components(separatedBy: "4 ranks for a fleet of 3 blocks (50000 devices, blocks of at least 16384): run at most 3 ranks").count
          == 2, "\(four.stderr)")
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("four").path))
    }
  }

  /// What does not spread over ranks refuses to run as several copies.
  @Test func whatRunsInOneProcessRefusesSeveral() throws {
    let run = try MPI.run(2, ["validate", Self.sweepScenario])
    #expect(run.status != 0)
    if try MPI.rollsimHasMPI() {
      #expect(run.stderr.components(separatedBy: "rollsim: rollsim validate runs as one process, and mpirun started 2").count == 2, "\(run.stderr)")
      // srun without an MPI plugin: each process would be a rank of its own.
      let srun = try CommandLine.run(
        CommandLine.rollsim, ["ranks"], environment: ["SLURM_STEP_NUM_TASKS": "2", "SLURM_PROCID": "0"])
      #expect(srun.status == 2)
      #expect(srun.stderr.hasPrefix("rollsim: srun started 2 processes, but MPI joined this one into 1 rank"), "\(srun.stderr)")
    } else {
      #expect(run.stderr.contains("this rollsim was built without MPI"))
    }
  }
}

/// Starting rollsim under mpirun.
enum MPI {
  /// mpirun on the PATH.
  static let mpirun: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    .map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }

  /// Whether the rollsim under test was built with MPI (`rollsim ranks` says so).
  static func rollsimHasMPI() throws -> Bool {
    try CommandLine.rollsim("ranks").stdout.contains("this rollsim is built with MPI")
  }

  /// mpirun's own options: as root it must be told that this is meant, and a test may start more ranks
  /// than there are cores.
  static var options: [String] { (geteuid() == 0 ? ["--allow-run-as-root"] : []) + ["--oversubscribe"] }

  /// Runs `rollsim arguments` as `ranks` ranks.
  static func run(_ ranks: Int, _ arguments: [String]) throws -> CommandLine.Outcome {
    try CommandLine.run(mpirun!, options + ["-np", String(ranks), CommandLine.rollsim] + arguments)
  }

  /// Runs `rollsim arguments` as `ranks` ranks, its output in `folder`, with `meanwhile` given mpirun's
  /// process id while it runs.
  static func run(_ ranks: Int, _ arguments: [String], folder: URL, meanwhile: (pid_t) -> Void) throws -> CommandLine.Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: mpirun!)
    process.arguments = options + ["-np", String(ranks), CommandLine.rollsim] + arguments
    process.currentDirectoryURL = CommandLine.packageRoot
    let outURL = folder.appendingPathComponent("stdout")
    let errURL = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    meanwhile(process.processIdentifier)
    process.waitUntilExit()
    try out.close()
    try err.close()
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    return CommandLine.Outcome(
      status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// A refusal by a rollsim built without MPI: exit status 2, said once.
  static func expectRefusal(_ arguments: [String]) throws {
    let outcome = try run(2, arguments)
    #expect(outcome.status != 0)
    #expect(outcome.stderr.components(separatedBy: "rollsim: this rollsim was built without MPI").count == 2, "\(outcome.stderr)")
  }

  /// The processes below `pid`: its children, theirs, and so on (from /proc).
  static func descendants(of pid: pid_t) -> [pid_t] {
    var parents: [pid_t: pid_t] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      // After the command's closing parenthesis: state, then the parent's id.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = pid_t(fields[1]) { parents[child] = parent }
    }
    var found: [pid_t] = []
    var frontier = [pid]
    while let next = frontier.popLast() {
      let children = parents.filter { $0.value == next }.map(\.key)
      found += children
      frontier += children
    }
    return found
  }

  /// A process's environment (from /proc), empty when it cannot be read.
  static func environment(of pid: pid_t) -> [String: String] {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [:] }
    var variables: [String: String] = [:]
    for entry in data.split(separator: 0) {
      let text = String(decoding: entry, as: UTF8.self)
      if let equals = text.firstIndex(of: "=") { variables[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
    }
    return variables
  }
}
