import Delivery
import Foundation

// The servers of a plan: how many instances each pool needs, what a herd does to the servers there are,
// and the figures per instance.
extension CapacityPlanner {
  /// Instances per pool for the scenario's fleet (a plan of fewer devices, `--devices`, is scaled back up:
  /// servers are sized for the fleet the scenario states): at the 99th percentile (with headroom), and
  /// without shedding through each storm.
  struct Sized {
    var p99: [Int]
    /// Per storm (by its index in the scenario), per pool; nil for a storm whose span is empty.
    var storms: [[Int]?]
    /// Per pool, its one-second profile (requests and work per second, per bin), at the scenario's fleet.
    var profiles: [CapacitySizing.Profile]
    /// Per pool and bin: requests per second, at the scenario's fleet.
    var requestsPerBin: [[Double]]
    /// Per storm and pool: the most work in one tick of the storm's span.
    var stormPeaks: [[Double]]
  }

  static func size(_ pools: CapacityPools, model: CapacityModel, capacity: CapacityDefinition, scale: Double) -> Sized {
    let width = model.binTicks
    let bins = (model.ticks + width - 1) / width
    // Per second at the scenario's fleet: the Poisson noise of one instance is that of its real rate.
    func perBin(_ values: [Double]) -> [Double] {
      (0..<bins).map { bin in
        let range = (bin * width)..<Swift.min(model.ticks, (bin + 1) * width)
        return values[range].reduce(0, +) / (Double(range.count) * model.tick * scale)
      }
    }
    var p99: [Int] = []
    var profiles: [CapacitySizing.Profile] = []
    var requestsPerBin: [[Double]] = []
    for p in pools.pools.indices {
      let requests = perBin(pools.requests[p])
      let profile = CapacitySizing.Profile(requests: requests, work: perBin(pools.work[p]))
      profiles.append(profile)
      requestsPerBin.append(requests)
      p99.append(profile.instances(0.99, budget: 1 / (1 + capacity.headroom)))
    }
    // Each storm's span: from its start to 15 minutes after its end, or the next storm.
    let starts = capacity.storms.map(\.from.seconds).sorted()
    let spans = capacity.storms.map { storm -> Range<Int> in
      let from = storm.from.seconds
      let next = starts.first { $0 > from } ?? .infinity
      let end = Swift.min(storm.until.seconds + 900, next, model.duration)
      return Swift.min(model.ticks, Int(from / model.tick))..<Swift.min(model.ticks, Int((end / model.tick).rounded(.up)))
    }
    let storms = spans.map { span -> [Int]? in
      guard !span.isEmpty else { return nil }
      return pools.pools.indices.map { p in
        CapacitySizing.instancesWithoutShedding(
          work: pools.work[p].map { $0 / scale }, span: span, tick: model.tick, timeout: pools.timeouts[pools.pools[p].tier.index])
      }
    }
    let stormPeaks = spans.map { span in pools.pools.indices.map { p in span.isEmpty ? 0 : (pools.work[p][span].max() ?? 0) / scale } }
    return Sized(p99: p99, storms: storms, profiles: profiles, requestsPerBin: requestsPerBin, stormPeaks: stormPeaks)
  }

  /// Plays the plan through pools of `capacities` instances (infinity: unlimited).
  static func saturate(
    _ pools: CapacityPools, capacities: [Double], model: CapacityModel, tally: CapacityTally
  ) -> CapacitySaturation.Result {
    let servers = pools.pools.indices.map { p in
      CapacitySaturation.Pool(
        tier: pools.pools[p].tier, region: pools.pools[p].region, capacity: capacities[p],
        timeout: pools.timeouts[pools.pools[p].tier.index])
    }
    let herds = model.windows.enumerated().map { w, window in
      let start = model.untilTick(window)
      return CapacitySaturation.Herd(
        tier: window.tier, startTick: start, endTick: start + tally.recovered[w].count, recovered: tally.recovered[w].map(Double.init))
    }
    let windows = model.windows
    return CapacitySaturation.run(
      ticks: model.ticks, tick: model.tick, pools: servers, components: pools.components, stages: CapacityPools.stages(model),
      herds: herds, down: { tier, t in windows.contains { $0.tier == tier && $0.firstTick <= t && t < $0.endTick } })
  }

