import Foundation
import Testing

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

  @Test func retryAcceptsBooleansAndFractions() throws {
    let text = Self.base.replacingOccurrences(of: "until: 40m}", with: "until: 40m, retry: {jitter: false, max: 2m}}")
    let loaded = try loadScenario(text)
    let capacity = try #require(loaded.definition.capacity)
    let policy = capacity.retry(of: capacity.storms[0])
    #expect(policy.jitter == 0 && policy.max.seconds == 120 && policy.initial.seconds == 1 && policy.multiplier == 2)
    #expect(capacity.retry.jitter == 1, "the default is full jitter")
  }
}
