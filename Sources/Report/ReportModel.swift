import Scenario
/// Everything `report.html` shows, as plain data.
///
/// The report writer reads only this model, never the simulation's own types, so it can be built from a
/// live run, from committed results, or by hand in a test. All times are simulated seconds since the start
/// of the scenario. Order matters and is kept: policies, tables, rows, series and sources appear in the page
/// in the order given here, which keeps the page byte-identical for the same model.
public struct ReportModel: Sendable, Equatable {
  public var scenario: ScenarioSummary
  /// The fleet's make-up: one table per attribute (platforms, hardware generations, regions, cohorts,
  /// sync models...).
  public var fleetMakeUp: [CountTable]
  /// One entry per policy, in the order of the scenario; the page handles up to about six comfortably.
  public var policies: [PolicyResult]
  /// Further titled line charts (for example requests per second against a backend), shown after the
  /// policies' charts.
  public var extraCharts: [ExtraChart]
  /// Set for a capacity plan (`rollsim capacity`), which runs no policy: the page is then the plan's own,
  /// with its facts, `extraCharts` as the plan's charts, these tables, the fleet and the sources, and
  /// `policies` is not shown. `nil` (a policy run) gives the run's page.
  public var capacityPlan: CapacityPlan?

  public init(
    scenario: ScenarioSummary, fleetMakeUp: [CountTable] = [], policies: [PolicyResult] = [],
    extraCharts: [ExtraChart] = [], capacityPlan: CapacityPlan? = nil
  ) {
    self.scenario = scenario
    self.fleetMakeUp = fleetMakeUp
    self.policies = policies
    self.extraCharts = extraCharts
    self.capacityPlan = capacityPlan
  }
}

extension ReportModel {
  /// What was simulated.
  public struct ScenarioSummary: Sendable, Equatable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var devices: Int
    /// How long the scenario ran, in simulated seconds; the time axes span `0...simulatedSeconds`.
    public var simulatedSeconds: Double
    /// The wall-clock time the simulation starts at, as written in the scenario (ISO 8601 in UTC, such
    /// as `2024-07-19T04:00:00Z`). When it parses, decision times are also shown as UTC clock times.
    public var startTime: String
    /// Where the scenario's facts come from: URLs or citations. A URL inside a citation becomes a link.
    public var sources: [String]
    /// The length of one telemetry window, in seconds.
    public var windowSeconds: Double

