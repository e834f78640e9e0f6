import Testing

@testable import Report
import Scenario

// The HTML report: escaping, determinism, structure, edge cases and number formatting. These tests read
// the page as text; scripts/check-report.sh renders it in a real browser.

private typealias M = ReportModel

private func window(_ hours: Double, exposure: Double, failed: Int = 0, down: Int = 0, milestone: String = "") -> M.WindowSample {
  M.WindowSample(
    time: hours * 3600, exposure: exposure, devicesFailed: failed, devicesDown: down, treatmentErrorRate: 0.004,
    controlErrorRate: 0.002, treatmentCrashRate: 0.001, milestone: milestone)
}

private func policy(
  _ name: String, failed: Int, hours: Double = 0, detect: Double? = nil, windows: [M.WindowSample]? = nil,
  decisions: [M.DecisionMark] = []
) -> M.PolicyResult {
  M.PolicyResult(
    name: name, kind: "kind-\(name)", finalState: .completed, devicesExposed: 1_000, devicesFailed: failed,
    failedDeviceHours: hours, devicesNeedingManualRecovery: failed / 10, timeToDetectSeconds: detect,
    timeToMitigateSeconds: detect.map { $0 * 2 },
    windows: windows ?? (0...24).map { window(Double($0), exposure: min(1, Double($0) / 12), failed: failed * $0 / 24, down: failed / 3) },
    decisions: decisions)
}

/// Three policies over 24 hours; the guarded one is best on every ranked row.
private func sampleModel(devices: Int = 10_000) -> ReportModel {
  ReportModel(
    scenario: M.ScenarioSummary(
      name: "sample", description: "A sample.", seed: 7, devices: devices, simulatedSeconds: 24 * 3600,
      startTime: "2024-07-19T04:09:00Z", sources: ["https://example.org/postmortem", "A book, p. 12"], windowSeconds: 3600),
    fleetMakeUp: [
      M.CountTable(title: "Platforms", counts: [("android", 6_000), ("ios", 4_000)]),
      M.CountTable(title: "Regions", counts: [("eu", 5_000), ("us", 5_000)]),
    ],
    policies: [
      policy("big-bang", failed: 900, hours: 5_000, decisions: [M.DecisionMark(time: 0, action: "advance", reason: "all", milestone: "100%")]),
      policy("ramp", failed: 300, hours: 1_200, decisions: [M.DecisionMark(time: 0, action: "advance", milestone: "10%")]),
      policy(
        "guarded", failed: 20, hours: 10, detect: 1_800,
        decisions: [
          M.DecisionMark(time: 0, action: "advance", reason: "start", milestone: "1%"),
          M.DecisionMark(time: 3600, action: "hold", reason: "ok", milestone: "1%"),
          M.DecisionMark(time: 7200, action: "hold", reason: "still ok", milestone: "1%"),
          M.DecisionMark(time: 9000, action: "rollBack", reason: "error rate 2% > 0.5%", milestone: "1%"),
        ]),
    ])
}

private func count(_ needle: String, in text: String) -> Int {
  text.components(separatedBy: needle).count - 1
}

/// The `<tr>` of the outcome table whose header starts with `label`.
private func row(_ label: String, in html: String) -> String? {
  html.components(separatedBy: "<tr>").first { $0.hasPrefix("<th scope=\"row\">\(label)") }
}

/// Same scenario and seed, same page.
@Test func theSameRunGivesTheSamePage() throws {
  let a = try ScenarioRunner.run(loadScenario(smallScenario))
  let b = try ScenarioRunner.run(loadScenario(smallScenario))
  #expect(Report.html(a) == Report.html(b))
}

@Suite("Report: escaping")
struct ReportEscapingTests {
  @Test func hostileTextCannotInject() {
    var model = sampleModel()
    model.scenario.name = "<script>alert('name')</script>"
    model.scenario.description = "</p><img src=x onerror=alert(1)>"
    model.scenario.sources = ["javascript:alert(1)", "https://example.org/a\"onmouseover=\"alert(1)", "see <https://example.org/x?a=1&b=2>."]
    model.policies[0].name = "<script>alert(1)</script>"
    model.policies[0].decisions = [M.DecisionMark(time: 60, action: "<b>kill</b>", reason: "x < y & \"z\" 'w'", milestone: "<m>")]
    model.fleetMakeUp = [M.CountTable(title: "<t>", counts: [("<label>", 1)])]
    model.extraCharts = [M.ExtraChart(title: "<x>", yLabel: "<y>", series: [M.ChartSeries(name: "<s>", points: [M.ChartPoint(x: 0, y: 1)])])]
    let html = Report.html(model)
    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>"))
    #expect(!html.contains("<m>"))
    #expect(!html.contains("<label>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("x &lt; y &amp; &quot;z&quot; &#39;w&#39;"))
    #expect(!html.contains("href=\"javascript"))
    #expect(!html.contains("\"onmouseover"))
    #expect(html.contains("<a href=\"https://example.org/x?a=1&amp;b=2\""))
  }

  @Test func escapeCoversMarkupAndDropsControls() {
    #expect(HTMLText.escape("a<b>&\"c'\u{0}\u{7}d") == "a&lt;b&gt;&amp;&quot;c&#39;d")
    #expect(HTMLText.escape("é ✓ 日本") == "é ✓ 日本")
  }

