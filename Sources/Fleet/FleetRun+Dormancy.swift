import Dispatch
import Foundation
import FlagEngine
import Simulation
import Telemetry

// Dormant devices: cost follows the work that matters.
//
// Most devices, most of the time, have nothing to simulate: they are on the latest state, no fault can
// bite them, and their sessions only add healthy counts to telemetry. Such a device is dormant: it has
// no events. Its sessions are still there, in bulk: at each window's end the sessions of dormant devices
// are drawn per stratum (cohort, arm, region, activity class) from the same model a device follows
// (sessions on its region's local day while online, ``OnlineCycle``), with the same baseline
// outcomes, losses and delays, and reports split by the read they arrive for; so are its silent windows
// (offline throughout). When a state is published, every dormant device evaluates it with the real
// engine; one whose arm changes wakes at once (offline, or online with its next session to come) and is
// simulated event by event until it is dormant again, adopting the state at its first session after its
// sync delay. One whose arm does not change adopts the state in the books at the session where it would
// (its sync delay, then its next session), without an event.
extension FleetRun {
  static let activityClasses = 12

  /// Sessions-per-day classes, in powers of two: 0.25, 0.5, ... up to 512 and above.
  @inline(__always)
  static func activityClass(_ sessionsPerDay: Float) -> Int {
    let exponent = Int(log2(max(Double(sessionsPerDay), 0.25)).rounded(.down)) + 2
    return min(max(exponent, 0), activityClasses - 1)
  }

  @inline(__always)
  func stratum(_ device: Int) -> Int {
    let record = devices[device]
    let regions = utcOffsets.count
    return ((Int(record.attributes.cohort) * armCount + Int(record.arm)) * regions + Int(record.attributes.region))
      * Self.activityClasses + Self.activityClass(record.sessionsPerDay)
  }

  /// A device may go dormant when nothing about it needs events: online, on the latest state, no fault
  /// that could bite it, none stuck to it, and a flag that does not answer per session. A fault that has
  /// not arrived yet does not keep it awake (its arrival wakes the devices it can bite), and one that has
  /// ended cannot bite any more: a fault that arrives days into a release costs no events until then.
  func eligibleForDormancy(_ device: Int, at time: SimulatedTime) -> Bool {
    let record = devices[device]
    guard record.status == .online, record.stuck == 0,
      Int(record.version) == versions.count - 1, !versions[Int(record.version)].random
    else { return false }
    let mask = record.susceptible
    if mask != 0 {
      for f in faultRecords.indices where (mask >> f) & 1 == 1 {
        // A fault that could bite this arm, now or later, keeps the device awake (until a fix).
        guard time < fixTime else { continue }
        // A data loss has had its one chance at the device: nothing of it is left to simulate.
        if faultRecords[f].kind == .dataLoss && record.flags.contains(.dataLossDrawn) { continue }
        if faultRecords[f].perArtifact {
          // Any state from the fault's arrival on may give the device a bad artifact, flag on or off.
          if time >= faultRecords[f].from { return false }
          continue
        }
        guard time >= faultRecords[f].from, time < faultRecords[f].until else { continue }
        if faultRecords[f].triggers(arm: record.arm, killed: record.flags.contains(.killed)) { return false }
      }
    }
    return true
  }

  /// Fault `f` arrives: every dormant device it can bite now (susceptible, on the arm it triggers on) wakes,
  /// as a publication wakes one: online with the share at that time of day plus its lead (its sessions from
  /// now on), else offline until its spell ends. In device order, so the run does not depend on the cores.
  mutating func faultArrives<Queue: EventQueue<FleetEvent>>(_ f: Int, at time: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    guard time < fixTime else { return }
    drawDormantSessions(until: time)
    let now = time.seconds
    for device in range where devices[device].flags.contains(.dormant) && (devices[device].susceptible >> f) & 1 == 1 {
      let record = devices[device]
      if !faultRecords[f].perArtifact && !faultRecords[f].triggers(arm: record.arm, killed: record.flags.contains(.killed)) {
        continue
      }
      if faultRecords[f].kind == .dataLoss && record.flags.contains(.dataLossDrawn) { continue }
      var random = stream(device, .arrivalWake, index: f)
      let offset = utcOffsets[Int(record.attributes.region)]
      let isOnline = online >= 1
        || random.bernoulli(min(1, cycle.onlineShare(at: now, dayStart: model.dayStart, offset: offset) + lead(device, at: now)))
      wake(device, at: time)
      if isOnline {
        scheduleSession(device, after: time, &random, &scheduler)
      } else {
        let back = cycle.comesBack(
          after: now, work: exponential.sample(&random), dayStart: model.dayStart, offset: offset, limit: durationSeconds)
        wokenOffline(device, until: back, &scheduler)
      }
    }
  }

