import FlagEngine
import Foundation
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// `when: killed`: a fault in the kill switch's own code path (Cloudflare, 5 December 2025). It bites a
/// device from the moment it adopts a state with the released flag disabled while the state before had
/// it enabled, for as long as it holds such states.
@Suite struct KilledTriggerTests {
  func model(_ faults: [FaultDefinition], devices: Int = 5_000, hours: Int = 4) throws -> FleetModel {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 17, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults, baseline: BaselineDefinition(errorRate: 0, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  /// The flag at `percent`%, disabled: what a kill switch publishes.
  func killed(_ percent: Int) -> FlagState {
    var features = rollout(percent).definition
    features.features[0].enabled = false
    return FlagState(features)
  }

  /// Errors in the windows that start in `hours`.
  func errors(_ windows: [TelemetryWindow], _ hours: Range<Double>) -> UInt64 {
    windows.filter { hours.contains($0.start.seconds / 3_600) }.reduce(0) { $0 + $1.counts { _ in true }.errors }
  }

  let bug = #"{"name":"kill-switch-bug","when":"killed","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],"effect":{"kind":"error","probability":1}}"#

  @Test func theTriggerIsReadAndMisspellingsAreCaught() throws {
    #expect(try fault(bug).when == .killed)
    let error = #expect(throws: DecodingError.self) { try fault(#"{"name":"x","when":"kiled","effect":{"kind":"error"}}"#) }
    #expect(String(describing: error).contains("did you mean 'killed'?"))
  }

  @Test func aKillBitesFromEachDevicesAdoptionOnAndARollBackDoesNot() throws {
    let built = try model([try fault(bug)])
    let release = Publication(time: .hours(1), state: rollout(100), label: "100%")
    for exact in [true, false] {
      let (kill, driver) = FleetRun.run(
        model: built, initialState: rollout(0),
        driver: ScriptedDriver(script: [release, Publication(time: .hours(2), state: killed(100), label: "kill")]), exactSessions: exact)
      // Nothing before the kill (the release itself is healthy); every session of a generation-2 device after it.
      #expect(errors(driver.windows, 0..<2) == 0)
      let first = try #require(kill.firstFailure)
      #expect(first > .hours(2) && first < .hours(2) + .minutes(30))
      let generation2 = built.fleet.hardware.filter { $0 == 1 }.count
      // Those with a session in the two hours after the kill: about half (one of the two regions is at night).
      #expect(kill.devicesFailed > generation2 * 4 / 10 && kill.devicesFailed < generation2 * 7 / 10, "\(kill.devicesFailed) of \(generation2)")
      // A roll back to 0% keeps the flag enabled: it is not a kill.
      let (rollBack, _) = FleetRun.run(
        model: built, initialState: rollout(0),
        driver: ScriptedDriver(script: [release, Publication(time: .hours(2), state: rollout(0), label: "roll back")]), exactSessions: exact)
      #expect(rollBack.devicesFailed == 0)
    }
  }

  @Test func devicesTheFlagWasOffForAreHitToo() throws {
    // At 10% only a tenth of the fleet had the flag on; the kill switch's path runs on every device.
    let built = try model([try fault(bug)])
    let (result, _) = FleetRun.run(
      model: built, initialState: rollout(0),
      driver: ScriptedDriver(script: [
        Publication(time: .hours(1), state: rollout(10), label: "10%"), Publication(time: .hours(2), state: killed(10), label: "kill"),
      ]))
    #expect(result.devicesExposed < built.fleet.count / 5)
    #expect(result.devicesFailed > result.devicesExposed)
  }

  @Test func reEnablingTheFlagEndsItAndAFlagNeverEnabledIsNotKilled() throws {
    let built = try model([try fault(bug)], hours: 5)
    let (reEnabled, driver) = FleetRun.run(
      model: built, initialState: rollout(0),
      driver: ScriptedDriver(script: [
        Publication(time: .hours(1), state: rollout(100), label: "100%"),
        Publication(time: .hours(2), state: killed(100), label: "kill"),
        Publication(time: .minutes(150), state: rollout(100), label: "re-enabled"),
        Publication(time: .hours(4), state: killed(100), label: "kill again"),
      ]))
    #expect(errors(driver.windows, 2..<2.5) > 0)
    // Devices adopt the re-enabled state within a poll interval, at their next session.
    #expect(errors(driver.windows, 2.6..<4) == 0)
    #expect(errors(driver.windows, 4..<5) > 0)
    #expect(reEnabled.devicesFailed > 0)
    // A state disabled from the start, then disabled again: no flag was ever on to kill.
    let (never, _) = FleetRun.run(
      model: built, initialState: killed(0),
      driver: ScriptedDriver(script: [Publication(time: .hours(1), state: killed(100), label: "still off")]))
    #expect(never.devicesFailed == 0)
  }

  @Test func dormantDevicesWakeForTheKill() throws {
    // Every session as an event is the reference; with dormant devices the kill must wake the ones the
    // fault can bite, so the outcomes agree within sampling noise.
    let built = try model([try fault(bug)], devices: 10_000)
    let script = [
      Publication(time: .hours(1), state: rollout(30), label: "30%"), Publication(time: .hours(2), state: killed(30), label: "kill"),
    ]
    let (exact, _) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    let (bulk, _) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script))
    #expect(bulk.sessionsDrawnInBulk > 0)
    #expect(abs(Double(bulk.devicesFailed) / Double(exact.devicesFailed) - 1) < 0.05, "\(bulk.devicesFailed) vs \(exact.devicesFailed)")
    #expect(abs(bulk.failedDeviceHours / exact.failedDeviceHours - 1) < 0.05, "\(bulk.failedDeviceHours) vs \(exact.failedDeviceHours)")
  }
}
