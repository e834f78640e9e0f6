import ArgumentParser
import Foundation
import Scenario

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Replicate a scenario over seeds: mean and 95% interval of each outcome, and false alarms.",
    discussion: """
      Runs every policy on seeds S, S+1, ..., S+N-1 (S: the scenario's seed or --seed), on the release \
      and on a healthy variant of it (the same release without its faults). Each shard writes \
      DIR/sweep-shard-I-of-K.jsonl (one line per seed and policy); then all shard files in DIR are merged \
      into DIR/sweep.json: per policy the mean and 95% interval of devices failed, failed device-hours, \
      manual recoveries, time to detect and to mitigate, and the false-pause rate (pauses, roll backs and \
      kills of the healthy release) with its Wilson interval. Shards are independent processes (a \
      cluster's job array); run with --merge once they are all done to write the summary.
      """
  )

  @Argument(help: ArgumentHelp("The scenario file.", valueName: "SCENARIO.yaml")) var scenario: String
  @Option(help: "Number of replications (seeds).") var seeds = 10
  @Option(help: ArgumentHelp("Run only this shard: I/K, 1 <= I <= K.", valueName: "I/K")) var shard: String = "1/1"
  @Option(help: "Rescale the fleet to N devices.") var devices: Int?
  @Option(help: "First seed (default: the scenario's).") var seed: UInt64?
  @Option(name: .customLong("policy"), help: ArgumentHelp("Run only this policy (repeatable).", valueName: "NAME")) var policies: [String] = []
  @Option(help: ArgumentHelp("The output folder (default: results/<scenario>/sweep).", valueName: "DIR")) var out: String?
  @Flag(help: "Only merge the shard files already in the output folder.") var merge = false
  @Flag(help: "No progress on stderr.") var quiet = false

  func parsedShard() throws -> (Int, Int) {
    let parts = shard.split(separator: "/")
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
      throw ValidationError("--shard '\(shard)' is not I/K with 1 <= I <= K")
    }
    return (index, count)
  }

  func validate() throws {
    guard seeds >= 1 && seeds <= 100_000 else { throw ValidationError("--seeds must be in 1...100000") }
    _ = try parsedShard()
    if let devices, devices < 1 { throw ValidationError("--devices must be at least 1") }
  }

  func run() throws {
    let loaded = try LoadedScenario.load(path: scenario)
    let folder = out ?? "results/\(loaded.definition.name)/sweep"
    let (index, count) = try parsedShard()
    if !merge {
      let progress = ProgressLine(enabled: !quiet)
      var report: (@Sendable (String) -> Void)? = nil
      if progress.enabled { report = { line in progress.show(line) } }
      let records = try Sweep.run(
        loaded, replications: seeds, shard: index, of: count,
        options: RunOptions(devices: devices, seed: seed, policies: policies), progress: report)
      progress.clear()
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let file = "\(folder)/sweep-shard-\(index)-of-\(count).jsonl"
      try writeAtomically(Sweep.shardText(records), to: file)
      print("\(records.count) records: \(file)")
      if count > 1 { return }  // the others may still be running: merge with --merge
    }
    let shards = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasPrefix("sweep-shard-") && $0.hasSuffix(".jsonl") }.sorted()
    guard !shards.isEmpty else { throw Failure.input("\(folder): no shard files (sweep-shard-*.jsonl) to merge") }
    var records: [Sweep.Record] = []
    for file in shards { records += try Sweep.read("\(folder)/\(file)") }
    let summary = Sweep.summary(records, scenario: loaded.definition.name)
    try writeAtomically(summary.pretty, to: "\(folder)/sweep.json")
    print(summary.pretty, terminator: "")
  }

  /// Writes a file whole: to a temporary name first, renamed into place.
  func writeAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".partial"
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
      if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
      try FileManager.default.moveItem(atPath: temporary, toPath: path)
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw Failure.input("\(path): cannot write: \(error.localizedDescription)")
    }
  }
}
