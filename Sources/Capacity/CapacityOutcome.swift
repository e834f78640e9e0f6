import Delivery
import FlagEngine
import Fleet
import Foundation
import Scenario

/// A capacity plan: the figures over time and their statistics, what each storm did, and the cores.
public struct CapacityOutcome: Sendable {
  public let scenario: LoadedScenario
  public let capacity: CapacityDefinition
  public let seed: UInt64
  public let devices: Int
  public let simulatedSeconds: Double
  public let resolutionSeconds: Double
  public let tickSeconds: Double
  /// Devices per kind of client.
  public let population: Population
  public let payload: Payload
  public let series: [CapacitySeries]
  public let storms: [StormResult]
  public let closedForm: ClosedForm
  public let sizing: Sizing
  public let fleetMakeUp: FleetMakeUp
  public let wallSeconds: Double

  public struct Population: Sendable {
    public var polling: Int
    public var streaming: Int
    public var edgePolling: Int
    public var frontend: Int
    public var edges: Int
  }

  public struct Payload: Sendable {
    public var etag: Bool
    public var stateBytes: Int
    /// Whether `stateBytes` is the scenario's own state, serialized (not a given size).
    public var stateMeasured: Bool
    public var headerBytes: Int
    public var frontendBytes: Int
    public var messageBytes: Int
    public var flags: Int
  }

  /// The steady state by formula: N devices polling every T seconds, online a share o of the time, make
  /// N·o/T requests per second; E edges refreshing every R make E/R; frontend sessions average
  /// o·Σ sessionsPerDay / 86400 per second over a day.
  public struct ClosedForm: Sendable {
    public var apiPollsPerSecond: Double
    public var edgeRefreshesPerSecond: Double
    public var edgePollsPerSecond: Double
    public var frontendRequestsPerSecond: Double
    public var streamingConnections: Double
  }

  /// What one storm did.
  public struct StormResult: Sendable {
    public var index: Int
    public var kind: CapacityDefinition.Storm.Kind
    public var fromSeconds: Double
    public var untilSeconds: Double
    public var tier: CapacityDefinition.Tier?
    /// The rule the storm gives everyone it catches; nil: each client's own.
    public var retry: RetryRule?
    /// What the unavailable tier answered.
    public var answer: Answer
    /// Clients caught: devices (and frontend sessions) whose requests failed or whose stream broke.
    public var waiting: Int
    public var waitingEdges: Int
    public var failedRequests: Double
    /// The tier's requests per second: its median over the run, and the peak from the storm's start to
    /// 15 minutes after its end.
    public var typicalRequestsPerSecond: Double
    public var peakRequestsPerSecond: Double
    public var peakAtSeconds: Double
    /// The peak from the storm's end to 15 minutes later: the clients coming back.
    public var peakAfterEndRequestsPerSecond: Double
    public var peakAfterEndAtSeconds: Double
    /// Seconds after the end until half and 99% of the caught clients got through (through the servers'
    /// capacity when the scenario gives servers).
    public var recovered50Seconds: Double?
    public var recovered99Seconds: Double?
    /// For a state change: answers with the whole state and streaming messages until the next change
    /// (devices coming back online included), and the seconds until half and 99% of the clients online
    /// at the change had it (within an hour).
    public var fullAnswers: Double
    public var messages: Double
    public var fetched50Seconds: Double?
    public var fetched99Seconds: Double?
  }

  /// The cores evaluation takes, and the instances and cores each tier needs.
  public struct Sizing: Sendable {
    public var headroom: Double
    public var evaluationsPerRequest: Int
    public var cost: EvaluationCost?
    /// Cores for evaluation alone at the peak and the median of evaluations, with headroom.
    public var coresAtPeak: Double?
    public var coresAtP50: Double?
    /// The API's and the edges' instances.
    public var tiers: [TierSizing]
    /// Whose servers the saturation was played on: the scenario's, or (when it gives none) servers sized
    /// for the 99th percentile.
    public var saturationOnStatedServers: Bool
    /// The first pool to shed requests, when one does.
    public var saturatesFirst: Spell?
  }

