import ArgumentParser
import Capacity
import Delivery
import FlagEngine
import Foundation
import Partition
import Report
import Scenario

struct CapacityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "capacity",
    abstract: "Plan the capacity of a fleet's flag delivery path: requests, evaluations, bandwidth, cores.",
    discussion: """
      Uses the scenario's fleet and sync models (the same devices, sync mix, activity and diurnal curve) \
      and its optional capacity: section (frontend share, payloads and ETags, retries, servers, storms: apiOutage, \
      apiRestart, edgeRestart, stateChange; see scenarios/README.md). Computes requests per second on the \
      API and on the edges over time, evaluations per second at the edges (frontend SDKs: a request when a \
      session starts and every refresh while it lasts, every flag evaluated), bandwidth, open streaming connections, what each storm does, \
      the instances and cores each tier needs at the 99th percentile and through the worst storm (by Unleash Edge's \
      published throughput), what saturates first on the scenario's servers, and the cores evaluation alone takes \
      (the cost of an evaluation measured here by the engine on the scenario's own state and fleet, the loop of \
      rollsim bench eval). Writes capacity.json, capacity.csv and report.html to the output folder \
      (default: out/<scenario name>-capacity/; checked before any work, as rollsim run does, and \
      written through a staging folder moved into place when complete), and prints a short table on \
      stdout. Same scenario and seed, same figures; with --reproducible the files are byte-identical \
      (wall time and a measured cost are left out; a cost given with --eval-ns stays). Started as R MPI \
      ranks (mpirun -np R rollsim capacity ...), each rank walks its own range of devices, the counts are \
      added exactly, and rank 0 writes the same files one process writes.
      """
  )

  @Argument(help: ArgumentHelp("The scenario file.", valueName: "SCENARIO.yaml")) var scenario: String
  @OptionGroup var overrides: ScenarioOverrides
  @Option(
    name: .customLong("eval-ns"), parsing: .unconditional,
    help: ArgumentHelp("Use this cost per evaluation (nanoseconds, at most 1000000000) instead of measuring it.", valueName: "NS"),
    transform: ArgumentRange.positive(atMost: 1e9, unit: "nanoseconds"))
  var evalNanoseconds: Double?
  @Option(
    parsing: .unconditional, help: ArgumentHelp("Evaluations timed when measuring the cost (1...1000000000).", valueName: "N"),
    transform: ArgumentRange.whole(1...1_000_000_000))
  var evaluations = 2_000_000
  @OptionGroup var output: OutputOptions
  @OptionGroup var reproducibility: Reproducibility

  func run() throws {
    // Started as several ranks (mpirun -np R), the walk over devices is spread over them and rank 0
    // writes what one process writes; what can be refused is refused before any work, on every rank.
    let ranks = try Ranks.start()
    let options = CapacityOptions(devices: overrides.devices, seed: overrides.seed)
    let (loaded, folder) = try ranks.together {
      let loaded = try LoadedScenario.load(path: scenario)
      try CapacityPlanner.check(loaded, options: options)
      return (loaded, ranks.isLeader ? try output.prepare("out/\(loaded.definition.name)-capacity", files: CapacityOutcome.files) : nil)
    }
    let progress = ProgressLine(enabled: !output.quiet && ranks.isLeader)
    var report: (@Sendable (String) -> Void)? = nil
    if progress.enabled { report = { line in progress.show(line) } }
    let given = evalNanoseconds
    let evaluations = self.evaluations
    let outcome = try ranks.work {
      try CapacityPlanner.run(
        loaded, options: options, over: ranks,
        measure: { state, contexts in
          if let given { return EvaluationCost(nanosecondsPerEvaluation: given, method: "given with --eval-ns", measured: false) }
          return Self.measure(state: state, contexts: contexts, evaluations: evaluations)
        }, progress: report)
    }
    progress.clear()
    guard let outcome, let folder else { return }
    try outcome.write(
      to: folder, page: Report.html(outcome.reportModel(reproducible: reproducibility.reproducible)),
      reproducible: reproducibility.reproducible, command: OutputOptions.invocation)
    print(CapacityTable.text(outcome, reproducible: reproducibility.reproducible), terminator: "")
    output.announce(folder)
  }

  /// The loop of `rollsim bench eval --state`, on the scenario's state and its fleet's contexts: the
  /// variant of every flag in turn (what an edge's frontend endpoint resolves for each flag).
  static func measure(state: FlagState, contexts: [EvaluationContext], evaluations: Int) -> EvaluationCost? {
    let flags = state.flagHandles
    guard !flags.isEmpty, !contexts.isEmpty else { return nil }
    let workload = EvalWorkload(name: "scenario", state: state, contexts: contexts, flags: flags, askVariant: true)
    let result = workload.measure(evaluations: evaluations)
    var method = "rollsim bench eval's loop on this machine, one core: the variant of each of the state's \(flags.count) flags in turn, "
      + "over \(contexts.count) contexts of the fleet's devices, \(evaluations) evaluations"
    #if DEBUG
      method += " (a debug build: build with -c release for a representative figure)"
    #endif
    return EvaluationCost(nanosecondsPerEvaluation: result.nanosecondsPerEvaluation, method: method)
  }
}

