import FlagEngine
import Foundation
import Scenario

extension CapacityOutcome {
  /// The report's view of the plan: its figures, charts, storms and cores, and the fleet.
  public func reportModel(reproducible: Bool) -> ReportModel {
    let definition = scenario.definition
    let n: (Int) -> String = { ReportNumberFormat.grouped($0) }
    // Whole numbers from 10 up, two decimals below; `–` for a value that is not finite.
    func rate(_ value: Double) -> String {
      Swift.abs(value) >= 10 || value == 0
        ? ReportNumberFormat.grouped(value, decimals: 0) : ReportNumberFormat.trimmed(value, maxDecimals: 2)
    }
    func cores(_ value: Double?) -> String {
      guard let value, value.isFinite else { return "–" }
      return String(format: "%.3g", value)
    }
    let points = { (series: CapacitySeries) in
      series.values.enumerated().map { ReportModel.ChartPoint(x: Double($0.offset) * self.resolutionSeconds, y: $0.element) }
    }
    func line(_ name: String, _ kind: CapacitySeries.Kind) -> ReportModel.ChartSeries {
      ReportModel.ChartSeries(name: name, points: points(series(kind)))
    }
    // Bandwidth in the decimal unit it needs (337 kB/s, 85.1 MB/s), the rest as rates.
    func value(_ kind: CapacitySeries.Kind, _ value: Double) -> String {
      kind == .apiBytes || kind == .edgeBytes ? ReportNumberFormat.bytesPerSecond(value) : rate(value)
    }
    func summary(_ kind: CapacitySeries.Kind) -> String {
      let s = series(kind).stats
      return "p50 \(value(kind, s.p50)), p99 \(value(kind, s.p99)), peak \(value(kind, s.peak)) at \(ReportNumberFormat.clock(sinceStart: s.peakAtSeconds))"
    }
    // A measured cost varies from run to run: --reproducible leaves it out, as capacity.json does.
    let cost = sizing.cost.flatMap { reproducible && $0.measured ? nil : $0 }

    var charts: [ReportModel.ExtraChart] = []
    // Requests, with the capacity of the edge cores sized from Unleash Edge's published throughput.
    var requestReferences: [ReportModel.ReferenceLine] = []
    let nearest = sizing.references.first { $0.dataset.name == sizing.nearest }
    let edgeServed = series(.frontendRequests).values.indices.map {
      series(.frontendRequests).values[$0] + series(.edgeClientRequests).values[$0]
    }
    if let nearest, nearest.coresAtPeak > 0, nearest.coresAtPeak.isFinite, let peakServed = edgeServed.max(), peakServed > 0 {
      let cores = nearest.coresAtPeak.rounded(.up)
      let bare = nearest.coresAtPeak / (1 + sizing.headroom)
      requestReferences.append(.init(
        label: "\(n(Int(cores))) edge cores (Unleash Edge published, \(nearest.dataset.name))", y: peakServed * cores / bare))
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
    if let cost, let cores = sizing.coresAtPeak {
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
      description: "Bytes sent per second (1 MB = 1,000,000 bytes). API: \(summary(.apiBytes)). Edges: \(summary(.edgeBytes)).",
      yLabel: "bandwidth", yUnit: .bytesPerSecond, series: [line("API", .apiBytes), line("Edges", .edgeBytes)]))
    charts.append(ReportModel.ExtraChart(
      title: "Open streaming connections",
      description: "Streaming clients connected (through the \(capacity.streaming.via.rawValue)): \(summary(.connections)).",
      yLabel: "connections", series: [line("Connections", .connections)]))

    // The figures: every series, in the order of capacity.csv.
    let clock = ReportNumberFormat.clock(sinceStart:)
    let figures = ReportModel.Table(
      caption: "Over bins of \(ReportNumberFormat.duration(resolutionSeconds)); nearest-rank percentiles. "
        + "“Peak at” is the start of the peak's bin, as time since the start.",
      columns: ["Figure", "p50", "p99", "Peak", "Peak at"], numericColumns: [1, 2, 3, 4],
      rows: series.map { item in
        let s = item.stats
        let bytes = item.kind == .apiBytes || item.kind == .edgeBytes
        let title = bytes ? item.kind.title.replacingOccurrences(of: "bytes/s", with: "bandwidth") : item.kind.title
        return [title, value(item.kind, s.p50), value(item.kind, s.p99), value(item.kind, s.peak), clock(s.peakAtSeconds)]
      })

    // The storms: outages and restarts (a tier fails, clients retry) apart from state changes (clients fetch).
    let span = ReportNumberFormat.duration
    func backoff(_ retry: CapacityDefinition.RetryPolicy?) -> String {
      guard let retry else { return "–" }
      let jitter = retry.jitter == 1 ? "full jitter" : retry.jitter == 0 ? "no jitter" : "jitter \(JSONValue.format(retry.jitter))"
      return "\(span(retry.initial.seconds)) ×\(JSONValue.format(retry.multiplier)) up to \(span(retry.max.seconds)), \(jitter)"
    }
    var failures: [[String]] = []
    var changes: [[String]] = []
    for storm in storms {
      if let tier = storm.tier {
        let when = storm.kind == .apiOutage
          ? "\(clock(storm.fromSeconds)) to \(clock(storm.untilSeconds))"
          : "at \(clock(storm.fromSeconds)), down \(span(storm.untilSeconds - storm.fromSeconds))"
        var caught = n(storm.waiting)
        if storm.waitingEdges > 0 { caught += " + \(n(storm.waitingEdges)) edges" }
        failures.append([
          "\(storm.kind.rawValue) (\(tier == .api ? "API" : "edges"))", when, backoff(storm.retry), caught,
          rate(storm.failedRequests), rate(storm.typicalRequestsPerSecond),
          "\(rate(storm.peakRequestsPerSecond)) at \(clock(storm.peakAtSeconds))",
          "\(rate(storm.peakAfterEndRequestsPerSecond)) at \(clock(storm.peakAfterEndAtSeconds))",
          "\(storm.recovered50Seconds.map(span) ?? "–") / \(storm.recovered99Seconds.map(span) ?? "–")",
        ])
      } else {
        changes.append([
          storm.kind.rawValue, clock(storm.fromSeconds), rate(storm.fullAnswers), rate(storm.messages),
          storm.fetched50Seconds.map(span) ?? "–", storm.fetched99Seconds.map(span) ?? "–",
        ])
      }
    }
    var stormTables: [ReportModel.Table] = []
    if !failures.isEmpty {
      stormTables.append(ReportModel.Table(
        title: "Outages and restarts",
        caption: "Caught: clients (devices and frontend sessions) whose requests failed or whose stream broke. Usual: the tier's "
          + "median requests per second over the plan. Peak: from the storm's start to 15 minutes after its end (or the next storm); "
          + "after the end: the clients coming back. Back within: from the end until half and 99% of the caught clients got through.",
        columns: [
          "Storm", "When", "Retry backoff", "Clients caught", "Failed requests", "Usual requests/s", "Peak requests/s",
          "Peak after the end", "Back within: half / 99%",
        ],
        numericColumns: [3, 4, 5, 6, 7, 8], rows: failures))
    }
    if !changes.isEmpty {
      stormTables.append(ReportModel.Table(
        title: "State changes",
        caption: "Answers with the whole state and streaming messages from the change until the next one, devices coming back "
          + "online included. Had it within: until half and 99% of the clients online at the change had the new state (within an hour).",
        columns: ["Change", "At", "Answers with the whole state", "Streaming messages", "Half had it within", "99% had it within"],
        numericColumns: [2, 3, 4, 5], rows: changes))
    }

    // The cores at the peak: evaluation alone, and whole requests by Unleash Edge's published throughput.
    let headroom = Int((sizing.headroom * 100).rounded())
    var coreRows: [[String]] = []
    if let cost {
      coreRows.append([
        "Evaluation alone: \(String(format: "%.0f", cost.nanosecondsPerEvaluation)) ns each, "
          + (cost.measured ? "measured on this machine" : "given with --eval-ns"),
        "\(rate(1e9 / cost.nanosecondsPerEvaluation)) evaluations/s", cores(sizing.coresAtPeak), cores(sizing.coresAtP50),
      ])
    } else if sizing.cost != nil {
      coreRows.append(["Evaluation alone: measured on this machine, left out with --reproducible", "–", "–", "–"])
    } else {
      coreRows.append(["Evaluation alone: not measured (the state has no flags)", "–", "–", "–"])
    }
    for reference in sizing.references {
      let dataset = reference.dataset
      coreRows.append([
        "Whole requests at Unleash Edge's published rate for \(dataset.name)" + (dataset.name == sizing.nearest ? "; nearest to this state" : ""),
        "\(rate(dataset.frontendPerCore)) frontend and \(rate(dataset.clientPerCore)) client-features requests/s",
        cores(reference.coresAtPeak), "–",
      ])
    }
    let coresTable = ReportModel.Table(
      caption: "With \(headroom)% headroom. The peak is \(rate(series(.evaluations).stats.peak)) evaluations per second "
        + "(\(sizing.evaluationsPerRequest) per frontend request). Evaluation alone leaves out HTTP and serialization; the whole "
        + "requests use Unleash Edge's published requests per second per CPU (\(EdgeReference.source)) at the peak's mix of "
        + "frontend and client-features requests.",
      columns: ["Sized from", "One core serves", "Cores at the peak", "Cores at the median"], numericColumns: [2, 3],
      rows: coreRows)

    let makeUp: [ReportModel.CountTable] = [
      .init(title: "Clients", counts: [
        ("polling the API", population.polling), ("streaming", population.streaming),
        ("polling an edge", population.edgePolling), ("frontend (evaluated at the edge)", population.frontend),
      ]),
      .init(title: "Regions", counts: fleetMakeUp.regions),
      .init(title: "Platforms", counts: fleetMakeUp.platforms),
    ]
    var facts: [ReportModel.Fact] = []
    if population.edges > 0 { facts.append(.init("Edges", n(population.edges))) }
    return ReportModel(
      scenario: .init(
        name: definition.name, description: definition.description ?? "", seed: seed, devices: devices,
        simulatedSeconds: simulatedSeconds, startTime: definition.start,
        sources: definition.sources + (definition.sources.contains { $0.contains(EdgeReference.source) } ? [] : [EdgeReference.source]),
        windowSeconds: resolutionSeconds),
      fleetMakeUp: makeUp, extraCharts: charts,
      capacityPlan: .init(binSeconds: resolutionSeconds, facts: facts, figures: figures, storms: stormTables, cores: coresTable))
  }
}
