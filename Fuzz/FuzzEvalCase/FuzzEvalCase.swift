import FlagEngine
import Foundation

/// libFuzzer target: the case decoder of `rollsim eval --contexts`, each input line in turn, checked
/// against Foundation's reading of the same line: the same lines are JSON, and the same values are read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvalCase(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  // Compiling a state interns the properties it reads; these are the ones compared, interned first.
  let fields = comparedFields
  var decoder = CaseDecoder(hostname: "host")
  var context = EvaluationContext()
  let input = UnsafeBufferPointer(start: bytes, count: count)
  for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
    let name: String?
    let foundation = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
    // Both must agree on what is JSON, but for Foundation's leniencies: a trailing comma, and a NUL that
    // ends its reading early. The case decoder keeps to RFC 8259 there, as Python's json does.
    let comparable = !hasTrailingComma(line) && !line.contains(0)
    do {
      name = try decoder.decode(UnsafeBufferPointer(rebasing: line), into: &context, place: "fuzz")
    } catch {
      let syntax = error.message.hasPrefix("not valid JSON") || error.message.hasPrefix("not UTF-8")
      if syntax && foundation != nil && comparable {
        fatalError("refused what Foundation reads: \(error) for \(Array(line))")
      }
      continue
    }
    // A byte-order mark at the start of a line is the decoder's own allowance.
    if name != nil && foundation == nil && line.first != 0xEF {
      fatalError("read what Foundation refuses: \(Array(line))")
    }
    guard let name else { continue }
    // Where Foundation reads the same line as an object with a string toggleName and a valid context,
    // the values must be the same (Foundation may differ on repeated keys: those lines are skipped).
    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
      !hasRepeatedKeys(line), object["toggleName"] as? String == name,
      let reference = try? Context(json: object["context"] ?? [String: Any](), place: "fuzz")
    else { continue }
    var expected = EvaluationContext(reference)
    expected.hostname = "host"
    for field in fields where context[field] != expected[field] {
      fatalError("field \(field) differs: \(String(describing: context[field])) against \(String(describing: expected[field])) for \(String(decoding: line, as: UTF8.self))")
    }
  }
  return 0
}

let comparedFields: [ContextField] = [
  .userId, .sessionId, .environment, .appName, .currentTime, .remoteAddress, ContextField(property: "a"),
  ContextField(property: "userId"),
]

/// Whether any object in the line repeats a key (a rough check: the same quoted key twice before a colon).
func hasRepeatedKeys(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
  let text = String(decoding: line, as: UTF8.self)
  var seen = Set<Substring>()
  var index = text.startIndex
  while let quote = text[index...].firstIndex(of: "\"") {
    guard let end = text[text.index(after: quote)...].firstIndex(of: "\"") else { break }
    let key = text[quote...end]
    let after = text[text.index(after: end)...].drop(while: { $0 == " " })
    if after.first == ":" && !seen.insert(key).inserted { return true }
    index = text.index(after: end)
  }
  return false
}

/// Foundation reads `[1,]` and `{"a":1,}`; JSON (RFC 8259), Python's json and the case decoder do not.
func hasTrailingComma(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
  let bytes = Array(line).filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
  return zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: ",") && ($1 == UInt8(ascii: "}") || $1 == UInt8(ascii: "]")) }
}
