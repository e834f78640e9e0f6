import FlagEngine
import Foundation
import Simulation
import Telemetry

/// A fleet made of numbers, for measuring gates over many releases in seconds: cohorts with base error
/// rates of their own, regions whose rates drift apart from day to day, one session per device per
/// window. Which devices have the flag comes from the real flag engine on each published state, so
/// cohort, region and percentage milestones treat exactly the devices they would.
///
/// Drift is Fleet's `baseline.noise`: each region's error rate is multiplied, day by day, by
/// `exp(noise · Z − noise²/2)`, `Z` standard normal, independent between regions and days (a day is 24
/// hours from the start of the run); cohorts share their region's drift.
public struct SyntheticFleet: Sendable {
  public struct Cohort: Sendable, Hashable {
    public var name: String
    public var devices: Int
    /// Errors per session without the flag, before drift.
    public var errorRate: Double

    public init(name: String, devices: Int, errorRate: Double) {
      self.name = name
      self.devices = devices
      self.errorRate = errorRate
    }
  }

  public var flag: String
  public var cohorts: [Cohort]
  /// Devices are spread over the regions in turn, so every cohort is in every region.
  public var regions: [String]
  /// The log-normal sigma of a region's error rate from one day to the next.
  public var noise: Double
  public var window: TimeSpan

  public init(flag: String = "new-checkout", cohorts: [Cohort], regions: [String], noise: Double, window: TimeSpan) {
    self.flag = flag
    self.cohorts = cohorts
    self.regions = regions
    self.noise = noise
    self.window = window
  }

  /// The state before the release: the flag present and off, and another flag on.
  public var baseState: ClientFeatures {
    ClientFeatures(features: [
      FeatureDefinition(name: flag, enabled: false, strategies: [Strategy(name: "default")]),
      FeatureDefinition(name: "other-flag", enabled: true, strategies: [Strategy(name: "default")]),
    ])
  }

  public var subject: ReleaseSubject {
    ReleaseSubject(
      flag: flag, baseState: baseState, cohortNames: cohorts.map(\.name), cohortSizes: cohorts.map(\.devices), regionNames: regions,
      regionsInTelemetry: true)
  }

  /// Devices per cell (cohort × region, cohort-major).
  var cellSizes: [Int] {
    var sizes = [Int](repeating: 0, count: cohorts.count * regions.count)
    for (c, cohort) in cohorts.enumerated() {
      for device in 0..<cohort.devices { sizes[c * regions.count + device % regions.count] += 1 }
    }
    return sizes
  }

  /// Devices per cell that `state` gives the flag, by evaluating every device with the flag engine.
  func enabledPerCell(_ state: ClientFeatures) -> [Int] {
    let compiled = FlagState(state)
    var counts = [Int](repeating: 0, count: cohorts.count * regions.count)
    var id = 0
    for (c, cohort) in cohorts.enumerated() {
      for device in 0..<cohort.devices {
        let region = device % regions.count
        var context = EvaluationContext(
          Context(userId: "device-\(id)", properties: ["cohort": cohort.name, "region": regions[region]]))
        if compiled.isEnabled(flag, in: &context) { counts[c * regions.count + region] += 1 }
        id += 1
      }
    }
    return counts
  }
}

/// What a published state enables, per cell, remembered across the releases of a measurement (a plan
/// publishes the same few states in every release).
public struct MembershipTable: Sendable {
  var counts: [ClientFeatures: [Int]] = [:]

  public init() {}

  mutating func enabled(_ state: ClientFeatures, fleet: SyntheticFleet) -> [Int] {
    if let known = counts[state] { return known }
    let computed = fleet.enabledPerCell(state)
    counts[state] = computed
    return computed
  }
}

/// One release of a policy through a ``SyntheticFleet``: windows before the release feed the policy's
/// baselines, then the release starts and runs for `duration`, the treatment's error rate `degradation`
/// times what it would be without the flag. A state a decision publishes reaches every device at the
/// start of the next window.
public struct SyntheticRelease: Sendable {
  public var fleet: SyntheticFleet
  public var policy: PolicyDefinition
  public var preRelease: TimeSpan
  public var duration: TimeSpan
  public var degradation: Double
  /// End the run at the first decision that stops the release (a pause, roll back or kill).
  public var endAtFirstStop: Bool

