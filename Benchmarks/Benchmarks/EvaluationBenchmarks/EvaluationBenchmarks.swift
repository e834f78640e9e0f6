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

  /// The `constrained` case (`ConstrainedCase`), its state read from `../shared/bench/` beside the
  /// repository, as everywhere else: without it the target stops with a message.
  static func constrained() -> Workload {
    let shared = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/bench/constrained-state.json").path
    let state: FlagState
    do {
      state = FlagState(try StateDocument.load(path: shared).resolved())
    } catch {
      FileHandle.standardError.write(Data("EvaluationBenchmarks: \(error) (../shared must sit beside the repository)\n".utf8))
      exit(1)
    }
    guard let flag = state.flag(ConstrainedCase.flagName) else {
      FileHandle.standardError.write(Data("EvaluationBenchmarks: \(shared) has no flag '\(ConstrainedCase.flagName)'\n".utf8))
      exit(1)
    }
    return Workload(name: "constrained", state: state, contexts: ConstrainedCase.contexts(count: 100_000), flags: [flag])
  }

  /// 350 flags with the mix of strategies and constraints of a large Unleash project, a random flag per call.
  static func largeState() -> Workload {
    let state = FlagState(LargeState.make(features: 350, seed: 42))
    var random = SplitMix64(seed: 7)
    let all = state.flagHandles
    let flags = (0..<65_536).map { _ in all[Int(random.next(below: UInt32(all.count)))] }
    return Workload(name: "large-state", state: state, contexts: LargeState.contexts(count: 100_000), flags: flags)
  }
}
