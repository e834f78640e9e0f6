import Fleet
import Foundation
import Testing

@testable import Capacity
@testable import Scenario

/// A capacity plan over MPI ranks: each rank walks its own range of devices, and the ranks add their
/// tallies' counts exactly.
@Suite struct CapacityRanksTests {
  /// What ranks exchange: a tally's counts, summed element by element, are the counts of the tallies
  /// added, and read back into the same tally (every field; a field left out would differ here).
  @Test func ranksExchangeEveryCountOfATally() throws {
    let loaded = try loadScenario(CapacityDeterminismTests.text)
    let definition = loaded.definition
    let fleet = Fleet(definition.fleet, seed: definition.seed)
    let model = CapacityModel(fleet: fleet.definition, capacity: definition.capacity!, duration: definition.duration, seed: definition.seed)
    let walk = CapacityWalk(model: model, fleet: fleet, edgeVersions: EdgeWalk(model).versions, windowWork: model.windows.map { _ in [3600] })
    let first = walk.walk(0..<9_000)
    let second = walk.walk(9_000..<fleet.count)
    var whole = first
    whole.add(second)
    #expect(CapacityTally(model, counts: whole.counts) == whole)
    #expect(CapacityTally(model, counts: zip(first.counts, second.counts).map { $0 + $1 }) == whole)
    // The kinds of count are there and not zero, so the round trip above covers them (capped backoffs
    // need a longer outage than this one).
    #expect(whole.frontendDevices > 0 && whole.initialConnections > 0 && whole.waiting.allSatisfy { $0 > 0 })
    #expect(whole.fetched.contains { $0.contains { $0 != 0 } } && whole.frontendRetried.contains { $0 != 0 })
    #expect(whole.messages.contains { $0.contains { $0 != 0 } } && whole.connectionDelta.contains { $0 != 0 })
    // The walk over ranks' ranges, alone, is the walk over the fleet.
    #expect(CapacityPlanner.walkInParallel(walk, devices: fleet.count) == whole)
  }
}
