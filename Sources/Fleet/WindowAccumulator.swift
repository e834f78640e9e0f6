import Simulation
import Telemetry
import Delivery

/// Counts and latencies of one piece of a window, per cell (cohort, region, arm), in flat arrays: the
/// reports of the window that arrive before it is read, or those of an earlier window that arrive for
/// one later read.
struct WindowAccumulator {
  let index: Int
  let cells: TelemetryCells
  var counts: [OutcomeCounts]
  var latency: [LatencyHistogram?]
  /// Devices silent for the whole window, per cell (the window's own piece only).
  var silent: [Int]

  init(index: Int, cells: TelemetryCells) {
    self.index = index
    self.cells = cells
    counts = [OutcomeCounts](repeating: OutcomeCounts(), count: cells.count)
    latency = [LatencyHistogram?](repeating: nil, count: cells.count)
    silent = []
  }

  /// Sessions of dormant devices, counted in bulk; latency from up to 64 draws, each standing for its share.
  mutating func addBulk(
    cell: Int, sessions: Int, errors: Int, crashes: Int, latency: SamplingTable, _ random: inout RandomStream
  ) {
    guard sessions > 0 else { return }
    counts[cell].sessions += UInt64(sessions)
    counts[cell].errors += UInt64(errors)
    counts[cell].crashes += UInt64(crashes)
    if latency.isFixedZero { return }
    if self.latency[cell] == nil { self.latency[cell] = LatencyHistogram() }
    let draws = min(sessions, 64)
    for draw in 0..<draws {
      let weight = sessions / draws + (draw < sessions % draws ? 1 : 0)
      self.latency[cell]!.record(milliseconds: UInt64(max(1, latency.sample(&random) * 1000)), count: UInt32(weight))
    }
  }

  @inline(__always)
  mutating func record(cell: Int, errored: Bool, crashed: Bool, latencyMilliseconds: Double) {
    counts[cell].sessions += 1
    if errored { counts[cell].errors += 1 }
    if crashed { counts[cell].crashes += 1 }
    if latency[cell] == nil { latency[cell] = LatencyHistogram() }
    latency[cell]!.record(milliseconds: UInt64(max(1, latencyMilliseconds)))
  }

  mutating func addSilent(cell: Int, _ devices: Int) {
    if silent.isEmpty { silent = [Int](repeating: 0, count: cells.count) }
    silent[cell] += devices
  }

  /// The window's own piece: counts, and per cell the devices expected to report (assigned) and those
  /// heard from (assigned less the silent ones).
  func finish(start: SimulatedTime, end: SimulatedTime, assigned: [Int]) -> TelemetryWindow {
    var window = TelemetryWindow(index: index, start: start, duration: end - start)
    for cell in counts.indices where counts[cell].sessions > 0 || assigned[cell] > 0 || counts[cell].reports > 0 {
      var counts = self.counts[cell]
      let expected = max(0, assigned[cell])
      counts.devicesAssigned = UInt64(expected)
      counts.devicesReporting = UInt64(max(0, expected - (silent.isEmpty ? 0 : silent[cell])))
      window[cells.key(cell)] = TelemetryWindow.Cell(counts: counts, latency: latency[cell] ?? LatencyHistogram())
    }
    return window
  }

  /// A late piece: counts only, of the cells that had reports.
  func finishLate(start: SimulatedTime, duration: SimulatedTime) -> TelemetryWindow {
    var window = TelemetryWindow(index: index, start: start, duration: duration)
    for cell in counts.indices where counts[cell].sessions > 0 || counts[cell].reports > 0 {
      window[cells.key(cell)] = TelemetryWindow.Cell(counts: counts[cell], latency: latency[cell] ?? LatencyHistogram())
    }
    return window
  }
}

/// The layout of a run's telemetry cells: cohort, then region, then arm.
struct TelemetryCells {
  let regions: Int
  let arms: Int
  let count: Int

  init(cohorts: Int, regions: Int, arms: Int) {
    self.regions = regions
    self.arms = arms
    count = cohorts * regions * arms
  }

  @inline(__always)
  func index(cohort: Int, region: Int, arm: Int) -> Int { (cohort * regions + region) * arms + arm }

  func key(_ cell: Int) -> TelemetryKey {
    TelemetryKey(cohort: UInt16(cell / arms / regions), region: UInt16(cell / arms % regions), arm: Arm(rawValue: UInt16(cell % arms)))
  }
}
