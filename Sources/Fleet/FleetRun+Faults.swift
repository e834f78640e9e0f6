import Simulation

/// What the faults did to one session.
struct SessionFaults {
  /// An error fault bit: the session fails.
  var errored = false
  /// A crash fault bit: the device reboots for `reboot` seconds.
  var crashed = false
  var reboot = 0.0
  /// A crash loop or a manual-recovery fault bit: the device goes down.
  var down: DeviceStatus? = nil
  var extraLatency = 0.0
  /// Some fault bit.
  var bitten = false
  /// A fault bit whose harm lasts beyond the session (errors or latency on every session it bites, a
  /// device down).
  var lasting = false
}

// Faults: which bite a device's session, and the harm the run counts (devices failed, failed device-hours).
extension FleetRun {
  /// Draws, fault by fault, whether each fault that applies to the device bites this session.
  @inline(__always)
  mutating func sufferFaults(_ device: Int, at now: Int64, _ random: inout RandomStream) -> SessionFaults {
    var faults = SessionFaults()
    let mask = devices[device].susceptible
    guard mask != 0 else { return faults }
    for f in faultRecords.indices where (mask >> f) & 1 == 1 && faultApplies(f, device, at: now) {
      let effect = faultRecords[f]
      guard random.bernoulli(effect.probability) else { continue }
      faults.bitten = true
      if effect.irreversible { devices[device].stuck |= 1 << f }
      switch effect.kind {
      case .error:
        faults.errored = true
        faults.lasting = true
      case .latency:
        faults.extraLatency += effect.latency.sample(&random)
        faults.lasting = true
      case .crash:
        faults.crashed = true
        faults.reboot = max(faults.reboot, effect.reboot)
      case .crashLoop:
        if faults.down != .manual { faults.down = .crashLoop }
        faults.lasting = true
      case .manualRecovery:
        faults.down = .manual
        faults.lasting = true
      }
    }
    return faults
  }

  /// Books the harm of a session's faults: a lasting fault makes the device failing, a crash counts it
  /// failed, and a failing device that no fault bites any more stops failing.
  @inline(__always)
  mutating func accountHarm(_ device: Int, _ faults: SessionFaults, at now: Int64) {
    if faults.lasting {
      startFailing(device, at: now)
    } else if faults.bitten {
      markFailed(device, at: now)
    } else if devices[device].flags.contains(.failing) && devices[device].stuck == 0 && !anyFaultApplies(device, at: now) {
      stopFailing(device, at: now)
    }
  }

  /// Whether fault `f` bites sessions of `device` now (before its probability).
  @inline(__always)
  func faultApplies(_ f: Int, _ device: Int, at time: Int64) -> Bool {
    guard (devices[device].susceptible >> f) & 1 == 1, time < fixTime else { return false }
    // An irreversible fault stays with a device whatever the flag says, until a fix ships.
    if (devices[device].stuck >> f) & 1 == 1 { return true }
    return faultRecords[f].bites(arm: devices[device].arm, at: time)
  }

  func anyFaultApplies(_ device: Int, at time: Int64) -> Bool {
    for f in faultRecords.indices where faultApplies(f, device, at: time) { return true }
    return false
  }

  /// Counts a failure caused by the release (the device's first, and the run's first).
  mutating func markFailed(_ device: Int, at time: Int64) {
    if !devices[device].flags.contains(.everFailed) {
      devices[device].flags.insert(.everFailed)
      result.devicesFailed += 1
      if result.firstFailure == nil || time < result.firstFailure!.microseconds {
        result.firstFailure = SimulatedTime(microseconds: time)
      }
    }
  }

  /// A failure that lasts (errors or latency on every session it bites, a device down): the device is
  /// failed from now until the fault stops applying to it.
  mutating func startFailing(_ device: Int, at time: Int64) {
    markFailed(device, at: time)
    if !devices[device].flags.contains(.failing) {
      devices[device].flags.insert(.failing)
      devices[device].failingSince = Float(Double(time) / 1e6)
    }
  }

  mutating func stopFailing(_ device: Int, at time: Int64) {
    guard devices[device].flags.contains(.failing) else { return }
    devices[device].flags.remove(.failing)
    result.failedDeviceHours += max(0, Double(time) / 1e6 - Double(devices[device].failingSince)) / 3600
  }
}