  /// `device`, online at `time` (at a session, or at the start), goes dormant: heard from in the window
  /// being filled, and likelier online than the fleet for a few hours (its lead).
  mutating func goDormant(_ device: Int, at time: SimulatedTime) {
    devices[device].flags.insert(.dormant)
    devices[device].since = Float(time.seconds)
    dormantSeconds -= time.seconds
    let s = stratum(device)
    let rate = Double(devices[device].sessionsPerDay)
    dormantCount[s] += 1
    dormantRate[s] += rate
    if online < 1 {
      let now = time.seconds
      followLead(device, s, rate * lead(device, at: now), from: now)
      dormantSinceWindowStart[s] += 1
      presenceFreshLead[s] += lead(device, at: currentWindowEnd)
    }
  }

  mutating func wake(_ device: Int, at time: SimulatedTime) {
    devices[device].flags.remove(.dormant)
    dormantSeconds += time.seconds
    let s = stratum(device)
    let rate = Double(devices[device].sessionsPerDay)
    dormantCount[s] -= 1
    dormantRate[s] -= rate
    guard online < 1 else { return }
    let now = time.seconds
    followLead(device, s, -rate * lead(device, at: now), from: now)
    // Its presence leaves the books it is in: those of the devices dormant since before the window
    // began (a window's first one: since the start), or those of the window's fresh ones.
    let windowStart = (windowLength * accumulator.index).seconds
    if Double(devices[device].since) <= windowStart && accumulator.index > 0 {
      presenceLead[s] -= lead(device, at: windowStart)
    } else {
      presenceFreshLead[s] -= lead(device, at: currentWindowEnd)
      dormantSinceWindowStart[s] = max(0, dormantSinceWindowStart[s] - 1)
    }
  }

  /// The end of the window being filled (seconds): the run's end for the last.
  var currentWindowEnd: Double {
    min(windowLength * (accumulator.index + 1), model.duration).seconds
  }

  /// Adds a lead of `amount` from `time` to the stratum's books for the current window: the sessions it
  /// gives until the window's end, and what is left of it then.
  @inline(__always)
  mutating func followLead(_ device: Int, _ s: Int, _ amount: Double, from time: Double) {
    guard amount != 0 else { return }
    let end = currentWindowEnd
    let offset = utcOffsets[Int(devices[device].attributes.region)]
    leadSessions[s] += amount * cycle.leadSessionWork(from: time, to: end, dayStart: model.dayStart, offset: offset)
    leadAtWindowEnd[s] += amount * cycle.relaxation(from: time, to: end, dayStart: model.dayStart, offset: offset)
  }

  /// A dormant device's lead over the online share at `time` (seconds, after it went dormant): online
  /// when it went dormant (at `since`), it is online at `time` with the share then plus this.
  @inline(__always)
  func lead(_ device: Int, at time: Double) -> Double {
    let since = Double(devices[device].since)
    let offset = utcOffsets[Int(devices[device].attributes.region)]
    return (1 - cycle.onlineShare(at: since, dayStart: model.dayStart, offset: offset))
      * cycle.relaxation(from: since, to: time, dayStart: model.dayStart, offset: offset)
  }

