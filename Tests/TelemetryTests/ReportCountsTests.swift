import Simulation
import Testing

@testable import Telemetry

/// Installs and user reports travel with the other counts: they add when windows merge, and survive the
/// bytes processes exchange.
@Suite struct ReportCountsTests {
  @Test func installsAndReportsMergeAndSurviveTheExchange() throws {
    let key = TelemetryKey(cohort: 1, region: 2, arm: .treatment)
    var window = TelemetryWindow(index: 3, start: .hours(3), duration: .hours(1))
    window[key] = TelemetryWindow.Cell(counts: OutcomeCounts(sessions: 50, errors: 1, installs: 40, reports: 2))
    var late = TelemetryWindow(index: 1, start: .hours(1), duration: .hours(1))
    late[key] = TelemetryWindow.Cell(counts: OutcomeCounts(reports: 5))
    let read = TelemetryRead(window, late: [late])
    let back = try #require(TelemetryRead(bytes: read.bytes()))
    #expect(back.window[key].counts == window[key].counts)
    #expect(back.late.first?[key].counts.reports == 5)
    var merged = read
    merged.merge(back)
    #expect(merged.window[key].counts.installs == 80 && merged.window[key].counts.reports == 4)
    #expect(merged.late.first?[key].counts.reports == 10)
    #expect(OutcomeCounts(installs: 400, reports: 6).reportRate == 0.015)
  }
}
