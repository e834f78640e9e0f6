import Delivery
import Fleet
import Foundation

/// The tiers' servers as a plan sees them: pools of instances (the API's, one for every region or one per
/// region; each region's edges), what one request of each kind costs an instance, and what each pool is
/// offered per tick by each kind of client.
///
/// The walk counts requests per tier; a pool's part is its region's share of the devices that ask it
/// (frontend requests by their own region's diurnal curve).
struct CapacityPools {
  typealias Tier = CapacityDefinition.Tier

  struct Pool {
    let tier: Tier
    /// The region served, or nil for every region.
    let region: Int?
    /// The instances the scenario gives it (scaled with `--devices`), nil when it gives none.
    let stated: Double?
  }

  let pools: [Pool]
  let components: [CapacitySaturation.Component]
  /// Per tier: the cost of a request of each kind at one instance (as the scenario's servers say, or an
  /// Edge of ``ServerDefinition/defaultCores`` CPUs), CPUs per instance (nil: a flat rate), the queue's
  /// timeout, and whether the scenario gives servers.
  let costs: [RequestCost]
  let cores: [Double?]
  let timeouts: [Double]
  let stated: [Bool]
  /// Edges per region (every edge model's).
  let edgesPerRegion: Int
  /// Per region: its share of the streaming clients.
  let streamShares: [Double]
  /// Per pool and tick: requests (that can be shed and retried) and work (instance-seconds).
  let requests: [[Double]]
  let work: [[Double]]

