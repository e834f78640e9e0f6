import Scenario
import Foundation

extension ReportModel {
  /// What a sweep's page (and its table on stdout) shows: per policy, each outcome's mean and 95% interval
  /// over the seeds, the false-pause rate with its Wilson interval, and what the sweep was run with.
  public struct Sweep: Sendable, Equatable {
    /// The scenario; `seed` is the sweep's first seed and `devices` its fleet size.
    public var scenario: ScenarioSummary
    public var seeds: Int
    public var shards: Int
    public var rollsimVersion: String
    public var scenarioSHA256: String
    public var flagStateSHA256: String
    /// The policies, in the order of every outcome's cells.
    public var policies: [String]
    /// The outcomes in the order shown; the false-pause rate is the one with `unit == .fraction`.
    public var outcomes: [SweepOutcome]
    /// Humans to automation, automation to staging: set when the scenario has `big-bang` and `big-bang-guarded`.
    public var benefitSplit: BenefitSplit?
    /// Failed device-hours by when the faults arrived; nil when every seed met them at the same time.
    public var arrivals: ArrivalHarm?

    public init(
      scenario: ScenarioSummary, seeds: Int, shards: Int, rollsimVersion: String, scenarioSHA256: String,
      flagStateSHA256: String, policies: [String], outcomes: [SweepOutcome], benefitSplit: BenefitSplit? = nil,
      arrivals: ArrivalHarm? = nil
    ) {
      self.benefitSplit = benefitSplit
      self.arrivals = arrivals
      self.scenario = scenario
      self.seeds = seeds
      self.shards = shards
      self.rollsimVersion = rollsimVersion
      self.scenarioSHA256 = scenarioSHA256
      self.flagStateSHA256 = flagStateSHA256
      self.policies = policies
      self.outcomes = outcomes
    }
  }

  /// How a sweep outcome's numbers are written.
  public enum SweepUnit: Sendable, Equatable {
    /// A number of devices.
    case devices
    case deviceHours
    /// Seconds, written in seconds, minutes or hours.
    case duration
    /// A rate in 0...1, written as a percentage.
    case fraction
  }

  /// One outcome across the policies, such as failed device-hours.
  public struct SweepOutcome: Sendable, Equatable {
    /// Names the outcome's chart in the page.
    public var id: String
    public var title: String
    /// What the outcome counts, and which way is better.
    public var hint: String
    public var unit: SweepUnit
    /// One per policy.
    public var cells: [SweepCell]

    public init(id: String, title: String, hint: String, unit: SweepUnit, cells: [SweepCell]) {
      self.id = id
      self.title = title
      self.hint = hint
      self.unit = unit
      self.cells = cells
    }
  }

  /// A mean and its 95% interval over `count` of `of` seeds; `low` and `high` are nil for a single value,
  /// and `mean` is nil for none, when `none` says why (such as "never").
  public struct SweepCell: Sendable, Equatable {
    public var mean: Double?
    public var low: Double?
    public var high: Double?
    public var count: Int
    public var of: Int
    public var none: String

    public init(mean: Double?, low: Double? = nil, high: Double? = nil, count: Int, of: Int, none: String = "–") {
      self.mean = mean
      self.low = low
      self.high = high
      self.count = count
      self.of = of
      self.none = none
    }
  }
}

extension Sweep {
  /// The report's view of a merged sweep of `scenario` (its description, duration, start and sources).
  public static func reportModel(_ summary: Summary, scenario: LoadedScenario) -> ReportModel.Sweep {
    let definition = scenario.definition
    let identity = summary.identity
    let policies = summary.policies
    typealias Cell = ReportModel.SweepCell
    func cell(_ interval: Interval, of seeds: Int, none: String = "–") -> Cell {
      Cell(mean: interval.mean, low: interval.low, high: interval.high, count: interval.n, of: seeds, none: none)
    }
    func timeCells(_ interval: (PolicySummary) -> Interval) -> [Cell] {
      policies.map { cell(interval($0), of: $0.seedsWithFailures, none: $0.seedsWithFailures == 0 ? "no failure" : "never") }
    }
    return ReportModel.Sweep(
      scenario: ReportModel.ScenarioSummary(
        name: definition.name, description: definition.description ?? "", seed: identity.firstSeed,
        devices: identity.devices, simulatedSeconds: definition.duration.seconds, startTime: definition.start,
        sources: definition.sources, windowSeconds: definition.telemetry.window.seconds),
      seeds: identity.seeds, shards: summary.shards, rollsimVersion: identity.rollsimVersion,
      scenarioSHA256: identity.scenarioSHA256, flagStateSHA256: identity.flagStateSHA256, policies: identity.policies,
      outcomes: [
        .init(
          id: "devices-failed", title: "Devices failed", hint: "at least one failure caused by the release; lower is better",
          unit: .devices, cells: policies.map { cell($0.devicesFailed, of: $0.replications) }),
        .init(
          id: "failed-device-hours", title: "Failed device-hours", hint: "lower is better", unit: .deviceHours,
          cells: policies.map { cell($0.failedDeviceHours, of: $0.replications) }),
        .init(
          id: "manual-recovery", title: "Devices needing manual recovery", hint: "lower is better", unit: .devices,
          cells: policies.map { cell($0.devicesNeedingManualRecovery, of: $0.replications) }),
      ] + (policies.contains { ($0.devicesLostData.mean ?? 0) > 0 } ? [
        // Only where a scenario has a data loss, which shows in no other row but devices failed.
        .init(
          id: "lost-data", title: "Devices that lost data", hint: "a data-loss fault destroyed their data; lower is better",
          unit: .devices, cells: policies.map { cell($0.devicesLostData, of: $0.replications) }),
      ] : []) + [
        .init(
          id: "time-to-detect", title: "Time to detect",
          hint: "from the first failure to the first reaction, over the seeds with a failure; lower is better",
          unit: .duration, cells: timeCells(\.timeToDetectSeconds)),
        .init(
          id: "time-to-mitigate", title: "Time to mitigate",
          hint: "from the first failure until the fault is taken away, over the seeds with a failure; lower is better",
          unit: .duration, cells: timeCells(\.timeToMitigateSeconds)),
        .init(
          id: "false-pause-rate", title: "False-pause rate",
          hint: "pauses, roll backs and kills of the same release without its faults (Wilson interval); lower is better",
          unit: .fraction,
          cells: policies.map { policy in
            let rate = policy.falsePauseRate
            return Cell(mean: rate.rate, low: rate.low, high: rate.high, count: rate.successes, of: rate.trials)
          }),
      ],
      benefitSplit: ReportModel.BenefitSplit(summary.benefitSplit, seeds: identity.seeds), arrivals: ReportModel.ArrivalHarm(summary))
  }
}
