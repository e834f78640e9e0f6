import FlagEngine
import Foundation

extension Sweep {
  /// The `kind` of a shard file's first line.
  static let shardKind = "rollsim sweep shard"
  /// The most seeds, and shards, a sweep runs.
  public static let maximumSeeds = 100_000
  public static let maximumShards = 100_000

  // MARK: Writing

  /// A shard's file: a header line with what it was run with, then one JSON line per (replication, policy).
  /// A shard with no replication (more shards than seeds) still has its header, so a merge can count it.
  public static func shardText(_ shard: Shard) -> String {
    let identity = shard.header.identity
    let header: JSONValue = .object([
      ("kind", .string(shardKind)), ("rollsimVersion", .string(identity.rollsimVersion)),
      ("scenario", .string(identity.scenario)), ("scenarioSHA256", .string(identity.scenarioSHA256)),
      ("flagStateSHA256", .string(identity.flagStateSHA256)), ("devices", .int(identity.devices)),
      ("firstSeed", .int(Int(identity.firstSeed))), ("seeds", .int(identity.seeds)),
      ("shard", .int(shard.header.shard)), ("shards", .int(shard.header.shards)),
      ("policies", .array(identity.policies.map(JSONValue.string))),
    ])
    return ([header] + shard.records.map(json)).map { $0.compact + "\n" }.joined()
  }

  static func json(_ record: Record) -> JSONValue {
    .object([
      ("replication", .int(record.replication)), ("seed", .int(Int(record.seed))),
      ("policy", .string(record.policy)), ("devicesFailed", .int(record.devicesFailed)),
      ("failedDeviceHours", .exactNumber(record.failedDeviceHours)),
      ("devicesNeedingManualRecovery", .int(record.devicesNeedingManualRecovery)),
      ("timeToDetectSeconds", record.timeToDetectSeconds.map(JSONValue.exactNumber) ?? .null),
      ("timeToMitigateSeconds", record.timeToMitigateSeconds.map(JSONValue.exactNumber) ?? .null),
      ("finalState", .string(record.finalState)), ("falseAlarm", .bool(record.falseAlarm)),
      ("faultArrivalSeconds", record.faultArrivalSeconds.map { .array($0.map(JSONValue.exactNumber)) } ?? .null),
      ("reachedEveryoneSeconds", record.reachedEveryoneSeconds.map(JSONValue.exactNumber) ?? .null),
      ("devicesLostData", record.devicesLostData.map(JSONValue.int) ?? .null),
    ])
  }

  // MARK: Reading

  private struct HeaderLine: Decodable {
    var kind: String
    var rollsimVersion: String
    var scenario: String
    var scenarioSHA256: String
    var flagStateSHA256: String
    var devices: Int
    var firstSeed: UInt64
    var seeds: Int
    var shard: Int
    var shards: Int
    var policies: [String]
  }

  /// Reads a shard's text; `file` names it in errors, with the line.
  public static func shard(text: String, file: String) throws(ScenarioError) -> Shard {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
    guard let first = lines.first, !first.isEmpty else {
      throw ScenarioError(file: file, path: "", "empty: not a sweep shard file")
    }
    let decoder = JSONDecoder()
    guard let line = try? decoder.decode(HeaderLine.self, from: Data(first.utf8)), line.kind == shardKind else {
      if (try? decoder.decode(Record.self, from: Data(first.utf8))) != nil {
        throw ScenarioError(
          file: "\(file):1", path: "",
          "a shard written by an earlier rollsim, without the header that says what it was run with; run the shard again")
      }
      throw ScenarioError(file: "\(file):1", path: "", "not a sweep shard file (its first line is not a rollsim sweep shard header)")
    }
    // The limits of the command line, so that nothing read from a file can overflow a seed or make a merge
    // list a billion shards.
    guard (1...maximumSeeds).contains(line.seeds), (1...maximumShards).contains(line.shards), (1...line.shards).contains(line.shard),
      line.devices >= 1, line.firstSeed <= UInt64(Int64.max) - UInt64(line.seeds - 1)
    else {
      throw ScenarioError(
        file: "\(file):1", path: "",
        "the header says shard \(line.shard) of \(line.shards), \(line.seeds) seeds from \(line.firstSeed), \(line.devices) devices: "
          + "not a sweep rollsim runs")
    }
    let identity = Identity(
      rollsimVersion: line.rollsimVersion, scenario: line.scenario, scenarioSHA256: line.scenarioSHA256,
      flagStateSHA256: line.flagStateSHA256, devices: line.devices, firstSeed: line.firstSeed, seeds: line.seeds,
      policies: line.policies)
    var records: [Record] = []
    for (offset, text) in lines.enumerated().dropFirst() {
      do {
        records.append(try decoder.decode(Record.self, from: Data(text.utf8)))
      } catch {
        throw ScenarioError(file: "\(file):\(offset + 1)", path: "", "not a sweep record")
      }
    }
    return Shard(header: Header(identity: identity, shard: line.shard, shards: line.shards), records: records)
  }

