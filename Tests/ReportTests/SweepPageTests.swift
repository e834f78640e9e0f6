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

  /// A sweep's page splits the benefit with the paired savings' intervals, and plots failed device-hours by
  /// when the faults arrived: a line per policy through the bins' means, a mark where a staged policy
  /// reached everyone; without varied arrivals it says why there is no chart.
  @Test func benefitSplitAndArrivals() throws {
    var model = Self.handModel()
    let plain = Report.html(model)
    #expect(plain.contains("<section id=\"arrivals\">") && plain.contains("<p class=\"no-arrivals\">"))
    #expect(!plain.contains("id=\"benefit\""))
    model.policies = ["big-bang", "big-bang-guarded", "guarded"]
    model.benefitSplit = ReportModel.BenefitSplit(
      bigBangHours: 1_000,
      steps: [
        .init(title: "Humans to automation", from: "big-bang", to: "big-bang-guarded", fromHours: 1_000, toHours: 400, saved: 600, savedLow: 500, savedHigh: 700),
        .init(title: "Automation to staging", from: "big-bang-guarded", to: "guarded", fromHours: 400, toHours: 100, saved: 300, savedLow: -20, savedHigh: 620),
      ], seeds: 4)
    model.arrivals = ReportModel.ArrivalHarm(
      bins: [.init(lower: 0, upper: 86_400, seeds: 2), .init(lower: 86_400, upper: 172_800, seeds: 0), .init(lower: 172_800, upper: 259_200, seeds: 2)],
      means: [[1_000, .nan, 1_000], [300, .nan, 500], [1, .nan, 200]], reachedEveryone: [nil, nil, 100_000])
    let html = Report.html(model)
    let means = try #require(html.components(separatedBy: "<section id=\"means\">").dropFirst().first?.components(separatedBy: "</section>").first)
    #expect(means.contains("<td class=\"num\">1,000 → 400</td><td class=\"num\">600 (500 to 700)</td><td class=\"num\">60%</td>"))
    #expect(means.contains("<td class=\"num\">400 → 100</td><td class=\"num\">300 (-20.0 to 620)</td><td class=\"num\">30%</td>"))
    #expect(means.contains("mean over 4 seeds"))
    let arrivals = try #require(html.components(separatedBy: "<section id=\"arrivals\">").dropFirst().first?.components(separatedBy: "</section>").first)
    #expect(arrivals.contains("<svg class=\"chart line-chart\""))
    // A line (with a dot per bin) for each policy, broken where a bin has no seed; one mark for the staged policy.
    #expect(arrivals.components(separatedBy: "<g class=\"series\"").count - 1 == 3)
    #expect(arrivals.components(separatedBy: "<circle").count - 1 == 6)
    #expect(arrivals.contains("guarded reached everyone at 27h47m (median over the seeds)"))
    #expect(arrivals.contains("fault arrival, time since start (hours)"))
    #expect(arrivals.contains("Seeds per bin: 0s–24h: 2, 24h–2d: 0, 2d–3d: 2."))
  }
}
