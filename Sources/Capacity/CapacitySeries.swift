import Delivery
import Fleet
import Foundation

/// The tallies turned into counts per tick: the renewal equation fills in regular polls, the capped
/// retries of long storms and the frontend sessions' diurnal rate; then counts per output bin.
struct CapacitySeriesBuilder: Sendable {
  /// Per tick.
  var apiPolls: [Double]
  var edgePolls: [Double]
  var apiFailed: [Double]
  var edgeFailed: [Double]
  var frontend: [Double]
  var apiFull: [Double]
  var edgeFull: [Double]
  var upstream: [Double]
  var upstreamFull: [Double]
  var upstreamFailed: [Double]
  var apiConnects: [Double]
  var edgeConnects: [Double]
  var apiMessages: [Double]
  var edgeMessages: [Double]
  var connections: [Double]
  /// Per polling class (empty for streams): its regular polls per tick.
  var classPolls: [[Double]]
  /// Per region: the frontend requests per tick (their sum is `frontend`, less the retried ones).
  var frontendByRegion: [[Double]]
  /// Per tier: requests the servers shed, and requests their retries added (``CapacitySaturation``);
  /// zero with servers of unlimited capacity.
  var shed: [[Double]]
  var retried: [[Double]]
  let model: CapacityModel
  let sizes: PayloadSizes

  init(
    model: CapacityModel, tally: CapacityTally, edges: EdgeWalk, sizes: PayloadSizes, curve: DiurnalCurve,
    dayStart: Double, offsets: [Double]
  ) {
    self.model = model
    self.sizes = sizes
    let n = model.ticks
    func double(_ values: [Int32]) -> [Double] { values.map(Double.init) }
    apiPolls = [Double](repeating: 0, count: n)
    edgePolls = apiPolls
    shed = [apiPolls, apiPolls]
    retried = shed
    classPolls = model.classes.map { _ in [] }
    for (c, sync) in model.classes.enumerated() where sync.kind != .streaming {
      let kernel = RenewalKernel(interval: sync.interval, jitter: sync.jitter, leaving: model.leaving, tick: model.tick)
      let polls = Renewal.run(starts: double(tally.starts[c]), kernel: kernel, cuts: model.cuts(sync.tier))
      classPolls[c] = polls
      if sync.tier == .api {
        for t in 0..<n { apiPolls[t] += polls[t] }
      } else {
        for t in 0..<n { edgePolls[t] += polls[t] }
      }
    }
    apiFailed = double(tally.failed[0])
    edgeFailed = double(tally.failed[1])
    // Fetches whose waits became steady well before the window's end: a renewal process of steady waits,
    // each fetch as many attempts as its rule makes, counted up to the window's end.
    for (index, window) in model.windows.enumerated() {
      for client in 0..<model.retryClients where tally.cappedStarts[index][client].contains(where: { $0 != 0 }) {
        let rule = model.rule(client, in: window)
        let interval = model.interval(client)
        var offsets: [Double] = [0]
        let cycle: (mean: Double, jitter: Double)
        if interval == 0 {
          cycle = RetryRule.exponential(rule.reconnection).steadyCycle(after: window.answer, interval: 0)
        } else {
          cycle = rule.steadyCycle(after: window.answer, interval: interval)
          offsets = rule.attemptOffsets(window.answer)
        }
        let kernel = RenewalKernel(interval: cycle.mean, jitter: cycle.jitter, leaving: model.leaving, tick: model.tick)
        let fetches = Renewal.run(starts: double(tally.cappedStarts[index][client]), kernel: kernel, cuts: [])
        for (i, count) in fetches.enumerated() {
          let base = window.firstTick + i
          guard base < n, Double(base) * model.tick < window.until else { break }
          for offset in offsets {
            let t = base + Int((offset / model.tick).rounded())
            guard t < n, Double(t) * model.tick < window.until else { continue }
            if window.tier == .api { apiFailed[t] += count } else { edgeFailed[t] += count }
          }
        }
      }
    }
    // Frontend sessions: each device's sessions per day, shaped by the diurnal curve of its region, while
    // online. A session asks at its start and every refresh after: the requests at a tick are the
    // sessions that started 0, 1, ... refreshes before. None reach the edges while they restart (the walk
    // retried those).
    frontend = double(tally.frontendRetried)
    let online = model.online
    let rates = tally.frontendSessions.map { online * Double($0) / 1024 / 86_400 }
    let lagTicks = (0..<model.frontendRequests).map { Int((Double($0) * model.frontendRefresh / model.tick).rounded()) }
    let before = lagTicks.last ?? 0
    // Per region, so that each region's edges get their own region's curve.
    var sessions = rates.map { _ in [Double](repeating: 0, count: n + before) }
    for (region, rate) in rates.enumerated() where rate > 0 {
      for i in 0..<(n + before) {
        let start = Double(i - before) * model.tick
        let end = Swift.min(start + model.tick, model.duration)
        sessions[region][i] = rate * curve.work(from: start, to: end, dayStart: dayStart, offset: offsets[region])
      }
    }
    frontendByRegion = rates.map { _ in [Double](repeating: 0, count: rates.contains { $0 > 0 } ? n : 0) }
    let down = model.windows.filter { $0.tier == .edge }
    if rates.contains(where: { $0 > 0 }) {
      for t in 0..<n {
        let start = Double(t) * model.tick
        if down.contains(where: { $0.from <= start && start < $0.until }) { continue }
        for region in rates.indices {
          var count = 0.0
          for lag in lagTicks { count += sessions[region][t + before - lag] }
          frontendByRegion[region][t] = count
          frontend[t] += count
        }
      }
    }
    apiFull = double(tally.full[0])
    edgeFull = double(tally.full[1])
    upstream = double(edges.refreshes)
    upstreamFull = double(edges.fullRefreshes)
    upstreamFailed = double(edges.failed)
    apiConnects = double(tally.connects[0])
    edgeConnects = double(tally.connects[1])
    apiMessages = double(tally.messages[0])
    edgeMessages = double(tally.messages[1])
    connections = [Double](repeating: 0, count: n)
    var open = tally.initialConnections
    for t in 0..<n {
      open += Int(tally.connectionDelta[t])
      connections[t] = Double(open)
    }
  }

