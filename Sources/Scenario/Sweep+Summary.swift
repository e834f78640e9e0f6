import FlagEngine
import Foundation

extension Sweep {
  /// The kind of `sweep.json`, its first field: how Rollsim knows the file is its own.
  static let summaryKind = "rollsim sweep"

  /// Each policy's outcomes over the seeds of a whole sweep.
  public struct Summary: Sendable, Equatable {
    public var identity: Identity
    /// How many shards the sweep was run in (the report says it; `sweep.json` does not depend on it).
    public var shards: Int
    public var policies: [PolicySummary]
    /// Per replication, in order: when each fault arrived (nil in records written before arrivals were drawn).
    public var faultArrivals: [[Double]?] = []
    /// Which part of the benefit over big-bang comes from automation and which from staging; nil unless the
    /// scenario has policies named `big-bang` and `big-bang-guarded` (and the summary knows the scenario).
    public var benefitSplit: BenefitSplit? = nil
    /// The seeds on which the faults arrived only after every staged policy had reached everyone; nil
    /// without a staged policy (or without the scenario).
    public var lateArrivals: LateArrivals? = nil
  }

  public struct PolicySummary: Sendable, Equatable {
    public var name: String
    public var replications: Int
    public var devicesFailed: Interval
    public var failedDeviceHours: Interval
    public var devicesNeedingManualRecovery: Interval
    /// Devices whose data a `dataLoss` fault destroyed (records without the figure count none).
    public var devicesLostData: Interval
    /// Over the seeds where a device failed and the policy reacted.
    public var timeToDetectSeconds: Interval
    /// Over the seeds where a device failed and the fault was taken away.
    public var timeToMitigateSeconds: Interval
    /// Seeds on which the release made at least one device fail.
    public var seedsWithFailures: Int
    public var detected: Int
    public var mitigated: Int
    /// Pauses, roll backs and kills of the healthy release, over the seeds, with Wilson's interval.
    public var falsePauseRate: Proportion
    /// Failed device-hours seed by seed, in replication order: what paired comparisons read.
    public var failedDeviceHoursPerSeed: [Double] = []
    /// When the policy reached everyone, seed by seed (nil where it never did).
    public var reachedEveryonePerSeed: [Double?] = []
    /// From the scenario's definition of the policy (nil when the summary was made without it): whether it
    /// reaches everyone in steps, and whether gates or safeguards watch it (``PolicyDefinition/isStaged``).
    public var staged: Bool? = nil
    public var guarded: Bool? = nil
    /// Whether the policy releases a fault's trigger (`startsAtArrivalOf`): its release starts with the
    /// fault, so the fault can never arrive after it reached everyone.
    public var startsWithFault: Bool? = nil
  }

  /// The mean of a sample and its 95% interval (Student's t); `low` and `high` are nil for fewer than two
  /// values, and everything is nil for none.
  public struct Interval: Sendable, Equatable {
    public var n: Int
    public var mean: Double?
    public var low: Double?
    public var high: Double?

    public init(_ values: [Double]) {
      n = values.count
      guard !values.isEmpty else { return }
      let count = Double(values.count)
      let mean = values.reduce(0, +) / count
      self.mean = mean
      guard values.count > 1 else { return }
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
      let half = Statistics.t975(degrees: values.count - 1) * (variance / count).squareRoot()
      (low, high) = (mean - half, mean + half)
    }

    var json: JSONValue {
      .object([("n", .int(n)), ("mean", .optional(mean)), ("low", .optional(low)), ("high", .optional(high))])
    }
  }

  /// A proportion of successes in trials with Wilson's 95% score interval.
  public struct Proportion: Sendable, Equatable {
    public var successes: Int
    public var trials: Int
    public var rate: Double { trials == 0 ? 0 : Double(successes) / Double(trials) }
    public var low: Double
    public var high: Double

    public init(successes: Int, trials: Int) {
      self.successes = successes
      self.trials = trials
      (low, high) = Statistics.wilson(successes: successes, trials: trials)
    }
  }

