/// One value of a case's context: a standard field or a property, and the span of its decoded value.
struct CaseEntry {
  /// A property, named by `nameStart..<nameEnd`.
  static let property = -1
  /// An entry a later key replaced (a second `properties` or `context`).
  static let replaced = -2

  /// A standard field's slot (0...5), `property` or `replaced`.
  var slot: Int
  var nameStart: Int
  var nameEnd: Int
  /// -1 for null (absent).
  var valueStart: Int
  var valueEnd: Int
}

/// Why a line was refused: the field path inside it (empty for the line itself) and the problem.
struct CaseProblem: Error {
  var path: String
  var message: String
}

/// One pass over a line's bytes (RFC 8259 JSON). A syntax error stops at once; a field of the wrong kind
/// is remembered and reported once the whole line is known to be valid JSON, so a broken line is
/// reported as broken first.
struct CaseLineParser {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0
  /// The first field of the wrong kind.
  private var misfit: CaseProblem?
  /// Strings that are checked but not kept.
  private var skipped: [UInt8] = []

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  private enum Kind {
    case object, list, string, number, boolean, null
    var described: String {
      switch self {
      case .object: "an object"
      case .list: "a list"
      case .string: "a string"
      case .number: "a number"
      case .boolean: "a boolean"
      case .null: "null"
      }
    }
  }

  /// Decodes the line, appending decoded strings to `text` and context values to `entries`; returns the
  /// toggle name's span in `text`, or `nil` for a blank line.
  mutating func parseLine(text: inout [UInt8], entries: inout [CaseEntry]) throws(CaseProblem) -> Range<Int>? {
    // A byte-order mark may start a file; it is not part of the JSON.
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
    skipWhitespace()
    guard index < bytes.count else { return nil }
    var toggle: Range<Int>?
    var toggleMisfit: Kind?
    var sawToggle = false
    if bytes[index] == UInt8(ascii: "{") {
      index += 1
      try members(text: &text) { parser, key, text throws(CaseProblem) in
        if text[key].elementsEqual("toggleName".utf8) {
          sawToggle = true
          if parser.peek == UInt8(ascii: "\"") {
            toggle = try parser.string(into: &text)
            toggleMisfit = nil
          } else {
            toggle = nil
            toggleMisfit = try parser.skipValue(depth: 1)
          }
        } else if text[key].elementsEqual("context".utf8) {
          for index in entries.indices { entries[index].slot = CaseEntry.replaced }
          try parser.context(text: &text, entries: &entries)
        } else {
          _ = try parser.skipValue(depth: 1)
        }
      }
      skipWhitespace()
      guard index == bytes.count else { throw syntax("unexpected text after the object") }
      if toggle == nil {
        let found = toggleMisfit.map { ", found \($0.described)" } ?? ""
        throw CaseProblem(path: "", message: sawToggle ? "'toggleName' must be a string\(found)" : "missing 'toggleName' (a string)")
      }
      if let misfit { throw misfit }
      return toggle
    }
    _ = try skipValue(depth: 0)
    skipWhitespace()
    guard index == bytes.count else { throw syntax("unexpected text after the value") }
    throw CaseProblem(path: "", message: "expected an object with 'toggleName' and 'context'")
  }

  // MARK: The context

  private mutating func context(text: inout [UInt8], entries: inout [CaseEntry]) throws(CaseProblem) {
    guard peek == UInt8(ascii: "{") else {
      let kind = try skipValue(depth: 1)
      remember("context", "expected an object, found \(kind.described)")
      return
    }
    index += 1
    try members(text: &text) { parser, key, text throws(CaseProblem) in
      if let slot = Self.standardSlot(text[key]) {
        try parser.stringOrNull(slot: slot, nameStart: 0, nameEnd: 0, path: { _ in "context.\(Self.standardNames[slot])" },
          text: &text, entries: &entries)
      } else if text[key].elementsEqual("properties".utf8) {
        for index in entries.indices where entries[index].slot == CaseEntry.property {
          entries[index].slot = CaseEntry.replaced
        }
        try parser.properties(text: &text, entries: &entries)
      } else {
        // Unknown fields of the context are ignored, as Unleash's reference engine does.
        _ = try parser.skipValue(depth: 2)
      }
    }
  }

