import FlagEngine
import Foundation
import Rollout
import Simulation
import Telemetry

/// An empty cell to copy: copies share its histogram's storage, so making windows allocates no histograms.
let emptyCell = TelemetryWindow.Cell()

/// One cell's worth of synthetic telemetry.
struct CellSpec {
  var cohort: UInt16 = 0
  var arm: Arm
  var sessions: UInt64
  var errorRate: Double = 0
  var crashRate: Double = 0
  var devicesAssigned: UInt64 = 0
  var silence: Double = 0
}

/// Windows of `duration` with cells drawn from `specs`.
struct WindowFactory {
  var random: RandomStream
  var duration = SimulatedTime.minutes(5)
  var start = SimulatedTime.zero
  var index = 0

  init(seed: UInt64, duration: SimulatedTime = .minutes(5), start: SimulatedTime = .zero) {
    random = RandomStream(seed: seed, entity: 0, purpose: StreamPurpose("rollout-tests.windows"))
    self.duration = duration
    self.start = start
  }

  mutating func next(_ specs: [CellSpec]) -> TelemetryWindow {
    var cells: [TelemetryKey: TelemetryWindow.Cell] = [:]
    for spec in specs {
      let errors = UInt64(random.binomial(trials: Int(spec.sessions), probability: spec.errorRate))
      let crashes = UInt64(
        random.binomial(trials: Int(spec.sessions - errors), probability: spec.crashRate / max(1 - spec.errorRate, 1e-9)))
      let silent = UInt64(random.binomial(trials: Int(spec.devicesAssigned), probability: spec.silence))
      var cell = emptyCell
      cell.counts = OutcomeCounts(
        sessions: spec.sessions, errors: errors, crashes: crashes, devicesReporting: spec.devicesAssigned - silent,
        devicesAssigned: spec.devicesAssigned)
      let key = TelemetryKey(cohort: spec.cohort, arm: spec.arm)
      if cells[key] == nil { cells[key] = cell } else { cells[key]!.merge(cell) }
    }
    let window = TelemetryWindow(index: index, start: start + duration * index, duration: duration, cells: cells)
    index += 1
    return window
  }

  /// Treatment and control with the given sessions and error rates, in cohort 0.
  mutating func next(treatment: UInt64, control: UInt64, treatmentRate: Double, controlRate: Double) -> TelemetryWindow {
    next([
      CellSpec(arm: .treatment, sessions: treatment, errorRate: treatmentRate),
      CellSpec(arm: .control, sessions: control, errorRate: controlRate),
    ])
  }
}

/// A window with exact counts, for table-driven tests.
func exactWindow(
  _ index: Int, treatment: (sessions: UInt64, errors: UInt64), control: (sessions: UInt64, errors: UInt64) = (0, 0),
  duration: SimulatedTime = .minutes(1), start: SimulatedTime = .zero
) -> TelemetryWindow {
  var cells: [TelemetryKey: TelemetryWindow.Cell] = [:]
  if treatment.sessions > 0 {
    var cell = emptyCell
    cell.counts = OutcomeCounts(sessions: treatment.sessions, errors: treatment.errors)
    cells[TelemetryKey(cohort: 0, arm: .treatment)] = cell
  }
  if control.sessions > 0 {
    var cell = emptyCell
    cell.counts = OutcomeCounts(sessions: control.sessions, errors: control.errors)
    cells[TelemetryKey(cohort: 0, arm: .control)] = cell
  }
  return TelemetryWindow(index: index, start: start + duration * index, duration: duration, cells: cells)
}

/// The context a gate sees while a release is rolling out at milestone 0 since time 0.
let rollingOut = GateContext(phase: .rollingOut, milestone: 0, milestoneStart: .zero)
let monitoring = GateContext(phase: .monitoring, milestone: 0, milestoneStart: .zero)

