import Simulation
import Telemetry
import Delivery

/// Counts and latencies of the window being filled, per cohort and arm, in flat arrays.
struct WindowAccumulator {
  let index: Int
  let arms: Int
  var counts: [OutcomeCounts]
  var latency: [LatencyHistogram?]

  init(index: Int, cohorts: Int, arms: Int) {
    self.index = index
    self.arms = arms
    counts = [OutcomeCounts](repeating: OutcomeCounts(), count: cohorts * arms)
    latency = [LatencyHistogram?](repeating: nil, count: cohorts * arms)
  }

  /// Sessions of dormant devices, counted in bulk; latency from up to 64 draws, each standing for its share.
  mutating func addBulk(
    cell: Int, sessions: Int, errors: Int, crashes: Int, reporting: Int, latency: SamplingTable, _ random: inout RandomStream
  ) {
    guard sessions > 0 else { return }
    counts[cell].sessions += UInt64(sessions)
    counts[cell].errors += UInt64(errors)
    counts[cell].crashes += UInt64(crashes)
    counts[cell].devicesReporting += UInt64(reporting)
    if latency.isFixedZero { return }
    if self.latency[cell] == nil { self.latency[cell] = LatencyHistogram() }
    let draws = min(sessions, 64)
    for draw in 0..<draws {
      let weight = sessions / draws + (draw < sessions % draws ? 1 : 0)
      self.latency[cell]!.record(milliseconds: UInt64(max(1, latency.sample(&random) * 1000)), count: UInt32(weight))
    }
  }

  @inline(__always)
  mutating func record(cell: Int, firstReport: Bool, errored: Bool, crashed: Bool, latencyMilliseconds: Double) {
    counts[cell].sessions += 1
    if errored { counts[cell].errors += 1 }
    if crashed { counts[cell].crashes += 1 }
    if firstReport { counts[cell].devicesReporting += 1 }
    if latency[cell] == nil { latency[cell] = LatencyHistogram() }
    latency[cell]!.record(milliseconds: UInt64(max(1, latencyMilliseconds)))
  }

  func finish(start: Int64, end: Int64, assigned: [Int], armCount: Int) -> TelemetryWindow {
    var window = TelemetryWindow(index: index, start: start, duration: end - start)
    for cell in counts.indices where counts[cell].sessions > 0 || assigned[cell] > 0 {
      var counts = self.counts[cell]
      counts.devicesAssigned = UInt64(max(0, assigned[cell]))
      let key = TelemetryKey(cohort: UInt16(cell / armCount), arm: Arm(rawValue: UInt16(cell % armCount)))
      window[key] = TelemetryWindow.Cell(counts: counts, latency: latency[cell] ?? LatencyHistogram())
    }
    return window
  }
}