  /// Per tick, by what the series shows.
  func perTick(_ kind: CapacitySeries.Kind) -> [Double] {
    let n = model.ticks
    let header = Double(sizes.headerBytes)
    let state = Double(sizes.stateBytes)
    var out = [Double](repeating: 0, count: n)
    for t in 0..<n {
      let apiRequests = apiPolls[t] + apiFailed[t] + apiConnects[t] + upstream[t] + upstreamFailed[t] + retried[0][t]
      let frontendRequests = frontend[t]
      let edgeRequests = edgePolls[t] + edgeFailed[t] + edgeConnects[t] + frontendRequests + retried[1][t]
      let apiBodies = model.etag ? apiFull[t] : apiPolls[t]
      let edgeBodies = model.etag ? edgeFull[t] : edgePolls[t]
      switch kind {
      case .apiRequests: out[t] = apiRequests
      case .apiErrors: out[t] = apiFailed[t] + upstreamFailed[t] + shed[0][t]
      case .apiShed: out[t] = shed[0][t]
      case .edgeRequests: out[t] = edgeRequests
      case .edgeErrors: out[t] = edgeFailed[t] + shed[1][t]
      case .edgeShed: out[t] = shed[1][t]
      case .frontendRequests: out[t] = frontendRequests
      case .evaluations: out[t] = frontendRequests * Double(sizes.flags)
      case .fullAnswers: out[t] = apiBodies + edgeBodies + upstreamFull[t]
      case .notModified: out[t] = Swift.max(0, apiPolls[t] + edgePolls[t] + upstream[t] - apiBodies - edgeBodies - upstreamFull[t])
      case .apiBytes:
        out[t] = header * apiRequests + state * (apiBodies + apiConnects[t] + upstreamFull[t])
          + Double(sizes.messageBytes) * apiMessages[t]
      case .edgeBytes:
        out[t] = header * edgeRequests + state * (edgeBodies + edgeConnects[t]) + Double(sizes.frontendBytes) * frontendRequests
          + Double(sizes.messageBytes) * edgeMessages[t]
      case .connections: out[t] = connections[t]
      case .messages: out[t] = apiMessages[t] + edgeMessages[t]
      case .upstream: out[t] = upstream[t] + upstreamFailed[t]
      case .edgeClientRequests: out[t] = edgePolls[t] + edgeConnects[t]
      }
    }
    return out
  }

