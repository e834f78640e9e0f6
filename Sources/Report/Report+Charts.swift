import Scenario
extension Report {
  typealias Window = ReportModel.WindowSample

  /// The time axis every chart over time shares: the whole simulated span, or the data's when longer; the
  /// focused part when there is one.
  static func timeAxis(_ model: ReportModel, extraMax: Double = 0, focus: Focus? = nil) -> ChartAxis {
    if let focus { return ChartAxis.time(fromSeconds: 0, toSeconds: focus.end) }
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

  /// The windows and decisions a chart on `focus` shows: those up to its end (all without one).
  static func shown(_ policy: ReportModel.PolicyResult, _ focus: Focus?) -> ReportModel.PolicyResult {
    guard let focus else { return policy }
    var shown = policy
    shown.windows = policy.windows.filter { $0.time <= focus.end }
    shown.decisions = policy.decisions.filter { $0.time <= focus.end }
    return shown
  }

  /// A value axis for series whose peaks (`peaks`, one per series) may differ a hundredfold: linear up to
  /// the largest, or logarithmic when a non-zero peak is under a thirtieth of it, which a linear axis
  /// would leave on the floor.
  static func comparisonAxis(title: String, peaks: [Double], style: ChartAxis.Style, fixedUpper: Double? = nil) -> ChartAxis {
    let largest = peaks.filter(\.isFinite).max() ?? 0
    let positive = peaks.filter { $0.isFinite && $0 > 0 }
    if let smallest = positive.min(), smallest < largest / 30 {
      let floor = style == .count ? max(1, smallest / 10) : smallest / 10
      return .logarithmic(title: title, smallest: floor, largest: largest, style: style, fixedUpper: fixedUpper)
    }
    return .values(
      title: title, dataMin: 0, dataMax: largest, style: style, integerSteps: style == .count, fixedUpper: fixedUpper,
      maxIntervals: fixedUpper == nil ? 5 : 4)
  }

  static func overviewCharts(_ model: ReportModel) -> String {
    guard !model.policies.isEmpty else { return "<p>No policies were run.</p>\n" }
    let focus = focus(model.policies, runEnd: model.scenario.simulatedSeconds, windowSeconds: model.scenario.windowSeconds)
    let time = timeAxis(model, focus: focus)
    let policies = model.policies.map { shown($0, focus) }
    var legendItems: [(label: String, colour: String, dash: String)] = []
    for (index, policy) in model.policies.enumerated() {
      let look = policyLook(index)
      legendItems.append((policy.name, look.colour, look.dash))
    }
    let allDecisions = policies.flatMap(\.decisions).filter { ReportStyle.decision($0.action).significant }
    let legend = lineLegend(legendItems) + decisionLegend(allDecisions, colourByAction: false)

    func chart(
      id: String, title: String, yAxis: ChartAxis, emptyNote: String, metric: @escaping (Window) -> Double,
      describe: (ReportModel.PolicyResult) -> String
    ) -> String {
      var lines: [SVGLineChart.Line] = []
      var markers: [SVGLineChart.Marker] = []
      for (index, policy) in policies.enumerated() {
        let look = policyLook(index)
        lines.append(SVGLineChart.Line(label: policy.name, colour: look.colour, dash: look.dash, points: policy.windows.map { ($0.time, metric($0)) }))
        for run in DecisionRun.runs(policy.decisions) where run.style.significant {
          markers.append(SVGLineChart.Marker(
            x: run.first.time, y: value(at: run.first.time, in: policy.windows, metric), shape: run.style.shape,
            colour: look.colour, tooltip: run.tooltip(policy: policy.name), rule: false))
        }
      }
      let summary = title + ", one line per policy. " + model.policies.map(describe).joined(separator: " ")
      return SVGLineChart(
        id: id, title: title, summary: summary, x: time, y: yAxis, lines: lines, markers: markers, emptyNote: emptyNote
      ).svg()
    }

    func peaks(_ metric: (Window) -> Double) -> [Double] {
      policies.map { $0.windows.map(metric).filter(\.isFinite).max() ?? 0 }
    }
    var out = "<p>Every policy ran on the same fleet with the same seed. Symbols on the lines mark the policies’ decisions; hover over one for its reason.</p>\n"
    if let focus { out += focusNote(focus, model.policies, scope: "these policies did") }
    out += "<div class=\"charts\">\n"
    out += figure(
      "Exposure: share of the fleet with the flag on",
      chart: chart(
        id: "overview-exposure", title: "Exposure over time, all policies",
        yAxis: comparisonAxis(title: "fleet with the flag on", peaks: peaks(\.exposure), style: .percent, fixedUpper: 1),
        emptyNote: "nobody had the flag on in this run",
        metric: \.exposure,
        describe: { "\($0.name): \($0.windows.last.map { ReportNumberFormat.percent($0.exposure) } ?? "no data") at the end." }),
      legend: legend)
    out += figure(
      "Devices failed so far",
      chart: chart(
        id: "overview-failures", title: "Devices failed over time, all policies",
        yAxis: comparisonAxis(title: "devices failed (cumulative)", peaks: peaks { Double($0.devicesFailed) }, style: .count),
        emptyNote: "no devices failed in this run",
        metric: { Double($0.devicesFailed) },
        describe: { "\($0.name): \(ReportNumberFormat.grouped($0.devicesFailed)) devices failed." }),
      legend: legend)
    out += figure(
      "Devices down at each moment",
      chart: chart(
        id: "overview-down", title: "Devices down over time, all policies",
        yAxis: comparisonAxis(title: "devices down", peaks: peaks { Double($0.devicesDown) }, style: .count),
        emptyNote: "no device was down at any time in this run",
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

  static func policySection(_ whole: ReportModel.PolicyResult, index: Int, model: ReportModel) -> String {
    let e = HTMLText.escape
    typealias F = ReportNumberFormat
    let id = "p\(index + 1)"
    let look = policyLook(index)
    let focus = focus([whole], runEnd: model.scenario.simulatedSeconds, windowSeconds: model.scenario.windowSeconds)
    let time = timeAxis(model, focus: focus)
    let policy = shown(whole, focus)
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
    out += "<h3>\(swatch(colour: look.colour, dash: look.dash)) \(e(whole.name))</h3>\n"
    out += "<p class=\"policy-meta\">Kind: \(e(whole.kind)) · final state: \(e(endStateText(whole.finalState))) · "
    out += "\(F.grouped(whole.devicesExposed)) devices exposed, \(F.grouped(whole.devicesFailed)) failed · \(F.grouped(whole.decisionCount)) decisions</p>\n"
    if let focus { out += focusNote(focus, [whole], scope: "this policy did") }
    out += decisionLegend(policy.decisions, colourByAction: true)
    out += "<div class=\"charts\">\n"

    // Exposure, on an axis up to its peak: 0.2% of the fleet is a line, not the floor of a 100% axis.
    let peakExposure = whole.windows.map(\.exposure).filter(\.isFinite).max() ?? 0
    let exposureAxis = ChartAxis.values(
      title: "fleet with the flag on", dataMin: 0, dataMax: peakExposure, style: .percent, fixedUpper: peakExposure > 0.5 ? 1 : nil,
      maxIntervals: 4)
    let exposure = SVGLineChart(
      id: "\(id)-exposure", title: "\(whole.name): exposure over time",
      summary: "Share of the fleet with the flag on under \(whole.name); at most \(F.percent(peakExposure, maxDecimals: 2)), \(whole.windows.last.map { F.percent($0.exposure, maxDecimals: 2) + " at the end" } ?? "no data"). \(decisionsNote)",
      x: time, y: exposureAxis,
      lines: [.init(label: "exposure", colour: look.colour, dash: look.dash, points: policy.windows.map { ($0.time, $0.exposure) })],
      markers: markers, emptyNote: "nobody had the flag on under this policy")
    let exposureCaption =
      exposureAxis.upper < 1 && peakExposure > 0
      ? "Exposure, with decisions (axis up to \(exposureAxis.labels.last ?? ""); at most \(F.percent(peakExposure, maxDecimals: 2)) of the fleet)"
      : "Exposure, with decisions"
    out += figure(exposureCaption, chart: exposure.svg())

    // Failures.
    let failedMax = Double(policy.windows.map { max($0.devicesFailed, $0.devicesDown) }.max() ?? 0)
    let noneDown = !whole.windows.contains { $0.devicesDown > 0 }
    let failureLines: [SVGLineChart.Line] = [
      .init(label: "devices failed (cumulative)", colour: ReportStyle.failedColour, points: policy.windows.map { ($0.time, Double($0.devicesFailed)) }),
      .init(
        label: noneDown ? "devices down (none at any time)" : "devices down", colour: ReportStyle.downColour, dash: "5 3",
        points: policy.windows.map { ($0.time, Double($0.devicesDown)) }),
    ]
    let failures = SVGLineChart(
      id: "\(id)-failures", title: "\(whole.name): devices failed and down over time",
      summary: "\(F.grouped(whole.devicesFailed)) devices failed under \(whole.name), at most \(F.grouped(whole.windows.map(\.devicesDown).max() ?? 0)) down at once. \(decisionsNote)",
      x: time, y: .values(title: "devices", dataMin: 0, dataMax: failedMax, style: .count, integerSteps: true),
      lines: failureLines, markers: markers, emptyNote: "no devices failed under this policy")
    out += figure(
      "Failures, with decisions", chart: failures.svg(),
      legend: failures.isEmpty ? "" : lineLegend(failureLines.map { ($0.label, $0.colour, $0.dash) }))

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
    let peakTreatment = whole.windows.map(\.treatmentErrorRate).filter(\.isFinite).max()
    let peakControl = whole.windows.map(\.controlErrorRate).filter(\.isFinite).max()
    let rates = SVGLineChart(
      id: "\(id)-rates", title: "\(whole.name): error rate, treatment against control",
      summary: "Error and crash rates of devices with the new state (treatment) and without it (control) under \(whole.name). Peak treatment error rate \(peakTreatment.map { F.percent($0, maxDecimals: 2) } ?? "–"), peak control error rate \(peakControl.map { F.percent($0, maxDecimals: 2) } ?? "–"). \(decisionsNote)",
      x: time, y: .values(title: "rate (share of sessions)", dataMin: 0, dataMax: rateMax, style: .percent),
      lines: rateLines, markers: markers, emptyNote: "no errors or crashes reported")
    out += figure(
      "Error rate: treatment against control", chart: rates.svg(),
      legend: rates.isEmpty ? "" : lineLegend(rateLines.map { ($0.label, $0.colour, $0.dash) }))
    out += "</div>\n"
    out += decisionLog(DecisionRun.runs(whole.decisions), model: model)
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
    var bandBucket: String?
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
      // Bytes get a decimal unit the values need (MB/s), on the axis and in the data it scales.
      let (scale, unitName) = extra.yUnit == .bytesPerSecond ? ReportNumberFormat.byteRateUnit(ys.max() ?? 0) : (1, "")
      let yMax = (ys.max() ?? 0) / scale
      let yTitle = unitName.isEmpty ? extra.yLabel : "\(extra.yLabel) (\(unitName))"
      let yAxis = ChartAxis.values(
        title: yTitle, dataMin: (ys.min() ?? 0) / scale, dataMax: yMax, style: yMax >= 10_000 ? .count : .number)
      let lines = extra.series.enumerated().map { seriesIndex, series in
        let look = policyLook(model.policies.firstIndex { $0.name == series.name } ?? seriesIndex)
        return SVGLineChart.Line(
          label: series.name, colour: look.colour, dash: look.dash, points: series.points.map { ($0.x, $0.y / scale) }, band: true)
      }
      let summary = extra.description.isEmpty ? "\(extra.title): \(extra.series.map(\.name).joined(separator: ", "))." : extra.description
      let chart = SVGLineChart(
        id: "extra-\(index + 1)", title: extra.title, summary: summary, x: xAxis, y: yAxis, lines: lines,
        references: extra.references.map { .init(y: $0.y / scale, label: $0.label) }, emptyNote: "zero throughout")
      var legend = chart.isEmpty ? "" : lineLegend(lines.map { ($0.label, $0.colour, $0.dash) })
      if bandBucket == nil && lines.contains(where: chart.isBand) && !chart.isEmpty {
        bandBucket = extra.xAxis == .time ? ReportNumberFormat.duration(chart.columnSpan) : ReportNumberFormat.trimmed(chart.columnSpan, maxDecimals: 3)
      }
      if !extra.description.isEmpty { legend += "<p>\(HTMLText.escape(extra.description))</p>\n" }
      out += figure(extra.title, chart: chart.svg(), legend: legend)
    }
    out += "</div>\n"
    guard let bandBucket else { return out }
    return "<p class=\"band-note\">Long series are drawn as bands: the shade spans the lowest to the highest value within each "
      + "\(HTMLText.escape(bandBucket)) (one column of a chart), the line through it is the mean over five columns. A fast swing, "
      + "such as clients polling in step, fills its range instead of zigzagging.</p>\n" + out
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
