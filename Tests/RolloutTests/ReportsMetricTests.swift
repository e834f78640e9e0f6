import Foundation
import Rollout
import Telemetry
import Simulation
import Testing

/// The `reports` metric: user reports per install, which arrive days after the installs they are about
/// (late pieces of the installs' windows); and `reportCount`, the reports a dashboard adds up as they come.
@Suite struct ReportsMetricTests {
  static let hour = SimulatedTime.hours(1)

  /// Window `index` (an hour) with `installs` on the treatment and `reports` about them on time.
  static func window(_ index: Int, installs: UInt64, reports: UInt64 = 0) -> TelemetryWindow {
    TelemetryWindow(
      index: index, start: hour * index, duration: hour,
      cells: [TelemetryKey(cohort: 0, arm: .treatment): TelemetryWindow.Cell(counts: OutcomeCounts(sessions: installs * 5, installs: installs, reports: reports))])
  }

  /// A late piece of window `index` carrying `reports`.
  static func late(_ index: Int, reports: UInt64) -> TelemetryWindow {
    TelemetryWindow(
      index: index, start: hour * index, duration: hour,
      cells: [TelemetryKey(cohort: 0, arm: .treatment): TelemetryWindow.Cell(counts: OutcomeCounts(reports: reports))])
  }

  static let context = GateContext(phase: .rollingOut, milestone: 0, milestoneStart: .zero)

  /// A release in which 1,000 devices install every hour for 10 hours, and the reports about each hour's
  /// installs come 24 hours later at `rate` per install.
  static func feed(rate: Double, hours: Int = 60) -> [TelemetryRead] {
    (0..<hours).map { hour in
      let installs: UInt64 = hour < 10 ? 1_000 : 0
      let late = hour >= 24 && hour - 24 < 10 ? [Self.late(hour - 24, reports: UInt64((1_000 * rate).rounded()))] : []
      return TelemetryRead(window(hour, installs: installs), late: late)
    }
  }

  func sprt(wait: TimeSpan) throws -> SequentialProbabilityRatioTest {
    let definition = try decodeGate(#"{"kind": "sprt", "metric": "reports", "baseline": 0.0035, "effect": 2, "wait": "\#(wait)"}"#)
    return try #require(try definition.makeGate(subject: standardSubject()) as? SequentialProbabilityRatioTest)
  }

  @Test func theTestWaitsForTheReportsBeforeAnInstallCounts() throws {
    // Reports at three times the baseline (1%), each a day after its install.
    var waiting = try sprt(wait: .days(2))
    var verdicts: [GateVerdict] = []
    for read in Self.feed(rate: 0.01).prefix(48) { verdicts.append(waiting.observe(read, context: Self.context)?.verdict ?? .inconclusive) }
    // Installs admitted 2 days after their window, with the reports about them: none by hour 48.
    #expect(verdicts.allSatisfy { $0 == .inconclusive })
    #expect(waiting.events == 0 && waiting.sessions == 0)
    // Counted at once, the same installs would have passed the test before a report came.
    var eager = try sprt(wait: .zero)
    var eagerVerdicts: [GateVerdict] = []
    for read in Self.feed(rate: 0.01) { eagerVerdicts.append(eager.observe(read, context: Self.context)?.verdict ?? .inconclusive) }
    #expect(eagerVerdicts.prefix(10).contains(.pass))
  }

  @Test func itRejectsAFaultyReleaseAndPassesAHealthyOne() throws {
    // 120 windows: every installation hour is admitted (2 days after its end) with its reports.
    var faulty = try sprt(wait: .days(2))
    var last: GateVerdict?
    for read in Self.feed(rate: 0.01, hours: 120) { last = faulty.observe(read, context: Self.context)?.verdict ?? last }
    #expect(last == .fail)
    // The first installation hour's 1,000 installs and 10 reports decide it: LLR 10 ln 2 - 990 x 0.0035 = 3.45 > ln 20.
    #expect(faulty.events == 10 && faulty.sessions == 1_000)
    var healthy = try sprt(wait: .days(2))
    last = nil
    for read in Self.feed(rate: 0.002, hours: 120) { last = healthy.observe(read, context: Self.context)?.verdict ?? last }
    #expect(last == .pass)
  }

  @Test func valuesAndCounts() {
    let counts = OutcomeCounts(sessions: 100, installs: 400, reports: 6)
    #expect(Metric.reports.value(of: ArmSample(counts: counts)) == 0.015)
    #expect(Metric.reports.value(of: ArmSample(counts: OutcomeCounts(sessions: 100, reports: 6))) == nil)
    #expect(Metric.reportCount.value(of: ArmSample(counts: counts)) == 6)
    #expect(Metric.reports.sampleSize(counts) == 400 && Metric.reportCount.sampleSize(counts) == 100)
    #expect(Metric.reports.events(in: counts) == 6 && Metric.reports.trials(in: counts) == 400)
  }

  @Test(arguments: [
    (#"{"kind": "sprt", "metric": "reports", "wait": "3d"}"#, "baseline: a sprt gate on reports needs a fixed baseline"),
    (#"{"kind": "sprt", "metric": "reports", "baseline": 0.0035}"#, "wait: an sprt gate on reports needs wait"),
    (#"{"kind": "sprt", "metric": "errorRate", "baseline": 0.01, "wait": "3d"}"#, "wait: applies to metric reports only"),
    (#"{"kind": "sprt", "metric": "reports", "baseline": 0.0035, "wait": "40d"}"#, "wait: 40d is not a duration in 0s...31d"),
    (#"{"kind": "cusum", "metric": "reports"}"#, "baseline: a cusum gate on reports needs a fixed baseline"),
    (#"{"kind": "anytime-valid", "metric": "reports"}"#, "metric: an anytime-valid gate compares with the control"),
    (#"{"kind": "guard", "metric": "reports", "compare": "difference", "threshold": 0.01}"#, "compare: reports has no control"),
    (#"{"kind": "sprt", "metric": "reportCount", "baseline": 0.01}"#, "metric: a sprt gate tests a rate"),
  ])
  func misusesAreRefused(_ example: (String, String)) throws {
    let (json, expected) = example
    let definition = try decodeGate(json)
    do {
      _ = try definition.makeGate(subject: standardSubject())
      Issue.record("accepted: \(json)")
    } catch {
      #expect("\(error.path): \(error.message)".hasPrefix(expected), "\(error.path): \(error.message)")
    }
  }

  @Test func thresholdsAndGuardsReadReportsAlone() throws {
    _ = try decodeGate(#"{"kind": "guard", "metric": "reports", "threshold": 0.01, "minSample": 500}"#).makeGate(subject: standardSubject())
    _ = try decodeGate(#"{"kind": "threshold", "metric": "reportCount", "failure": "> 40"}"#).makeGate(subject: standardSubject())
    _ = try decodeGate(#"{"kind": "cusum", "metric": "reports", "baseline": 0.0035}"#).makeGate(subject: standardSubject())
  }
}

private func decodeGate(_ json: String) throws -> GateDefinition {
  try JSONDecoder().decode(GateDefinition.self, from: Data(json.utf8))
}
