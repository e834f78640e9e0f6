import Telemetry
import Foundation
import Rollout
import Testing

@Suite struct PolicyDecodingTests {
  @Test func releasePlanWithDefaults() throws {
    let policy = try decodePolicy(
      #"{"name": "guarded", "kind": "release-plan", "milestones": [{"cohorts": ["internal"], "minDwell": "30m", "minSample": 500}, {"rollout": 10}]}"#)
    #expect(policy.kind == .releasePlan)
    #expect(policy.milestones.count == 2)
    #expect(policy.milestones[0].minDwell == .minutes(30))
    #expect(policy.milestones[0].minSample == 500)
    #expect(policy.milestones[1].minDwell == .zero)
    #expect(policy.milestones[1].maxDwell == nil)
    #expect(policy.cumulative)
    #expect(policy.rollBackTo == .previous)
    #expect(policy.stickiness == "default")
    #expect(policy.groupId == nil)
    #expect(policy.gates.isEmpty && policy.safeguards.isEmpty && policy.alerts.isEmpty)
    #expect(policy.onCall.responseTime == .lognormal(median: .minutes(20), sigma: 0.8))
    #expect(policy.onCall.onPause == .judge)
    #expect(policy.onCall.onAlert == .kill)
    let controller = try ReleaseController(policy: policy, subject: standardSubject(), seed: 1)
    #expect(controller.plan.milestones.map(\.name) == ["internal", "10%"])
  }

  @Test func everyKind() throws {
    let bigBang = try decodePolicy(
      #"""
      {"name": "yolo", "kind": "big-bang",
       "alerts": [{"metric": "errorRate", "condition": "> 0.02", "for": "10m"}],
       "onCall": {"responseTime": {"distribution": "exponential", "mean": "15m"}, "onAlert": "fix", "fixTime": "2h"}}
      """#)
    #expect(bigBang.alerts[0].condition == Condition(.greater, 0.02))
    #expect(bigBang.alerts[0].for == .minutes(10))
    #expect(bigBang.alerts[0].population == .all)
    #expect(bigBang.onCall.responseTime == .exponential(mean: .minutes(15)))
    #expect(bigBang.onCall.fixTime == .fixed(.hours(2)))

    let ramp = try decodePolicy(#"{"name": "ramp", "kind": "time-ramp", "steps": [10, 50, 100], "interval": "1h"}"#)
    #expect(ramp.steps == [10, 50, 100])
    #expect(ramp.interval == .hours(1))
    let defaultRamp = try decodePolicy(#"{"name": "ramp", "kind": "time-ramp"}"#)
    #expect(defaultRamp.steps == [25, 50, 75, 100])
    #expect(defaultRamp.interval == .minutes(30))

    let push = try decodePolicy(
      #"{"name": "push", "kind": "staged-push", "rings": ["internal", {"name": "beta", "bake": "2h", "minSample": 100}, {"name": "rest", "rollout": 100}], "gates": [{"kind": "guard", "threshold": 0.02}]}"#)
    #expect(push.rings.map(\.name) == ["internal", "beta", "rest"])
    #expect(push.rings[1].bake == .hours(2))
    #expect(push.rings[2].rollout == 100)
    #expect(push.bake == .hours(1))
    #expect(push.ringProperty == "cohort")
    let controller = try ReleaseController(policy: push, subject: standardSubject(), seed: 1)
    #expect(controller.plan.milestones.map(\.minDwell) == [.hours(1), .hours(2), .hours(1)])

    let plan = try decodePolicy(
      #"""
      {"name": "plan", "kind": "release-plan", "groupId": "g", "rollBackTo": "base",
       "milestones": [{"name": "one", "rollout": 1, "maxDwell": "6h"},
                      {"strategies": [{"name": "flexibleRollout", "parameters": {"rollout": 50},
                                       "constraints": [{"contextName": "region", "operator": "IN", "values": ["eu"]}]}]}],
       "gates": [{"kind": "threshold", "success": "<= 0.02", "failure": {"operator": ">", "threshold": 0.05}, "failureLimit": 2, "count": 5, "interval": "5m"},
                 {"name": "flagger", "kind": "threshold", "semantics": "flagger", "thresholdRange": {"max": 0.02}, "maxFailedChecks": 3},
                 {"kind": "sprt", "metric": "failureRate", "baseline": 0.01, "effect": 1.5, "cohorts": ["beta"]},
                 {"kind": "anytime-valid", "alpha": 0.01, "stratify": false},
                 {"kind": "cusum", "threshold": 8, "onFail": "rollback"},
                 {"kind": "guard", "metric": "silence", "compare": "difference", "threshold": 0.1, "windows": 2}],
       "safeguards": [{"metric": "errorRate", "operator": ">", "threshold": 0.05, "timeRange": "day", "action": "disableFeatureEnvironment"}]}
      """#)
    #expect(plan.gates.map(\.kind) == [.threshold, .threshold, .sprt, .anytimeValid, .cusum, .guard])
    #expect(plan.gates[0].success == Condition(.lessOrEqual, 0.02))
    #expect(plan.gates[0].failure == Condition(.greater, 0.05))
    #expect(plan.gates[4].onFail == .rollBack)
    #expect(plan.safeguards[0].timeRange == .days(1))
    #expect(plan.safeguards[0].action == .kill)
    #expect(plan.safeguards[0].population == .all)
    #expect(plan.rollBackTo == .base)
    let built = try ReleaseController(policy: plan, subject: standardSubject(), seed: 1)
    #expect(built.gates.map(\.name) == ["threshold", "flagger", "sprt", "anytime-valid", "cusum", "guard"])
    // The anytime-valid test watches the whole release by default, after the last milestone too.
    #expect(built.gates.map(\.activity) == [.rollout, .rollout, .rollout, .always, .monitoring, .always])
    #expect(built.plan.milestones[1].state.features[0].strategies?[1].parameters?["groupId"] == "g")
  }

  /// Decoding errors, as the Scenario module reports them: the path of the field, relative to the policy.
  @Test(arguments: [
    (#"{"name": "p", "kind": "big-bag"}"#, "kind", "unknown value 'big-bag'"),
    (#"{"kind": "big-bang"}"#, "name", "missing"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}, {"rollout": 5, "minDwel": "1h"}]}"#, "milestones[1].minDwel", "unknown field"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1, "minDwell": "an hour"}]}"#, "milestones[0].minDwell", "is not a duration"),
    (#"{"name": "p", "kind": "time-ramp", "interval": 3600}"#, "interval", "a duration needs a unit: write 3600s"),
    (#"{"name": "p", "kind": "time-ramp", "gates": [{"kind": "guard", "threshold": 1}]}"#, "gates", "no automated health checks"),
    (#"{"name": "p", "kind": "big-bang", "milestones": []}"#, "milestones", "applies to release-plan"),
    (#"{"name": "p", "kind": "release-plan", "gates": [{"kind": "threshold", "alpha": 0.1}]}"#, "gates[0].alpha", "does not apply to a threshold gate"),
    (#"{"name": "p", "kind": "release-plan", "gates": [{"kind": "guard", "failure": ">> 3"}]}"#, "gates[0].failure", "expected a condition"),
    (#"{"name": "p", "kind": "release-plan", "onCall": {"responseTime": {"distribution": "gamma"}}}"#, "onCall.responseTime.distribution", "unknown value 'gamma'"),
    (#"{"name": "p", "kind": "release-plan", "onCall": {"responseTime": {"distribution": "uniform", "min": "1h", "max": "5m"}}}"#, "onCall.responseTime.max", "below min"),
    (#"{"name": "p", "kind": "release-plan", "safeguards": [{"metric": "errorRate", "threshold": 1, "action": "explode"}]}"#, "safeguards[0].action", "unknown action"),
    (#"{"name": "p", "kind": "release-plan", "gates": [{"kind": "cusum", "arl": "30d"}]}"#, "gates[0].arl", "did you mean 'arl0'?"),
    (#"{"name": "p", "kind": "release-plan", "gates": [{"kind": "sprt", "arl0": "30d"}]}"#, "gates[0].arl0", "does not apply to a sprt gate"),
    (#"{"name": "p", "kind": "release-plan", "gates": [{"kind": "cusum", "arl0": 30}]}"#, "gates[0].arl0", "a duration needs a unit"),
    (#"{"name": "p", "kind": "release-plan", "holdout": {"share": 0.05, "bak": "1d"}}"#, "holdout.bak", "did you mean 'bake'?"),
    (#"{"name": "p", "kind": "big-bang", "holdout": {"share": 0.05}}"#, "holdout", "applies to release-plan, staged-push"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"region": ["eu"]}]}"#, "milestones[0].region", "did you mean 'regions'?"),
  ] as [(String, String, String)])
  func decodingErrorsNameThePath(json: String, path: String, message: String) {
    do {
      _ = try decodePolicy(json)
      Issue.record("decoded \(json)")
    } catch let error as DecodingError {
      let policyError = PolicyError(error)
      #expect(policyError.path == path)
      #expect(policyError.message.contains(message), "\(policyError)")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  /// Validation errors, raised when the controller is built: the path of the field, relative to the policy.
  @Test(arguments: [
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "sprt"}, {"kind": "sprt", "baseline": 1.5}]}"#, "gates[1].baseline"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "sprt"}, {"kind": "sprt"}]}"#, "gates[1].name"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "sprt", "metric": "latencyP99"}]}"#, "gates[0].metric"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "guard", "cohorts": ["nope"], "threshold": 1}]}"#, "gates[0].cohorts[0]"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "threshold"}]}"#, "gates[0]"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "threshold", "semantics": "flagger", "failureLimit": 1, "thresholdRange": {"max": 1}}]}"#, "gates[0].failureLimit"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "guard", "threshold": 1, "onFail": "advance"}]}"#, "gates[0].onFail"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1, "minDwell": "2h", "maxDwell": "1h"}]}"#, "milestones[0].maxDwell"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "alerts": [{"condition": "> 1", "compare": "ratio"}]}"#, "alerts[0].compare"),
    (#"{"name": "", "kind": "big-bang"}"#, "name"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "cusum", "threshold": 5, "arl0": "30d"}]}"#, "gates[0].arl0"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "cusum", "arl0": "30s"}]}"#, "gates[0].arl0"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "gates": [{"kind": "anytime-valid", "drift": 3}]}"#, "gates[0].drift"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "holdout": {"share": 0.025}}"#, "holdout.share"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "holdout": {"share": 0.6}}"#, "holdout.share"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"rollout": 1}], "holdout": {"share": 0.05, "bake": "400d"}}"#, "holdout.bake"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"regions": ["mars"]}]}"#, "milestones[0].regions[0]"),
    (#"{"name": "p", "kind": "release-plan", "milestones": [{"regions": []}]}"#, "milestones[0].regions"),
  ] as [(String, String)])
  func validationErrorsNameThePath(json: String, path: String) throws {
    let policy = try decodePolicy(json)
    do {
      var subject = standardSubject()
      subject.regionNames = ["eu-west", "us-east"]
      _ = try ReleaseController(policy: policy, subject: subject, seed: 1)
      Issue.record("accepted \(json)")
    } catch {
      #expect(error.path == path, "\(error)")
    }
  }

  @Test func timeSpans() {
    #expect(TimeSpan("1h30m") == .minutes(90))
    #expect(TimeSpan("250ms") == .milliseconds(250))
    #expect(TimeSpan("1.5h") == .minutes(90))
    #expect(TimeSpan("2d") == .days(2))
    #expect(TimeSpan("10") == nil)
    #expect(TimeSpan("5 minutes") == nil)
    #expect(TimeSpan.minutes(90).description == "1h30m")
    #expect(TimeSpan.zero.description == "0s")
  }
}
