import Scenario
import Foundation

extension Report {
  /// The value of the `rollsim-report` meta tag on a sweep's page.
  static let sweepKind = "sweep"

  /// A sweep's page (`rollsim sweep`): per policy, each outcome's mean and 95% interval over the seeds.
  ///
  /// Sections, in order: the outcome table (and where the benefit comes from, with policies named `big-bang`
  /// and `big-bang-guarded`), failed device-hours by when the faults arrived, an interval chart per outcome,
  /// the false pauses, what the sweep was run with (scenario, content hashes, fleet size, seeds, shards,
  /// policies, Rollsim's version), and the sources. No run's sections: a sweep keeps no timelines.
  public static func html(_ sweep: ReportModel.Sweep) -> String {
    let scenario = sweep.scenario
    var page = pageStart(title: "\(scenario.name) — rollsim sweep of \(sweep.seeds) seeds", kind: sweepKind)
    page += sweepHeader(sweep)
    let links = [
      ("means", "Outcomes"), ("arrivals", "By arrival"), ("intervals", "Each outcome"), ("false-pauses", "False pauses"),
      ("identity", "What was run"), ("sources", "Sources"),
    ]
    page += "<nav aria-label=\"Contents\"><ul>" + links.map { "<li><a href=\"#\($0.0)\">\($0.1)</a></li>" }.joined() + "</ul></nav>\n"
    page += section(
      id: "means", title: "Outcomes: mean and 95% interval over the seeds",
      body: sweepTable(sweep) + (sweep.benefitSplit.map(benefitSplit) ?? ""))
    page += section(id: "arrivals", title: "Where in its life each policy loses", body: arrivalSection(sweep))
    let falsePauses = sweep.outcomes.filter { $0.unit == .fraction }
    page += section(
      id: "intervals", title: "Each outcome, policy by policy",
      body: "<div class=\"charts\">\n" + sweep.outcomes.filter { $0.unit != .fraction }.map { sweepFigure(sweep, $0) }.joined() + "</div>\n")
    page += section(
      id: "false-pauses", title: "False pauses of a healthy release",
      body: "<p>Each seed is also run on the same release without its faults. A policy that pauses, rolls back or kills "
        + "that release raised a false alarm; the rate is over the seeds, with Wilson’s 95% interval, which stays "
        + "honest at 0 and at a few seeds.</p>\n"
        + "<div class=\"charts\">\n" + falsePauses.map { sweepFigure(sweep, $0) }.joined() + "</div>\n")
    page += section(id: "identity", title: "What was run", body: table(sweepIdentity(sweep)))
    page += section(id: "sources", title: "Sources", body: sources(ReportModel(scenario: scenario)))
    page += pageEnd(
      scenario, writer: "rollsim sweep",
      sameness: "It is the first of \(sweep.seeds) seeds (\(seedRange(sweep))). The same scenario, seeds, fleet size, "
        + "policies and shards give this same page, byte for byte.")
    return page
  }

  static func seedRange(_ sweep: ReportModel.Sweep) -> String {
    sweep.seeds == 1 ? "seed \(sweep.scenario.seed)" : "\(sweep.scenario.seed) to \(sweep.scenario.seed + UInt64(sweep.seeds - 1))"
  }

  static func sweepHeader(_ sweep: ReportModel.Sweep) -> String {
    let scenario = sweep.scenario
    let e = HTMLText.escape
    var out = "<header>\n<h1>\(e(scenario.name)): sweep of \(sweep.seeds) seeds</h1>\n"
    let description = scenario.description.trimmingCharacters(in: .whitespacesAndNewlines)
    if !description.isEmpty { out += "<p class=\"lead\">\(e(description))</p>\n" }
    out += "<p>A sweep (rollsim sweep): every policy on the same fleet, seed after seed, on the release and on the "
    out += "same release without its faults. Each outcome is the mean over the seeds with its 95% interval; "
    out += "rollsim run shows one seed’s timelines and decisions.</p>\n"
    var facts: [ReportModel.Fact] = [
      .init("Devices", ReportNumberFormat.grouped(scenario.devices)),
      .init("Seeds", "\(sweep.seeds): \(seedRange(sweep))"),
      .init("Shards", String(sweep.shards)),
      .init("Policies compared", String(sweep.policies.count)),
      .init("Simulated time", ReportNumberFormat.duration(scenario.simulatedSeconds)),
      .init("Rollsim", sweep.rollsimVersion),
    ]
    if !scenario.startTime.isEmpty {
      facts.insert(
        .init("Starts at", utcClock(start: scenario.startTime, plus: 0).map { $0 + " UTC" } ?? scenario.startTime), at: 5)
    }
    out += "<dl class=\"facts\">\n"
    for fact in facts {
      out += "<div><dt>\(e(fact.term))</dt><dd>\(e(fact.value))</dd></div>\n"
    }
    return out + "</dl>\n</header>\n"
  }

  /// Outcomes by row, policies by column, each cell the mean and its interval as written on stdout.
  static func sweepTable(_ sweep: ReportModel.Sweep) -> String {
    let e = HTMLText.escape
    guard !sweep.policies.isEmpty else { return "<p>No policies were run.</p>\n" }
    var out = "<div class=\"table-scroll\">\n<table class=\"sweep\">\n"
    out += "<caption>One column per policy, the same fleet and seeds for each. Mean (95% interval: Student’s t, cut at 0; "
    out += "for the false-pause rate, Wilson’s). “3 of 4”: the seeds the value is over.</caption>\n"
    out += "<thead><tr><th scope=\"col\">Outcome</th>"
    for (index, policy) in sweep.policies.enumerated() {
      let look = policyLook(index)
      out += "<th scope=\"col\">\(swatch(colour: look.colour, dash: look.dash)) \(e(policy))</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for outcome in sweep.outcomes {
      out += "<tr><th scope=\"row\">\(e(outcome.title))<span class=\"hint\">\(e(outcome.hint))</span></th>"
      for text in sweepCellTexts(outcome) { out += "<td class=\"num\">\(e(text))</td>" }
      out += "</tr>\n"
    }
    return out + "</tbody>\n</table>\n</div>\n"
  }

