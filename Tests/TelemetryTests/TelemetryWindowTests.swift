import Simulation
import Testing

@testable import Telemetry

@Suite struct TelemetryWindowTests {
  /// A window with deterministic pseudo-random content for partition `part`.
  func window(part: UInt64) -> TelemetryWindow {
    var window = TelemetryWindow(index: 3, start: .minutes(3), duration: .minutes(1))
    var state = part &* 0x9e37_79b9_7f4a_7c15 | 1
    func next(_ bound: UInt64) -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state % bound
    }
    for cohort in UInt16(0)..<3 {
      for arm in [Arm.control, .treatment, .variant(1)] {
        var cell = TelemetryWindow.Cell()
        cell.counts = OutcomeCounts(sessions: 100 + next(900), errors: next(50), crashes: next(5), devicesReporting: 10 + next(40), devicesAssigned: 60)
        for _ in 0..<20 { cell.latency.record(milliseconds: 1 + next(5000)) }
        window[TelemetryKey(cohort: cohort, arm: arm)] = cell
      }
    }
    return window
  }

  @Test func mergingPartitionsEqualsCountingTheWholeFleet() {
    var merged = window(part: 1)
    merged.merge(window(part: 2))
    merged.merge(window(part: 3))
    for key in merged.sortedKeys {
      let parts = [1, 2, 3].map { window(part: UInt64($0))[key] }
      #expect(merged[key].counts == parts.map(\.counts).reduce(OutcomeCounts(), +))
      #expect(merged[key].latency.count == parts.map(\.latency.count).reduce(0, +))
      // Histograms add bucket by bucket, so percentiles of the merge equal those of all values at once.
      var all = LatencyHistogram()
      for part in parts { all.merge(part.latency) }
      #expect(merged[key].latency.milliseconds(atPercentile: 99) == all.milliseconds(atPercentile: 99))
    }
  }

  @Test func mergeOrderDoesNotMatter() {
    var a = window(part: 1)
    a.merge(window(part: 2))
    var b = window(part: 2)
    b.merge(window(part: 1))
    for key in a.sortedKeys {
      #expect(a[key].counts == b[key].counts)
      #expect(a[key].latency.milliseconds(atPercentile: 50) == b[key].latency.milliseconds(atPercentile: 50))
    }
  }

  @Test func sidesAndRates() {
    var window = TelemetryWindow(index: 0, start: .zero, duration: .minutes(1))
    window[TelemetryKey(cohort: 0, arm: .control)].counts = OutcomeCounts(sessions: 1000, errors: 10, devicesReporting: 90, devicesAssigned: 100)
    window[TelemetryKey(cohort: 0, arm: .treatment)].counts = OutcomeCounts(sessions: 500, errors: 20, crashes: 5, devicesReporting: 40, devicesAssigned: 50)
    window[TelemetryKey(cohort: 1, arm: .variant(0))].counts = OutcomeCounts(sessions: 500, errors: 0, devicesReporting: 50, devicesAssigned: 50)
    let treatment = window.counts(treatment: true)
    #expect(treatment.sessions == 1000 && treatment.errors == 20 && treatment.crashes == 5)
    #expect(treatment.failureRate == 0.025)
    #expect(window.counts(treatment: false).errorRate == 0.01)
    #expect(window.counts(treatment: true, cohorts: [0]).silence == 0.2)
  }

  @Test func logKeepsOrderAndSumsTheLastWindows() {
    var log = TelemetryLog()
    for index in 0..<5 {
      var window = TelemetryWindow(index: index, start: .minutes(1) * index, duration: .minutes(1))
      window[TelemetryKey(cohort: 0, arm: .treatment)].counts = OutcomeCounts(sessions: 100, errors: UInt64(index))
      log.append(window)
    }
    #expect(log.counts(treatment: true, lastWindows: 2).errors == 7)
    #expect(log.counts(treatment: true, lastWindows: 99).sessions == 500)
  }
}
