import FlagEngine
import Foundation
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// A crash-looping device races the fix at every boot: its SDK fetches the newest state before the
/// faulty code runs with `fetchBeforeCrash`, otherwise it crashes before its SDK has started, having
/// fetched nothing. The fleet here sees a new state the moment it is published (streaming, no
/// latency), reboots every 2 minutes, and the telemetry windows are a minute long, so that the devices
/// down at each window's end trace the race.
@Suite struct CrashLoopTests {
  func model(_ effect: String, repair: String? = nil, devices: Int = 4_000, hours: Int = 3) throws -> FleetModel {
    var json = smallFleetJSON.replacingOccurrences(
      of: #"[{"model": "polling", "share": 1, "interval": "15s", "jitter": 0, "network": "0s"}]"#,
      with: #"[{"model": "streaming", "share": 1, "latency": "0s"}]"#)
    #expect(json != smallFleetJSON)
    if let repair { json = String(json.dropLast()) + #", "repair": \#(repair)}"# }
    let fleet = Fleet(try definition(json), seed: 17, devices: devices)
    let loop = try fault(#"{"name":"loop","when":"enabled","effect":\#(effect)}"#)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: [loop], baseline: BaselineDefinition(errorRate: 0, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(1)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  /// On at 30 minutes, killed at 60: the devices down at each minute's end.
  func down(_ built: FleetModel, exact: Bool = false) -> (FleetRunResult, [Int]) {
    let script = [
      Publication(time: .minutes(30), state: rollout(100), label: "100%"),
      Publication(time: .minutes(60), state: rollout(0), label: "kill"),
    ]
    let (result, _) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: exact)
    return (result, result.windows.map(\.devicesDown))
  }

  @Test(arguments: [nil, 0.4] as [Double?])
  func eachBootAfterTheKillWinsTheRaceWithItsProbability(fetchBeforeCrash: Double?) throws {
    let effect = fetchBeforeCrash.map { #"{"kind":"crashLoop","probability":1,"reboot":"2m","fetchBeforeCrash":\#($0)}"# }
      ?? #"{"kind":"crashLoop","probability":1,"reboot":"2m"}"#
    let q = fetchBeforeCrash ?? FaultDefinition.Effect.defaultFetchBeforeCrash
    let (result, down) = self.down(try model(effect))
    // Window i ends at i + 1 minutes: at the kill, every device the fault bit is still down.
    let atKill = down[59]
    #expect(atKill > 500 && atKill == result.devicesFailed)
    // A device boots every 2 minutes, so in the 2m minutes after the kill it has booted exactly m
    // times, each won with probability q: (1 - q)^m of them are still down. Binomial noise, 4 sigma.
    for m in 1...5 {
      let expected = Double(atKill) * pow(1 - q, Double(m))
      let sigma = (Double(atKill) * pow(1 - q, Double(m)) * (1 - pow(1 - q, Double(m)))).squareRoot()
      #expect(abs(Double(down[59 + 2 * m]) - expected) < 4 * sigma + 1, "m = \(m): \(down[59 + 2 * m]) vs \(expected)")
    }
    // Not the old assumption (every boot fetches the kill first): most are still down after a boot.
    #expect(down[61] > atKill / 2)
    // Within the run, all of them get through.
    #expect(result.devicesDownAtEnd == 0)
    #expect(result.devicesNeedingManualRecovery == 0)
  }

  @Test func aDeviceThatAlwaysCrashesBeforeItsSDKStartsNeverFetchesTheKill() throws {
    let (result, down) = self.down(try model(#"{"kind":"crashLoop","probability":1,"reboot":"2m","fetchBeforeCrash":0}"#))
    #expect(result.devicesFailed > 500)
    #expect(down[59] == result.devicesFailed)
    #expect(down.last == result.devicesFailed)
    #expect(result.devicesDownAtEnd == result.devicesFailed)
    // Nor does it report: the devices down are silent in every window after the kill.
    let late = result.windows.dropFirst(70).map { $0.treatment.devicesReporting + $0.control.devicesReporting }
    #expect(late.allSatisfy { $0 + UInt64(result.devicesFailed) <= 4_000 })
  }

  @Test func aFixIsRacedLikeAState() throws {
    // The flag is never killed; a fix ships at 60 minutes. A boot must fetch it to get past the fault.
    let built = try model(#"{"kind":"crashLoop","probability":1,"reboot":"2m","fetchBeforeCrash":0.5}"#)
    let script = [Publication(time: .minutes(30), state: rollout(100), label: "100%"), .fix(at: .minutes(60))]
    let (result, _) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script))
    let down = result.windows.map(\.devicesDown)
    let atFix = down[59]
    #expect(atFix > 500)
    let expected = Double(atFix) / 2
    #expect(abs(Double(down[61]) - expected) < 4 * (Double(atFix) / 4).squareRoot() + 1, "\(down[61]) vs \(expected)")
    #expect(result.devicesDownAtEnd == 0)
  }

  @Test func aDeviceThatGivesUpBootingWaitsForATechnician() throws {
    // Never winning the race, a device stops after its third crashed boot (6 minutes after it went
    // down) and needs manual repair.
    let effect = #"{"kind":"crashLoop","probability":1,"reboot":"2m","fetchBeforeCrash":0,"bootAttempts":3}"#
    let (alone, down) = self.down(try model(effect))
    #expect(alone.devicesFailed > 500)
    #expect(alone.devicesNeedingManualRecovery == alone.devicesFailed)
    #expect(alone.devicesDownAtEnd == alone.devicesFailed)
    #expect(down.last == alone.devicesFailed)
    // With technicians (the whole region an hour, at full strength at once, nothing to wait for once
    // they arrive), every one is back by the end: those repaired before the kill meet the flag still on
    // and break again, those repaired after it stay up.
    let (repaired, _) = self.down(try model(effect, repair: #"{"sharePerHour": 1}"#))
    #expect(repaired.devicesNeedingManualRecovery == repaired.devicesFailed)
    #expect(repaired.devicesDownAtEnd == 0)
    #expect(repaired.failedDeviceHours < alone.failedDeviceHours / 2)
  }

  @Test func theRaceAndBootAttemptsAreCheckedAndReadOnlyOnCrashLoops() throws {
    // Other kinds do not read them (the scenario's strict decoder then refuses them as unknown fields).
    #expect(try fault(#"{"name":"c","effect":{"kind":"crash","fetchBeforeCrash":0.2}}"#).effect.fetchBeforeCrash == 0.15)
    func refusal(_ effect: String) throws -> String? {
      let loop = try fault(#"{"name":"loop","effect":\#(effect)}"#)
      do {
        try loop.validate(duration: .hours(1))
        return nil
      } catch { return error.description }
    }
    #expect(try refusal(#"{"kind":"crashLoop","fetchBeforeCrash":1.5}"#) == "effect.fetchBeforeCrash: 1.5 is not a fraction in 0...1")
    #expect(try refusal(#"{"kind":"crashLoop","bootAttempts":0}"#) == "effect.bootAttempts: 0 is not a number of boots in 1...10000")
    #expect(try refusal(#"{"kind":"crashLoop","fetchBeforeCrash":0,"bootAttempts":15}"#) == nil)
  }
}
