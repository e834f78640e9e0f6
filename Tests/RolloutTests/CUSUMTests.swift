import Foundation
import Rollout
import Telemetry
import Testing

@Suite struct CUSUMTests {
  /// p0 = 1%, p1 = 2%, h = 10; active after the release completed.
  let gate = CUSUM(name: "cusum", metric: .errorRate, baseline: 0.01, effect: 2, threshold: 10)

  @Test func isActiveOnlyWhenMonitoringByDefault() {
    var gate = gate
    #expect(gate.observe(exactWindow(0, treatment: (1000, 100)), context: rollingOut) == nil)
    #expect(gate.observe(exactWindow(1, treatment: (1000, 10)), context: monitoring)?.verdict == .pass)
  }

  @Test func accumulatesAndResetsAtZero() {
    var gate = gate
    _ = gate.observe(exactWindow(0, treatment: (1000, 0)), context: monitoring)
    #expect(gate.statistic == 0)
    _ = gate.observe(exactWindow(1, treatment: (1000, 20)), context: monitoring)
    let step = 20 * log(2.0) + 980 * log(0.98 / 0.99)
    #expect(abs(gate.statistic - step) < 1e-9)
    let evaluation = gate.observe(exactWindow(2, treatment: (1000, 40)), context: monitoring)
    #expect(evaluation?.verdict == .fail)
    #expect(evaluation?.windows == WindowSpan(first: 1, last: 2, start: 60_000_000, end: 180_000_000))
  }

  /// Healthy data at full rollout, the standard release: 2,000 sessions a window, 50 windows (100,000
  /// sessions). Siegmund's approximation for a per-session CUSUM puts the average run length near 7 million
  /// sessions, so about 1.4% of runs would alarm within 100,000; a per-window CUSUM is never above the
  /// per-session one (clipping at zero more often only lowers it), so its false alarms are fewer still.
  @Test(arguments: [2000, 10_000] as [UInt64])
  func falseAlarmsOnHealthyData(sessionsPerWindow: UInt64) {
    let runs = 2000
    let summary = measure(gate, seeds: 0..<UInt64(runs), windows: 50, context: monitoring) {
      $0.next(treatment: sessionsPerWindow, control: 0, treatmentRate: 0.01, controlRate: 0.01)
    }
    let perSession = 1 - exp(-Double(50 * sessionsPerWindow) / 7_060_000)
    print("CUSUM healthy, 1% baseline, \(sessionsPerWindow) treatment sessions/window, 50 windows: \(summary)")
    #expect(summary.failureRate <= upperBound(perSession, runs: runs))
  }

  @Test func detectsADoubledErrorRateWithinAFewThousandSessions() {
    let summary = measure(gate, seeds: 1_000_000..<1_001_000, windows: 100, context: monitoring) {
      $0.next(treatment: 2000, control: 0, treatmentRate: 0.02, controlRate: 0.01)
    }
    print("CUSUM faulty (1% -> 2%), 2000 treatment sessions/window: \(summary)")
    #expect(summary.failureRate == 1)
    // Siegmund: (h + e^-h - 1) / E1[z] ≈ 2,300 sessions.
    #expect(summary.meanSessions <= 2300 + 2 * 2000)
  }
}