  /// The names of the shard files in `folder` (`sweep-shard-*.jsonl`), sorted: what a merge reads,
  /// whichever process or person put them there.
  public static func shardFiles(in folder: String) throws(ScenarioError) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      throw ScenarioError(file: folder, path: "", "cannot read the folder (missing or not readable)")
    }
    return names.filter { $0.hasPrefix("sweep-shard-") && $0.hasSuffix(".jsonl") }.sorted()
  }

  /// Reads a shard file.
  public static func readShard(_ path: String) throws(ScenarioError) -> Shard {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ScenarioError(file: path, path: "", "cannot read the shard file")
    }
    return try shard(text: String(decoding: data, as: UTF8.self), file: path)
  }

  // MARK: Merging

  /// A whole sweep: every shard of one identity, checked.
  public struct Merged: Sendable, Equatable {
    public var identity: Identity
    public var shards: Int
    /// By replication, then in the order of `identity.policies`.
    public var records: [Record]
  }

  /// Checks that `files` (a shard file's name and what it holds) are the complete set of shards of one
  /// sweep, and of the sweep `expected` when given (the scenario and options named on the command line),
  /// and puts their records together. Refuses, naming the files and what differs: shards of different
  /// sweeps, a shard twice, missing shards, and a shard whose records are not the ones its header promises.
  public static func merge(_ files: [(name: String, shard: Shard)], in folder: String, expected: Identity? = nil)
    throws(ScenarioError) -> Merged
  {
    func refuse(_ message: String) -> ScenarioError { ScenarioError(file: folder, path: "", message) }
    guard let (referenceName, reference) = files.first else {
      throw refuse("no shard files (sweep-shard-*.jsonl) to merge")
    }
    let base = reference.header

    // One sweep: every header agrees with the first.
    var differences: [String] = []
    for (name, shard) in files.dropFirst() {
      var fields = zip(shard.header.identity.fields, base.identity.fields).filter { $0.0.value != $0.1.value }
        .map { "\($0.0.name) (\($0.0.value) and \($0.1.value))" }
      if shard.header.shards != base.shards { fields.append("shards (\(shard.header.shards) and \(base.shards))") }
      if !fields.isEmpty { differences.append("\(name) and \(referenceName) differ in \(list(fields))") }
    }
    guard differences.isEmpty else {
      throw refuse(
        "cannot merge shards of different sweeps: \(differences.joined(separator: "; ")). Keep the shards of one sweep "
          + "in the folder (give each sweep its own --out)")
    }
    if let expected {
      let fields = zip(base.identity.fields, expected.fields).filter { $0.0.value != $0.1.value }
        .map { "\($0.0.name) \($0.0.value) in the shards, \($0.1.value) given" }
      guard fields.isEmpty else {
        throw refuse("the shards were not run with the scenario and options given: \(fields.joined(separator: "; "))")
      }
    }

    // Each shard once.
    var byShard: [Int: [String]] = [:]
    for (name, shard) in files { byShard[shard.header.shard, default: []].append(name) }
    var problems: [String] = []
    for shard in byShard.keys.sorted() where byShard[shard]!.count > 1 {
      problems.append("shard \(shard) of \(base.shards) is there \(byShard[shard]!.count) times: \(list(byShard[shard]!))")
    }
    let missing = (1...base.shards).filter { byShard[$0] == nil }
    if !missing.isEmpty {
      let shown = 8
      if missing.count == 1 {
        problems.append("shard \(missing[0]) of \(base.shards) is missing (run --shard \(missing[0])/\(base.shards), then merge again)")
      } else if missing.count <= shown {
        problems.append(
          "shards \(list(missing.map(String.init))) of \(base.shards) are missing (run "
            + list(missing.map { "--shard \($0)/\(base.shards)" }) + ", then merge again)")
      } else {
        problems.append(
          "\(missing.count) of \(base.shards) shards are missing: "
            + missing.prefix(shown).map(String.init).joined(separator: ", ") + " and \(missing.count - shown) more")
      }
    }
    guard problems.isEmpty else { throw refuse("cannot merge: " + problems.joined(separator: "; ")) }

    // Each shard holds what its header promises: its replications, each with every policy once.
    var records: [Record] = []
    for (name, shard) in files.sorted(by: { $0.shard.header.shard < $1.shard.header.shard }) {
      try check(shard, file: "\(folder)/\(name)")
      records += shard.records
    }
    let order = Dictionary(uniqueKeysWithValues: base.identity.policies.enumerated().map { ($1, $0) })
    records.sort { ($0.replication, order[$0.policy]!) < ($1.replication, order[$1.policy]!) }
    return Merged(identity: base.identity, shards: base.shards, records: records)
  }

  /// Refuses a shard whose records are not exactly one per (replication of the shard, policy), with the
  /// seed of their replication.
  static func check(_ shard: Shard, file: String) throws(ScenarioError) {
    let header = shard.header
    let identity = header.identity
    let owned = Set(header.replications)
    var seen = Set<String>()
    for (index, record) in shard.records.enumerated() {
      func refuse(_ message: String) -> ScenarioError { ScenarioError(file: "\(file):\(index + 2)", path: "", message) }
      guard owned.contains(record.replication) else {
        throw refuse("replication \(record.replication) is not one of shard \(header.shard) of \(header.shards) (\(identity.seeds) seeds)")
      }
      guard identity.policies.contains(record.policy) else {
        throw refuse("policy '\(record.policy)' is not one the header names (\(identity.policies.joined(separator: ", ")))")
      }
      guard record.seed == identity.seed(record.replication) else {
        throw refuse("seed \(record.seed) for replication \(record.replication); the header's first seed \(identity.firstSeed) makes it \(identity.seed(record.replication))")
      }
      guard seen.insert("\(record.replication) \(record.policy)").inserted else {
        throw refuse("a second record for replication \(record.replication), policy '\(record.policy)'")
      }
    }
    for replication in header.replications {
      for policy in identity.policies where !seen.contains("\(replication) \(policy)") {
        throw ScenarioError(
          file: file, path: "", "no record for replication \(replication) (seed \(identity.seed(replication))), policy '\(policy)'")
      }
    }
  }

  /// `a`, `a and b`, `a, b and c`.
  static func list(_ items: [String]) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
  }
}
