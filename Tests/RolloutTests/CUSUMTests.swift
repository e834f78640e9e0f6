import Foundation
import Rollout
import Telemetry
import Simulation
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
    #expect(evaluation?.windows == WindowSpan(first: 1, last: 2, start: .minutes(1), end: .minutes(3)))
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

  /// `arl0` sets h by Lorden's bound: at least arl0 / window windows between false alarms, h = ln of that.
  @Test func arl0SetsTheDecisionInterval() {
    var gate = CUSUM(name: "cusum", arl0: .days(30))
    #expect(gate.threshold == nil)
    _ = gate.observe(exactWindow(0, treatment: (1000, 10), control: (1000, 10), duration: .minutes(5)), context: monitoring)
    #expect(abs((gate.threshold ?? 0) - log(8640.0)) < 1e-12)  // 30 days of 5-minute windows
    #expect(CUSUM(name: "fixed", threshold: 7).threshold == 7)
  }

  /// Lorden's bound, measured: a two-sample chart (no baseline) on healthy windows with arl0 = 50
  /// windows (h = ln 50) runs at least 50 windows between false alarms on average, and raises one within
  /// T = 10 windows in at most T / arl0 = 20% of runs. Siegmund's approximation for these small steps
  /// (`(e^h − h − 1) / |E₀[z]|`, about 190 windows) says how conservative the bound is.
  @Test func lordensBoundHoldsOnHealthyData() {
    let runs = 400
    let cap = 3000
    var lengths: [Int] = []
    var early = 0
    for seed in 0..<UInt64(runs) {
      var gate = CUSUM(name: "cusum", activity: .always, arl0: .minutes(50))
      var factory = WindowFactory(seed: 5_000 + seed, duration: .minutes(1))
      var length = cap
      for w in 1...cap {
        let window = factory.next(treatment: 200, control: 200, treatmentRate: 0.01, controlRate: 0.01)
        if gate.observe(window, context: monitoring)?.verdict == .fail {
          length = w
          break
        }
      }
      lengths.append(length)
      if length <= 10 { early += 1 }
    }
    let mean = Double(lengths.reduce(0, +)) / Double(runs)
    let h = log(50.0)
    let drift = 4 * (0.5 * log(2.0) - log(1.5))  // −E₀[z] per window: 4 events expected, θ₀ = 1/2
    let siegmund = (exp(h) - h - 1) / -drift
    print("CUSUM, arl0 50 windows (h = \(h)): mean run length \(mean) windows (capped at \(cap)); Siegmund \(siegmund); alarms within 10 windows: \(early)/\(runs)")
    #expect(mean >= 50)
    #expect(Double(early) / Double(runs) <= upperBound(10.0 / 50, runs: runs))
  }

  /// Without a baseline, at full rollout (no control left), the chart holds the treatment against its
  /// control before: healthy stays in control, five times worse alarms within a few windows.
  @Test func atFullRolloutTheChartReadsTheBefore() {
    func run(rate: Double) -> (verdict: GateVerdict?, basis: EvidenceBasis?, windows: Int) {
      var gate = CUSUM(name: "cusum", activity: .always, arl0: .days(30))
      var factory = WindowFactory(seed: 77)
      for _ in 0..<12 { _ = gate.observe(factory.next(treatment: 0, control: 5000, treatmentRate: 0, controlRate: 0.01), context: rollingOut) }
      var last: GateEvaluation?
      for w in 1...48 {
        last = gate.observe(factory.next(treatment: 5000, control: 0, treatmentRate: rate, controlRate: 0), context: monitoring)
        if last?.verdict == .fail { return (.fail, last?.basis, w) }
      }
      return (last?.verdict, last?.basis, 48)
    }
    let healthy = run(rate: 0.01)
    #expect(healthy.verdict == .pass && healthy.basis == .beforeAfter)
    let faulty = run(rate: 0.05)
    #expect(faulty.verdict == .fail && faulty.windows <= 3)
  }
}
