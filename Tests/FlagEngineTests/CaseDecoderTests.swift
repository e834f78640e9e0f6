import Foundation
import Testing

@testable import FlagEngine

/// The case decoder of `rollsim eval --contexts` must read a line exactly as `Context(json:place:)` reads
/// the same JSON through Foundation, and refuse what it refuses.
@Suite struct CaseDecoderTests {
  static let standard: [(String, ContextField)] = [
    ("userId", .userId), ("sessionId", .sessionId), ("environment", .environment), ("appName", .appName),
    ("currentTime", .currentTime), ("remoteAddress", .remoteAddress),
  ]

  /// The toggle name and the context's values, read by the decoder.
  func decode(_ line: String, hostname: String? = nil, properties: [String] = []) throws -> (String?, [String: String]) {
    var decoder = CaseDecoder(hostname: hostname)
    var context = EvaluationContext()
    let name = try Array(line.utf8).withUnsafeBufferPointer { try decoder.decode($0, into: &context, place: "cases.jsonl:3") }
    return (name, Self.values(context, properties: properties))
  }

  static func values(_ context: EvaluationContext, properties: [String]) -> [String: String] {
    var values: [String: String] = [:]
    for (name, field) in standard { values[name] = context[field] }
    for name in properties { values["properties.\(name)"] = context[ContextField(property: name)] }
    return values
  }

  func refusal(_ line: String) -> String? {
    do {
      _ = try decode(line)
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// Decodes `object` both ways and compares; the properties are interned first, as compiling a state does.
  func agree(_ object: [String: Any]) throws {
    let line = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    let reference = try Context(json: object["context"] ?? [String: Any](), place: "context")
    let names = Array(reference.properties.keys)
    for name in names { _ = ContextField(property: name) }
    let (name, values) = try decode(line, properties: names)
    #expect(name == object["toggleName"] as? String, "\(line)")
    #expect(values == Self.values(EvaluationContext(reference), properties: names), "\(line)")
  }

  @Test func readsEveryCaseOfTheClientSpecificationAsFoundationDoes() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: specificationDirectory).filter { $0.hasSuffix(".json") && $0 != "index.json" }
    var count = 0
    for file in files {
      let data = try Data(contentsOf: URL(fileURLWithPath: specificationDirectory).appendingPathComponent(file))
      let suite = try JSONSerialization.jsonObject(with: data) as! [String: Any]
      for key in ["tests", "variantTests"] {
        for test in suite[key] as? [[String: Any]] ?? [] {
          // The whole test object: its other fields (description, expectedResult) are ignored.
          try agree(test)
          count += 1
        }
      }
    }
    #expect(count > 250)
  }

