import FlagEngine
import Simulation
import Telemetry

/// The optional `capacity:` section of a scenario: the delivery path beyond the fleet and its sync models.
/// Which share of devices are frontend SDKs evaluated at the edge, where streaming connections end, how
/// big answers are, how clients retry after errors (unless their SDK class says), the servers of each tier
/// and their capacity, the storms to play (outages, restarts, state changes), the time resolution of the
/// output and the headroom for sizing. `rollsim capacity` plans with all of it; a fleet run uses the
/// servers and the retry rules.
///
/// Every field is optional; a scenario without the section plans the steady state of its fleet, on servers
/// of unlimited capacity.
public struct CapacityDefinition: Sendable, Decodable {
  public typealias Tier = Delivery.Tier
  /// The width of an output bin (rates are per second, averaged over a bin), as given; nil: 1 s, or the
  /// model's tick where a long run's tick is coarser (``resolution(duration:)``).
  public var resolution: TimeSpan?
  /// Spare capacity on top of the peak when sizing cores: 0.3 sizes for 1.3 times the peak.
  public var headroom: Double
  public var frontend: Frontend
  public var streaming: Streaming
  public var payload: Payload
  /// How clients retry after a failed request, unless their SDK class (`fleet.sync[i].retry`) or a storm
  /// says otherwise.
  public var retry: RetryRule
  /// The servers of each tier; a tier without servers has unlimited capacity.
  public var servers: Servers
  public var storms: [Storm]

  /// The servers of the API and of the edges.
  public struct Servers: Sendable, Decodable {
    public var api: ServerDefinition?
    public var edge: ServerDefinition?

    enum CodingKeys: String, CodingKey { case api, edge }
    public init(api: ServerDefinition? = nil, edge: ServerDefinition? = nil) {
      self.api = api
      self.edge = edge
    }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      api = try c.decodeIfPresent(ServerDefinition.self, forKey: .api)
      edge = try c.decodeIfPresent(ServerDefinition.self, forKey: .edge)
    }