  /// The session at which a dormant device adopts version `k` published at `time`: its sync delay, then
  /// its next session, following the process an event-simulated device follows from the publication
  /// (online with the online share at that time of day plus its lead, having been online when it went
  /// dormant; else back when its offline spell ends). `offlineUntil`: when the device is offline at the
  /// publication, the end of that spell (seconds); a device woken then keeps it.
  func adoptionTime(_ device: Int, version k: Int, publishedAt time: SimulatedTime) -> (session: Double, offlineUntil: Double?) {
    var random = stream(device, .wake, index: k)
    var t = time.seconds
    let synced = (time + syncDelay(device, k)).seconds
    let offset = utcOffsets[Int(devices[device].attributes.region)]
    let share = cycle.onlineShare(at: t, dayStart: model.dayStart, offset: offset) + lead(device, at: t)
    var isOnline = online >= 1 || random.bernoulli(share)
    let wasOnlineAtPublication = isOnline
    var offlineUntil: Double?
    while t < durationSeconds {
      if !isOnline {
        t = cycle.comesBack(after: t, work: exponential.sample(&random), dayStart: model.dayStart, offset: offset, limit: durationSeconds)
        // Away at the publication: a device woken now keeps this spell.
        if offlineUntil == nil && !wasOnlineAtPublication { offlineUntil = t }
        isOnline = true
        continue
      }
      if t < synced && online < 1 {
        // Until the sync only its spells matter: a session before it does not take the state.
        let leaves = cycle.goesOffline(after: t, work: exponential.sample(&random))
        if leaves < synced {
          t = leaves
          isOnline = false
          continue
        }
      }
      let step = nextOnlineStep(device, from: max(t, synced), &random)
      if !step.leaves { return (step.time, offlineUntil) }
      t = step.time
      isOnline = false
    }
    return (.infinity, offlineUntil)
  }

  /// Draws the sessions dormant devices had in the current window up to `time`, before some of them wake
  /// (at a publication or a fault's arrival) and leave the strata the draws are made for.
  mutating func drawDormantSessions(until time: SimulatedTime) {
    let windowStart = max(windowLength * accumulator.index, dormantDrawnUntil)
    if time > windowStart {
      addDormantSessions(window: accumulator.index, start: windowStart, end: time)
      dormantDrawnUntil = time
    }
  }

  /// A device just woken while offline: quiet since the window began, as the window's draws assume (or
  /// since it went dormant, at a session, if that was in this window), and back online at `back`
  /// (seconds), if within the run.
  mutating func wokenOffline<Queue: EventQueue<FleetEvent>>(_ device: Int, until back: Double, _ scheduler: inout EventScheduler<Queue>) {
    let quiet = max(windowLength * accumulator.index, SimulatedTime(truncatingSeconds: Double(devices[device].since)))
    devices[device].status = .offline
    devices[device].since = Float(quiet.seconds)
    goQuiet(device, since: quiet)
    if back < durationSeconds {
      scheduler.schedule(.online, at: max(SimulatedTime.seconds(back), scheduler.now), key: UInt32(device))
    }
  }