  /// What one tier needs, and what its servers went through.
  public struct TierSizing: Sendable {
    public var tier: CapacityDefinition.Tier
    /// CPUs per instance; nil when the scenario gives a rate per instance instead.
    public var coresPerInstance: Double?
    /// How one instance's cost per request was found.
    public var costBasis: String
    /// Whether each region has its own instances (the edges; the API with `instancesPerRegion`).
    public var perRegion: Bool
    /// Seconds a request may queue before it is shed.
    public var timeoutSeconds: Double
    /// The instances the scenario gives (every region's), nil when it gives none.
    public var statedInstances: Double?
    /// To keep each instance's 99th-percentile second within its capacity less the headroom.
    public var atP99: Need
    /// To shed nothing through the worst storm (nil without storms), and which storm that is.
    public var atWorstStorm: Need?
    public var worstStorm: Int?
    /// Requests per second at one instance of the busiest pool, with the instances given (or those sized
    /// at p99): the median and 99th percentile of its seconds with their Poisson noise, and the 99th
    /// percentile of its busiest bin's seconds.
    public var perInstance: PerInstance
    /// Offered work over capacity at the busiest pool, on the servers the saturation was played on: its
    /// 99th percentile over the output bins, and its peak (above 1 the pool queues, then sheds).
    public var utilization: (p99: Double, peak: Double)
    /// Edges only: streaming connections and bytes per second at one edge of the busiest region.
    public var connectionsPerEdge: (p50: Double, peak: Double)?
    public var bytesPerEdge: (p99: Double, peak: Double)?
    /// Where the tier's pools shed requests, earliest first.
    public var spells: [Spell]
  }

  public struct Need: Sendable {
    /// Instances in all (summed over the regions where each has its own).
    public var instances: Int
    /// Instances of the busiest pool (every region's, or the busiest region's).
    public var busiestPool: Int
    /// Cores in all; nil when instances are given by their rate.
    public var cores: Double?
  }

  public struct PerInstance: Sendable {
    public var instances: Double
    public var p50: Double
    public var p99: Double
    public var peak: Double
  }

  /// A pool shedding requests.
  public struct Spell: Sendable {
    public var tier: CapacityDefinition.Tier
    /// "every region" or the region's name.
    public var pool: String
    public var fromSeconds: Double
    /// Seconds in all the pool shed requests, and its longest stretch.
    public var seconds: Double
    public var longestSeconds: Double
    public var peakShedPerSecond: Double
  }

  public func series(_ kind: CapacitySeries.Kind) -> CapacitySeries { series.first { $0.kind == kind }! }