    public subscript(tier: Tier) -> ServerDefinition? { tier == .api ? api : edge }
  }

  /// Frontend SDKs: they hold no rules; a session asks the edge to evaluate every flag for its context
  /// (Unleash's frontend API): one request when it starts, and one every `refresh` while it lasts.
  public struct Frontend: Sendable, Decodable {
    /// Share of devices that are frontend SDKs (drawn per device); the others use their sync model.
    public var share: Double = 0
    /// The SDK's refresh interval during a session; nil: one request per session.
    public var refresh: TimeSpan?
    /// How long a session lasts (with `refresh`). Default 5 minutes.
    public var sessionLength: TimeSpan = .minutes(5)

    /// Requests per session: at its start and every `refresh` before its end.
    public var requestsPerSession: Int {
      guard let refresh, refresh.microseconds > 0 else { return 1 }
      return Int((sessionLength.microseconds + refresh.microseconds - 1) / refresh.microseconds)
    }

    enum CodingKeys: String, CodingKey { case share, refresh, sessionLength }
    public init(share: Double = 0, refresh: TimeSpan? = nil, sessionLength: TimeSpan = .minutes(5)) {
      self.share = share
      self.refresh = refresh
      self.sessionLength = sessionLength
    }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      share = try c.decodeIfPresent(Double.self, forKey: .share) ?? 0
      refresh = try c.decodeIfPresent(TimeSpan.self, forKey: .refresh)
      sessionLength = try c.decodeIfPresent(TimeSpan.self, forKey: .sessionLength) ?? .minutes(5)
    }
  }

  /// Where streaming SDKs hold their connection.
  public struct Streaming: Sendable, Decodable {
    public var via: Tier = .api

    enum CodingKeys: String, CodingKey { case via }
    public init(via: Tier = .api) { self.via = via }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      if c.contains(.via) {
        let text = try c.decode(String.self, forKey: .via)
        guard let tier = Tier(rawValue: text) else {
          throw DecodingError.dataCorruptedError(forKey: .via, in: c, debugDescription: "'\(text)' is not a tier (expected api or edge)")
        }
        via = tier
      }
    }
  }

  /// Sizes of answers.
  public struct Payload: Sendable, Decodable {
    /// Polls carry the ETag of the state they hold and get `304 Not Modified` without a body while it is
    /// current; without ETags every poll downloads the whole state.
    public var etag: Bool = true
    /// The body of a full answer; default: the scenario's own flag state, serialized.
    public var bytes: Int?
    /// Bytes of every answer besides its body (status line, headers).
    public var headerBytes: Int = 300

    enum CodingKeys: String, CodingKey { case etag, bytes, headerBytes }
    public init(etag: Bool = true, bytes: Int? = nil, headerBytes: Int = 300) {
      self.etag = etag
      self.bytes = bytes
      self.headerBytes = headerBytes
    }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      etag = try c.decodeIfPresent(Bool.self, forKey: .etag) ?? true
      bytes = try c.decodeIfPresent(Int.self, forKey: .bytes)
      headerBytes = try c.decodeIfPresent(Int.self, forKey: .headerBytes) ?? 300
    }
  }

  /// Something that makes clients act together.
  public struct Storm: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
      /// The API is unavailable from `from` to `until`. Streams to it break at once; polls fail from each
      /// client's next poll; everyone retries until the first attempt at or after `until`. Edges keep
      /// serving their cached state and retry their refresh.
      case apiOutage
      /// The API restarts at `at` and is back after `down`: an outage that starts for everyone at once.
      case apiRestart
      /// Every edge restarts at `at` and is back after `down`: polls and frontend requests to the edge
      /// fail and retry, streams through the edge break; each edge fetches the state again when back.
      case edgeRestart
      /// A new state is published at `at` (a kill switch): every client fetches it once.
      case stateChange
    }

    public var kind: Kind
    /// Start of the window (outages, restarts) or the time of the change, since the scenario's start.
    public var from: TimeSpan
    /// End of the window; equal to `from` for a state change.
    public var until: TimeSpan
    /// What the unavailable tier answers: 503 (its load balancer), a refused connection (nothing
    /// listens), or a reset connection. Retry rules such as the Node SDK's treat them differently.
    public var answer: Answer
    /// The retry rule of every client caught by this storm (partial: the rest from `capacity.retry`);
    /// nil: each client's own (its SDK class's, else `capacity.retry`).
    public var retryOverride: RetryDefinition?

    /// The answers a storm can give.
    public static let answers: [Answer] = [.unavailable, .refused, .reset]

    public var tier: Tier? {
      switch kind {
      case .apiOutage, .apiRestart: return .api
      case .edgeRestart: return .edge
      case .stateChange: return nil
      }
    }

    public init(kind: Kind, from: TimeSpan, until: TimeSpan, answer: Answer = .unavailable, retry: RetryRule? = nil) {
      self.kind = kind
      self.from = from
      self.until = until
      self.answer = answer
      retryOverride = retry.map(RetryDefinition.init)
    }
  }

  enum CodingKeys: String, CodingKey { case resolution, headroom, frontend, streaming, payload, retry, servers, storms }

  public init(
    resolution: TimeSpan? = nil, headroom: Double = 0.3, frontend: Frontend = Frontend(),
    streaming: Streaming = Streaming(), payload: Payload = Payload(), retry: RetryRule = .standard, servers: Servers = Servers(),
    storms: [Storm] = []
  ) {
    self.resolution = resolution
    self.headroom = headroom
    self.frontend = frontend
    self.streaming = streaming
    self.payload = payload
    self.retry = retry
    self.servers = servers
    self.storms = storms
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    resolution = try c.decodeIfPresent(TimeSpan.self, forKey: .resolution)
    headroom = try c.decodeIfPresent(Double.self, forKey: .headroom) ?? 0.3
    frontend = try c.decodeIfPresent(Frontend.self, forKey: .frontend) ?? Frontend()
    streaming = try c.decodeIfPresent(Streaming.self, forKey: .streaming) ?? Streaming()
    payload = try c.decodeIfPresent(Payload.self, forKey: .payload) ?? Payload()
    retry = try c.decodeIfPresent(RetryDefinition.self, forKey: .retry)?.applied(to: .standard) ?? .standard
    servers = try c.decodeIfPresent(Servers.self, forKey: .servers) ?? Servers()
    storms = try c.decodeIfPresent([Storm].self, forKey: .storms) ?? []
  }

  /// The retry rule a storm gives every client it catches, or nil when it leaves each to its own.
  public func retry(of storm: Storm) -> RetryRule? {
    storm.retryOverride?.applied(to: retry)
  }

  /// The retry rule of an SDK class that says `own` (its `fleet.sync[i].retry`), in general and in `storm`.
  public func rule(_ own: RetryDefinition?, in storm: Storm? = nil) -> RetryRule {
    if let storm, let rule = retry(of: storm) { return rule }
    return own?.applied(to: retry) ?? retry
  }

  /// The tick of the model: 100 ms, coarser for runs longer than a million ticks (about 27 hours).
  package static func tickMicroseconds(duration: TimeSpan) -> Int64 {
    let base: Int64 = 100_000
    let needed = (duration.microseconds + 999_999) / 1_000_000
    return Swift.max(base, (needed + base - 1) / base * base)
  }

  package static let maximumStorms = 32

  /// The width of an output bin for a run of `duration`: as given, else 1 s rounded up to a whole number
  /// of the model's ticks (a scenario of two weeks, whose tick is 1.3 s, still plans without saying so).
  public func resolution(duration: TimeSpan) -> TimeSpan {
    if let resolution { return resolution }
    let tick = Self.tickMicroseconds(duration: duration)
    return TimeSpan(microseconds: (1_000_000 + tick - 1) / tick * tick)
  }

  /// Checks every value against the fleet and the run's duration; errors name the field relative to the
  /// section (`storms[1].until`).
  ///
  /// `sync` are the fleet's sync models (`fleet.sync`), in order.
  public func validate(sync: [SyncModel], duration: TimeSpan) throws(DefinitionError) {
    let tick = Self.tickMicroseconds(duration: duration)
    let resolution = resolution(duration: duration)
    guard resolution.microseconds >= tick, resolution.microseconds % tick == 0 else {
      throw DefinitionError("resolution", "\(resolution) is not a multiple of the model's tick (\(TimeSpan(microseconds: tick)) for a run of \(duration))")
    }
    guard resolution.microseconds * 10 <= duration.microseconds else {
      throw DefinitionError("resolution", "\(resolution) leaves fewer than 10 bins in a run of \(duration)")
    }
    guard headroom.isFinite, (0...10).contains(headroom) else {
      throw DefinitionError("headroom", "\(Self.format(headroom)) is not a fraction of spare capacity in 0...10")
    }
    guard frontend.share.isFinite, (0...1).contains(frontend.share) else {
      throw DefinitionError("frontend.share", "\(Self.format(frontend.share)) is not a fraction in 0...1")
    }
    if let refresh = frontend.refresh, refresh < .seconds(1) {
      throw DefinitionError("frontend.refresh", "\(refresh) is shorter than 1s")
    }
    guard frontend.sessionLength.microseconds > 0, frontend.sessionLength <= .hours(24) else {
      throw DefinitionError("frontend.sessionLength", "\(frontend.sessionLength) is not a session length between 0s and 1d")
    }
    let hasEdges = sync.contains { $0.pollsEdge }
    if streaming.via == .edge && !hasEdges {
      throw DefinitionError("streaming.via", "edge needs edge caches: fleet.sync has no entry with model: edge")
    }
    if let bytes = payload.bytes, bytes < 0 || bytes > 1_000_000_000 {
      throw DefinitionError("payload.bytes", "\(bytes) is not a size in 0...1000000000 bytes")
    }
    guard (0...1_000_000).contains(payload.headerBytes) else {
      throw DefinitionError("payload.headerBytes", "\(payload.headerBytes) is not a size in 0...1000000 bytes")
    }
    do throws(DefinitionError) {
      try retry.validate()
    } catch {
      throw error.within("retry")
    }
    for tier in Tier.allCases {
      guard let server = servers[tier] else { continue }
      do throws(DefinitionError) {
        try server.validate(tier: tier)
      } catch {
        throw error.within("servers.\(tier.rawValue)")
      }
      if tier == .edge && !hasEdges {
        throw DefinitionError("servers.edge", "the fleet has no edges: give fleet.sync an edge model (its edgesPerRegion are the edges)")
      }
    }
    guard storms.count <= Self.maximumStorms else {
      throw DefinitionError("storms", "\(storms.count) storms; at most \(Self.maximumStorms) are supported")
    }
    for (index, storm) in storms.enumerated() {
      let path = "storms[\(index)]"
      let fromName = storm.kind == .apiOutage ? "from" : "at"
      guard storm.from < duration else {
        throw DefinitionError("\(path).\(fromName)", "\(storm.from) is not within the run (\(duration))")
      }
      if storm.kind != .stateChange {
        let untilName = storm.kind == .apiOutage ? "until" : "down"
        guard storm.until > storm.from else {
          throw DefinitionError("\(path).\(untilName)", storm.kind == .apiOutage ? "\(storm.until) is not after from (\(storm.from))" : "must be greater than 0")
        }
        guard storm.until <= duration else {
          throw DefinitionError("\(path).\(untilName)", "the storm ends at \(storm.until), after the run (\(duration))")
        }
        do throws(DefinitionError) {
          try retry(of: storm)?.validate()
        } catch {
          throw error.within("\(path).retry")
        }
        if storm.kind == .edgeRestart && !hasEdges && frontend.share == 0 {
          throw DefinitionError("\(path).kind", "edgeRestart needs edges: fleet.sync has no edge model and capacity.frontend.share is 0")
        }
        // Windows do not overlap: one outage at a time, whatever the tier.
        for (other, earlier) in storms.enumerated().prefix(index) where earlier.kind != .stateChange {
          if storm.from < earlier.until && earlier.from < storm.until {
            throw DefinitionError(path, "overlaps storms[\(other)] (\(earlier.from) to \(earlier.until)); storms with a window must not overlap")
          }
        }
      }
    }
  }

  package static func format(_ value: Double) -> String { Check.format(value) }
}

