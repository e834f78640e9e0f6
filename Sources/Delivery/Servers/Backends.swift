/// The servers of the delivery path as a fleet run meets them: the API's instances (one pool, or one per
/// region) and each edge, each a ``BackendQueue``; what each SDK class asks of them; and the load they
/// carry.
///
/// Regular requests (polls of online devices, edges' refreshes) are counted in aggregate, as rates that
/// change when devices go down or come back; they take their share of each pool's capacity ahead of the
/// requests a run makes one by one (a booting device's fetch), which queue or are shed. The state is the
/// queues, the rates and the counts: a deterministic function of the run's events in their order, small
/// (a few numbers per pool) and made of sums, so that partitions could later exchange it.
public struct Backends: Sendable {
  /// An SDK class (a `fleet.sync` entry) as the servers see it.
  public struct Client: Sendable {
    /// The tier it asks: the API, or an edge (edge pollers, and streams through the edges).
    public let tier: Tier
    public let rule: RetryRule
    /// Seconds between polls; 0 for a stream.
    public let interval: Double
    public let streams: Bool
    /// For a client of the edges: the first edge of its pool and the edges per region.
    let edgeOffset: Int
    let edgesPerRegion: Int
  }

  public let clients: [Client]
  /// Per tier, the cost of each kind of request (nil: unlimited servers).
  public let costs: [RequestCost?]
  /// Share of time a device is online: the share of its regular polls it makes.
  let online: Double
  /// Online spells a device starts per second (each a stream's reconnection).
  let spellStarts: Double
  let regions: Int
  let apiPerRegion: Bool
  let etag: Bool
  /// Per pool (the API's first, then each edge), its queue; only for tiers with servers.
  public private(set) var queues: [BackendQueue]
  /// Per pool, the regular load: requests per second, and instance-seconds per second.
  var regularRequests: [Double]
  var regularWork: [Double]
  let apiPools: Int
  let edgeCount: Int
  /// Per pool, the part of the regular load that is not the devices' own (the edges' refreshes of the API).
  var refreshRequests: [Double]
  var refreshWork: [Double]

  /// Requests per tier so far: regular ones (integrated over time), those made one by one, and those shed.
  public private(set) var regularCount: [Double] = [0, 0]
  public private(set) var offered: [Int] = [0, 0]
  public private(set) var shed: [Int] = [0, 0]
  /// Seconds counted so far (the regular counts run to here).
  public private(set) var countedUntil = 0.0