  /// `herdServed`: per window, its caught clients served per tick from its end, through the scenario's
  /// servers (nil: servers of unlimited capacity, the walk's recoveries stand).
  init(
    scenario: LoadedScenario, capacity: CapacityDefinition, model: CapacityModel, fleet: Fleet, tally: CapacityTally,
    edges: EdgeWalk, sizes: PayloadSizes, series builder: CapacitySeriesBuilder, herdServed: [[Double]]?, tiers: [TierSizing],
    saturationOnStatedServers: Bool, cost: EvaluationCost?, wallSeconds: Double
  ) {
    self.scenario = scenario
    self.capacity = capacity
    seed = model.seed
    devices = fleet.count
    simulatedSeconds = model.duration
    let resolution = Double(model.binTicks) * model.tick
    resolutionSeconds = resolution
    tickSeconds = model.tick
    self.wallSeconds = wallSeconds
    fleetMakeUp = ScenarioRunner.makeUp(fleet)
    var population = Population(polling: 0, streaming: 0, edgePolling: 0, frontend: tally.frontendDevices, edges: model.edgeCount)
    var closed = ClosedForm(
      apiPollsPerSecond: 0, edgeRefreshesPerSecond: 0, edgePollsPerSecond: 0, frontendRequestsPerSecond: 0, streamingConnections: 0)
    for (c, sync) in model.classes.enumerated() {
      let count = tally.classDevices[c]
      switch sync.kind {
      case .polling:
        population.polling += count
        closed.apiPollsPerSecond += Double(count) * model.online / sync.interval
      case .streaming:
        population.streaming += count
        closed.streamingConnections += Double(count) * model.online
      case .edgePolling:
        population.edgePolling += count
        closed.edgePollsPerSecond += Double(count) * model.online / sync.interval
      }
    }
    for pool in model.pools { closed.edgeRefreshesPerSecond += Double(pool.perRegion * model.regionCount) / pool.refresh }
    closed.frontendRequestsPerSecond =
      model.online * Double(tally.frontendSessions.reduce(0, +)) / 1024 / 86_400 * Double(model.frontendRequests)
    self.population = population
    closedForm = closed
    payload = Payload(
      etag: model.etag, stateBytes: sizes.stateBytes, stateMeasured: sizes.stateMeasured, headerBytes: sizes.headerBytes,
      frontendBytes: sizes.frontendBytes, messageBytes: sizes.messageBytes, flags: sizes.flags)

    let series = CapacitySeries.Kind.allCases.map { CapacitySeries(kind: $0, values: builder.perBin($0), resolution: resolution) }
    self.series = series
    func find(_ kind: CapacitySeries.Kind) -> CapacitySeries { series.first { $0.kind == kind }! }

    // Storms.
    var results: [StormResult] = []
    let apiFailedTicks = builder.perTick(.apiErrors)
    let edgeFailedTicks = builder.perTick(.edgeErrors)
    let fullTicks = builder.perTick(.fullAnswers)
    let messageTicks = builder.perTick(.messages)
    for (index, storm) in capacity.storms.enumerated() {
      var result = StormResult(
        index: index, kind: storm.kind, fromSeconds: storm.from.seconds, untilSeconds: storm.until.seconds, tier: storm.tier,
        retry: storm.tier == nil ? nil : capacity.retry(of: storm), answer: storm.answer, waiting: 0, waitingEdges: 0, failedRequests: 0,
        typicalRequestsPerSecond: 0, peakRequestsPerSecond: 0, peakAtSeconds: 0, peakAfterEndRequestsPerSecond: 0,
        peakAfterEndAtSeconds: 0, fullAnswers: 0, messages: 0)
      if let tier = storm.tier, let w = model.windows.firstIndex(where: { $0.storm == index }) {
        let window = model.windows[w]
        result.waiting = tally.waiting[w]
        result.waitingEdges = edges.waiting[w]
        let failed = tier == .api ? apiFailedTicks : edgeFailedTicks
        result.failedRequests = failed[window.firstTick..<Swift.min(model.ticks, window.endTick)].reduce(0, +)
        let requests = find(tier == .api ? .apiRequests : .edgeRequests)
        result.typicalRequestsPerSecond = requests.stats.p50
        let nextStart = model.windows.first { $0.from > window.from }?.from ?? .infinity
        let horizon = Swift.min(window.until + 900, nextStart, model.duration)
        let firstBin = Int(window.from / resolution)
        let lastBin = Swift.min(requests.values.count, Int((horizon / resolution).rounded(.up)))
        func peak(from first: Int) -> (Double, Double)? {
          guard first < lastBin else { return nil }
          var peak = first
          for bin in first..<lastBin where requests.values[bin] > requests.values[peak] { peak = bin }
          return (requests.values[peak], Double(peak) * resolution)
        }
        if let (value, at) = peak(from: firstBin) {
          result.peakRequestsPerSecond = value
          result.peakAtSeconds = at
        }
        if let (value, at) = peak(from: Int(window.until / resolution)) {
          result.peakAfterEndRequestsPerSecond = value
          result.peakAfterEndAtSeconds = at
        }
        // Back: the walk's recoveries, or what the servers served of them.
        let recovered = tally.recovered[w].map(Double.init)
        let served = herdServed?[w] ?? recovered
        let total = recovered.reduce(0, +)
        if total > 0 {
          let base = Double(model.untilTick(window)) * model.tick
          func quantile(_ p: Double) -> Double? {
            var sum = 0.0
            for (i, count) in served.enumerated() {
              sum += count
              if sum >= p * total * (1 - 1e-9) { return Swift.max(0, base + Double(i + 1) * model.tick - window.until) }
            }
            return nil
          }
          result.recovered50Seconds = quantile(0.5)
          result.recovered99Seconds = quantile(0.99)
        }
      } else {
        // A state change: what it made clients fetch, until the next change.
        let at = storm.from.seconds
        let next = model.changes.first { $0 > at } ?? model.duration
        let first = model.tickIndex(at) ?? model.ticks
        let last = model.tickIndex(next) ?? model.ticks
        for t in first..<last {
          result.fullAnswers += fullTicks[t]
          result.messages += messageTicks[t]
        }
        if let change = model.changeStorms.firstIndex(of: index) {
          let fetched = tally.fetched[change]
          let total = fetched.reduce(0) { $0 + Int($1) }
          func quantile(_ p: Double) -> Double? {
            guard total > 0 else { return nil }
            var sum = 0
            for (i, count) in fetched.enumerated() {
              sum += Int(count)
              if Double(sum) >= p * Double(total) { return Double(i + 1) * model.tick }
            }
            return nil
          }
          result.fetched50Seconds = quantile(0.5)
          result.fetched99Seconds = quantile(0.99)
        }
      }
      results.append(result)
    }
    storms = results

    // Cores: the measured cost of the evaluations at their peak; the tiers' instances.
    let evaluations = find(.evaluations).stats
    let headroom = capacity.headroom
    var sizing = Sizing(
      headroom: headroom, evaluationsPerRequest: sizes.flags, cost: cost, tiers: tiers,
      saturationOnStatedServers: saturationOnStatedServers,
      saturatesFirst: tiers.flatMap(\.spells).min { $0.fromSeconds < $1.fromSeconds })
    if let cost {
      sizing.coresAtPeak = evaluations.peak * cost.nanosecondsPerEvaluation / 1e9 * (1 + headroom)
      sizing.coresAtP50 = evaluations.p50 * cost.nanosecondsPerEvaluation / 1e9 * (1 + headroom)
    }
    self.sizing = sizing
  }
}

