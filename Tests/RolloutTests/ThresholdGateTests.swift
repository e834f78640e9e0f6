import Rollout
import Telemetry
import Simulation
import Testing

/// Table-driven cases for Argo Rollouts' and Flagger's counting. Each measurement is one 1-minute window
/// whose treatment error rate is chosen to land where the case needs it:
/// `S` 1% (success), `F` 10% (failure), `I` 3% (neither condition: inconclusive), `E` no sessions (error /
/// no values found). Expected verdicts per window: `p` pass, `i` inconclusive (hold), `u` pause, `f` fail.
@Suite struct ThresholdGateTests {
  static func window(_ index: Int, _ outcome: Character) -> TelemetryWindow {
    switch outcome {
    case "S": return exactWindow(index, treatment: (1000, 10))
    case "F": return exactWindow(index, treatment: (1000, 100))
    case "I": return exactWindow(index, treatment: (1000, 30))
    default: return exactWindow(index, treatment: (0, 0))
    }
  }

  static func verdicts(_ gate: ThresholdGate, _ outcomes: String) -> String {
    var gate = gate
    var text = ""
    for (i, outcome) in outcomes.enumerated() {
      switch gate.observe(window(i, outcome), context: rollingOut)?.verdict {
      case .pass: text += "p"
      case .inconclusive: text += "i"
      case .pause: text += "u"
      case .fail: text += "f"
      case nil: text += "-"
      }
    }
    return text
  }

  struct ArgoCase: CustomTestStringConvertible, Sendable {
    var name: String
    var failureLimit = 0
    var inconclusiveLimit = 0
    var consecutiveErrorLimit = 4
    var count: Int?
    var success: Condition? = Condition(.lessOrEqual, 0.02)
    var failure: Condition? = Condition(.greater, 0.05)
    var outcomes: String
    var expected: String
    var testDescription: String { name }
  }

  static let argoCases: [ArgoCase] = [
    ArgoCase(name: "failureLimit 0: the first failure fails", outcomes: "SSF", expected: "ppf"),
    ArgoCase(name: "failureLimit 2: the third failure fails", failureLimit: 2, outcomes: "FFSF", expected: "pppf"),
    ArgoCase(name: "count reached with failures at the limit succeeds", failureLimit: 2, count: 4, outcomes: "FSFS", expected: "iiip"),
    ArgoCase(name: "a completed run is final", count: 2, outcomes: "SSFF", expected: "ippp"),
    ArgoCase(name: "inconclusiveLimit 0: the first inconclusive pauses", outcomes: "SI", expected: "pu"),
    ArgoCase(name: "inconclusiveLimit 1: the second inconclusive pauses", inconclusiveLimit: 1, outcomes: "ISI", expected: "ppu"),
    ArgoCase(name: "five consecutive errors exceed the default limit of 4", outcomes: "EEEEE", expected: "ppppf"),
    ArgoCase(name: "a measurement resets the consecutive errors", outcomes: "EESEEEE", expected: "ppppppp"),
    ArgoCase(name: "errors do not count towards count", count: 3, outcomes: "ESSS", expected: "iiip"),
    ArgoCase(name: "consecutiveErrorLimit 0: one error fails", consecutiveErrorLimit: 0, outcomes: "SE", expected: "pf"),
    ArgoCase(name: "failed is assessed before inconclusive", outcomes: "F", expected: "f"),
    ArgoCase(name: "only a success condition: missing it fails", failure: nil, outcomes: "SI", expected: "pf"),
    ArgoCase(name: "only a failure condition: not meeting it succeeds", success: nil, outcomes: "SII", expected: "ppp"),
    ArgoCase(name: "both conditions: failure wins", success: Condition(.lessOrEqual, 1), outcomes: "SF", expected: "pf"),
  ]

  @Test(arguments: argoCases)
  func argoCounting(_ c: ArgoCase) {
    let gate = ThresholdGate(
      name: "argo", semantics: .argo, metric: .errorRate, success: c.success, failure: c.failure, failureLimit: c.failureLimit,
      inconclusiveLimit: c.inconclusiveLimit, consecutiveErrorLimit: c.consecutiveErrorLimit, count: c.count)
    #expect(Self.verdicts(gate, c.outcomes) == c.expected)
  }

  struct FlaggerCase: CustomTestStringConvertible, Sendable {
    var name: String
    var maxFailedChecks: Int
    var outcomes: String
    var expected: String
    var testDescription: String { name }
  }

  static let flaggerCases: [FlaggerCase] = [
    FlaggerCase(name: "threshold 1: rolled back at the tick after the first failed check", maxFailedChecks: 1, outcomes: "FS", expected: "if"),
    FlaggerCase(name: "threshold 2: checks in between still pass", maxFailedChecks: 2, outcomes: "FSFS", expected: "ipif"),
    FlaggerCase(name: "no values found is a failed check", maxFailedChecks: 3, outcomes: "ESSFFS", expected: "ippiif"),
    FlaggerCase(name: "passing checks never reset the count", maxFailedChecks: 2, outcomes: "FSSSFS", expected: "ipppif"),
    FlaggerCase(name: "healthy canary never fails", maxFailedChecks: 1, outcomes: "SSSSS", expected: "ppppp"),
  ]

