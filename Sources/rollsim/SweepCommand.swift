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
      DIR/sweep-shard-I-of-K.jsonl: a first line with what it was run with (scenario name and SHA-256 of \
      its content and of its flag state, devices, first seed, seeds, shard I of K, policies, rollsim \
      version), then one line per seed and policy. A sweep in one shard (the default) then writes \
      DIR/sweep.json and DIR/report.html and prints a table: per policy the mean and 95% interval of \
      devices failed, failed device-hours, manual recoveries, time to detect and to mitigate, and the \
      false-pause rate (pauses, roll backs and kills of the healthy release) with its Wilson interval. \
      Shards are independent processes (a cluster's job array); once all K are done, --merge checks that \
      the shard files in DIR are all K shards of one sweep (it refuses, naming the files, shards of \
      different sweeps, a shard twice or a missing shard) and writes the same files. A sweep replaces only \
      the files it wrote; it never removes anything else in DIR.
      """
  )

  static let defaultSeeds = 10

  @Argument(help: ArgumentHelp("The scenario file.", valueName: "SCENARIO.yaml")) var scenario: String
  @Option(help: "Number of replications (seeds); default \(defaultSeeds).") var seeds: Int?
  @Option(help: ArgumentHelp("Run only this shard: I/K, 1 <= I <= K (default 1/1).", valueName: "I/K")) var shard: String?
  @Option(help: "Rescale the fleet to N devices.") var devices: Int?
  @Option(help: "First seed (default: the scenario's).") var seed: UInt64?
  @Option(name: .customLong("policy"), help: ArgumentHelp("Run only this policy (repeatable).", valueName: "NAME")) var policies: [String] = []
  @Option(help: ArgumentHelp("The output folder (default: results/<scenario>/sweep).", valueName: "DIR")) var out: String?
  @Flag(help: "Only merge the shard files already in the output folder; options given must match the shards'.") var merge = false
  @Flag(help: "No progress on stderr.") var quiet = false

  func parsedShard() throws -> (Int, Int) {
    guard let shard else { return (1, 1) }
    let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), (1...Sweep.maximumShards).contains(count),
      (1...count).contains(index)
    else {
      throw ValidationError("--shard '\(shard)' is not I/K with 1 <= I <= K <= \(Sweep.maximumShards)")
    }
    return (index, count)
  }

  func validate() throws {
    if let seeds, !(1...Sweep.maximumSeeds).contains(seeds) { throw ValidationError("--seeds must be in 1...\(Sweep.maximumSeeds)") }
    _ = try parsedShard()
    if let devices, !(1...50_000_000).contains(devices) { throw ValidationError("--devices must be in 1...50000000") }
    if merge && shard != nil { throw ValidationError("--shard runs one shard; --merge merges them all: give one or the other") }
  }

  func run() throws {
    let loaded = try LoadedScenario.load(path: scenario)
    let folder = SweepFolder(out ?? "results/\(loaded.definition.name)/sweep")
    if merge { return try mergeShards(loaded, folder) }

    let (index, count) = try parsedShard()
    let options = RunOptions(devices: devices, seed: seed, policies: policies)
    let seeds = seeds ?? Self.defaultSeeds
    // Everything that can be refused is refused before the first simulation.
    _ = try Sweep.identity(of: loaded, seeds: seeds, options: options)
    let shardName = Sweep.shardFileName(index, of: count)
    try folder.checkWritable(count == 1 ? [shardName, SweepFolder.summaryName, SweepFolder.reportName] : [shardName])

    let progress = ProgressLine(enabled: !quiet)
    var report: (@Sendable (String) -> Void)? = nil
    if progress.enabled { report = { line in progress.show(line) } }
    let shard = try Sweep.run(loaded, seeds: seeds, shard: index, of: count, options: options, progress: report)
    progress.clear()
    guard count == 1 else {
      try folder.write([(shardName, Sweep.shardText(shard))])
      print("shard \(index) of \(count): \(shard.records.count) records in \(folder.path)/\(shardName)")
      print("when all \(count) shards are done: rollsim sweep \(scenario) --merge --out \(folder.path)")
      return
    }
    let merged = try Sweep.merge([(shardName, shard)], in: folder.path)
    try write(merged, of: loaded, to: folder, with: [(shardName, Sweep.shardText(shard))])
  }

  /// Merges the shard files in `folder`: all K shards of one sweep, of this scenario and of the options given.
  func mergeShards(_ loaded: LoadedScenario, _ folder: SweepFolder) throws {
    try folder.checkWritable([SweepFolder.summaryName, SweepFolder.reportName])
    var shards: [(name: String, shard: Sweep.Shard)] = []
    for name in try folder.shardFiles() { shards.append((name, try Sweep.readShard("\(folder.path)/\(name)"))) }
    guard let first = shards.first?.shard.header.identity else {
      throw Failure.input("\(folder.path): no shard files (sweep-shard-*.jsonl) to merge")
    }
    // What the shards must have been run with: the scenario as it is now, and the options given here;
    // options not given are taken from the shards.
    let known = loaded.definition.policies.map(\.name)
    let expected = try Sweep.identity(
      of: loaded, seeds: seeds ?? first.seeds,
      options: RunOptions(
        devices: devices ?? first.devices, seed: seed ?? first.firstSeed,
        policies: policies.isEmpty ? first.policies.filter(known.contains) : policies))
    let merged = try Sweep.merge(shards, in: folder.path, expected: expected)
    try write(merged, of: loaded, to: folder)
  }

  /// Writes `sweep.json` and `report.html` (and `extra` files) together, and prints the table.
  func write(
    _ merged: Sweep.Merged, of loaded: LoadedScenario, to folder: SweepFolder, with extra: [(name: String, text: String)] = []
  ) throws {
    let summary = Sweep.summary(merged)
    let page = Sweep.reportModel(summary, scenario: loaded)
    try folder.write(
      extra + [(SweepFolder.summaryName, Sweep.json(summary).pretty), (SweepFolder.reportName, Report.html(page))])
    print(Sweep.table(page))
    print("results: \(folder.path)/ (sweep.json, report.html\(extra.isEmpty ? "" : ", " + extra.map(\.name).joined(separator: ", ")))")
  }
}
