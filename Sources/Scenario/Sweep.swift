import FlagEngine
import Foundation
import Rollout

/// Replications of a scenario: each policy on many seeds, on the faulty release and on a healthy variant
/// of it (the same release without its faults), so that both the damage a policy limits and the false
/// alarms it raises can be estimated with intervals.
///
/// A sweep can be cut into shards (`shard` of `shards`): shard i runs the replications whose index is
/// i - 1 modulo the number of shards. Each shard writes its own file, headed by what it was run with (its
/// `Identity`); a complete set of shards of one identity merges into the same summary as the sweep run
/// whole, so a sweep can be spread over a cluster's job array. Shards of different sweeps never merge.
public enum Sweep {
  /// One policy's outcome on one seed.
  public struct Record: Sendable, Equatable, Codable {
    public var replication: Int
    public var seed: UInt64
    public var policy: String
    public var devicesFailed: Int
    public var failedDeviceHours: Double
    public var devicesNeedingManualRecovery: Int
    public var timeToDetectSeconds: Double?
    public var timeToMitigateSeconds: Double?
    public var finalState: String
    /// On the healthy variant: whether the policy paused, rolled back or killed a release that had nothing wrong.
    public var falseAlarm: Bool
    /// When each fault arrived on this seed, in seconds since the start, in the scenario's order (nil in
    /// records written before arrivals were drawn).
    public var faultArrivalSeconds: [Double]? = nil
    /// When the policy first published its last milestone (its whole audience), in seconds since the
    /// start; nil when it never did (and in records written before this was kept).
    public var reachedEveryoneSeconds: Double? = nil
    /// Devices whose data a `dataLoss` fault destroyed (nil in records written before it was kept).
    public var devicesLostData: Int? = nil
  }

  /// What a sweep was run with. Shards merge only when all of it agrees.
  public struct Identity: Sendable, Equatable {
    public var rollsimVersion: String
    /// The scenario's name.
    public var scenario: String
    /// SHA-256 of the scenario file's bytes.
    public var scenarioSHA256: String
    /// SHA-256 of the initial flag state the scenario loads (inline or from its `flags.path` file), as
    /// canonical JSON (sorted keys), so that a state file is covered as well as the scenario's own text.
    public var flagStateSHA256: String
    /// The fleet's size, after `--devices`.
    public var devices: Int
    public var firstSeed: UInt64
    /// The number of seeds (replications): `firstSeed`, `firstSeed + 1`, ..., `firstSeed + seeds - 1`.
    public var seeds: Int
    /// The policies run, in the scenario's order.
    public var policies: [String]

    /// Each field's name (as in the files) and value, in the order differences are reported.
    var fields: [(name: String, value: String)] {
      [
        ("rollsimVersion", rollsimVersion), ("scenario", scenario), ("scenarioSHA256", scenarioSHA256),
        ("flagStateSHA256", flagStateSHA256), ("devices", String(devices)), ("firstSeed", String(firstSeed)),
        ("seeds", String(seeds)), ("policies", "[" + policies.joined(separator: ", ") + "]"),
      ]
    }

    /// The seed of a replication.
    public func seed(_ replication: Int) -> UInt64 { firstSeed + UInt64(replication) }
  }

  /// What one shard's file says it holds: the sweep's identity and which part of it.
  public struct Header: Sendable, Equatable {
    public var identity: Identity
    /// 1...shards.
    public var shard: Int
    public var shards: Int

    /// The replications this shard runs: those whose index is `shard - 1` modulo `shards`.
    public var replications: [Int] { Array(stride(from: shard - 1, to: identity.seeds, by: shards)) }

    /// The shard's file name in the sweep's folder.
    public var fileName: String { Sweep.shardFileName(shard, of: shards) }
  }

  /// One shard's records, with what they were run with.
  public struct Shard: Sendable, Equatable {
    public var header: Header
    public var records: [Record]
  }

  public static func shardFileName(_ shard: Int, of shards: Int) -> String { "sweep-shard-\(shard)-of-\(shards).jsonl" }
  /// The merged sweep's numbers, for scripts.
  public static let summaryFileName = "sweep.json"
  /// The merged sweep's page, for people.
  public static let reportFileName = "report.html"

