import Delivery
import Fleet
import Foundation
import Simulation

/// Counts of what devices do, per tick of the model's grid. Whole numbers, so that tallies of parts of the
/// fleet add up to the same totals in any order.
struct CapacityTally: Sendable, Equatable {
  typealias Tier = CapacityDefinition.Tier

  /// Per sync class: requests that begin a client's regular schedule (its first poll when it comes
  /// online, its first successful poll after a storm). The renewal equation adds the polls that follow.
  var starts: [[Int32]]
  /// Per tier: failed requests (attempts while the tier is unavailable).
  var failed: [[Int32]]
  /// Per tier: polls answered with the whole state (200) rather than 304.
  var full: [[Int32]]
  /// Per tier: streaming connections opened (each a request answered with the whole state).
  var connects: [[Int32]]
  /// Change of the number of open streaming connections.
  var connectionDelta: [Int32]
  /// Per tier: streaming messages sent (one per connected client and state change).
  var messages: [[Int32]]
  /// Frontend requests that succeeded after retrying.
  var frontendRetried: [Int32]
  /// Per window and retrying client (``CapacityModel/retryClients``): fetches at which a client's waits
  /// became steady with a long wait ahead (ticks since the window's start); the renewal equation counts the
  /// fetches that follow, and their attempts.
  var cappedStarts: [[[Int32]]]
  /// Per window: successful requests of clients it caught, by ticks since the window's end.
  var recovered: [[Int32]]
  /// Per window: clients caught (devices, or frontend sessions).
  var waiting: [Int]
  /// Per state change: clients online when it was published that fetched it in the same online spell
  /// (or got its message), by ticks since its publication, up to `CapacityTally.fetchHorizon`.
  var fetched: [[Int32]]
  /// How far `fetched` looks, in ticks.
  let fetchHorizon: Int
  var initialConnections = 0
  /// Devices per sync class (frontend devices apart).
  var classDevices: [Int]
  var frontendDevices = 0
  /// Per region: the frontend devices' sessions per day, in 1/1024ths.
  var frontendSessions: [Int64]

  init(_ model: CapacityModel) {
    let n = model.ticks
    let empty = [Int32](repeating: 0, count: n)
    starts = model.classes.map { $0.kind == .streaming ? [] : empty }
    failed = [empty, empty]
    full = [empty, empty]
    connects = [empty, empty]
    connectionDelta = empty
    messages = [empty, empty]
    frontendRetried = empty
    cappedStarts = model.windows.map { window in
      (0..<model.retryClients).map { _ in [Int32](repeating: 0, count: Swift.max(1, window.endTick - window.firstTick)) }
    }
    recovered = model.windows.map { [Int32](repeating: 0, count: Swift.max(1, model.ticks - model.untilTick($0))) }
    waiting = model.windows.map { _ in 0 }
    fetchHorizon = Swift.min(model.ticks, Int(3600 / model.tick))
    fetched = model.changes.map { _ in [Int32](repeating: 0, count: Swift.min(model.ticks, Int(3600 / model.tick))) }
    classDevices = model.classes.map { _ in 0 }
    frontendSessions = [Int64](repeating: 0, count: model.regionCount)
  }

  /// A client online since before version `version` was published got it at `time`.
  @inline(__always)
  mutating func fetched(version: Int, at time: Double, _ model: CapacityModel) {
    guard version >= 1, let tick = model.tickIndex(time), let published = model.tickIndex(model.changes[version - 1]) else { return }
    let delay = tick - published
    if delay >= 0 && delay < fetchHorizon { fetched[version - 1][delay] += 1 }
  }

  /// Every count, in one order (the same for every tally of one model): what ranks add up to combine the
  /// tallies of their parts of the fleet.
  var counts: [Int64] {
    var all: [Int64] = []
    func append(_ list: [Int32]) { all.append(contentsOf: list.lazy.map { Int64($0) }) }
    for list in starts + failed + full + connects + [connectionDelta] + messages + [frontendRetried] + cappedStarts.flatMap({ $0 })
      + recovered
    {
      append(list)
    }
    all += waiting.map { Int64($0) }
    for list in fetched { append(list) }
    all.append(Int64(initialConnections))
    all += classDevices.map { Int64($0) }
    all.append(Int64(frontendDevices))
    all += frontendSessions
    return all
  }

