import FlagEngine
import Foundation

/// libFuzzer target: a flag state as `rollsim eval --state` reads it (client features, a delta, or an
/// Unleash export), compiled and evaluated. Any input must give a state or a FlagEngineError, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientFeatures(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let data = Data(bytes: bytes, count: count)
  var warnings: [String] = []
  guard let document = try? StateDocument.decode(data, source: "fuzz", warnings: &warnings) else { return 0 }
  let state = FlagState(document.resolved())
  var context = EvaluationContext(Context(userId: "7", sessionId: "s", remoteAddress: "10.0.0.1", properties: ["region": "eu"]))
  for name in state.flagNames.prefix(64) {
    _ = state.isEnabled(name, in: &context)
    _ = state.variant(name, in: &context)
  }
  return 0
}
