import Foundation
import Simulation
import Telemetry

/// The measurement of gates behind `results/gates.md` and the tests that hold each gate to its `alpha`:
/// many healthy releases per gate (the whole-release false-rollback rate), and degraded ones (detection
/// delay and exposure), each gate alone in a standard plan on a ``SyntheticFleet``.
///
/// The standard release: 20,000 devices in three cohorts with their own error rates (internal 1,000 at
/// 1.5%, beta 3,000 at 1.2%, general 16,000 at 1.0%), spread over four regions whose rates drift from
/// day to day (log-normal sigma 0.1, Fleet's default `baseline.noise`), one session per device per
/// 15-minute window. Six hours of windows before the release, then seven milestones over two days:
/// internal (2h), beta (4h), the region us-east (8h), 10% of everyone (8h), the regions us-west and
/// eu-west (12h), 50% (8h), 100% (6h); then watched until three days from the start.
public enum GateCalibration {
  public static let fleet = SyntheticFleet(
    cohorts: [
      .init(name: "internal", devices: 1_000, errorRate: 0.015), .init(name: "beta", devices: 3_000, errorRate: 0.012),
      .init(name: "general", devices: 16_000, errorRate: 0.01),
    ],
    regions: ["us-east", "us-west", "eu-west", "ap-south"], noise: 0.1, window: .minutes(15))

  public static let preRelease = TimeSpan.hours(6)
  public static let duration = TimeSpan.hours(66)

  public static let milestones: [MilestoneDefinition] = [
    MilestoneDefinition(cohorts: ["internal"], minDwell: .hours(2)),
    MilestoneDefinition(cohorts: ["beta"], minDwell: .hours(4)),
    MilestoneDefinition(regions: ["us-east"], minDwell: .hours(8)),
    MilestoneDefinition(rollout: 10, minDwell: .hours(8)),
    MilestoneDefinition(regions: ["us-west", "eu-west"], minDwell: .hours(12)),
    MilestoneDefinition(rollout: 50, minDwell: .hours(8)),
    MilestoneDefinition(rollout: 100, minDwell: .hours(6)),
  ]

  /// The standard plan with `gate` as its only rule.
  public static func policy(_ gate: GateDefinition) -> PolicyDefinition {
    PolicyDefinition(name: "standard", kind: .releasePlan, milestones: milestones, gates: [gate])
  }

  /// A gate measured, with its name in the table and the false-rollback budget its definition implies
  /// (`nil` for fixed thresholds, which have none).
  public struct Subject: Sendable {
    public var label: String
    public var gate: GateDefinition
    /// How the budget is stated, for the table.
    public var budgetText: String

    public init(label: String, gate: GateDefinition, budgetText: String) {
      self.label = label
      self.gate = gate
      self.budgetText = budgetText
    }
  }

  /// The gates at their defaults (the statistical ones) and the fixed-threshold gates as a release engineer
  /// might set them on a 1% error rate, plus the pooled anytime-valid test for contrast.
  public static let subjects: [Subject] = {
    let anytime = GateDefinition(kind: .anytimeValid)
    var pooled = GateDefinition(name: "anytime-valid-pooled", kind: .anytimeValid)
    pooled.stratify = false
    let sprt = GateDefinition(kind: .sprt)
    let cusum = GateDefinition(kind: .cusum)
    var argo = GateDefinition(name: "argo", kind: .threshold)
    argo.compare = .difference
    argo.failure = Condition(.greater, 0.005)
    argo.interval = .hours(1)
    var flagger = GateDefinition(name: "flagger", kind: .threshold)
    flagger.semantics = .flagger
    flagger.compare = .difference
    flagger.thresholdRange = GateDefinition.ThresholdRange(max: 0.005)
    flagger.interval = .hours(1)
    flagger.maxFailedChecks = 3
    var guardGate = GateDefinition(kind: .guard)
    guardGate.metric = .errorRate
    guardGate.compare = .ratio
    guardGate.threshold = 2
    guardGate.windows = 2
    return [
      Subject(label: "anytime-valid", gate: anytime, budgetText: "alpha 0.05"),
      Subject(label: "sprt", gate: sprt, budgetText: "alpha 0.05 over 7 milestones"),
      Subject(label: "cusum", gate: cusum, budgetText: "arl0 30d"),
      Subject(label: "threshold (argo)", gate: argo, budgetText: "none"),
      Subject(label: "threshold (flagger)", gate: flagger, budgetText: "none"),
      Subject(label: "guard", gate: guardGate, budgetText: "none"),
      Subject(label: "anytime-valid, stratify: false", gate: pooled, budgetText: "alpha 0.05"),
    ]
  }()

