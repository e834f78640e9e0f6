import Simulation
import Telemetry

/// The two tiers a fleet's requests land on: the Unleash API, and the edge caches in front of it.
public enum Tier: String, Sendable, Hashable, Decodable, CaseIterable {
  case api, edge

  public var index: Int { self == .api ? 0 : 1 }
  public var title: String { self == .api ? "API" : "edges" }
}

/// What answering a request takes, by kind: the work a server's instances do.
public enum RequestKind: Int, Sendable, Hashable, CaseIterable {
  /// 200 with the whole state (client features).
  case full
  /// 304 Not Modified.
  case notModified
  /// A streaming connection opened: the whole state in its first event.
  case connect
  /// A streaming message announcing a change.
  case message
  /// A frontend request: every flag evaluated for one context.
  case frontend
}

/// The servers of one tier: how many instances, how big, and how long a request may wait.
///
///     servers:
///       api: {instances: 4, cores: 4}                        # Unleash Edge's published rate at 4 CPUs
///       edge: {cores: 2, timeout: 5s}                        # the edges are the fleet's (edgesPerRegion)
///       api: {instancesPerRegion: 1, requestsPerSecond: 40}  # a backend that is not Unleash: a flat rate
public struct ServerDefinition: Sendable, Hashable, Decodable {
  /// Instances serving every region, or (`instancesPerRegion`) each region its own.
  public var instances: Int?
  public var instancesPerRegion: Int?
  /// CPUs per instance: its throughput from Unleash Edge's published table (``EdgeBenchmark``).
  public var cores: Double?
  /// Or the requests per second one instance serves, of any kind (for a backend that is not Unleash).
  public var requestsPerSecond: Double?
  /// How long a request may wait for an instance: beyond it the server sheds the request (503).
  public var timeout: TimeSpan

  public static let defaultTimeout = TimeSpan.seconds(10)
  /// Instances of this size when the plan sizes a tier the scenario gives no size for.
  public static let defaultCores = 4.0

  public init(
    instances: Int? = nil, instancesPerRegion: Int? = nil, cores: Double? = nil, requestsPerSecond: Double? = nil,
    timeout: TimeSpan = defaultTimeout
  ) {
    self.instances = instances
    self.instancesPerRegion = instancesPerRegion
    self.cores = cores
    self.requestsPerSecond = requestsPerSecond
    self.timeout = timeout
  }

  enum CodingKeys: String, CodingKey { case instances, instancesPerRegion, cores, requestsPerSecond, timeout }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    instances = try c.decodeIfPresent(Int.self, forKey: .instances)
    instancesPerRegion = try c.decodeIfPresent(Int.self, forKey: .instancesPerRegion)
    cores = try c.decodeIfPresent(Double.self, forKey: .cores)
    requestsPerSecond = try c.decodeIfPresent(Double.self, forKey: .requestsPerSecond)
    timeout = try c.decodeIfPresent(TimeSpan.self, forKey: .timeout) ?? Self.defaultTimeout
  }

  /// Checks the fields for `tier`; errors name the field relative to this definition.
  package func validate(tier: Tier) throws(DefinitionError) {
    if tier == .edge {
      if instances != nil { throw DefinitionError("instances", "the edges are the fleet's: set edgesPerRegion in fleet.sync") }
      if instancesPerRegion != nil {
        throw DefinitionError("instancesPerRegion", "the edges are the fleet's: set edgesPerRegion in fleet.sync")
      }
    } else {
      switch (instances, instancesPerRegion) {
      case (nil, nil): throw DefinitionError("", "give instances (serving every region) or instancesPerRegion")
      case (.some, .some): throw DefinitionError("instancesPerRegion", "give instances or instancesPerRegion, not both")
      default: break
      }
      if let instances { try Check.within(instances, 1...100_000, "instances", "a number of instances") }
      if let instancesPerRegion { try Check.within(instancesPerRegion, 1...100_000, "instancesPerRegion", "a number of instances") }
    }
    if cores != nil && requestsPerSecond != nil {
      throw DefinitionError("requestsPerSecond", "give cores (Unleash Edge's published rate) or requestsPerSecond, not both")
    }
    if let cores {
      try Check.within(cores, EdgeBenchmark.coreRange, "cores", "a number of CPUs per instance (the published rows)")
    }
    if let requestsPerSecond { try Check.within(requestsPerSecond, 1e-3...1e9, "requestsPerSecond", "a rate per instance") }
    try Check.within(timeout, .milliseconds(10)...TimeSpan.minutes(10), "timeout")
  }
}

/// What one instance of a tier's servers takes per request of each kind, in instance-seconds.
public struct RequestCost: Sendable, Hashable {
  /// Per ``RequestKind``, seconds of one instance.
  public var seconds: [Double]
  /// How the costs were found, in a sentence.
  public var basis: String

  public func callAsFunction(_ kind: RequestKind) -> Double { seconds[kind.rawValue] }

  /// The same cost for every kind: a server that serves `rate` requests per second whatever they are.
  public static func flat(_ rate: Double) -> RequestCost {
    RequestCost(
      seconds: RequestKind.allCases.map { _ in 1 / rate },
      basis: "\(Check.format(rate)) requests per second per instance, as the scenario says")
  }

  /// Costs at an instance of `cores` CPUs by Unleash Edge's published rates: whole-state answers and stream
  /// connects at the client-features rate of the dataset nearest the state's size; 304s and streaming
  /// messages at the small dataset's client-features rate (the smallest answer measured: a 304 costs no
  /// more than that, an assumption, as nothing publishes it); frontend requests at the frontend rate of
  /// the dataset nearest the number of flags.
  public static func edge(cores: Double, flags: Int, stateBytes: Int) -> RequestCost {
    let whole = EdgeBenchmark.nearest(.clientFeatures, flags: flags, bytes: stateBytes)
    let evaluated = EdgeBenchmark.nearest(.frontend, flags: flags, bytes: stateBytes)
    let full = EdgeBenchmark.rate(.clientFeatures, dataset: whole, cores: cores)
    let small = EdgeBenchmark.rate(.clientFeatures, dataset: EdgeBenchmark.small, cores: cores)
    let frontend = EdgeBenchmark.rate(.frontend, dataset: evaluated, cores: cores)
    var seconds = [Double](repeating: 0, count: RequestKind.allCases.count)
    seconds[RequestKind.full.rawValue] = 1 / full
    seconds[RequestKind.connect.rawValue] = 1 / full
    seconds[RequestKind.notModified.rawValue] = 1 / small
    seconds[RequestKind.message.rawValue] = 1 / small
    seconds[RequestKind.frontend.rawValue] = 1 / frontend
    return RequestCost(
      seconds: seconds,
      basis: "Unleash Edge's published rates at \(Check.format(cores)) CPUs: \(Check.format(full.rounded())) whole-state answers/s "
        + "(\(whole.name)), \(Check.format(small.rounded())) 304s/s (\(EdgeBenchmark.small.name), an upper bound), "
        + "\(Check.format(frontend.rounded())) frontend requests/s (\(evaluated.name))")
  }

  /// The costs of a tier's servers as defined (nil: unlimited servers).
  public static func of(_ server: ServerDefinition, flags: Int, stateBytes: Int) -> RequestCost {
    if let rate = server.requestsPerSecond { return .flat(rate) }
    return .edge(cores: server.cores ?? ServerDefinition.defaultCores, flags: flags, stateBytes: stateBytes)
  }
}