  @Test func onlyWebAddressesBecomeLinks() {
    #expect(HTMLText.linkified("Post-mortem, https://example.org/a_(b). More") == "Post-mortem, <a href=\"https://example.org/a_(b)\" rel=\"noreferrer noopener\">https://example.org/a_(b)</a>. More")
    #expect(HTMLText.linkified("ftp://x javascript:alert(1) data:text/html,x") == "ftp://x javascript:alert(1) data:text/html,x")
    #expect(HTMLText.linkified("nohttps://x") == "nohttps://x")
  }
}

@Suite("Report: determinism")
struct ReportDeterminismTests {
  @Test func sameModelSameBytes() {
    let first = Report.html(sampleModel())
    let second = Report.html(sampleModel())
    #expect(first == second)
    #expect(!first.isEmpty)
  }

  @Test func noTimestampsOrRandomIDs() {
    let html = Report.html(sampleModel())
    // Every id is derived from a position in the model.
    let ids = html.components(separatedBy: " id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
    #expect(!ids.isEmpty)
    for id in ids {
      #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }, "unexpected id \(id)")
    }
    #expect(Set(ids).count == ids.count, "ids are unique")
  }
}

@Suite("Report: structure")
struct ReportStructureTests {
  @Test func oneChartPerExpectedChart() {
    var model = sampleModel()
    model.extraCharts = [M.ExtraChart(title: "rps", yLabel: "requests per second", series: [])]
    let html = Report.html(model)
    // Three overview charts, three per policy, one per extra chart; one bar chart per fleet table.
    #expect(count("<svg class=\"chart line-chart\"", in: html) == 3 + 3 * model.policies.count + 1)
    #expect(count("<svg class=\"chart bar-chart\"", in: html) == model.fleetMakeUp.count)
    #expect(count("<svg", in: html) == count("</svg>", in: html))
    for id in ["overview-exposure", "overview-failures", "overview-down", "p1-exposure", "p2-failures", "p3-rates", "extra-1", "fleet-2"] {
      #expect(html.contains("aria-labelledby=\"\(id)-title \(id)-desc\""), "chart \(id)")
      #expect(html.contains("<title id=\"\(id)-title\">"), "title of \(id)")
      #expect(html.contains("<desc id=\"\(id)-desc\">"), "desc of \(id)")
    }
  }

  @Test func selfContained() {
    let html = Report.html(sampleModel())
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("<link rel=\"stylesheet\""))
    #expect(!html.contains("src=\""))
    #expect(!html.contains("@import"))
    #expect(!html.contains("url("))
  }

