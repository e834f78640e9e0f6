import FlagEngine

/// libFuzzer target: the Rust-compatible regex compiler and matcher. Input: flags byte, pattern, NUL, text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  guard count > 0 else { return 0 }
  let input = UnsafeBufferPointer(start: bytes + 1, count: count - 1)
  let split = input.firstIndex(of: 0) ?? input.endIndex
  let pattern = String(decoding: input[..<split], as: UTF8.self)
  let text = split < input.endIndex ? String(decoding: input[(split + 1)...], as: UTF8.self) : "abc"
  guard let regex = try? RustRegex(pattern, caseInsensitive: bytes[0] & 1 == 1) else { return 0 }
  _ = regex.isMatch(text)
  _ = regex.isMatch("")
  return 0
}
