import Simulation

// Repair by hand: a device that needs it (a `manualRecovery` fault, or a crash loop that gave up) waits
// for its region's technicians (``RepairQueue``), and is back some time after one gets to it. Without
// `fleet.repair` nobody comes: it stays down to the end of the run.
extension FleetRun {
  /// The technicians of each region for a block of the fleet, from the fleet's `repair` (empty without
  /// it): the region's crews are spread over its devices, so a block has its devices' share of them.
  static func repairQueues(_ model: FleetModel, devices range: Range<Int>) -> [RepairQueue] {
    guard let repair = model.fleet.definition.repair else { return [] }
    var devices = [Int](repeating: 0, count: model.fleet.regionNames.count)
    for device in range { devices[Int(model.fleet.region[device])] += 1 }
    return devices.map { RepairQueue(perSecond: repair.sharePerHour * Double($0) / 3600, rampUp: repair.rampUp.seconds) }
  }

  /// `device` went down at `now` and only a technician can bring it back: its turn in its region's
  /// queue, then the repair's own duration.
  mutating func awaitRepair<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    if !devices[device].flags.contains(.everNeededRepair) {
      devices[device].flags.insert(.everNeededRepair)
      result.devicesNeedingManualRecovery += 1
    }
    scheduleRepair(device, at: now, &scheduler)
  }

  /// `device` joins its region's queue at `now`: its technician comes at its turn, and the repair takes
  /// its own time after that.
  mutating func scheduleRepair<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    guard !repairQueues.isEmpty else { return }
    let turn = repairQueues[Int(devices[device].attributes.region)].turn(needingRepairAt: now.seconds)
    var random = stream(device, .repairDuration, index: Int(devices[device].sessionCount))
    let back = turn + repairDuration.sampleWithinReach(&random)
    if back < durationSeconds { scheduler.schedule(.repaired, at: max(.seconds(back), now), key: UInt32(device)) }
  }

  /// A technician has brought `device` back: as it was before the fault (an irreversible fault no
  /// longer sticks to it), it fetches the current state at its next session, where a fault that
  /// still applies can bite it again.
  mutating func repaired<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    // A device that lost its data gets it back (restored from a backup, by support): it was working all along.
    if devices[device].flags.contains(.lostData) { restoreData(device, at: now) }
    guard devices[device].status == .manual else { return }
    devices[device].stuck = 0
    backUp(device, at: now)
    var random = stream(device, .repaired, index: Int(devices[device].sessionCount))
    scheduleSession(device, after: now, &random, &scheduler)
  }
}