  private mutating func properties(text: inout [UInt8], entries: inout [CaseEntry]) throws(CaseProblem) {
    guard peek == UInt8(ascii: "{") else {
      let kind = try skipValue(depth: 2)
      if kind != .null { remember("context.properties", "expected an object, found \(kind.described)") }
      return
    }
    index += 1
    try members(text: &text) { parser, key, text throws(CaseProblem) in
      // The key stays in `text` as the property's name.
      let (nameStart, nameEnd) = (key.lowerBound, key.upperBound)
      try parser.stringOrNull(
        slot: CaseEntry.property, nameStart: nameStart, nameEnd: nameEnd,
        path: { text in "context.properties.\(String(decoding: text[nameStart..<nameEnd], as: UTF8.self))" },
        text: &text, entries: &entries)
    }
  }

  private mutating func stringOrNull(
    slot: Int, nameStart: Int, nameEnd: Int, path: ([UInt8]) -> String, text: inout [UInt8], entries: inout [CaseEntry]
  ) throws(CaseProblem) {
    if peek == UInt8(ascii: "\"") {
      let value = try string(into: &text)
      entries.append(CaseEntry(slot: slot, nameStart: nameStart, nameEnd: nameEnd, valueStart: value.lowerBound, valueEnd: value.upperBound))
      return
    }
    let kind = try skipValue(depth: 3)
    if kind == .null {
      entries.append(CaseEntry(slot: slot, nameStart: nameStart, nameEnd: nameEnd, valueStart: -1, valueEnd: -1))
    } else {
      remember(path(text), "expected a string or null, found \(kind.described)")
    }
  }

  private static let standardNames = ["userId", "sessionId", "environment", "appName", "currentTime", "remoteAddress"]

  private static func standardSlot(_ key: ArraySlice<UInt8>) -> Int? {
    for (slot, name) in standardNames.enumerated() where key.elementsEqual(name.utf8) { return slot }
    return nil
  }

  private mutating func remember(_ path: String, _ message: String) {
    if misfit == nil { misfit = CaseProblem(path: path, message: message) }
  }

  // MARK: JSON

  private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  private func syntax(_ message: String) -> CaseProblem {
    CaseProblem(path: "", message: "not valid JSON: \(message) at column \(index + 1)")
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws(CaseProblem) {
    skipWhitespace()
    guard peek == byte else { throw syntax(peek == nil ? "the line ends where \(what) was expected" : "expected \(what)") }
    index += 1
  }

  /// The members of an object whose `{` has been read: for each, the key is decoded onto the end of
  /// `text` (its span is passed on; `text` only grows) and `body` reads the value from its first byte.
  private mutating func members(
    text: inout [UInt8], _ body: (inout CaseLineParser, Range<Int>, inout [UInt8]) throws(CaseProblem) -> Void
  ) throws(CaseProblem) {
    skipWhitespace()
    if peek == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      skipWhitespace()
      guard peek == UInt8(ascii: "\"") else { throw syntax(peek == nil ? "the line ends inside an object" : "expected a key (a string)") }
      let key = try string(into: &text)
      try expect(UInt8(ascii: ":"), "':'")
      skipWhitespace()
      guard index < bytes.count else { throw syntax("the line ends where a value was expected") }
      try body(&self, key, &text)
      skipWhitespace()
      switch peek {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return
      case nil: throw syntax("the line ends inside an object")
      default: throw syntax("expected ',' or '}'")
      }
    }
  }

