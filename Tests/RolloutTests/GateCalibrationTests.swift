import Foundation
import Rollout
import Telemetry
import Testing

/// Each gate's false-rollback rate over whole healthy releases: the standard release of
/// `GateCalibration` (seven milestones by cohort, region and percentage over two days, cohorts with base
/// rates of their own, regions drifting apart day by day with noise 0.1), gates at their defaults.
///
/// Releases per gate: `ROLLSIM_GATE_RELEASES` (default 500; `rollsim bench gates` runs more).
@Suite struct GateCalibrationTests {
  static let releases = UInt64(ProcessInfo.processInfo.environment["ROLLSIM_GATE_RELEASES"].flatMap { Int($0) } ?? 500)

  /// The gates with a budget: rate <= budget + 2 standard errors.
  @Test(arguments: ["anytime-valid", "sprt", "cusum"])
  func wholeReleaseFalseRollbacksStayWithinAlpha(label: String) throws {
    let subject = try #require(GateCalibration.subjects.first { $0.label == label })
    var memberships = MembershipTable()
    let trial = try GateCalibration.trial(subject.gate, degradation: 1, seeds: 0..<Self.releases, memberships: &memberships)
    let budget = try #require(GateCalibration.budget(subject.gate, activeSeconds: trial.longestActiveSeconds))
    print(
      "\(label): \(trial.stopped)/\(trial.releases) healthy releases stopped (\(trial.rate)); budget \(budget), "
        + "active up to \(trial.longestActiveSeconds / 3600) h")
    #expect(trial.rate <= budget + 2 * trial.standardError, "\(label): \(trial.stopped)/\(trial.releases) > \(budget)")
  }

  /// Power, briefly (`rollsim bench gates` measures it in full): five times the error rate is stopped in
  /// every release within an hour, at the first milestone, by the gates that watch the rollout; twice
  /// the error rate by the anytime-valid test once a milestone leaves a control (10% of everyone, 14
  /// hours in: the cohort and region milestones before it have no control, and a before/after
  /// comparison cannot tell a doubling from drift).
  @Test(arguments: [("anytime-valid", 5.0), ("sprt", 5.0), ("anytime-valid", 2.0)])
  func degradedReleasesAreStopped(label: String, degradation: Double) throws {
    let subject = try #require(GateCalibration.subjects.first { $0.label == label })
    var memberships = MembershipTable()
    let trial = try GateCalibration.trial(subject.gate, degradation: degradation, seeds: 1_000..<1_050, memberships: &memberships)
    let p95 = GateCalibration.Trial.quantile(trial.delays, 0.95) ?? .infinity
    print("\(label) at \(degradation)x: \(trial.stopped)/\(trial.releases) stopped, p95 delay \(p95 / 3600) h")
    #expect(trial.stopped == trial.releases)
    #expect(p95 <= (degradation == 5 ? 3600 : 16 * 3600))
  }
}