  /// The identity of a sweep of `scenario` over `seeds` seeds with these overrides. Refuses a policy the
  /// scenario does not have, and seeds that do not fit in a signed 64-bit number (the files hold them as
  /// JSON integers).
  public static func identity(of scenario: LoadedScenario, seeds: Int, options: RunOptions) throws(ScenarioError) -> Identity {
    let definition = scenario.definition
    let names = definition.policies.map(\.name)
    for name in options.policies where !names.contains(name) {
      throw ScenarioError(
        file: scenario.file, path: "policies", "no policy named '\(name)' (the scenario has: \(names.joined(separator: ", ")))")
    }
    guard (1...maximumSeeds).contains(seeds) else {
      throw ScenarioError(file: "", path: "--seeds", "\(seeds) is not a number of seeds in 1...\(maximumSeeds)")
    }
    let firstSeed = options.seed ?? definition.seed
    guard firstSeed <= UInt64(Int64.max) - UInt64(seeds - 1) else {
      throw ScenarioError(
        file: options.seed == nil ? scenario.file : "", path: options.seed == nil ? "seed" : "--seed",
        "\(firstSeed) with \(seeds) seeds goes past \(Int64.max), the largest seed a sweep can record")
    }
    guard let bytes = FileManager.default.contents(atPath: scenario.file) else {
      throw ScenarioError(file: scenario.file, path: "", "cannot read the file to record what the sweep was run from")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let state: Data
    do {
      state = try encoder.encode(scenario.state)
    } catch {
      throw ScenarioError(file: scenario.file, path: "flags", "cannot record the flag state: \(error)")
    }
    return Identity(
      rollsimVersion: RollsimVersion.number, scenario: definition.name, scenarioSHA256: SHA256.hex(bytes),
      flagStateSHA256: SHA256.hex(state), devices: options.devices ?? definition.fleet.devices, firstSeed: firstSeed,
      seeds: seeds, policies: names.filter { options.policies.isEmpty || options.policies.contains($0) })
  }

  /// Runs the replications of shard `shard` of `shards`. `progress` gets a line per replication.
  public static func run(
    _ scenario: LoadedScenario, seeds: Int, shard: Int, of shards: Int, options: RunOptions,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> Shard {
    guard (1...maximumShards).contains(shards), (1...shards).contains(shard) else {
      throw ScenarioError(file: "", path: "--shard", "\(shard)/\(shards) is not I/K with 1 <= I <= K <= \(maximumShards)")
    }
    let header = Header(identity: try identity(of: scenario, seeds: seeds, options: options), shard: shard, shards: shards)
    return Shard(header: header, records: try records(scenario, header.replications, of: header.identity, options: options, progress: progress))
  }

  /// Runs `replications` of the sweep `identity`: each policy on the release and on its healthy variant.
  static func records(
    _ scenario: LoadedScenario, _ replications: [Int], of identity: Identity, options: RunOptions,
    progress: (@Sendable (String) -> Void)?
  ) throws(ScenarioError) -> [Record] {
    let healthy = try scenario.withoutFaults()
    var records: [Record] = []
    for replication in replications {
      let seed = identity.seed(replication)
      var seeded = options
      seeded.seed = seed
      progress?("replication \(replication + 1) of \(identity.seeds) (seed \(seed))")
      let faulty = try ScenarioRunner.run(scenario, options: seeded)
      let clean = try ScenarioRunner.run(healthy, options: seeded)
      for (policy, control) in zip(faulty.policies, clean.policies) {
        records.append(Record(
          replication: replication, seed: seed, policy: policy.name, devicesFailed: policy.result.devicesFailed,
          failedDeviceHours: policy.result.failedDeviceHours,
          devicesNeedingManualRecovery: policy.result.devicesNeedingManualRecovery,
          timeToDetectSeconds: policy.timeToDetect, timeToMitigateSeconds: policy.timeToMitigate,
          finalState: policy.finalState.rawValue,
          falseAlarm: control.decisions.contains { [.pause, .rollBack, .kill].contains($0.action) },
          faultArrivalSeconds: faulty.faultWindows.map(\.from.seconds), reachedEveryoneSeconds: policy.reachedEveryone,
          devicesLostData: policy.result.devicesLostData))
      }
    }
    return records
  }
}

extension LoadedScenario {
  /// The same scenario with a healthy release: no faults. A fault whose trigger a policy stages leaves its
  /// arrival behind, harmless, so that the policy's healthy release starts when the faulty one did.
  func withoutFaults() throws(ScenarioError) -> LoadedScenario {
    var definition = self.definition
    for (index, fault) in definition.faults.enumerated() where definition.policyTriggers.contains(fault.name) {
      definition.harmlessTriggers[fault.name] = (index, fault)
    }
    definition.faults = []
    return try LoadedScenario(file: file, definition: definition)
  }
}
