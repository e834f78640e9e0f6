import Foundation

@testable import Capacity
@testable import Scenario

/// A scenario for capacity tests: `devices` devices with the given sync entries, always online, for
/// `duration`, with a `capacity:` section.
func capacityScenario(devices: Int, sync: String, capacity: String = "", duration: String = "2h", regions: String? = nil) -> String {
  """
  name: capacity-test
  seed: 11
  start: 2026-03-02T06:00:00Z
  duration: \(duration)
  fleet:
    devices: \(devices)
    regions: \(regions ?? "[{name: eu, share: 1, utcOffset: 1}]")
    activity: {sessionsPerDay: {median: 6, spread: 0.5}}
    sync:
  \(sync.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
  flags:
    state:
      features:
        - name: new-checkout
          enabled: true
          strategies: [{name: flexibleRollout, parameters: {rollout: "10", groupId: new-checkout}}]
        - name: banner
          enabled: true
          strategies: [{name: default}]
  release: {flag: new-checkout}
  policies:
    - {name: big-bang, kind: big-bang}
  \(capacity.isEmpty ? "" : "capacity:\n" + capacity.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
  """
}

func plan(_ text: String) throws -> CapacityOutcome {
  let loaded = try loadScenario(text)
  return try CapacityPlanner.run(loaded)
}

/// Requests in bins `range` of a series of rates (rate × bin width).
func total(_ series: CapacitySeries, _ range: Range<Int>, resolution: Double = 1) -> Double {
  series.values[range].reduce(0, +) * resolution
}
