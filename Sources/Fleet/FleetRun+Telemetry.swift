import Foundation
import Simulation
import Telemetry
import Delivery

// Telemetry as a pipeline delivers it. Windows are by event time (when the session happened); the
// controller reads window k when the watermark passes its end, `lag` after it (the scenario's
// `telemetry.watermark`). A report arrives after the flush wait and the pipeline's delay, a crash's only
// when the device is back (at the next successful boot); one that arrives after its window was read
// counts in the first read after it arrives, as a late piece tagged with its window, unless it is later
// than `lateness` (or after the run). Presence is not a report's: a device is heard from in a window when
// it was up and online at some time in it (its SDK flushes every `flush`, a heartbeat without sessions),
// so a device down or offline for a whole window is silent in it.
extension FleetRun {
  /// Seconds a healthy device takes to reboot after a crash of its own (not a fault's).
  static let baselineCrashReboot = 60.0

  /// The read in which a report of window `window` arriving at `arrival` counts: the window's own read
  /// if it arrives before it, else the first read after; `nil` when it is too late or after the run.
  @inline(__always)
  func read(of window: Int, arrival: SimulatedTime) -> Int? {
    let onTime = windowLength * (window + 1) + lag
    if arrival <= onTime { return window }
    guard arrival - onTime <= lateness else { return nil }
    let read = Int(((arrival - lag).microseconds + windowLength.microseconds - 1) / windowLength.microseconds) - 1
    guard read < windowCount, readTime(read) <= model.duration else { return nil }
    return read
  }

  /// When the controller reads window `index`.
  @inline(__always)
  func readTime(_ index: Int) -> SimulatedTime { min(windowLength * (index + 1), model.duration) + lag }

  @inline(__always)
  func cell(_ device: Int, arm: UInt8) -> Int {
    cells.index(cohort: Int(devices[device].attributes.cohort), region: Int(devices[device].attributes.region), arm: Int(arm))
  }

  /// Records a session's report in the read it arrives for, unless the pipeline loses it or it arrives
  /// too late. `extra`: seconds before the device can send (a reboot: a crash is reported at the next
  /// boot).
  @inline(__always)
  mutating func report(
    _ device: Int, at now: SimulatedTime, delayedBy extra: Double, errored: Bool, crashed: Bool, latency: Double,
    _ random: inout RandomStream
  ) {
    let window = Int(now.microseconds / windowLength.microseconds)
    guard window == accumulator.index else { return }  // only at the very end of the run
    if random.bernoulli(loss) { return }
    let wait = extra + flush * random.nextDouble() + delay.sample(&random)
    let arrival = now + SimulatedTime(truncatingSeconds: wait)
    guard let read = read(of: window, arrival: arrival) else { return }
    record(window: window, read: read, cell: cell(device, arm: devices[device].arm), errored: errored, crashed: crashed, latency: latency)
  }

  /// Counts a report of `window` in `read`: the window's own piece while it is filled or before it is
  /// read, else the late piece of that window for that read.
  @inline(__always)
  mutating func record(window: Int, read: Int, cell: Int, errored: Bool, crashed: Bool, latency: Double) {
    if read == window && window == accumulator.index {
      accumulator.record(cell: cell, errored: errored, crashed: crashed, latencyMilliseconds: latency * 1000)
    } else if read == window, completed[window] != nil {
      // Closed but not yet read (a crash reported at a boot just after the window ended).
      let key = cells.key(cell)
      completed[window]![key].counts.sessions += 1
      if errored { completed[window]![key].counts.errors += 1 }
      if crashed { completed[window]![key].counts.crashes += 1 }
      completed[window]![key].latency.record(milliseconds: UInt64(max(1, latency * 1000)))
    } else if read > window {
      let layout = cells
      late[lateKey(read: read, window: window), default: WindowAccumulator(index: window, cells: layout)]
        .record(cell: cell, errored: errored, crashed: crashed, latencyMilliseconds: latency * 1000)
    }
  }

  @inline(__always)
  func lateKey(read: Int, window: Int) -> Int64 { Int64(read) << 32 | Int64(window) }

  /// A device that went down with a crash (a crash loop, a host waiting for repair) boots at last: the
  /// crash dump of the session that sent it down uploads now, counted in the window it happened in, on
  /// the side the device was on then.
  mutating func reportCrashAtBoot(_ device: Int, at now: SimulatedTime) {
    guard devices[device].flags.contains(.crashUnreported) else { return }
    devices[device].flags.remove(.crashUnreported)
    let crashedAt = SimulatedTime(truncatingSeconds: Double(devices[device].since))
    let window = Int(crashedAt.microseconds / windowLength.microseconds)
    var random = stream(device, .crashReport, index: Int(devices[device].sessionCount))
    if random.bernoulli(loss) { return }
    let arrival = now + SimulatedTime(truncatingSeconds: flush * random.nextDouble() + delay.sample(&random))
    let latency = baselineLatency.sample(&random)
    guard window < windowCount, let read = read(of: window, arrival: arrival) else { return }
    record(window: window, read: read, cell: cell(device, arm: devices[device].quietArm), errored: false, crashed: true, latency: latency)
  }

