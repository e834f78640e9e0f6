import Simulation

/// What the faults did to one session.
struct SessionFaults {
  /// An error fault bit: the session fails.
  var errored = false
  /// An error or a latency fault bit: the session is impaired for its length.
  var impaired = false
  /// A crash fault bit: the device reboots for `reboot` seconds.
  var crashed = false
  var reboot = 0.0
  /// A crash loop or a manual-recovery fault bit: the device goes down.
  var down: DeviceStatus? = nil
  /// A data-loss fault bit (its index): the device carries on, its data gone.
  var lostData: Int? = nil
  var extraLatency = 0.0
  /// Some fault bit.
  var bitten = false
}

// Faults: which bite a device's session, and the harm the run counts: devices failed, and failed
// device-hours, the time devices are impaired as their users feel it. A device is impaired while it is
// down (a crash's reboot, a crash loop until a boot succeeds, waiting for manual repair) and in the
// sessions a fault makes fail or slow, each for the session's length; not between sessions, when nobody
// uses it, and not from its first error to the end of the release. A device whose data a `dataLoss` fault
// destroyed is impaired from the loss until it is restored or the run ends (FleetRun+Reports.swift).
extension FleetRun {
  /// Draws, fault by fault, whether each fault that applies to the device bites this session.
  @inline(__always)
  mutating func sufferFaults(_ device: Int, at now: SimulatedTime, _ random: inout RandomStream) -> SessionFaults {
    var faults = SessionFaults()
    let mask = devices[device].susceptible
    guard mask != 0 else { return faults }
    for f in faultRecords.indices where (mask >> f) & 1 == 1 && faultApplies(f, device, at: now) {
      let effect = faultRecords[f]
      if effect.kind == .dataLoss {
        // One chance, at the first session the fault applies to: it bites or spares the device for good.
        guard !devices[device].flags.contains(.dataLossDrawn) else { continue }
        devices[device].flags.insert(.dataLossDrawn)
        guard random.bernoulli(effect.probability) else { continue }
        faults.bitten = true
        faults.lostData = f
        continue
      }
      guard random.bernoulli(effect.probability) else { continue }
      faults.bitten = true
      if effect.irreversible { devices[device].stuck |= 1 << f }
      switch effect.kind {
      case .error:
        faults.errored = true
        faults.impaired = true
      case .latency:
        faults.extraLatency += effect.latency.sample(&random)
        faults.impaired = true
      case .crash:
        faults.crashed = true
        faults.reboot = max(faults.reboot, effect.reboot)
      case .crashLoop:
        if faults.down != .manual { faults.down = .crashLoop }
      case .manualRecovery:
        faults.down = .manual
      case .dataLoss:
        break
      }
    }
    return faults
  }

  /// Books the harm of a session's faults: a bitten device has failed; a session that fails or is slow
  /// counts its length, unless the session ends with the device down or crashed (that time counts instead).
  @inline(__always)
  mutating func accountHarm(_ device: Int, _ faults: SessionFaults, at now: SimulatedTime) {
    guard faults.bitten else { return }
    markFailed(device, at: now)
    if faults.impaired && !faults.crashed && faults.down == nil {
      result.failedDeviceHours += impairedSessionSeconds(device) / 3600
    }
  }

  /// The failed time of one impaired session: the session's length, but no more than a day's share of
  /// the device's sessions, so that a device with sessions back to back is impaired at most all the time.
  @inline(__always)
  func impairedSessionSeconds(_ device: Int) -> Double {
    min(sessionLength, 86_400 / Double(devices[device].sessionsPerDay))
  }

  /// Whether fault `f` bites sessions of `device` now (before its probability). A fix ends it once
  /// shipped; a crash-looping boot that lost the race to the crash (`fixFetched` false) has not
  /// fetched the fix, and runs the faulty code all the same.
  @inline(__always)
  func faultApplies(_ f: Int, _ device: Int, at time: SimulatedTime, fixFetched: Bool = true) -> Bool {
    guard (devices[device].susceptible >> f) & 1 == 1, time < fixTime || !fixFetched else { return false }
    // An irreversible fault stays with a device whatever the flag says, until a fix ships.
    if (devices[device].stuck >> f) & 1 == 1 { return true }
    return faultRecords[f].bites(
      arm: devices[device].arm, killed: devices[device].flags.contains(.killed), artifact: heldArtifact(device), at: time)
  }

  /// The artifact generation `device` holds in a release of a regenerated artifact: the one its state
  /// releases when the flag is on for it, else the one the others hold (-1 outside such a release).
  @inline(__always)
  func heldArtifact(_ device: Int) -> Int32 {
    let holding = versions[Int(devices[device].version)].artifact
    return devices[device].arm != 0 ? holding.on : holding.off
  }

  /// Counts a failure caused by the release (the device's first, and the run's first).
  mutating func markFailed(_ device: Int, at time: SimulatedTime) {
    if !devices[device].flags.contains(.everFailed) {
      devices[device].flags.insert(.everFailed)
      result.devicesFailed += 1
      if result.firstFailure == nil || time < result.firstFailure! {
        result.firstFailure = time
      }
    }
  }

  /// Failed time while a device is down, from `since` until `time` (a boot that succeeds, the
  /// end of the run).
  mutating func countDownTime(_ device: Int, until time: SimulatedTime) {
    result.failedDeviceHours += max(0, time.seconds - Double(devices[device].since)) / 3600
  }
}