  /// The tally whose ``counts`` are `counts`. Sums of counts of 32-bit lists wrap around as ``add(_:)`` does.
  init(_ model: CapacityModel, counts: [Int64]) {
    self.init(model)
    var position = 0
    func next() -> Int64 {
      defer { position += 1 }
      return counts[position]
    }
    func read(_ list: inout [Int32]) { for i in list.indices { list[i] = Int32(truncatingIfNeeded: next()) } }
    for i in starts.indices { read(&starts[i]) }
    for i in failed.indices { read(&failed[i]) }
    for i in full.indices { read(&full[i]) }
    for i in connects.indices { read(&connects[i]) }
    read(&connectionDelta)
    for i in messages.indices { read(&messages[i]) }
    read(&frontendRetried)
    for i in cappedStarts.indices { for j in cappedStarts[i].indices { read(&cappedStarts[i][j]) } }
    for i in recovered.indices { read(&recovered[i]) }
    for i in waiting.indices { waiting[i] = Int(next()) }
    for i in fetched.indices { read(&fetched[i]) }
    initialConnections = Int(next())
    for i in classDevices.indices { classDevices[i] = Int(next()) }
    frontendDevices = Int(next())
    for i in frontendSessions.indices { frontendSessions[i] = next() }
    precondition(position == counts.count, "CapacityTally: \(counts.count) counts for a tally of \(position)")
  }

  /// Adds another part of the fleet.
  mutating func add(_ other: CapacityTally) {
    func sum(_ a: inout [Int32], _ b: [Int32]) {
      for i in a.indices { a[i] &+= b[i] }
    }
    for i in starts.indices { sum(&starts[i], other.starts[i]) }
    for tier in 0..<2 {
      sum(&failed[tier], other.failed[tier])
      sum(&full[tier], other.full[tier])
      sum(&connects[tier], other.connects[tier])
      sum(&messages[tier], other.messages[tier])
    }
    sum(&connectionDelta, other.connectionDelta)
    sum(&frontendRetried, other.frontendRetried)
    for i in cappedStarts.indices { for j in cappedStarts[i].indices { sum(&cappedStarts[i][j], other.cappedStarts[i][j]) } }
    for i in recovered.indices { sum(&recovered[i], other.recovered[i]) }
    for i in waiting.indices { waiting[i] += other.waiting[i] }
    for i in fetched.indices { sum(&fetched[i], other.fetched[i]) }
    initialConnections += other.initialConnections
    for i in classDevices.indices { classDevices[i] += other.classDevices[i] }
    frontendDevices += other.frontendDevices
    for i in frontendSessions.indices { frontendSessions[i] += other.frontendSessions[i] }
  }
}

/// A device's retries during storms. Caught by a storm, the device counts as waiting in that window, and
/// its retries draw from the storm's own stream, so they do not depend on what the device did before.
struct StormRetries {
  /// The storm the device was last caught by; -1 before any.
  private(set) var storm = -1
  var random: RandomStream

  /// The device is caught in window `index`.
  mutating func enter(_ index: Int, device: Int, _ model: CapacityModel, _ tally: inout CapacityTally) {
    storm = model.windows[index].storm
    tally.waiting[index] += 1
    random = RandomStream(seed: model.seed, entity: UInt64(device), purpose: .capacityRetry, index: UInt64(storm))
  }

  /// The device tries during window `index`: caught unless that window's storm caught it already.
  mutating func meet(_ index: Int, device: Int, _ model: CapacityModel, _ tally: inout CapacityTally) {
    if storm != model.windows[index].storm { enter(index, device: device, model, &tally) }
  }
}

/// A device's online and offline spells: online with probability `online` at the start, spells of
/// exponential length with the fleet's means.
struct OnlineSpells {
  let online: Double
  let meanOnline: Double
  let meanOffline: Double
  let end: Double
  var time = 0.0
  var isOnline: Bool
  var first = true

  init(_ model: CapacityModel, _ random: inout RandomStream) {
    online = model.online
    meanOnline = model.meanOnline
    meanOffline = model.meanOffline
    end = model.duration
    isOnline = model.online >= 1 || random.nextDouble() < model.online
  }