  /// - Parameters:
  ///   - capacity: the scenario's capacity section (nil: unlimited servers, the standard retry rule).
  ///   - sync: the fleet's SDK classes: each one's sync model and its own retry rule, if it has one.
  ///   - regions: the fleet's number of regions.
  ///   - online, offlineSpell: the fleet's share of time online and mean offline spell (seconds).
  ///   - region, syncClass: per device, its region and its SDK class.
  ///   - scale: devices simulated over devices the scenario states: the servers shrink with the fleet.
  ///   - flags, stateBytes: the state, for the published rates of an Edge of a size.
  ///   - whatIf: a rule that refines every class's (a policy's what-if), or nil.
  public init<Column: RandomAccessCollection<UInt8>>(
    capacity: CapacityDefinition?, sync: [(model: SyncModel, retry: RetryDefinition?)], regions: Int, online: Double,
    offlineSpell: Double, region: Column, syncClass: Column, scale: Double, flags: Int, stateBytes: Int,
    whatIf: RetryDefinition? = nil
  ) where Column.Index == Int {
    let section = capacity ?? CapacityDefinition()
    self.regions = regions
    self.online = online
    spellStarts = online < 1 ? (1 - online) / offlineSpell : 0
    etag = section.payload.etag
    let streamingTier = section.streaming.via
    var clients: [Client] = []
    var edges = 0
    var firstEdgeOffset: Int? = nil
    for entry in sync {
      let own = section.rule(entry.retry)
      let rule = whatIf?.applied(to: own) ?? own
      switch entry.model {
      case .polling(let interval, _, _):
        clients.append(Client(tier: .api, rule: rule, interval: interval.seconds, streams: false, edgeOffset: 0, edgesPerRegion: 0))
      case .streaming:
        clients.append(Client(tier: streamingTier, rule: rule, interval: 0, streams: true, edgeOffset: -1, edgesPerRegion: 0))
      case .edge(let edge):
        if firstEdgeOffset == nil { firstEdgeOffset = edges }
        clients.append(Client(
          tier: .edge, rule: rule, interval: edge.interval.seconds, streams: false, edgeOffset: edges, edgesPerRegion: edge.edgesPerRegion))
        edges += edge.edgesPerRegion * regions
      }
    }
    // Streams through the edges hold their connection at the first edge model's edges (as a plan does).
    let firstEdgeModel = sync.firstIndex { $0.model.pollsEdge }
    clients = clients.map { client in
      guard client.streams, client.tier == .edge, let first = firstEdgeModel else { return client }
      return Client(
        tier: .edge, rule: client.rule, interval: 0, streams: true, edgeOffset: clients[first].edgeOffset,
        edgesPerRegion: clients[first].edgesPerRegion)
    }
    self.clients = clients
    edgeCount = edges
    apiPerRegion = section.servers.api?.instancesPerRegion != nil
    apiPools = apiPerRegion ? regions : 1
    costs = Tier.allCases.map { tier in
      section.servers[tier].map { RequestCost.of($0, flags: flags, stateBytes: stateBytes) }
    }
    var queues: [BackendQueue] = []
    if let api = section.servers.api {
      let instances = Double(api.instancesPerRegion ?? api.instances ?? 1) * scale
      queues += (0..<apiPools).map { _ in BackendQueue(capacity: instances, timeout: api.timeout.seconds) }
    }
    if let edge = section.servers.edge {
      // One instance per edge, shrunk with the fleet like every pool.
      queues += (0..<edges).map { _ in BackendQueue(capacity: scale, timeout: edge.timeout.seconds) }
    }
    self.queues = queues
    regularRequests = [Double](repeating: 0, count: apiPools + edges)
    regularWork = regularRequests
    refreshRequests = regularRequests
    refreshWork = regularRequests

    // The regular load with every device up: polls, and the edges' refreshes of the API.
    for device in region.indices {
      add(client: Int(syncClass[device]), region: Int(region[device]), device: device, count: 1)
    }
    for entry in sync {
      guard case .edge(let edge) = entry.model else { continue }
      let refreshes = Double(edge.edgesPerRegion * regions) / edge.refresh.seconds
      for pool in 0..<apiPools {
        let share = refreshes / Double(apiPools)
        regularRequests[pool] += share
        regularWork[pool] += share * cost(.api, etag ? .notModified : .full)
        refreshRequests[pool] += share
        refreshWork[pool] += share * cost(.api, etag ? .notModified : .full)
      }
    }
    updateBackground()
  }

  /// The servers as one block of the fleet meets them (a partitioned run): `share` of every pool's
  /// instances and of the edges' refreshes, and the regular requests of the block's own devices. Devices
  /// reach instances through a load balancer that spreads them evenly, so a block of the fleet is served
  /// by its share of each pool; a herd in one block does not borrow another block's instances. This is
  /// what makes a block's run independent of how blocks are spread over threads and ranks.
  public func block<Column: RandomAccessCollection<UInt8>>(
    devices: Range<Int>, share: Double, region: Column, syncClass: Column
  ) -> Backends where Column.Index == Int {
    var part = self
    part.queues = queues.map { BackendQueue(capacity: $0.capacity * share, timeout: $0.timeout) }
    part.regularRequests = refreshRequests.map { $0 * share }
    part.regularWork = refreshWork.map { $0 * share }
    part.refreshRequests = part.regularRequests
    part.refreshWork = part.regularWork
    for device in devices {
      part.add(client: Int(syncClass[device]), region: Int(region[device]), device: device, count: 1)
    }
    part.updateBackground()
    return part
  }

  /// Servers of unlimited capacity, the standard retry rule: what a run without a capacity section meets.
  public static func unlimited<Column: RandomAccessCollection<UInt8>>(
    sync: [SyncModel], regions: Int, online: Double, offlineSpell: Double, region: Column, syncClass: Column
  ) -> Backends where Column.Index == Int {
    Backends(
      capacity: nil, sync: sync.map { ($0, nil) }, regions: regions, online: online, offlineSpell: offlineSpell, region: region,
      syncClass: syncClass, scale: 1, flags: 1, stateBytes: 1)
  }

  /// Whether any tier has servers of finite capacity.
  public var isLimited: Bool { !queues.isEmpty }