  /// Skips one value (checking it), positioned at its first byte; returns its kind.
  private mutating func skipValue(depth: Int) throws(CaseProblem) -> Kind {
    skipWhitespace()
    guard let byte = peek else { throw syntax("the line ends where a value was expected") }
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      guard depth < CaseDecoder.maximumDepth else { throw syntax("nested deeper than \(CaseDecoder.maximumDepth) levels") }
      index += 1
      let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
      skipWhitespace()
      if peek == close {
        index += 1
        return byte == UInt8(ascii: "{") ? .object : .list
      }
      while true {
        if byte == UInt8(ascii: "{") {
          skipWhitespace()
          guard peek == UInt8(ascii: "\"") else { throw syntax(peek == nil ? "the line ends inside an object" : "expected a key (a string)") }
          try skipString()
          try expect(UInt8(ascii: ":"), "':'")
        }
        _ = try skipValue(depth: depth + 1)
        skipWhitespace()
        if peek == UInt8(ascii: ",") {
          index += 1
        } else if peek == close {
          index += 1
          return byte == UInt8(ascii: "{") ? .object : .list
        } else {
          let inside = byte == UInt8(ascii: "{") ? "an object" : "a list"
          throw syntax(peek == nil ? "the line ends inside \(inside)" : "expected ',' or '\(Character(UnicodeScalar(close)))'")
        }
      }
    case UInt8(ascii: "\""):
      try skipString()
      return .string
    case UInt8(ascii: "t"):
      try literal("true")
      return .boolean
    case UInt8(ascii: "f"):
      try literal("false")
      return .boolean
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try number()
      return .number
    default:
      throw syntax("unexpected character")
    }
  }

  private mutating func literal(_ word: StaticString) throws(CaseProblem) {
    let count = word.utf8CodeUnitCount
    guard bytes.count - index >= count,
      UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(
        UnsafeBufferPointer(start: word.utf8Start, count: count))
    else { throw syntax("unexpected character") }
    index += count
  }

  private mutating func number() throws(CaseProblem) {
    func digits(_ parser: inout CaseLineParser) -> Int {
      let start = parser.index
      while let byte = parser.peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { parser.index += 1 }
      return parser.index - start
    }
    if peek == UInt8(ascii: "-") { index += 1 }
    if peek == UInt8(ascii: "0") {
      index += 1
    } else {
      guard digits(&self) > 0 else { throw syntax("expected a digit") }
    }
    if peek == UInt8(ascii: ".") {
      index += 1
      guard digits(&self) > 0 else { throw syntax("expected a digit") }
    }
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      index += 1
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
      guard digits(&self) > 0 else { throw syntax("expected a digit") }
    }
  }

  private mutating func skipString() throws(CaseProblem) {
    // Checked exactly as a decoded one; the scratch bytes are dropped but their storage is kept.
    var scratch = skipped
    skipped = []
    _ = try string(into: &scratch)
    scratch.removeAll(keepingCapacity: true)
    skipped = scratch
  }

  /// Decodes the string at `index` (its opening quote) onto the end of `text`; returns its span there.
  mutating func string(into text: inout [UInt8]) throws(CaseProblem) -> Range<Int> {
    index += 1
    let start = text.count
    while true {
      // Runs of plain ASCII are copied at once.
      let run = index
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
        index += 1
      }
      if index > run { text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index])) }
      guard let byte = peek else { throw syntax("the line ends inside a string") }
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return start..<text.count
      case UInt8(ascii: "\\"):
        try escape(into: &text)
      case 0x80...:
        try multibyte(into: &text)
      default:
        throw syntax("a control character in a string (escape it)")
      }
    }
  }

  private mutating func escape(into text: inout [UInt8]) throws(CaseProblem) {
    index += 1
    guard let byte = peek else { throw syntax("the line ends inside a string") }
    index += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
    case UInt8(ascii: "b"): text.append(0x08)
    case UInt8(ascii: "f"): text.append(0x0C)
    case UInt8(ascii: "n"): text.append(0x0A)
    case UInt8(ascii: "r"): text.append(0x0D)
    case UInt8(ascii: "t"): text.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try hex4()
      if (0xD800...0xDBFF).contains(scalar) {
        // A high surrogate must be followed by an escaped low one.
        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
          throw syntax("a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true))")
        }
        index += 2
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low) else {
          throw syntax("a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true))")
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        throw syntax("a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true))")
      }
      for unit in UTF8.encode(Unicode.Scalar(scalar)!)! { text.append(unit) }
    default:
      throw syntax("an unknown escape '\\\(Character(UnicodeScalar(byte)))'")
    }
  }

  private mutating func hex4() throws(CaseProblem) -> UInt32 {
    guard bytes.count - index >= 4 else { throw syntax("the line ends inside a \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw syntax("expected four hexadecimal digits after \\u")
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// One UTF-8 sequence of two to four bytes, checked (no overlong forms, surrogates or values past U+10FFFF).
  private mutating func multibyte(into text: inout [UInt8]) throws(CaseProblem) {
    let lead = bytes[index]
    let count: Int
    let minimum: UInt32
    var scalar: UInt32
    switch lead {
    case 0xC2...0xDF: (count, minimum, scalar) = (2, 0x80, UInt32(lead & 0x1F))
    case 0xE0...0xEF: (count, minimum, scalar) = (3, 0x800, UInt32(lead & 0x0F))
    case 0xF0...0xF4: (count, minimum, scalar) = (4, 0x10000, UInt32(lead & 0x07))
    default: throw CaseProblem(path: "", message: "not UTF-8 text at column \(index + 1)")
    }
    guard bytes.count - index >= count else { throw CaseProblem(path: "", message: "not UTF-8 text at column \(index + 1)") }
    for offset in 1..<count {
      let byte = bytes[index + offset]
      guard byte & 0xC0 == 0x80 else { throw CaseProblem(path: "", message: "not UTF-8 text at column \(index + 1)") }
      scalar = scalar << 6 | UInt32(byte & 0x3F)
    }
    guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
      throw CaseProblem(path: "", message: "not UTF-8 text at column \(index + 1)")
    }
    text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + count]))
    index += count
  }
}