  /// The next online spell, `initial` when it is the one the device is in at the start.
  @inline(__always)
  mutating func next(_ random: inout RandomStream) -> (start: Double, end: Double, initial: Bool)? {
    if online >= 1 {
      guard first else { return nil }
      first = false
      return (0, end, true)
    }
    while time < end {
      if isOnline {
        let start = time
        let initial = first
        time += random.exponential(mean: meanOnline)
        isOnline = false
        first = false
        return (start, Swift.min(time, end), initial)
      }
      time += random.exponential(mean: meanOffline)
      isOnline = true
      first = false
    }
    return nil
  }
}

/// Walks devices through the run: when each comes online, begins polling, is caught by a storm, retries,
/// recovers, and fetches each new state. Requests on a regular schedule are not enumerated: a walk records
/// where each schedule begins, and the renewal equation counts the rest.
struct CapacityWalk: Sendable {
  typealias Tier = CapacityDefinition.Tier

  let model: CapacityModel
  let fleet: Fleet
  /// Per edge: when it serves each version.
  let edgeVersions: [VersionTimeline]
  /// Per window, per region: the diurnal weight integrated over the window (seconds of mean-1 activity).
  let windowWork: [[Double]]

  /// Walks devices `range` into a fresh tally.
  func walk(_ range: Range<Int>) -> CapacityTally {
    var tally = CapacityTally(model)
    for device in range {
      let region = Int(fleet.region[device])
      if model.frontendShare > 0 {
        var choice = RandomStream(seed: model.seed, entity: UInt64(device), purpose: .capacityFrontend)
        if choice.nextDouble() < model.frontendShare {
          frontend(device, region: region, &tally)
          continue
        }
      }
      let c = Int(fleet.syncModel[device])
      tally.classDevices[c] += 1
      let sync = model.classes[c]
      switch sync.kind {
      case .polling:
        poll(device, c, versions: model.apiVersions, &tally)
      case .edgePolling:
        poll(device, c, versions: edgeVersions[model.pools[sync.pool!].edge(region: region, device: device)], &tally)
      case .streaming:
        let versions = model.streamingTier == .api
          ? model.apiVersions : edgeVersions[model.pools[0].edge(region: region, device: device)]
        stream(device, c, versions: versions, &tally)
      }
    }
    return tally
  }

  @inline(__always)
  func windowIndex(containing t: Double, tier: Tier) -> Int? {
    for (index, window) in model.windows.enumerated() where window.tier == tier && window.from <= t && t < window.until {
      return index
    }
    return nil
  }

  @inline(__always)
  func recoveredIndex(_ window: Int, _ t: Double) -> Int? {
    guard let tick = model.tickIndex(t) else { return nil }
    return Swift.max(0, tick - model.untilTick(model.windows[window]))
  }