  /// A new state: every dormant device evaluates it and draws its adoption time (on every core, by
  /// chunks of devices); those whose arm changes wake at their adoption session, the others adopt it in
  /// the books. Waking and scheduling then go in device order, so the run does not depend on the cores.
  mutating func publishToDormantDevices<Queue: EventQueue<FleetEvent>>(
    version k: Int, at time: SimulatedTime, _ scheduler: inout EventScheduler<Queue>
  ) {
    drawDormantSessions(until: time)
    let entry = versions[k]
    let count = range.count
    let first = range.lowerBound
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
    storage.initialize(repeating: 0, count: max(count, 1))
    defer { storage.deallocate() }
    // Addressed by the device's number in the fleet, as the records are.
    let arms = storage - first
    let work = entry.flag.map { flag in
      BulkEvaluation(
        devices: UnsafePointer(devices), arms: arms, count: count,
        state: entry.state, flag: flag, fleet: fleet, seed: seed, version: k, variantNames: variantNames, turnsOff: model.releaseTurnsOff,
        readsTime: entry.readsTime, fields: entry.fields, instant: Timestamp(seconds: model.startUnixSeconds + time.microseconds / 1_000_000))
    }
    let chunks = count >= 65_536 ? 8 : 1
    let run = UncheckedRun(self, arms: arms)
    let found = ResultSlots<DormantAdoptions>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let (start, end) = (first + count * chunk / chunks, first + count * (chunk + 1) / chunks)
      work?.run(from: start, to: end)
      found.store(chunk, run.value.dormantAdoptions(version: k, publishedAt: time, random: entry.random, arms: run.arms, from: start, to: end))
    }
    for chunk in found.values {
      for (device, offlineUntil) in chunk.wakes {
        wake(Int(device), at: time)
        if let offlineUntil {
          // Offline (a dormant device is, with the online share and its lead): back at the end of its spell,
          // it has its sessions as any device back online does, adopting the state at the first.
          wokenOffline(Int(device), until: offlineUntil, &scheduler)
        } else {
          // Online: its sessions (and offline spells) from now on, event by event; it adopts the state at
          // the first session after its sync delay.
          var random = stream(Int(device), .wakeSessions, index: k)
          scheduleSession(Int(device), after: time, &random, &scheduler)
        }
      }
      for (window, perOld) in chunk.late.enumerated() {
        for (old, devices) in perOld.enumerated() where devices > 0 {
          lateAdoptions[window, default: [:]][Int64(old) << 32 | Int64(k), default: 0] += devices
        }
      }
    }
  }

  /// For the dormant devices in `start..<end`: those whose arm changes (or whose flag is random), with
  /// their adoption times; the others move to version `k` now, counted per adoption window and old
  /// version. Writes only these devices' records, so chunks run in parallel.
  func dormantAdoptions(
    version k: Int, publishedAt time: SimulatedTime, random: Bool, arms: UnsafePointer<UInt8>, from start: Int, to end: Int
  ) -> DormantAdoptions {
    var found = DormantAdoptions(late: Array(repeating: Array(repeating: 0, count: k), count: windowCount))
    let killing = versions[k].flagDisabled && time < fixTime
    for device in start..<end where devices[device].flags.contains(.dormant) {
      let (adoptAt, offlineUntil) = adoptionTime(device, version: k, publishedAt: time)
      // A kill wakes the devices a `when: killed` fault could bite: it bites from their adoption on.
      let killedHere = killing && devices[device].susceptible & killedFaults != 0 && versions[Int(devices[device].version)].flagEnabled
      if arms[device] != devices[device].arm || random || killedHere {
        found.wakes.append((UInt32(device), offlineUntil))
        continue
      }
      // Same arm: the device takes the new state at that session, with nothing else to simulate.
      let old = Int(devices[device].version)
      devices[device].version = UInt16(k)
      if adoptAt < durationSeconds { found.late[Int(SimulatedTime(truncatingSeconds: adoptAt).microseconds / windowLength.microseconds)][old] += 1 }
    }
    return found
  }

  /// Books the adoptions of dormant devices that happened in `window`.
  mutating func applyLateAdoptions(window: Int) {
    guard let entries = lateAdoptions.removeValue(forKey: window) else { return }
    for (pair, devices) in entries {
      adopted[Int(pair >> 32)] -= devices
      adopted[Int(pair & 0xffff_ffff)] += devices
    }
  }

  /// The sessions dormant devices had in a window, drawn per stratum, added to the pieces of the reads
  /// their reports arrive for (the window's own, or a later one's late piece), as the event-simulated
  /// devices' reports are. A window's dormant sessions are drawn up to its end, or up to a publication
  /// within it (before the devices it wakes leave the strata), then from there to the end.
  mutating func addDormantSessions(window: Int, start: SimulatedTime, end: SimulatedTime) {
    let regions = utcOffsets.count
    let from = start.seconds
    let to = end.seconds
    guard to > from else { return }
    let day = min(Int(start.microseconds / SimulatedTime.days(1).microseconds), noiseDays - 1)
    // The window's first draw keeps the stratum's index; a draw after a publication in the window has one
    // of its own.
    let part = UInt64(window == dormantWindow ? dormantParts : 0)
    dormantWindow = window
    dormantParts = Int(part) + 1
    // Drawn up to a publication within the window: the leads' sessions until then are what they give
    // until the window's end less what they give from then on.
    let windowEnd = currentWindowEnd
    let partial = online < 1 && to < windowEnd
    for s in dormantCount.indices {
      let region = (s / Self.activityClasses) % regions
      var leadWork = leadSessions[s]
      if partial && leadAtWindowEnd[s] != 0 {
        let offset = utcOffsets[region]
        let left = cycle.relaxation(from: to, to: windowEnd, dayStart: model.dayStart, offset: offset)
        let rest = left > 0 ? leadAtWindowEnd[s] / left * cycle.leadSessionWork(from: to, to: windowEnd, dayStart: model.dayStart, offset: offset) : 0
        leadWork -= rest
        leadSessions[s] = rest
      }
      guard dormantCount[s] > 0 else { continue }
      let cohortArm = s / Self.activityClasses / regions
      let cell = cells.index(cohort: cohortArm / armCount, region: region, arm: cohortArm % armCount)
      // Sessions a day of the stratum's devices times the online share, plus their lead over it.
      let work = dormantRate[s] * cycle.sessionWork(from: from, to: to, dayStart: model.dayStart, offset: utcOffsets[region])
        + max(0, leadWork)
      var random = stream(window, .aggregate, index: Int(UInt64(s) | blockTag | part << 48))
      // Sessions of all the stratum's devices: Poisson counts with the summed rate, split (thinning) by
      // the read their reports arrive for; a crash's report waits for the reboot.
      let meanSessions = work / 86_400
      let errorRate = min(1, baselineError * noise[region * noiseDays + day])
      var reported = 0
      var reportedMean = 0.0
      for (offset, share) in reportReads {
        let mean = meanSessions * (1 - baselineCrash) * (1 - loss) * share
        let crashMean = meanSessions * baselineCrash * (1 - loss) * (crashReportReads.first { $0.offset == offset }?.share ?? 0)
        reportedMean += mean + crashMean
        let sessions = random.poisson(mean: mean)
        let crashes = random.poisson(mean: crashMean)
        let errors = random.binomial(trials: sessions, probability: errorRate)
        reported += sessions + crashes
        addBulk(window: window, read: window + offset, cell: cell, sessions: sessions + crashes, errors: errors, crashes: crashes, &random)
      }
      for (offset, share) in crashReportReads where !reportReads.contains(where: { $0.offset == offset }) {
        let crashMean = meanSessions * baselineCrash * (1 - loss) * share
        reportedMean += crashMean
        let crashes = random.poisson(mean: crashMean)
        reported += crashes
        addBulk(window: window, read: window + offset, cell: cell, sessions: crashes, errors: 0, crashes: crashes, &random)
      }
      // The sessions whose reports are lost or too late are sessions all the same: an independent
      // Poisson count, from a stream of its own so the window's draws stay as they are.
      var unreported = stream(window, .aggregateUnreported, index: Int(UInt64(s) | blockTag | part << 48))
      result.sessionsDrawnInBulk += reported + unreported.poisson(mean: max(0, meanSessions - reportedMean))
    }
  }

  /// The dormant devices offline for the whole of the window from `start` to `end` (seconds): silent
  /// in it. A device is offline at the window's start with the offline share then, less its lead (one
  /// that went dormant lately, at a session, so online then, is likelier online: ``OnlineCycle``), as it
  /// would be event by event; `presenceLead` sums the leads of the stratum's devices dormant since before
  /// the window. An offline device stays so through the window if its spell outlasts it: no return,
  /// whose rate follows the local day.
  mutating func addDormantSilence(window: Int, from start: Double, to end: Double) {
    guard online < 1, end > start else { return }
    let regions = utcOffsets.count
    for s in dormantCount.indices where dormantCount[s] > 0 {
      let region = (s / Self.activityClasses) % regions
      let cohortArm = s / Self.activityClasses / regions
      let cell = cells.index(cohort: cohortArm / armCount, region: region, arm: cohortArm % armCount)
      // Those that went dormant in this window did so at a session: heard from.
      let candidates = max(0, Int(dormantCount[s]) - Int(dormantSinceWindowStart[s]))
      guard candidates > 0 else { continue }
      let offset = utcOffsets[region]
      let offlineAtStart = 1 - cycle.onlineShare(at: start, dayStart: model.dayStart, offset: offset) - max(0, presenceLead[s]) / Double(candidates)
      let outlasts = exp(-cycle.returnScale * cycle.curve.work(from: start, to: end, dayStart: model.dayStart, offset: offset))
      var presence = stream(window, .presence, index: Int(UInt64(s) | blockTag))
      accumulator.addSilent(cell: cell, presence.binomial(trials: candidates, probability: min(1, max(0, offlineAtStart)) * outlasts))
    }
  }

  /// A window ends (at `end`, seconds; it began at `start`): the leads go on into the next one, to
  /// `next`. For the sessions: what they give there and what is left at its end; for presence: the
  /// window's fresh devices join those dormant since before it.
  mutating func carryLeads(from start: Double, to end: Double, next: Double) {
    guard online < 1 else { return }
    let regions = utcOffsets.count
    for s in leadAtWindowEnd.indices {
      let offset = utcOffsets[(s / Self.activityClasses) % regions]
      let carried = max(0, leadAtWindowEnd[s])
      leadSessions[s] = carried == 0 ? 0 : carried * cycle.leadSessionWork(from: end, to: next, dayStart: model.dayStart, offset: offset)
      leadAtWindowEnd[s] = carried == 0 ? 0 : carried * cycle.relaxation(from: end, to: next, dayStart: model.dayStart, offset: offset)
      let settled = max(0, presenceLead[s])
      presenceLead[s] = (settled == 0 ? 0 : settled * cycle.relaxation(from: start, to: end, dayStart: model.dayStart, offset: offset))
        + max(0, presenceFreshLead[s])
      presenceFreshLead[s] = 0
      dormantSinceWindowStart[s] = 0
    }
  }

  /// Dormant sessions of `window` whose reports count in `read`, in that read's piece.
  mutating func addBulk(window: Int, read: Int, cell: Int, sessions: Int, errors: Int, crashes: Int, _ random: inout RandomStream) {
    guard sessions > 0 else { return }
    if read == window {
      accumulator.addBulk(cell: cell, sessions: sessions, errors: errors, crashes: crashes, latency: baselineLatency, &random)
    } else if read < windowCount, readTime(read) <= model.duration {
      let (layout, latency) = (cells, baselineLatency)
      late[lateKey(read: read, window: window), default: WindowAccumulator(index: window, cells: layout)]
        .addBulk(cell: cell, sessions: sessions, errors: errors, crashes: crashes, latency: latency, &random)
    }
  }
}