  /// How a gate fared over many releases of one kind (healthy or degraded).
  public struct Trial: Sendable {
    public var releases = 0
    /// Releases stopped (paused, rolled back or killed).
    public var stopped = 0
    /// Per stopped release: seconds from the release's start to the stop.
    public var delays: [Double] = []
    /// Per release: device-hours with the flag on before the stop (or the end of the run).
    public var exposure: [Double] = []
    /// The longest time the gate was active in a release, from the start (or the completion, for gates
    /// active only after it) to the stop or the end, seconds.
    public var longestActiveSeconds = 0.0

    public init() {}

    public var rate: Double { releases == 0 ? 0 : Double(stopped) / Double(releases) }
    public var standardError: Double { releases == 0 ? 0 : (rate * (1 - rate) / Double(releases)).squareRoot() }

    /// Wilson's 95% interval for the stop rate.
    public var interval: (low: Double, high: Double) {
      guard releases > 0 else { return (0, 1) }
      let z = 1.959_964
      let n = Double(releases)
      let centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
      let half = z / (1 + z * z / n) * (rate * (1 - rate) / n + z * z / (4 * n * n)).squareRoot()
      return (max(0, centre - half), min(1, centre + half))
    }

    public static func quantile(_ values: [Double], _ p: Double) -> Double? {
      guard !values.isEmpty else { return nil }
      let sorted = values.sorted()
      return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
    }
  }

  /// Runs `gate` in the standard plan on `seeds`, the treatment `degradation` times worse.
  public static func trial(
    _ gate: GateDefinition, degradation: Double, seeds: Range<UInt64>, memberships: inout MembershipTable
  ) throws(PolicyError) -> Trial {
    let release = SyntheticRelease(fleet: fleet, policy: policy(gate), preRelease: preRelease, duration: duration, degradation: degradation)
    let monitoringOnly = (gate.during ?? (gate.kind == .cusum ? .monitoring : .rollout)) == .monitoring
    var trial = Trial()
    for seed in seeds {
      let run = try release.run(seed: seed, memberships: &memberships)
      trial.releases += 1
      if let stop = run.stop {
        trial.stopped += 1
        trial.delays.append((stop.time - run.releaseStart).seconds)
      }
      trial.exposure.append(run.exposedDeviceHours)
      let from = monitoringOnly ? run.completed : run.releaseStart
      if let from { trial.longestActiveSeconds = max(trial.longestActiveSeconds, (run.end - from).seconds) }
    }
    return trial
  }

  /// The false-alarm budget of `gate` over a release in which it was active for `activeSeconds`: its
  /// `alpha` (anytime-valid, SPRT: spent over the whole release), or for a CUSUM the bound `T / arl0`
  /// (`nil` for a CUSUM with a fixed h and for fixed thresholds).
  public static func budget(_ gate: GateDefinition, activeSeconds: Double) -> Double? {
    switch gate.kind {
    case .anytimeValid, .sprt: return gate.alpha ?? 0.05
    case .cusum:
      guard gate.threshold == nil else { return nil }
      return activeSeconds / (gate.arl0 ?? .days(30)).seconds
    case .threshold, .guard: return nil
    }
  }
}
