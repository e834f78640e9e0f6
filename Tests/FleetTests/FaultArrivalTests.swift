import FlagEngine
import Foundation
import Delivery
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// A fault's `from` and `until` may be distributions, drawn once per run from its seed.
@Suite struct FaultArrivalTests {
  func model(_ faults: [FaultDefinition], seed: UInt64 = 11, devices: Int = 5_000, hours: Int = 8) throws -> FleetModel {
    let fleet = Fleet(try definition(smallFleetJSON), seed: seed, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults, baseline: BaselineDefinition(errorRate: 0.01, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  @Test func arrivalsAreDrawnOncePerSeedWithinTheDistribution() throws {
    let arriving = try fault(#"{"name":"a","from":{"min":"0s","max":"14d"},"until":{"min":"15d","max":"16d"},"effect":{"kind":"error"}}"#)
    let froms = (0..<4_000).map { arriving.window(seed: UInt64($0), index: 0).from.seconds }
    let days = 86_400.0
    #expect(froms.allSatisfy { (0...14 * days).contains($0) })
    // Uniform over 14 days: mean 7 days, standard error 14 d / sqrt(12 × 4000) = 0.064 d.
    let mean = froms.reduce(0, +) / Double(froms.count)
    #expect(abs(mean - 7 * days) < 6 * 0.064 * days, "\(mean / days) days")
    // The same seed gives the same window; `until` is drawn from a stream of its own.
    #expect(arriving.window(seed: 3, index: 0) == arriving.window(seed: 3, index: 0))
    let until = (0..<200).map { arriving.window(seed: UInt64($0), index: 0).until!.seconds }
    #expect(until.allSatisfy { (15 * days...16 * days).contains($0) })
    #expect(Set(until).count == until.count)
    // Another fault of the same scenario draws its own arrival.
    #expect(arriving.window(seed: 3, index: 0) != arriving.window(seed: 3, index: 1))
    // A plain duration is itself, to the microsecond.
    let fixed = try fault(#"{"name":"f","from":"15m","until":"1h30m0.3s","effect":{"kind":"error"}}"#)
    #expect(fixed.window(seed: 9, index: 2) == FaultDefinition.Window(from: .minutes(15), until: SimulatedTime(microseconds: 5_400_300_000)))
  }

  @Test func distributionsWithoutBoundsAreCutOffWhereTheCheckLooks() throws {
    let exponential = try fault(#"{"name":"e","from":{"mean":"1h"},"effect":{"kind":"error"}}"#)
    let draws = (0..<20_000).map { exponential.window(seed: UInt64($0), index: 0).from.seconds }
    let (low, high): (Double, Double) = (0.36, 9.21 * 3600)
    #expect(draws.allSatisfy { $0 >= low - 1e-6 && $0 <= high + 1e-6 })
    // Still an exponential with a mean of 1 h (the cut moves it by far less than its standard error, 25 s).
    let mean: Double = draws.reduce(0, +) / Double(draws.count)
    #expect(abs(mean - 3600) < 150)
  }

  @Test func theArrivalIsTheSameForEveryFleetSizeAndMovesNothingElse() throws {
    let drawn = try fault(#"{"name":"late","when":"always","from":{"min":"1h","max":"5h"},"effect":{"kind":"error","probability":0.2}}"#)
    let small = try model([drawn], devices: 500)
    let large = try model([drawn], devices: 5_000)
    let arrival = large.faultWindows[0].from
    #expect(small.faultWindows == large.faultWindows)
    #expect(arrival > .hours(1) && arrival < .hours(5))
    // The same fault written with the drawn time as a plain duration gives the same run: drawing the
    // arrival takes nothing from the devices' streams.
    let plain = try fault(#"{"name":"late","when":"always","from":"\#(arrival.microseconds)us","effect":{"kind":"error","probability":0.2}}"#)
    let script = [Publication(time: .minutes(30), state: rollout(50), label: "50%")]
    let (a, _) = FleetRun.run(model: large, initialState: rollout(0), driver: ScriptedDriver(script: script))
    let (b, _) = FleetRun.run(model: try model([plain]), initialState: rollout(0), driver: ScriptedDriver(script: script))
    #expect(a.failedDeviceHours == b.failedDeviceHours && a.devicesFailed == b.devicesFailed && a.events == b.events)
    // Nothing fails before the fault arrives.
    let first = try #require(a.firstFailure)
    #expect(first >= arrival)
    #expect(first < arrival + .minutes(10))
  }

  func problem(_ json: String, hours: Int = 4) throws -> String? {
    do {
      try fault(json).validate(duration: .hours(hours))
      return nil
    } catch {
      return (error as? DefinitionError)?.description ?? "\(error)"
    }
  }

  @Test(arguments: [
    (#""from":"4h""#, "from: 4h is not before the end of the run (4h): the fault would never bite"),
    (#""from":{"min":"0s","max":"5h"}"#, "from.max: 5h is not in 0s...4h"),
    (#""from":{"mean":"1h"}"#, "from: draws reach 9h12m36s (the 99.99th percentile); they must stay within 0s...4h"),
    (#""from":{"median":"1h","p99":"3h"}"#, "from: draws reach 5h47m27s265ms972us (the 99.99th percentile); they must stay within 0s...4h"),
    (#""from":{"min":"0s","max":"4h"}"#, "from: draws reach 4h, not before the end of the run (4h): the fault would never bite"),
    (#""from":"2h","until":"1h""#, "until: 1h is not after from (2h)"),
    (#""from":{"min":"0s","max":"90m"},"until":{"min":"1h","max":"2h"}"#, "until: draws from 1h are not all after from's, which reach 1h30m"),
    (#""from":"1h","until":"5h""#, "until: 5h is not in 0s...4h"),
  ])
  func windowsOutsideTheRunAreRefused(_ example: (String, String)) throws {
    let message = try problem(#"{"name":"x",\#(example.0),"effect":{"kind":"error"}}"#)
    #expect(message == example.1)
  }

  @Test func windowsInsideTheRunAreAccepted() throws {
    #expect(try problem(#"{"name":"x","from":{"min":"0s","max":"3h"},"until":"4h","effect":{"kind":"error"}}"#) == nil)
    #expect(try problem(#"{"name":"x","from":{"median":"20m","p99":"1h"},"effect":{"kind":"error"}}"#) == nil)
    #expect(try problem(#"{"name":"x","effect":{"kind":"error"}}"#) == nil)
  }
}