  /// An outcome's interval chart, on the unit its table row is written in.
  static func sweepFigure(_ sweep: ReportModel.Sweep, _ outcome: ReportModel.SweepOutcome) -> String {
    let scale = sweepScale(outcome)
    let texts = sweepCellTexts(outcome)
    let highest = outcome.cells.compactMap { ($0.high ?? $0.mean).map { $0 / scale.divisor } }.filter(\.isFinite).max() ?? 0
    let style: ChartAxis.Style = outcome.unit == .fraction ? .percent : outcome.unit == .devices ? .count : .number
    let axisTitle: String
    switch outcome.unit {
    case .devices: axisTitle = "devices"
    case .deviceHours: axisTitle = "device-hours"
    case .duration: axisTitle = scale.name
    case .fraction: axisTitle = "share of seeds"
    }
    let axis = ChartAxis.values(
      title: axisTitle, dataMin: 0, dataMax: highest, style: style, integerSteps: outcome.unit == .devices,
      fixedUpper: outcome.unit == .fraction && highest <= 0 ? 1 : nil)
    let rows = zip(sweep.policies, zip(outcome.cells, texts)).enumerated().map { index, pair in
      let (policy, (cell, text)) = pair
      return SVGIntervalChart.Row(
        label: policy, colour: policyLook(index).colour, mean: cell.mean.map { $0 / scale.divisor },
        low: cell.low.map { max(0, $0) / scale.divisor }, high: cell.high.map { $0 / scale.divisor }, text: text)
    }
    let summary = zip(sweep.policies, texts).map { "\($0): \($1)" }.joined(separator: "; ") + "."
    let chart = SVGIntervalChart(
      id: "sweep-\(outcome.id)", title: "\(outcome.title): mean and 95% interval per policy", summary: summary, axis: axis,
      rows: rows)
    return figure(outcome.title, chart: chart.svg(), legend: "<p class=\"policy-meta\">\(HTMLText.escape(outcome.hint))</p>\n")
  }

  static func sweepIdentity(_ sweep: ReportModel.Sweep) -> ReportModel.Table {
    ReportModel.Table(
      caption: "Shards merge only when all of this agrees; rollsim sweep --merge refuses the rest, naming the files.",
      columns: [],
      rows: [
        ["Scenario", sweep.scenario.name],
        ["Scenario file, SHA-256", sweep.scenarioSHA256],
        ["Flag state, SHA-256 (canonical JSON)", sweep.flagStateSHA256],
        ["Devices", ReportNumberFormat.grouped(sweep.scenario.devices)],
        ["First seed", String(sweep.scenario.seed)],
        ["Seeds", String(sweep.seeds)],
        ["Shards", String(sweep.shards)],
        ["Policies", sweep.policies.joined(separator: ", ")],
        ["Rollsim version", sweep.rollsimVersion],
      ])
  }

  // MARK: Numbers, shared with the table on stdout

  /// The unit an outcome's numbers are written in: one per outcome, so a row compares at a glance.
  static func sweepScale(_ outcome: ReportModel.SweepOutcome) -> (divisor: Double, name: String) {
    guard outcome.unit == .duration else { return (1, "") }
    let largest = outcome.cells.compactMap { $0.high ?? $0.mean }.filter(\.isFinite).max() ?? 0
    if largest < 120 { return (1, "seconds") }
    if largest < 2 * 3600 { return (60, "minutes") }
    return (3600, "hours")
  }

  /// Each policy's cell: `812 (790–834)`, `17 (12–22) min, 3 of 4`, `25% (4.6–70%), 1 of 4`, `never`.
  static func sweepCellTexts(_ outcome: ReportModel.SweepOutcome) -> [String] {
    let scale = sweepScale(outcome)
    let suffix = ["seconds": " s", "minutes": " min", "hours": " h"][scale.name] ?? ""
    return outcome.cells.map { cell in
      guard let mean = cell.mean, mean.isFinite else { return cell.none }
      let percent = outcome.unit == .fraction
      let factor = percent ? 100 : 1 / scale.divisor
      let values = [mean, cell.low.map { max(0, $0) }, cell.high].compactMap { $0 }.map { $0 * factor }
      // About three significant digits: enough to compare policies, no more than the interval supports.
      func number(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = percent || outcome.unit == .duration ? (magnitude >= 10 ? 0 : 1) : magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
        var text = ReportNumberFormat.grouped(value, decimals: decimals)
        if text.contains(".") {
          while text.hasSuffix("0") { text.removeLast() }
          if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
      }
      // A percentage sign on every number; another unit once, after the interval.
      let (each, once) = percent ? ("%", "") : ("", suffix)
      var text = number(values[0]) + each
      if values.count == 3 { text += " (\(number(values[1]))–\(number(values[2]))\(each))" }
      text += once
      if percent || cell.count < cell.of { text += ", \(cell.count) of \(max(cell.count, cell.of))" }
      return text
    }
  }
}
