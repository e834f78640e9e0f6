import Delivery
import Foundation
import Testing

@testable import Capacity
@testable import Scenario

@Suite struct CapacityDefinitionTests {
  static let base = capacityScenario(
    devices: 1000, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0.1}",
    capacity: "storms: [{kind: apiOutage, from: 30m, until: 40m}]", duration: "6h")

  @Test(arguments: [
    ("until: 40m", "until: 20m", "scenario.yaml: capacity.storms[0].until: 20m is not after from (30m)"),
    ("kind: apiOutage", "kind: tornado", "scenario.yaml: capacity.storms[0].kind: 'tornado' is not a storm (expected apiOutage, apiRestart, edgeRestart, stateChange)"),
    ("storms: [", "frontend: {share: 1.5}\n  storms: [", "scenario.yaml: capacity.frontend.share: 1.5 is not a fraction in 0...1"),
    ("storms: [", "retry: {jitter: 2}\n  storms: [", "scenario.yaml: capacity.retry.jitter: 2 is not true, false or a fraction in 0...1"),
    ("until: 40m}", "until: 40m, retry: {max: 100ms}}", "scenario.yaml: capacity.storms[0].retry.max: 100ms is shorter than initial (1s)"),
    ("storms: [", "resolution: 150ms\n  storms: [", "scenario.yaml: capacity.resolution: 150ms is not a multiple of the model's tick (100ms for a run of 6h)"),
    ("storms: [", "streaming: {via: cloud}\n  storms: [", "scenario.yaml: capacity.streaming.via: 'cloud' is not a tier (expected api or edge)"),
    ("storms: [", "streaming: {via: edge}\n  storms: [", "scenario.yaml: capacity.streaming.via: edge needs edge caches: fleet.sync has no entry with model: edge"),
    ("until: 40m}]", "until: 40m}, {kind: apiRestart, at: 35m}]", "scenario.yaml: capacity.storms[1]: overlaps storms[0] (30m to 40m); storms with a window must not overlap"),
    ("{kind: apiOutage, from: 30m, until: 40m}", "{kind: stateChange, at: 9h}", "scenario.yaml: capacity.storms[0].at: 9h is not within the run (6h)"),
    ("{kind: apiOutage, from: 30m, until: 40m}", "{kind: stateChange, at: 1h, retry: {initial: 1s}}", "scenario.yaml: capacity.storms[0].retry: a stateChange fails no request, so it has no retry policy"),
    ("{kind: apiOutage, from: 30m, until: 40m}", "{kind: edgeRestart, at: 1h}", "scenario.yaml: capacity.storms[0].kind: edgeRestart needs edges"),
    ("{kind: apiOutage, from: 30m, until: 40m}", "{kind: apiRestart, at: 1h, down: 0s}", "scenario.yaml: capacity.storms[0].down: must be greater than 0"),
    ("{kind: apiOutage, from: 30m, until: 40m}", "{kind: apiOutage, at: 1h}", "scenario.yaml: capacity.storms[0].at: an apiOutage is given by from and until, not at"),
    ("until: 40m}", "until: soon}", "scenario.yaml: capacity.storms[0].until: 'soon' is not a duration"),
    ("storms: [", "headroom: -1\n  storms: [", "scenario.yaml: capacity.headroom: -1 is not a fraction of spare capacity in 0...10"),
    ("storms: [", "frontend: {share: 0.5, refresh: 100ms}\n  storms: [", "scenario.yaml: capacity.frontend.refresh: 100ms is shorter than 1s"),
    ("storms: [", "payload: {bytes: -5}\n  storms: [", "scenario.yaml: capacity.payload.bytes: -5 is not a size in 0...1000000000 bytes"),
  ])
  func badSectionsAreRefusedWithTheFieldPath(_ edit: (String, String, String)) throws {
    let (from, to, expected) = edit
    #expect(Self.base.contains(from), "the fixture must contain \(from)")
    #expect(try refusal(Self.base) == nil)
    // The line and column are checked in ScenarioLoadingTests; here, the path and the problem.
    let message = try refusal(Self.base.replacingOccurrences(of: from, with: to))?
      .replacingOccurrences(of: #"^scenario\.yaml:\d+:\d+:"#, with: "scenario.yaml:", options: .regularExpression)
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  /// Without a resolution a plan's bins are 1 s, or the model's tick where a long run's is coarser: a
  /// scenario of two weeks (its tick 1.3 s) loads without saying one; given, it must fit the tick.
  @Test func theDefaultResolutionFitsALongRunsTick() throws {
    let long = Self.base.replacingOccurrences(of: "duration: 6h", with: "duration: 14d6h")
    let capacity = try #require(try loadScenario(long).definition.capacity)
    #expect(capacity.resolution == nil)
    #expect(capacity.resolution(duration: .hours(14 * 24 + 6)) == .milliseconds(1_300))
    #expect(capacity.resolution(duration: .hours(6)) == .seconds(1))
    let message = try refusal(long.replacingOccurrences(of: "storms: [", with: "resolution: 1s\n  storms: ["))
    #expect(message?.contains("capacity.resolution: 1s is not a multiple of the model's tick (1s300ms for a run of 14d6h)") == true)
  }

  @Test func retryAcceptsBooleansAndFractions() throws {
    let text = Self.base.replacingOccurrences(of: "until: 40m}", with: "until: 40m, retry: {jitter: false, max: 2m}}")
    let loaded = try loadScenario(text)
    let capacity = try #require(loaded.definition.capacity)
    let policy = try #require(capacity.retry(of: capacity.storms[0]))
    #expect(policy == .exponential(ExponentialBackoff(initial: .seconds(1), max: .seconds(120), multiplier: 2, jitter: 0)))
    #expect(capacity.retry == .standard, "the default is full jitter")
  }
}

/// The delivery path's new fields are read as strictly as the rest.
@Suite struct DeliveryDefinitionTests {
  static let base = CapacityDefinitionTests.base

  @Test(arguments: [
    ("storms: [", "servers: {edge: {instances: 4}}\n  storms: [", "scenario.yaml: capacity.servers.edge.instances: the edges are the fleet's: set edgesPerRegion in fleet.sync"),
    ("storms: [", "servers: {api: {cores: 2}}\n  storms: [", "scenario.yaml: capacity.servers.api: give instances (serving every region) or instancesPerRegion"),
    ("storms: [", "servers: {api: {instances: 2, instancesPerRegion: 1}}\n  storms: [", "scenario.yaml: capacity.servers.api.instancesPerRegion: give instances or instancesPerRegion, not both"),
    ("storms: [", "servers: {api: {instances: 2, cores: 16}}\n  storms: [", "scenario.yaml: capacity.servers.api.cores: 16 is not a number of CPUs per instance (the published rows) in 0.1...8"),
    ("storms: [", "servers: {api: {instances: 2, cores: 2, requestsPerSecond: 100}}\n  storms: [", "scenario.yaml: capacity.servers.api.requestsPerSecond: give cores (Unleash Edge's published rate) or requestsPerSecond, not both"),
    ("storms: [", "servers: {api: {instances: 2, timeout: 1h}}\n  storms: [", "scenario.yaml: capacity.servers.api.timeout: 1h is not a duration in 10ms...10m"),
    ("storms: [", "servers: {edge: {cores: 1}}\n  storms: [", "scenario.yaml: capacity.servers.edge: the fleet has no edges"),
    ("storms: [", "servers: {api: {instances: 2, core: 2}}\n  storms: [", "scenario.yaml: capacity.servers.api.core: unknown field 'core'; did you mean 'cores'?"),
    ("until: 40m}", "until: 40m, answer: refusd}", "scenario.yaml: capacity.storms[0].answer: 'refusd' is not an answer of an unavailable tier (expected unavailable, refused, reset); did you mean 'refused'?"),
    ("until: 40m}", "until: 40m, retry: {rule: unleash-nod}}", "scenario.yaml: capacity.storms[0].retry.rule: 'unleash-nod' is not a retry rule (expected exponential or unleash-node); did you mean 'unleash-node'?"),
    ("until: 40m}", "until: 40m, retry: {rule: unleash-node, max: 1m}}", "scenario.yaml: capacity.storms[0].retry.max: the unleash-node rule is the SDK's own and has no 'max'"),
    ("jitter: 0.1}", "jitter: 0.1, retry: {initial: 5ms}}", "scenario.yaml: fleet.sync[0].retry.initial: 5ms is shorter than 10ms"),
    ("jitter: 0.1}", "jitter: 0.1, retry: {initial: 2m}}", "scenario.yaml: fleet.sync[0].retry.max: 1m is shorter than initial (2m)"),
    ("jitter: 0.1}", "jitter: 0.1, refreshJitter: 0.2}", "scenario.yaml: fleet.sync[0].refreshJitter: unknown field 'refreshJitter'"),
    ("kind: big-bang}", "kind: big-bang, retry: {jitter: 3}}", "scenario.yaml: policies[0].retry.jitter: 3 is not true, false or a fraction in 0...1"),
  ])
  func badFieldsAreRefusedWithTheirPath(_ edit: (String, String, String)) throws {
    let (from, to, expected) = edit
    #expect(Self.base.contains(from), "the fixture must contain \(from)")
    let message = try refusal(Self.base.replacingOccurrences(of: from, with: to))?
      .replacingOccurrences(of: #"^scenario\.yaml:\d+:\d+:"#, with: "scenario.yaml:", options: .regularExpression)
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "loaded")")
  }

  /// An SDK class's rule refines the section's; a storm's replaces it for those it catches.
  @Test func rulesRefineEachOther() throws {
    let text = Self.base
      .replacingOccurrences(of: "jitter: 0.1}", with: "jitter: 0.1, retry: {rule: unleash-node}}")
      .replacingOccurrences(of: "until: 40m}", with: "until: 40m, answer: refused}")
    let loaded = try loadScenario(text)
    let capacity = try #require(loaded.definition.capacity)
    let entry = loaded.definition.fleet.sync[0]
    #expect(capacity.rule(entry.retry) == .unleashNode)
    #expect(capacity.storms[0].answer == .refused && capacity.retry(of: capacity.storms[0]) == nil)
    #expect(capacity.rule(entry.retry, in: capacity.storms[0]) == .unleashNode, "a storm without a rule leaves each client's")
    let edge = try loadScenario(
      Self.base.replacingOccurrences(
        of: "{model: polling, share: 1, interval: 15s, jitter: 0.1}",
        with: "{model: edge, share: 1, interval: 30s, jitter: 0.2, refresh: 10s, refreshJitter: 0.1, edgesPerRegion: 2}"))
    guard case .edge(let model) = edge.definition.fleet.sync[0].model else { Issue.record("not an edge model"); return }
    #expect(model.jitter == 0.2 && model.refreshJitter == 0.1)
  }
}