  /// A client's attempts while window `index` lasts, from a fetch (or a stream's reconnection) at `first`:
  /// every attempt before the window's end fails and is counted; the first at or after the end succeeds
  /// and is returned (nil when the client leaves, at `limit`, before). The rule is the client's in this
  /// window (``CapacityModel/rule(_:in:)``): an exponential backoff counts its waits from `k`; the Node
  /// SDK's rule counts the client's `failures`, which it keeps from storm to storm (a stream reconnects
  /// with its backoff from `k`). A fetch is as many attempts as the rule's HTTP library makes. Once the
  /// waits are steady with more than 64 of them ahead, the fetches that remain are handed to the renewal
  /// equation (``CapacityTally/cappedStarts``) and the success is drawn directly.
  @inline(__always)
  func retry(
    first: Double, k start: Int, failures: inout Int, client: Int, window index: Int, limit: Double,
    _ random: inout RandomStream, _ tally: inout CapacityTally
  ) -> Double? {
    let window = model.windows[index]
    let rule = model.rule(client, in: window)
    let interval = model.interval(client)
    let tier = window.tier.index
    let answer = window.answer
    // Streams, frontend sessions and edges back off as a stream does; polling clients by their rule.
    let polls = interval > 0
    var exponential: ExponentialBackoff? = nil
    if !polls {
      exponential = rule.reconnection
    } else if case .exponential(let backoff) = rule {
      exponential = backoff
    }
    let offsets = polls ? rule.attemptOffsets(answer) : [0]
    let lastOffset = offsets[offsets.count - 1]
    var t = first
    var k = start
    while t < window.until {
      if t >= limit { return nil }
      // Steady waits with many ahead: the renewal equation counts them.
      let steady: (mean: Double, jitter: Double)?
      if let backoff = exponential {
        steady = backoff.isCapped(k) ? RetryRule.exponential(backoff).steadyCycle(after: answer, interval: interval) : nil
      } else {
        steady = rule.isSteady(failures: failures, after: answer) ? rule.steadyCycle(after: answer, interval: interval) : nil
      }
      if let steady, window.until - t > 64 * steady.mean {
        if let tick = model.tickIndex(t) { tally.cappedStarts[index][client][Swift.max(0, tick - window.firstTick)] += 1 }
        var clock = PollClock(interval: steady.mean, jitter: steady.jitter, last: t)
        let fetch = clock.next(atOrAfter: window.until - lastOffset, &random)
        let success = offsets.lazy.map { fetch + $0 }.first { $0 >= window.until } ?? fetch + lastOffset
        return success < limit ? success : nil
      }
      for offset in offsets {
        let attempt = t + offset
        if attempt >= window.until { return attempt < limit ? attempt : nil }
        if attempt >= limit { return nil }
        if let tick = model.tickIndex(attempt) { tally.failed[tier][tick] += 1 }
      }
      let last = t + lastOffset
      if let backoff = exponential {
        t = last + backoff.wait(k, &random)
        k += 1
      } else {
        guard let wait = rule.nextFetch(after: answer, interval: interval, failures: &failures, &random) else { return nil }
        t = last + wait
      }
    }
    return t < limit ? t : nil
  }

  /// A poll of a Node SDK client at `p` was answered 200: it lowers its failures by one and waits
  /// `interval × (1 + failures)` instead of the interval, so its regular schedule moves: one start less at
  /// its next regular poll, one more at the later one (within the stretch of schedule that ends at `end`).
  /// Other rules forget their failures after any success.
  @inline(__always)
  func settle(after p: Double, full: Bool, _ c: Int, failures: inout Int, clock: inout PollClock, end: Double, _ tally: inout CapacityTally) {
    let sync = model.classes[c]
    guard case .unleashNode = sync.rule else {
      failures = 0
      return
    }
    guard full, failures > 0 else { return }
    failures -= 1
    let regular = p + sync.interval
    let later = p + sync.interval * Double(1 + failures)
    if regular < end, let tick = model.tickIndex(regular) { tally.starts[c][tick] -= 1 }
    if later < end, let tick = model.tickIndex(later) { tally.starts[c][tick] += 1 }
    clock.last = later
  }

