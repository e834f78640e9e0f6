import Simulation
import Telemetry
import Delivery

// Telemetry: what a session reports, the windows the reports fill, and their delivery to the driver
// after the pipeline's lag.
extension FleetRun {
  /// Records a session's report in the window being filled, unless the pipeline loses it or it arrives
  /// after the window is delivered. `extra`: seconds before the device can send (a reboot).
  mutating func report(
    _ device: Int, at now: Int64, delayedBy extra: Double, errored: Bool, crashed: Bool, latency: Double,
    _ random: inout RandomStream
  ) {
    let window = Int(now / windowLength)
    guard window == accumulator.index else { return }  // only at the very end of the run
    if random.bernoulli(loss) { return }
    let arrival = now + Int64((extra + flush * random.nextDouble() + delay.sample(&random)) * 1e6)
    if arrival > Int64(window + 1) * windowLength + lag { return }
    let cell = Int(devices[device].attributes.cohort) * armCount + Int(devices[device].arm)
    // Distinct devices per window and arm: a device that changes arm within a window reports in both,
    // so a device that has just taken the flag is not silent in the treatment.
    let stamp = Int32(window) << 4 | Int32(devices[device].arm & 0xf)
    var firstReport = false
    if devices[device].lastReported != stamp {
      devices[device].lastReported = stamp
      firstReport = true
    }
    accumulator.record(cell: cell, firstReport: firstReport, errored: errored, crashed: crashed, latencyMilliseconds: latency * 1000)
  }

  /// A window ends: dormant devices' sessions are drawn into it, and it is delivered after the lag.
  mutating func closeWindow<Queue: EventQueue<FleetEvent>>(_ index: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    if dormancy {
      addDormantSessions(window: index, start: Int64(index) * windowLength, end: now)
      applyLateAdoptions(window: index)
    }
    var window = accumulator.finish(start: Int64(index) * windowLength, end: now, assigned: assigned, armCount: armCount)
    window = TelemetryWindow(index: index, start: window.start, duration: window.duration, cells: window.cells)
    completed[index] = window
    result.windows.append(WindowRecord(
      index: index, start: SimulatedTime(microseconds: window.start), end: SimulatedTime(microseconds: now),
      devicesExposed: exposedNow, devicesOnLatest: adopted[versions.count - 1], devicesFailedSoFar: result.devicesFailed,
      devicesDown: downNow, latestLabel: versions[versions.count - 1].label,
      treatment: OutcomeCounts(), control: OutcomeCounts(), treatmentLatencyP99: 0, controlLatencyP99: 0))
    accumulator = WindowAccumulator(index: index + 1, cohorts: fleet.cohortNames.count, arms: armCount)
    let delivery = now + lag
    if delivery <= model.duration.microseconds {
      scheduler.schedule(.deliver(Int32(index)), at: SimulatedTime(microseconds: delivery), key: .max)
    }
  }

  mutating func deliver<Queue: EventQueue<FleetEvent>>(_ index: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard let window = completed.removeValue(forKey: index) else { return }
    if let row = result.windows.firstIndex(where: { $0.index == index }) {
      result.windows[row].treatment = window.counts(treatment: true)
      result.windows[row].control = window.counts(treatment: false)
      result.windows[row].treatmentLatencyP99 = window.latency(treatment: true).milliseconds(atPercentile: 99)
      result.windows[row].controlLatencyP99 = window.latency(treatment: false).milliseconds(atPercentile: 99)
    }
    schedule(driver.deliver(window, at: SimulatedTime(microseconds: now)), &scheduler)
  }

  /// Monte Carlo, once per run, with a fixed stream: P(session time + flush wait + delay <= window end + lag).
  static func onTimeShare(window: Double, flush: Double, delay: SamplingTable, lag: Double) -> Double {
    var random = RandomStream(seed: 0x5EED, entity: 0, purpose: .onTime)
    var onTime = 0
    let draws = 20_000
    for _ in 0..<draws {
      let remaining = window * random.nextDouble()
      if flush * random.nextDouble() + delay.sample(&random) <= remaining + lag { onTime += 1 }
    }
    return Double(onTime) / Double(draws)
  }
}
