import Delivery
import Fleet
import Foundation
import Simulation
import Telemetry

extension StreamPurpose {
  /// A device's online spells and the phase of its first poll.
  static let capacityDevice = StreamPurpose("capacity.device")
  /// Whether a device is a frontend SDK.
  static let capacityFrontend = StreamPurpose("capacity.frontend")
  /// The waits of a device's jittered poll clock.
  static let capacityClock = StreamPurpose("capacity.clock")
  /// A device's retries in one storm (index: the storm).
  static let capacityRetry = StreamPurpose("capacity.retry")
  /// Frontend sessions caught by one storm (index: the storm).
  static let capacitySessions = StreamPurpose("capacity.sessions")
  /// An edge's refresh phase and retries.
  static let capacityEdge = StreamPurpose("capacity.edge")
}

/// A scenario's fleet, sync models and `capacity:` section compiled for the capacity walk: the tick grid,
/// one class per sync model, the edges, the storms' windows per tier and the state's versions.
struct CapacityModel: Sendable {
  typealias Tier = CapacityDefinition.Tier

  /// The grid: `ticks` ticks of `tick` seconds cover the run; an output bin is `binTicks` ticks.
  let tick: Double
  let tickMicroseconds: Int64
  let ticks: Int
  let binTicks: Int
  let duration: Double
  let seed: UInt64

  /// Share of time a device is online, and the mean lengths of its online and offline spells.
  let online: Double
  let meanOnline: Double
  let meanOffline: Double
  /// Rate at which an online device goes offline (per second): 0 when devices are always online.
  var leaving: Double { online < 1 ? 1 / meanOnline : 0 }

  let classes: [SyncClass]
  let pools: [EdgePool]
  let edgeCount: Int
  let regionCount: Int
  let frontendShare: Double
  /// A frontend session's requests: one at its start, then one every `frontendRefresh` seconds.
  let frontendRequests: Int
  let frontendRefresh: Double
  let streamingTier: Tier
  let etag: Bool
  /// How clients retry: the frontend SDKs, and the edges refreshing from the API (the capacity section's
  /// rule); each sync class has its own (``SyncClass/rule``).
  let frontendRule: RetryRule
  let edgeRule: RetryRule

  /// Storms with a window, in time order, and the versions of the state: version `k` is published at
  /// `changes[k - 1]` (version 0 at the start).
  let windows: [Window]
  let changes: [Double]
  let changeStorms: [Int]
  /// The API's versions as a timeline.
  let apiVersions: VersionTimeline

  struct SyncClass: Sendable {
    enum Kind: Sendable { case polling, streaming, edgePolling }
    let kind: Kind
    let tier: Tier
    let interval: Double
    let jitter: Double
    /// The edge pool of an `edgePolling` class.
    let pool: Int?
    let name: String
    /// How the class's SDK retries, unless a storm says otherwise.
    let rule: RetryRule
  }

  /// Who retries in a storm: the sync classes by index, then the frontend SDKs, then the edges.
  var retryClients: Int { classes.count + 2 }
  var frontendClient: Int { classes.count }
  var edgeClient: Int { classes.count + 1 }

  /// The edges of one edge sync model: `perRegion` in each region, each refreshing every `refresh` (varied
  /// by `refreshJitter`).
  struct EdgePool: Sendable {
    let syncIndex: Int
    let refresh: Double
    let refreshJitter: Double
    let perRegion: Int
    /// Index of the pool's first edge among all edges.
    let offset: Int

    func edge(region: Int, device: Int) -> Int { offset + region * perRegion + device % perRegion }
  }

  /// An outage or restart: the tier is unavailable in `[from, until)`.
  struct Window: Sendable {
    let storm: Int
    let tier: Tier
    let from: Double
    let until: Double
    /// What the unavailable tier answers.
    let answer: Answer
    /// The retry rule the storm gives everyone it catches; nil: each client's own.
    let override: RetryRule?
    /// Ticks covered, for the storm's own tallies.
    let firstTick: Int
    let endTick: Int
  }

  init(fleet: FleetDefinition, capacity: CapacityDefinition, duration: TimeSpan, seed: UInt64) {
    let tickMicros = CapacityDefinition.tickMicroseconds(duration: duration)
    tick = Double(tickMicros) / 1e6
    tickMicroseconds = tickMicros
    ticks = Int((duration.microseconds + tickMicros - 1) / tickMicros)
    binTicks = Int(capacity.resolution(duration: duration).microseconds / tickMicros)
    self.duration = duration.seconds
    self.seed = seed
    online = fleet.activity.online
    meanOffline = fleet.activity.offlineSpell.seconds
    meanOnline = online < 1 ? meanOffline * online / (1 - online) : .infinity
    regionCount = fleet.regions.count
    frontendShare = capacity.frontend.share
    frontendRequests = capacity.frontend.requestsPerSession
    frontendRefresh = capacity.frontend.refresh?.seconds ?? 0
    streamingTier = capacity.streaming.via
    etag = capacity.payload.etag
    frontendRule = capacity.retry
    edgeRule = capacity.retry

    var classes: [SyncClass] = []
    var pools: [EdgePool] = []
    var edges = 0
    for (index, entry) in fleet.sync.enumerated() {
      let rule = capacity.rule(entry.retry)
      switch entry.model {
      case .polling(let interval, let jitter, _):
        classes.append(SyncClass(
          kind: .polling, tier: .api, interval: interval.seconds, jitter: jitter, pool: nil, name: "polling", rule: rule))
      case .streaming:
        classes.append(SyncClass(
          kind: .streaming, tier: capacity.streaming.via, interval: 0, jitter: 0, pool: nil, name: "streaming", rule: rule))
      case .edge(let edge):
        pools.append(EdgePool(
          syncIndex: index, refresh: edge.refresh.seconds, refreshJitter: edge.refreshJitter, perRegion: edge.edgesPerRegion,
          offset: edges))
        edges += edge.edgesPerRegion * fleet.regions.count
        classes.append(SyncClass(
          kind: .edgePolling, tier: .edge, interval: edge.interval.seconds, jitter: edge.jitter, pool: pools.count - 1, name: "edge",
          rule: rule))
      }
    }
    self.classes = classes
    self.pools = pools
    edgeCount = edges

    let ticks = self.ticks
    var windows: [Window] = []
    var changes: [(Double, Int)] = []
    for (index, storm) in capacity.storms.enumerated() {
      if let tier = storm.tier {
        let from = storm.from.seconds
        let until = storm.until.seconds
        windows.append(Window(
          storm: index, tier: tier, from: from, until: until, answer: storm.answer, override: capacity.retry(of: storm),
          firstTick: Swift.min(ticks, Int(storm.from.microseconds / tickMicros)),
          endTick: Swift.min(ticks, Int((storm.until.microseconds + tickMicros - 1) / tickMicros))))
      } else {
        changes.append((storm.from.seconds, index))
      }
    }
    self.windows = windows.sorted { $0.from < $1.from }
    changes.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    self.changes = changes.map(\.0)
    changeStorms = changes.map(\.1)
    apiVersions = VersionTimeline(entries: [(0, 0)] + changes.enumerated().map { ($0.element.0, $0.offset + 1) })
  }