  @Test func readsGeneratedContextsAsFoundationDoes() throws {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let pieces = ["a", "Z", "7", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "日本", "😀", "\u{FEFF}", "userId", "-", "."]
    func text() -> String { (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined() }
    for _ in 0..<2_000 {
      var context: [String: Any] = [:]
      for (name, _) in Self.standard where next(3) == 0 { context[name] = next(5) == 0 ? NSNull() : text() }
      if next(2) == 0 {
        var properties: [String: Any] = [:]
        for _ in 0..<next(4) {
          let name = next(4) == 0 ? ["userId", "sessionId", "environment", "remoteAddress"][next(4)] : "p" + text()
          properties[name] = next(6) == 0 ? NSNull() : text()
        }
        context["properties"] = next(8) == 0 ? NSNull() : properties
      }
      if next(4) == 0 { context["extra"] = ["nested": [1, 2.5, true, NSNull(), ["x": "y"]]] }
      try agree(["toggleName": text(), "context": context, "expectedResult": true])
    }
  }

  @Test func theLastOfARepeatedKeyCountsAndPropertiesStandIn() throws {
    #expect(try decode(#"{"toggleName":"a","toggleName":"b"}"#).0 == "b")
    let (_, replaced) = try decode(#"{"toggleName":"t","context":{"userId":"1"},"context":{"sessionId":"2"}}"#)
    #expect(replaced["userId"] == nil && replaced["sessionId"] == "2")
    let (_, fields) = try decode(#"{"toggleName":"t","context":{"userId":"u","userId":"v","environment":null,"properties":{"userId":"p","environment":"prod","sessionId":"s"}}}"#)
    #expect(fields["userId"] == "v")
    #expect(fields["environment"] == "prod")
    #expect(fields["sessionId"] == "s")
    let (_, dropped) = try decode(#"{"toggleName":"t","context":{"properties":{"sessionId":"s"},"properties":null}}"#)
    #expect(dropped["sessionId"] == nil)
  }

  @Test func readsJSONStringsAndSkipsWhatItDoesNotUse() throws {
    let (name, values) = try decode(
      "\u{FEFF} {\"extra\": {\"a\": [1, -2.5e+3, true, false, null, {\"b\": []}]}, \"toggleName\": \"caf\\u00e9 \\ud83d\\ude00\\n\\\"\\\\\\/\" ,"
        + " \"context\": {\"userId\": \"\u{65e5}\", \"other\": [[]], \"properties\": {}}}\r")
    #expect(name == "café 😀\n\"\\/")
    #expect(values["userId"] == "日")
    #expect(try decode("  \t\r").0 == nil)
    #expect(try decode("").0 == nil)
    // Nesting up to the limit is read; one level more is refused, without exhausting the stack.
    let deep = String(repeating: "[", count: CaseDecoder.maximumDepth - 1) + String(repeating: "]", count: CaseDecoder.maximumDepth - 1)
    #expect(try decode(#"{"toggleName":"t","x":"# + deep + "}").0 == "t")
    let deeper = String(repeating: "[", count: 100_000)
    #expect(refusal(#"{"toggleName":"t","x":"# + deeper + "}")?.contains("nested deeper than 512 levels") == true)
  }

  @Test func keepsTheHostName() throws {
    var decoder = CaseDecoder(hostname: "Build-7")
    var context = EvaluationContext()
    _ = try Array(#"{"toggleName":"t","context":{"userId":"1"}}"#.utf8).withUnsafeBufferPointer {
      try decoder.decode($0, into: &context, place: "x")
    }
    #expect(context.hostname == "build-7")
    #expect(context[.userId] == "1")
  }

  @Test func malformedLinesNameThePlaceAndTheProblem() {
    #expect(refusal(#"{"toggleName":"on","context":{"userId":7}}"#) == "cases.jsonl:3: context.userId: expected a string or null, found a number")
    #expect(refusal(#"{"toggleName":"on","context":{"properties":{"hw":true}}}"#) == "cases.jsonl:3: context.properties.hw: expected a string or null, found a boolean")
    #expect(refusal(#"{"toggleName":"on","context":{"properties":[]}}"#) == "cases.jsonl:3: context.properties: expected an object, found a list")
    #expect(refusal(#"{"toggleName":"on","context":"u1"}"#) == "cases.jsonl:3: context: expected an object, found a string")
    #expect(refusal(#"{"toggleName":"on","context":null}"#) == "cases.jsonl:3: context: expected an object, found null")
    #expect(refusal(#"{"context":{}}"#) == "cases.jsonl:3: missing 'toggleName' (a string)")
    #expect(refusal(#"{"toggleName":null}"#) == "cases.jsonl:3: 'toggleName' must be a string, found null")
    #expect(refusal(#"["on"]"#) == "cases.jsonl:3: expected an object with 'toggleName' and 'context'")
    // Broken JSON is reported as such first, with its column, even after a field of the wrong kind.
    #expect(refusal(#"{"toggleName":"on","context":{"userId":7}"#) == "cases.jsonl:3: not valid JSON: the line ends inside an object at column 42")
    #expect(refusal(#"{"toggleName":"on",}"#) == "cases.jsonl:3: not valid JSON: expected a key (a string) at column 20")
    #expect(refusal(#"{"toggleName":"on"} x"#) == "cases.jsonl:3: not valid JSON: unexpected text after the object at column 21")
    #expect(refusal(#"{"toggleName":"o"#) == "cases.jsonl:3: not valid JSON: the line ends inside a string at column 17")
    #expect(refusal("{\"toggleName\":\"a\tb\"}") == "cases.jsonl:3: not valid JSON: a control character in a string (escape it) at column 17")
    #expect(refusal(#"{"toggleName":"\ud800"}"#) == "cases.jsonl:3: not valid JSON: a lone surrogate \\uD800 at column 22")
    #expect(refusal(#"{"toggleName":"\x"}"#) == "cases.jsonl:3: not valid JSON: an unknown escape '\\x' at column 18")
    #expect(refusal(#"{"toggleName":"a","n":01}"#) == "cases.jsonl:3: not valid JSON: expected ',' or '}' at column 24")
    #expect(refusal(#"{"toggleName":"a","n":-}"#) == "cases.jsonl:3: not valid JSON: expected a digit at column 24")
    #expect(refusal(#"{"toggleName":"a","n":tru}"#) == "cases.jsonl:3: not valid JSON: unexpected character at column 23")
    // Found by fuzzing against Foundation, which reads both: JSON (and Python's json, and the Unleash
    // specification's files) has no trailing comma, and a NUL does not end a line.
    #expect(refusal(#"{"toggleName":"F9.globalSegmentOn",}"#) == "cases.jsonl:3: not valid JSON: expected a key (a string) at column 36")
    #expect(refusal("7\u{0}\u{0}7") == "cases.jsonl:3: not valid JSON: unexpected text after the value at column 2")
    #expect(refusal(String(decoding: [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D], as: UTF8.self)) != nil)
    let overlong = [UInt8](#"{"toggleName":""#.utf8) + [0xC0, 0xAF] + [UInt8](#""}"#.utf8)
    var decoder = CaseDecoder()
    var context = EvaluationContext()
    #expect(throws: FlagEngineError.self) {
      _ = try overlong.withUnsafeBufferPointer { try decoder.decode($0, into: &context, place: "x") }
    }
  }

  @Test func propertiesNoStateReadsAreNotInterned() throws {
    // Interning every name would let memory grow with a stream of distinct property names.
    let name = "never-read-\(UUID().uuidString)"
    let (_, values) = try decode(#"{"toggleName":"t","context":{"userId":"u","properties":{"\#(name)":"x"}}}"#)
    #expect(values["userId"] == "u")
    #expect(FieldRegistry.shared.existingPropertySlot(name) == nil)
  }
}
