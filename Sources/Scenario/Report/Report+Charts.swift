extension Report {
  typealias Window = ReportModel.WindowSample

  /// The time axis every chart over time shares: the whole simulated span, or the data's when longer.
  static func timeAxis(_ model: ReportModel, extraMax: Double = 0) -> ChartAxis {
    let windowMax = model.policies.flatMap { $0.windows.map(\.time) + $0.decisions.map(\.time) }.filter(\.isFinite).max() ?? 0
    let end = max(model.scenario.simulatedSeconds.isFinite ? model.scenario.simulatedSeconds : 0, windowMax, extraMax)
    return ChartAxis.time(fromSeconds: 0, toSeconds: end)
  }

  static func figure(_ caption: String, chart: String, legend: String = "") -> String {
    "<figure>\n<figcaption>\(HTMLText.escape(caption))</figcaption>\n\(chart)\n\(legend)</figure>\n"
  }

  /// A legend of lines: a sample of each line's colour and dash, and its name.
  static func lineLegend(_ items: [(label: String, colour: String, dash: String)]) -> String {
    guard !items.isEmpty else { return "" }
    return "<ul class=\"legend\">"
      + items.map { "<li>\(swatch(colour: $0.colour, dash: $0.dash)) \(HTMLText.escape($0.label))</li>" }.joined()
      + "</ul>\n"
  }

  /// A legend of the decision symbols that appear in `decisions`, in order of first appearance.
  static func decisionLegend(_ decisions: [ReportModel.DecisionMark], colourByAction: Bool) -> String {
    var seen: [String] = []
    var items: [String] = []
    for decision in decisions {
      let style = ReportStyle.decision(decision.action)
      let key = decision.action.lowercased()
      guard !seen.contains(key) else { continue }
      seen.append(key)
      let colour = colourByAction ? style.colour : "#57606a"
      let note = style.significant ? "" : " (no line)"
      items.append("<li>\(symbol(style.shape, colour: colour)) \(HTMLText.escape(decision.action))\(note)</li>")
    }
    guard !items.isEmpty else { return "" }
    return "<ul class=\"legend decision-legend\" aria-label=\"Decision symbols\">" + items.joined() + "</ul>\n"
  }

  /// The value of a series at `time`, interpolated as the chart draws it. Windows are in time order.
  static func value(at time: Double, in windows: [Window], _ metric: (Window) -> Double) -> Double? {
    guard let first = windows.first, let last = windows.last else { return nil }
    if !(time > first.time) { return metric(first) }
    if time >= last.time { return metric(last) }
    // The first window at or after `time`.
    var low = 1
    var high = windows.count - 1
    while low < high {
      let middle = (low + high) / 2
      if windows[middle].time < time { low = middle + 1 } else { high = middle }
    }
    let before = windows[low - 1]
    let after = windows[low]
    let span = after.time - before.time
    let a = metric(before)
    let b = metric(after)
    return span > 0 ? a + (b - a) * (time - before.time) / span : b
  }

  // MARK: All policies together

  static func overviewCharts(_ model: ReportModel) -> String {
    guard !model.policies.isEmpty else { return "<p>No policies were run.</p>\n" }
    let time = timeAxis(model)
    var legendItems: [(label: String, colour: String, dash: String)] = []
    for (index, policy) in model.policies.enumerated() {
      let look = policyLook(index)
      legendItems.append((policy.name, look.colour, look.dash))
    }
    let allDecisions = model.policies.flatMap(\.decisions).filter { ReportStyle.decision($0.action).significant }
    let legend = lineLegend(legendItems) + decisionLegend(allDecisions, colourByAction: false)

    func chart(id: String, title: String, yAxis: ChartAxis, metric: @escaping (Window) -> Double, describe: (ReportModel.PolicyResult) -> String) -> String {
      var lines: [SVGLineChart.Line] = []
      var markers: [SVGLineChart.Marker] = []
      for (index, policy) in model.policies.enumerated() {
        let look = policyLook(index)
        lines.append(SVGLineChart.Line(label: policy.name, colour: look.colour, dash: look.dash, points: policy.windows.map { ($0.time, metric($0)) }))
        for run in DecisionRun.runs(policy.decisions) where run.style.significant {
          markers.append(SVGLineChart.Marker(
            x: run.first.time, y: value(at: run.first.time, in: policy.windows, metric), shape: run.style.shape,
            colour: look.colour, tooltip: run.tooltip(policy: policy.name), rule: false))
        }
      }
      let summary = title + ", one line per policy. " + model.policies.map(describe).joined(separator: " ")
      return SVGLineChart(id: id, title: title, summary: summary, x: time, y: yAxis, lines: lines, markers: markers).svg()
    }

    let failedMax = Double(model.policies.flatMap { $0.windows.map(\.devicesFailed) }.max() ?? 0)
    let downMax = Double(model.policies.flatMap { $0.windows.map(\.devicesDown) }.max() ?? 0)
    var out = "<p>Every policy ran on the same fleet with the same seed. Symbols on the lines mark the policies’ decisions; hover over one for its reason.</p>\n"
    out += "<div class=\"charts\">\n"
    out += figure(
      "Exposure: share of the fleet with the flag on",
      chart: chart(
        id: "overview-exposure", title: "Exposure over time, all policies",
        yAxis: .values(title: "fleet with the flag on", dataMin: 0, dataMax: 1, style: .percent, fixedUpper: 1, maxIntervals: 4),
        metric: \.exposure,
        describe: { "\($0.name): \($0.windows.last.map { ReportNumberFormat.percent($0.exposure) } ?? "no data") at the end." }),
      legend: legend)
    out += figure(
      "Devices failed so far",
      chart: chart(
        id: "overview-failures", title: "Devices failed over time, all policies",
        yAxis: .values(title: "devices failed (cumulative)", dataMin: 0, dataMax: failedMax, style: .count, integerSteps: true),
        metric: { Double($0.devicesFailed) },
        describe: { "\($0.name): \(ReportNumberFormat.grouped($0.devicesFailed)) devices failed." }),
      legend: legend)
    out += figure(
      "Devices down at each moment",
      chart: chart(
        id: "overview-down", title: "Devices down over time, all policies",
        yAxis: .values(title: "devices down", dataMin: 0, dataMax: downMax, style: .count, integerSteps: true),
        metric: { Double($0.devicesDown) },
        describe: { policy in
          "\(policy.name): at most \(ReportNumberFormat.grouped(policy.windows.map(\.devicesDown).max() ?? 0)) down at once."
        }),
      legend: legend)
    out += "</div>\n"
    return out
  }

  // MARK: One policy

  static func policySections(_ model: ReportModel) -> String {
    guard !model.policies.isEmpty else { return "<p>No policies were run.</p>\n" }
    var out = ""
    for (index, policy) in model.policies.enumerated() {
      out += policySection(policy, index: index, model: model)
    }
    return out
  }

  static func policySection(_ policy: ReportModel.PolicyResult, index: Int, model: ReportModel) -> String {
    let e = HTMLText.escape
    typealias F = ReportNumberFormat
    let id = "p\(index + 1)"
    let look = policyLook(index)
    let time = timeAxis(model)
    let runs = DecisionRun.runs(policy.decisions)
    let markers = runs.map { run in
      SVGLineChart.Marker(
        x: run.first.time, y: nil, shape: run.style.shape, colour: run.style.colour, tooltip: run.tooltip(),
        rule: run.style.significant)
    }
    let significant = runs.filter(\.style.significant).count
    let decisionsNote =
      policy.decisions.isEmpty
      ? "No decisions." : "\(policy.decisions.count) decisions, \(significant) of them marked with a line."

    var out = "<article class=\"policy\" id=\"policy-\(index + 1)\">\n"
    out += "<h3>\(swatch(colour: look.colour, dash: look.dash)) \(e(policy.name))</h3>\n"
    out += "<p class=\"policy-meta\">Kind: \(e(policy.kind)) · final state: \(e(endStateText(policy.finalState))) · "
    out += "\(F.grouped(policy.devicesExposed)) devices exposed, \(F.grouped(policy.devicesFailed)) failed · \(F.grouped(policy.decisionCount)) decisions</p>\n"
    out += decisionLegend(policy.decisions, colourByAction: true)
    out += "<div class=\"charts\">\n"

    // Exposure.
    let exposure = SVGLineChart(
      id: "\(id)-exposure", title: "\(policy.name): exposure over time",
      summary: "Share of the fleet with the flag on under \(policy.name); \(policy.windows.last.map { F.percent($0.exposure) + " at the end" } ?? "no data"). \(decisionsNote)",
      x: time, y: .values(title: "fleet with the flag on", dataMin: 0, dataMax: 1, style: .percent, fixedUpper: 1, maxIntervals: 4),
      lines: [.init(label: "exposure", colour: look.colour, dash: look.dash, points: policy.windows.map { ($0.time, $0.exposure) })],
      markers: markers)
    out += figure("Exposure, with decisions", chart: exposure.svg())

    // Failures.
    let failedMax = Double(policy.windows.map { max($0.devicesFailed, $0.devicesDown) }.max() ?? 0)
    let failureLines: [SVGLineChart.Line] = [
      .init(label: "devices failed (cumulative)", colour: ReportStyle.failedColour, points: policy.windows.map { ($0.time, Double($0.devicesFailed)) }),
      .init(label: "devices down", colour: ReportStyle.downColour, dash: "5 3", points: policy.windows.map { ($0.time, Double($0.devicesDown)) }),
    ]
    let failures = SVGLineChart(
      id: "\(id)-failures", title: "\(policy.name): devices failed and down over time",
      summary: "\(F.grouped(policy.devicesFailed)) devices failed under \(policy.name), at most \(F.grouped(policy.windows.map(\.devicesDown).max() ?? 0)) down at once. \(decisionsNote)",
      x: time, y: .values(title: "devices", dataMin: 0, dataMax: failedMax, style: .count, integerSteps: true),
      lines: failureLines, markers: markers)
    out += figure("Failures, with decisions", chart: failures.svg(), legend: lineLegend(failureLines.map { ($0.label, $0.colour, $0.dash) }))

    // Error and crash rates.
    var rateLines: [SVGLineChart.Line] = [
      .init(label: "treatment error rate", colour: ReportStyle.treatmentColour, points: policy.windows.map { ($0.time, $0.treatmentErrorRate) }),
      .init(label: "control error rate", colour: ReportStyle.controlColour, dash: "6 3", points: policy.windows.map { ($0.time, $0.controlErrorRate) }),
      .init(label: "treatment crash rate", colour: ReportStyle.crashColour, dash: "2 3", points: policy.windows.map { ($0.time, $0.treatmentCrashRate) }),
    ]
    if policy.windows.contains(where: { $0.controlCrashRate != nil }) {
      rateLines.append(.init(label: "control crash rate", colour: "#56B4E9", dash: "10 3 2 3", points: policy.windows.map { ($0.time, $0.controlCrashRate ?? .nan) }))
    }
    let rateMax = rateLines.flatMap { $0.points.map(\.y) }.filter(\.isFinite).max() ?? 0
    let peakTreatment = policy.windows.map(\.treatmentErrorRate).filter(\.isFinite).max()
    let peakControl = policy.windows.map(\.controlErrorRate).filter(\.isFinite).max()
    let rates = SVGLineChart(
      id: "\(id)-rates", title: "\(policy.name): error rate, treatment against control",
      summary: "Error and crash rates of devices with the new state (treatment) and without it (control) under \(policy.name). Peak treatment error rate \(peakTreatment.map { F.percent($0, maxDecimals: 2) } ?? "–"), peak control error rate \(peakControl.map { F.percent($0, maxDecimals: 2) } ?? "–"). \(decisionsNote)",
      x: time, y: .values(title: "rate (share of sessions)", dataMin: 0, dataMax: rateMax, style: .percent),
      lines: rateLines, markers: markers)
    out += figure("Error rate: treatment against control", chart: rates.svg(), legend: lineLegend(rateLines.map { ($0.label, $0.colour, $0.dash) }))
    out += "</div>\n"
    out += decisionLog(runs, model: model)
    out += "</article>\n"
    return out
  }

  /// The most rows a decision log shows; the rest are in `audit.jsonl`.
  static let decisionLogLimit = 2000

  static func decisionLog(_ runs: [DecisionRun], model: ReportModel) -> String {
    guard !runs.isEmpty else { return "<p>This policy took no decisions.</p>\n" }
    let e = HTMLText.escape
    let showClock = epochSeconds(iso8601: model.scenario.startTime) != nil
    let total = runs.reduce(0) { $0 + $1.count }
    var out = "<details\(runs.count <= 12 ? " open" : "")>\n<summary>Decision log (\(total) decisions"
    out += runs.count < total ? ", repeated ones folded into \(runs.count) rows)" : ")"
    out += "</summary>\n<div class=\"table-scroll\">\n<table class=\"decisions\">\n<thead><tr><th scope=\"col\">Time since start</th>"
    if showClock { out += "<th scope=\"col\">UTC</th>" }
    out += "<th scope=\"col\">Milestone</th><th scope=\"col\">Decision</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n"
    for run in runs.prefix(decisionLogLimit) {
      out += "<tr><td class=\"num\">\(e(run.timeText))</td>"
      if showClock { out += "<td class=\"num\">\(e(utcClock(start: model.scenario.startTime, plus: run.first.time) ?? "–"))</td>" }
      out += "<td>\(e(run.first.milestone))</td><td class=\"action\">\(symbol(run.style.shape, colour: run.style.colour)) \(e(run.actionText))</td>"
      out += "<td>\(e(run.reasonText))</td></tr>\n"
    }
    out += "</tbody>\n</table>\n</div>\n"
    if runs.count > decisionLogLimit {
      out += "<p>\(runs.count - decisionLogLimit) more rows are not shown; audit.jsonl has every decision.</p>\n"
    }
    return out + "</details>\n"
  }

  // MARK: Extra charts

  static func extraCharts(_ model: ReportModel) -> String {
    var out = "<div class=\"charts\">\n"
    for (index, extra) in model.extraCharts.enumerated() {
      let points = extra.series.flatMap(\.points)
      let xs = points.map(\.x).filter(\.isFinite)
      let ys = (points.map(\.y) + extra.references.map(\.y)).filter(\.isFinite)
      let xAxis: ChartAxis
      switch extra.xAxis {
      case .time:
        xAxis = timeAxis(model, extraMax: xs.max() ?? 0)
      case .values(let title):
        xAxis = .values(title: title, dataMin: xs.min() ?? 0, dataMax: xs.max() ?? 1, style: .number, maxIntervals: 8)
      }
      let yMax = ys.max() ?? 0
      let yAxis = ChartAxis.values(title: extra.yLabel, dataMin: ys.min() ?? 0, dataMax: yMax, style: yMax >= 10_000 ? .count : .number)
      let lines = extra.series.enumerated().map { seriesIndex, series in
        let look = policyLook(model.policies.firstIndex { $0.name == series.name } ?? seriesIndex)
        return SVGLineChart.Line(label: series.name, colour: look.colour, dash: look.dash, points: series.points.map { ($0.x, $0.y) })
      }
      let summary = extra.description.isEmpty ? "\(extra.title): \(extra.series.map(\.name).joined(separator: ", "))." : extra.description
      let chart = SVGLineChart(
        id: "extra-\(index + 1)", title: extra.title, summary: summary, x: xAxis, y: yAxis, lines: lines,
        references: extra.references.map { .init(y: $0.y, label: $0.label) })
      var legend = lineLegend(lines.map { ($0.label, $0.colour, $0.dash) })
      if !extra.description.isEmpty { legend += "<p>\(HTMLText.escape(extra.description))</p>\n" }
      out += figure(extra.title, chart: chart.svg(), legend: legend)
    }
    return out + "</div>\n"
  }

  // MARK: Fleet

  static func fleetMakeUp(_ model: ReportModel) -> String {
    var out = "<p>\(ReportNumberFormat.grouped(model.scenario.devices)) devices.</p>\n"
    guard !model.fleetMakeUp.isEmpty else { return out + "<p>The make-up of the fleet was not recorded.</p>\n" }
    out += "<div class=\"charts\">\n"
    for (index, table) in model.fleetMakeUp.enumerated() {
      let chart = SVGBarChart(
        id: "fleet-\(index + 1)", title: "Fleet by \(table.title.lowercased())",
        bars: table.rows.map { .init(label: $0.label, value: $0.count) })
      out += figure(table.title, chart: chart.svg())
    }
    return out + "</div>\n"
  }
}
