import Foundation
import Rollout
import Telemetry
import Testing

@Suite struct SequentialProbabilityRatioTestTests {
  /// The standard test: p0 = 1%, p1 = 2%, α = 0.05, β = 0.2.
  let gate = SequentialProbabilityRatioTest(name: "sprt", metric: .errorRate, baseline: 0.01, effect: 2, alpha: 0.05, beta: 0.2)

  @Test func boundariesAreWalds() {
    #expect(abs(gate.upperBoundary - log(0.8 / 0.05)) < 1e-12)
    #expect(abs(gate.lowerBoundary - log(0.2 / 0.95)) < 1e-12)
  }

  @Test func logLikelihoodRatioAccumulatesPerSession() {
    var gate = gate
    let window = exactWindow(0, treatment: (100, 3))
    let evaluation = gate.observe(window, context: rollingOut)
    let expected = 3 * log(2.0) + 97 * log(0.98 / 0.99)
    #expect(abs(gate.logLikelihoodRatio - expected) < 1e-12)
    #expect(evaluation?.verdict == .inconclusive)
    #expect(evaluation?.statisticName == "log-likelihood ratio")
  }

  @Test func rejectsAtTheUpperBoundaryAndStaysRejectedForTheMilestone() {
    var gate = gate
    // 10 errors in 100 sessions: 10·ln2 + 90·ln(0.98/0.99) ≈ 6.02 > ln 16.
    #expect(gate.observe(exactWindow(0, treatment: (100, 10)), context: rollingOut)?.verdict == .fail)
    #expect(gate.observe(exactWindow(1, treatment: (100, 0)), context: rollingOut)?.verdict == .fail)
    gate.beginMilestone(1, at: 120_000_000)
    #expect(gate.logLikelihoodRatio == 0)
    #expect(gate.decision == nil)
  }

  @Test func acceptsAtTheLowerBoundary() {
    var gate = gate
    // 0 errors in 200 sessions: 200·ln(0.98/0.99) ≈ -2.03 < ln(0.2/0.95) ≈ -1.56.
    #expect(gate.observe(exactWindow(0, treatment: (200, 0)), context: rollingOut)?.verdict == .pass)
  }

  @Test func ignoresWindowsThatBeganBeforeTheMilestone() {
    var gate = gate
    let context = GateContext(phase: .rollingOut, milestone: 1, milestoneStart: 30_000_000)
    _ = gate.observe(exactWindow(0, treatment: (100, 10)), context: context)
    #expect(gate.sessions == 0)
  }

  @Test func estimatesTheBaselineFromTheControlWhenNoneIsGiven() {
    var gate = SequentialProbabilityRatioTest(name: "sprt", metric: .errorRate)
    let first = gate.observe(exactWindow(0, treatment: (100, 1), control: (1000, 10)), context: rollingOut)
    #expect(first?.verdict == .inconclusive)
    #expect(gate.hypotheses == nil)  // 10 control errors: not yet 20
    _ = gate.observe(exactWindow(1, treatment: (100, 1), control: (1000, 10)), context: rollingOut)
    #expect(gate.hypotheses?.p0 == 0.01)
    #expect(gate.hypotheses?.p1 == 0.02)
  }

  /// Healthy data: the false-alarm rate stays under Wald's bound α/(1−β) = 0.0625, whatever the window size.
  @Test(arguments: [200, 2000] as [UInt64])
  func keepsItsFalseAlarmRateOnHealthyData(sessionsPerWindow: UInt64) {
    let runs = 2000
    let summary = measure(gate, seeds: 0..<UInt64(runs), windows: 50) {
      $0.next(treatment: sessionsPerWindow, control: sessionsPerWindow, treatmentRate: 0.01, controlRate: 0.01)
    }
    print("SPRT healthy, 1% baseline, \(sessionsPerWindow) treatment sessions/window, 50 windows: \(summary)")
    #expect(summary.failureRate <= upperBound(0.05 / 0.8, runs: runs))
  }

  /// A doubled error rate: detected in at least 1−β/(1−α) of runs (less a margin), and the test decides
  /// (either way) within Wald's expected sample under H1 (about 490 treatment sessions; 630 with the upper
  /// boundary raised by one error's jump, the largest overshoot of a per-session test), plus two windows,
  /// since the ratio is read only at window ends.
  @Test(arguments: [20, 200, 2000] as [UInt64])
  func detectsADoubledErrorRateWithinTheExpectedSample(sessionsPerWindow: UInt64) {
    let runs = 2000
    var detected = 0
    var decisionSessions: UInt64 = 0
    var detectionWindows: [Int] = []
    for seed in 0..<UInt64(runs) {
      var gate = gate
      var factory = WindowFactory(seed: 1_000_000 + seed)
      for w in 1...200 {
        let window = factory.next(treatment: sessionsPerWindow, control: sessionsPerWindow, treatmentRate: 0.02, controlRate: 0.01)
        _ = gate.observe(window, context: rollingOut)
        if let decision = gate.decision {
          decisionSessions += gate.sessions
          if decision == .fail {
            detected += 1
            detectionWindows.append(w)
          }
          break
        }
      }
    }
    let p0 = 0.01
    let p1 = 0.02
    let a = log(0.8 / 0.05)
    let b = log(0.2 / 0.95)
    let drift = p1 * log(p1 / p0) + (1 - p1) * log((1 - p1) / (1 - p0))
    let expectedSample = (0.8 * a + 0.2 * b) / drift
    let withOvershoot = (0.8 * (a + log(p1 / p0)) + 0.2 * b) / drift
    let meanSample = Double(decisionSessions) / Double(runs)
    let power = Double(detected) / Double(runs)
    detectionWindows.sort()
    print(
      "SPRT faulty (1% -> 2%), \(sessionsPerWindow) treatment sessions/window: detected \(detected)/\(runs) (\(power)); windows to detection median \(detectionWindows[detectionWindows.count / 2]), p95 \(detectionWindows[detectionWindows.count * 95 / 100]); mean treatment sessions to a decision \(Int(meanSample)) (Wald: \(Int(expectedSample)))"
    )
    #expect(power >= 1 - 0.2 / 0.95 - 0.04)
    #expect(meanSample <= withOvershoot + 2 * Double(sessionsPerWindow))
    #expect(meanSample >= expectedSample * 0.9)
  }
}