  init(model: CapacityModel, capacity: CapacityDefinition, builder: CapacitySeriesBuilder, tally: CapacityTally, fleet: Fleet, scale: Double) {
    let regions = model.regionCount
    let sizes = builder.sizes
    costs = Tier.allCases.map { tier in
      capacity.servers[tier].map { RequestCost.of($0, flags: sizes.flags, stateBytes: sizes.stateBytes) }
        ?? .edge(cores: ServerDefinition.defaultCores, flags: sizes.flags, stateBytes: sizes.stateBytes)
    }
    cores = Tier.allCases.map { tier in
      guard let server = capacity.servers[tier] else { return ServerDefinition.defaultCores }
      return server.requestsPerSecond == nil ? server.cores ?? ServerDefinition.defaultCores : nil
    }
    timeouts = Tier.allCases.map { (capacity.servers[$0]?.timeout ?? ServerDefinition.defaultTimeout).seconds }
    stated = Tier.allCases.map { capacity.servers[$0] != nil }
    let edgesPerRegion = model.pools.reduce(0) { $0 + $1.perRegion }
    self.edgesPerRegion = edgesPerRegion

    // Each class's devices by region (frontend devices are drawn independently of both).
    var classRegion = model.classes.map { _ in [Double](repeating: 0, count: regions) }
    for device in 0..<fleet.count { classRegion[Int(fleet.syncModel[device])][Int(fleet.region[device])] += 1 }
    func shares(_ counts: [Double]) -> [Double] {
      let total = counts.reduce(0, +)
      return total > 0 ? counts.map { $0 / total } : counts.map { _ in 1 / Double(regions) }
    }
    func tierShares(_ tier: Tier) -> [Double] {
      var counts = [Double](repeating: 0, count: regions)
      for (c, sync) in model.classes.enumerated() where sync.tier == tier {
        for r in 0..<regions { counts[r] += classRegion[c][r] }
      }
      return shares(counts)
    }
    let streamClass = model.classes.firstIndex { $0.kind == .streaming }
    let streamShares = streamClass.map { shares(classRegion[$0]) } ?? [Double](repeating: 1 / Double(regions), count: regions)
    self.streamShares = streamShares
    let frontendShares = shares(tally.frontendSessions.map(Double.init))

    var pools: [Pool] = []
    var components: [CapacitySaturation.Component] = []
    let n = model.ticks
    func scaled(_ amount: [Double], _ share: Double) -> [Double] { share == 1 ? amount : amount.map { $0 * share } }
    func add(_ pool: Int, _ client: Int?, _ cost: Double, _ amount: [Double]) {
      guard !amount.isEmpty, cost > 0 || client != nil, amount.contains(where: { $0 != 0 }) else { return }
      components.append(CapacitySaturation.Component(pool: pool, client: client, cost: cost, amount: amount))
    }
    let etag = model.etag

    // The API: every region's, or one pool per region.
    let api = capacity.servers.api
    let apiPerRegion = api?.instancesPerRegion != nil
    let apiCost = costs[0]
    let pollCost = { (cost: RequestCost) in etag ? cost(.notModified) : cost(.full) }
    let fullExtra = { (cost: RequestCost) in etag ? cost(.full) - cost(.notModified) : 0 }
    let apiTierShares = tierShares(.api)
    for r in (apiPerRegion ? Array(0..<regions) : [-1]) {
      let region: Int? = r < 0 ? nil : r
      pools.append(Pool(tier: .api, region: region, stated: api.map { Double($0.instancesPerRegion ?? $0.instances ?? 1) * scale }))
      let p = pools.count - 1
      let share = { (list: [Double]) in region.map { list[$0] } ?? 1 }
      for (c, sync) in model.classes.enumerated() where sync.tier == .api && sync.kind != .streaming {
        add(p, c, pollCost(apiCost), scaled(builder.classPolls[c], share(shares(classRegion[c]))))
      }
      add(p, nil, fullExtra(apiCost), scaled(builder.apiFull, share(apiTierShares)))
      if model.streamingTier == .api, let streamClass {
        add(p, streamClass, apiCost(.connect), scaled(builder.apiConnects, share(streamShares)))
        add(p, nil, apiCost(.message), scaled(builder.apiMessages, share(streamShares)))
      }
      // The edges' refreshes: every region has the same number of edges.
      let edgeShare = region == nil ? 1 : 1 / Double(regions)
      add(p, model.edgeClient, apiCost(.notModified), scaled(builder.upstream, edgeShare))
      add(p, nil, apiCost(.full) - apiCost(.notModified), scaled(builder.upstreamFull, edgeShare))
    }

    // The edges: each region's, one pool each.
    let hasEdges = !model.pools.isEmpty || model.frontendShare > 0
    if hasEdges {
      let edgeCost = costs[1]
      let edgeTierShares = tierShares(.edge)
      let frontendRetried = builder.frontend.indices.map { t in
        builder.frontend[t] - builder.frontendByRegion.reduce(0) { $0 + ($1.isEmpty ? 0 : $1[t]) }
      }
      for r in 0..<regions {
        let stated: Double? = capacity.servers.edge == nil ? nil : Double(edgesPerRegion) * scale
        pools.append(Pool(tier: .edge, region: r, stated: stated))
        let p = pools.count - 1
        for (c, sync) in model.classes.enumerated() where sync.tier == .edge && sync.kind != .streaming {
          add(p, c, pollCost(edgeCost), scaled(builder.classPolls[c], shares(classRegion[c])[r]))
        }
        add(p, nil, fullExtra(edgeCost), scaled(builder.edgeFull, edgeTierShares[r]))
        if model.streamingTier == .edge, let streamClass {
          add(p, streamClass, edgeCost(.connect), scaled(builder.edgeConnects, streamShares[r]))
          add(p, nil, edgeCost(.message), scaled(builder.edgeMessages, streamShares[r]))
        }
        if !builder.frontendByRegion[r].isEmpty {
          let amount = (0..<n).map { builder.frontendByRegion[r][$0] + frontendRetried[$0] * frontendShares[r] }
          add(p, model.frontendClient, edgeCost(.frontend), amount)
        }
      }
    }
    self.pools = pools
    self.components = components
    var requests = pools.map { _ in [Double](repeating: 0, count: n) }
    var work = requests
    for component in components {
      for t in 0..<n {
        let amount = component.amount[t]
        guard amount != 0 else { continue }
        if component.client != nil { requests[component.pool][t] += amount }
        work[component.pool][t] += amount * component.cost
      }
    }
    self.requests = requests
    self.work = work
  }

  /// The retry stages of each retrying client, by its own rule (overload is no storm: a storm's rule does
  /// not apply), for a 503.
  static func stages(_ model: CapacityModel) -> [RetryStages?] {
    (0..<model.retryClients).map { client in
      let rule = client < model.classes.count ? model.classes[client].rule : client == model.frontendClient ? model.frontendRule : model.edgeRule
      return RetryStages(rule, interval: model.interval(client), answer: .unavailable)
    }
  }

  /// A name for pool `p` in the report: "every region" or the region's name.
  func label(_ p: Int, regions: [String]) -> String {
    pools[p].region.map { regions[$0] } ?? "every region"
  }
}
