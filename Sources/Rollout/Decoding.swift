import FlagEngine

// Decoding support shared by the policy types: strict objects, named values, trimmed text.

/// A coding key for any field name, to list what an object holds.
struct AnyCodingKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

extension Decoder {
  /// Refuses fields the type does not know: a misspelt field in a scenario is an error, not a silent default.
  /// `allowing`: fields another module reads from the same object.
  func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, allowing others: Set<String> = []) throws {
    let known = Set(Keys.allCases.map(\.stringValue)).union(others)
    let container = try self.container(keyedBy: AnyCodingKey.self)
    for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !known.contains(key.stringValue) {
      let hint = Spelling.suggestion(for: key.stringValue, among: known).map { "did you mean '\($0)'?" }
        ?? "expected one of: \(known.sorted().joined(separator: ", "))"
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: codingPath + [key], debugDescription: "unknown field '\(key.stringValue)'; \(hint)"))
    }
  }
}

/// Decodes a string-valued enumeration and names the allowed values when the string is not one of them.
func decodeNamedValue<Value: RawRepresentable & CaseIterable>(
  _ type: Value.Type, from decoder: any Decoder, aliases: [String: Value] = [:]
) throws -> Value where Value.RawValue == String {
  let container = try decoder.singleValueContainer()
  let text = try container.decode(String.self)
  guard let value = Value(rawValue: text) ?? aliases[text] else {
    throw DecodingError.dataCorruptedError(
      in: container,
      debugDescription: "unknown value '\(text)'; "
        + (Spelling.suggestion(for: text, among: Value.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
          ?? "expected one of: \(Value.allCases.map(\.rawValue).joined(separator: ", "))"))
  }
  return value
}

extension String {
  var trimmingSpaces: Substring {
    var text = self[...]
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return text
  }
}

/// Sample sizes are counts of sessions: at most a trillion, which no window reaches.
func checkSample(_ value: UInt64, _ path: String) throws(PolicyError) {
  guard value <= 1_000_000_000_000 else { throw PolicyError(path: path, "\(value) is not a number of sessions in 0...1000000000000") }
}
