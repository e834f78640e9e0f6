import Foundation
import Report
import Testing

@testable import Scenario

@Suite struct SweepPageTests {
  /// A sweep's page model by hand: each kind of cell the table writes.
  static func handModel() -> ReportModel.Sweep {
    typealias Cell = ReportModel.SweepCell
    let quarter = Sweep.Proportion(successes: 1, trials: 4)
    let none = Sweep.Proportion(successes: 0, trials: 4)
    return ReportModel.Sweep(
      scenario: ReportModel.ScenarioSummary(
        name: "small", description: "A small <fleet>.", seed: 5, devices: 3000, simulatedSeconds: 21_600,
        startTime: "2026-03-02T06:00:00Z", sources: ["https://example.com/incident"], windowSeconds: 300),
      seeds: 4, shards: 2, rollsimVersion: "0.1.0", scenarioSHA256: String(repeating: "ab", count: 32),
      flagStateSHA256: String(repeating: "cd", count: 32), policies: ["big-bang", "guarded"],
      outcomes: [
        .init(
          id: "devices-failed", title: "Devices failed", hint: "lower is better", unit: .devices,
          cells: [Cell(mean: 812.25, low: 790.2, high: 834.3, count: 4, of: 4), Cell(mean: 2.25, low: -0.4, high: 4.9, count: 4, of: 4)]),
        .init(
          id: "failed-device-hours", title: "Failed device-hours", hint: "lower is better", unit: .deviceHours,
          cells: [Cell(mean: 1234.4, low: 1100.2, high: 1368.9, count: 4, of: 4), Cell(mean: 0.5, low: 0.1, high: 0.9, count: 4, of: 4)]),
        .init(
          id: "manual-recovery", title: "Devices needing manual recovery", hint: "lower is better", unit: .devices,
          cells: [Cell(mean: 0, low: 0, high: 0, count: 4, of: 4), Cell(mean: 0, low: 0, high: 0, count: 4, of: 4)]),
        .init(
          id: "time-to-detect", title: "Time to detect", hint: "lower is better", unit: .duration,
          cells: [Cell(mean: 1020, low: 720, high: 1320, count: 3, of: 4), Cell(mean: nil, count: 0, of: 4, none: "never")]),
        .init(
          id: "time-to-mitigate", title: "Time to mitigate", hint: "lower is better", unit: .duration,
          cells: [Cell(mean: 9000, low: 7200, high: 10_800, count: 4, of: 4), Cell(mean: 600, count: 1, of: 2)]),
        .init(
          id: "false-pause-rate", title: "False-pause rate", hint: "lower is better", unit: .fraction,
          cells: [
            Cell(mean: none.rate, low: none.low, high: none.high, count: 0, of: 4),
            Cell(mean: quarter.rate, low: quarter.low, high: quarter.high, count: 1, of: 4),
          ]),
      ])
  }

  /// What a person reads after a sweep: every outcome, per policy, the mean and its interval, in the unit the
  /// row needs (minutes for detection, hours for mitigation here), intervals cut at 0, and on how many seeds.
  @Test func tableContent() {
    let table = Sweep.table(Self.handModel())
    let expected = """
      small: 4 seeds (5 to 8), 3,000 devices, 6h simulated, 2 shards, rollsim 0.1.0
      scenario sha256 abababababab, flag state sha256 cdcdcdcdcdcd

                                                     big-bang                guarded
      devices failed                            812 (790–834)           2.25 (0–4.9)
      failed device-hours                 1,234 (1,100–1,369)          0.5 (0.1–0.9)
      devices needing manual recovery                 0 (0–0)                0 (0–0)
      time to detect                   17 (12–22) min, 3 of 4                  never
      time to mitigate                            2.5 (2–3) h          0.2 h, 1 of 2
      false-pause rate                     0% (0–49%), 0 of 4  25% (4.6–70%), 1 of 4

      mean (95% interval: Student's t, cut at 0); "3 of 4": the seeds a value is over (times: the seeds where a
      device failed and the policy reacted); false-pause rate: pauses, roll backs and kills of the release without
      its faults, with Wilson's interval.

      """
    #expect(table == expected)
  }

  @Test func pageDeclaresItsKindAndShowsTheSweep() {
    let model = Self.handModel()
    let page = Report.html(model)
    #expect(page == Report.html(model))
    #expect(page.contains("<meta name=\"rollsim-report\" content=\"sweep\">"))
    #expect(page.contains("<h1>small: sweep of 4 seeds</h1>"))
    #expect(page.contains("A small &lt;fleet&gt;."))
    // The table has a row per outcome and the same cells as stdout.
    #expect(page.contains("<td class=\"num\">17 (12–22) min, 3 of 4</td><td class=\"num\">never</td>"))
    // An interval chart per outcome, one row per policy; the false-pause rate has its own section.
    #expect(page.components(separatedBy: "<svg class=\"chart interval-chart\"").count - 1 == 6)
    #expect(page.components(separatedBy: "<g class=\"interval\">").count - 1 == 12)
    #expect(page.contains("<section id=\"false-pauses\">"))
    #expect(page.contains(String(repeating: "ab", count: 32)) && page.contains(String(repeating: "cd", count: 32)))
    #expect(page.contains("<dt>Shards</dt><dd>2</dd>") && page.contains("<dt>Seeds</dt><dd>4: 5 to 8</dd>"))
    #expect(!page.contains("id=\"over-time\"") && !page.contains("<script"))
    #expect(page.hasSuffix("</html>\n"))
  }
}
