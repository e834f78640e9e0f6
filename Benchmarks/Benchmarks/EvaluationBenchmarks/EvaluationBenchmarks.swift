import Benchmark
import BenchmarkGate
import FlagEngine
import Foundation

/// Flag evaluation, the cases of `rollsim bench eval`: each iteration is 1,000 evaluations over contexts
/// built in advance and taken in turn (the figures are per evaluation). Evaluation must not allocate:
/// allocations are gated strictly; time loosely (a shared CI machine is noisy).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .rollsimGate

  for workload in Workload.all() {
    Benchmark("eval-\(workload.name)") { benchmark in
      blackHole(workload.run(evaluations: benchmark.scaledIterations.count))
    }
  }
}

/// A compiled state, contexts built in advance, and the flags asked for in turn.
final class Workload: @unchecked Sendable {
  let name: String
  let state: FlagState
  var contexts: [EvaluationContext]
  let flags: [FlagHandle]
  let askVariant: Bool
  /// Where the next iteration starts (iterations run one after another on one thread).
  var position = (context: 0, flag: 0)

  init(name: String, state: FlagState, contexts: [EvaluationContext], flags: [FlagHandle], askVariant: Bool = false) {
    self.name = name
    self.state = state
    self.contexts = contexts
    self.flags = flags
    self.askVariant = askVariant
  }

  /// Evaluates `evaluations` times, going on where the last iteration stopped; returns how many were enabled.
  func run(evaluations: Int) -> Int {
    evaluateInTurn(
      state, flags: flags, contexts: &contexts, askVariant: askVariant, evaluations: evaluations, position: &position)
  }

  /// The built-in cases of `rollsim bench eval`, built the same way.
  static func all() -> [Workload] {
    [
      inline("simple", #"{"name":"simple","enabled":true,"strategies":[{"name":"default"}]}"#),
      inline(
        "rollout",
        #"{"name":"rollout","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"rollout"}}]}"#),
      constrained(),
      inline(
        "variants", #"""
        {"name":"variants","enabled":true,"strategies":[{"name":"flexibleRollout",
          "parameters":{"rollout":"100","stickiness":"userId","groupId":"variants"},
          "variants":[{"name":"a","weight":250,"stickiness":"userId"},{"name":"b","weight":250,"stickiness":"userId"},
                      {"name":"c","weight":250,"stickiness":"userId"},{"name":"d","weight":250,"stickiness":"userId"}]}]}
        """#, askVariant: true),
      largeState(),
    ]
  }

  static func inline(_ name: String, _ feature: String, askVariant: Bool = false) -> Workload {
    let document = try! StateDocument.decode(Data((#"{"version":2,"features":["# + feature + "]}").utf8), source: name)
    let state = FlagState(document.resolved())
    let contexts = (0..<100_000).map { i in EvaluationContext(Context(userId: "user-\(i)"), seed: UInt64(i)) }
    return Workload(name: name, state: state, contexts: contexts, flags: [state.flag(name)!], askVariant: askVariant)
  }

  /// `../shared/bench/constrained-state.json` (beside the repository), flag `constrained`, over the
  /// 100,000 contexts {userId: user-<i>, properties: {hw: <i % 4>, fw: <1 + i % 3>.<i % 10>.0,
  /// region: eu-west}}. The state is inlined when the shared folder is absent, so the target runs anywhere.
  static func constrained() -> Workload {
    let shared = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/bench/constrained-state.json").path
    let document = (try? StateDocument.load(path: shared)) ?? (try! StateDocument.decode(Data(constrainedState.utf8), source: "inline"))
    let state = FlagState(document.resolved())
    let hw = ContextField(property: "hw")
    let fw = ContextField(property: "fw")
    let region = ContextField(property: "region")
    let contexts = (0..<100_000).map { i in
      var context = EvaluationContext(seed: UInt64(i))
      context[.userId] = "user-\(i)"
      context[hw] = "\(i % 4)"
      context[fw] = "\(1 + i % 3).\(i % 10).0"
      context[region] = "eu-west"
      return context
    }
    return Workload(name: "constrained", state: state, contexts: contexts, flags: [state.flag("constrained")!])
  }

  /// 350 flags with the mix of strategies and constraints of a large Unleash project, a random flag per call.
  static func largeState() -> Workload {
    let state = FlagState(LargeState.make(features: 350, seed: 42))
    var random = SplitMix64(seed: 7)
    let all = state.flagHandles
    let flags = (0..<65_536).map { _ in all[Int(random.next(below: UInt32(all.count)))] }
    return Workload(name: "large-state", state: state, contexts: LargeState.contexts(count: 100_000), flags: flags)
  }

  /// A copy of ../shared/bench/constrained-state.json.
  static let constrainedState = #"""
    {"version":2,"segments":[{"id":1,"name":"eu","constraints":[{"contextName":"region","operator":"STR_STARTS_WITH","values":["eu"]}]}],
    "features":[{"name":"constrained","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"constrained"},
    "constraints":[{"contextName":"hw","operator":"IN","values":["1","2","3"]},{"contextName":"fw","operator":"SEMVER_GTE","value":"2.0.0"},{"contextName":"hw","operator":"NUM_GT","value":"0"}],"segments":[1]}]}]}
    """#
}