    public init(
      name: String, description: String = "", seed: UInt64, devices: Int, simulatedSeconds: Double,
      startTime: String = "", sources: [String] = [], windowSeconds: Double
    ) {
      self.name = name
      self.description = description
      self.seed = seed
      self.devices = devices
      self.simulatedSeconds = simulatedSeconds
      self.startTime = startTime
      self.sources = sources
      self.windowSeconds = windowSeconds
    }
  }

  /// Device counts per value of one attribute, such as "Hardware generations".
  public struct CountTable: Sendable, Equatable {
    public var title: String
    public var rows: [CountRow]

    public init(title: String, rows: [CountRow]) {
      self.title = title
      self.rows = rows
    }

    /// Builds a table from `(label, count)` pairs, in their order.
    public init(title: String, counts: [(String, Int)]) {
      self.init(title: title, rows: counts.map { CountRow(label: $0.0, count: $0.1) })
    }
  }

  public struct CountRow: Sendable, Equatable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) {
      self.label = label
      self.count = count
    }
  }

  /// Where a policy's release ended up when the simulation stopped (Rollout's `FinalState` by its raw
  /// value: `EndState(rawValue: finalState.rawValue)`). An open set: the known states have
  /// constants, and any other raw value is shown as written.
  public struct EndState: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let completed = EndState(rawValue: "completed")
    public static let paused = EndState(rawValue: "paused")
    public static let rolledBack = EndState(rawValue: "rolledBack")
    public static let killed = EndState(rawValue: "killed")
    public static let inProgress = EndState(rawValue: "inProgress")
    public static let fixed = EndState(rawValue: "fixed")
  }

  /// What one release policy did to the fleet.
  public struct PolicyResult: Sendable, Equatable {
    public var name: String
    /// The policy's kind, such as `big-bang`, `time-ramp` or `release-plan`.
    public var kind: String
    public var finalState: EndState
    /// Devices that had the flag on at least once.
    public var devicesExposed: Int
    /// Devices that had at least one failure caused by the release.
    public var devicesFailed: Int
    public var failedDeviceHours: Double
    public var devicesNeedingManualRecovery: Int
    /// Devices whose data a data-loss fault destroyed; installs, and the user reports received.
    public var devicesLostData: Int
    public var installs: Int
    public var reports: Int
    /// From the first failure to the first decision that reacts to it; `nil` when never.
    public var timeToDetectSeconds: Double?
    /// From the first failure to the first state that takes the fault away; `nil` when never.
    public var timeToMitigateSeconds: Double?
    /// Devices the release took down (crash loops, manual repair), and from the first failure until the
    /// last of them was back (`nil`: some were still down at the end, or none went down).
    public var devicesTakenDown: Int
    public var timeToRecoverSeconds: Double?
    /// Fetches of booting devices the delivery path's servers were offered, and those they shed (over
    /// their capacity), every tier.
    public var bootFetches: Int
    public var bootFetchesShed: Int
    /// How many decisions the controller took (the list below may have been thinned by the caller).
    public var decisionCount: Int
    /// One sample per telemetry window, in time order.
    public var windows: [WindowSample]
    /// The controller's decisions, in time order.
    public var decisions: [DecisionMark]
    /// Where the policy could not have detected anything while devices had the flag, in time order.
    public var blindPhases: [BlindPhase]
    /// Whether it reaches everyone in steps (several milestones, rings or ramp steps): the policies the
    /// benefit split picks the best staged one from.
    public var staged: Bool

    /// `decisionCount` defaults to `decisions.count`.
    public init(
      name: String, kind: String, finalState: EndState, devicesExposed: Int, devicesFailed: Int,
      failedDeviceHours: Double, devicesNeedingManualRecovery: Int, timeToDetectSeconds: Double? = nil,
      timeToMitigateSeconds: Double? = nil, devicesTakenDown: Int = 0, timeToRecoverSeconds: Double? = nil, bootFetches: Int = 0,
      bootFetchesShed: Int = 0, decisionCount: Int? = nil, windows: [WindowSample] = [], decisions: [DecisionMark] = [],
      blindPhases: [BlindPhase] = [], staged: Bool = false, devicesLostData: Int = 0, installs: Int = 0, reports: Int = 0
    ) {
      self.devicesLostData = devicesLostData
      self.installs = installs
      self.reports = reports
      self.blindPhases = blindPhases
      self.staged = staged
      self.name = name
      self.kind = kind
      self.finalState = finalState
      self.devicesExposed = devicesExposed
      self.devicesFailed = devicesFailed
      self.failedDeviceHours = failedDeviceHours
      self.devicesNeedingManualRecovery = devicesNeedingManualRecovery
      self.timeToDetectSeconds = timeToDetectSeconds
      self.timeToMitigateSeconds = timeToMitigateSeconds
      self.devicesTakenDown = devicesTakenDown
      self.timeToRecoverSeconds = timeToRecoverSeconds
      self.bootFetches = bootFetches
      self.bootFetchesShed = bootFetchesShed
      self.decisionCount = decisionCount ?? decisions.count
      self.windows = windows
      self.decisions = decisions
    }
  }

  /// A stretch in which a policy could not have detected anything: the release's phase and its times
  /// (seconds since the start).
  public struct BlindPhase: Sendable, Equatable {
    public var phase: String
    public var from: Double
    public var until: Double

    public init(phase: String, from: Double, until: Double) {
      self.phase = phase
      self.from = from
      self.until = until
    }
  }

  /// The state of the fleet under one policy at the end of one telemetry window.
  public struct WindowSample: Sendable, Equatable {
    /// Seconds since the start: the end of the window.
    public var time: Double
    /// Fraction of the fleet with the flag on, `0...1`.
    public var exposure: Double
    /// Devices failed so far (cumulative).
    public var devicesFailed: Int
    /// Devices down at this time (crashed, crash-looping, waiting for recovery).
    public var devicesDown: Int
    /// Error rate of the devices with the new state (treatment) and without it (control), `0...1`.
    public var treatmentErrorRate: Double
    public var controlErrorRate: Double
    public var treatmentCrashRate: Double
    /// `nil` leaves the control's crash rate off the chart.
    public var controlCrashRate: Double?
    /// The active milestone, such as `10%`.
    public var milestone: String

    public init(
      time: Double, exposure: Double, devicesFailed: Int = 0, devicesDown: Int = 0, treatmentErrorRate: Double = 0,
      controlErrorRate: Double = 0, treatmentCrashRate: Double = 0, controlCrashRate: Double? = nil,
      milestone: String = ""
    ) {
      self.time = time
      self.exposure = exposure
      self.devicesFailed = devicesFailed
      self.devicesDown = devicesDown
      self.treatmentErrorRate = treatmentErrorRate
      self.controlErrorRate = controlErrorRate
      self.treatmentCrashRate = treatmentCrashRate
      self.controlCrashRate = controlCrashRate
      self.milestone = milestone
    }
  }

  /// One decision of a policy's controller.
  public struct DecisionMark: Sendable, Equatable {
    public var time: Double
    /// `advance`, `hold`, `pause`, `resume`, `rollBack`, `kill`, `complete`, `alert`, `warn`, `fix`,
    /// `acknowledge` (Rollout's `Action` raw values). Any other word is shown as written, with a neutral
    /// marker.
    public var action: String
    /// A short reason: the rule, the observed value and the threshold.
    public var reason: String
    /// The milestone the decision was taken in.
    public var milestone: String

    public init(time: Double, action: String, reason: String = "", milestone: String = "") {
      self.time = time
      self.action = action
      self.reason = reason
      self.milestone = milestone
    }
  }

  /// A titled line chart from named series, for figures the report does not know about.
  public struct ExtraChart: Sendable, Equatable {
    public enum XAxis: Sendable, Equatable {
      /// x values are simulated seconds, drawn on the same time axis as the policies' charts.
      case time
      /// x values in their own unit, with this axis title.
      case values(String)
    }

    public var title: String
    public var description: String
    public var xAxis: XAxis
    /// The y axis title, with its unit, such as `requests per second`; for `yUnit` other than `.number`,
    /// without it (the report adds the scale it picks: `bandwidth (MB/s)`).
    public var yLabel: String
    /// How y values are written.
    public var yUnit: ValueUnit
    public var series: [ChartSeries]
    /// Horizontal lines such as a backend's capacity.
    public var references: [ReferenceLine]

    public init(
      title: String, description: String = "", xAxis: XAxis = .time, yLabel: String, yUnit: ValueUnit = .number,
      series: [ChartSeries], references: [ReferenceLine] = []
    ) {
      self.title = title
      self.description = description
      self.xAxis = xAxis
      self.yLabel = yLabel
      self.yUnit = yUnit
      self.series = series
      self.references = references
    }
  }

  /// The unit of a chart's values.
  public enum ValueUnit: Sendable, Equatable {
    /// Plain numbers, in the unit the axis title names.
    case number
    /// Bytes per second, written in B/s, kB/s, MB/s or GB/s (powers of 1,000) as the values need.
    case bytesPerSecond
  }

  /// A named line. A series named like a policy is drawn in that policy's colour.
  public struct ChartSeries: Sendable, Equatable {
    public var name: String
    public var points: [ChartPoint]

    public init(name: String, points: [ChartPoint]) {
      self.name = name
      self.points = points
    }
  }

  public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
      self.x = x
      self.y = y
    }
  }

  public struct ReferenceLine: Sendable, Equatable {
    public var label: String
    public var y: Double

    public init(label: String, y: Double) {
      self.label = label
      self.y = y
    }
  }
}
