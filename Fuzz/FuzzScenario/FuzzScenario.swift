import Foundation
import Scenario

/// libFuzzer target: the scenario loader. Any text must give a scenario or a ScenarioError, never a trap
/// or a hang. `file` is in a folder that does not exist, so a relative `flags.path` reads nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  _ = try? LoadedScenario.load(text: text, file: "/nonexistent-fuzz/scenario.yaml")
  return 0
}
