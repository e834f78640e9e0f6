import FlagEngine

/// The `constrained` case: `../shared/bench/constrained-state.json`, flag `constrained`, over the contexts
/// {userId: user-<i>, properties: {hw: <i % 4>, fw: <1 + i % 3>.<i % 10>.0, region: eu-west}} taken in
/// turn (enabled fraction 0.2498 over 100,000). `rollsim bench eval`, the package-benchmark target (which
/// links this file) and the yggdrasil peer (scripts/peers/yggdrasil_eval.c) all build these contexts.
enum ConstrainedCase {
  static let flagName = "constrained"

  static func contexts(count: Int) -> [EvaluationContext] {
    let hw = ContextField(property: "hw")
    let fw = ContextField(property: "fw")
    let region = ContextField(property: "region")
    return (0..<count).map { i in
      var context = EvaluationContext(seed: UInt64(i))
      context[.userId] = "user-\(i)"
      context[hw] = "\(i % 4)"
      context[fw] = "\(1 + i % 3).\(i % 10).0"
      context[region] = "eu-west"
      return context
    }
  }

  /// Context `i` as Unleash's JSON, for the peer.
  static func contextJSON(_ i: Int) -> String {
    #"{"userId":"user-\#(i)","properties":{"hw":"\#(i % 4)","fw":"\#(1 + i % 3).\#(i % 10).0","region":"eu-west"}}"#
  }
}