  @Test func outcomeTableHasOneColumnPerPolicy() throws {
    let html = Report.html(sampleModel())
    let table = try #require(html.components(separatedBy: "<table class=\"outcomes\">").dropFirst().first?.components(separatedBy: "</table>").first)
    let head = try #require(table.components(separatedBy: "</thead>").first)
    #expect(count("<th scope=\"col\">", in: head) == 1 + 3)
    for name in ["big-bang", "ramp", "guarded"] { #expect(head.contains(name)) }
    for label in ["Devices failed", "Failed device-hours", "Time to detect", "Decisions"] {
      let cells = try #require(row(label, in: table))
      #expect(count("<td", in: cells) == 3, "\(label) has one cell per policy")
    }
  }

  @Test func bestValueIsMarked() throws {
    let html = Report.html(sampleModel())
    let failed = try #require(row("Devices failed", in: html))
    let cells = failed.components(separatedBy: "<td").dropFirst()
    #expect(cells.map { $0.contains("best-tag") } == [false, false, true])
    #expect(cells.last?.contains("class=\"num best\"") == true)
    // Time to detect: the guarded policy reacted, the others never did.
    let detect = try #require(row("Time to detect", in: html))
    #expect(detect.components(separatedBy: "<td").dropFirst().map { $0.contains("best-tag") } == [false, false, true])
    #expect(detect.contains(">never<"))
    #expect(detect.contains(">30m<"))
    // Rows that are not ranked carry no mark.
    #expect(try #require(row("Devices exposed", in: html)).contains("best") == false)
  }

  /// Where the release took devices down, the table says when the last was back and how many boot
  /// fetches the servers turned away; where it took none down, neither row is there.
  @Test func recoveryIsShownWhereDevicesWentDown() throws {
    var model = sampleModel()
    #expect(row("Time to recover", in: Report.html(model)) == nil)
    #expect(row("Boot fetches turned away", in: Report.html(model)) == nil)
    model.policies[0].devicesTakenDown = 800
    model.policies[0].timeToRecoverSeconds = 9_600
    model.policies[0].bootFetches = 400_000
    model.policies[0].bootFetchesShed = 300_000
    model.policies[1].devicesTakenDown = 800
    model.policies[1].timeToRecoverSeconds = 4_800
    model.policies[1].bootFetches = 100_000
    model.policies[1].bootFetchesShed = 25_000
    model.policies[2].devicesTakenDown = 10
    let html = Report.html(model)
    let recover = try #require(row("Time to recover", in: html))
    #expect(recover.contains(">2h40m<") && recover.contains(">1h20m<") && recover.contains(">not by the end<"))
    #expect(recover.components(separatedBy: "<td").dropFirst().map { $0.contains("best-tag") } == [false, true, false])
    let shed = try #require(row("Boot fetches turned away", in: html))
    #expect(shed.contains("300,000 of 400,000 (75%)") && shed.contains("25,000 of 100,000 (25%)"))
    #expect(!shed.contains("best"))
  }

  @Test func tiesAcrossTheBoardAreNotMarked() {
    let rows = Report.outcomeRows(
      ReportModel(
        scenario: sampleModel().scenario,
        policies: [policy("a", failed: 0), policy("b", failed: 0), policy("c", failed: 5)]))
    let failed = rows.first { $0.label == "Devices failed" }
    #expect(failed?.best == [0, 1])
    let tied = Report.outcomeRows(ReportModel(scenario: sampleModel().scenario, policies: [policy("a", failed: 3), policy("b", failed: 3)]))
    #expect(tied.allSatisfy { $0.best.isEmpty })
  }

  @Test func decisionsAreMarkedWithTheirReason() {
    let html = Report.html(sampleModel())
    // The rollback has a vertical line and a symbol whose tooltip gives the decision and the reason.
    #expect(html.contains("<title>rollBack at +2:30:00 (2.5 h), milestone 1% — error rate 2% &gt; 0.5%</title>"))
    #expect(html.contains("<title>guarded: rollBack at +2:30:00 (2.5 h), milestone 1% — error rate 2% &gt; 0.5%</title>"))
    // The two holds fold into one entry.
    #expect(html.contains("hold ×2"))
    #expect(html.contains("<th scope=\"col\">UTC</th>"))
    #expect(html.contains("2024-07-19 06:39:00"))
  }

  @Test func markersSitOnTheLine() {
    let windows = [window(1, exposure: 0), window(2, exposure: 0.5), window(3, exposure: 1)]
    #expect(Report.value(at: 1.5 * 3600, in: windows, \.exposure) == 0.25)
    #expect(Report.value(at: 2 * 3600, in: windows, \.exposure) == 0.5)
    #expect(Report.value(at: 0, in: windows, \.exposure) == 0)
    #expect(Report.value(at: 99 * 3600, in: windows, \.exposure) == 1)
    #expect(Report.value(at: 60, in: [], \.exposure) == nil)
  }

  @Test func everyRolloutActionHasASymbol() {
    let actions = ["advance", "hold", "pause", "resume", "rollBack", "kill", "complete", "alert", "warn", "fix", "acknowledge"]
    let routine = actions.filter { !ReportStyle.decision($0).significant }
    #expect(routine == ["hold", "warn"])
    #expect(ReportStyle.decision("rollback") == ReportStyle.DecisionStyle(name: "rollback", shape: .triangleDown, colour: "#D55E00", significant: true))
    #expect(ReportStyle.decision("roll-back").shape == .triangleDown)
    let stopping = ["pause", "rollBack", "kill", "complete", "advance", "fix"].map { ReportStyle.decision($0).shape }
    #expect(Set(stopping.map { "\($0)" }).count == stopping.count, "the decisions that change a release read apart without colour")
  }

  /// Each policy's blind phases, or "never".
  @Test func blindPhasesAreListedPerPolicy() throws {
    var model = sampleModel()
    model.policies[2].blindPhases = [M.BlindPhase(phase: "after the last milestone", from: 7_200, until: 10_800)]
    let html = Report.html(model)
    let blind = try #require(section("blind", in: html))
    #expect(blind.contains("<tr><th scope=\"row\">big-bang</th><td>never</td><td>none</td></tr>"))
    #expect(blind.contains("<tr><th scope=\"row\">guarded</th><td>1h</td><td>after the last milestone: +2:00:00 to +3:00:00</td></tr>"))
  }

  /// With big-bang and big-bang-guarded, the outcome section splits the benefit: humans to automation, then
  /// automation to the best staged policy (the staged one with the fewest failed device-hours), each with
  /// its share of big-bang's harm, so the steps add up to the whole.
  @Test func benefitIsSplitBetweenAutomationAndStaging() throws {
    var model = sampleModel()
    model.policies[1].staged = true
    model.policies[2].staged = true
    #expect(!Report.html(model).contains("id=\"benefit\""), "without big-bang-guarded there is nothing to split")
    model.policies.append(policy("big-bang-guarded", failed: 400, hours: 2_000))
    let html = Report.html(model)
    let outcomes = try #require(section("outcomes", in: html))
    let benefit = try #require(outcomes.components(separatedBy: "<div class=\"benefit\" id=\"benefit\">").dropFirst().first)
    #expect(benefit.contains(
      "<tr><th scope=\"row\">Humans to automation</th><td>big-bang → big-bang-guarded</td><td class=\"num\">5,000 → 2,000</td><td class=\"num\">3,000</td><td class=\"num\">60%</td></tr>"))
    #expect(benefit.contains(
      "<tr><th scope=\"row\">Automation to staging</th><td>big-bang-guarded → guarded</td><td class=\"num\">2,000 → 10.0</td><td class=\"num\">1,990</td><td class=\"num\">39.8%</td></tr>"))
    #expect(benefit.contains("<td>big-bang → guarded</td><td class=\"num\">5,000 → 10.0</td><td class=\"num\">4,990</td><td class=\"num\">99.8%</td>"))
    // Without a staged policy only the first step is there, and the page says why.
    model.policies[1].staged = false
    model.policies[2].staged = false
    let alone = try #require(section("outcomes", in: Report.html(model)))
    #expect(alone.contains("Humans to automation") && !alone.contains("Automation to staging"))
    #expect(alone.contains("The scenario has no staged policy"))
    // A step that added harm shows as a negative saving.
    model.policies[3].failedDeviceHours = 6_000
    #expect(try #require(section("outcomes", in: Report.html(model))).contains("<td class=\"num\">-1,000</td><td class=\"num\">-20%</td>"))
  }

  @Test func sourcesAreLinks() {
    let html = Report.html(sampleModel())
    #expect(html.contains("<li><a href=\"https://example.org/postmortem\" rel=\"noreferrer noopener\">https://example.org/postmortem</a></li>"))
    #expect(html.contains("<li>A book, p. 12</li>"))
  }

  @Test func sixPoliciesGetDistinctLooks() {
    var model = sampleModel()
    model.policies = (1...6).map { policy("p\($0)", failed: $0) }
    let looks = (0..<6).map { Report.policyLook($0) }
    #expect(Set(looks.map(\.colour)).count == 6)
    #expect(Set(looks.map(\.dash)).count == 6)
    let html = Report.html(model)
    #expect(count("<svg class=\"chart line-chart\"", in: html) == 3 + 18)
  }
}

