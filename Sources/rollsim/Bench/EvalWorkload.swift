import FlagEngine
import Foundation

/// A prepared evaluation workload: a compiled state, contexts built in advance, and which flag each
/// evaluation asks for.
struct EvalWorkload {
  let name: String
  let state: FlagState
  var contexts: [EvaluationContext]
  /// The flags asked for, in turn (one per evaluation, cycling).
  let flags: [FlagHandle]
  /// Ask for the variant instead of the enabled state.
  let askVariant: Bool

  static let names = ["simple", "rollout", "constrained", "variants", "large-state"]

  struct Result {
    let nanosecondsPerEvaluation: Double
    let mallocsPerEvaluation: Double?
    let enabledFraction: Double
  }

  /// Times `evaluations` evaluations, then counts allocations over a second, shorter run.
  func measure(evaluations: Int) -> Result {
    var contexts = self.contexts
    // Warm up: touch every context and the state once.
    var enabled = run(evaluations: min(evaluations, contexts.count), contexts: &contexts)
    let start = DispatchTime.now().uptimeNanoseconds
    enabled = run(evaluations: evaluations, contexts: &contexts)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    let counted = min(evaluations, 200_000)
    let mallocs = AllocationCounter.count { _ = run(evaluations: counted, contexts: &contexts) }
    return Result(
      nanosecondsPerEvaluation: elapsed / Double(evaluations),
      mallocsPerEvaluation: mallocs.map { Double($0) / Double(counted) },
      enabledFraction: Double(enabled) / Double(evaluations))
  }

  /// The loop being measured, from the first context and flag. Returns how many evaluations were enabled.
  func run(evaluations: Int, contexts: inout [EvaluationContext]) -> Int {
    var position = (context: 0, flag: 0)
    return evaluateInTurn(
      state, flags: flags, contexts: &contexts, askVariant: askVariant, evaluations: evaluations, position: &position)
  }

  static func builtIn(_ name: String, constrainedStatePath: String, contexts count: Int = 100_000) throws -> EvalWorkload {
    switch name {
    case "simple":
      return try inline(name, contexts: count, #"{"name":"simple","enabled":true,"strategies":[{"name":"default"}]}"#)
    case "rollout":
      return try inline(
        name, contexts: count, #"{"name":"rollout","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"rollout"}}]}"#)
    case "variants":
      return try inline(
        name, contexts: count, #"""
        {"name":"variants","enabled":true,"strategies":[{"name":"flexibleRollout",
          "parameters":{"rollout":"100","stickiness":"userId","groupId":"variants"},
          "variants":[{"name":"a","weight":250,"stickiness":"userId"},{"name":"b","weight":250,"stickiness":"userId"},
                      {"name":"c","weight":250,"stickiness":"userId"},{"name":"d","weight":250,"stickiness":"userId"}]}]}
        """#, askVariant: true)
    case "constrained":
      let state = FlagState(try StateDocument.load(path: constrainedStatePath).resolved())
      guard let flag = state.flag(ConstrainedCase.flagName) else {
        throw Failure.input("\(constrainedStatePath): has no flag '\(ConstrainedCase.flagName)'")
      }
      let contexts = ConstrainedCase.contexts(count: count)
      return EvalWorkload(name: name, state: state, contexts: contexts, flags: [flag], askVariant: false)
    case "large-state":
      let state = FlagState(LargeState.make(features: 350, seed: 42))
      var random = SplitMix64(seed: 7)
      let all = state.flagHandles
      let flags = (0..<65_536).map { _ in all[Int(random.next(below: UInt32(all.count)))] }
      return EvalWorkload(name: name, state: state, contexts: LargeState.contexts(count: count), flags: flags, askVariant: false)
    default:
      preconditionFailure("unknown case \(name)")
    }
  }

  static func inline(_ name: String, contexts count: Int, _ feature: String, askVariant: Bool = false) throws -> EvalWorkload {
    let document = try StateDocument.decode(Data((#"{"version":2,"features":["# + feature + "]}").utf8), source: name)
    let state = FlagState(document.resolved())
    let contexts = (0..<count).map { i in EvaluationContext(Context(userId: "user-\(i)"), seed: UInt64(i)) }
    return EvalWorkload(name: name, state: state, contexts: contexts, flags: [state.flag(name)!], askVariant: askVariant)
  }

  static func userState(path: String, contexts count: Int = 100_000) throws -> EvalWorkload {
    let state = FlagState(try StateDocument.load(path: path).resolved())
    let flags = state.flagHandles
    guard !flags.isEmpty else { throw Failure.input("\(path): the state has no flags") }
    return EvalWorkload(name: path, state: state, contexts: LargeState.contexts(count: count), flags: flags, askVariant: false)
  }
}