// MARK: capacity.json and capacity.csv

extension CapacityOutcome {
  /// `capacity.json`: ordered keys, numbers formatted for stable output. `reproducible` leaves out what
  /// measures this machine: wall time, and a measured evaluation cost with the cores sized from it (a
  /// given cost stays).
  public func json(reproducible: Bool) -> JSONValue {
    let omitCost = reproducible && sizing.cost?.measured == true
    func stats(_ s: CapacitySeries.Stats) -> JSONValue {
      .object([
        ("mean", .number(s.mean)), ("p50", .number(s.p50)), ("p99", .number(s.p99)), ("peak", .number(s.peak)),
        ("peakAtSeconds", .number(s.peakAtSeconds)),
      ])
    }
    func retry(_ rule: RetryRule) -> JSONValue {
      switch rule {
      case .unleashNode: return .object([("rule", .string(rule.name))])
      case .exponential(let b):
        return .object([
          ("rule", .string(rule.name)), ("initialSeconds", .number(b.initial.seconds)), ("maxSeconds", .number(b.max.seconds)),
          ("multiplier", .number(b.multiplier)), ("jitter", .number(b.jitter)),
        ])
      }
    }
    let stormValues: [JSONValue] = storms.map { storm in
      var fields: [(String, JSONValue)] = [("kind", .string(storm.kind.rawValue)), ("index", .int(storm.index))]
      if let tier = storm.tier {
        fields += [
          ("tier", .string(tier.rawValue)), ("fromSeconds", .number(storm.fromSeconds)),
          ("untilSeconds", .number(storm.untilSeconds)), ("answer", .string(storm.answer.rawValue)),
          ("retry", storm.retry.map(retry) ?? .string("each client's own")),
          ("waitingClients", .int(storm.waiting)), ("waitingEdges", .int(storm.waitingEdges)),
          ("failedRequests", .number(storm.failedRequests)),
          ("typicalRequestsPerSecond", .number(storm.typicalRequestsPerSecond)),
          ("peakRequestsPerSecond", .number(storm.peakRequestsPerSecond)), ("peakAtSeconds", .number(storm.peakAtSeconds)),
          ("peakAfterEndRequestsPerSecond", .number(storm.peakAfterEndRequestsPerSecond)),
          ("peakAfterEndAtSeconds", .number(storm.peakAfterEndAtSeconds)),
          ("recovered50Seconds", .optional(storm.recovered50Seconds)), ("recovered99Seconds", .optional(storm.recovered99Seconds)),
        ]
      } else {
        fields += [
          ("atSeconds", .number(storm.fromSeconds)), ("fullAnswers", .number(storm.fullAnswers)),
          ("streamingMessages", .number(storm.messages)), ("fetched50Seconds", .optional(storm.fetched50Seconds)),
          ("fetched99Seconds", .optional(storm.fetched99Seconds)),
        ]
      }
      return .object(fields)
    }
    var measured: JSONValue = .null
    if let cost = sizing.cost, !omitCost {
      measured = .object([("nanosecondsPerEvaluation", .number(cost.nanosecondsPerEvaluation)), ("method", .string(cost.method))])
    }
    let sizingValue: JSONValue = .object([
      ("headroom", .number(sizing.headroom)),
      ("evaluationsPerRequest", .int(sizing.evaluationsPerRequest)),
      ("peakEvaluationsPerSecond", .number(series(.evaluations).stats.peak)),
      ("measured", measured),
      ("coresAtPeak", omitCost ? .null : .optional(sizing.coresAtPeak)),
      ("coresAtP50", omitCost ? .null : .optional(sizing.coresAtP50)),
      ("tiers", .array(sizing.tiers.map(tierValue))),
      ("saturation", .object([
        ("servers", .string(sizing.saturationOnStatedServers ? "the scenario's" : "sized for the 99th percentile")),
        ("first", sizing.saturatesFirst.map(spellValue) ?? .null),
      ])),
      ("unleashEdgeBenchmark", .object([
        ("source", .string(EdgeBenchmark.source)),
        ("note", .string(EdgeBenchmark.note)),
        ("cores", .array(EdgeBenchmark.cores.map { .number($0) })),
        ("datasets", .array(EdgeBenchmark.datasets.map { dataset in
          .object([
            ("name", .string(dataset.name)), ("features", .int(dataset.features)), ("bytes", .int(dataset.bytes)),
            ("frontendRequestsPerSecond", .array(dataset.frontend.map { .number($0) })),
            ("clientFeaturesRequestsPerSecond", .array(dataset.clientFeatures.map { .number($0) })),
          ])
        })),
      ])),
    ])
    return .object([
      ("scenario", .string(scenario.definition.name)),
      ("seed", .int(Int(truncatingIfNeeded: seed))),
      ("devices", .int(devices)),
      ("simulatedSeconds", .number(simulatedSeconds)),
      ("resolutionSeconds", .number(resolutionSeconds)),
      ("tickSeconds", .number(tickSeconds)),
      ("population", .object([
        ("polling", .int(population.polling)), ("streaming", .int(population.streaming)),
        ("edgePolling", .int(population.edgePolling)), ("frontend", .int(population.frontend)), ("edges", .int(population.edges)),
        ("streamingVia", .string(capacity.streaming.via.rawValue)),
      ])),
      ("payload", .object([
        ("etag", .bool(payload.etag)), ("stateBytes", .int(payload.stateBytes)),
        ("stateBytesFrom", .string(payload.stateMeasured ? "the scenario's flag state, serialized" : "capacity.payload.bytes")),
        ("headerBytes", .int(payload.headerBytes)), ("frontendAnswerBytes", .int(payload.frontendBytes)),
        ("streamingMessageBytes", .int(payload.messageBytes)), ("flags", .int(payload.flags)),
      ])),
      ("closedForm", .object([
        ("apiPollsPerSecond", .number(closedForm.apiPollsPerSecond)),
        ("edgeRefreshesPerSecond", .number(closedForm.edgeRefreshesPerSecond)),
        ("edgePollsPerSecond", .number(closedForm.edgePollsPerSecond)),
        ("frontendRequestsPerSecondDailyMean", .number(closedForm.frontendRequestsPerSecond)),
        ("streamingConnections", .number(closedForm.streamingConnections)),
      ])),
      ("series", .object(series.map { ($0.kind.rawValue, stats($0.stats)) })),
      ("storms", .array(stormValues)),
      ("sizing", sizingValue),
      ("run", .object([("wallSeconds", reproducible ? .null : .number(wallSeconds))])),
    ])
  }

