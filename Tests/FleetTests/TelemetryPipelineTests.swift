import FlagEngine
import Foundation
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// Telemetry as a pipeline delivers it: reads at the watermark, late reports in later reads (once),
/// crashes reported at the next boot, silence from presence, cells by region.
@Suite struct TelemetryPipelineTests {
  func model(
    fleetJSON: String = smallFleetJSON, devices: Int = 5_000, hours: Int = 12, faults: [FaultDefinition] = [],
    baseline: BaselineDefinition = BaselineDefinition(errorRate: 0.02, crashRate: 0.01, noise: 0), telemetry: TelemetryDefinition
  ) throws -> FleetModel {
    let fleet = Fleet(try definition(fleetJSON), seed: 33, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults, baseline: baseline, telemetry: telemetry,
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  /// Counts of each window summed over every read that carried a piece of it.
  func totals(_ reads: [TelemetryRead]) -> [Int: OutcomeCounts] {
    var totals: [Int: OutcomeCounts] = [:]
    for read in reads {
      for piece in read.pieces { totals[piece.index, default: OutcomeCounts()] += piece.counts { _ in true } }
    }
    return totals
  }

  @Test func lateReportsCountOnceInALaterRead() throws {
    // The same fleet and sessions (every draw of a session is the same: one word for the loss, one for
    // the flush wait, one for the delay), once through a pipeline that delays reports by minutes and is
    // read 2 minutes after each window, once through one that delays them by a second.
    let slow = TelemetryDefinition(
      flush: .seconds(60), delay: .logNormal(median: 480, sigma: 0.5), loss: 0, window: .minutes(5), watermark: .minutes(2))
    let fast = TelemetryDefinition(
      flush: .seconds(60), delay: .logNormal(median: 1, sigma: 0.1), loss: 0, window: .minutes(5), watermark: .minutes(2))
    let script = [Publication(time: .hours(1), state: rollout(40), label: "40%")]
    let (slowResult, slowDriver) = FleetRun.run(
      model: try model(telemetry: slow), initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    let (_, fastDriver) = FleetRun.run(
      model: try model(telemetry: fast), initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)

    // Most of the slow pipeline's reports miss their window's read and come in later ones, each piece
    // in a read after its window's own, at most once per read.
    let lateSessions = slowDriver.reads.reduce(0) { $0 + $1.lateSessions }
    let allSessions = totals(slowDriver.reads).values.reduce(0) { $0 + $1.sessions }
    #expect(Double(lateSessions) > 0.5 * Double(allSessions), "\(lateSessions) of \(allSessions) late")
    #expect(Int(lateSessions) == slowResult.lateSessions)
    for read in slowDriver.reads {
      #expect(read.late.allSatisfy { $0.index < read.window.index })
      #expect(Set(read.late.map(\.index)).count == read.late.count)
      #expect(read.late.allSatisfy { $0.counts { _ in true }.devicesAssigned == 0 })
    }
    // Summed over the reads, every window has exactly the sessions, errors and crashes the fast pipeline
    // delivered: nothing counted twice, nothing lost (windows whose slowest reports arrive before the end).
    let slowTotals = totals(slowDriver.reads)
    let fastTotals = totals(fastDriver.reads)
    let complete = slowDriver.reads.count - 14
    #expect(complete > 100)
    for index in 0..<complete {
      #expect(slowTotals[index] == fastTotals[index], "window \(index): \(String(describing: slowTotals[index])) vs \(String(describing: fastTotals[index]))")
    }
    #expect((0..<complete).reduce(0) { $0 + (fastTotals[$1]?.crashes ?? 0) } > 100)
  }

  @Test func aCrashLoopIsReportedAtTheNextBootAndIsSilentUntilThen() throws {
    let loop = try fault(#"{"name":"boot-loop","effect":{"kind":"crashLoop","probability":1,"reboot":"1m"}}"#)
    let telemetry = TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5))
    let built = try model(
      faults: [loop], baseline: BaselineDefinition(errorRate: 0.02, crashRate: 0, noise: 0), telemetry: telemetry)
    let script = [
      Publication(time: .hours(1), state: rollout(50), label: "50%"), Publication.fix(at: .hours(3)),
    ]
    let (result, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    #expect(result.devicesFailed > 1_000)

    // No crash reaches a read while the devices loop: the crash of the session that sent a device down
    // is uploaded when it boots, after the fix, counted in the window it happened in (late, but for
    // crashes of the last minutes before the fix, whose window is read after the boot).
    let hour = SimulatedTime.hours(1)
    let lag = built.telemetry.readDelay
    var crashes: UInt64 = 0
    var lateCrashes: UInt64 = 0
    for read in driver.reads {
      for piece in read.pieces {
        let count = piece.counts(treatment: true).crashes
        guard count > 0 else { continue }
        #expect(read.window.end + lag >= 3 * hour, "crashes of window \(piece.index) read at \(read.window.end + lag)")
        #expect(piece.start >= hour && piece.start < 3 * hour)
        crashes += count
        if piece.index < read.window.index { lateCrashes += count }
      }
    }
    #expect(Int(crashes) == result.devicesFailed)
    #expect(Double(lateCrashes) > 0.95 * Double(crashes))

    // While they loop, the treatment's devices are silent; the control's are heard from.
    let looping = driver.windows.filter { $0.start >= 2 * hour && $0.end <= 3 * hour }
    #expect(!looping.isEmpty)
    for window in looping {
      let treatment = window.counts(treatment: true)
      let control = window.counts(treatment: false)
      #expect(treatment.silence > 0.85, "treatment silence \(treatment.silence) in window \(window.index)")
      #expect(control.silence < 0.02, "control silence \(control.silence) in window \(window.index)")
    }
    // After the fix a boot gets past the loop when its SDK wins the race (fetchBeforeCrash, 0.15 by
    // default): after 30 boots a minute apart, 0.85^30 < 1% of the looping devices are still down.
    let after = driver.windows.filter { $0.start >= 3 * hour + .minutes(30) }
    #expect(after.allSatisfy { $0.counts(treatment: true).silence < 0.02 })
  }

  @Test func devicesOfflineForAWholeWindowAreSilentAlikeEventByEventAndInBulk() throws {
    let offline = smallFleetJSON.replacingOccurrences(
      of: #""activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}}"#,
      with: #""activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}, "online": 0.7, "offlineSpell": "1h"}"#)
    #expect(offline != smallFleetJSON)
    let telemetry = TelemetryDefinition(
      flush: .seconds(60), delay: .logNormal(median: 120, sigma: 0.6), loss: 0.01, window: .minutes(5), watermark: .minutes(2))
    let built = try model(fleetJSON: offline, devices: 20_000, hours: 8, telemetry: telemetry)
    let script = [Publication(time: .hours(1), state: rollout(30), label: "30%")]
    let (exact, exactDriver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    let (bulk, bulkDriver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: false)
    #expect(bulk.deviceHoursDrawnInBulk > 0.5 * Double(20_000 * 8))
    // Offline spells: 30% of the time over a day, so about 0.3 · e^(−5m/1h) = 28% of devices are offline
    // for a whole window, both ways; exactly, the share offline at the window's start in each region's
    // local hour, times the chance that no return (whose rate follows the local day) ends the spell in it.
    let cycle = built.cycle
    let offsets = built.fleet.definition.regions.map { $0.utcOffset * 3600 }
    let members = offsets.indices.map { region in Double(built.fleet.region.filter { Int($0) == region }.count) / Double(built.fleet.count) }
    func expectedSilence(_ window: TelemetryWindow) -> Double {
      let (start, end) = (window.start.seconds, window.end.seconds)
      return offsets.indices.reduce(0.0) { total, region in
        let offline = 1 - cycle.onlineShare(at: start, dayStart: built.dayStart, offset: offsets[region])
        let stays = exp(-cycle.returnScale * cycle.curve.work(from: start, to: end, dayStart: built.dayStart, offset: offsets[region]))
        return total + members[region] * offline * stays
      }
    }
    for driver in [exactDriver, bulkDriver] {
      let windows = driver.windows.dropFirst(24)
      let silence = windows.reduce(0.0) { $0 + $1.counts { _ in true }.silence } / Double(windows.count)
      let expected = windows.reduce(0.0) { $0 + expectedSilence($1) } / Double(windows.count)
      #expect(abs(silence - expected) < 0.01, "silence \(silence), expected \(expected)")
      #expect(abs(expected - 0.3 * exp(-5.0 / 60)) < 0.1)
    }
    // What arrives late, and when, agrees too.
    let a = totals(exactDriver.reads).values.reduce(OutcomeCounts(), +)
    let b = totals(bulkDriver.reads).values.reduce(OutcomeCounts(), +)
    // Per arm too, window by window, through the rollout: devices move to the treatment at a session
    // (online), so the treatment's silence grows back to the fleet's as they go offline again, and the
    // control keeps more of the offline ones; dormant devices follow the same on-off process.
    for treatment in [true, false] {
      let pairs = Array(zip(exactDriver.windows, bulkDriver.windows).dropFirst(13))
      var gap = 0.0
      for (a, b) in pairs { gap += abs(a.counts(treatment: treatment).silence - b.counts(treatment: treatment).silence) }
      gap /= Double(pairs.count)
      #expect(gap < 0.015, "\(treatment ? "treatment" : "control") silence differs by \(gap) on average")
    }
    #expect(Double(exact.lateSessions) > 0.05 * Double(a.sessions), "\(exact.lateSessions) of \(a.sessions) late")
    #expect(abs(Double(exact.lateSessions) / Double(bulk.lateSessions) - 1) < 0.05, "late \(exact.lateSessions) vs \(bulk.lateSessions)")
    #expect(abs(Double(a.sessions) / Double(b.sessions) - 1) < 0.03, "sessions \(a.sessions) vs \(b.sessions)")
    #expect(abs(a.crashRate - b.crashRate) < 0.002, "crash rate \(a.crashRate) vs \(b.crashRate)")
  }

  @Test func cellsCarryTheDevicesRegion() throws {
    let telemetry = TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5))
    let built = try model(hours: 3, telemetry: telemetry)
    for exact in [true, false] {
      let (_, driver) = FleetRun.run(
        model: built, initialState: rollout(0), driver: ScriptedDriver(script: [Publication(time: .hours(1), state: rollout(50), label: "50%")]),
        exactSessions: exact)
      // Two regions, half the fleet each: every window has both, and the expected devices of a region are
      // its devices.
      let window = driver.windows[30]
      let byRegion = (0..<2).map { region in window.counts { $0.region == region } }
      #expect(byRegion.allSatisfy { $0.sessions > 0 })
      let total = Double(byRegion[0].devicesAssigned + byRegion[1].devicesAssigned)
      #expect(total == 5_000)
      #expect(abs(Double(byRegion[0].devicesAssigned) / total - 0.5) < 0.03)
      #expect(window.sortedKeys.allSatisfy { $0.region < 2 })
    }
  }
}