  /// Each tier's instances and cores, per-instance figures, and where its pools shed.
  static func tiers(
    _ pools: CapacityPools, sized: Sized, saturation: CapacitySaturation.Result, capacity: CapacityDefinition, model: CapacityModel,
    scale: Double, regions: [String], builder: CapacitySeriesBuilder
  ) -> [CapacityOutcome.TierSizing] {
    CapacityDefinition.Tier.allCases.compactMap { tier -> CapacityOutcome.TierSizing? in
      let indices = pools.pools.indices.filter { pools.pools[$0].tier == tier }
      guard !indices.isEmpty else { return nil }
      let t = tier.index
      let cores = pools.cores[t]
      func need(_ counts: [Int]) -> CapacityOutcome.Need {
        let total = indices.reduce(0) { $0 + counts[$1] }
        return CapacityOutcome.Need(
          instances: total, busiestPool: indices.map { counts[$0] }.max() ?? 0, cores: cores.map { Double(total) * $0 })
      }
      // The worst storm: the one that needs the most instances, or (as many) brings the most work in a tick.
      var worst: Int? = nil
      var worstNeed: CapacityOutcome.Need? = nil
      var worstPeak = 0.0
      for (index, counts) in sized.storms.enumerated() {
        guard let counts else { continue }
        let candidate = need(counts)
        let peak = indices.map { sized.stormPeaks[index][$0] }.max() ?? 0
        if worstNeed == nil || candidate.instances > worstNeed!.instances || (candidate.instances == worstNeed!.instances && peak > worstPeak) {
          worst = index
          worstNeed = candidate
          worstPeak = peak
        }
      }
      // One instance of the busiest pool, with the instances given (or those sized at p99).
      let busiest = indices.max { a, b in
        let mean = { (p: Int) in sized.requestsPerBin[p].reduce(0, +) / Double(Swift.max(1, sized.requestsPerBin[p].count)) }
        return mean(a) < mean(b)
      }!
      // The scenario's instances (pools hold them scaled with the fleet) or those sized, at the scenario's fleet.
      let instances = Swift.max(1e-9, pools.pools[busiest].stated.map { $0 / scale } ?? Double(Swift.max(1, sized.p99[busiest])))
      let profile = sized.profiles[busiest]
      let peakRate = (sized.requestsPerBin[busiest].max() ?? 0) / instances
      let perInstance = CapacityOutcome.PerInstance(
        instances: instances, p50: profile.quantile(0.5, instances: instances).requests,
        p99: profile.quantile(0.99, instances: instances).requests,
        peak: CapacitySizing.Profile(requests: [peakRate], work: [peakRate]).quantile(0.99, instances: 1).requests)
      // How full the busiest pool's instances were, on the servers the saturation was played on.
      let width = model.binTicks
      let loads = indices.map { p in
        stride(from: 0, to: model.ticks, by: width).map { start in
          let range = start..<Swift.min(model.ticks, start + width)
          return saturation.utilization[p][range].reduce(0, +) / Double(range.count)
        }
      }
      let utilization = (
        p99: loads.map { percentile($0, 0.99) }.max() ?? 0, peak: loads.map { $0.max() ?? 0 }.max() ?? 0)
      var connections: (p50: Double, peak: Double)? = nil
      var bytes: (p99: Double, peak: Double)? = nil
      if tier == .edge, pools.edgesPerRegion > 0, let region = pools.pools[busiest].region {
        let edges = Double(pools.edgesPerRegion) * scale
        if model.streamingTier == .edge {
          let open = builder.perBin(.connections).map { $0 * pools.streamShares[region] / edges }
          connections = (percentile(open, 0.5), open.max() ?? 0)
        }
        let total = indices.reduce(0.0) { $0 + sized.requestsPerBin[$1].reduce(0, +) }
        let share = total > 0 ? sized.requestsPerBin[busiest].reduce(0, +) / total : 1 / Double(indices.count)
        let perEdge = builder.perBin(.edgeBytes).map { $0 * share / edges }
        bytes = (percentile(perEdge, 0.99), perEdge.max() ?? 0)
      }
      let spells = indices.compactMap { p in spell(saturation.shedByPool[p], tier: tier, pool: pools.label(p, regions: regions), tick: model.tick) }
        .sorted { $0.fromSeconds < $1.fromSeconds }
      let server = capacity.servers[tier]
      var stated: Double? = nil
      if let server {
        stated = tier == .edge
          ? Double(pools.edgesPerRegion * model.regionCount)
          : Double(server.instances ?? (server.instancesPerRegion ?? 0) * model.regionCount)
      }
      return CapacityOutcome.TierSizing(
        tier: tier, coresPerInstance: cores, costBasis: pools.costs[t].basis, perRegion: pools.pools[busiest].region != nil,
        timeoutSeconds: pools.timeouts[t], statedInstances: stated, atP99: need(sized.p99), atWorstStorm: worstNeed,
        worstStorm: worst, perInstance: perInstance, utilization: utilization, connectionsPerEdge: connections, bytesPerEdge: bytes,
        spells: spells)
    }
  }

  /// Where a pool shed requests: its first tick, the seconds in all, the longest stretch (gaps under a
  /// second joined) and the most shed in a second; nil when it shed nothing.
  static func spell(_ shed: [Double], tier: CapacityDefinition.Tier, pool: String, tick: Double) -> CapacityOutcome.Spell? {
    var first: Int? = nil
    var total = 0
    var longest = 0
    var current = 0
    var lastShed = -1_000_000
    var peak = 0.0
    let gap = Swift.max(1, Int((1 / tick).rounded()))
    for (t, amount) in shed.enumerated() where amount > 1e-6 {
      if first == nil { first = t }
      total += 1
      current = t - lastShed <= gap ? current + (t - lastShed) : 1
      longest = Swift.max(longest, current)
      lastShed = t
      peak = Swift.max(peak, amount / tick)
    }
    guard let first else { return nil }
    return CapacityOutcome.Spell(
      tier: tier, pool: pool, fromSeconds: Double(first) * tick, seconds: Double(total) * tick, longestSeconds: Double(longest) * tick,
      peakShedPerSecond: peak)
  }

  /// Nearest-rank percentile.
  static func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
  }
}
