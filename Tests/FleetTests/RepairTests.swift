import Delivery
import FlagEngine
import Foundation
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// Manual repair is a process: each region's technicians get to the devices that need them in the
/// order they went down, at a capacity that ramps up from nothing; the wait counts as failed time.
@Suite struct RepairTests {
  @Test func aQueuesTurnsFollowItsRampedCapacity() {
    // 100 devices an hour at full strength, reached after 2 hours: the capacity is 100 t^2 / 4 (t in
    // hours) during the ramp, 100 (t - 1) after it.
    var queue = RepairQueue(perSecond: 100.0 / 3600, rampUp: 7200)
    #expect(abs(queue.capacity(after: 3600) - 25) < 1e-9)
    #expect(abs(queue.capacity(after: 3 * 3600) - 200) < 1e-9)
    // 300 devices down at 10:00 (36,000 s): the n-th is reached when the capacity reaches n.
    let turns = (0..<300).map { _ in queue.turn(needingRepairAt: 36_000) }
    #expect(abs(turns[24] - (36_000 + 3600)) < 1e-6)      // the 25th after an hour
    #expect(abs(turns[99] - (36_000 + 7200)) < 1e-6)      // the 100th at full strength, 2 hours in
    #expect(abs(turns[299] - (36_000 + 4 * 3600)) < 1e-6)  // the 300th at 4 hours
    #expect(zip(turns, turns.dropFirst()).allSatisfy { $0 < $1 })
    // The queue is empty from 14:00; capacity left unused then is lost: a device down at 20:00 is
    // reached 36 seconds later (one device at 100 an hour), not at once.
    #expect(abs(queue.turn(needingRepairAt: 36_000 + 10 * 3600) - (36_000 + 10 * 3600 + 36)) < 1e-6)
    // Without a ramp: full strength from the first device on.
    var flat = RepairQueue(perSecond: 1, rampUp: 0)
    #expect(flat.turn(needingRepairAt: 50) == 51)
    #expect(flat.turn(needingRepairAt: 50) == 52)
  }

  /// One region (so that the devices down trace one queue), streaming without latency.
  func model(repair: String?, devices: Int = 6_000, hours: Int = 12) throws -> FleetModel {
    var json = smallFleetJSON.replacingOccurrences(
      of: #"[{"model": "polling", "share": 1, "interval": "15s", "jitter": 0, "network": "0s"}]"#,
      with: #"[{"model": "streaming", "share": 1, "latency": "0s"}]"#)
      .replacingOccurrences(
        of: #"[{"name": "eu", "share": 0.5, "utcOffset": 1}, {"name": "us", "share": 0.5, "utcOffset": -5}]"#,
        with: #"[{"name": "eu", "share": 1, "utcOffset": 1}]"#)
    #expect(!json.contains(#""us""#))
    if let repair { json = String(json.dropLast()) + #", "repair": \#(repair)}"# }
    let fleet = Fleet(try definition(json), seed: 9, devices: devices)
    let brick = try fault(#"{"name":"brick","when":"enabled","effect":{"kind":"manualRecovery","probability":1}}"#)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: [brick], baseline: BaselineDefinition(errorRate: 0, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  /// On at 1 hour, killed 20 minutes later.
  func run(_ built: FleetModel, exact: Bool = false) -> FleetRunResult {
    let script = [Publication(time: .hours(1), state: rollout(100), label: "100%"), Publication(time: .minutes(80), state: rollout(0), label: "kill")]
    return FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: exact).result
  }

  @Test func devicesComeBackAtTheTechniciansPace() throws {
    // 5% of a region's devices an hour at full strength, after a 2-hour ramp; a repair takes 30
    // minutes once a technician is there.
    let built = try model(repair: #"{"sharePerHour": 0.05, "rampUp": "2h", "duration": "30m"}"#)
    let result = run(built)
    let opened = try #require(result.firstFailure).seconds
    let capacity = RepairQueue(perSecond: 0.05 * Double(built.fleet.count) / 3600, rampUp: 7200)
    // Devices are back when the capacity since the first failure has reached them, 30 minutes later;
    // the queue is never empty while they arrive (the capacity starts at nothing), so the devices back
    // by t are the capacity at t - 30m, as long as some still wait.
    var checked = 0
    for row in result.windows where row.devicesDown > 0 && row.end.seconds > opened + 1800 {
      let expected = Double(row.devicesFailedSoFar) - capacity.capacity(after: row.end.seconds - 1800 - opened).rounded(.down)
      #expect(abs(Double(row.devicesDown) - expected) <= 1, "at \(row.end): \(row.devicesDown) vs \(expected)")
      checked += 1
    }
    #expect(checked > 50)
    #expect(result.devicesFailed > 1000)
    #expect(result.devicesNeedingManualRecovery == result.devicesFailed)
    // Failed device-hours include the wait: the integral of devices down over the run, by window ends.
    let integral = result.windows.reduce(0.0) { $0 + Double($1.devicesDown) * 5 / 60 }
    #expect(abs(result.failedDeviceHours - integral) <= Double(result.devicesFailed) * 5 / 60)
    // Nobody repairs them without technicians: each counts to the end of the run.
    let unrepaired = run(try model(repair: nil))
    #expect(unrepaired.devicesDownAtEnd == unrepaired.devicesFailed)
    #expect(result.devicesDownAtEnd < result.devicesFailed / 10)
    #expect(result.failedDeviceHours < unrepaired.failedDeviceHours / 2)
  }

  @Test func dormantAndSimulatedDevicesAreRepairedAlike() throws {
    let built = try model(repair: #"{"sharePerHour": 0.05, "rampUp": "2h", "duration": {"median": "30m", "p99": "4h"}}"#)
    let exact = run(built, exact: true)
    let bulk = run(built)
    // Failures are drawn independently on the two paths (about 1,700): 4 standard deviations of a
    // Poisson difference. The repairs follow the same queue.
    #expect(abs(Double(exact.devicesFailed - bulk.devicesFailed)) < 4 * Double(exact.devicesFailed + bulk.devicesFailed).squareRoot())
    for (a, b) in zip(exact.windows, bulk.windows) {
      let downA = Double(a.devicesDown) / Double(max(exact.devicesFailed, 1))
      let downB = Double(b.devicesDown) / Double(max(bulk.devicesFailed, 1))
      #expect(abs(downA - downB) < 0.06, "at \(a.end): \(downA) vs \(downB)")
    }
  }

  @Test func repairIsCheckedAndNamed() throws {
    func refusal(_ repair: String) throws -> String? {
      do {
        try definition(String(smallFleetJSON.dropLast()) + #", "repair": \#(repair)}"#).validate()
        return nil
      } catch let error as DefinitionError { return error.description }
    }
    #expect(try refusal(#"{"sharePerHour": 0}"#) == "repair.sharePerHour: 0 is not a share of a region's devices an hour in 1e-09...1")
    #expect(try refusal(#"{"sharePerHour": 0.01, "rampUp": "45d"}"#) == "repair.rampUp: 45d is not a duration in 0s...30d")
    #expect(try refusal(#"{"sharePerHour": 0.01, "duration": {"median": "1d", "p99": "300d"}}"#)?.hasPrefix("repair.duration: draws reach") == true)
    #expect(try refusal(#"{"sharePerHour": 0.01, "rampUp": "3d", "duration": {"median": "1h", "p99": "7d"}}"#) == nil)
  }
}