/// Evaluation of one state for many devices at once, from several threads: each thread fills its own
/// context and writes its own range of `arms`.
struct BulkEvaluation: @unchecked Sendable {
  let devices: UnsafePointer<DeviceRecord>
  let arms: UnsafeMutablePointer<UInt8>
  let count: Int
  let state: FlagState
  let flag: FlagHandle
  let fleet: Fleet
  let seed: UInt64
  let version: Int
  let variantNames: [String]
  /// A release that turns the flag off: arm 1 where the flag is off.
  let turnsOff: Bool
  let readsTime: Bool
  let fields: DeviceContextBuilder.FieldSet
  let instant: Timestamp

  func run(from start: Int, to end: Int) {
    var builder = DeviceContextBuilder(fleet: fleet)
    let time = readsTime ? instant.iso8601 : nil
    for device in start..<end where devices[device].flags.contains(.dormant) {
      builder.fill(device, devices[device].attributes, only: fields)
      let reseed = FleetRun.evaluationSeed(seed, device: device, version: version, session: 0)
      let arm = builder.withContext { context in
        if let time { context[.currentTime] = time }
        return FleetRun.arm(of: flag, in: state, context: &context, seed: reseed, variantNames: variantNames)
      }
      arms[device] = turnsOff ? FleetRun.turnedOff(arm) : arm
    }
  }
}

/// What one chunk of dormant devices does with a new state.
struct DormantAdoptions: Sendable {
  /// Devices to wake, in device order, with the end of the offline spell (seconds) of those offline.
  var wakes: [(UInt32, Double?)] = []
  /// Devices that adopt in the books: per window, per old version.
  var late: [[Int]]
}

/// A run, read (and its dormant devices' records written) by chunks on other threads.
struct UncheckedRun: @unchecked Sendable {
  let value: FleetRun
  let arms: UnsafePointer<UInt8>
  init(_ value: FleetRun, arms: UnsafeMutablePointer<UInt8>) {
    self.value = value
    self.arms = UnsafePointer(arms)
  }
}