  public init(
    fleet: SyntheticFleet, policy: PolicyDefinition, preRelease: TimeSpan, duration: TimeSpan, degradation: Double = 1,
    endAtFirstStop: Bool = true
  ) {
    self.fleet = fleet
    self.policy = policy
    self.preRelease = preRelease
    self.duration = duration
    self.degradation = degradation
    self.endAtFirstStop = endAtFirstStop
  }

  /// What happened in one run.
  public struct Run: Sendable {
    public var decisions: [Decision]
    /// The first pause, roll back or kill.
    public var stop: Decision?
    /// When the release started and when the run ended.
    public var releaseStart: SimulatedTime
    public var end: SimulatedTime
    /// When the last milestone completed, if it did.
    public var completed: SimulatedTime?
    /// Device-hours with the flag on before the stop (or the end of the run).
    public var exposedDeviceHours: Double
    public var blindSeconds: Double
  }

  static let emptyCell = TelemetryWindow.Cell()

  public func run(seed: UInt64, memberships: inout MembershipTable) throws(PolicyError) -> Run {
    let subject = fleet.subject
    var controller = try ReleaseController(policy: policy, subject: subject, seed: seed)
    var random = RandomStream(seed: seed, entity: 0, purpose: .syntheticFleet)
    let length = fleet.window
    let regions = fleet.regions.count
    let sizes = fleet.cellSizes
    let releaseStart = length * Int(preRelease.microseconds / length.microseconds)
    let windows = Int((releaseStart + duration).microseconds / length.microseconds)
    var drift: [[Double]] = []  // per day, per region
    var enabled = [Int](repeating: 0, count: sizes.count)
    var scheduled: [(time: SimulatedTime, state: ClientFeatures)] = []
    var decisions: [Decision] = []
    var stop: Decision?
    var completed: SimulatedTime?
    var exposure = 0.0
    var end = releaseStart + duration
    for index in 0..<windows {
      let start = length * index
      if start == releaseStart {
        let made = controller.start(at: start)
        decisions += made
        for decision in made { if let state = decision.state { scheduled.append((decision.time, state)) } }
      }
      while let first = scheduled.indices.min(by: { scheduled[$0].time < scheduled[$1].time }), scheduled[first].time <= start {
        enabled = memberships.enabled(scheduled.remove(at: first).state, fleet: fleet)
      }
      let day = Int(start.microseconds / SimulatedTime.days(1).microseconds)
      while drift.count <= day {
        drift.append((0..<regions).map { _ in exp(fleet.noise * random.normal() - fleet.noise * fleet.noise / 2) })
      }
      var cells: [TelemetryKey: TelemetryWindow.Cell] = [:]
      cells.reserveCapacity(sizes.count * 2)
      var treated = 0
      for (c, cohort) in fleet.cohorts.enumerated() {
        for r in 0..<regions {
          let cell = c * regions + r
          let rate = cohort.errorRate * drift[day][r]
          func add(_ arm: Arm, _ devices: Int, _ rate: Double) {
            guard devices > 0 else { return }
            var entry = Self.emptyCell
            let sessions = UInt64(devices)
            let errors = UInt64(random.binomial(trials: devices, probability: rate))
            entry.counts = OutcomeCounts(sessions: sessions, errors: errors, devicesReporting: sessions, devicesAssigned: sessions)
            cells[TelemetryKey(cohort: UInt16(c), region: UInt16(r), arm: arm)] = entry
          }
          add(.treatment, enabled[cell], min(rate * degradation, 1))
          add(.control, sizes[cell] - enabled[cell], rate)
          treated += enabled[cell]
        }
      }
      if stop == nil && start >= releaseStart { exposure += Double(treated) * fleet.window.seconds / 3600 }
      let window = TelemetryWindow(index: index, start: start, duration: length, cells: cells)
      let made = controller.observe(window)
      decisions += made
      for decision in made {
        if let state = decision.state { scheduled.append((decision.time, state)) }
        if decision.action == .complete, completed == nil { completed = decision.time }
        if stop == nil, [.pause, .rollBack, .kill].contains(decision.action) { stop = decision }
      }
      if stop != nil && endAtFirstStop {
        end = window.end
        break
      }
    }
    let blind = controller.blindIntervals.reduce(0) { $0 + $1.seconds }
    return Run(
      decisions: decisions, stop: stop, releaseStart: releaseStart, end: end, completed: completed, exposedDeviceHours: exposure,
      blindSeconds: blind)
  }
}

extension StreamPurpose {
  /// The synthetic fleet's drift and error counts.
  static let syntheticFleet = StreamPurpose("rollout.synthetic-fleet")
}