  @Test(arguments: flaggerCases)
  func flaggerCounting(_ c: FlaggerCase) {
    let gate = ThresholdGate(name: "flagger", semantics: .flagger, metric: .errorRate, maximum: 0.05, maxFailedChecks: c.maxFailedChecks)
    #expect(Self.verdicts(gate, c.outcomes) == c.expected)
  }

  @Test func argoStartsANewAnalysisRunAtEachMilestoneAndFlaggerDoesNot() {
    var argo = ThresholdGate(name: "argo", failure: Condition(.greater, 0.05), failureLimit: 1)
    var flagger = ThresholdGate(name: "flagger", semantics: .flagger, maximum: 0.05, maxFailedChecks: 2)
    _ = argo.observe(Self.window(0, "F"), context: rollingOut)
    _ = flagger.observe(Self.window(0, "F"), context: rollingOut)
    argo.beginMilestone(1, at: .minutes(1))
    flagger.beginMilestone(1, at: .minutes(1))
    let next = GateContext(phase: .rollingOut, milestone: 1, milestoneStart: .minutes(1))
    #expect(argo.observe(Self.window(1, "F"), context: next)?.verdict == .pass)
    #expect(argo.counters.failed == 1)
    #expect(flagger.observe(Self.window(1, "F"), context: next)?.verdict == .inconclusive)
    #expect(flagger.failedChecks == 2)
  }

  @Test func aMeasurementReadsTheWindowsOfItsInterval() {
    var gate = ThresholdGate(name: "argo", failure: Condition(.greater, 0.05), failureLimit: 0, interval: .minutes(3))
    // First measurement at the first window; then every 3 minutes over the windows in between.
    #expect(gate.observe(Self.window(0, "S"), context: rollingOut)?.verdict == .pass)
    #expect(gate.counters.count == 1)
    _ = gate.observe(exactWindow(1, treatment: (1000, 90)), context: rollingOut)
    _ = gate.observe(exactWindow(2, treatment: (1000, 0)), context: rollingOut)
    #expect(gate.counters.count == 1)
    // Windows 1-3: 90 + 0 + 30 errors in 3000 sessions = 4%: not a failure.
    let evaluation = gate.observe(exactWindow(3, treatment: (1000, 30)), context: rollingOut)
    #expect(gate.counters.count == 2)
    #expect(evaluation?.verdict == .pass)
    #expect(evaluation?.windows == WindowSpan(first: 1, last: 3, start: .minutes(1), end: .minutes(4)))
  }

  @Test func failedMeasurementsUnderTheLimitAreWarnings() {
    var gate = ThresholdGate(name: "argo", failure: Condition(.greater, 0.05), failureLimit: 2)
    let evaluation = gate.observe(Self.window(0, "F"), context: rollingOut)
    #expect(evaluation?.verdict == .pass)
    #expect(evaluation?.warning != nil)
    #expect(gate.observe(Self.window(1, "S"), context: rollingOut)?.warning == nil)
  }

  @Test func comparesWithTheControl() {
    var gate = ThresholdGate(name: "ratio", metric: .errorRate, comparison: .ratio, failure: Condition(.greater, 2.5), failureLimit: 1)
    let running = gate.observe(exactWindow(0, treatment: (1000, 20), control: (1000, 10)), context: rollingOut)
    #expect(running?.statistic == 2)
    #expect(running?.statisticName == "errorRate over control")
    #expect(running?.verdict == .pass)
    _ = gate.observe(exactWindow(1, treatment: (1000, 30), control: (1000, 10)), context: rollingOut)
    let failed = gate.observe(exactWindow(2, treatment: (1000, 30), control: (1000, 10)), context: rollingOut)
    #expect(failed?.verdict == .fail)
    #expect(failed?.statisticName == "failed measurements")
    #expect(failed?.statistic == 2)
    #expect(failed?.threshold == 1)
  }

  /// The standard release for the notes: 2,000 treatment sessions a window at 1% errors; Argo with
  /// `failure: "> 0.015"`, failureLimit 2; Flagger with `thresholdRange.max 0.015`, threshold 3.
  @Test func measuredFalseAlarmsAndDetection() {
    let argo = ThresholdGate(name: "argo", failure: Condition(.greater, 0.015), failureLimit: 2)
    let flagger = ThresholdGate(name: "flagger", semantics: .flagger, maximum: 0.015, maxFailedChecks: 3)
    for (label, gate) in [("argo", argo), ("flagger", flagger)] {
      let healthy = measure(gate, seeds: 0..<2000, windows: 50) {
        $0.next(treatment: 2000, control: 2000, treatmentRate: 0.01, controlRate: 0.01)
      }
      let faulty = measure(gate, seeds: 1_000_000..<1_002_000, windows: 50) {
        $0.next(treatment: 2000, control: 2000, treatmentRate: 0.02, controlRate: 0.01)
      }
      print("threshold (\(label)) healthy 1%, 2000 sessions/window, 50 windows: \(healthy)")
      print("threshold (\(label)) faulty 1% -> 2%: \(faulty)")
      // Per window P(more than 30 errors in 2,000 sessions) ≈ 1.3% when healthy: three failed measurements in
      // 50 windows happen in about 3% of runs.
      #expect(healthy.failureRate <= 0.04)
      #expect(faulty.failureRate == 1)
      #expect(faulty.p95Windows <= (label == "argo" ? 4 : 5))
    }
  }
}
