import Rollout
import Telemetry
import Testing

@Suite struct HardGuardTests {
  func crashWindow(_ index: Int, sessions: UInt64, crashes: UInt64) -> TelemetryWindow {
    TelemetryWindow(
      index: index, start: Int64(index) * 60_000_000, duration: 60_000_000,
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
      index: 0, start: 0, duration: 60_000_000,
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
}