  func spellValue(_ spell: Spell) -> JSONValue {
    .object([
      ("tier", .string(spell.tier.rawValue)), ("pool", .string(spell.pool)), ("fromSeconds", .number(spell.fromSeconds)),
      ("seconds", .number(spell.seconds)), ("longestSeconds", .number(spell.longestSeconds)),
      ("peakShedPerSecond", .number(spell.peakShedPerSecond)),
    ])
  }

  func tierValue(_ tier: TierSizing) -> JSONValue {
    func need(_ need: Need) -> JSONValue {
      .object([("instances", .int(need.instances)), ("busiestPool", .int(need.busiestPool)), ("cores", .optional(need.cores))])
    }
    var fields: [(String, JSONValue)] = [
      ("tier", .string(tier.tier.rawValue)),
      ("coresPerInstance", .optional(tier.coresPerInstance)),
      ("costBasis", .string(tier.costBasis)),
      ("perRegion", .bool(tier.perRegion)),
      ("timeoutSeconds", .number(tier.timeoutSeconds)),
      ("statedInstances", .optional(tier.statedInstances)),
      ("atP99", need(tier.atP99)),
      ("atWorstStorm", tier.atWorstStorm.map(need) ?? .null),
      ("worstStorm", tier.worstStorm.map { .int($0) } ?? .null),
      ("utilization", .object([("p99", .number(tier.utilization.p99)), ("peak", .number(tier.utilization.peak))])),
      ("perInstanceRequestsPerSecond", .object([
        ("instances", .number(tier.perInstance.instances)), ("p50", .number(tier.perInstance.p50)),
        ("p99", .number(tier.perInstance.p99)), ("peak", .number(tier.perInstance.peak)),
      ])),
    ]
    if let connections = tier.connectionsPerEdge {
      fields.append(("connectionsPerEdge", .object([("p50", .number(connections.p50)), ("peak", .number(connections.peak))])))
    }
    if let bytes = tier.bytesPerEdge {
      fields.append(("bytesPerSecondPerEdge", .object([("p99", .number(bytes.p99)), ("peak", .number(bytes.peak))])))
    }
    fields.append(("saturation", .array(tier.spells.map(spellValue))))
    return .object(fields)
  }

  /// `capacity.csv`: one row per output bin.
  public var csv: String {
    var lines = [(["start_s"] + series.map(\.kind.column)).joined(separator: ",")]
    let bins = series.first?.values.count ?? 0
    lines.reserveCapacity(bins + 1)
    for bin in 0..<bins {
      var row = JSONValue.format(Double(bin) * resolutionSeconds)
      for item in series {
        row += ","
        row += JSONValue.format(item.values[bin])
      }
      lines.append(row)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
