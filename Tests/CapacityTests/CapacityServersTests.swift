import Delivery
import Foundation
import Testing

@testable import Capacity
@testable import Scenario

/// Servers of finite capacity: instances per tier at p99 and through the worst storm, herds drained
/// through the servers there are, and what saturates first.
@Suite struct CapacityServersTests {
  /// 60,000 devices polling every 15 s: 4,000 requests/s. At 1,000 per instance and 30% headroom, an
  /// instance may take 769 a second at its 99th percentile; with the Poisson noise of its own requests
  /// (about 2.33 √λ) five are not enough (800 + 66) and six are (667 + 60).
  @Test func instancesAtP99AllowForHeadroomAndPoissonNoise() throws {
    let outcome = try plan(capacityScenario(
      devices: 60_000, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0.2}",
      capacity: "servers: {api: {instances: 10, requestsPerSecond: 1000}}"))
    let api = try #require(outcome.sizing.tiers.first { $0.tier == .api })
    #expect(api.atP99.instances == 6 && api.atP99.cores == nil, "a flat rate gives instances, not cores")
    #expect(api.statedInstances == 10)
    #expect(abs(api.utilization.p99 - 0.4) < 0.02, "4,000 requests/s on 10,000 of capacity: \(api.utilization.p99)")
    // One of the ten instances: 400 a second, and the 99th percentile of its seconds about 2.33 √400 more.
    #expect(abs(api.perInstance.p50 - 400) <= 2)
    #expect(api.perInstance.p99 > 440 && api.perInstance.p99 < 455, "\(api.perInstance.p99)")
    #expect(outcome.sizing.saturatesFirst == nil && outcome.series(.apiShed).stats.peak == 0)
  }

  /// Servers are sized for the fleet the scenario states: the same plan on a quarter of its devices
  /// (`--devices`) scales its counts back up, and needs as many instances for it.
  @Test func aPlanOfFewerDevicesSizesTheScenariosFleet() throws {
    let text = capacityScenario(
      devices: 60_000, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0.2}",
      capacity: "servers: {api: {instances: 10, requestsPerSecond: 1000}}\nstorms: [{kind: stateChange, at: 1h}]")
    let whole = try #require(try plan(text).sizing.tiers.first { $0.tier == .api })
    let quarter = try #require(
      try CapacityPlanner.run(loadScenario(text), options: CapacityOptions(devices: 15_000)).sizing.tiers.first { $0.tier == .api })
    #expect(quarter.statedInstances == 10)
    #expect(quarter.atP99.instances == whole.atP99.instances && whole.atP99.instances == 6)
    #expect(abs((quarter.atWorstStorm?.instances ?? 0) - (whole.atWorstStorm?.instances ?? 0)) <= 1)
    // Through the storm, at least the mean load (4,000 a second at 1,000 each): the queue takes the noise.
    #expect((whole.atWorstStorm?.instances ?? 0) >= 4)
    // One of the ten instances: 400 a second, whatever the fleet simulated.
    #expect(abs(quarter.perInstance.p50 - 400) <= 4, "\(quarter.perInstance.p50)")
  }

  static let herd = capacityScenario(
    devices: 50_000, sync: "- {model: streaming, share: 1}",
    capacity: """
      servers: {api: {instances: 2, requestsPerSecond: 1000, timeout: 10s}}
      storms: [{kind: apiOutage, from: 30m, until: 50m, retry: {initial: 1s, max: 60s, jitter: false}}]
      """)

  /// Streams that broke together come back together (their backoff has no jitter): 50,000 reconnections
  /// in one tick. Two instances take 2,000 a second and queue 10 seconds' worth; the rest is shed and
  /// retried by the clients' own rule, so the herd drains at the servers' capacity.
  @Test func aHerdDrainsThroughTheServers() throws {
    let outcome = try plan(Self.herd)
    let storm = try #require(outcome.storms.first)
    let shed = outcome.series(.apiShed).values
    // The herd's second: the first attempt after the end, the same for every client.
    let herd = try #require((3_000..<3_060).first { shed[$0] > 0 })
    #expect(shed[herd] > 25_000, "most of the herd is shed in its first second: \(shed[herd])")
    // Served at 2,000 a second after the first 20,000: half of the herd within about 3 s of its
    // second, 99% within about 15 s, plus the retries' waits.
    let offset = Double(herd - 3_000)
    let half = try #require(storm.recovered50Seconds) - offset
    let most = try #require(storm.recovered99Seconds) - offset
    #expect(half > 2 && half < 15, "half back within \(half) s of the herd")
    #expect(most > 14 && most < 80, "99% back within \(most) s of the herd")
    let unlimited = try plan(Self.herd.replacingOccurrences(of: "  servers: {api: {instances: 2, requestsPerSecond: 1000, timeout: 10s}}\n", with: ""))
    #expect(try #require(unlimited.storms.first?.recovered99Seconds) - offset < 1.1, "unlimited: all back in the herd's tick")
    // The servers never serve more than their capacity in a second (after the queue's first 10 s).
    let served = zip(outcome.series(.apiRequests).values, shed).map { $0 - $1 }
    #expect(served[(herd + 11)..<(herd + 100)].allSatisfy { $0 <= 2_000 * 1.001 })
    // What saturates first, and for how long.
    let first = try #require(outcome.sizing.saturatesFirst)
    #expect(first.tier == .api && first.pool == "every region" && abs(first.fromSeconds - Double(herd)) < 1)
    #expect(first.seconds > 10 && first.seconds < 120)
    // Through this storm nothing would be shed with five instances: 50 instance-seconds within 10 s.
    let api = try #require(outcome.sizing.tiers.first { $0.tier == .api })
    #expect(api.atWorstStorm?.instances == 5 && api.worstStorm == 0)
    // capacity.json says the same.
    let json = outcome.json(reproducible: true).pretty
    #expect(json.contains("\"saturation\"") && json.contains("\"atWorstStorm\"") && json.contains("\"apiShedPerSecond\""))
  }

  /// Without servers the figures are those of unlimited capacity, and the plan plays them on servers sized
  /// for p99 to say how full those would be.
  @Test func withoutServersThePlanSaysWhatServersSizedForP99WouldDo() throws {
    let outcome = try plan(Self.herd.replacingOccurrences(of: "  servers: {api: {instances: 2, requestsPerSecond: 1000, timeout: 10s}}\n", with: ""))
    #expect(outcome.series(.apiShed).stats.peak == 0)
    #expect(!outcome.sizing.saturationOnStatedServers)
    let api = try #require(outcome.sizing.tiers.first { $0.tier == .api })
    // One instance of four CPUs (Unleash Edge's 95,838 requests/s) takes the 50,000 in its queue.
    #expect(api.atP99.instances == 1 && api.atP99.cores == 4)
    #expect(abs(api.utilization.peak - 50_000.0 / 95_838) < 0.01, "the herd's second: \(api.utilization.peak)")
    #expect(outcome.sizing.saturatesFirst == nil)
  }
}
