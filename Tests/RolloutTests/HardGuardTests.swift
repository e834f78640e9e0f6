import FlagEngine
import Rollout
import Telemetry
import Simulation
import Testing

@Suite struct HardGuardTests {
  func crashWindow(_ index: Int, sessions: UInt64, crashes: UInt64) -> TelemetryWindow {
    TelemetryWindow(
      index: index, start: .minutes(1) * index, duration: .minutes(1),
      cells: [TelemetryKey(cohort: 0, arm: .treatment): TelemetryWindow.Cell(counts: OutcomeCounts(sessions: sessions, crashes: crashes))])
  }

  @Test func tripsAtOnceAboveTheLine() {
    var guardGate = HardGuard(name: "crash", trip: Condition(.greater, 0.02))
    #expect(guardGate.onFail == .kill)
    #expect(guardGate.observe(crashWindow(0, sessions: 1000, crashes: 10), context: rollingOut)?.verdict == .pass)
    let evaluation = guardGate.observe(crashWindow(1, sessions: 1000, crashes: 30), context: rollingOut)
    #expect(evaluation?.verdict == .fail)
    #expect(evaluation?.statistic == 0.03)
  }

  @Test func skipsWindowsBelowTheMinimumSample() {
    var guardGate = HardGuard(name: "crash", trip: Condition(.greater, 0.02), minSample: 100)
    #expect(guardGate.observe(crashWindow(0, sessions: 10, crashes: 5), context: rollingOut)?.verdict == .pass)
  }

  @Test func needsConsecutiveWindowsWhenAsked() {
    var guardGate = HardGuard(name: "crash", trip: Condition(.greater, 0.02), windows: 2)
    #expect(guardGate.observe(crashWindow(0, sessions: 1000, crashes: 30), context: rollingOut)?.verdict == .pass)
    #expect(guardGate.observe(crashWindow(1, sessions: 1000, crashes: 0), context: rollingOut)?.verdict == .pass)
    #expect(guardGate.observe(crashWindow(2, sessions: 1000, crashes: 30), context: rollingOut)?.verdict == .pass)
    #expect(guardGate.observe(crashWindow(3, sessions: 1000, crashes: 30), context: rollingOut)?.verdict == .fail)
  }

  @Test func silenceAgainstTheControl() {
    var guardGate = HardGuard(name: "silence", metric: .silence, comparison: .difference, trip: Condition(.greater, 0.1))
    let window = TelemetryWindow(
      index: 0, start: .zero, duration: .minutes(1),
      cells: [
        TelemetryKey(cohort: 0, arm: .treatment): TelemetryWindow.Cell(
          counts: OutcomeCounts(sessions: 500, devicesReporting: 600, devicesAssigned: 1000)),
        TelemetryKey(cohort: 0, arm: .control): TelemetryWindow.Cell(
          counts: OutcomeCounts(sessions: 5000, devicesReporting: 9000, devicesAssigned: 10000)),
      ])
    let evaluation = guardGate.observe(window, context: rollingOut)
    #expect(evaluation?.verdict == .fail)
    #expect(abs((evaluation?.statistic ?? 0) - 0.3) < 1e-12)
  }

  /// A canary ring (a cohort released whole, as a staged push does): its control cells hold only the
  /// devices that have not picked the state up, offline ones above all, so they are left out; the canary
  /// has no before either (released at once), and is set against the other rings' control.
  @Test func aWholeRingIsSetAgainstTheRestNotItsStragglers() throws {
    let subject = standardSubject(cohorts: ["canary", "rest"])
    var state = subject.baseState
    state.features[0].enabled = true
    state.features[0].strategies = [
      Strategy(
        name: "flexibleRollout", parameters: ["rollout": "100", "groupId": "g"],
        constraints: [Constraint(contextName: "cohort", operator: "IN", values: ["canary"])])
    ]
    let targeting = Targeting(state: state, subject: subject)
    #expect(targeting.isWhole(cohort: 0, region: 0) && !targeting.isWhole(cohort: 1, region: 0))
    let window = TelemetryWindow(
      index: 0, start: .zero, duration: .minutes(1),
      cells: [
        TelemetryKey(cohort: 0, arm: .treatment): TelemetryWindow.Cell(counts: OutcomeCounts(sessions: 400, devicesReporting: 500, devicesAssigned: 1000)),
        TelemetryKey(cohort: 0, arm: .control): TelemetryWindow.Cell(counts: OutcomeCounts(sessions: 0, devicesReporting: 0, devicesAssigned: 60)),
        TelemetryKey(cohort: 1, arm: .control): TelemetryWindow.Cell(counts: OutcomeCounts(sessions: 5000, devicesReporting: 9400, devicesAssigned: 10000)),
      ])
    var guardGate = HardGuard(name: "silence", metric: .silence, comparison: .difference, trip: Condition(.greater, 0.1))
    let context = GateContext(phase: .rollingOut, milestone: 0, milestoneStart: .zero, targeting: targeting)
    let evaluation = guardGate.observe(window, context: context)
    #expect(abs((evaluation?.statistic ?? 0) - (0.5 - 0.06)) < 1e-12)
    #expect(evaluation?.verdict == .fail)
    #expect(evaluation?.basis == .control)
    // Read against its own stragglers (fully silent), the canary would look healthier than its control.
    var naive = HardGuard(name: "silence", metric: .silence, comparison: .difference, trip: Condition(.greater, 0.1))
    #expect(naive.observe(window, context: rollingOut)?.verdict == .pass)
  }

  /// What the published state gives whole: cohort and region constraints at 100%; not a percentage, not
  /// another constraint, not a holdout's dependency, and regions only when telemetry splits by them.
  @Test func targetingReadsTheState() {
    var subject = standardSubject()
    subject.regionNames = ["eu", "us"]
    func state(_ strategies: [Strategy], dependencies: [Dependency]? = nil) -> ClientFeatures {
      var state = subject.baseState
      state.features[0].enabled = true
      state.features[0].strategies = strategies
      state.features[0].dependencies = dependencies
      return state
    }
    let everyone = Strategy(name: "flexibleRollout", parameters: ["rollout": "100"])
    let tenPercent = Strategy(name: "flexibleRollout", parameters: ["rollout": "10"])
    let beta = Strategy(
      name: "flexibleRollout", parameters: ["rollout": "100"], constraints: [Constraint(contextName: "cohort", operator: "IN", values: ["beta"])])
    let eu = Strategy(
      name: "flexibleRollout", parameters: ["rollout": "100"], constraints: [Constraint(contextName: "region", operator: "IN", values: ["eu"])])
    let other = Strategy(
      name: "flexibleRollout", parameters: ["rollout": "100"], constraints: [Constraint(contextName: "tier", operator: "IN", values: ["gold"])])
    #expect(Targeting(state: state([everyone]), subject: subject).everyone)
    #expect(Targeting(state: state([tenPercent, other]), subject: subject) == .none)
    #expect(Targeting(state: state([beta, tenPercent]), subject: subject).cohorts == [1])
    #expect(Targeting(state: state([everyone], dependencies: [Dependency(feature: "other-flag", enabled: false)]), subject: subject) == .none)
    #expect(Targeting(state: state([eu]), subject: subject) == .none)
    subject.regionsInTelemetry = true
    let regional = Targeting(state: state([eu]), subject: subject)
    #expect(regional.isWhole(cohort: 2, region: 0) && !regional.isWhole(cohort: 2, region: 1))
  }
}