  /// Per output bin: rates per second (sums over the bin divided by its length), or for a level (open
  /// connections) its value at the bin's end.
  func perBin(_ kind: CapacitySeries.Kind) -> [Double] {
    let ticks = perTick(kind)
    let width = model.binTicks
    let bins = (model.ticks + width - 1) / width
    return (0..<bins).map { bin in
      let range = (bin * width)..<Swift.min(model.ticks, (bin + 1) * width)
      if kind.isLevel { return ticks[range.upperBound - 1] }
      let seconds = Double(range.count) * model.tick
      return ticks[range].reduce(0, +) / seconds
    }
  }
}

/// One figure over time, per output bin, with its statistics over the bins.
public struct CapacitySeries: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    case apiRequests = "apiRequestsPerSecond"
    case apiErrors = "apiErrorsPerSecond"
    case apiShed = "apiShedPerSecond"
    case upstream = "edgeUpstreamRequestsPerSecond"
    case edgeRequests = "edgeRequestsPerSecond"
    case edgeErrors = "edgeErrorsPerSecond"
    case edgeShed = "edgeShedPerSecond"
    case frontendRequests = "frontendRequestsPerSecond"
    case edgeClientRequests = "edgeClientRequestsPerSecond"
    case evaluations = "evaluationsPerSecond"
    case fullAnswers = "fullAnswersPerSecond"
    case notModified = "notModifiedPerSecond"
    case apiBytes = "apiBytesPerSecond"
    case edgeBytes = "edgeBytesPerSecond"
    case connections = "streamingConnections"
    case messages = "streamingMessagesPerSecond"

    /// A level (a count at a time) rather than a rate.
    var isLevel: Bool { self == .connections }

    public var title: String {
      switch self {
      case .apiRequests: return "API requests/s"
      case .apiErrors: return "API failed requests/s"
      case .apiShed: return "API requests shed/s (over capacity)"
      case .upstream: return "edge refreshes/s (to the API)"
      case .edgeRequests: return "edge requests/s"
      case .edgeErrors: return "edge failed requests/s"
      case .edgeShed: return "edge requests shed/s (over capacity)"
      case .frontendRequests: return "frontend requests/s"
      case .edgeClientRequests: return "edge client-API requests/s"
      case .evaluations: return "evaluations/s (edge)"
      case .fullAnswers: return "200 answers/s (whole state)"
      case .notModified: return "304 answers/s"
      case .apiBytes: return "API bytes/s"
      case .edgeBytes: return "edge bytes/s"
      case .connections: return "streaming connections"
      case .messages: return "streaming messages/s"
      }
    }

    /// The CSV column.
    var column: String {
      switch self {
      case .apiRequests: return "api_rps"
      case .apiErrors: return "api_errors_ps"
      case .apiShed: return "api_shed_ps"
      case .upstream: return "edge_upstream_rps"
      case .edgeRequests: return "edge_rps"
      case .edgeErrors: return "edge_errors_ps"
      case .edgeShed: return "edge_shed_ps"
      case .frontendRequests: return "frontend_rps"
      case .edgeClientRequests: return "edge_client_rps"
      case .evaluations: return "evaluations_ps"
      case .fullAnswers: return "full_answers_ps"
      case .notModified: return "not_modified_ps"
      case .apiBytes: return "api_bytes_ps"
      case .edgeBytes: return "edge_bytes_ps"
      case .connections: return "streaming_connections"
      case .messages: return "streaming_messages_ps"
      }
    }
  }

  public let kind: Kind
  /// One value per output bin; bin `i` starts at `i × resolution` seconds.
  public let values: [Double]
  public let stats: Stats

  public struct Stats: Sendable, Equatable {
    public var mean: Double
    public var p50: Double
    public var p99: Double
    public var peak: Double
    /// Start of the bin of the peak, in seconds since the start.
    public var peakAtSeconds: Double
  }

  init(kind: Kind, values: [Double], resolution: Double) {
    self.kind = kind
    self.values = values
    stats = Self.stats(values, resolution: resolution)
  }

  /// Nearest-rank percentiles over the bins.
  static func stats(_ values: [Double], resolution: Double) -> Stats {
    guard !values.isEmpty else { return Stats(mean: 0, p50: 0, p99: 0, peak: 0, peakAtSeconds: 0) }
    let sorted = values.sorted()
    func percentile(_ p: Double) -> Double { sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
    var peakIndex = 0
    for (index, value) in values.enumerated() where value > values[peakIndex] { peakIndex = index }
    return Stats(
      mean: values.reduce(0, +) / Double(values.count), p50: percentile(0.5), p99: percentile(0.99),
      peak: values[peakIndex], peakAtSeconds: Double(peakIndex) * resolution)
  }
}