@Suite("Report: edge cases")
struct ReportEdgeCaseTests {
  @Test func emptySeriesAndNoDecisions() {
    var model = sampleModel()
    model.policies = [policy("empty", failed: 0, windows: [])]
    let html = Report.html(model)
    #expect(html.contains(">no data</text>"))
    #expect(html.contains("This policy took no decisions."))
    #expect(!html.contains("<path d=\"\""))
    #expect(!html.contains("nan"))
    #expect(!html.contains("inf"))
  }

  @Test func singlePointIsDrawnAsADot() {
    var model = sampleModel()
    model.policies = [policy("one", failed: 1, windows: [window(1, exposure: 0.5, failed: 1, down: 1)])]
    let html = Report.html(model)
    #expect(html.contains("<circle cx="))
    #expect(!html.contains(">no data</text>"))
  }

  @Test func allZeros() throws {
    var model = sampleModel()
    model.policies = [
      policy("a", failed: 0, windows: (0...4).map { window(Double($0), exposure: 0) }),
      policy("b", failed: 0, windows: (0...4).map { window(Double($0), exposure: 0) }),
    ]
    let html = Report.html(model)
    #expect(!html.contains("best-tag\">best"))
    #expect(try #require(row("Time to detect", in: html)).contains("— (no failure)"))
    let axis = ChartAxis.values(title: "devices", dataMin: 0, dataMax: 0, style: .count, integerSteps: true)
    #expect(axis.lower == 0 && axis.upper == 1)
    #expect(axis.labels == ["0", "1"])
  }

  @Test func noPoliciesNoFleet() {
    let html = Report.html(ReportModel(scenario: M.ScenarioSummary(name: "n", seed: 0, devices: 0, simulatedSeconds: 0, windowSeconds: 0)))
    #expect(html.contains("No policies were run."))
    #expect(html.contains("The make-up of the fleet was not recorded."))
    #expect(html.contains("The scenario names no sources."))
    #expect(html.hasSuffix("</html>\n"))
  }

  @Test func tenMillionDevices() throws {
    var model = sampleModel(devices: 10_000_000)
    model.policies[0].devicesFailed = 8_500_000
    model.policies[0].failedDeviceHours = 123_456_789.5
    model.fleetMakeUp = [M.CountTable(title: "Platforms", counts: [("windows", 10_000_000)])]
    model.policies[0].windows = (0...24).map { window(Double($0), exposure: 1, failed: 8_500_000 * $0 / 24) }
    let html = Report.html(model)
    #expect(html.contains("<dd>10,000,000</dd>"))
    #expect(html.contains("8,500,000 (85%)"))
    #expect(html.contains("123,456,790"))
    #expect(html.contains("10,000,000 (100%)"))
    #expect(html.contains(">10M</text>"))
  }

  @Test func longSeriesAreThinned() throws {
    let minutes = (0...10_080).map { M.WindowSample(time: Double($0) * 60, exposure: Double($0 % 97) / 97) }
    var model = sampleModel()
    model.scenario.simulatedSeconds = 7 * 86_400
    model.policies = [policy("long", failed: 0, windows: minutes)]
    let html = Report.html(model)
    let exposure = try #require(html.components(separatedBy: "id=\"p1-exposure-title\"").last?.components(separatedBy: "</svg>").first)
    let points = count("L", in: exposure)
    #expect(points > 100)
    #expect(points < 4 * 600)
  }

  @Test func nonFiniteValuesBreakLinesInsteadOfLeaking() {
    var model = sampleModel()
    model.policies[0].windows = [window(0, exposure: 0), window(1, exposure: .nan), window(2, exposure: 0.5), window(3, exposure: 0.6)]
    model.policies[0].failedDeviceHours = .infinity
    let html = Report.html(model)
    #expect(!html.contains("nan"))
    #expect(!html.contains("inf"))
  }
}

