import ArgumentParser
import Foundation
import Partition
import Report
import Scenario

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Replicate a scenario over seeds: mean and 95% interval of each outcome, and false alarms.",
    discussion: """
      Runs every policy on seeds S, S+1, ..., S+N-1 (S: the scenario's seed or --seed), on the release \
      and on a healthy variant of it (the same release without its faults). Each shard writes \
      sweep-shard-I-of-K.jsonl into the output folder (default: out/<scenario name>-sweep/): a first line \
      with what it was run with (scenario name and SHA-256 of its content and of its flag state, devices, \
      first seed, seeds, shard I of K, policies, rollsim version), then one line per seed and policy. A \
      sweep in one shard (the default) then writes sweep.json and report.html beside it and prints a \
      table: per policy the mean and 95% interval of devices failed, failed device-hours, manual \
      recoveries, time to detect and to mitigate, and the false-pause rate (pauses, roll backs and kills \
      of the healthy release) with its Wilson interval. Shards are independent processes (a cluster's job \
      array) and may write into one folder at the same time; once all K are done, --merge checks that the \
      shard files in the folder are all K shards of one sweep (it refuses, naming the files, shards of \
      different sweeps, a shard twice or a missing shard) and writes the same two files. The folder is \
      checked before any simulating, as rollsim run checks its own: Rollsim writes only into a new or \
      empty folder or one it wrote (it keeps a manifest, .rollsim-results), where it adds its files, \
      keeps the shards other processes wrote, replaces a file only if Rollsim wrote it, and leaves every \
      other file alone. A non-empty folder of yours (shard files gathered by hand, say) is refused unless \
      --force, which replaces only files with the sweep's names there and deletes nothing. Started as R MPI \
      ranks (mpirun -np R rollsim sweep ...), the shard's replications are spread over the ranks and rank 0 \
      writes the same files one process writes.
      """
  )

  static let defaultSeeds = 10

  /// Which shard a process runs: `I/K`.
  struct ShardChoice: Sendable {
    var index: Int
    var count: Int

    static let whole = ShardChoice(index: 1, count: 1)

    /// Reads `I/K`: whole numbers with 1 <= I <= K <= the most shards a sweep runs.
    @Sendable static func parse(_ text: String) throws -> ShardChoice {
      let parts = text.split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), (1...Sweep.maximumShards).contains(count),
        (1...count).contains(index)
      else {
        throw ValidationError("must be I/K, whole numbers with 1 <= I <= K <= \(Sweep.maximumShards)")
      }
      return ShardChoice(index: index, count: count)
    }
  }

  @Argument(help: ArgumentHelp("The scenario file.", valueName: "SCENARIO.yaml")) var scenario: String
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Number of replications (seeds), 1...\(Sweep.maximumSeeds); default \(defaultSeeds).", valueName: "N"),
    transform: ArgumentRange.whole(1...Sweep.maximumSeeds))
  var seeds: Int?
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Run only this shard: I/K, 1 <= I <= K <= \(Sweep.maximumShards) (default 1/1).", valueName: "I/K"),
    transform: ShardChoice.parse)
  var shard: ShardChoice?
  @OptionGroup var overrides: ScenarioOverrides
  @Option(name: .customLong("policy"), help: ArgumentHelp("Run only this policy (repeatable).", valueName: "NAME")) var policies: [String] = []
  @Flag(help: "Only merge the shard files already in the output folder; options given must match the shards'.") var merge = false
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if merge && shard != nil { throw ValidationError("--shard runs one shard; --merge merges them all: give one or the other") }
    // The files hold seeds as signed 64-bit JSON numbers: the last seed must fit.
    if let first = overrides.seed, let count = seeds ?? (merge ? nil : Self.defaultSeeds) {
      let largest = UInt64(Int64.max) - UInt64(count - 1)
      guard first <= largest else {
        throw ValidationError("--seed must be a whole number in 0...\(largest) with \(count) seeds (the last, S+\(count - 1), is at most \(Int64.max))")
      }
    }
  }

  func run() throws {
    // Started as several ranks (mpirun -np R), the replications are spread over them and rank 0 writes
    // what one process writes; what can be refused is refused before the first simulation, on every rank.
    let ranks = try Ranks.start()
    let loaded = try ranks.together { try LoadedScenario.load(path: scenario) }
    // Beside run's out/<scenario>/ and capacity's out/<scenario>-capacity/, not inside a run's folder.
    let fallback = "out/\(loaded.definition.name)-sweep"
    if merge { return ranks.isLeader ? try mergeShards(loaded, fallback: fallback) : () }

    let choice = shard ?? .whole
    let shardName = Sweep.shardFileName(choice.index, of: choice.count)
    // Everything that can be refused is refused before the first simulation: the folder first. It
    // accumulates, so shards writing into it at once keep each other's files.
    let folder = try ranks.together {
      try ranks.isLeader ? output.prepare(
        fallback, files: choice.count == 1 ? [shardName, Sweep.summaryFileName, Sweep.reportFileName] : [shardName],
        accumulating: true) : nil
    }
    let options = RunOptions(devices: overrides.devices, seed: overrides.seed, policies: policies)
    let seeds = seeds ?? Self.defaultSeeds
    _ = try ranks.together { try Sweep.identity(of: loaded, seeds: seeds, options: options) }

    let progress = ProgressLine(enabled: !output.quiet && ranks.isLeader)
    var report: (@Sendable (String) -> Void)? = nil
    if progress.enabled { report = { line in progress.show(line) } }
    let shard = try ranks.work {
      try Sweep.run(loaded, seeds: seeds, shard: choice.index, of: choice.count, options: options, over: ranks, progress: report)
    }
    progress.clear()
    guard let shard, let folder else { return }
    let shardFile = (name: shardName, text: Sweep.shardText(shard))
    guard choice.count == 1 else {
      try folder.write([shardFile], command: OutputOptions.invocation)
      let header = shard.header
      print(
        "shard \(choice.index) of \(choice.count): \(shard.records.count) records "
          + "(\(header.replications.count) of \(seeds) seeds, \(header.identity.policies.count) policies)")
      output.announce(folder)
      if !output.quiet {
        Diagnostics.note(
          "when all \(choice.count) shards are done: rollsim sweep \(OutputOptions.quoted(scenario)) --merge --out \(OutputOptions.quoted(folder.path))")
      }
      return
    }
    let merged = try Sweep.merge([(shardName, shard)], in: folder.path)
    try write(merged, of: loaded, to: folder, with: [shardFile])
  }

  /// Merges the shard files in the folder: all K shards of one sweep, of this scenario and of the options given.
  func mergeShards(_ loaded: LoadedScenario, fallback: String) throws {
    // Only the summary and the page are written; the shards stay as they are.
    let folder = try output.prepare(fallback, files: [Sweep.summaryFileName, Sweep.reportFileName], accumulating: true)
    var shards: [(name: String, shard: Sweep.Shard)] = []
    for name in try Sweep.shardFiles(in: folder.path) { shards.append((name, try Sweep.readShard("\(folder.path)/\(name)"))) }
    guard let first = shards.first?.shard.header.identity else {
      throw Failure.input("\(folder.path): no shard files (sweep-shard-*.jsonl) to merge")
    }
    // What the shards must have been run with: the scenario as it is now, and the options given here;
    // options not given are taken from the shards.
    let known = loaded.definition.policies.map(\.name)
    let expected = try Sweep.identity(
      of: loaded, seeds: seeds ?? first.seeds,
      options: RunOptions(
        devices: overrides.devices ?? first.devices, seed: overrides.seed ?? first.firstSeed,
        policies: policies.isEmpty ? first.policies.filter(known.contains) : policies))
    let merged = try Sweep.merge(shards, in: folder.path, expected: expected)
    try write(merged, of: loaded, to: folder)
  }

  /// Writes `sweep.json` and `report.html` (and `shardFiles`) together, prints the table, and says where
  /// the files went.
  func write(
    _ merged: Sweep.Merged, of loaded: LoadedScenario, to folder: ResultsFolder, with shardFiles: [(name: String, text: String)] = []
  ) throws {
    let summary = Sweep.summary(merged, scenario: loaded)
    let page = Sweep.reportModel(summary, scenario: loaded)
    try folder.write(
      shardFiles + [(Sweep.summaryFileName, Sweep.json(summary).pretty), (Sweep.reportFileName, Report.html(page))],
      command: OutputOptions.invocation)
    print(Sweep.table(page))
    output.announce(folder)
  }
}
