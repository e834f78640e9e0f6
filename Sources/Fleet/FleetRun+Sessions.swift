import Simulation

// Sessions: when a device has them, and what one does. A session adopts what the device's SDK has seen,
// suffers the faults that bite it (FleetRun+Faults.swift), draws the healthy baseline, reports, and ends
// in a crash, a device that is down, or the next session.
extension FleetRun {
  /// The next session after `time`, on the device's diurnal curve; or an offline spell first.
  @inline(__always)
  mutating func scheduleSession<Queue: EventQueue<FleetEvent>>(
    _ device: Int, after time: SimulatedTime, _ random: inout RandomStream, _ scheduler: inout EventScheduler<Queue>
  ) {
    let start = time.seconds
    let step = nextOnlineStep(device, from: start, &random)
    if step.leaves {
      devices[device].status = .offline
      devices[device].since = Float(step.time)
      goQuiet(device, since: SimulatedTime(truncatingSeconds: step.time))
      let back = cycle.comesBack(
        after: step.time, work: exponential.sample(&random), dayStart: model.dayStart,
        offset: utcOffsets[Int(devices[device].attributes.region)], limit: durationSeconds)
      if back < durationSeconds { scheduler.schedule(.online, at: .seconds(back), key: UInt32(device)) }
      return
    }
    if step.time < durationSeconds { scheduler.schedule(.session, at: .seconds(step.time), key: UInt32(device)) }
  }

  /// What an online device does next after `start` (seconds): its next session, or going offline
  /// first (`leaves`), whichever comes first on its region's local day (``OnlineCycle``).
  @inline(__always)
  func nextOnlineStep(_ device: Int, from start: Double, _ random: inout RandomStream) -> (time: Double, leaves: Bool) {
    let rate = Double(devices[device].sessionsPerDay)
    let offset = utcOffsets[Int(devices[device].attributes.region)]
    let next = cycle.sessionCurve.advance(
      from: start, work: exponential.sample(&random) * 86_400 / rate, dayStart: model.dayStart, offset: offset, limit: durationSeconds)
    if online < 1 {
      let leaves = cycle.goesOffline(after: start, work: exponential.sample(&random))
      if leaves < next && leaves < durationSeconds { return (leaves, true) }
    }
    return (next, false)
  }

  /// Back from an offline spell. The return counts in the device's numbering of its streams: a device
  /// that leaves again before a session must not draw the same spell again (it did, and such devices
  /// came and went on the same durations forever, never seeing a new state).
  mutating func backOnline<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    devices[device].status = .online
    comeUp(device)
    let count = devices[device].sessionCount
    devices[device].sessionCount &+= 1
    var random = stream(device, .backOnline, count: count)
    scheduleSession(device, after: now, &random, &scheduler)
  }

  mutating func session<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    guard devices[device].status == .online else { return }
    let sessionIndex = devices[device].sessionCount
    devices[device].sessionCount &+= 1
    result.sessionsSimulated += 1
    var random = stream(device, .session, count: sessionIndex)

    // The SDK's state: adopt what it has seen by now; sticky-on-session flags evaluate every session.
    let visible = visibleVersion(device, at: now)
    if visible != Int(devices[device].version) {
      adopt(device, version: visible, at: now)
    } else if versions[visible].random {
      adopt(device, version: visible, at: now, session: UInt64(sessionIndex))
    }

    // Faults first: they decide how the session ends.
    let faults = sufferFaults(device, at: now, &random)
    accountHarm(device, faults, at: now)
    if let f = faults.lostData { loseData(device, fault: f, at: now, &scheduler) }

    // The healthy baseline.
    let region = Int(devices[device].attributes.region)
    let day = min(Int(now.microseconds / SimulatedTime.days(1).microseconds), noiseDays - 1)
    let errored = faults.errored || random.bernoulli(min(1, baselineError * noise[region * noiseDays + day]))
    let baselineCrashed = !faults.crashed && faults.down == nil && random.bernoulli(baselineCrash)
    let latency = baselineLatency.sample(&random) + faults.extraLatency

    // What the pipeline delivers: the report, in the read it arrives for (a crash's after the reboot).
    // A device that goes down reports its crash only when it boots again (FleetRun+Telemetry.swift).
    if let down = faults.down {
      goDown(device, down, at: now, &scheduler)
      return
    }
    let crashed = faults.crashed || baselineCrashed
    let rebootSeconds = faults.crashed ? faults.reboot : (baselineCrashed ? Self.baselineCrashReboot : 0)
    report(device, at: now, delayedBy: rebootSeconds, errored: errored && !crashed, crashed: crashed, latency: latency, &random)
    if crashed {
      crash(device, at: now, reboot: rebootSeconds, causedByFault: faults.crashed, &scheduler)
      return
    }
    if dormancy && eligibleForDormancy(device, at: now) {
      goDormant(device, at: now)
      return
    }
    scheduleSession(device, after: now, &random, &scheduler)
  }
}
