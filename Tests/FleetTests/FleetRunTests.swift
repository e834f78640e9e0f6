import FlagEngine
import Simulation
import Telemetry
import Testing

@testable import Fleet

@Suite struct FleetRunTests {
  func model(faults: [FaultDefinition], hours: Int = 12, devices: Int = 20_000) throws -> FleetModel {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 11, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults, baseline: BaselineDefinition(errorRate: 0.01, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  @Test func faultSelectionFollowsTheConstraint() throws {
    let crash = try fault(#"{"name":"gen2","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],"effect":{"kind":"error","probability":0.5}}"#)
    let everyone = try fault(#"{"name":"all","effect":{"kind":"error","probability":0.1}}"#)
    let newFirmware = try fault(#"{"name":"fw","devices":[{"contextName":"firmwareVersion","operator":"SEMVER_GTE","value":"4.1.0"}],"effect":{"kind":"error"}}"#)
    let built = try model(faults: [crash, everyone, newFirmware])
    for device in 0..<built.fleet.count {
      let attributes = built.fleet.attributes(of: device)
      let mask = built.susceptible[device]
      #expect((mask & 1 == 1) == (attributes["hardwareGeneration"] == "2"))
      #expect(mask & 2 == 2)
      #expect((mask & 4 == 4) == ["4.1.0", "5.0.0"].contains(attributes["firmwareVersion"]!))
    }
  }

  @Test func aReleaseReachesTheFleetAndTheFaultHurtsOnlyItsDevices() throws {
    let crash = try fault(#"{"name":"gen2","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],"effect":{"kind":"error","probability":0.3}}"#)
    let built = try model(faults: [crash])
    let (result, driver) = FleetRun.run(
      model: built, initialState: rollout(0),
      driver: ScriptedDriver(script: [Publication(time: .hours(1), state: rollout(100), label: "100%")]))
    // Devices with sessions after the release adopt it (24 sessions a day: nearly all within 11 hours).
    #expect(result.devicesExposed > built.fleet.count * 95 / 100)
    let generation2 = built.fleet.hardware.filter { $0 == 1 }.count
    #expect(result.devicesFailed <= generation2)
    #expect(result.devicesFailed > generation2 * 9 / 10)
    #expect(result.firstFailure! > .hours(1))
    // Before the release, treatment is empty and control sees the baseline error rate.
    let before = driver.windows.filter { $0.end <= SimulatedTime.hours(1) }
    #expect(before.allSatisfy { $0.counts(treatment: true).sessions == 0 })
    let control = before.reduce(OutcomeCounts()) { $0 + $1.counts(treatment: false) }
    #expect(abs(control.errorRate - 0.01) < 0.003)
    // After it, treatment error rate = baseline + 0.3 × share of generation 2 among treated sessions.
    let late = driver.windows.filter { $0.start >= SimulatedTime.hours(3) }
    let treatment = late.reduce(OutcomeCounts()) { $0 + $1.counts(treatment: true) }
    let expected = 0.01 + (1 - 0.01) * 0.3 * 0.3
    #expect(abs(treatment.errorRate - expected) < 0.01, "\(treatment.errorRate) vs \(expected)")
  }

  @Test func runsAreDeterministic() throws {
    let crash = try fault(#"{"name":"c","devices":[{"contextName":"cohort","operator":"IN","values":["beta"]}],"effect":{"kind":"crash","probability":0.2}}"#)
    let built = try model(faults: [crash], hours: 6, devices: 5000)
    func once() -> (FleetRunResult, [UInt64]) {
      let (result, driver) = FleetRun.run(
        model: built, initialState: rollout(0),
        driver: ScriptedDriver(script: [Publication(time: .minutes(30), state: rollout(50), label: "50%")]))
      return (result, driver.windows.map { $0.counts(treatment: true).errors &* 31 &+ $0.counts(treatment: false).sessions })
    }
    let (a, windowsA) = once()
    let (b, windowsB) = once()
    #expect(a.devicesFailed == b.devicesFailed && a.sessions == b.sessions && a.events == b.events)
    #expect(a.failedDeviceHours == b.failedDeviceHours)
    #expect(windowsA == windowsB)
  }

  @Test func aKillSwitchStopsTheDamageAndManualRecoveryDoesNot() throws {
    let boot = try fault(#"{"name":"boot","when":"enabled","effect":{"kind":"manualRecovery","probability":1}}"#)
    let built = try model(faults: [boot], hours: 4, devices: 5000)
    let (result, driver) = FleetRun.run(
      model: built, initialState: rollout(0),
      driver: ScriptedDriver(script: [
        Publication(time: .minutes(60), state: rollout(100), label: "100%"),
        Publication(time: .minutes(80), state: rollout(0), label: "kill"),
      ]))
    // Only devices with a session in the 20 minutes (plus sync delay) the bad state was live are hurt.
    #expect(result.devicesFailed > 0)
    #expect(result.devicesFailed < built.fleet.count / 2)
    #expect(result.devicesNeedingManualRecovery == result.devicesFailed)
    #expect(result.devicesDownAtEnd == result.devicesFailed)
    // They are silent: assigned but not reporting, in the windows after the kill.
    let last = driver.windows.last!
    let all = last.counts { _ in true }
    #expect(all.devicesAssigned == UInt64(built.fleet.count))
    #expect(all.devicesReporting < all.devicesAssigned - UInt64(result.devicesFailed) + 1)
  }

  @Test func irreversibleFaultsOutliveTheFlagButNotAFix() throws {
    let sticky = try fault(#"{"name":"firmware","when":"enabled","effect":{"kind":"error","probability":0.5,"irreversible":true}}"#)
    let built = try model(faults: [sticky], hours: 8, devices: 3000)
    func errorRate(after hour: Int, _ script: [Publication]) -> Double {
      let (_, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script))
      return driver.windows.filter { $0.start >= SimulatedTime.hours(hour) }
        .reduce(OutcomeCounts()) { $0 + $1.counts { _ in true } }.errorRate
    }
    let release = Publication(time: .hours(1), state: rollout(100), label: "100%")
    let off = Publication(time: .hours(3), state: rollout(0), label: "kill")
    // Turned off, the flag does not heal devices that had the fault: still far above the 1% baseline.
    #expect(errorRate(after: 5, [release, off]) > 0.2)
    // A fix does.
    #expect(errorRate(after: 5, [release, off, .fix(at: .hours(4))]) < 0.02)
  }

  @Test func crashLoopsRecoverOnceTheFixIsVisible() throws {
    let loop = try fault(#"{"name":"loop","when":"enabled","effect":{"kind":"crashLoop","probability":1,"reboot":"2m"}}"#)
    let built = try model(faults: [loop], hours: 3, devices: 3000)
    let (result, _) = FleetRun.run(
      model: built, initialState: rollout(0),
      driver: ScriptedDriver(script: [
        Publication(time: .minutes(30), state: rollout(100), label: "100%"),
        Publication(time: .minutes(45), state: rollout(0), label: "fix"),
      ]))
    #expect(result.devicesFailed > 0)
    #expect(result.devicesDownAtEnd == 0, "every device fetches the fix at a boot attempt")
    #expect(result.devicesNeedingManualRecovery == 0)
  }
}
