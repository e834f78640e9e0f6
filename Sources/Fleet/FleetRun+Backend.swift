import Delivery
import Simulation

// The delivery path's servers in a run: devices that boot fetch from them, and are turned away when a
// pool is over its capacity (a herd of restarts queues, the excess is shed); each device then waits as
// its SDK's retry rule says before it tries again. Regular polls are counted in aggregate and take their
// share of each pool's capacity (Backends).

extension StreamPurpose {
  /// The jitter of a device's wait after its fetch was turned away (index: its session count and failures).
  static let fetchRetry = StreamPurpose("fleet.fetch-retry")
}

extension FleetRun {
  /// A booting device's first fetch (a stream's connection, or a poll's download of the whole state):
  /// nil when its servers take it, else the time of its next attempt, by its SDK's rule. A device's count
  /// of failures lives in `fetchFailures` (bits 0-5; bits 6-7: which of a fetch's own attempts it is on).
  mutating func bootFetch(_ device: Int, at now: SimulatedTime) -> SimulatedTime? {
    let c = Int(devices[device].syncModel)
    let client = backends.clients[c]
    let region = Int(devices[device].attributes.region)
    let kind: RequestKind = client.streams ? .connect : .full
    if backends.admit(device: device, client: c, region: region, kind: kind, at: now.seconds) {
      if !fetchFailures.isEmpty { fetchFailures[device - range.lowerBound] = 0 }
      return nil
    }
    // Turned away (503): the HTTP library's own attempts first, then the SDK's wait.
    let state = fetchFailures[device - range.lowerBound]
    var failures = Int(state & 0x3F)
    var attempt = Int(state >> 6)
    var random = stream(device, .fetchRetry, index: Int(devices[device].sessionCount) << 8 | Int(state))
    let wait: Double
    if client.streams {
      wait = client.rule.reconnection.wait(failures, &random)
      failures += 1
    } else {
      let offsets = client.rule.attemptOffsets(.unavailable)
      if attempt + 1 < offsets.count {
        wait = offsets[attempt + 1] - offsets[attempt]
        attempt += 1
      } else {
        attempt = 0
        // A rule that stops polling (it does not for a 503) would leave the device to its next boot.
        wait = client.rule.nextFetch(after: .unavailable, interval: client.interval, failures: &failures, &random) ?? crashLoopReboot
      }
    }
    fetchFailures[device - range.lowerBound] = UInt8(min(failures, 0x3F) | attempt << 6)
    return now + max(.microseconds(1), SimulatedTime(truncatingSeconds: wait))
  }

  /// A device stops making its regular requests (it is down) or makes them again.
  @inline(__always)
  mutating func noteBackend(_ device: Int, up: Bool, at now: SimulatedTime) {
    backends.change(
      device: device, client: Int(devices[device].syncModel), region: Int(devices[device].attributes.region), up: up,
      at: now.seconds)
  }
}
