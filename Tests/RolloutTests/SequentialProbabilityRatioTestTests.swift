import Foundation
import Rollout
import Telemetry
import Simulation
import Testing

@Suite struct SequentialProbabilityRatioTestTests {
  /// The standard test: p0 = 1%, p1 = 2%, α = 0.05, β = 0.2.
  let gate = SequentialProbabilityRatioTest(name: "sprt", metric: .errorRate, baseline: 0.01, effect: 2, alpha: 0.05, beta: 0.2)

  /// One test: rejects at ln(1/α) (Ville's bound, a little above Wald's ln((1−β)/α)), accepts at Wald's
  /// ln(β/(1−α)). A plan of five milestones spends α/5 on each.
  @Test func boundariesSpendAlphaOverTheRelease() {
    var one = gate
    _ = one.observe(exactWindow(0, treatment: (10, 0)), context: rollingOut)
    #expect(one.tests == 1)
    #expect(abs(one.upperBoundary - log(1 / 0.05)) < 1e-12)
    #expect(abs(one.lowerBoundary - log(0.2 / 0.95)) < 1e-12)
    var five = gate
    _ = five.observe(exactWindow(0, treatment: (10, 0)), context: GateContext(phase: .rollingOut, milestone: 0, milestoneStart: .zero, milestoneCount: 5))
    #expect(five.tests == 5)
    #expect(abs(five.testAlpha - 0.01) < 1e-15)
    #expect(abs(five.upperBoundary - log(100)) < 1e-12)
    // Active during the rollout and after it: one more test, for the monitoring.
    var always = SequentialProbabilityRatioTest(name: "sprt", activity: .always, baseline: 0.01)
    _ = always.observe(exactWindow(0, treatment: (10, 0)), context: GateContext(phase: .rollingOut, milestone: 0, milestoneStart: .zero, milestoneCount: 5))
    #expect(always.tests == 6)
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
    gate.beginMilestone(1, at: .minutes(2))
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
    let context = GateContext(phase: .rollingOut, milestone: 1, milestoneStart: .seconds(30))
    _ = gate.observe(exactWindow(0, treatment: (100, 10)), context: context)
    #expect(gate.sessions == 0)
  }

  /// Without a baseline the test estimates none: it compares the treatment with the control in the same
  /// window, the conditional binomial's likelihood ratio of rate ratio 2 against 1.
  @Test func withoutABaselineComparesWithTheControl() {
    var gate = SequentialProbabilityRatioTest(name: "sprt", metric: .errorRate)
    #expect(gate.hypotheses == nil)
    let evaluation = gate.observe(exactWindow(0, treatment: (100, 3), control: (1000, 10)), context: rollingOut)
    let expected = 3 * log(2.0) - 13 * log((2.0 * 100 + 1000) / 1100)
    #expect(abs(gate.logLikelihoodRatio - expected) < 1e-12)
    #expect(evaluation?.basis == .control)
    #expect(evaluation?.verdict == .inconclusive)
  }

  /// The same healthy treatment and control, but with a control twice as error-prone in another cohort:
  /// compared stratum by stratum the test accepts; the other cohort's rate does not leak in.
  @Test func comparesCohortByCohort() {
    var gate = SequentialProbabilityRatioTest(name: "sprt", metric: .errorRate)
    var factory = WindowFactory(seed: 4)
    var verdict: GateVerdict?
    for _ in 0..<40 where verdict == nil {
      let window = factory.next([
        CellSpec(cohort: 0, arm: .treatment, sessions: 2000, errorRate: 0.02),
        CellSpec(cohort: 0, arm: .control, sessions: 2000, errorRate: 0.02),
        CellSpec(cohort: 1, arm: .control, sessions: 20_000, errorRate: 0.01),
      ])
      verdict = gate.observe(window, context: rollingOut)?.verdict
      if verdict == .inconclusive { verdict = nil }
    }
    #expect(verdict == .pass)
  }

  /// Healthy data: the false-alarm rate stays under α (Ville's inequality), whatever the window size.
  @Test(arguments: [200, 2000] as [UInt64])
  func keepsItsFalseAlarmRateOnHealthyData(sessionsPerWindow: UInt64) {
    let runs = 2000
    let summary = measure(gate, seeds: 0..<UInt64(runs), windows: 50) {
      $0.next(treatment: sessionsPerWindow, control: sessionsPerWindow, treatmentRate: 0.01, controlRate: 0.01)
    }
    print("SPRT healthy, 1% baseline, \(sessionsPerWindow) treatment sessions/window, 50 windows: \(summary)")
    #expect(summary.failureRate <= upperBound(0.05, runs: runs))
  }

  /// A doubled error rate: detected in at least 1−β/(1−α) of runs (less a margin), and the test decides
  /// (either way) within Wald's expected sample under H1 (about 580 treatment sessions with A = ln 20;
  /// more with the upper boundary raised by one error's jump, the largest overshoot of a per-session
  /// test), plus two windows, since the ratio is read only at window ends.
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
    let a = log(1 / 0.05)
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
