import FlagEngine
import Foundation

/// libFuzzer target: the delta stream (`{events: [...]}`) decoded, applied to a state and compiled.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDelta(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let data = Data(bytes: bytes, count: count)
  guard let delta = try? JSONDecoder().decode(ClientFeaturesDelta.self, from: data) else { return 0 }
  var state = ClientFeatures(features: [FeatureDefinition(name: "base", enabled: true)], segments: [])
  state.apply(delta)
  state.apply(delta)
  let compiled = FlagState(state)
  var context = EvaluationContext(Context(userId: "7"))
  for name in compiled.flagNames.prefix(64) { _ = compiled.variant(name, in: &context) }
  return 0
}