  @inline(__always)
  func cost(_ tier: Tier, _ kind: RequestKind) -> Double { costs[tier.index]?(kind) ?? 0 }

  /// The pool a device of client class `c` in `region` asks.
  @inline(__always)
  public func pool(client c: Int, region: Int, device: Int) -> Int {
    let client = clients[c]
    if client.tier == .api { return apiPerRegion ? region : 0 }
    return apiPools + client.edgeOffset + region * client.edgesPerRegion + device % client.edgesPerRegion
  }

  /// The queue index of a pool, or nil when its tier has no servers.
  @inline(__always)
  func queue(_ pool: Int) -> Int? {
    let apiLimited = costs[0] != nil
    if pool < apiPools { return apiLimited ? pool : nil }
    guard costs[1] != nil else { return nil }
    return (apiLimited ? apiPools : 0) + pool - apiPools
  }

  /// Adds `count` devices' regular requests: an online device's polls, or a stream's reconnection at the
  /// start of each online spell.
  @inline(__always)
  mutating func add(client c: Int, region: Int, device: Int, count: Double) {
    let client = clients[c]
    let pool = pool(client: c, region: region, device: device)
    let rate = client.streams ? count * spellStarts : count * online / client.interval
    guard rate != 0 else { return }
    regularRequests[pool] += rate
    regularWork[pool] += rate * cost(client.tier, client.streams ? .connect : etag ? .notModified : .full)
  }

  mutating func updateBackground() {
    for pool in regularWork.indices {
      guard let q = queue(pool) else { continue }
      queues[q].background = regularWork[pool]
    }
  }

  /// Brings the counts of regular requests up to `t` (seconds).
  public mutating func count(until t: Double) {
    guard t > countedUntil else { return }
    let span = t - countedUntil
    for pool in regularRequests.indices { regularCount[pool < apiPools ? 0 : 1] += regularRequests[pool] * span }
    countedUntil = t
  }

  /// A device stops (down) or starts again (up) making its regular requests at `t`.
  public mutating func change(device: Int, client c: Int, region: Int, up: Bool, at t: Double) {
    count(until: t)
    add(client: c, region: region, device: device, count: up ? 1 : -1)
    let pool = pool(client: c, region: region, device: device)
    if let q = queue(pool) {
      queues[q].advance(to: t)
      queues[q].background = regularWork[pool]
    }
  }

  /// A device of class `c` asks for `kind` at `t`: whether its pool takes the request (with unlimited
  /// servers, always).
  public mutating func admit(device: Int, client c: Int, region: Int, kind: RequestKind, at t: Double) -> Bool {
    let tier = clients[c].tier
    offered[tier.index] += 1
    guard let q = queue(pool(client: c, region: region, device: device)) else { return true }
    if queues[q].admit(cost: cost(tier, kind), at: t) != nil { return true }
    shed[tier.index] += 1
    return false
  }
}

extension Backends {
  /// What a run asked of the servers, per tier (API, edges).
  public struct Load: Sendable, Equatable {
    /// Regular requests (polls, refreshes, streams reconnecting), counted in aggregate.
    public var regular: [Double]
    /// Requests made one by one (booting devices' fetches), and those of them the servers shed.
    public var offered: [Int]
    public var shed: [Int]
    /// Seconds the counts cover.
    public var seconds: Double

    public init(regular: [Double] = [0, 0], offered: [Int] = [0, 0], shed: [Int] = [0, 0], seconds: Double = 0) {
      self.regular = regular
      self.offered = offered
      self.shed = shed
      self.seconds = seconds
    }

    /// Mean requests per second of `tier` over the counted time.
    public func requestsPerSecond(_ tier: Tier) -> Double {
      seconds > 0 ? (regular[tier.index] + Double(offered[tier.index])) / seconds : 0
    }
  }

  public var load: Load { Load(regular: regularCount, offered: offered, shed: shed, seconds: countedUntil) }
}

extension Backends.Load {
  /// Adds another block's load over the same seconds.
  public static func += (a: inout Backends.Load, b: Backends.Load) {
    for tier in a.regular.indices {
      a.regular[tier] += b.regular[tier]
      a.offered[tier] += b.offered[tier]
      a.shed[tier] += b.shed[tier]
    }
    a.seconds = max(a.seconds, b.seconds)
  }
}
