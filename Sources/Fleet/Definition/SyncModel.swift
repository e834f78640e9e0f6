import Telemetry
import Simulation
import FlagEngine

/// How a device's SDK receives new flag states.
///
/// Rollsim never simulates a poll: for each published state it computes when each device first sees
/// it (its delay), from the device's own random stream, so the answer does not depend on event order.
public enum SyncModel: Sendable, Hashable {
  /// Polls the API every `interval` (Unleash SDKs: 15 s), each interval varied by `jitter` (a fraction);
  /// a new state is seen at the first poll after it is published, plus the network delay.
  case polling(interval: TimeSpan, jitter: Double, network: Distribution)
  /// Holds a stream open: a new state arrives after `latency`.
  case streaming(latency: Distribution)
  /// Polls an edge cache every `interval`; the edge refreshes from the API every `refresh`.
  /// `edgesPerRegion` caches serve each region; devices are spread over them.
  case edge(interval: TimeSpan, refresh: TimeSpan, edgesPerRegion: Int, network: Distribution)

  public var name: String {
    switch self {
    case .polling: return "polling"
    case .streaming: return "streaming"
    case .edge: return "edge"
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
    case .edge(let interval, let refresh, _, let network):
      return refresh.seconds * edgeRandom.nextDouble() + interval.seconds * random.nextDouble() + network.sample(&random)
    }
  }

  func validate() -> DefinitionError? {
    do throws(DefinitionError) {
      switch self {
      case .polling(let interval, let jitter, let network):
        try Check.within(interval, .seconds(1)...TimeSpan.days(1), "interval")
        try Check.fraction(jitter, "jitter")
        try Check.within(network, .zero...TimeSpan.minutes(10), "network")
      case .streaming(let latency):
        try Check.within(latency, .zero...TimeSpan.hours(1), "latency")
      case .edge(let interval, let refresh, let edges, let network):
        try Check.within(interval, .seconds(1)...TimeSpan.days(1), "interval")
        try Check.within(refresh, .seconds(1)...TimeSpan.days(1), "refresh")
        try Check.within(edges, 1...10_000, "edgesPerRegion", "a number of edges")
        try Check.within(network, .zero...TimeSpan.minutes(10), "network")
      }
      return nil
    } catch {
      return error
    }
  }
}

extension SyncModel: Decodable {
  enum Keys: String, CodingKey { case model, interval, jitter, network, latency, refresh, edgesPerRegion }

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
      self = .edge(
        interval: try c.decodeIfPresent(TimeSpan.self, forKey: .interval) ?? .seconds(15),
        refresh: try c.decodeIfPresent(TimeSpan.self, forKey: .refresh) ?? .seconds(60),
        edgesPerRegion: try c.decodeIfPresent(Int.self, forKey: .edgesPerRegion) ?? 4, network: try network())
    default:
      var message = "'\(model)' is not a sync model (expected polling, streaming or edge)"
      if let near = Spelling.suggestion(for: model, among: ["polling", "streaming", "edge"]) { message += "; did you mean '\(near)'?" }
      throw DecodingError.dataCorruptedError(forKey: .model, in: c, debugDescription: message)
    }
  }
}

/// A sync model with its distributions as sampling tables, for the hot path. Draws the same kind of
/// delay as `SyncModel.firstSeenDelay`.
struct SyncSampler: Sendable {
  enum Kind: Sendable { case polling, streaming, edge }
  let kind: Kind
  let interval: Double
  let jitter: Double
  let refresh: Double
  let edgesPerRegion: Int
  let table: SamplingTable

  init(_ model: SyncModel) {
    switch model {
    case .polling(let interval, let jitter, let network):
      kind = .polling
      self.interval = interval.seconds
      self.jitter = jitter
      refresh = 0
      edgesPerRegion = 1
      table = SamplingTable(network)
    case .streaming(let latency):
      kind = .streaming
      interval = 0
      jitter = 0
      refresh = 0
      edgesPerRegion = 1
      table = SamplingTable(latency)
    case .edge(let interval, let refresh, let edges, let network):
      kind = .edge
      self.interval = interval.seconds
      jitter = 0
      self.refresh = refresh.seconds
      edgesPerRegion = edges
      table = SamplingTable(network)
    }
  }

  @inline(__always)
  func delay(_ random: inout RandomStream, edgeRandom: inout RandomStream) -> Double {
    switch kind {
    case .polling:
      let period = interval * (1 + jitter * (2 * random.nextDouble() - 1))
      return period * random.nextDouble() + table.sample(&random)
    case .streaming:
      return table.sample(&random)
    case .edge:
      return refresh * edgeRandom.nextDouble() + interval * random.nextDouble() + table.sample(&random)
    }
  }
}
