import Delivery
import Foundation

/// The requests of a plan played through servers of finite capacity: each pool of instances (the API's,
/// all or per region; each region's edges) is a ``BackendQueue`` that serves first come, first served and
/// sheds what would wait longer than its timeout. What is shed comes back as retries, by each client's
/// rule (``RetryStages``), and queues again; so a herd drains at the servers' capacity and its excess
/// fails and retries, as it would.
///
/// The clients are counted, not walked: the requests of a tick (from the walk and the renewal equation)
/// are admitted in the same share, the share shed of each kind of client waits its stage's wait and comes
/// back. A herd that recovers after a storm is followed through the same retries (tagged), so the storm's
/// recovery times account for the capacity. Time runs forward once over the ticks.
///
/// - Complexity: O(ticks × pools × components), plus the retries pending (none while nothing is shed).
struct CapacitySaturation {
  /// A pool of instances and its queue.
  struct Pool {
    let tier: CapacityDefinition.Tier
    /// The region it serves, or nil for every region.
    let region: Int?
    /// Instances (instance-seconds per second).
    let capacity: Double
    let timeout: Double
  }

  /// Requests (or work) a pool is offered per tick.
  struct Component {
    let pool: Int
    /// The retrying client (``CapacityModel/retryClients``) whose requests these are, or nil for work that
    /// is not a request of its own (the extra cost of a 200 over a 304, a streaming message).
    let client: Int?
    /// Instance-seconds per request.
    let cost: Double
    /// Per tick.
    let amount: [Double]
  }

  /// A storm's herd: clients coming back after `untilTick`, per tick from there (the walk's recoveries).
  struct Herd {
    let tier: CapacityDefinition.Tier
    let startTick: Int
    let endTick: Int
    let recovered: [Double]
  }

  /// What the pass found.
  struct Result {
    /// Per tier and tick: requests the retries added, and requests shed.
    var retried: [[Double]]
    var shed: [[Double]]
    /// Per pool and tick: offered work over capacity, and requests shed.
    var utilization: [[Double]]
    var shedByPool: [[Double]]
    /// Per herd and tick (from its start): its clients served.
    var herdServed: [[Double]]
  }

