import Simulation

// Reboots: a crashed device is back after its reboot; a crash-looping device tries to boot until it can
// fetch a state without the fault (its fetch has to get through the servers, FleetRun+Backend.swift); a
// device that needs manual recovery stays down.
extension FleetRun {
  /// A session ended in a crash: the device is back after `reboot` seconds. A crash a fault caused
  /// counts as failed time while the device reboots (within the run).
  mutating func crash<Queue: EventQueue<FleetEvent>>(
    _ device: Int, at now: Int64, reboot: Double, causedByFault: Bool, _ scheduler: inout EventScheduler<Queue>
  ) {
    devices[device].status = .rebooting
    if causedByFault { result.failedDeviceHours += min(reboot, durationSeconds - Double(now) / 1e6) / 3600 }
    scheduler.schedule(.reboot, at: SimulatedTime(microseconds: now + Int64(reboot * 1e6)), key: UInt32(device))
  }

  /// Back from a crash's reboot.
  mutating func rebooted<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    devices[device].status = .online
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
    downNow += 1
    result.devicesTakenDown += 1
    noteBackend(device, up: false, at: now)
    if status == .manual {
      result.devicesNeedingManualRecovery += 1
    } else {
      scheduler.schedule(.bootAttempt, at: SimulatedTime(microseconds: now + Int64(crashLoopReboot * 1e6)), key: UInt32(device))
    }
  }

  mutating func bootAttempt<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard devices[device].status == .crashLoop else { return }
    // The boot's fetch meets the servers: turned away, the device waits as its SDK's rule says.
    if let retry = bootFetch(device, at: now) {
      scheduler.schedule(.bootAttempt, at: SimulatedTime(microseconds: retry), key: UInt32(device))
      return
    }
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
    if stillFaulty {
      scheduler.schedule(.bootAttempt, at: retry, key: UInt32(device))
      return
    }
    devices[device].status = .online
    downNow -= 1
    result.lastBackUp = SimulatedTime(microseconds: now)
    noteBackend(device, up: true, at: now)
    countDownTime(device, until: now)
    scheduleSession(device, after: now, &random, &scheduler)
  }
}
