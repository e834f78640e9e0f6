import Simulation

// Data loss and what users report. A `dataLoss` fault destroys a device's data once, at the first session
// it applies to; the device goes on working and reporting as before, so no error, crash or silence shows
// it. What shows it is users: a share of them file a report, which reaches the feedback system days later.
// Telemetry counts both by event time, as it counts sessions: an install in the window it happens (an
// update service counts its installs itself, on time), a report in the window of the install or the loss
// it is about, on the side the device was on then, read when it arrives: as a late piece of that window,
// days later, within the pipeline's `lateness` (later ones are dropped). So `reports` per install compares
// each window's installs with the reports about them, and a dashboard adds up the reports as they arrive.
extension FleetRun {
  /// `device` lost its data to fault `f` at `now`: failed from now until a technician restores it (if the
  /// fleet has any) or the run ends; its user reports it with the fault's `report` share.
  mutating func loseData<Queue: EventQueue<FleetEvent>>(_ device: Int, fault f: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    devices[device].flags.insert(.lostData)
    result.devicesLostData += 1
    // Booked to the end of the run now; a restore takes back what is left (restoreData).
    result.failedDeviceHours += max(0, durationSeconds - now.seconds) / 3600
    let fault = faultRecords[f]
    if fault.reportShare > 0 {
      var random = stream(device, .userReport, index: f)
      if random.bernoulli(fault.reportShare) {
        fileReport(device, arm: devices[device].arm, arrival: now + SimulatedTime(truncatingSeconds: fault.reportDelay.sample(&random)))
      }
    }
    scheduleRepair(device, at: now, &scheduler)
  }

  /// A technician restored `device`'s data at `now`: it is no longer failed from now on.
  mutating func restoreData(_ device: Int, at now: SimulatedTime) {
    devices[device].flags.remove(.lostData)
    result.devicesRestored += 1
    result.failedDeviceHours -= max(0, durationSeconds - now.seconds) / 3600
  }

  /// The flag came on for `device` for the first time, on `arm`, at `time`: an install, and with the
  /// baseline's `reportRate` a background report about it, `reportDelay` later.
  @inline(__always)
  mutating func install(_ device: Int, arm: UInt8, at time: SimulatedTime) {
    result.installs += 1
    accumulator.counts[cell(device, arm: arm)].installs += 1
    guard baselineReportRate > 0 else { return }
    var random = stream(device, .backgroundReport)
    if random.bernoulli(baselineReportRate) {
      fileReport(device, arm: arm, arrival: time + SimulatedTime(truncatingSeconds: baselineReportDelay.sample(&random)))
    }
  }

  /// A report about what happened to `device` now reaches the service at `arrival`: counted in
  /// the event's window, in the read it arrives for; not at all when too late or after the run.
  mutating func fileReport(_ device: Int, arm: UInt8, arrival: SimulatedTime) {
    let window = accumulator.index
    guard let read = read(of: window, arrival: arrival) else { return }
    let cell = cell(device, arm: arm)
    result.reports += 1
    if read == window {
      accumulator.counts[cell].reports += 1
    } else {
      let layout = cells
      late[lateKey(read: read, window: window), default: WindowAccumulator(index: window, cells: layout)].counts[cell].reports += 1
    }
  }
}

extension StreamPurpose {
  /// Whether the user of a device a data-loss fault hit reports it, and when the report arrives (index: the fault).
  static let userReport = StreamPurpose("fleet.user-report")
  /// Whether an install draws a background report, and when it arrives.
  static let backgroundReport = StreamPurpose("fleet.background-report")
}
