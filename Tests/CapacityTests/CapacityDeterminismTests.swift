import Fleet
import Foundation
import Testing

@testable import Capacity
@testable import Scenario

@Suite struct CapacityDeterminismTests {
  static let text = capacityScenario(
    devices: 20_000,
    sync: "- {model: polling, share: 0.4, interval: 15s, jitter: 0.1}\n- {model: streaming, share: 0.3}\n- {model: edge, share: 0.3, interval: 30s, refresh: 60s, edgesPerRegion: 2}",
    capacity: """
      frontend: {share: 0.2}
      storms:
        - {kind: apiOutage, from: 20m, until: 30m}
        - {kind: edgeRestart, at: 50m, down: 20s, retry: {jitter: false}}
        - {kind: stateChange, at: 70m}
      """)

  /// Same scenario and seed, same bytes.
  @Test func sameSeedSameFiles() throws {
    let a = try plan(Self.text)
    let b = try plan(Self.text)
    #expect(a.json(reproducible: true).pretty == b.json(reproducible: true).pretty)
    #expect(a.csv == b.csv)
  }

  /// A device's walk depends only on the seed and the device: any cut of the fleet into parts adds up to
  /// the same tallies.
  @Test func partsOfTheFleetAddUp() throws {
    let loaded = try loadScenario(Self.text)
    let definition = loaded.definition
    let fleet = Fleet(definition.fleet, seed: definition.seed)
    let model = CapacityModel(fleet: fleet.definition, capacity: definition.capacity!, duration: definition.duration, seed: definition.seed)
    let walk = CapacityWalk(model: model, fleet: fleet, edgeVersions: EdgeWalk(model).versions, windowWork: model.windows.map { _ in [3600] })
    let whole = walk.walk(0..<fleet.count)
    var parts = walk.walk(12_345..<fleet.count)
    parts.add(walk.walk(0..<7))
    parts.add(walk.walk(7..<12_345))
    #expect(whole.starts == parts.starts && whole.failed == parts.failed && whole.full == parts.full)
    #expect(whole.connects == parts.connects && whole.recovered == parts.recovered && whole.waiting == parts.waiting)
    #expect(whole.frontendSessions == parts.frontendSessions && whole.frontendRetried == parts.frontendRetried)
  }

}