/// How a gate fares on runs of synthetic windows.
struct GateRunSummary: CustomStringConvertible {
  var runs = 0
  var failures = 0
  /// Windows (1-based) and treatment sessions until the gate failed, for runs where it did.
  var windowsToFailure: [Int] = []
  var sessionsToFailure: [UInt64] = []

  var failureRate: Double { Double(failures) / Double(runs) }

  func percentile(_ values: [Int], _ p: Double) -> Int {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
  }

  var medianWindows: Int { percentile(windowsToFailure, 0.5) }
  var p95Windows: Int { percentile(windowsToFailure, 0.95) }
  var medianSessions: UInt64 {
    guard !sessionsToFailure.isEmpty else { return 0 }
    return sessionsToFailure.sorted()[sessionsToFailure.count / 2]
  }
  var meanSessions: Double {
    sessionsToFailure.isEmpty ? 0 : Double(sessionsToFailure.reduce(0, +)) / Double(sessionsToFailure.count)
  }

  var description: String {
    "\(failures)/\(runs) runs failed (\(String(format: "%.4f", failureRate))); windows to failure median \(medianWindows), p95 \(p95Windows); treatment sessions to failure median \(medianSessions), mean \(String(format: "%.0f", meanSessions))"
  }
}

/// Runs a fresh copy of `gate` over `windows` windows per seed; a run ends at the gate's first failure.
func measure(
  _ gate: any Gate, seeds: Range<UInt64>, windows: Int, context: GateContext = rollingOut,
  cells: (inout WindowFactory) -> TelemetryWindow
) -> GateRunSummary {
  var summary = GateRunSummary()
  for seed in seeds {
    var gate = gate
    var factory = WindowFactory(seed: seed)
    var sessions: UInt64 = 0
    summary.runs += 1
    for w in 1...windows {
      let window = cells(&factory)
      sessions += window.counts(treatment: true).sessions
      if gate.observe(window, context: context)?.verdict == .fail {
        summary.failures += 1
        summary.windowsToFailure.append(w)
        summary.sessionsToFailure.append(sessions)
        break
      }
    }
  }
  return summary
}

/// An upper binomial margin: the rate that `runs` runs at true rate `p` stay below with overwhelming
/// probability (p + 4 standard errors).
func upperBound(_ p: Double, runs: Int) -> Double {
  p + 4 * (p * (1 - p) / Double(runs)).squareRoot()
}

/// The standard subject: a flag off in the base state, three cohorts.
func standardSubject(flag: String = "new-checkout", cohorts: [String] = ["internal", "beta", "general"]) -> ReleaseSubject {
  let base = ClientFeatures(features: [
    FeatureDefinition(name: flag, enabled: false, strategies: [Strategy(name: "default")]),
    FeatureDefinition(name: "other-flag", enabled: true, strategies: [Strategy(name: "default")]),
  ])
  return ReleaseSubject(flag: flag, baseState: base, cohortNames: cohorts, cohortSizes: cohorts.map { _ in 1000 })
}

func decodePolicy(_ json: String) throws -> PolicyDefinition {
  try JSONDecoder().decode(PolicyDefinition.self, from: Data(json.utf8))
}

/// A toy fleet for controller tests: every device of a cohort has `sessionsPerDevice` sessions a window;
/// which devices are treated comes from the real flag engine on the published state.
struct SyntheticFleet {
  let subject: ReleaseSubject
  let devicesPerCohort: Int
  var sessionsPerDevice: UInt64 = 1
  var controlErrorRate = 0.01
  /// Treatment error and crash rates per cohort (the same for every cohort when one value is given).
  var treatmentErrorRate: [Double]
  var treatmentCrashRate = 0.0
  var enabledPerCohort: [Int]
  var factory: WindowFactory
  var scheduled: [(time: SimulatedTime, state: ClientFeatures)] = []
  /// Enabled devices per cohort for states already evaluated, shared between runs of one test.
  var cache: EnabledCountCache?

