import FlagEngine

/// The loop every evaluation benchmark measures, `rollsim bench eval`'s and package-benchmark's
/// (`Benchmarks/.../EvaluationBenchmarks` links this file): `evaluations` evaluations, the flags and the
/// contexts each taken in turn from `position`, which it advances. Returns how many were enabled.
@inline(never)
func evaluateInTurn(
  _ state: FlagState, flags: [FlagHandle], contexts: inout [EvaluationContext], askVariant: Bool,
  evaluations: Int, position: inout (context: Int, flag: Int)
) -> Int {
  var contextIndex = position.context
  var flagIndex = position.flag
  let enabled = flags.withUnsafeBufferPointer { flags in
    contexts.withUnsafeMutableBufferPointer { contexts in
      var enabled = 0
      if flags.count == 1 && !askVariant {
        // One flag: the same loop without taking flags in turn.
        let flag = flags[0]
        for _ in 0..<evaluations {
          if state.isEnabled(flag, in: &contexts[contextIndex]) { enabled += 1 }
          contextIndex += 1
          if contextIndex == contexts.count { contextIndex = 0 }
        }
        return enabled
      }
      for _ in 0..<evaluations {
        let flag = flags[flagIndex]
        if askVariant {
          if state.variant(flag, in: &contexts[contextIndex]).enabled { enabled += 1 }
        } else if state.isEnabled(flag, in: &contexts[contextIndex]) {
          enabled += 1
        }
        contextIndex += 1
        if contextIndex == contexts.count { contextIndex = 0 }
        flagIndex += 1
        if flagIndex == flags.count { flagIndex = 0 }
      }
      return enabled
    }
  }
  position = (contextIndex, flagIndex)
  return enabled
}

/// The batch loop of `rollsim bench eval`: `evaluations` evaluations (rounded up to whole batches) through
/// the batch API, `batch` at a time. With one flag, the flag for `batch` contexts in turn (a fleet
/// adopting a state); with several, `batch` flags in turn for one context, then the next context (an edge
/// answering a request). Returns how many were enabled and how many evaluations were made.
@inline(never)
func evaluateInBatches(
  _ state: FlagState, flags: [FlagHandle], contexts: inout [EvaluationContext], batch: Int, evaluations: Int,
  results: inout [Bool]
) -> (enabled: Int, evaluations: Int) {
  if results.count < batch { results = Array(repeating: false, count: batch) }
  var enabled = 0
  var done = 0
  flags.withUnsafeBufferPointer { flags in
    contexts.withUnsafeMutableBufferPointer { contexts in
      results.withUnsafeMutableBufferPointer { results in
        var contextIndex = 0
        var flagIndex = 0
        while done < evaluations {
          if flags.count == 1 {
            let count = min(batch, contexts.count - contextIndex)
            let window = UnsafeMutableBufferPointer(rebasing: contexts[contextIndex..<contextIndex + count])
            enabled += state.isEnabled(flags[0], in: window, into: results)
            done += count
            contextIndex += count
            if contextIndex == contexts.count { contextIndex = 0 }
          } else {
            let count = min(batch, flags.count - flagIndex)
            let window = UnsafeBufferPointer(rebasing: flags[flagIndex..<flagIndex + count])
            enabled += state.isEnabled(window, in: &contexts[contextIndex], into: results)
            done += count
            flagIndex += count
            if flagIndex == flags.count { flagIndex = 0 }
            contextIndex += 1
            if contextIndex == contexts.count { contextIndex = 0 }
          }
        }
      }
    }
  }
  return (enabled, done)
}
