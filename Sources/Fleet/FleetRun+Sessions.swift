import Simulation

// Sessions: when a device has them, and what one does. A session adopts what the device's SDK has seen,
// suffers the faults that bite it (FleetRun+Faults.swift), draws the healthy baseline, reports, and ends
// in a crash, a device that is down, or the next session.
extension FleetRun {
  /// The next session after `time`, on the device's diurnal curve; or an offline spell first.
  @inline(__always)
  mutating func scheduleSession<Queue: EventQueue<FleetEvent>>(
    _ device: Int, after time: Int64, _ random: inout RandomStream, _ scheduler: inout EventScheduler<Queue>
  ) {
    let rate = Double(devices[device].sessionsPerDay)
    let offset = utcOffsets[Int(devices[device].attributes.region)]
    let start = Double(time) / 1e6
    let limit = durationSeconds
    let next = curve.advance(
      from: start, work: exponential.sample(&random) * 86_400 / rate, dayStart: model.dayStart, offset: offset, limit: limit)
    if online < 1 {
      // Offline spells start at a rate that gives the online share, and last `offlineSpell` on average.
      let meanOnline = offlineSpell * online / (1 - online)
      let leaves = start + meanOnline * exponential.sample(&random)
      if leaves < next && leaves < limit {
        devices[device].status = .offline
        goQuiet(device, since: Int64(leaves * 1e6))
        let back = leaves + offlineSpell * exponential.sample(&random)
        if back < limit { scheduler.schedule(.online, at: .seconds(back), key: UInt32(device)) }
        return
      }
    }
    if next < limit { scheduler.schedule(.session, at: .seconds(next), key: UInt32(device)) }
  }

  /// Back from an offline spell.
  mutating func backOnline<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    devices[device].status = .online
    comeUp(device)
    // Each return draws afresh: with the count unchanged, a device that went offline again before a
    // session would redraw the same spell forever and never have a session again.
    var random = stream(device, .backOnline, count: devices[device].sessionCount)
    devices[device].sessionCount &+= 1
    scheduleSession(device, after: now, &random, &scheduler)
  }

  mutating func session<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
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

    // The healthy baseline.
    let region = Int(devices[device].attributes.region)
    let day = min(Int(now / 86_400_000_000), noiseDays - 1)
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
