import Fleet
import Telemetry

/// The optional `capacity:` section of a scenario: what `rollsim capacity` needs beyond the fleet and its
/// sync models. Which share of devices are frontend SDKs evaluated at the edge, where streaming
/// connections end, how big answers are, how clients retry after errors, the storms to play (outages,
/// restarts, state changes), the time resolution of the output and the headroom for core sizing.
///
/// Every field is optional; a scenario without the section plans the steady state of its fleet.
public struct CapacityDefinition: Sendable, Decodable {
  /// The width of an output bin (rates are per second, averaged over a bin). Default 1 s.
  public var resolution: TimeSpan
  /// Spare capacity on top of the peak when sizing cores: 0.3 sizes for 1.3 times the peak.
  public var headroom: Double
  public var frontend: Frontend
  public var streaming: Streaming
  public var payload: Payload
  /// How clients retry after a failed request, unless a storm says otherwise.
  public var retry: RetryPolicy
  public var storms: [Storm]

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

  /// The two tiers a fleet's requests land on: the Unleash API, and the edge caches in front of it.
  public enum Tier: String, Sendable, Hashable, Decodable, CaseIterable {
    case api, edge
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

  /// Capped exponential backoff: the k-th wait (from 0) is `min(max, initial × multiplier^k)`, shortened
  /// by a random fraction up to `jitter` (1, or `true`: "full jitter", a wait uniform in 0...backoff;
  /// 0, or `false`: every client waits exactly the backoff).
  public struct RetryPolicy: Sendable, Hashable {
    public var initial: TimeSpan
    public var max: TimeSpan
    public var multiplier: Double
    public var jitter: Double

    public init(initial: TimeSpan = .seconds(1), max: TimeSpan = .seconds(60), multiplier: Double = 2, jitter: Double = 1) {
      self.initial = initial
      self.max = max
      self.multiplier = multiplier
      self.jitter = jitter
    }

    /// The backoff before attempt `k + 1`, before jitter, in seconds.
    @inline(__always)
    func backoff(_ k: Int) -> Double {
      Swift.min(max.seconds, initial.seconds * pow(multiplier, Double(Swift.min(k, 1000))))
    }

    func validate() throws(DefinitionError) {
      guard initial.microseconds >= 10_000 else { throw DefinitionError("initial", "\(initial) is shorter than 10ms") }
      guard max >= initial else { throw DefinitionError("max", "\(max) is shorter than initial (\(initial))") }
      guard max <= .hours(24) else { throw DefinitionError("max", "\(max) is longer than 1d") }
      guard multiplier.isFinite, multiplier >= 1, multiplier <= 100 else {
        throw DefinitionError("multiplier", "\(CapacityDefinition.format(multiplier)) is not a factor in 1...100")
      }
      guard jitter.isFinite, (0...1).contains(jitter) else {
        throw DefinitionError("jitter", "\(CapacityDefinition.format(jitter)) is not true, false or a fraction in 0...1")
      }
    }
  }

  /// Fields of a retry policy as written: any may be left out and comes from the policy it refines.
  struct RetryOverride: Sendable, Decodable {
    var initial: TimeSpan?
    var max: TimeSpan?
    var multiplier: Double?
    var jitter: Double?

    enum CodingKeys: String, CodingKey { case initial, max, multiplier, jitter }
    init() {}
    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      initial = try c.decodeIfPresent(TimeSpan.self, forKey: .initial)
      max = try c.decodeIfPresent(TimeSpan.self, forKey: .max)
      multiplier = try c.decodeIfPresent(Double.self, forKey: .multiplier)
      if c.contains(.jitter) {
        if let flag = try? c.decode(Bool.self, forKey: .jitter) {
          jitter = flag ? 1 : 0
        } else {
          jitter = try c.decode(Double.self, forKey: .jitter)
        }
      }
    }

    func applied(to base: RetryPolicy) -> RetryPolicy {
      RetryPolicy(
        initial: initial ?? base.initial, max: max ?? base.max, multiplier: multiplier ?? base.multiplier,
        jitter: jitter ?? base.jitter)
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
    /// The retry policy of clients caught by this storm (partial: the rest from `capacity.retry`).
    var retryOverride: RetryOverride?

    public var tier: Tier? {
      switch kind {
      case .apiOutage, .apiRestart: return .api
      case .edgeRestart: return .edge
      case .stateChange: return nil
      }
    }

    public init(kind: Kind, from: TimeSpan, until: TimeSpan, retry: RetryPolicy? = nil) {
      self.kind = kind
      self.from = from
      self.until = until
      retryOverride = retry.map { policy in
        var override = RetryOverride()
        override.initial = policy.initial
        override.max = policy.max
        override.multiplier = policy.multiplier
        override.jitter = policy.jitter
        return override
      }
    }
  }

  enum CodingKeys: String, CodingKey { case resolution, headroom, frontend, streaming, payload, retry, storms }

  public init(
    resolution: TimeSpan = .seconds(1), headroom: Double = 0.3, frontend: Frontend = Frontend(),
    streaming: Streaming = Streaming(), payload: Payload = Payload(), retry: RetryPolicy = RetryPolicy(), storms: [Storm] = []
  ) {
    self.resolution = resolution
    self.headroom = headroom
    self.frontend = frontend
    self.streaming = streaming
    self.payload = payload
    self.retry = retry
    self.storms = storms
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    resolution = try c.decodeIfPresent(TimeSpan.self, forKey: .resolution) ?? .seconds(1)
    headroom = try c.decodeIfPresent(Double.self, forKey: .headroom) ?? 0.3
    frontend = try c.decodeIfPresent(Frontend.self, forKey: .frontend) ?? Frontend()
    streaming = try c.decodeIfPresent(Streaming.self, forKey: .streaming) ?? Streaming()
    payload = try c.decodeIfPresent(Payload.self, forKey: .payload) ?? Payload()
    retry = try c.decodeIfPresent(RetryOverride.self, forKey: .retry)?.applied(to: RetryPolicy()) ?? RetryPolicy()
    storms = try c.decodeIfPresent([Storm].self, forKey: .storms) ?? []
  }

  /// The retry policy of storm `index`.
  public func retry(of storm: Storm) -> RetryPolicy {
    storm.retryOverride?.applied(to: retry) ?? retry
  }

  /// The tick of the model: 100 ms, coarser for runs longer than a million ticks (about 27 hours).
  static func tickMicroseconds(duration: TimeSpan) -> Int64 {
    let base: Int64 = 100_000
    let needed = (duration.microseconds + 999_999) / 1_000_000
    return Swift.max(base, (needed + base - 1) / base * base)
  }

  static let maximumStorms = 32

  /// Checks every value against the fleet and the run's duration; errors name the field relative to the
  /// section (`storms[1].until`).
  public func validate(fleet: FleetDefinition, duration: TimeSpan) throws(DefinitionError) {
    let tick = Self.tickMicroseconds(duration: duration)
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
    let hasEdges = fleet.sync.contains { if case .edge = $0.model { return true } else { return false } }
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
          try retry(of: storm).validate()
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

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}

extension CapacityDefinition.Storm: Decodable {
  enum CodingKeys: String, CodingKey { case kind, from, until, at, down, retry }

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
      from = try c.decode(TimeSpan.self, forKey: .at)
      until = from
    }
    retryOverride = try c.decodeIfPresent(CapacityDefinition.RetryOverride.self, forKey: .retry)
  }
}

import Foundation
