import FlagEngine
import Foundation
import Rollout

/// Replications of a scenario: each policy on many seeds, on the faulty release and on a healthy variant
/// of it (the same release without its faults), so that both the damage a policy limits and the false
/// alarms it raises can be estimated with intervals.
///
/// A sweep can be cut into shards (`shard` of `shards`): shard i runs the replications whose index is
/// i - 1 modulo the number of shards. Each shard writes its own records; any set of shard files merges
/// into the same summary, so a sweep can be spread over a cluster's job array.
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
  }

  /// Runs the replications of this shard. `progress` gets a line per replication.
  public static func run(
    _ scenario: LoadedScenario, replications: Int, shard: Int, of shards: Int, options: RunOptions,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> [Record] {
    let healthy = try scenario.withoutFaults()
    let baseSeed = options.seed ?? scenario.definition.seed
    var records: [Record] = []
    for replication in 0..<replications where replication % shards == shard - 1 {
      let seed = baseSeed &+ UInt64(replication)
      var seeded = options
      seeded.seed = seed
      progress?("replication \(replication + 1) of \(replications) (seed \(seed))")
      let faulty = try ScenarioRunner.run(scenario, options: seeded)
      let clean = try ScenarioRunner.run(healthy, options: seeded)
      for (policy, control) in zip(faulty.policies, clean.policies) {
        records.append(Record(
          replication: replication, seed: seed, policy: policy.name, devicesFailed: policy.result.devicesFailed,
          failedDeviceHours: policy.result.failedDeviceHours,
          devicesNeedingManualRecovery: policy.result.devicesNeedingManualRecovery,
          timeToDetectSeconds: policy.timeToDetect, timeToMitigateSeconds: policy.timeToMitigate,
          finalState: policy.finalState.rawValue,
          falseAlarm: control.decisions.contains { [.pause, .rollBack, .kill].contains($0.action) }))
      }
    }
    return records
  }

  // MARK: Records on disk

  static func json(_ record: Record) -> JSONValue {
    .object([
      ("replication", .int(record.replication)), ("seed", .int(Int(truncatingIfNeeded: record.seed))),
      ("policy", .string(record.policy)), ("devicesFailed", .int(record.devicesFailed)),
      ("failedDeviceHours", .exactNumber(record.failedDeviceHours)),
      ("devicesNeedingManualRecovery", .int(record.devicesNeedingManualRecovery)),
      ("timeToDetectSeconds", record.timeToDetectSeconds.map(JSONValue.exactNumber) ?? .null),
      ("timeToMitigateSeconds", record.timeToMitigateSeconds.map(JSONValue.exactNumber) ?? .null),
      ("finalState", .string(record.finalState)), ("falseAlarm", .bool(record.falseAlarm)),
    ])
  }

  /// The shard's file: one JSON line per (replication, policy).
  public static func shardText(_ records: [Record]) -> String {
    records.map { json($0).compact + "\n" }.joined()
  }

  /// Reads shard files back. Errors name the file and line.
  public static func read(_ path: String) throws(ScenarioError) -> [Record] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw ScenarioError(file: path, path: "", "cannot read the shard file")
    }
    var records: [Record] = []
    let decoder = JSONDecoder()
    for (number, line) in text.split(separator: "\n").enumerated() {
      do {
        records.append(try decoder.decode(Record.self, from: Data(line.utf8)))
      } catch {
        throw ScenarioError(file: "\(path):\(number + 1)", path: "", "not a sweep record")
      }
    }
    return records
  }

  // MARK: Summary

  /// Mean and 95% interval of each outcome per policy, and the false-alarm rate with a Wilson interval.
  public static func summary(_ records: [Record], scenario: String) -> JSONValue {
    let policies = records.reduce(into: [String]()) { names, record in
      if !names.contains(record.policy) { names.append(record.policy) }
    }
    let replications = Set(records.map(\.replication)).count
    return .object([
      ("scenario", .string(scenario)),
      ("replications", .int(replications)),
      ("policies", .array(policies.map { name in
        let own = records.filter { $0.policy == name }.sorted { $0.replication < $1.replication }
        let alarms = own.filter(\.falseAlarm).count
        let wilson = Statistics.wilson(successes: alarms, trials: own.count)
        return .object([
          ("name", .string(name)),
          ("replications", .int(own.count)),
          ("devicesFailed", Statistics.interval(own.map { Double($0.devicesFailed) })),
          ("failedDeviceHours", Statistics.interval(own.map(\.failedDeviceHours))),
          ("devicesNeedingManualRecovery", Statistics.interval(own.map { Double($0.devicesNeedingManualRecovery) })),
          ("timeToDetectSeconds", Statistics.interval(own.compactMap(\.timeToDetectSeconds))),
          ("timeToMitigateSeconds", Statistics.interval(own.compactMap(\.timeToMitigateSeconds))),
          ("detected", .int(own.filter { $0.timeToDetectSeconds != nil }.count)),
          ("falsePauseRate", .object([
            ("rate", .number(own.isEmpty ? 0 : Double(alarms) / Double(own.count))),
            ("low", .number(wilson.low)), ("high", .number(wilson.high)),
          ])),
        ])
      })),
    ])
  }
}

/// The small statistics of a sweep.
enum Statistics {
  /// Mean and a 95% interval (Student's t) of `values`; null fields when there are too few.
  static func interval(_ values: [Double]) -> JSONValue {
    guard !values.isEmpty else { return .object([("n", .int(0)), ("mean", .null), ("low", .null), ("high", .null)]) }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    guard values.count > 1 else {
      return .object([("n", .int(1)), ("mean", .number(mean)), ("low", .null), ("high", .null)])
    }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    let half = t975(degrees: values.count - 1) * (variance / n).squareRoot()
    return .object([("n", .int(values.count)), ("mean", .number(mean)), ("low", .number(mean - half)), ("high", .number(mean + half))])
  }

  /// The 97.5% quantile of Student's t.
  static func t975(degrees: Int) -> Double {
    let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
      2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
    return degrees <= table.count ? table[degrees - 1] : 1.96 + 2.4 / Double(degrees)
  }

  /// Wilson's 95% score interval for a proportion.
  static func wilson(successes: Int, trials: Int) -> (low: Double, high: Double) {
    guard trials > 0 else { return (0, 1) }
    let z = 1.959964
    let n = Double(trials)
    let p = Double(successes) / n
    let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / (1 + z * z / n)
    return (max(0, centre - half), min(1, centre + half))
  }
}

extension LoadedScenario {
  /// The same scenario with a healthy release: no faults.
  func withoutFaults() throws(ScenarioError) -> LoadedScenario {
    var definition = self.definition
    definition.faults = []
    return try LoadedScenario(file: file, definition: definition)
  }
}
