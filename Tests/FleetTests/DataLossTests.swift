import FlagEngine
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// A `dataLoss` fault (Windows 10 1809 deleting redirected known folders) bites once, at the first session
/// with the flag on, and the device goes on as before: nothing in errors, crashes or silence shows it, only
/// its users' reports, which arrive days later. The fleet here has no baseline errors or crashes and a
/// pipeline that loses nothing, so every error and crash in its telemetry would be the fault's.
@Suite struct DataLossTests {
  func model(
    faults: [FaultDefinition], hours: Int = 12, devices: Int = 10_000, repair: String? = nil,
    baseline: BaselineDefinition = BaselineDefinition(errorRate: 0, crashRate: 0, noise: 0), blockDevices: Int = FleetModel.blockDevices
  ) throws -> FleetModel {
    var json = smallFleetJSON
    if let repair { json = String(json.dropLast()) + #", "repair": \#(repair)}"# }
    let fleet = Fleet(try definition(json), seed: 11, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults, baseline: baseline,
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(15), lateness: .days(2)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200, blockDevices: blockDevices)
  }

  /// On for everyone at 1 hour.
  func run(_ built: FleetModel, script: [Publication] = [Publication(time: .hours(1), state: rollout(100), label: "100%")]) -> (FleetRunResult, ScriptedDriver) {
    FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script))
  }

  /// Every piece of every read, counts summed: what the controller was given.
  func delivered(_ driver: ScriptedDriver) -> OutcomeCounts {
    driver.reads.flatMap(\.pieces).reduce(OutcomeCounts()) { $0 + $1.counts { _ in true } }
  }

  let beta = #"{"name":"kfr","when":"enabled","devices":[{"contextName":"cohort","operator":"IN","values":["beta"]}],"#
    + #""effect":{"kind":"dataLoss","report":{"share":1,"delay":"2h"}}}"#

  @Test func aDataLossLeavesErrorsCrashesAndSilenceAsTheyWere() throws {
    let (result, driver) = run(try model(faults: [try fault(beta)]))
    let (_, healthyDriver) = run(try model(faults: []))
    // The beta cohort (9% of 10,000) lose their data at their first session with the flag: nearly all of them.
    #expect(result.devicesLostData > 800 && result.devicesLostData <= 1_000, "\(result.devicesLostData)")
    #expect(result.devicesFailed == result.devicesLostData)
    // Nothing in errors or crashes (the baseline has none), nobody down, and no more silence than without it.
    let counts = delivered(driver)
    #expect(counts.errors == 0 && counts.crashes == 0)
    #expect(result.windows.allSatisfy { $0.devicesDown == 0 })
    #expect(result.devicesNeedingManualRecovery == 0 && result.devicesTakenDown == 0)
    let silent = counts.devicesAssigned - counts.devicesReporting
    let healthySilent = delivered(healthyDriver).devicesAssigned - delivered(healthyDriver).devicesReporting
    #expect(Double(silent) <= 1.05 * Double(healthySilent) + 20, "\(silent) vs \(healthySilent)")
    // Every user reports it (share 1), 2 hours later: each loss one report, but for those lost in the last
    // 2 hours or so (devices back from long offline spells), whose reports would arrive after the run.
    #expect(result.reports <= result.devicesLostData && Double(result.reports) >= 0.98 * Double(result.devicesLostData))
    #expect(counts.reports == UInt64(result.reports))
    #expect(result.installs == result.devicesExposed && counts.installs <= UInt64(result.installs))
  }

  @Test func itBitesOnceAtTheFirstSessionWithTheFlag() throws {
    // Half the devices, drawn once: over 11 hours of 24 sessions a day, a draw per session would hit
    // nearly everyone (1 - 0.5^11 of them).
    let half = try fault(#"{"name":"half","when":"enabled","effect":{"kind":"dataLoss","probability":0.5}}"#)
    let (result, _) = run(try model(faults: [half]))
    let share = Double(result.devicesLostData) / Double(result.devicesExposed)
    // Binomial over ~10,000 devices: sd 0.005; 0.03 is six of them.
    #expect(abs(share - 0.5) < 0.03, "\(share)")
    // Nobody reports (no `report`).
    #expect(result.reports == 0)
  }

  @Test func harmRunsFromTheLossToTheEndOfTheRunWhateverTheFlag() throws {
    let killed = [
      Publication(time: .hours(1), state: rollout(100), label: "100%"), Publication(time: .hours(3), state: rollout(0), label: "kill"),
    ]
    let (result, _) = run(try model(faults: [try fault(beta)]), script: killed)
    #expect(result.devicesLostData > 400)
    // Lost between 1h and 3h (and the kill's adoption): each counts from then to 12h, the kill changes nothing.
    #expect(result.failedDeviceHours >= Double(result.devicesLostData) * 8.5)
    #expect(result.failedDeviceHours <= Double(result.devicesLostData) * 11)
    #expect(result.devicesRestored == 0)
  }

  @Test func harmStopsWhenATechnicianRestoresTheData() throws {
    // Technicians for every device within the hour, a restore taking 30 minutes: each loss counts about
    // half an hour, and more only while the queue's capacity ramps up (here at once).
    let repair = #"{"sharePerHour": 1, "rampUp": "0s", "duration": "30m"}"#
    let (result, _) = run(try model(faults: [try fault(beta)], repair: repair))
    #expect(result.devicesLostData > 800)
    #expect(result.devicesRestored == result.devicesLostData)
    #expect(result.failedDeviceHours >= Double(result.devicesLostData) * 0.5 - 1e-6)
    #expect(result.failedDeviceHours <= Double(result.devicesLostData) * 0.6, "\(result.failedDeviceHours)")
    // Restoring data is not bringing a device back up: none was down.
    #expect(result.devicesNeedingManualRecovery == 0)
  }

  @Test func backgroundReportsComeAtTheBaselineRatePerInstallInTheirInstallsWindow() throws {
    // 20% of installs report, 3 hours later: per install, windows and late pieces together.
    let baseline = BaselineDefinition(errorRate: 0, crashRate: 0, noise: 0, reportRate: 0.2, reportDelay: .fixed(3 * 3600))
    let (result, driver) = run(try model(faults: [], baseline: baseline))
    #expect(result.installs == result.devicesExposed && result.installs > 9_000)
    let rate = Double(result.reports) / Double(result.installs)
    #expect(abs(rate - 0.2) < 0.015, "\(rate)")
    // Each report is about an install: it arrives 3 hours after, so late, in a piece of its install's window.
    let late = driver.reads.flatMap(\.late).reduce(OutcomeCounts()) { $0 + $1.counts { _ in true } }
    #expect(late.reports == UInt64(result.reports))
    #expect(late.installs == 0)
    for read in driver.reads {
      for piece in read.late where piece.counts(where: { _ in true }).reports > 0 {
        // Read at least 3 hours after the window it belongs to began (less the window's length).
        #expect(read.window.start - piece.start >= TimeSpan.hours(3) - TimeSpan.minutes(15))
      }
    }
  }

  @Test func blocksAndPartitionsCountTheSameLossesAndReports() throws {
    // 10 blocks of 1,000 devices: losses, restores, installs and reports add up across blocks, and the
    // controller reads the same reports whatever the threads.
    let baseline = BaselineDefinition(errorRate: 0.01, crashRate: 0, noise: 0, reportRate: 0.05, reportDelay: .fixed(2 * 3600))
    let repair = #"{"sharePerHour": 0.05, "rampUp": "0s", "duration": "1h"}"#
    let built = try model(faults: [try fault(beta)], repair: repair, baseline: baseline, blockDevices: 1_000)
    #expect(built.blocks.count == 10)
    let script = [Publication(time: .hours(1), state: rollout(100), label: "100%")]
    var runs: [(String, [String])] = []
    for partitions in [1, 3] {
      var (result, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), partitions: partitions)
      // How the run was stepped (threads, waits) is not what it simulated.
      result.parallel = ParallelStats()
      runs.append(("\(result)", driver.reads.map { "\($0.window.counts { _ in true }) \($0.late.map { $0.counts { _ in true } })" }))
      #expect(result.devicesLostData > 800 && result.devicesRestored > 0 && result.devicesRestored <= result.devicesLostData)
      #expect(result.installs == result.devicesExposed && result.reports > result.devicesLostData)
    }
    #expect(runs[0].0 == runs[1].0)
    #expect(runs[0].1 == runs[1].1)
  }
}
