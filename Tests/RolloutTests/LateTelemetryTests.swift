import Foundation
import Rollout
import Telemetry
import Simulation
import Testing

/// Reads with late pieces: what arrives after its window was read counts once, in the read it arrives
/// for, compared within its own window.
@Suite struct LateTelemetryTests {
  let minute = SimulatedTime.minutes(1)

  func window(_ index: Int, treatment: (UInt64, UInt64) = (0, 0), control: (UInt64, UInt64) = (0, 0)) -> TelemetryWindow {
    exactWindow(index, treatment: treatment, control: control, duration: minute)
  }

  /// The same counts, on time in window 0 or late in the read of window 1: the same evidence, once.
  @Test func aLatePieceCountsAsItsWindowWouldHave() {
    let data = window(0, treatment: (1000, 30), control: (1000, 20))
    var onTime = AnytimeValidTest(name: "on-time")
    _ = onTime.observe(data, context: rollingOut)
    _ = onTime.observe(window(1), context: rollingOut)
    var late = AnytimeValidTest(name: "late")
    _ = late.observe(window(0), context: rollingOut)
    let evaluation = late.observe(TelemetryRead(window(1), late: [data]), context: rollingOut)
    #expect(abs(late.logEValue - onTime.logEValue) < 1e-12)
    #expect(late.tally.lateSessions == 2000)
    #expect(late.informativeEvents == onTime.informativeEvents)
    #expect(evaluation?.windows == WindowSpan(first: 0, last: 1, start: .zero, end: 2 * minute))
    #expect(evaluation?.detail.contains("2,000 sessions reported after their window was read, counted late") == true)
  }

  /// A late piece is a term of its own window: a window with another base rate and another allocation
  /// (a milestone earlier) is never pooled with the fresh one, which would blame the flag for the
  /// difference (Simpson's paradox).
  @Test func latePiecesAreComparedWithinTheirOwnWindow() {
    let fresh = window(1, treatment: (100, 1), control: (9_900, 99))
    let earlier = window(0, treatment: (5_000, 500), control: (100, 10))
    var tagged = AnytimeValidTest(name: "tagged")
    var sprt = SequentialProbabilityRatioTest(name: "sprt")
    var cusum = CUSUM(name: "cusum", activity: .always, arl0: .days(30))
    _ = tagged.observe(TelemetryRead(fresh, late: [earlier]), context: rollingOut)
    let sprtEvaluation = sprt.observe(TelemetryRead(fresh, late: [earlier]), context: rollingOut)
    let cusumEvaluation = cusum.observe(TelemetryRead(fresh, late: [earlier]), context: rollingOut)
    #expect(tagged.eValue < 1)
    #expect(sprtEvaluation?.verdict != .fail)
    #expect(cusumEvaluation?.verdict == .pass)
    // The same counts pooled into one window reject at once.
    var pooled = AnytimeValidTest(name: "pooled")
    _ = pooled.observe(TelemetryRead(fresh, late: [earlier]).merged(), context: rollingOut)
    #expect(pooled.rejected)
  }

  /// Without a control the treatment is held against its stratum's before; what arrives late is selected
  /// by its outcome (a crash reported at the next boot), so that comparison reads the on-time piece only.
  @Test func beforeAfterReadsOnlyTheOnTimePiece() {
    var gate = AnytimeValidTest(name: "before-after")
    for index in 0..<10 { _ = gate.observe(window(index, control: (10_000, 100)), context: rollingOut) }
    let evaluation = gate.observe(
      TelemetryRead(window(10, treatment: (10_000, 100)), late: [window(9, treatment: (50, 50))]), context: rollingOut)
    #expect(evaluation?.basis == .beforeAfter)
    #expect(evaluation?.verdict == .pass)
    #expect(gate.tally.treatmentSessions == 10_000)
  }

  /// Guards read what arrived since the last read: crashes reported late count in the read they arrive.
  @Test func aGuardCountsLateCrashesInTheReadTheyArrive() {
    func crashes(_ index: Int, sessions: UInt64, crashes: UInt64) -> TelemetryWindow {
      var window = TelemetryWindow(index: index, start: minute * index, duration: minute)
      window[TelemetryKey(cohort: 0, arm: .treatment)] = TelemetryWindow.Cell(counts: OutcomeCounts(sessions: sessions, crashes: crashes))
      return window
    }
    var guardGate = HardGuard(name: "crashes", metric: .crashRate, trip: Condition(.greater, 0.05), minSample: 100)
    #expect(guardGate.observe(crashes(0, sessions: 1000, crashes: 0), context: rollingOut)?.verdict == .pass)
    let evaluation = guardGate.observe(
      TelemetryRead(crashes(1, sessions: 1000, crashes: 0), late: [crashes(0, sessions: 100, crashes: 100)]), context: rollingOut)
    #expect(evaluation?.verdict == .fail)
    #expect(abs((evaluation?.statistic ?? 0) - 100.0 / 1100) < 1e-12)
  }

  /// Reads of fleet partitions merge piece by piece, each late piece with the same window of the other.
  @Test func readsMergeAcrossPartitionsPieceByPiece() {
    var a = TelemetryRead(window(2, treatment: (10, 1)), late: [window(0, treatment: (5, 1))])
    let b = TelemetryRead(window(2, treatment: (20, 2)), late: [window(1, treatment: (7, 0)), window(0, treatment: (3, 1))])
    a.merge(b)
    #expect(a.late.map(\.index) == [0, 1])
    #expect(a.late[0].counts(treatment: true) == OutcomeCounts(sessions: 8, errors: 2))
    #expect(a.window.counts(treatment: true) == OutcomeCounts(sessions: 30, errors: 3))
    #expect(a.lateSessions == 15)
  }
}