  /// Mean and 95% interval of each outcome per policy, and the false-alarm rate with a Wilson interval.
  /// With the `scenario` the sweep ran, also how each policy is classed, the benefit split and the seeds
  /// with late arrivals.
  public static func summary(_ merged: Merged, scenario: LoadedScenario? = nil) -> Summary {
    let definitions = scenario?.definition.policies ?? []
    let policies = merged.identity.policies.map { name in
      let own = merged.records.filter { $0.policy == name }.sorted { $0.replication < $1.replication }
      let definition = definitions.first { $0.name == name }
      return PolicySummary(
        name: name, replications: own.count, devicesFailed: Interval(own.map { Double($0.devicesFailed) }),
        failedDeviceHours: Interval(own.map(\.failedDeviceHours)),
        devicesNeedingManualRecovery: Interval(own.map { Double($0.devicesNeedingManualRecovery) }),
        devicesLostData: Interval(own.map { Double($0.devicesLostData ?? 0) }),
        timeToDetectSeconds: Interval(own.compactMap(\.timeToDetectSeconds)),
        timeToMitigateSeconds: Interval(own.compactMap(\.timeToMitigateSeconds)),
        seedsWithFailures: own.filter { $0.devicesFailed > 0 }.count,
        detected: own.filter { $0.timeToDetectSeconds != nil }.count,
        mitigated: own.filter { $0.timeToMitigateSeconds != nil }.count,
        falsePauseRate: Proportion(successes: own.filter(\.falseAlarm).count, trials: own.count),
        failedDeviceHoursPerSeed: own.map(\.failedDeviceHours), reachedEveryonePerSeed: own.map(\.reachedEveryoneSeconds),
        staged: definition?.isStaged, guarded: definition?.isGuarded,
        startsWithFault: definition == nil ? nil : scenario?.definition.trigger(ofPolicy: name) != nil)
    }
    var arrivals: [Int: [Double]?] = [:]
    for record in merged.records where arrivals[record.replication] == nil { arrivals[record.replication] = record.faultArrivalSeconds }
    var summary = Summary(
      identity: merged.identity, shards: merged.shards, policies: policies,
      faultArrivals: arrivals.keys.sorted().map { arrivals[$0]! })
    if let scenario {
      summary.benefitSplit = BenefitSplit(policies)
      summary.lateArrivals = LateArrivals(
        policies, arrivals: summary.faultArrivals, harmEndsWithFlag: scenario.definition.faults.allSatisfy(\.harmEndsWithFlag))
    }
    return summary
  }

  /// `sweep.json`. The names scripts read stay as they were (`failedDeviceHours` {mean, low, high},
  /// `falsePauseRate` {rate, low, high}, ...); what the sweep was run with comes first. Nothing in it depends
  /// on how the sweep was sharded, so a merged sweep gives the bytes of the same sweep run whole.
  public static func json(_ summary: Summary) -> JSONValue {
    let identity = summary.identity
    return .object([
      ("kind", .string(summaryKind)),
      ("rollsimVersion", .string(identity.rollsimVersion)),
      ("scenario", .string(identity.scenario)),
      ("scenarioSHA256", .string(identity.scenarioSHA256)),
      ("flagStateSHA256", .string(identity.flagStateSHA256)),
      ("devices", .int(identity.devices)),
      ("firstSeed", .int(Int(identity.firstSeed))),
      ("seeds", .int(identity.seeds)),
      ("replications", .int(identity.seeds)),
      ("policies", .array(summary.policies.map { policy in
        .object([
          ("name", .string(policy.name)),
          ("replications", .int(policy.replications)),
          ("devicesFailed", policy.devicesFailed.json),
          ("failedDeviceHours", policy.failedDeviceHours.json),
          ("devicesNeedingManualRecovery", policy.devicesNeedingManualRecovery.json),
          ("devicesLostData", policy.devicesLostData.json),
          ("timeToDetectSeconds", policy.timeToDetectSeconds.json),
          ("timeToMitigateSeconds", policy.timeToMitigateSeconds.json),
          ("seedsWithFailures", .int(policy.seedsWithFailures)),
          ("detected", .int(policy.detected)),
          ("mitigated", .int(policy.mitigated)),
          ("falseAlarms", .int(policy.falsePauseRate.successes)),
          ("falsePauseRate", .object([
            ("rate", .number(policy.falsePauseRate.rate)), ("low", .number(policy.falsePauseRate.low)),
            ("high", .number(policy.falsePauseRate.high)),
          ])),
          ("staged", policy.staged.map(JSONValue.bool) ?? .null),
          ("guarded", policy.guarded.map(JSONValue.bool) ?? .null),
          ("startsWithFault", policy.startsWithFault.map(JSONValue.bool) ?? .null),
        ])
      })),
      ("benefitSplit", summary.benefitSplit?.json ?? .null),
      ("lateArrivals", summary.lateArrivals?.json ?? .null),
    ])
  }
}

/// The small statistics of a sweep.
enum Statistics {
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
