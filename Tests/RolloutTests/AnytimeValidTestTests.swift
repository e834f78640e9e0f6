import Foundation
import Rollout
import Telemetry
import Testing

@Suite struct AnytimeValidTestTests {
  /// The standard test: α = 0.05, rate ratios 1.1 to 10 on a 12-point grid, stratified by cohort.
  let gate = AnytimeValidTest(name: "anytime", metric: .errorRate, alpha: 0.05)

  /// One window: the control process starts with weight w₁ = 1/2 and the e-value is the mean of the
  /// control's and the before/after's processes, so E = LR / 4.
  @Test func eValueIsTheConditionalBinomialLikelihoodRatio() {
    var gate = AnytimeValidTest(name: "one-ratio", alpha: 0.05, minimumEffect: 2, maximumEffect: 2, gridSize: 1)
    _ = gate.observe(exactWindow(0, treatment: (1000, 30), control: (1000, 20)), context: rollingOut)
    let expected = 30 * log(2.0) + 50 * log(2000.0 / 3000.0) - log(4.0)
    #expect(abs(gate.logEValue - expected) < 1e-9)
    #expect(gate.informativeEvents == 50)
    #expect(gate.treatmentEvents == 30)
    // A second window: (S₁ + w₂) · LR₂ with w₂ = 1/6.
    _ = gate.observe(exactWindow(1, treatment: (1000, 10), control: (1000, 10)), context: rollingOut)
    let second = 10 * log(2.0) + 20 * log(2000.0 / 3000.0)
    let sum = log(exp(expected + log(4.0) - log(2.0)) + 1.0 / 6) + second - log(2.0)
    #expect(abs(gate.logEValue - sum) < 1e-9)
  }

  @Test func windowsWithoutBothArmsCarryNoInformation() {
    var gate = gate
    let evaluation = gate.observe(exactWindow(0, treatment: (1000, 50)), context: rollingOut)
    #expect(gate.informativeEvents == 0)
    #expect(gate.eValue == 0)
    #expect(evaluation?.basis == EvidenceBasis.none)
    #expect(gate.observe(exactWindow(1, treatment: (1000, 0), control: (1000, 0)), context: rollingOut)?.verdict == .pass)
  }

  @Test func rejectsWhenTheEValueReachesOneOverAlpha() {
    var gate = gate
    let evaluation = gate.observe(exactWindow(0, treatment: (2000, 60), control: (2000, 20)), context: rollingOut)
    #expect(evaluation?.verdict == .fail)
    #expect(evaluation?.threshold == 20)
    #expect((evaluation?.statistic ?? 0) >= 20)
    // Final: more healthy data does not undo a rejection.
    #expect(gate.observe(exactWindow(1, treatment: (2000, 20), control: (2000, 20)), context: rollingOut)?.verdict == .fail)
  }

  /// Active after the last milestone by default; a gate limited to the rollout is not.
  @Test func isInactiveOutsideItsPhase() {
    var always = gate
    #expect(always.observe(exactWindow(0, treatment: (2000, 60), control: (2000, 20)), context: monitoring) != nil)
    var rollout = AnytimeValidTest(name: "anytime", activity: .rollout)
    #expect(rollout.observe(exactWindow(0, treatment: (2000, 60), control: (2000, 20)), context: monitoring) == nil)
  }

  /// Healthy data, two allocations (a 50% milestone and a 1% milestone): the false-alarm rate over 50 windows
  /// stays at or below α (Ville's inequality holds for any horizon), within a binomial margin.
  @Test(arguments: [(2000, 2000), (200, 19_800)] as [(UInt64, UInt64)])
  func keepsItsFalseAlarmRateOnHealthyData(treatment: UInt64, control: UInt64) {
    let runs = 2000
    let summary = measure(gate, seeds: 0..<UInt64(runs), windows: 50) {
      $0.next(treatment: treatment, control: control, treatmentRate: 0.01, controlRate: 0.01)
    }
    print("anytime-valid healthy, 1% baseline, \(treatment) treatment / \(control) control sessions per window, 50 windows: \(summary)")
    #expect(summary.failureRate <= upperBound(0.05, runs: runs))
  }

