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
  /// Context `i` as Unleash's JSON, for the peer (scripts/peers/yggdrasil_eval.c).
  var contextJSON: (Int) -> String = { #"{"userId":"user-\#($0)"}"# }

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

  /// Times `evaluations` evaluations and `passes` passes of `hash` interleaved, in `chunks` turns each,
  /// so that both see the same moments of a shared machine. Returns nanoseconds per evaluation and per hash.
  func measure(evaluations: Int, against hash: HashWorkload, passes: Int, chunks: Int) -> (eval: Double, hash: Double, checksum: UInt32) {
    var contexts = self.contexts
    _ = run(evaluations: min(evaluations, contexts.count), contexts: &contexts)
    var checksum = hash.hashAll()  // warms the keys too; not counted
    checksum = 0
    var position = (context: 0, flag: 0)
    var evalTime: UInt64 = 0
    var hashTime: UInt64 = 0
    var enabled = 0
    for chunk in 0..<chunks {
      let count = evaluations / chunks + (chunk < evaluations % chunks ? 1 : 0)
      let t0 = DispatchTime.now().uptimeNanoseconds
      enabled &+= evaluateInTurn(
        state, flags: flags, contexts: &contexts, askVariant: askVariant, evaluations: count, position: &position)
      let t1 = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<(passes / chunks + (chunk < passes % chunks ? 1 : 0)) { checksum &+= hash.hashAll() }
      let t2 = DispatchTime.now().uptimeNanoseconds
      evalTime += t1 - t0
      hashTime += t2 - t1
    }
    precondition(enabled >= 0)
    return (Double(evalTime) / Double(evaluations), Double(hashTime) / Double(hash.keys * passes), checksum)
  }

  /// Times evaluations through the batch API, `batch` at a time (see `evaluateInBatches`), then counts
  /// allocations over a second, shorter run.
  func measure(batch: Int, evaluations: Int) -> Result {
    var contexts = self.contexts
    var results: [Bool] = []
    _ = evaluateInBatches(state, flags: flags, contexts: &contexts, batch: batch, evaluations: min(evaluations, contexts.count), results: &results)
    let start = DispatchTime.now().uptimeNanoseconds
    let (enabled, done) = evaluateInBatches(state, flags: flags, contexts: &contexts, batch: batch, evaluations: evaluations, results: &results)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    var counted = 0
    let mallocs = AllocationCounter.count {
      counted = evaluateInBatches(state, flags: flags, contexts: &contexts, batch: batch, evaluations: min(evaluations, 200_000), results: &results).evaluations
    }
    return Result(
      nanosecondsPerEvaluation: elapsed / Double(done),
      mallocsPerEvaluation: mallocs.map { Double($0) / Double(counted) },
      enabledFraction: Double(enabled) / Double(done))
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
      return EvalWorkload(
        name: name, state: state, contexts: contexts, flags: [flag], askVariant: false, contextJSON: ConstrainedCase.contextJSON)
    case "large-state":
      let state = FlagState(LargeState.make(features: 350, seed: 42))
      var random = SplitMix64(seed: 7)
      let all = state.flagHandles
      let flags = (0..<65_536).map { _ in all[Int(random.next(below: UInt32(all.count)))] }
      return EvalWorkload(
        name: name, state: state, contexts: LargeState.contexts(count: count), flags: flags, askVariant: false,
        contextJSON: LargeState.contextJSON)
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
    return EvalWorkload(
      name: path, state: state, contexts: LargeState.contexts(count: count), flags: flags, askVariant: false,
      contextJSON: LargeState.contextJSON)
  }

  /// The files `writePeerCase(to:)` writes for case `name`.
  static func peerCaseFiles(_ name: String) -> [String] {
    ["\(name).state.json", "\(name).contexts.jsonl", "\(name).flags.txt"]
  }

  /// Writes the work for the peer into `directory`: `<case>.state.json` (the state), `<case>.contexts.jsonl`
  /// (the contexts in the order they are taken, one JSON object a line) and `<case>.flags.txt` (the flag
  /// names in the order they are asked for).
  func writePeerCase(to directory: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let folder = URL(fileURLWithPath: directory)
    let names = state.flagNames
    let files = zip(Self.peerCaseFiles(name), [
      try encoder.encode(state.definition),
      Data(((0..<contexts.count).map(contextJSON).joined(separator: "\n") + "\n").utf8),
      Data((flags.map { names[$0.index] }.joined(separator: "\n") + "\n").utf8),
    ])
    for (file, data) in files {
      do {
        try data.write(to: folder.appendingPathComponent(file), options: .withoutOverwriting)
      } catch {
        throw Failure.input("\(folder.appendingPathComponent(file).path): cannot write it (it exists, or the folder is missing or read-only)")
      }
    }
  }
}