/// The short table printed after a capacity plan.
enum CapacityTable {
  /// `reproducible` leaves out a measured cost, as in capacity.json.
  static func text(_ outcome: CapacityOutcome, reproducible: Bool) -> String {
    let g = { (value: Int) in value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
    func number(_ value: Double) -> String {
      if value >= 1e9 { return String(format: "%.2fG", value / 1e9) }
      if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
      if value >= 10 { return g(Int(value.rounded())) }
      return String(format: "%.2f", value)
    }
    let span = OutcomeTable.duration
    // A time since the start, to the second: 2:20:03.
    func time(_ seconds: Double) -> String {
      let total = Int(seconds.rounded())
      return String(format: "%d:%02d:%02d", total / 3600, total % 3600 / 60, total % 60)
    }
    var text = "\(outcome.scenario.definition.name): \(g(outcome.devices)) devices, \(time(outcome.simulatedSeconds)) planned, "
    text += "bins of \(JSONValue.format(outcome.resolutionSeconds))s, seed \(outcome.seed)\n"
    let p = outcome.population
    text += "clients: \(g(p.polling)) polling the API, \(g(p.streaming)) streaming (via \(outcome.capacity.streaming.via.rawValue)), "
    text += "\(g(p.edgePolling)) polling \(g(p.edges)) edges, \(g(p.frontend)) frontend\n\n"
    let kinds: [CapacitySeries.Kind] = [
      .apiRequests, .apiErrors, .apiShed, .edgeRequests, .edgeErrors, .edgeShed, .evaluations, .apiBytes, .edgeBytes, .connections,
      .messages,
    ]
    let labelWidth = kinds.map(\.title.count).max() ?? 0
    func row(_ cells: [String]) -> String {
      cells[0].padding(toLength: labelWidth, withPad: " ", startingAt: 0)
        + cells.dropFirst().map { String(repeating: " ", count: Swift.max(0, 10 - $0.count)) + $0 }.joined(separator: "  ")
    }
    text += row(["", "p50", "p99", "peak", "peak at"]) + "\n"
    for kind in kinds {
      let s = outcome.series(kind).stats
      text += row([kind.title, number(s.p50), number(s.p99), number(s.peak), time(s.peakAtSeconds)]) + "\n"
    }
    if !outcome.storms.isEmpty { text += "\nstorms\n" }
    for storm in outcome.storms {
      if let tier = storm.tier {
        var jitter = "each client's own rule"
        if let retry = storm.retry {
          switch retry {
          case .unleashNode: jitter = "Unleash's Node SDK"
          case .exponential(let b): jitter = b.jitter == 0 ? "no jitter" : "jitter \(JSONValue.format(b.jitter))"
          }
        }
        if storm.answer != .unavailable { jitter += ", answered \(storm.answer.rawValue)" }
        let window = storm.kind == .apiOutage
          ? "\(time(storm.fromSeconds))-\(time(storm.untilSeconds))"
          : "at \(time(storm.fromSeconds)), down \(span(storm.untilSeconds - storm.fromSeconds))"
        text += "  \(storm.kind.rawValue) \(window) (\(tier.rawValue), \(jitter)): \(g(storm.waiting)) clients caught"
        if storm.waitingEdges > 0 { text += " and \(storm.waitingEdges) edges" }
        text += "; typical \(number(storm.typicalRequestsPerSecond)) req/s, peak \(number(storm.peakRequestsPerSecond)) at \(time(storm.peakAtSeconds))"
        text += ", after the end \(number(storm.peakAfterEndRequestsPerSecond)) at \(time(storm.peakAfterEndAtSeconds))"
        if let r50 = storm.recovered50Seconds {
          text += ", half back within \(span(r50)), 99% " + (storm.recovered99Seconds.map { "within \(span($0))" } ?? "not within the plan")
        }
        text += "\n"
      } else {
        text += "  \(storm.kind.rawValue) at \(time(storm.fromSeconds)): \(number(storm.fullAnswers)) answers with the whole state, "
        text += "\(number(storm.messages)) streaming messages"
        if let half = storm.fetched50Seconds, let most = storm.fetched99Seconds {
          text += "; clients online had it: half within \(span(half)), 99% within \(span(most))"
        }
        text += "\n"
      }
    }
    let sizing = outcome.sizing
    let headroom = Int((sizing.headroom * 100).rounded())
    text += "\nservers, with \(headroom)% headroom at p99 (Unleash Edge's published rates unless the scenario gives a rate)\n"
    for tier in sizing.tiers {
      func need(_ need: CapacityOutcome.Need) -> String {
        g(need.instances) + (need.cores.map { " (\(g(Int($0.rounded()))) cores)" } ?? "")
      }
      let name = tier.tier == .api ? "API" : "edges"
      text += "  \(name): " + (tier.coresPerInstance.map { "instances of \(JSONValue.format($0)) CPUs" } ?? "instances at the given rate")
      if let stated = tier.statedInstances { text += ", \(g(Int(stated.rounded()))) given" }
      text += "; needed at p99 \(need(tier.atP99))"
      if let worst = tier.atWorstStorm, let index = tier.worstStorm, let storm = outcome.storms.first(where: { $0.index == index }) {
        text += ", through the worst storm (\(storm.kind.rawValue) at \(time(storm.fromSeconds))) \(need(worst))"
      }
      let one = tier.perInstance
      text += "; one instance \(number(one.p50)) / \(number(one.p99)) / \(number(one.peak)) req/s (p50 / p99 / peak)"
      text += "; load \(Int((tier.utilization.p99 * 100).rounded()))% / \(Int((tier.utilization.peak * 100).rounded()))% of capacity\n"
      if let connections = tier.connectionsPerEdge, let bytes = tier.bytesPerEdge {
        text += "  one edge: \(number(connections.p50)) connections (peak \(number(connections.peak))), "
        text += "\(number(bytes.p99)) bytes/s at p99 (peak \(number(bytes.peak)))\n"
      }
    }
    let servers = sizing.saturationOnStatedServers ? "the scenario's servers" : "servers sized at p99"
    if let first = sizing.saturatesFirst {
      text += "  saturates first on \(servers): \(first.tier == .api ? "API" : "edges") (\(first.pool)) at \(time(first.fromSeconds)), "
      text += "shedding for \(span(first.seconds)) in all (longest \(span(first.longestSeconds))), "
      text += "up to \(number(first.peakShedPerSecond)) requests/s\n"
    } else if let closest = sizing.tiers.max(by: { $0.utilization.peak < $1.utilization.peak }) {
      text += "  nothing is shed on \(servers); the busiest: \(closest.tier == .api ? "API" : "edges") offered "
      text += "\(Int((closest.utilization.peak * 100).rounded()))% of its capacity in its peak bin (queued within the timeout)\n"
    }
    text += "\ncores for evaluation alone at the peak (\(number(outcome.series(.evaluations).stats.peak)) evaluations/s, "
    text += "\(sizing.evaluationsPerRequest) per frontend request)\n"
    if let cost = sizing.cost, cost.measured && reproducible {
      text += "  measured here, left out with --reproducible\n"
    } else if let cost = sizing.cost, let cores = sizing.coresAtPeak {
      text += "  \(cost.measured ? "measured here" : "given with --eval-ns"): "
      text += "\(String(format: "%.0f", cost.nanosecondsPerEvaluation)) ns each -> "
      text += "\(String(format: "%.3g", cores)) cores\n"
    } else {
      text += "  not measured (the state has no flags)\n"
    }
    text += "  source of the published rates: \(EdgeBenchmark.source)\n"
    return text
  }
}
