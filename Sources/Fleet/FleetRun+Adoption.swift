import FlagEngine
import Simulation

// Adoption: when a device's SDK sees a published state, and the arm the real engine puts it on.
extension FleetRun {
  /// The first-seen delay of version `k` for `device`.
  @inline(__always)
  func syncDelay(_ device: Int, _ k: Int) -> SimulatedTime {
    let sync = syncSamplers[Int(devices[device].syncModel)]
    var random = stream(device, .sync, index: k)
    var edgeRandom = random
    if sync.kind == .edge {
      let edges = sync.edgesPerRegion
      let edge = Int(devices[device].attributes.region) * edges + device % edges
      edgeRandom = stream(edge, .edgeSync, index: k)
    }
    return SimulatedTime(truncatingSeconds: sync.delay(&random, edgeRandom: &edgeRandom))
  }

  /// The newest version `device` has seen by `time`.
  @inline(__always)
  func visibleVersion(_ device: Int, at time: SimulatedTime) -> Int {
    let current = Int(devices[device].version)
    var k = versions.count - 1
    while k > current {
      if versions[k].time + syncDelay(device, k) <= time { return k }
      k -= 1
    }
    return current
  }

  /// Evaluates the released flag for `device` in version `k` with the real engine: its arm.
  mutating func evaluate(_ device: Int, version k: Int, at time: SimulatedTime, session: UInt64?) -> UInt8 {
    let entry = versions[k]
    guard let flag = entry.flag else { return 0 }
    builder.fill(device, devices[device].attributes, only: entry.fields)
    if entry.readsTime {
      let instant = Timestamp(seconds: model.startUnixSeconds + time.microseconds / 1_000_000)
      builder.withContext { $0[.currentTime] = instant.iso8601 }
    }
    if let session { builder.setSession(device: device, session: session) }
    let variantNames = self.variantNames
    let reseed = Self.evaluationSeed(seed, device: device, version: k, session: session ?? 0)
    let arm = builder.withContext { Self.arm(of: flag, in: entry.state, context: &$0, seed: reseed, variantNames: variantNames) }
    return model.releaseTurnsOff ? Self.turnedOff(arm) : arm
  }

  /// The arm in a release that turns the flag off: 1 where the flag is off (the release reached the
  /// device), 0 where it is still on.
  @inline(__always)
  static func turnedOff(_ arm: UInt8) -> UInt8 { arm == 0 ? 1 : 0 }

  /// The random stream a device's evaluation draws from (random rollouts): fixed per device, version
  /// and session, so the answer does not depend on the order of evaluations.
  @inline(__always)
  static func evaluationSeed(_ seed: UInt64, device: Int, version k: Int, session: UInt64) -> UInt64 {
    RandomStream.mix(seed ^ UInt64(device) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(k) << 40 ^ session)
  }

  /// The arm the engine puts a context on: 0 off, 1 on, 2 + i the i-th named variant.
  @inline(__always)
  static func arm(
    of flag: FlagHandle, in state: FlagState, context: inout EvaluationContext, seed: UInt64, variantNames: [String]
  ) -> UInt8 {
    context.reseed(seed)
    if variantNames.isEmpty { return state.isEnabled(flag, in: &context) ? 1 : 0 }
    let variant = state.variant(flag, in: &context)
    guard variant.featureEnabled else { return 0 }
    if let index = variantNames.firstIndex(of: variant.name) { return UInt8(2 + index) }
    return 1
  }

  /// Moves `device` to version `k` and its arm under it (and notes a kill, for `when: killed` faults).
  mutating func adopt(_ device: Int, version k: Int, at time: SimulatedTime, session: UInt64? = nil) {
    let old = Int(devices[device].version)
    let newArm = evaluate(device, version: k, at: time, session: session)
    if k != old || time == .zero {
      if time != .zero { adopted[old] -= 1 }
      adopted[k] += 1
      devices[device].version = UInt16(k)
    }
    if model.releaseTurnsOff {
      // The release is the kill: a device is killed while the flag is off for it.
      if newArm != 0 { devices[device].flags.insert(.killed) } else { devices[device].flags.remove(.killed) }
    } else if k != old {
      noteKill(device, from: old, to: k)
    }
    setArm(device, newArm, initial: time == .zero && session == nil, at: time)
  }

  /// A device moving from version `old` to `k`: its flag is killed when `k` disables the flag that
  /// `old` had enabled, stays killed through further states that keep it disabled, and is no longer
  /// killed in a state that enables it again.
  @inline(__always)
  mutating func noteKill(_ device: Int, from old: Int, to k: Int) {
    if !versions[k].flagDisabled {
      devices[device].flags.remove(.killed)
    } else if versions[old].flagEnabled {
      devices[device].flags.insert(.killed)
    }
  }

  @inline(__always)
  mutating func setArm(_ device: Int, _ newArm: UInt8, initial: Bool, at time: SimulatedTime) {
    let oldArm = devices[device].arm
    if !initial {
      if oldArm == newArm { return }
      assigned[cell(device, arm: oldArm)] -= 1
      if oldArm != 0 { exposedNow -= 1 }
    }
    assigned[cell(device, arm: newArm)] += 1
    devices[device].arm = newArm
    if newArm != 0 {
      exposedNow += 1
      if !devices[device].flags.contains(.everExposed) {
        devices[device].flags.insert(.everExposed)
        result.devicesExposed += 1
        install(device, arm: newArm, at: time)
      }
    }
  }
}
