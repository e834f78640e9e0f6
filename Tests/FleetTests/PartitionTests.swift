import FlagEngine
import Foundation
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// A run is its fleet's blocks, stepped together from one read of the controller to the next; the
/// threads that step them (`partitions`) change nothing in the results. The fleet here has 8 blocks of
/// 1,000 devices, a crash loop, an error fault on one hardware generation, a fault that sends devices of
/// another to the technicians, and a controller that reacts to what it reads: so the blocks' telemetry must
/// merge exactly for the controller to decide the same thing at the same time.
@Suite struct PartitionTests {
  /// Rolls out to 10% at once and to 100% after an hour, and kills the flag at the first read in which
  /// the treatment's crashes reach 20; records what it read.
  struct ReactingDriver: ReleaseDriver {
    var reads: [String] = []
    var killed = false

    mutating func start() -> [Publication] {
      [Publication(time: .zero, state: rollout(10), label: "10%"), Publication(time: .hours(1), state: rollout(100), label: "100%")]
    }

    mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication] {
      let window = read.merged()
      let treatment = window.counts(treatment: true)
      let control = window.counts(treatment: false)
      reads.append(
        "\(time.microseconds) \(read.window.index) \(read.late.map(\.index)) \(treatment) \(control) "
          + "\(window.latency(treatment: true).milliseconds(atPercentile: 99))")
      guard !killed, treatment.crashes >= 20 else { return [] }
      killed = true
      return [Publication(time: time, state: rollout(0), label: "kill")]
    }
  }

  func model() throws -> FleetModel {
    let json = String(smallFleetJSON.dropLast()) + #", "repair": {"sharePerHour": 0.05, "rampUp": "1h", "duration": "20m"}}"#
    let fleet = Fleet(try definition(json), seed: 23, devices: 8_000)
    let loop = try fault(#"{"name":"loop","when":"enabled","effect":{"kind":"crashLoop","probability":0.05,"reboot":"2m","bootAttempts":3,"fetchBeforeCrash":0.1}}"#)
    let errors = try fault(
      #"{"name":"gen1","when":"enabled","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"1"}],"#
        + #""effect":{"kind":"error","probability":0.3}}"#)
    let brick = try fault(
      #"{"name":"brick","when":"enabled","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],"#
        + #""effect":{"kind":"manualRecovery","probability":0.02}}"#)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: [loop, errors, brick],
      baseline: BaselineDefinition(errorRate: 0.01, crashRate: 0.001, noise: 0.1),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(30), loss: 0.02, window: .minutes(5)),
      duration: .hours(8), startUnixSeconds: 1_772_431_200, blockDevices: 1_000)
  }

  @Test func everyNumberOfPartitionsGivesTheSameRun() throws {
    let built = try model()
    #expect(built.blocks.count == 8)
    #expect(built.blocks.first == 0..<1_000 && built.blocks.last == 7_000..<8_000)
    var runs: [(String, [String])] = []
    for partitions in [1, 2, 3, 7, 8, 64] {
      var (result, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ReactingDriver(), partitions: partitions)
      #expect(result.parallel.threads == min(partitions, 8) && result.parallel.blocks == 8 && result.parallel.ticks >= 90)
      // How it was spread is wall-clock measure; everything else must be the same.
      result.parallel = ParallelStats()
      runs.append(("\(result)", driver.reads))
    }
    let (result, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ReactingDriver())
    // The run is worth comparing: the controller killed the flag, devices crashed and some waited for
    // the technicians, late reports came in.
    #expect(driver.killed)
    #expect(result.devicesFailed > 100 && result.devicesNeedingManualRecovery > 0 && result.lateSessions > 0, "\(result.devicesFailed) \(result.devicesNeedingManualRecovery) \(result.lateSessions)")
    for (partitions, run) in zip([1, 2, 3, 7, 8, 64], runs) {
      #expect(run.0 == runs[0].0, "\(partitions) partitions: the result differs from 1 partition's")
      #expect(run.1 == runs[0].1, "\(partitions) partitions: the controller read something else")
    }
  }

  @Test func blocksCoverTheFleetInOrderAndGrowPastTheirLimit() {
    #expect(FleetModel.blocks(devices: 1) == [0..<1])
    #expect(FleetModel.blocks(devices: 16_383) == [0..<16_383])
    let blocks = FleetModel.blocks(devices: 200_000)
    #expect(blocks.count == 12)
    #expect(blocks.first?.lowerBound == 0 && blocks.last?.upperBound == 200_000)
    #expect(zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    // A billion devices: at most 256 blocks, so per-block work at each window stays small.
    #expect(FleetModel.blocks(devices: 1_000_000_000).count == FleetModel.maximumBlocks)
  }
}
