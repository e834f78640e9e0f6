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