  // MARK: Presence

  /// The device stops being heard from at `since` (now, or the start of an offline spell decided now):
  /// down, rebooting or offline. Counted per cell and per window the quiet spell began in.
  @inline(__always)
  mutating func goQuiet(_ device: Int, since: SimulatedTime) {
    devices[device].quietSince = Float(since.seconds)
    devices[device].quietArm = devices[device].arm
    let window = quietWindow(device)
    let cell = cell(device, arm: devices[device].arm)
    if window < accumulator.index {
      quietSettled[cell] += 1
    } else {
      quietStarting[window * cells.count + cell, default: 0] += 1
    }
  }

  /// The device is up and online again: heard from in the window it is back in.
  @inline(__always)
  mutating func comeUp(_ device: Int) {
    let window = quietWindow(device)
    let cell = cell(device, arm: devices[device].quietArm)
    if window < accumulator.index {
      quietSettled[cell] -= 1
    } else {
      quietStarting[window * cells.count + cell, default: 0] -= 1
    }
  }

  /// The window a quiet spell began in; one that begins at a window's start (or at the run's) counts as
  /// begun before it, so the device is silent in that window if the spell lasts through it.
  @inline(__always)
  func quietWindow(_ device: Int) -> Int {
    let since = SimulatedTime(truncatingSeconds: Double(devices[device].quietSince))
    return since <= .zero ? -1 : Int((since.microseconds - 1) / windowLength.microseconds)
  }

  // MARK: Windows

  /// A window ends: dormant devices' sessions are drawn into it (and into the late pieces of later
  /// reads), the devices quiet since before it began are its silent ones, and it is read at the watermark.
  mutating func closeWindow<Queue: EventQueue<FleetEvent>>(_ index: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    let start = windowLength * index
    if dormancy {
      addDormantSessions(window: index, start: max(start, dormantDrawnUntil), end: now)
      addDormantSilence(window: index, from: start.seconds, to: now.seconds)
      carryLeads(from: start.seconds, to: now.seconds, next: min(now + windowLength, model.duration).seconds)
      dormantDrawnUntil = now
      applyLateAdoptions(window: index)
    }
    for cell in 0..<cells.count where quietSettled[cell] != 0 { accumulator.addSilent(cell: cell, Int(quietSettled[cell])) }
    // Spells that began in this window are whole from the next one on.
    for cell in 0..<cells.count {
      if let started = quietStarting.removeValue(forKey: index * cells.count + cell) { quietSettled[cell] += started }
    }
    let window = accumulator.finish(start: start, end: now, assigned: assigned)
    completed[index] = window
    result.windows.append(WindowRecord(
      index: index, start: window.start, end: now,
      devicesExposed: exposedNow, devicesOnLatest: adopted[versions.count - 1], devicesFailedSoFar: result.devicesFailed,
      devicesDown: downNow, latestLabel: versions[versions.count - 1].label,
      treatment: OutcomeCounts(), control: OutcomeCounts(), treatmentLatencyP99: 0, controlLatencyP99: 0))
    accumulator = WindowAccumulator(index: index + 1, cells: cells)
    let delivery = now + lag
    if delivery <= model.duration {
      scheduler.schedule(.deliver(Int32(index)), at: delivery, key: .max)
    }
  }

  /// The controller reads window `index` and the late pieces that arrived since its last read: the
  /// block hands them over and stops, so that the driver reads every block's at once (FleetRun+Blocks).
  mutating func deliver<Queue: EventQueue<FleetEvent>>(_ index: Int, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    guard let window = completed.removeValue(forKey: index) else { return }
    let keys = late.keys.filter { $0 >> 32 == Int64(index) }.sorted()
    let pieces = keys.map { late.removeValue(forKey: $0)! }
    read = TelemetryRead(window, late: pieces.map { $0.finishLate(start: windowLength * $0.index, duration: windowLength) })
    scheduler.stop()
  }

  /// The share of reports that count in each read, by the read's distance from their window's (0: on
  /// time), and the share that counts in none (lost to lateness or the end of the run is left to the
  /// caller). Monte Carlo, once per run, with a fixed stream: sessions spread evenly over the window,
  /// then `extra` seconds (a crash's reboot), the flush wait and the pipeline delay.
  static func readShares(
    window: Double, flush: Double, delay: SamplingTable, lag: Double, lateness: Double, extra: Double, purpose: StreamPurpose
  ) -> [(offset: Int, share: Double)] {
    var random = RandomStream(seed: 0x5EED, entity: 0, purpose: purpose)
    var counts: [Int: Int] = [:]
    let draws = 20_000
    for _ in 0..<draws {
      let arrival = window * random.nextDouble() + extra + flush * random.nextDouble() + delay.sample(&random)
      if arrival <= window + lag {
        counts[0, default: 0] += 1
      } else if arrival - (window + lag) <= lateness {
        counts[Int(((arrival - lag) / window).rounded(.up)) - 1, default: 0] += 1
      }
    }
    return counts.keys.sorted().map { ($0, Double(counts[$0]!) / Double(draws)) }
  }
}