  /// The retry rule of client `client` (a sync class, the frontend SDKs or the edges) in `window`.
  func rule(_ client: Int, in window: Window) -> RetryRule {
    if let rule = window.override { return rule }
    return client < classes.count ? classes[client].rule : client == frontendClient ? frontendRule : edgeRule
  }

  /// The poll interval a client's rule scales (0 for streams, frontend sessions and edges: they back off
  /// as a stream does).
  func interval(_ client: Int) -> Double {
    client < classes.count && classes[client].kind != .streaming ? classes[client].interval : 0
  }

  /// The tick of time `t` (seconds), or nil when `t` is outside the run. Times are rounded to the
  /// microsecond first, so that a time written in a scenario (`50m`) falls in the tick it starts.
  @inline(__always)
  func tickIndex(_ t: Double) -> Int? {
    guard t >= 0, t < duration else { return nil }
    return Swift.min(ticks - 1, Int(Int64((t * 1_000_000).rounded()) / tickMicroseconds))
  }

  /// The tick in which a window ends (its clients' recoveries are counted from there).
  func untilTick(_ window: Window) -> Int {
    Swift.min(ticks - 1, Int(Int64((window.until * 1_000_000).rounded()) / tickMicroseconds))
  }

  /// The window of `tier` that contains `t`.
  @inline(__always)
  func window(containing t: Double, tier: Tier) -> Window? {
    for window in windows where window.tier == tier && window.from <= t && t < window.until { return window }
    return nil
  }

  /// The start of the first window of `tier` after `t`, or infinity.
  @inline(__always)
  func nextWindowStart(after t: Double, tier: Tier) -> Double {
    for window in windows where window.tier == tier && window.from > t { return window.from }
    return .infinity
  }

  /// Window starts of `tier`, as ticks: where the regular schedules of its clients are cut.
  func cuts(_ tier: Tier) -> [Int] {
    windows.filter { $0.tier == tier }.map(\.firstTick)
  }
}

/// When a source (the API, or one edge) starts serving each version of the state: `(time, version)` in
/// time order, versions increasing, starting with `(0, 0)`.
struct VersionTimeline: Sendable {
  var entries: [(time: Double, version: Int)]

  init(entries: [(Double, Int)]) {
    self.entries = entries.map { (time: $0.0, version: $0.1) }
  }

  /// The version served at time `t`.
  @inline(__always)
  func version(at t: Double) -> Int {
    var result = 0
    for entry in entries {
      if entry.time > t { break }
      result = entry.version
    }
    return result
  }

  /// The first entry newer than `version`, as an index (`entries.count` when none).
  @inline(__always)
  func firstIndex(newerThan version: Int) -> Int {
    var index = 0
    while index < entries.count && entries[index].version <= version { index += 1 }
    return index
  }
}

/// The next regular request of a polling client: a fixed interval, or waits uniform on
/// `interval × (1 ± jitter)` drawn from the client's own stream. Long stretches are crossed in one draw
/// (the sum of many jittered waits is normal by the central limit theorem), so asking for the first poll
/// after an hour costs the same as after a minute.
struct PollClock {
  let interval: Double
  let jitter: Double
  /// The time of the last request.
  var last: Double

  @inline(__always)
  mutating func next(atOrAfter t: Double, _ random: inout RandomStream) -> Double {
    if last >= t { return last }
    if jitter == 0 {
      let steps = ((t - last) / interval).rounded(.up)
      last += steps * interval
      while last < t { last += interval }
      return last
    }
    // Jump to well before `t` (six standard deviations of the sum, and a few waits), then step.
    while true {
      let gap = t - last
      guard gap > 64 * interval else { break }
      let spread = interval * jitter * (gap / interval / 3).squareRoot()
      let steps = ((gap - 6 * spread) / interval).rounded(.down) - 8
      guard steps >= 16 else { break }
      last += steps * interval + interval * jitter * (steps / 3).squareRoot() * random.normal()
    }
    while last < t { last += interval * (1 + jitter * (2 * random.nextDouble() - 1)) }
    return last
  }
}