  /// A polling client (of the API, or of an edge when `versions` are its edge's).
  func poll(_ device: Int, _ c: Int, versions: VersionTimeline, _ tally: inout CapacityTally) {
    let sync = model.classes[c]
    let tier = sync.tier
    let t = tier.index
    var random = RandomStream(seed: model.seed, entity: UInt64(device), purpose: .capacityDevice)
    var clockRandom = RandomStream(seed: model.seed, entity: UInt64(device), purpose: .capacityClock)
    var spells = OnlineSpells(model, &random)
    var clock = PollClock(interval: sync.interval, jitter: sync.jitter, last: 0)
    var held = 0
    var failures = 0
    var retries = StormRetries(random: random)
    while let spell = spells.next(&random) {
      var x: Double
      if spell.initial {
        // Polling since long before the start: the first poll comes after the remaining part of a wait,
        // the wait drawn in proportion to its length.
        var wait = sync.interval
        if sync.jitter > 0 {
          let low = sync.interval * (1 - sync.jitter)
          let high = sync.interval * (1 + sync.jitter)
          wait = (low * low + random.nextDouble() * (high * high - low * low)).squareRoot()
        }
        x = random.nextDouble() * wait
      } else {
        x = spell.start
      }
      while x < spell.end {
        if let index = windowIndex(containing: x, tier: tier) {
          retries.meet(index, device: device, model, &tally)
          guard
            let success = retry(
              first: x, k: 0, failures: &failures, client: c, window: index, limit: spell.end, &retries.random, &tally)
          else { break }
          if let r = recoveredIndex(index, success) { tally.recovered[index][r] += 1 }
          x = success
          continue
        }
        guard let tx = model.tickIndex(x) else { break }
        // A successful poll that begins a regular schedule.
        tally.starts[c][tx] += 1
        let end = Swift.min(spell.end, model.nextWindowStart(after: x, tier: tier))
        clock.last = x
        let version = versions.version(at: x)
        var full = !model.etag
        if version > held {
          tally.full[t][tx] += 1
          held = version
          full = true
        }
        settle(after: x, full: full, c, failures: &failures, clock: &clock, end: end, &tally)
        // Each newer version is fetched by the first poll after the source has it.
        var next = versions.firstIndex(newerThan: held)
        while next < versions.entries.count, versions.entries[next].time < end {
          let p = clock.next(atOrAfter: versions.entries[next].time, &clockRandom)
          guard p < end else { break }
          if let tp = model.tickIndex(p) { tally.full[t][tp] += 1 }
          held = versions.version(at: p)
          tally.fetched(version: held, at: p, model)
          settle(after: p, full: true, c, failures: &failures, clock: &clock, end: end, &tally)
          next = versions.firstIndex(newerThan: held)
        }
        guard end < spell.end else { break }
        // A window begins: the next poll finds the tier unavailable (unless the window is over by then).
        x = clock.next(atOrAfter: end, &clockRandom)
      }
    }
  }

  /// A streaming client: one connection while online; it breaks when its tier becomes unavailable.
  func stream(_ device: Int, _ c: Int, versions: VersionTimeline, _ tally: inout CapacityTally) {
    let tier = model.streamingTier
    let t = tier.index
    var random = RandomStream(seed: model.seed, entity: UInt64(device), purpose: .capacityDevice)
    var spells = OnlineSpells(model, &random)
    var held = 0
    var failures = 0
    var retries = StormRetries(random: random)
    var pending: Int? = nil
    while let spell = spells.next(&random) {
      var x = spell.start
      var k = 0
      var initial = spell.initial
      pending = nil
      while x < spell.end {
        if let index = windowIndex(containing: x, tier: tier) {
          retries.meet(index, device: device, model, &tally)
          guard
            let success = retry(
              first: x, k: k, failures: &failures, client: c, window: index, limit: spell.end, &retries.random, &tally)
          else { break }
          pending = index
          x = success
          k = 0
          initial = false
          continue
        }
        guard let tx = model.tickIndex(x) else { break }
        if initial {
          tally.initialConnections += 1
        } else {
          tally.connects[t][tx] += 1
          tally.connectionDelta[tx] += 1
        }
        if let index = pending {
          if let r = recoveredIndex(index, x) { tally.recovered[index][r] += 1 }
          pending = nil
        }
        initial = false
        held = versions.version(at: x)
        let end = Swift.min(spell.end, model.nextWindowStart(after: x, tier: tier))
        var next = versions.firstIndex(newerThan: held)
        while next < versions.entries.count, versions.entries[next].time < end {
          if let tm = model.tickIndex(versions.entries[next].time) { tally.messages[t][tm] += 1 }
          held = versions.entries[next].version
          tally.fetched(version: held, at: versions.entries[next].time, model)
          next += 1
        }
        if let te = model.tickIndex(end) { tally.connectionDelta[te] -= 1 }
        guard end < spell.end else { break }
        // The tier goes away at `end`: the stream breaks for every client at once, and each waits one
        // backoff before its first attempt to reconnect.
        guard let index = windowIndex(containing: end, tier: tier) else { break }
        let window = model.windows[index]
        retries.enter(index, device: device, model, &tally)
        x = end + model.rule(c, in: window).reconnection.wait(0, &retries.random)
        k = 1
        pending = index
      }
    }
  }