  /// Plays the ticks. `stages[client]` are the retry stages of each client (nil: it does not retry), and
  /// `down(tier, tick)` says whether a storm has the tier down (then it serves nothing, and its queue is
  /// empty when it is back).
  static func run(
    ticks: Int, tick: Double, pools: [Pool], components: [Component], stages: [RetryStages?], herds: [Herd],
    down: (CapacityDefinition.Tier, Int) -> Bool
  ) -> Result {
    var result = Result(
      retried: [[Double]](repeating: [Double](repeating: 0, count: ticks), count: 2),
      shed: [[Double]](repeating: [Double](repeating: 0, count: ticks), count: 2),
      utilization: pools.map { _ in [Double](repeating: 0, count: ticks) },
      shedByPool: pools.map { _ in [Double](repeating: 0, count: ticks) },
      herdServed: herds.map { [Double](repeating: 0, count: $0.endTick - $0.startTick) })
    var queues = pools.map { BackendQueue(capacity: $0.capacity, timeout: $0.timeout) }
    let byPool = pools.indices.map { p in components.filter { $0.pool == p } }
    let clients = stages.count
    // The cost of each client's requests at each pool (its first component's there).
    var clientCost = pools.map { _ in [Double](repeating: 0, count: clients) }
    for component in components.reversed() {
      if let client = component.client { clientCost[component.pool][client] = component.cost }
    }
    // Retries pending: per pool and client, by stage and tag (0: others, 1: the herd of the pool's
    // latest storm), made when first needed.
    var pending = pools.map { _ in [Retries?](repeating: nil, count: clients) }
    let longest = stages.compactMap { $0?.longest }.max() ?? 0
    let ring = Int((longest / tick).rounded(.up)) + 2
    var baseRequests = [Double](repeating: 0, count: pools.count)

    for t in 0..<ticks {
      let now = Double(t) * tick
      for p in pools.indices {
        baseRequests[p] = byPool[p].reduce(0) { $0 + ($1.client != nil ? $1.amount[t] : 0) }
      }
      var tierRequests = [0.0, 0.0]
      for p in pools.indices { tierRequests[pools[p].tier.index] += baseRequests[p] }
      for p in pools.indices {
        let pool = pools[p]
        let tier = pool.tier.index
        // The herd of the pool's tier whose recovery is under way, and this pool's part of it (the
        // tier's herd split over its pools by what each is offered).
        let herd = herds.indices.last { herds[$0].tier == pool.tier && herds[$0].startTick <= t && t < herds[$0].endTick }
        var herdHere = 0.0
        if let h = herd {
          let share = tierRequests[tier] > 0
            ? baseRequests[p] / tierRequests[tier] : 1 / Double(pools.filter { $0.tier == pool.tier }.count)
          herdHere = herds[h].recovered[t - herds[h].startTick] * share
        }
        var offeredWork = 0.0
        for component in byPool[p] { offeredWork += component.amount[t] * component.cost }
        var offeredRequests = baseRequests[p]
        var arrivals: [(client: Int, stage: Int, tag: Int, amount: Double)] = []
        for client in 0..<clients where pending[p][client] != nil {
          pending[p][client]!.arrivals(at: t) { stage, tag, amount in arrivals.append((client, stage, tag, amount)) }
        }
        for arrival in arrivals {
          offeredWork += arrival.amount * clientCost[p][arrival.client]
          offeredRequests += arrival.amount
          result.retried[tier][t] += arrival.amount
        }
        guard offeredWork > 0 else { continue }
        result.utilization[p][t] = offeredWork / tick / pool.capacity
        let admittedShare: Double
        if down(pool.tier, t) {
          admittedShare = 0
          queues[p] = BackendQueue(capacity: pool.capacity, timeout: pool.timeout)
        } else {
          // The tick's work arrives at its start and is served over it.
          let admitted = queues[p].admit(amount: offeredWork, cost: 1, at: now)
          admittedShare = Swift.min(1, admitted / offeredWork)
        }
        let shedShare = 1 - admittedShare
        result.shed[tier][t] += offeredRequests * shedShare
        result.shedByPool[p][t] = offeredRequests * shedShare
        if let h = herd {
          var served = herdHere * admittedShare
          for arrival in arrivals where arrival.tag == 1 { served += arrival.amount * admittedShare }
          result.herdServed[h][t - herds[h].startTick] += served
        }
        guard shedShare > 1e-12 else { continue }
        // What is shed waits its stage's wait and comes back.
        let herdShare = baseRequests[p] > 0 ? Swift.min(1, herdHere / baseRequests[p]) : 0
        for component in byPool[p] {
          guard let client = component.client, let rule = stages[client] else { continue }
          let failed = component.amount[t] * shedShare
          guard failed > 0 else { continue }
          if pending[p][client] == nil { pending[p][client] = Retries(stages: rule, ring: ring, tick: tick) }
          let herdFailed = failed * herdShare
          pending[p][client]!.scatter(from: t, stage: 0, tag: 0, amount: failed - herdFailed)
          if herdFailed > 0 { pending[p][client]!.scatter(from: t, stage: 0, tag: 1, amount: herdFailed) }
        }
        for arrival in arrivals {
          let failed = arrival.amount * shedShare
          guard failed > 0, let rule = stages[arrival.client] else { continue }
          pending[p][arrival.client]!.scatter(from: t, stage: rule.stages[arrival.stage].next, tag: arrival.tag, amount: failed)
        }
      }
    }
    return result
  }

  /// Retries of one client at one pool, by stage and tag: amounts arriving at future ticks, kept as
  /// differences in a ring (a wait uniform over a span adds its amount at the span's start and takes it
  /// away after its end), so that scattering costs the same whatever the span.
  struct Retries {
    let stages: RetryStages
    let ring: Int
    let tick: Double
    /// Per stage and tag: differences per ring slot, and the running rate.
    var differences: [[Double]]
    var running: [Double]
    var lastTick = -1
    var live = 0.0

    init(stages: RetryStages, ring: Int, tick: Double) {
      self.stages = stages
      self.ring = ring
      self.tick = tick
      differences = [[Double]](repeating: [Double](repeating: 0, count: ring), count: stages.stages.count * 2)
      running = [Double](repeating: 0, count: stages.stages.count * 2)
    }

    /// `amount` clients failed at tick `t` in `stage`: they come back after the stage's wait.
    mutating func scatter(from t: Int, stage: Int, tag: Int, amount: Double) {
      let s = stages.stages[stage]
      let low = t + Swift.max(1, Int((s.low / tick).rounded()))
      let high = Swift.max(low, t + Int((s.high / tick).rounded()))
      let slot = stage * 2 + tag
      let span = Double(high - low + 1)
      differences[slot][low % ring] += amount / span
      differences[slot][(high + 1) % ring] -= amount / span
      live += amount
    }

    /// Calls `body` with what arrives at tick `t` (ticks are asked in order, each once).
    mutating func arrivals(at t: Int, _ body: (_ stage: Int, _ tag: Int, _ amount: Double) -> Void) {
      // Nothing pending (to rounding): nothing to read.
      guard live > 1e-9 || running.contains(where: { $0 > 1e-12 }) else { return }
      for slot in differences.indices {
        running[slot] += differences[slot][t % ring]
        differences[slot][t % ring] = 0
        let amount = running[slot]
        if amount > 1e-12 {
          live -= amount
          body(slot / 2, slot % 2, amount)
        } else if amount < 0 {
          running[slot] = 0
        }
      }
    }
  }
}
