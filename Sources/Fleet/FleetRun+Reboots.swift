import Simulation

// Reboots: a crashed device is back after its reboot; a crash-looping device boots again and again,
// and at each boot its SDK races the crash: with `fetchBeforeCrash` it fetches the newest state it can
// see before the faulty code runs, and that boot succeeds if the fault no longer applies; otherwise it
// crashes before its SDK has started, having fetched and reported nothing. The fetch has to get through
// the delivery path's servers (FleetRun+Backend.swift): turned away, the device boots again when its
// SDK's retry rule says. A device that gives up booting (`bootAttempts`) or needs manual recovery waits
// for a technician (FleetRun+Repair.swift).
extension FleetRun {
  /// A session ended in a crash: the device is back after `reboot` seconds. A crash a fault caused
  /// counts as failed time while the device reboots (within the run).
  mutating func crash<Queue: EventQueue<FleetEvent>>(
    _ device: Int, at now: SimulatedTime, reboot: Double, causedByFault: Bool, _ scheduler: inout EventScheduler<Queue>
  ) {
    devices[device].status = .rebooting
    goQuiet(device, since: now)
    if causedByFault { result.failedDeviceHours += min(reboot, durationSeconds - now.seconds) / 3600 }
    scheduler.schedule(.reboot, at: now + SimulatedTime(truncatingSeconds: reboot), key: UInt32(device))
  }

  /// Back from a crash's reboot.
  mutating func rebooted<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    devices[device].status = .online
    comeUp(device)
    var random = stream(device, .rebooted, count: devices[device].sessionCount)
    scheduleSession(device, after: now, &random, &scheduler)
  }

  /// A session's fault left the device down: crash looping (it tries to boot again after the loop's
  /// reboot time), or down until repaired by hand. It is failed from now until it is back.
  mutating func goDown<Queue: EventQueue<FleetEvent>>(
    _ device: Int, _ status: DeviceStatus, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>
  ) {
    devices[device].status = status
    devices[device].since = Float(now.seconds)
    devices[device].bootsFailed = 0
    goQuiet(device, since: now)
    devices[device].flags.insert(.crashUnreported)
    downNow += 1
    result.devicesTakenDown += 1
    noteBackend(device, up: false, at: now)
    if status == .manual {
      awaitRepair(device, at: now, &scheduler)
    } else {
      scheduler.schedule(.bootAttempt, at: now + SimulatedTime(truncatingSeconds: crashLoopReboot), key: UInt32(device))
    }
  }

  mutating func bootAttempt<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    guard devices[device].status == .crashLoop else { return }
    let count = devices[device].sessionCount
    devices[device].sessionCount &+= 1
    // The race: the SDK's first fetch, or the crash.
    var race = stream(device, .bootRace, index: Int(count))
    let fetched = race.bernoulli(fetchBeforeCrash)
    if fetched {
      // The fetch meets the servers: turned away, the boot fails before the faulty code runs, and the
      // device boots again when its SDK's rule says.
      if let retry = bootFetch(device, at: now) {
        scheduler.schedule(.bootAttempt, at: retry, key: UInt32(device))
        return
      }
      let visible = visibleVersion(device, at: now)
      if visible != Int(devices[device].version) { adopt(device, version: visible, at: now) }
    }
    var random = stream(device, .bootAttempt, count: count)
    var stillFaulty = false
    for f in faultRecords.indices where faultRecords[f].kind == .crashLoop {
      if faultApplies(f, device, at: now, fixFetched: fetched) && random.bernoulli(faultRecords[f].probability) { stillFaulty = true }
    }
    let retry = now + SimulatedTime(truncatingSeconds: crashLoopReboot)
    if stillFaulty {
      devices[device].bootsFailed &+= 1
      if let limit = bootAttemptLimit, Int(devices[device].bootsFailed) >= limit {
        // It stops at a recovery screen: still down, now waiting for a technician.
        devices[device].status = .manual
        awaitRepair(device, at: now, &scheduler)
      } else {
        scheduler.schedule(.bootAttempt, at: retry, key: UInt32(device))
      }
      return
    }
    backUp(device, at: now)
    scheduleSession(device, after: now, &random, &scheduler)
  }

  /// `device` is up again (a boot that got through, or a technician's repair): out of the down count,
  /// back on the backends, its down time counted, and the crash that sent it down reported at this boot.
  mutating func backUp(_ device: Int, at now: SimulatedTime) {
    devices[device].status = .online
    downNow -= 1
    result.lastBackUp = now
    noteBackend(device, up: true, at: now)
    countDownTime(device, until: now)
    comeUp(device)
    reportCrashAtBoot(device, at: now)
  }
}