  /// A frontend client: its requests follow its sessions, which the frontend rate counts in closed form;
  /// the walk only draws the requests that fall while the edge is down, and their retries.
  func frontend(_ device: Int, region: Int, _ tally: inout CapacityTally) {
    let sessionsPerDay = Double(fleet.sessionsPerDay[device])
    tally.frontendDevices += 1
    tally.frontendSessions[region] += Int64((sessionsPerDay * 1024).rounded())
    for (index, window) in model.windows.enumerated() where window.tier == .edge {
      let mean = model.online * sessionsPerDay / 86_400 * windowWork[index][region] * Double(model.frontendRequests)
      guard mean > 0 else { continue }
      var random = RandomStream(seed: model.seed, entity: UInt64(device), purpose: .capacitySessions, index: UInt64(window.storm))
      // Sessions in a few minutes: a small mean, drawn by inversion.
      let count = random.poisson(mean: mean)
      for _ in 0..<count {
        tally.waiting[index] += 1
        let arrival = window.from + (window.until - window.from) * random.nextDouble()
        var failures = 0
        guard
          let success = retry(
            first: arrival, k: 0, failures: &failures, client: model.frontendClient, window: index, limit: .infinity, &random, &tally),
          let ts = model.tickIndex(success)
        else { continue }
        tally.frontendRetried[ts] += 1
        if let r = recoveredIndex(index, success) { tally.recovered[index][r] += 1 }
      }
    }
  }
}

/// What the edges do: refresh from the API on their own schedules, retry when it is down, fetch the state
/// again after a restart. Edges are few; each refresh is walked.
struct EdgeWalk {
  /// Per edge: when it serves each version.
  var versions: [VersionTimeline] = []
  /// Refresh requests to the API, those answered with the whole state, and failed ones, per tick.
  var refreshes: [Int32]
  var fullRefreshes: [Int32]
  var failed: [Int32]
  /// Per window: edges caught.
  var waiting: [Int]

  init(_ model: CapacityModel) {
    refreshes = [Int32](repeating: 0, count: model.ticks)
    fullRefreshes = refreshes
    failed = refreshes
    waiting = model.windows.map { _ in 0 }
    for pool in model.pools {
      for region in 0..<model.regionCount {
        for k in 0..<pool.perRegion {
          versions.append(walk(edge: pool.offset + region * pool.perRegion + k, pool: pool, model))
        }
      }
    }
  }

  mutating func walk(edge: Int, pool: EdgePoolRef, _ model: CapacityModel) -> VersionTimeline {
    let refresh = pool.refresh
    var random = RandomStream(seed: model.seed, entity: UInt64(edge), purpose: .capacityEdge)
    var entries: [(Double, Int)] = [(0, 0)]
    var version = 0
    var forced = false
    var t = random.nextDouble() * refresh
    var caughtBy = -1
    while t < model.duration {
      if let window = model.window(containing: t, tier: .edge) {
        // Restarting: back at the window's end, with a fetch of the whole state.
        t = window.until
        forced = true
        continue
      }
      if let index = model.windows.firstIndex(where: { $0.tier == .api && $0.from <= t && t < $0.until }) {
        let window = model.windows[index]
        if caughtBy != window.storm {
          waiting[index] += 1
          caughtBy = window.storm
        }
        var retryRandom = RandomStream(seed: model.seed, entity: UInt64(edge), purpose: .capacityEdge, index: 1 + UInt64(window.storm))
        let backoff = model.rule(model.edgeClient, in: window).reconnection
        var k = 0
        while t < window.until {
          if let tick = model.tickIndex(t) { failed[tick] += 1 }
          t += backoff.wait(k, &retryRandom)
          k += 1
        }
        continue
      }
      guard let tick = model.tickIndex(t) else { break }
      refreshes[tick] += 1
      let current = model.apiVersions.version(at: t)
      if current > version || forced || !model.etag { fullRefreshes[tick] += 1 }
      if current > version {
        version = current
        entries.append((t, current))
      }
      forced = false
      // Unleash Edge refreshes on a fixed interval; a refresh jitter varies each.
      var next = t + (pool.refreshJitter > 0 ? refresh * (1 + pool.refreshJitter * (2 * random.nextDouble() - 1)) : refresh)
      // A restart between two refreshes: the edge fetches again when it is back.
      if let restart = model.windows.first(where: { $0.tier == .edge && $0.from > t && $0.from < next }) {
        next = restart.until
        forced = true
      }
      t = next
    }
    return VersionTimeline(entries: entries)
  }
}

typealias EdgePoolRef = CapacityModel.EdgePool
