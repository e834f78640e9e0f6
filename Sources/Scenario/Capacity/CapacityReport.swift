import Foundation

extension CapacityOutcome {
  /// Writes capacity.json, capacity.csv and report.html to a temporary folder beside `folder`, which
  /// replaces `folder` only once complete.
  public func write(to folder: String, reproducible: Bool) throws(ScenarioError) {
    try ResultWriter.writeAtomically(
      [
        ("capacity.json", json(reproducible: reproducible).pretty),
        ("capacity.csv", csv),
        ("report.html", Report.html(reportModel(reproducible: reproducible))),
      ], to: folder)
  }

  /// The report's view of the plan: the fleet, and the plan's charts through the report's extra charts.
  public func reportModel(reproducible: Bool) -> ReportModel {
    let definition = scenario.definition
    let n: (Int) -> String = { ReportNumberFormat.grouped($0) }
    func rate(_ value: Double) -> String { n(Int(value.rounded())) }
    let points = { (series: CapacitySeries) in
      series.values.enumerated().map { ReportModel.ChartPoint(x: Double($0.offset) * self.resolutionSeconds, y: $0.element) }
    }
    func line(_ name: String, _ kind: CapacitySeries.Kind) -> ReportModel.ChartSeries {
      ReportModel.ChartSeries(name: name, points: points(series(kind)))
    }
    func summary(_ kind: CapacitySeries.Kind) -> String {
      let s = series(kind).stats
      return "p50 \(rate(s.p50)), p99 \(rate(s.p99)), peak \(rate(s.peak)) at \(ReportNumberFormat.duration(s.peakAtSeconds))"
    }

    var charts: [ReportModel.ExtraChart] = []
    // Requests, with the capacity of the edge cores sized from Unleash Edge's published throughput.
    var requestReferences: [ReportModel.ReferenceLine] = []
    let nearest = sizing.references.first { $0.dataset.name == sizing.nearest }
    let edgeServed = series(.frontendRequests).values.indices.map {
      series(.frontendRequests).values[$0] + series(.edgeClientRequests).values[$0]
    }
    if let nearest, nearest.coresAtPeak > 0, let peakServed = edgeServed.max(), peakServed > 0 {
      let cores = nearest.coresAtPeak.rounded(.up)
      let bare = nearest.coresAtPeak / (1 + sizing.headroom)
      requestReferences.append(.init(
        label: "\(Int(cores)) edge cores (Unleash Edge published, \(nearest.dataset.name))", y: peakServed * cores / bare))
    }
    charts.append(ReportModel.ExtraChart(
      title: "Requests per second",
      description: "API (polls, failed attempts, stream connections, edge refreshes): \(summary(.apiRequests)). "
        + "Edges (polls, frontend evaluations, failed attempts): \(summary(.edgeRequests)). Bins of "
        + "\(ReportNumberFormat.duration(resolutionSeconds)). The reference line is the request rate the edge cores "
        + "sized from Unleash Edge's published throughput per CPU (\(EdgeReference.source)) serve at the peak's mix.",
      yLabel: "requests per second", series: [line("API", .apiRequests), line("Edges", .edgeRequests)],
      references: requestReferences))
    // Evaluations: what the cores are sized for, and what one core does at the measured cost (when that
    // line would not flatten the curve).
    var evaluationReferences: [ReportModel.ReferenceLine] = []
    var evaluationText = "Frontend requests × \(payload.flags) flags each: \(summary(.evaluations))."
    let target = series(.evaluations).stats.peak * (1 + sizing.headroom)
    if target > 0 {
      evaluationReferences.append(.init(label: "sized for: peak + \(Int((sizing.headroom * 100).rounded()))% headroom", y: target))
    }
    if let cost = sizing.cost, !(reproducible && cost.measured), let cores = sizing.coresAtPeak {
      let perCore = 1e9 / cost.nanosecondsPerEvaluation
      let label = "one core at \(String(format: "%.0f", cost.nanosecondsPerEvaluation)) ns/evaluation"
      evaluationText += " At \(String(format: "%.0f", cost.nanosecondsPerEvaluation)) ns per evaluation (\(cost.method)) one core "
        + "evaluates \(rate(perCore)) per second: the peak with headroom takes \(String(format: "%.3g", cores)) cores of evaluation "
        + "alone; serving the requests (HTTP, serialization) costs more, see Unleash Edge's published figures."
      if perCore <= 5 * Swift.max(target, 1) { evaluationReferences.append(.init(label: label, y: perCore)) }
    }
    charts.append(ReportModel.ExtraChart(
      title: "Evaluations per second at the edges", description: evaluationText,
      yLabel: "evaluations per second", series: [line("Evaluations", .evaluations)], references: evaluationReferences))
    charts.append(ReportModel.ExtraChart(
      title: "Answers to polls: whole state (200) and not modified (304)",
      description: payload.etag
        ? "With ETags a poll downloads the state (\(n(payload.stateBytes)) bytes) only when it changed."
        : "Without ETags every poll downloads the state (\(n(payload.stateBytes)) bytes).",
      yLabel: "answers per second", series: [line("200", .fullAnswers), line("304", .notModified)]))
    charts.append(ReportModel.ExtraChart(
      title: "Bandwidth",
      description: "Bytes sent per second. API: \(summary(.apiBytes)). Edges: \(summary(.edgeBytes)).",
      yLabel: "bytes per second", series: [line("API", .apiBytes), line("Edges", .edgeBytes)]))
    charts.append(ReportModel.ExtraChart(
      title: "Open streaming connections",
      description: "Streaming clients connected (through the \(capacity.streaming.via.rawValue)): \(summary(.connections)).",
      yLabel: "connections", series: [line("Connections", .connections)]))

    var makeUp: [ReportModel.CountTable] = [
      .init(title: "Clients", counts: [
        ("polling the API", population.polling), ("streaming", population.streaming),
        ("polling an edge", population.edgePolling), ("frontend (evaluated at the edge)", population.frontend),
      ]),
      .init(title: "Regions", counts: fleetMakeUp.regions),
      .init(title: "Platforms", counts: fleetMakeUp.platforms),
    ]
    if population.edges > 0 { makeUp.append(.init(title: "Edges", counts: [("edges", population.edges)])) }
    var lead = definition.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    if !lead.isEmpty { lead += " " }
    lead += "Capacity plan (rollsim capacity): no release policy is run; the charts are under “More charts”."
    return ReportModel(
      scenario: .init(
        name: definition.name, description: lead, seed: seed, devices: devices, simulatedSeconds: simulatedSeconds,
        startTime: definition.start,
        sources: definition.sources + (definition.sources.contains { $0.contains(EdgeReference.source) } ? [] : [EdgeReference.source]),
        windowSeconds: resolutionSeconds),
      fleetMakeUp: makeUp, policies: [], extraCharts: charts)
  }
}