  /// A doubled error rate is found in every run, within a few windows.
  @Test(arguments: [(2000, 2000), (200, 19_800)] as [(UInt64, UInt64)])
  func detectsADoubledErrorRate(treatment: UInt64, control: UInt64) {
    let runs = 1000
    let summary = measure(gate, seeds: 1_000_000..<1_000_000 + UInt64(runs), windows: 50) {
      $0.next(treatment: treatment, control: control, treatmentRate: 0.02, controlRate: 0.01)
    }
    print("anytime-valid faulty (1% -> 2%), \(treatment) treatment / \(control) control sessions per window: \(summary)")
    #expect(summary.failureRate >= 0.99)
    // Ideal power for a known ratio of 2 needs about ln(1/α)/KL ≈ 3/0.057 ≈ 53 comparable events (≈ 3,500
    // treatment sessions at equal allocation); the mixture pays a little for not knowing the ratio.
    #expect(summary.meanSessions <= 8000)
  }

  /// Cohorts with different base rates and a treatment concentrated in the riskier cohort: pooled
  /// comparison confounds cohort with arm and raises false alarms; stratified comparison does not.
  @Test func stratificationRemovesTheCohortConfound() {
    func run(stratify: Bool) -> GateRunSummary {
      let gate = AnytimeValidTest(name: "anytime", metric: .errorRate, alpha: 0.05, stratify: stratify)
      return measure(gate, seeds: 0..<500, windows: 30) { factory in
        factory.next([
          // internal: everyone treated, 3% errors either way.
          CellSpec(cohort: 0, arm: .treatment, sessions: 500, errorRate: 0.03),
          // general: 10% treated, 1% errors either way.
          CellSpec(cohort: 2, arm: .treatment, sessions: 500, errorRate: 0.01),
          CellSpec(cohort: 2, arm: .control, sessions: 4500, errorRate: 0.01),
        ])
      }
    }
    let stratified = run(stratify: true)
    let pooled = run(stratify: false)
    print("anytime-valid with a cohort confound: stratified \(stratified); pooled \(pooled)")
    #expect(stratified.failureRate <= upperBound(0.05, runs: 500))
    #expect(pooled.failureRate >= 0.9)
  }

  /// A stratum with no control left is held against its own control before (here: twelve windows of
  /// control only): healthy, no alarm over four hours; five times worse, rejected at once.
  @Test func fallsBackToTheStratumsControlBefore() {
    var before = gate
    var factory = WindowFactory(seed: 9)
    for _ in 0..<12 { _ = before.observe(factory.next(treatment: 0, control: 5000, treatmentRate: 0, controlRate: 0.01), context: rollingOut) }
    var healthy = before
    for _ in 0..<48 {
      let evaluation = healthy.observe(factory.next(treatment: 5000, control: 0, treatmentRate: 0.01, controlRate: 0), context: monitoring)
      #expect(evaluation?.basis == .beforeAfter)
    }
    #expect(!healthy.rejected)
    var faulty = before
    let evaluation = faulty.observe(factory.next(treatment: 5000, control: 0, treatmentRate: 0.05, controlRate: 0), context: monitoring)
    #expect(evaluation?.verdict == .fail)
  }

  /// A regression that begins after a long healthy stretch is weighed from when it began: after 300
  /// healthy windows, a doubled rate is found within a few dozen windows, the cost of the late start
  /// being ln(1/w_k), about 11 nats.
  @Test func findsARegressionThatBeginsLate() {
    var gate = gate
    var factory = WindowFactory(seed: 12)
    for _ in 0..<300 { _ = gate.observe(factory.next(treatment: 2000, control: 2000, treatmentRate: 0.01, controlRate: 0.01), context: monitoring) }
    #expect(!gate.rejected)
    var windows = 0
    while !gate.rejected && windows < 200 {
      windows += 1
      _ = gate.observe(factory.next(treatment: 2000, control: 2000, treatmentRate: 0.02, controlRate: 0.01), context: monitoring)
    }
    print("anytime-valid, doubled after 300 healthy windows: rejected after \(windows) windows")
    #expect(gate.rejected && windows <= 40)
  }
}
