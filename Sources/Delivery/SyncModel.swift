import FlagEngine
import Simulation
import Telemetry

/// How a device's SDK receives new flag states.
///
/// Rollsim never simulates a poll in a fleet run: for each published state it computes when each device
/// first sees it (its delay), from the device's own random stream, so the answer does not depend on event
/// order. A capacity plan walks the same schedules to count the requests they make.
public enum SyncModel: Sendable, Hashable {
  /// Polls the API every `interval` (Unleash SDKs: 15 s), each interval varied by `jitter` (a fraction);
  /// a new state is seen at the first poll after it is published, plus the network delay.
  case polling(interval: TimeSpan, jitter: Double, network: Distribution)
  /// Holds a stream open: a new state arrives after `latency`.
  case streaming(latency: Distribution)
  /// Polls an edge cache every `interval` (each varied by `jitter`); the edge refreshes from the API every
  /// `refresh` (each varied by `refreshJitter`). `edgesPerRegion` caches serve each region; devices are
  /// spread over them.
  case edge(Edge)

  /// The fields of an edge sync model.
  public struct Edge: Sendable, Hashable {
    public var interval: TimeSpan
    /// Jitter of the devices' polls of their edge, a fraction of the interval. Without it a restart's
    /// phase pattern (every poller retrying together) lasts for the rest of the run.
    public var jitter: Double
    public var refresh: TimeSpan
    /// Jitter of the edges' refreshes from the API (Unleash Edge refreshes on a fixed interval: 0).
    public var refreshJitter: Double
    public var edgesPerRegion: Int
    public var network: Distribution

    public init(
      interval: TimeSpan, jitter: Double = 0, refresh: TimeSpan, refreshJitter: Double = 0, edgesPerRegion: Int,
      network: Distribution
    ) {
      self.interval = interval
      self.jitter = jitter
      self.refresh = refresh
      self.refreshJitter = refreshJitter
      self.edgesPerRegion = edgesPerRegion
      self.network = network
    }
  }

  public var name: String {
    switch self {
    case .polling: return "polling"
    case .streaming: return "streaming"
    case .edge: return "edge"
    }
  }

  /// The tier a device of this model asks: the API, or its edge. Streaming connections end where the
  /// capacity section says (`streaming.via`), so they are not decided here.
  public var pollsEdge: Bool {
    if case .edge = self { return true }
    return false
  }

  /// The interval of a polling model (polls of the API or of an edge), nil for streaming.
  public var pollInterval: TimeSpan? {
    switch self {
    case .polling(let interval, _, _): return interval
    case .streaming: return nil
    case .edge(let edge): return edge.interval
    }
  }

  /// The jitter of a polling model's interval, 0 for streaming.
  public var pollJitter: Double {
    switch self {
    case .polling(_, let jitter, _): return jitter
    case .streaming: return 0
    case .edge(let edge): return edge.jitter
    }
  }

  /// The delay, in seconds, after which a device polling at a uniformly random phase sees a state
  /// published at a random time (first-seen delay). `random` is the device's stream for this state;
  /// `edgeRandom` the stream of the device's edge for this state (the same for all its devices).
  @inline(__always)
  public func firstSeenDelay(_ random: inout RandomStream, edgeRandom: inout RandomStream) -> Double {
    switch self {
    case .polling(let interval, let jitter, let network):
      // The first poll after a publication: the remaining part of the current interval, which is
      // uniform over the (jittered) interval.
      let period = interval.seconds * (1 + jitter * (2 * random.nextDouble() - 1))
      return period * random.nextDouble() + network.sample(&random)
    case .streaming(let latency):
      return latency.sample(&random)
    case .edge(let edge):
      return Self.edgeWait(edge.refresh.seconds, edge.refreshJitter, &edgeRandom)
        + Self.edgeWait(edge.interval.seconds, edge.jitter, &random) + edge.network.sample(&random)
    }
  }

  /// The remaining part of a (jittered) period at a random time: uniform over the period. Without jitter
  /// it takes one draw, as it always did, so that runs without jitter keep their draws.
  @inline(__always)
  static func edgeWait(_ period: Double, _ jitter: Double, _ random: inout RandomStream) -> Double {
    if jitter == 0 { return period * random.nextDouble() }
    let drawn = period * (1 + jitter * (2 * random.nextDouble() - 1))
    return drawn * random.nextDouble()
  }

  package func validate() -> DefinitionError? {
    do throws(DefinitionError) {
      switch self {
      case .polling(let interval, let jitter, let network):
        try Check.within(interval, .seconds(1)...TimeSpan.days(1), "interval")
        try Check.fraction(jitter, "jitter")
        try Check.within(network, .zero...TimeSpan.minutes(10), "network")
      case .streaming(let latency):
        try Check.within(latency, .zero...TimeSpan.hours(1), "latency")
      case .edge(let edge):
        try Check.within(edge.interval, .seconds(1)...TimeSpan.days(1), "interval")
        try Check.fraction(edge.jitter, "jitter")
        try Check.within(edge.refresh, .seconds(1)...TimeSpan.days(1), "refresh")
        try Check.fraction(edge.refreshJitter, "refreshJitter")
        try Check.within(edge.edgesPerRegion, 1...10_000, "edgesPerRegion", "a number of edges")
        try Check.within(edge.network, .zero...TimeSpan.minutes(10), "network")
      }
      return nil
    } catch {
      return error
    }
  }
}

extension SyncModel: Decodable {
  enum Keys: String, CodingKey { case model, interval, jitter, network, latency, refresh, refreshJitter, edgesPerRegion }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    let model = try c.decode(String.self, forKey: .model)
    // Only the fields of the model named are read, so a field of another model is refused as unknown.
    func network() throws -> Distribution {
      try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .network)?.distribution ?? .logNormal(median: 0.05, sigma: 0.5)
    }
    switch model {
    case "polling":
      self = .polling(
        interval: try c.decodeIfPresent(TimeSpan.self, forKey: .interval) ?? .seconds(15),
        jitter: try c.decodeIfPresent(Double.self, forKey: .jitter) ?? 0.1, network: try network())
    case "streaming":
      self = .streaming(latency: try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .latency)?.distribution ?? .logNormal(median: 0.5, sigma: 0.7))
    case "edge":
      self = .edge(Edge(
        interval: try c.decodeIfPresent(TimeSpan.self, forKey: .interval) ?? .seconds(15),
        jitter: try c.decodeIfPresent(Double.self, forKey: .jitter) ?? 0,
        refresh: try c.decodeIfPresent(TimeSpan.self, forKey: .refresh) ?? .seconds(60),
        refreshJitter: try c.decodeIfPresent(Double.self, forKey: .refreshJitter) ?? 0,
        edgesPerRegion: try c.decodeIfPresent(Int.self, forKey: .edgesPerRegion) ?? 4, network: try network()))
    default:
      var message = "'\(model)' is not a sync model (expected polling, streaming or edge)"
      if let near = Spelling.suggestion(for: model, among: ["polling", "streaming", "edge"]) { message += "; did you mean '\(near)'?" }
      throw DecodingError.dataCorruptedError(forKey: .model, in: c, debugDescription: message)
    }
  }
}
