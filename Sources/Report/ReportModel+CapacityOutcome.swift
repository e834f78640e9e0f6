import Capacity
import Delivery
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
    // Requests; what the servers shed is in their own series and in Servers.
    charts.append(ReportModel.ExtraChart(
      title: "Requests per second",
      description: "API (polls, failed attempts, stream connections, edge refreshes): \(summary(.apiRequests)). "
        + "Edges (polls, frontend evaluations, failed attempts): \(summary(.edgeRequests)). Bins of "
        + "\(ReportNumberFormat.duration(resolutionSeconds)). Requests the servers shed over their capacity come back as retries "
        + "by each client's rule; see Servers.",
      yLabel: "requests per second", series: [line("API", .apiRequests), line("Edges", .edgeRequests)],
      references: []))
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
    func backoff(_ retry: RetryRule?) -> String {
      guard let retry else { return "each client's own" }
      switch retry {
      case .unleashNode: return "Unleash's Node SDK"
      case .exponential(let b):
        let jitter = b.jitter == 1 ? "full jitter" : b.jitter == 0 ? "no jitter" : "jitter \(JSONValue.format(b.jitter))"
        return "\(span(b.initial.seconds)) ×\(JSONValue.format(b.multiplier)) up to \(span(b.max.seconds)), \(jitter)"
      }
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
          "\(storm.kind.rawValue) (\(tier == .api ? "API" : "edges"))", when,
          backoff(storm.retry) + (storm.answer == .unavailable ? "" : "; answered \(storm.answer.rawValue)"), caught,
          rate(storm.failedRequests), rate(storm.typicalRequestsPerSecond),
          "\(rate(storm.peakRequestsPerSecond)) at \(clock(storm.peakAtSeconds))",
          "\(rate(storm.peakAfterEndRequestsPerSecond)) at \(clock(storm.peakAfterEndAtSeconds))",
          "\(storm.recovered50Seconds.map(span) ?? "–") / \(storm.recovered99Seconds.map(span) ?? "not within the plan")",
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
    let coresTable = ReportModel.Table(
      caption: "With \(headroom)% headroom. The peak is \(rate(series(.evaluations).stats.peak)) evaluations per second "
        + "(\(sizing.evaluationsPerRequest) per frontend request). Evaluation alone leaves out HTTP and serialization; whole "
        + "requests are in Servers, by Unleash Edge's published rates (\(EdgeBenchmark.source)).",
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
        sources: definition.sources + (definition.sources.contains { $0.contains(EdgeBenchmark.source) } ? [] : [EdgeBenchmark.source]),
        windowSeconds: resolutionSeconds),
      fleetMakeUp: makeUp, extraCharts: charts,
      capacityPlan: .init(
        binSeconds: resolutionSeconds, facts: facts, figures: figures, storms: stormTables, cores: coresTable,
        servers: serverTables(rate: rate)))
  }

  /// The instances each tier needs (at p99 and through the worst storm), one instance's load, and where
  /// the servers shed.
  func serverTables(rate: (Double) -> String) -> [ReportModel.Table] {
    let n: (Int) -> String = { ReportNumberFormat.grouped($0) }
    let clock = ReportNumberFormat.clock(sinceStart:)
    let span = ReportNumberFormat.duration
    func need(_ need: CapacityOutcome.Need?) -> String {
      guard let need else { return "–" }
      var text = n(need.instances)
      if let cores = need.cores { text += " (\(ReportNumberFormat.grouped(cores, decimals: cores < 10 ? 1 : 0)) cores)" }
      return text
    }
    let headroom = Int((sizing.headroom * 100).rounded())
    var rows: [[String]] = []
    for tier in sizing.tiers {
      let size = tier.coresPerInstance.map { "\(ReportNumberFormat.trimmed($0, maxDecimals: 1)) CPUs each" } ?? "a given rate each"
      var stated = tier.statedInstances.map { n(Int($0.rounded())) } ?? "not given"
      if tier.perRegion && tier.tier == .api { stated += " (per region)" }
      let worst = tier.worstStorm.map { index in storms.first { $0.index == index }.map { "\($0.kind.rawValue) at \(clock($0.fromSeconds))" } ?? "" } ?? ""
      let perInstance = tier.perInstance
      let percent = { (fraction: Double) in "\(ReportNumberFormat.grouped(fraction * 100, decimals: 0))%" }
      rows.append([
        tier.tier == .api ? "API" : "Edges", size, stated, need(tier.atP99),
        tier.atWorstStorm == nil ? "no storm" : "\(need(tier.atWorstStorm)) (\(worst))",
        "\(rate(perInstance.p50)) / \(rate(perInstance.p99)) / \(rate(perInstance.peak))",
        "\(percent(tier.utilization.p99)) / \(percent(tier.utilization.peak))",
      ])
    }
    var tables = [
      ReportModel.Table(
        title: "Instances per tier",
        caption: "At p99: the fewest instances whose 99th-percentile second (the Poisson noise of one instance's own requests "
          + "included) keeps within their capacity less \(headroom)% headroom. Through the worst storm: the fewest whose queues "
          + "shed nothing from the storm's start to 15 minutes after its end. One instance: requests per second at one instance "
          + "of the busiest pool (the scenario's instances, or those sized at p99), median and 99th percentile of its seconds, "
          + "and its busiest second. Load: work offered over the capacity of the busiest pool (on the scenario's servers, or "
          + "those sized at p99), 99th percentile and peak; above 100% it queues, then sheds. Costs: " + sizing.tiers.map { "\($0.tier == .api ? "API" : "edges"): \($0.costBasis)" }
          .joined(separator: "; ") + ".",
        columns: [
          "Tier", "Instance", "Given", "Needed at p99", "Needed through the worst storm", "One instance: p50 / p99 / peak req/s",
          "Load: p99 / peak",
        ],
        numericColumns: [2, 3, 4, 5, 6], rows: rows),
    ]
    var perEdge: [[String]] = []
    for tier in sizing.tiers where tier.tier == .edge {
      if let connections = tier.connectionsPerEdge {
        perEdge.append(["Streaming connections", n(Int(connections.p50.rounded())), n(Int(connections.peak.rounded()))])
      }
      if let bytes = tier.bytesPerEdge {
        perEdge.append(["Bandwidth", ReportNumberFormat.bytesPerSecond(bytes.p99), ReportNumberFormat.bytesPerSecond(bytes.peak)])
      }
    }
    if !perEdge.isEmpty {
      tables.append(ReportModel.Table(
        title: "One edge of the busiest region", caption: "Connections: median and peak; bandwidth: 99th percentile and peak.",
        columns: ["", "Typical", "Peak"], numericColumns: [1, 2], rows: perEdge))
    }
    let spells = sizing.tiers.flatMap(\.spells).sorted { $0.fromSeconds < $1.fromSeconds }
    let servers = sizing.saturationOnStatedServers ? "the scenario's servers" : "servers sized for the 99th percentile (the scenario gives none)"
    tables.append(ReportModel.Table(
      title: "What saturates first",
      caption: spells.isEmpty
        ? "On \(servers), no pool sheds a request."
        : "On \(servers): pools that shed requests (a request that would queue longer than the timeout is answered 503 and "
          + "retried by its client's rule), earliest first.",
      columns: ["Pool", "From", "Shedding in all", "Longest stretch", "Most shed in a second"], numericColumns: [2, 3, 4],
      rows: spells.map { spell in
        [
          "\(spell.tier == .api ? "API" : "edges"), \(spell.pool)", clock(spell.fromSeconds), span(spell.seconds), span(spell.longestSeconds),
          rate(spell.peakShedPerSecond),
        ]
      }))
    return tables
  }
}