  init(subject: ReleaseSubject, devicesPerCohort: Int, treatmentErrorRate: Double, seed: UInt64, windowDuration: SimulatedTime = .minutes(5)) {
    self.subject = subject
    self.devicesPerCohort = devicesPerCohort
    self.treatmentErrorRate = subject.cohortNames.map { _ in treatmentErrorRate }
    enabledPerCohort = subject.cohortNames.map { _ in 0 }
    factory = WindowFactory(seed: seed, duration: windowDuration)
  }

  mutating func publish(_ state: ClientFeatures) {
    if let counts = cache?.counts[state] {
      enabledPerCohort = counts
      return
    }
    defer { cache?.counts[state] = enabledPerCohort }
    let compiled = FlagState(state)
    for (c, cohort) in subject.cohortNames.enumerated() {
      var count = 0
      for id in 0..<devicesPerCohort {
        var context = EvaluationContext(Context(userId: "\(cohort)-\(id)", properties: ["cohort": cohort]))
        if compiled.isEnabled(subject.flag, in: &context) { count += 1 }
      }
      enabledPerCohort[c] = count
    }
  }

  mutating func schedule(_ decisions: [Decision]) {
    for decision in decisions {
      if let state = decision.state { scheduled.append((decision.time, state)) }
    }
  }

  mutating func nextWindow() -> TelemetryWindow {
    let start = factory.start + factory.duration * factory.index
    scheduled.sort { $0.time < $1.time }
    while let first = scheduled.first, first.time <= start {
      publish(first.state)
      scheduled.removeFirst()
    }
    var specs: [CellSpec] = []
    for c in subject.cohortNames.indices {
      let treated = UInt64(enabledPerCohort[c])
      let untreated = UInt64(devicesPerCohort) - treated
      if treated > 0 {
        specs.append(
          CellSpec(
            cohort: UInt16(c), arm: .treatment, sessions: treated * sessionsPerDevice, errorRate: treatmentErrorRate[c],
            crashRate: treatmentCrashRate, devicesAssigned: treated))
      }
      if untreated > 0 {
        specs.append(
          CellSpec(cohort: UInt16(c), arm: .control, sessions: untreated * sessionsPerDevice, errorRate: controlErrorRate, devicesAssigned: untreated))
      }
    }
    return factory.next(specs)
  }
}

final class EnabledCountCache {
  var counts: [ClientFeatures: [Int]] = [:]
}

/// Runs `policy` against `fleet` for `windows` windows; returns every decision and the controller.
/// `lag`: each window reaches the controller that long after its end (a telemetry pipeline's delay).
/// `preRelease`: windows the controller reads before the release starts (at the next window's start).
func runRelease(
  _ policy: PolicyDefinition, fleet: inout SyntheticFleet, windows: Int, seed: UInt64 = 1, startAt: SimulatedTime = .zero, lag: SimulatedTime = .zero,
  preRelease: Int = 0, check: (TelemetryWindow, [Decision]) -> Void = { _, _ in }
) throws -> (decisions: [Decision], controller: ReleaseController) {
  var controller = try ReleaseController(policy: policy, subject: fleet.subject, seed: seed)
  for _ in 0..<preRelease {
    let window = fleet.nextWindow()
    let made = lag == .zero ? controller.observe(window) : controller.observe(window, deliveredAt: window.end + lag)
    precondition(made.isEmpty, "decisions before the release started")
  }
  var decisions = controller.start(at: preRelease > 0 ? fleet.factory.start + fleet.factory.duration * fleet.factory.index : startAt)
  fleet.schedule(decisions)
  for _ in 0..<windows {
    let window = fleet.nextWindow()
    let made = lag == .zero ? controller.observe(window) : controller.observe(window, deliveredAt: window.end + lag)
    check(window, made)
    fleet.schedule(made)
    decisions += made
  }
  return (decisions, controller)
}