@Suite("Report: numbers and axes")
struct ReportFormattingTests {
  @Test func numbers() {
    typealias F = ReportNumberFormat
    #expect(F.grouped(10_000_000) == "10,000,000")
    #expect(F.grouped(-1_234) == "-1,234")
    #expect(F.grouped(999) == "999")
    #expect(F.fixed(2.5, decimals: 2) == "2.50")
    #expect(F.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(F.fixed(0.125, decimals: 2) == "0.13")
    #expect(F.trimmed(0.30000000000000004, maxDecimals: 3) == "0.3")
    #expect(F.grouped(1_234.56, decimals: 1) == "1,234.6")
    #expect(F.compact(2_500_000) == "2.5M")
    #expect(F.compact(500_000) == "500k")
    #expect(F.compact(1_250_000_000) == "1.25B")
    #expect(F.compact(950) == "950")
    #expect(F.percent(0.125) == "12.5%")
    #expect(F.share(1, of: 10_000_000) == "<0.1%")
    #expect(F.share(0, of: 10) == "0%")
    // Durations and times read as the audit's reasons write them.
    #expect(F.duration(45) == "45s")
    #expect(F.duration(720) == "12m")
    #expect(F.duration(2_447) == "40m47s")
    #expect(F.duration(3_900) == "1h05m")
    #expect(F.duration(4 * 86_400 + 3 * 3600) == "4d3h")
    #expect(F.duration(.nan) == "–")
    #expect(F.clock(sinceStart: 9_000) == "+2:30:00")
    #expect(F.clock(sinceStart: 11_574.532955) == "+3:12:55")
    #expect(F.bytesPerSecond(337_379) == "337 kB/s")
    #expect(F.bytesPerSecond(3_548_145) == "3.55 MB/s")
    #expect(F.bytesPerSecond(85_134_576) == "85.1 MB/s")
    #expect(F.bytesPerSecond(2_400_000_000) == "2.40 GB/s")
    #expect(F.bytesPerSecond(512) == "512 B/s")
    #expect(F.coordinate(12.345) == "12.3")
    #expect(F.fixed(1e20, decimals: 1) == "100000000000000000000.0")
  }

