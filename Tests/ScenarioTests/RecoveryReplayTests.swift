import Foundation
import Telemetry
import Testing

@testable import Scenario

/// The CrowdStrike replay (scenarios/crowdstrike-2024-channel-file-291.yaml) over its 12 days: repair
/// is a process. Published: over 97% of Windows sensors back online on 25 July (day 6), about 99% on 29
/// July (day 10), from a release on 19 July at 04:09 UTC. The scenario's repair parameters are fitted to
/// those two points; this holds them there, on a small fleet.
@Suite struct RecoveryReplayTests {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scenarios/crowdstrike-2024-channel-file-291.yaml")

  @Test func crowdStrikeHostsComeBackOverDaysNotAtOnce() throws {
    let loaded = try LoadedScenario.load(path: Self.file.path)
    // The run starts an hour before the release (the guards' before: `release.at: 1h`), and lasts the
    // 12 days of recovery after it; times below count from the release.
    let releasedAt = TimeSpan.hours(1).microseconds
    #expect(loaded.definition.duration.microseconds == releasedAt + TimeSpan.days(12).microseconds)
    let outcome = try ScenarioRunner.run(loaded, options: RunOptions(devices: 6_000, policies: ["big-bang"]))
    let result = try #require(outcome.policies.first).result
    #expect(result.devicesFailed > 3_000)
    // Down at the end of the window holding a time, as a share of the hosts that failed.
    func down(at time: TimeSpan) -> Double {
      let row = result.windows.first { $0.end.microseconds >= releasedAt + time.microseconds }!
      return Double(row.devicesDown) / Double(result.devicesFailed)
    }
    // At 6 hours most failed hosts are still down: technicians have only started.
    #expect(down(at: .hours(6)) > 0.5)
    // The published points, with room for a small fleet's noise (about 180 hosts at day 6).
    #expect((0.015...0.05).contains(down(at: .days(6))), "day 6: \(down(at: .days(6)))")
    #expect((0.003...0.02).contains(down(at: .days(10))), "day 10: \(down(at: .days(10)))")
    // At 12 days at most 2% are.
    #expect(down(at: .days(12)) <= 0.02)
    #expect(Double(result.devicesDownAtEnd) / Double(result.devicesFailed) <= 0.02)
    // Nearly every host needed a technician: the revert came after their few boots.
    #expect(Double(result.devicesNeedingManualRecovery) > 0.95 * Double(result.devicesFailed))
  }
}
