import Foundation
import Rollout
import Telemetry
import Testing

/// The figures for the notes: each gate alone on the standard release plan, healthy and faulty.
///
/// The standard release: cohorts internal, beta and general of 4,000 devices each, one session per device
/// per 5-minute window, 1% errors; the plan internal -> beta -> 1% -> 10% -> 50% -> 100%, 30 minutes
/// (6 windows) each, so a healthy release completes at 180 minutes; 60 windows (5 hours) per run. Faulty:
/// the treatment's error rate doubles to 2% in every cohort. Gates:
/// - sprt: baseline 1%, effect 2, α 0.05, β 0.2 (a new test per milestone);
/// - anytime-valid: α 0.05, stratified by cohort (and pooled: `stratify: false`);
/// - argo: `failure: "> 0.015"`, failureLimit 2, measured every window, no count (background analysis);
/// - flagger: `thresholdRange.max 0.015`, maxFailedChecks 3;
/// - cusum: baseline 1%, effect 2, h 10, active during the rollout as well (`during: always`).
///
/// Runs per gate and case: `ROLLSIM_FIGURE_RUNS` (default 200).
@Suite struct StandardReleaseFigures {
  static let runs = UInt64(ProcessInfo.processInfo.environment["ROLLSIM_FIGURE_RUNS"].flatMap { Int($0) } ?? 200)

  static let gates: [(String, GateDefinition)] = {
    var sprt = GateDefinition(kind: .sprt)
    sprt.baseline = 0.01
    let anytime = GateDefinition(kind: .anytimeValid)
    var pooled = GateDefinition(name: "pooled", kind: .anytimeValid)
    pooled.stratify = false
    var argo = GateDefinition(name: "argo", kind: .threshold)
    argo.failure = Condition(.greater, 0.015)
    argo.failureLimit = 2
    var flagger = GateDefinition(name: "flagger", kind: .threshold)
    flagger.semantics = .flagger
    flagger.thresholdRange = GateDefinition.ThresholdRange(max: 0.015)
    flagger.maxFailedChecks = 3
    var cusum = GateDefinition(kind: .cusum)
    cusum.baseline = 0.01
    cusum.during = .always
    cusum.onFail = .rollBack
    return [("sprt", sprt), ("anytime-valid", anytime), ("anytime-valid, pooled", pooled), ("argo", argo), ("flagger", flagger), ("cusum", cusum)]
  }()

  static func policy(_ gate: GateDefinition) -> PolicyDefinition {
    let dwell = TimeSpan.minutes(30)
    return PolicyDefinition(
      name: "standard", kind: .releasePlan,
      milestones: [
        MilestoneDefinition(cohorts: ["internal"], minDwell: dwell), MilestoneDefinition(cohorts: ["beta"], minDwell: dwell),
        MilestoneDefinition(rollout: 1, minDwell: dwell), MilestoneDefinition(rollout: 10, minDwell: dwell),
        MilestoneDefinition(rollout: 50, minDwell: dwell), MilestoneDefinition(rollout: 100, minDwell: dwell),
      ],
      gates: [gate])
  }

  struct Outcome {
    var runs = 0
    var stopped = 0
    var completed = 0
    var stopMinutes: [Int64] = []
    var stopMilestones: [String] = []
    /// Device-windows of treated devices before the stop (or the end of the run): exposure to the fault.
    var exposure: [Int] = []

    func median<T: Comparable>(_ values: [T]) -> T? { values.isEmpty ? nil : values.sorted()[values.count / 2] }
    func p95<T: Comparable>(_ values: [T]) -> T? { values.isEmpty ? nil : values.sorted()[min(values.count - 1, values.count * 95 / 100)] }
    var mostCommonMilestone: String {
      Dictionary(grouping: stopMilestones, by: { $0 }).max { $0.value.count < $1.value.count }?.key ?? "-"
    }
  }

  static func run(_ gate: GateDefinition, treatmentErrorRate: Double, seeds: Range<UInt64>, cache: EnabledCountCache) throws -> Outcome {
    let subject = standardSubject()
    var outcome = Outcome()
    for seed in seeds {
      var fleet = SyntheticFleet(subject: subject, devicesPerCohort: 4000, treatmentErrorRate: treatmentErrorRate, seed: seed)
      fleet.cache = cache
      var exposure = 0
      var stopped = false
      let (decisions, controller) = try runRelease(policy(gate), fleet: &fleet, windows: 60, seed: seed) { window, made in
        if !stopped { exposure += Int(window.counts(treatment: true).devicesAssigned) }
        if made.contains(where: { $0.action == .rollBack || $0.action == .kill }) { stopped = true }
      }
      outcome.runs += 1
      outcome.exposure.append(exposure)
      if let stop = decisions.first(where: { $0.action == .rollBack || $0.action == .kill }) {
        outcome.stopped += 1
        outcome.stopMinutes.append(stop.time / 60_000_000)
        outcome.stopMilestones.append(stop.audit.milestone?.name ?? "-")
      }
      if controller.finalState == .completed { outcome.completed += 1 }
    }
    return outcome
  }

  @Test func gatesOnTheStandardRelease() throws {
    let cache = EnabledCountCache()
    var lines = [
      "gate | healthy: false rollbacks | healthy: completed | faulty: detected | faulty: minutes to rollback, median (p95) | faulty: milestone | faulty: treated device-windows before rollback, median"
    ]
    for (label, gate) in Self.gates {
      let healthy = try Self.run(gate, treatmentErrorRate: 0.01, seeds: 0..<Self.runs, cache: cache)
      let faulty = try Self.run(gate, treatmentErrorRate: 0.02, seeds: 10_000..<10_000 + Self.runs, cache: cache)
      lines.append(
        "\(label) | \(healthy.stopped)/\(healthy.runs) | \(healthy.completed)/\(healthy.runs) | \(faulty.stopped)/\(faulty.runs) | \(faulty.median(faulty.stopMinutes) ?? -1) (\(faulty.p95(faulty.stopMinutes) ?? -1)) | \(faulty.mostCommonMilestone) | \(faulty.median(faulty.exposure) ?? -1)"
      )
      // Loose sanity bounds: the figures themselves go to the notes.
      #expect(Double(healthy.stopped) / Double(healthy.runs) <= 0.25, "\(label)")
      #expect(Double(faulty.stopped) / Double(faulty.runs) >= 0.9, "\(label)")
    }
    print(lines.joined(separator: "\n"))
  }
}
