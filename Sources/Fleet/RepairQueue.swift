/// One region's technicians. They get to the devices that need repair by hand in the order those went
/// down, at a capacity that grows linearly from nothing to `perSecond` devices a second over `rampUp`
/// seconds from the region's first device needing repair, and stays there. A fluid queue: capacity
/// that nobody waits for is lost, and a device's turn comes when the capacity since the opening has
/// reached its place in the queue.
///
/// - Complexity: O(1) a device; no storage per device (a device's turn is known when it joins).
struct RepairQueue: Sendable {
  /// Devices a second at full strength.
  let perSecond: Double
  /// Seconds from the opening to full strength (0: full at once).
  let rampUp: Double
  /// When the region's first device needed repair, in seconds since the run's start.
  private(set) var opened: Double?
  /// Capacity used so far, in devices: where the last device's turn came.
  private(set) var taken = 0.0

  init(perSecond: Double, rampUp: Double) {
    self.perSecond = perSecond
    self.rampUp = rampUp
  }

  /// Capacity from the opening until `elapsed` seconds after it, in devices.
  func capacity(after elapsed: Double) -> Double {
    guard elapsed > 0 else { return 0 }
    if elapsed <= rampUp { return perSecond * elapsed * elapsed / (2 * rampUp) }
    return perSecond * (elapsed - rampUp / 2)
  }

  /// The seconds after the opening at which the capacity reaches `devices` (the inverse of `capacity`).
  func elapsed(untilCapacity devices: Double) -> Double {
    if devices <= perSecond * rampUp / 2 { return (2 * rampUp * devices / perSecond).squareRoot() }
    return devices / perSecond + rampUp / 2
  }

  /// A device needs repair at `time` (seconds since the run's start): the time its technician gets to it.
  mutating func turn(needingRepairAt time: Double) -> Double {
    let start = opened ?? time
    opened = start
    taken = max(taken, capacity(after: time - start)) + 1
    return start + elapsed(untilCapacity: taken)
  }
}