  @Test func valueTicksAreRoundNumbers() {
    for (maximum, integer) in [(8_500_000.0, true), (1_350, true), (3, true), (0.0153, false), (123.4, false), (7, false)] {
      let axis = ChartAxis.values(title: "y", dataMin: 0, dataMax: maximum, style: .number, integerSteps: integer)
      #expect(axis.ticks.first == 0)
      #expect(axis.upper >= maximum)
      #expect(axis.ticks.count >= 2 && axis.ticks.count <= 7, "\(maximum): \(axis.ticks)")
      let step = axis.ticks[1] - axis.ticks[0]
      var mantissa = step
      while mantissa >= 10 { mantissa /= 10 }
      while mantissa < 1 { mantissa *= 10 }
      #expect([1.0, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-6 }, "step \(step) is 1, 2, 2.5 or 5 times a power of ten")
      for tick in axis.ticks {
        let multiple = tick / step
        #expect(abs(multiple - multiple.rounded()) < 1e-6, "\(tick) is a multiple of \(step)")
      }
      if integer { #expect(axis.ticks.allSatisfy { $0 == $0.rounded() }) }
    }
    let devices = ChartAxis.values(title: "devices", dataMin: 0, dataMax: 8_500_000, style: .count, integerSteps: true)
    #expect(devices.labels == ["0", "2M", "4M", "6M", "8M", "10M"])
    let rates = ChartAxis.values(title: "rate", dataMin: 0, dataMax: 0.0153, style: .percent)
    #expect(rates.labels == ["0%", "0.5%", "1%", "1.5%", "2%"])
    let exposure = ChartAxis.values(title: "exposure", dataMin: 0, dataMax: 1, style: .percent, fixedUpper: 1, maxIntervals: 4)
    #expect(exposure.labels == ["0%", "25%", "50%", "75%", "100%"])
  }

  @Test func timeAxisIsInHours() {
    let day = ChartAxis.time(fromSeconds: 0, toSeconds: 72 * 3600)
    #expect(day.title == "time since start (hours)")
    #expect(day.labels == ["0", "12", "24", "36", "48", "60", "72"])
    #expect(day.ticks.allSatisfy { $0.truncatingRemainder(dividingBy: 3600) == 0 })
    let short = ChartAxis.time(fromSeconds: 0, toSeconds: 5 * 3600)
    #expect(short.labels == ["0", "1", "2", "3", "4", "5"])
    let odd = ChartAxis.time(fromSeconds: 0, toSeconds: 2.5 * 3600)
    #expect(odd.labels == ["0", "0.5", "1", "1.5", "2", "2.5"])
    let week = ChartAxis.time(fromSeconds: 0, toSeconds: 7 * 86_400)
    #expect(week.labels == ["0", "24", "48", "72", "96", "120", "144", "168"])
    let minutes = ChartAxis.time(fromSeconds: 0, toSeconds: 40 * 60)
    #expect(minutes.title == "time since start (minutes)")
    #expect(minutes.labels == ["0", "5", "10", "15", "20", "25", "30", "35", "40"])
    // The page uses the hours axis on every chart over time.
    let html = Report.html(sampleModel())
    #expect(count("time since start (hours)", in: html) == 3 + 3 * 3)
  }
}

/// A capacity plan's model, as `rollsim capacity` makes one: charts, tables, a fleet, no policies.
private func capacityModel() -> ReportModel {
  ReportModel(
    scenario: M.ScenarioSummary(
      name: "plan", description: "A plan.", seed: 7, devices: 10_000_000, simulatedSeconds: 8 * 3600,
      startTime: "2026-03-02T12:00:00Z", sources: ["https://example.org/benchmarks"], windowSeconds: 1),
    fleetMakeUp: [M.CountTable(title: "Clients", counts: [("polling the API", 6_000_000), ("streaming", 4_000_000)])],
    extraCharts: [
      M.ExtraChart(
        title: "Requests per second", yLabel: "requests per second",
        series: [M.ChartSeries(name: "API", points: (0...8).map { M.ChartPoint(x: Double($0) * 3600, y: 57_000) })],
        references: [M.ReferenceLine(label: "76 edge cores", y: 90_000)])
    ],
    capacityPlan: M.CapacityPlan(
      binSeconds: 1, facts: [M.Fact("Edges", "64")],
      figures: M.Table(
        columns: ["Figure", "p50", "Peak"], numericColumns: [1, 2], rows: [["API requests/s", "57,061", "305,561"]]),
      storms: [
        M.Table(title: "Outages and restarts", columns: ["Storm", "When"], rows: [["apiOutage (API)", "+2:00:00 to +2:20:00"]]),
        M.Table(title: "State changes", columns: ["Change", "At"], rows: [["stateChange", "+6:00:00"]]),
      ],
      cores: M.Table(columns: ["Sized from", "Cores at the peak"], numericColumns: [1], rows: [["Evaluation alone", "0.0266"]])))
}

/// The inside of `<section id="ID">`, or `nil` when the page has no such section.
private func section(_ id: String, in html: String) -> String? {
  let parts = html.components(separatedBy: "<section id=\"\(id)\">")
  return parts.count == 2 ? parts[1].components(separatedBy: "</section>").first : nil
}

@Suite("Report: capacity plan")
struct ReportCapacityPlanTests {
  @Test func hasItsSectionsInOrder() throws {
    let html = Report.html(capacityModel())
    let ids = ["figures", "load", "storms", "cores", "fleet", "sources"]
    let offsets = try ids.map { id in try #require(html.range(of: "<section id=\"\(id)\">"), "section \(id)").lowerBound }
    #expect(offsets == offsets.sorted())
    #expect(try #require(section("figures", in: html)).contains("<th scope=\"row\">API requests/s</th><td class=\"num\">57,061</td>"))
    #expect(try #require(section("load", in: html)).contains("<svg class=\"chart line-chart\""))
    #expect(try #require(section("load", in: html)).contains("76 edge cores"))
    let storms = try #require(section("storms", in: html))
    #expect(storms.contains("<h3>Outages and restarts</h3>") && storms.contains("<h3>State changes</h3>"))
    #expect(try #require(section("cores", in: html)).contains("<td class=\"num\">0.0266</td>"))
    #expect(try #require(section("fleet", in: html)).contains("<svg class=\"chart bar-chart\""))
  }

  /// Nothing of a policy run: its sections, its placeholders, its header facts.
  @Test func showsNoPolicySections() {
    var model = capacityModel()
    // Policies in a plan's model are not shown either: the page is the plan's.
    model.policies = sampleModel().policies
    let html = Report.html(model)
    for id in ["outcomes", "over-time", "policies", "more-charts"] {
      #expect(!html.contains("id=\"\(id)\""), "section \(id)")
      #expect(!html.contains("href=\"#\(id)\""), "link to \(id)")
    }
    for text in ["No policies were run", "Policies compared", "Telemetry window", "Simulated time", "table class=\"outcomes\"", "class=\"policy\"", "big-bang"] {
      #expect(!html.contains(text), "\(text)")
    }
  }

  @Test func headerSaysItIsACapacityPlan() {
    let html = Report.html(capacityModel())
    #expect(html.contains("<meta name=\"rollsim-report\" content=\"capacity-plan\">"))
    #expect(html.contains("<title>plan — rollsim capacity plan</title>"))
    #expect(html.contains("<h1>plan: capacity plan</h1>"))
    for (term, value) in [
      ("Devices", "10,000,000"), ("Planned duration", "8h"), ("Starts at", "2026-03-02 12:00:00 UTC"), ("Bin size", "1s"),
      ("Seed", "7"), ("Edges", "64"),
    ] {
      #expect(html.contains("<div><dt>\(term)</dt><dd>\(value)</dd></div>"), "\(term)")
    }
    #expect(html.contains("Written by rollsim capacity"))
  }

  /// scripts/check-report.sh tells the pages apart by the tag: a run's page must not carry one.
  @Test func aRunsPageHasNoKindTag() {
    #expect(!Report.html(sampleModel()).contains("rollsim-report"))
  }

  @Test func emptyPlanSaysSo() {
    var model = capacityModel()
    model.extraCharts = []
    model.fleetMakeUp = []
    model.capacityPlan?.storms = []
    model.capacityPlan?.figures = M.Table(columns: [], rows: [])
    let html = Report.html(model)
    #expect(html.contains("<p>The plan has no charts.</p>"))
    #expect(html.contains("<p>The scenario has no storms.</p>"))
    #expect(html.contains("The make-up of the fleet was not recorded."))
    #expect(!html.contains("<svg class=\"chart"))
    #expect(html.hasSuffix("</html>\n"))
  }

  /// Short rows are padded to the columns, every cell is escaped, and ids stay unique.
  @Test func tablesAreWellFormed() {
    var model = capacityModel()
    model.capacityPlan?.cores = M.Table(
      caption: "a < b", columns: ["<c>", "x", "y"], numericColumns: [2], rows: [["<r>"], ["s", "1", "2", "extra"], []])
    let html = Report.html(model)
    let cores = section("cores", in: html) ?? ""
    #expect(cores.contains("<tr><th scope=\"row\">&lt;r&gt;</th><td></td><td class=\"num\"></td></tr>"))
    #expect(cores.contains("<td class=\"num\">2</td><td>extra</td></tr>"))
    #expect(cores.contains("<caption>a &lt; b</caption>") && cores.contains("<th scope=\"col\">&lt;c&gt;</th>"))
    #expect(!cores.contains("<r>") && !cores.contains("<c>"))
    let ids = html.components(separatedBy: " id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
    #expect(Set(ids).count == ids.count, "ids are unique")
    #expect(Report.html(model) == html)
  }
}

/// The chart inside `<svg ... aria-labelledby="ID-title ...">`, up to its `</svg>`.
private func chart(_ id: String, in html: String) -> String? {
  let parts = html.components(separatedBy: "aria-labelledby=\"\(id)-title")
  return parts.count == 2 ? parts[1].components(separatedBy: "</svg>").first : nil
}

/// The (x, y) points of every `d="..."` path in `svg` (the report's own syntax: `M x y L x y ...`).
private func pathPoints(_ svg: String) -> [(x: Double, y: Double)] {
  svg.components(separatedBy: " d=\"").dropFirst().flatMap { rest -> [(x: Double, y: Double)] in
    let d = rest.prefix { $0 != "\"" }
    let numbers = d.split { "MLZ ".contains($0) }.compactMap { Double($0) }
    return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
  }
}

/// A release stopped in its first two hours of a 24-hour run: a kill at 2 h, failures that stop with it,
/// exposure that then falls off slowly.
private func earlyStopModel() -> ReportModel {
  var model = sampleModel()
  model.scenario.windowSeconds = 300
  let windows = (1...288).map { i -> M.WindowSample in
    let hours = Double(i) / 12
    let exposure = hours <= 1 ? 0.16 * hours : 0.16 * (hours <= 2 ? 1 : 1 / (hours - 1))
    return M.WindowSample(
      time: hours * 3600, exposure: exposure, devicesFailed: Int(min(hours, 2) * 200), devicesDown: 0, treatmentErrorRate: 0.01,
      controlErrorRate: 0.005, treatmentCrashRate: 0.002)
  }
  let guarded = windows.map { w in
    var w = w
    w.exposure = min(w.exposure, 0.002) * (w.time <= 3600 ? 1 : 0.5)
    w.devicesFailed = w.time < 3600 ? 0 : 4
    return w
  }
  model.policies = [
    policy("big-bang", failed: 400, windows: windows, decisions: [
      M.DecisionMark(time: 0, action: "advance", reason: "start", milestone: "100%"),
      M.DecisionMark(time: 1000, action: "alert", reason: "crash rate 0.90% > 0.40%", milestone: "100%"),
      M.DecisionMark(time: 7200, action: "kill", reason: "on-call, paged at +0:16:40", milestone: ""),
    ]),
    policy("guarded", failed: 4, windows: guarded, decisions: [
      M.DecisionMark(time: 0, action: "advance", reason: "start", milestone: "internal"),
      M.DecisionMark(time: 4000, action: "rollBack", reason: "e-value 36.3 >= 20", milestone: "base"),
    ]),
  ]
  return model
}

@Suite("Report: charts that show what happened")
struct ReportWhatHappenedTests {
  /// Activity in the first 2 of 24 hours: the charts span a little more than that, and say what the rest holds.
  @Test func chartsFocusOnTheActivePart() throws {
    let html = Report.html(earlyStopModel())
    let overview = try #require(section("over-time", in: html))
    #expect(overview.contains("<p class=\"focus-note\">Everything these policies did happened in the first 2h of this 24h run, so these charts show the time up to +2:30:00."))
    #expect(overview.contains("no decisions; devices failed and down do not change; exposure goes from "))
    let exposure = try #require(chart("overview-exposure", in: html))
    #expect(exposure.contains(">2.5</text>") && !exposure.contains(">24</text>"))
    // Nothing is drawn past the axis' end (x = 582 in the chart's units).
    #expect(pathPoints(exposure).allSatisfy { $0.x <= 582 })
    // Each policy is focused on its own activity: the guarded one rolled back at 1h07m.
    let guarded = try #require(html.components(separatedBy: "id=\"policy-2\"").last)
    #expect(guarded.contains("Everything this policy did happened in the first 1h07m of this 24h run"))
    // A run whose failures go on to its end is shown whole.
    #expect(!Report.html(sampleModel()).contains("<p class=\"focus-note\">"))
  }

  @Test func focusNeedsAShortActivePart() {
    let model = earlyStopModel()
    let focus = Report.focus(model.policies, runEnd: 24 * 3600, windowSeconds: 300)
    #expect(focus == Report.Focus(activeUntil: 7200, end: 9000, runEnd: 24 * 3600))
    #expect(Report.focus(model.policies, runEnd: 4 * 3600, windowSeconds: 300) == nil)
    #expect(Report.focus(sampleModel().policies, runEnd: 24 * 3600, windowSeconds: 3600) == nil)
  }

  /// A chart with nothing on it says so instead of drawing flat lines at zero.
  @Test func anEmptyChartSaysSo() throws {
    let html = Report.html(earlyStopModel())
    let down = try #require(chart("overview-down", in: html))
    #expect(html.contains("<svg class=\"chart line-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 250\" data-empty=\"true\" role=\"img\" aria-labelledby=\"overview-down-title"))
    #expect(down.contains(">no device was down at any time in this run</text>"))
    #expect(!down.contains("class=\"series"))
    // The markers still say when the decisions were taken.
    #expect(down.contains("class=\"marker\""))
    // In a chart with other lines, a line that is zero throughout says so in the legend.
    #expect(html.contains("devices down (none at any time)"))
    // A chart with lines is not marked empty.
    #expect(try #require(chart("overview-failures", in: html)).contains("class=\"series\""))
  }

  /// 0.2% of the fleet is a line, not the floor of a 100% axis.
  @Test func smallExposureIsReadable() throws {
    let html = Report.html(earlyStopModel())
    // Side by side with a 16% release, on a log axis.
    let overview = try #require(chart("overview-exposure", in: html))
    #expect(overview.contains("fleet with the flag on (log scale; zero at the bottom)"))
    #expect(overview.contains(">≤0.01%</text>") && overview.contains(">100%</text>"))
    // Alone, on an axis up to its peak.
    let own = try #require(chart("p2-exposure", in: html))
    #expect(own.contains(">0.2%</text>") && !own.contains(">100%</text>"))
    #expect(html.contains("Exposure, with decisions (axis up to 0.2%; at most 0.2% of the fleet)"))
    let floor = 210.0
    let highest = try #require(pathPoints(own).map(\.y).min())
    #expect(floor - highest > 100, "the line reaches \(floor - highest) units above the floor")
    let axis = ChartAxis.logarithmic(title: "t", smallest: 0.0002, largest: 0.16, style: .percent, fixedUpper: 1)
    #expect(axis.labels == ["≤0.01%", "0.1%", "1%", "10%", "100%"])
    #expect(axis.position(0) == 0 && axis.position(1) == 1 && abs(axis.position(0.01) - 0.5) < 1e-9)
  }

  /// A herd that polls in step every 30 s for hours, at one-second bins: a band from the troughs to the
  /// peaks with the mean through it, not 28,800 points zigzagging through 524 columns.
  @Test func aFastOscillationIsABand() throws {
    var model = capacityModel()
    let points = (0..<28_800).map { M.ChartPoint(x: Double($0), y: $0 % 30 < 15 ? 10_000 : 1_000) }
    model.extraCharts = [M.ExtraChart(title: "Answers", yLabel: "answers per second", series: [M.ChartSeries(name: "304", points: points)])]
    let html = Report.html(model)
    let svg = try #require(chart("extra-1", in: html))
    #expect(svg.contains("<g class=\"series band\""))
    #expect(svg.contains("class=\"range\""))
    let drawn = pathPoints(svg)
    #expect(drawn.count < 4 * 530, "\(drawn.count) points")
    // The band spans the troughs to the peaks; the mean sits between them.
    let ys = drawn.map(\.y)
    let axis = ChartAxis.values(title: "", dataMin: 0, dataMax: 10_000, style: .number)
    let y = { (value: Double) in 210 - axis.position(value) * (210 - 22) }
    #expect(ys.contains { abs($0 - y(10_000)) < 0.11 } && ys.contains { abs($0 - y(1_000)) < 0.11 })
    let mean = try #require(svg.components(separatedBy: "fill=\"none\"").first?.components(separatedBy: "<path d=\"").last)
    let meanYs = pathPoints("<path d=\"" + mean).map(\.y)
    #expect(meanYs.allSatisfy { $0 < y(4_000) && $0 > y(7_000) }, "the mean of 1,000 and 10,000 in equal parts is 5,500")
    #expect(html.contains("the shade spans the lowest to the highest value within each 55s (one column of a chart)"))
  }

  @Test func bandwidthHasItsUnit() throws {
    var model = capacityModel()
    let points = (0...8).map { M.ChartPoint(x: Double($0) * 3600, y: $0 == 5 ? 85_134_576 : 767_584) }
    model.extraCharts = [M.ExtraChart(title: "Bandwidth", yLabel: "bandwidth", yUnit: .bytesPerSecond, series: [M.ChartSeries(name: "Edges", points: points)])]
    let svg = try #require(chart("extra-1", in: Report.html(model)))
    #expect(svg.contains(">bandwidth (MB/s)</text>"))
    #expect(svg.contains(">100</text>") && !svg.contains(">100M</text>"))
  }
}
