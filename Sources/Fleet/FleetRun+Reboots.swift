import Simulation

// Reboots: a crashed device is back after its reboot; a crash-looping device tries to boot until it can
// fetch a state without the fault (and a shared backend lets it restart); a device that needs manual
// recovery stays down.
extension FleetRun {
  /// A session ended in a crash: the device is back after `reboot` seconds. A crash a fault caused
  /// counts as failed time while the device reboots (within the run).
  mutating func crash<Queue: EventQueue<FleetEvent>>(
    _ device: Int, at now: Int64, reboot: Double, causedByFault: Bool, _ scheduler: inout EventScheduler<Queue>
  ) {
    devices[device].status = .rebooting
    goQuiet(device, since: now)
    if causedByFault { result.failedDeviceHours += min(reboot, durationSeconds - Double(now) / 1e6) / 3600 }
    scheduler.schedule(.reboot, at: SimulatedTime(microseconds: now + Int64(reboot * 1e6)), key: UInt32(device))
  }

  /// Back from a crash's reboot.
  mutating func rebooted<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    devices[device].status = .online
    comeUp(device)
    var random = stream(device, .rebooted, count: devices[device].sessionCount)
    scheduleSession(device, after: now, &random, &scheduler)
  }

  /// A session's fault left the device down: crash looping (it tries to boot again after the loop's
  /// reboot time), or down until repaired by hand. It is failed from now until it is back.
  mutating func goDown<Queue: EventQueue<FleetEvent>>(
    _ device: Int, _ status: DeviceStatus, at now: Int64, _ scheduler: inout EventScheduler<Queue>
  ) {
    devices[device].status = status
    devices[device].downSince = Float(Double(now) / 1e6)
    goQuiet(device, since: now)
    devices[device].flags.insert(.crashUnreported)
    downNow += 1
    if status == .manual {
      result.devicesNeedingManualRecovery += 1
    } else {
      scheduler.schedule(.bootAttempt, at: SimulatedTime(microseconds: now + Int64(crashLoopReboot * 1e6)), key: UInt32(device))
    }
  }

  mutating func bootAttempt<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard devices[device].status == .crashLoop else { return }
    // At each boot the device may fetch a newer state before the faulty code runs.
    let visible = visibleVersion(device, at: now)
    if visible != Int(devices[device].version) { adopt(device, version: visible, at: now) }
    var random = stream(device, .bootAttempt, count: devices[device].sessionCount)
    devices[device].sessionCount &+= 1
    var stillFaulty = false
    for f in faultRecords.indices where faultRecords[f].kind == .crashLoop {
      if faultApplies(f, device, at: now) && random.bernoulli(faultRecords[f].probability) { stillFaulty = true }
    }
    let retry = SimulatedTime(microseconds: now + Int64(crashLoopReboot * 1e6))
    if stillFaulty || !takeRestartToken(region: Int(devices[device].attributes.region), at: now, perMinute: restartBudget) {
      scheduler.schedule(.bootAttempt, at: retry, key: UInt32(device))
      return
    }
    devices[device].status = .online
    downNow -= 1
    countDownTime(device, until: now)
    comeUp(device)
    reportCrashAtBoot(device, at: now)
    scheduleSession(device, after: now, &random, &scheduler)
  }

  /// A token bucket per region: `perMinute` restarts a minute, burst of one minute's worth.
  mutating func takeRestartToken(region: Int, at now: Int64, perMinute: Double?) -> Bool {
    guard let perMinute else { return true }
    let elapsed = Double(now - tokensUpdated[region]) / 60e6
    tokens[region] = min(perMinute, tokens[region] + elapsed * perMinute)
    tokensUpdated[region] = now
    guard tokens[region] >= 1 else { return false }
    tokens[region] -= 1
    return true
  }
}
