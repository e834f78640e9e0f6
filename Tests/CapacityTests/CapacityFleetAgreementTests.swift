import Delivery
import Fleet
import Foundation
import Testing

@testable import Capacity
@testable import Scenario

/// A capacity plan and a fleet run of the same scenario share one model of the delivery path: in the
/// steady state they count the same requests on each tier.
@Suite struct CapacityFleetAgreementTests {
  static let text = capacityScenario(
    devices: 30_000,
    sync: """
      - {model: polling, share: 0.4, interval: 15s, jitter: 0.1, retry: {rule: unleash-node}}
      - {model: streaming, share: 0.2}
      - {model: edge, share: 0.4, interval: 30s, jitter: 0.1, refresh: 10s, edgesPerRegion: 4}
      """,
    capacity: "servers: {api: {instances: 4, cores: 1}, edge: {cores: 1}}", duration: "6h",
    regions: "[{name: eu, share: 0.6, utcOffset: 1}, {name: us, share: 0.4, utcOffset: -5}]")
    .replacingOccurrences(
      of: "activity: {sessionsPerDay: {median: 6, spread: 0.5}}",
      with: "activity: {sessionsPerDay: {median: 6, spread: 0.5}, online: 0.85, offlineSpell: 1h}")

  @Test func aPlanAndARunAgreeOnSteadyStateRequestRates() throws {
    let loaded = try loadScenario(Self.text)
    let planned = try CapacityPlanner.run(loaded)
    let run = try ScenarioRunner.run(loaded)
    let load = try #require(run.policies.first).result.delivery
    #expect(load.seconds == 6 * 3600)
    for (tier, kind) in [(Tier.api, CapacitySeries.Kind.apiRequests), (.edge, .edgeRequests)] {
      let plan = planned.series(kind).stats.mean
      let fleet = load.requestsPerSecond(tier)
      #expect(abs(plan - fleet) / plan < 0.02, "\(tier): plan \(plan) requests/s, fleet run \(fleet)")
    }
    // Both are the closed form: online pollers over their interval, the edges' refreshes, the streams'
    // reconnections at each online spell.
    let devices = Double(planned.devices)
    let api = devices * 0.4 * 0.85 / 15 + 16.0 / 10 + devices * 0.2 * 0.15 / 3600
    #expect(abs(load.requestsPerSecond(.api) - api) / api < 0.02)
  }
}