extension CapacityDefinition.Storm: Decodable {
  enum CodingKeys: String, CodingKey { case kind, from, until, at, down, answer, retry }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let text = try c.decode(String.self, forKey: .kind)
    guard let kind = Kind(rawValue: text) else {
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: c,
        debugDescription: "'\(text)' is not a storm (expected \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    self.kind = kind
    func refuse(_ key: CodingKeys, _ message: String) throws {
      if c.contains(key) { throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message) }
    }
    switch kind {
    case .apiOutage:
      try refuse(.at, "an apiOutage is given by from and until, not at")
      try refuse(.down, "an apiOutage is given by from and until, not down")
      from = try c.decode(TimeSpan.self, forKey: .from)
      until = try c.decode(TimeSpan.self, forKey: .until)
    case .apiRestart, .edgeRestart:
      try refuse(.from, "a restart is given by at and down, not from")
      try refuse(.until, "a restart is given by at and down, not until")
      from = try c.decode(TimeSpan.self, forKey: .at)
      let down = try c.decodeIfPresent(TimeSpan.self, forKey: .down) ?? .seconds(30)
      until = TimeSpan(microseconds: from.microseconds + down.microseconds)
    case .stateChange:
      try refuse(.from, "a stateChange is given by at, not from")
      try refuse(.until, "a stateChange is given by at, not until")
      try refuse(.down, "a stateChange has no down time")
      try refuse(.retry, "a stateChange fails no request, so it has no retry policy")
      try refuse(.answer, "a stateChange fails no request, so it has no answer")
      from = try c.decode(TimeSpan.self, forKey: .at)
      until = from
    }
    answer = .unavailable
    if c.contains(.answer) {
      let text = try c.decode(String.self, forKey: .answer)
      let names = Self.answers.map(\.rawValue)
      guard let given = Answer(rawValue: text), Self.answers.contains(given) else {
        var message = "'\(text)' is not an answer of an unavailable tier (expected \(names.joined(separator: ", ")))"
        if let near = Spelling.suggestion(for: text, among: names) { message += "; did you mean '\(near)'?" }
        throw DecodingError.dataCorruptedError(forKey: .answer, in: c, debugDescription: message)
      }
      answer = given
    }
    retryOverride = try c.decodeIfPresent(RetryDefinition.self, forKey: .retry)
  }
}

import Foundation
