import FlagEngine
import Foundation
import Yams

/// Decodes a YAML document into `Decodable` values the way a scenario must be read: strictly.
///
/// - Every key of every mapping must be one the decoded type asks for: an unknown or misspelt key is an
///   error naming it, its line, and the nearest known key ("did you mean 'faults'?"), never a silent default.
/// - A key given twice in one mapping is an error (YAML parsers keep one of them silently).
/// - Scalars are typed by what they look like, not coerced: `probability: "0.04"` is a string, not a number;
///   booleans are `true` or `false`; whole numbers have no fraction; numbers are finite.
/// - An explicit null (`key:` with nothing, `~`) is not "absent": a field that needs a value says so.
/// - Every error carries the path of keys and the line and column of the node it is about.
///
/// Yams parses the text into nodes (with their marks); this decoder walks the nodes, remembering for each
/// mapping which keys the types asked for, and afterwards reports any key nobody asked for.
struct StrictYAMLDecoder {
  /// Keys accepted without being read, per mapping path. Unleash's client-features payload carries
  /// informational fields (`type`, `project`, `stale`, ...) that evaluation ignores, as every SDK does.
  var ignoredKeys: (_ path: String) -> Set<String> = { _ in [] }

  /// At most this many nodes, aliases expanded: a document of a few aliases can otherwise stand for
  /// billions of nodes.
  static let nodeLimit = 2_000_000
  /// At most this deep: types decode recursively.
  static let depthLimit = 64

  /// Decodes `type` from `text`; the document is returned too, to place later errors (from validation)
  /// on their lines.
  func decode<T: Decodable>(_ type: T.Type, from text: String) throws(YAMLFailure) -> (T, YAMLDocument) {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw YAMLFailure(path: "", location: nil, "the file is empty (expected a scenario: a mapping with name, duration, fleet, flags, release and policies)")
      }
      root = node
    } catch let failure as YAMLFailure {
      throw failure
    } catch let error as YamlError {
      throw YAMLFailure.syntax(error)
    } catch {
      throw YAMLFailure(path: "", location: nil, "not valid YAML: \(error)")
    }
    let document = YAMLDocument(root: root)
    try document.checkShape()
    let record = KeyRecord()
    let value: T
    do {
      value = try T(from: NodeDecoder(node: root, codingPath: [], record: record))
    } catch let failure as YAMLFailure {
      throw failure
    } catch let error as DecodingError {
      throw document.failure(error)
    } catch {
      throw YAMLFailure(path: "", location: root.location, "\(error)")
    }
    try document.checkUnknownKeys(record, ignoredKeys: ignoredKeys)
    return (value, document)
  }
}

/// A line and a column in a text file, both from 1.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var description: String { "\(line):\(column)" }
}

/// A decoding problem: the path of keys (`fleet.regions[2].share`), where it is, and what is wrong.
struct YAMLFailure: Error, Sendable {
  var path: String
  var location: SourceLocation?
  var message: String

  init(path: String, location: SourceLocation?, _ message: String) {
    self.path = path
    self.location = location
    self.message = message
  }

  static func syntax(_ error: YamlError) -> YAMLFailure {
    // Yams' description repeats the document; keep the problem and its position.
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
      var message = "not valid YAML: \(problem)"
      if let context { message += " \(context.text)" }
      return YAMLFailure(path: "", location: SourceLocation(line: mark.line, column: mark.column), message)
    case .composer(_, let problem, let mark, _):
      return YAMLFailure(path: "", location: SourceLocation(line: mark.line, column: mark.column), "not valid YAML: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      return YAMLFailure(
        path: "", location: SourceLocation(line: context.mark.line, column: context.mark.column),
        "\(names) given twice in the same mapping (a YAML parser would silently keep one)")
    default:
      let text = "\(error)"
      return YAMLFailure(path: "", location: nil, "not valid YAML: " + (text.split(separator: "\n").first.map(String.init) ?? text))
    }
  }
}

// MARK: - The document: shape checks, unknown keys, and where a path is

/// A parsed document: finds the node at a path of keys, for errors raised after decoding.
struct YAMLDocument: @unchecked Sendable {
  // Nodes are immutable values; Yams does not mark them Sendable.
  let root: Node

  /// Refuses what decoding would silently resolve: duplicate keys, keys that are not plain text, documents
  /// too large or too deep.
  func checkShape() throws(YAMLFailure) {
    var count = 0
    func walk(_ node: Node, _ path: String, _ depth: Int) throws(YAMLFailure) {
      count += 1
      guard count <= StrictYAMLDecoder.nodeLimit else {
        throw YAMLFailure(path: path, location: node.location, "the document has more than \(StrictYAMLDecoder.nodeLimit) nodes (aliases expanded)")
      }
      guard depth <= StrictYAMLDecoder.depthLimit else {
        throw YAMLFailure(path: path, location: node.location, "nested more than \(StrictYAMLDecoder.depthLimit) levels deep")
      }
      switch node {
      case .mapping(let mapping):
        var seen: [String: SourceLocation?] = [:]
        for (key, value) in mapping {
          guard case .scalar(let scalar) = key else {
            throw YAMLFailure(path: path, location: key.location, "a key must be plain text, not a \(key.kindName)")
          }
          let name = scalar.string
          let keyPath = Path.appending(path, key: name)
          if let first = seen[name] {
            let earlier = first.map { " (first on line \($0.line))" } ?? ""
            throw YAMLFailure(path: keyPath, location: key.location, "'\(name)' is given twice in the same mapping\(earlier)")
          }
          seen[name] = key.location
          try walk(value, keyPath, depth + 1)
        }
      case .sequence(let sequence):
        for (index, element) in sequence.enumerated() { try walk(element, Path.appending(path, index: index), depth + 1) }
      case .scalar, .alias:
        break
      }
    }
    try walk(root, "", 0)
  }

  /// Every key of every mapping that was decoded must have been asked for by the type decoding it.
  func checkUnknownKeys(_ record: KeyRecord, ignoredKeys: (String) -> Set<String>) throws(YAMLFailure) {
    func walk(_ node: Node, _ path: String) throws(YAMLFailure) {
      switch node {
      case .mapping(let mapping):
        if let asked = record.asked[path], !record.listed.contains(path) {
          let ignored = ignoredKeys(path)
          for (key, _) in mapping {
            let name = key.scalar?.string ?? ""
            guard !asked.contains(name), !ignored.contains(name) else { continue }
            var message = "unknown field '\(name)'"
            if let near = Spelling.suggestion(for: name, among: asked) {
              message += "; did you mean '\(near)'?"
            } else if !asked.isEmpty {
              message += "; expected one of: \(asked.sorted().joined(separator: ", "))"
            }
            throw YAMLFailure(path: Path.appending(path, key: name), location: key.location, message)
          }
        }
        for (key, value) in mapping { try walk(value, Path.appending(path, key: key.scalar?.string ?? "")) }
      case .sequence(let sequence):
        for (index, element) in sequence.enumerated() { try walk(element, Path.appending(path, index: index)) }
      case .scalar, .alias:
        break
      }
    }
    try walk(root, "")
  }

  /// The node at a path such as `fleet.regions[2].share`, or the deepest node on the way there (a missing
  /// key is placed at the mapping that lacks it). Keys may themselves hold dots (`appVersions.ios.1.2.0`).
  ///
  /// With `key`, the place of the last key itself rather than of its value (an unknown key's error).
  func location(of path: String, key: Bool = false) -> SourceLocation? {
    var node = root
    var lastKey: Node?
    var rest = Substring(path)
    while !rest.isEmpty {
      if rest.first == "." { rest = rest.dropFirst() }
      if rest.first == "[" {
        guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
          case .sequence(let sequence) = node, sequence.indices.contains(index)
        else { break }
        node = sequence[index]
        rest = rest[rest.index(after: close)...]
        continue
      }
      guard case .mapping(let mapping) = node else { break }
      // The longest key that the path continues with.
      var best: (key: String, value: Node)?
      for (key, value) in mapping {
        guard let name = key.scalar?.string, rest.hasPrefix(name) else { continue }
        let after = rest.dropFirst(name.count)
        guard after.isEmpty || after.first == "." || after.first == "[" else { continue }
        if name.count > best?.key.count ?? -1 { best = (name, value) }
      }
      guard let best else { break }
      lastKey = mapping.first { $0.key.scalar?.string == best.key }?.key
      node = best.value
      rest = rest.dropFirst(best.key.count)
    }
    if key, rest.isEmpty, let lastKey { return lastKey.location }
    return node.location
  }

  /// A Swift `DecodingError` raised by a type's own decoding code, placed on its line.
  func failure(_ error: DecodingError) -> YAMLFailure {
    switch error {
    case .keyNotFound(let key, let context):
      let path = Path.text(context.codingPath)
      return YAMLFailure(path: path, location: location(of: path), "missing required field '\(key.stringValue)'")
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      let path = Path.text(context.codingPath)
      let aboutKey = context.debugDescription.hasPrefix("unknown field") || context.debugDescription.hasPrefix("'\(context.codingPath.last?.stringValue ?? "")' applies to")
      return YAMLFailure(path: path, location: location(of: path, key: aboutKey), context.debugDescription)
    @unknown default:
      return YAMLFailure(path: "", location: nil, "\(error)")
    }
  }
}

/// Which keys the types asked for, per mapping path.
final class KeyRecord {
  var asked: [String: Set<String>] = [:]
  /// Mappings read whole (`allKeys`): dictionaries of names, whose keys are data, not fields.
  var listed: Set<String> = []
}

/// Paths of keys as the messages write them: `fleet.regions[2].share`.
enum Path {
  static func appending(_ path: String, key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
  static func appending(_ path: String, index: Int) -> String { "\(path)[\(index)]" }

  static func text(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if key is IndexKey, let index = key.intValue {
        text = appending(text, index: index)
      } else if key.stringValue.hasPrefix("Index "), let index = key.intValue {
        text = appending(text, index: index)  // Swift's own index keys, from decoders other than this one
      } else {
        text = appending(text, key: key.stringValue)
      }
    }
    return text
  }
}

/// The key of a list element.
struct IndexKey: CodingKey {
  var stringValue: String { "Index \(index)" }
  var intValue: Int? { index }
  let index: Int
  init(_ index: Int) { self.index = index }
  init?(stringValue: String) { nil }
  init?(intValue: Int) { self.index = intValue }
}

/// A mapping key by name.
struct NameKey: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

extension Node {
  var location: SourceLocation? { mark.map { SourceLocation(line: $0.line, column: $0.column) } }

  /// What a reader calls this node in a message: `a mapping`, `a list`, `the text 'six'`, `nothing`.
  var kindName: String {
    switch self {
    case .mapping: return "mapping"
    case .sequence: return "list"
    case .alias: return "alias"
    case .scalar: return "value"
    }
  }

  var found: String {
    switch self {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      if scalar.isNull { return "nothing (null)" }
      let text = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
      if scalar.style != .plain { return "the string \"\(text)\"" }
      if scalar.plainNumber != nil { return text }
      if scalar.plainBool != nil { return text }
      return "'\(text)'"
    }
  }
}

extension Node.Scalar {
  var isNull: Bool { style == .plain && ["", "~", "null", "Null", "NULL"].contains(string) }

  var plainBool: Bool? {
    guard style == .plain else { return nil }
    switch string {
    case "true", "True", "TRUE": return true
    case "false", "False", "FALSE": return false
    default: return nil
    }
  }

  /// A plain scalar that reads as a number: `12`, `-3`, `0.04`, `1e-3`, `10_000` (YAML 1.1's digit groups).
  var plainNumber: Double? {
    guard style == .plain, let first = string.unicodeScalars.first, first == "-" || first == "+" || first == "." || ("0"..."9").contains(first)
    else { return nil }
    let digits = string.replacingOccurrences(of: "_", with: "")
    guard digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || "+-.eE".unicodeScalars.contains($0) }) else { return nil }
    return Double(digits)
  }

  /// A plain scalar that reads as a whole number, exactly.
  var plainInteger: Int64?? {
    guard style == .plain else { return nil }
    var digits = string.replacingOccurrences(of: "_", with: "")
    if digits.hasPrefix("+") { digits.removeFirst() }
    let body = digits.hasPrefix("-") ? digits.dropFirst() : Substring(digits)
    guard !body.isEmpty, body.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
    return .some(Int64(digits))  // .some(nil): whole, but out of Int64's range
  }
}

// MARK: - The decoder

struct NodeDecoder: Decoder {
  let node: Node
  let codingPath: [any CodingKey]
  let record: KeyRecord
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  var path: String { Path.text(codingPath) }

  func fail(_ message: String) -> YAMLFailure { YAMLFailure(path: path, location: node.location, message) }

  func mismatch(_ expected: String) -> YAMLFailure { fail("expected \(expected), found \(node.found)") }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .mapping(let mapping) = node else { throw mismatch("a mapping") }
    if record.asked[path] == nil { record.asked[path] = [] }
    return KeyedDecodingContainer(KeyedNodeContainer<Key>(mapping: mapping, decoder: self))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .sequence(let sequence) = node else { throw mismatch("a list") }
    return UnkeyedNodeContainer(elements: Array(sequence), decoder: self)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

  func child(_ node: Node, key: any CodingKey) -> NodeDecoder {
    NodeDecoder(node: node, codingPath: codingPath + [key], record: record)
  }

  // Scalars, each with the message a person understands.

  var scalar: Node.Scalar? { if case .scalar(let scalar) = node { return scalar } else { return nil } }

  func decodeBool() throws -> Bool {
    guard let value = scalar?.plainBool else { throw mismatch("true or false") }
    return value
  }

  func decodeString() throws -> String {
    guard let scalar, !scalar.isNull else { throw mismatch("a string") }
    return scalar.string
  }

  func decodeDouble() throws -> Double {
    guard let value = scalar?.plainNumber else { throw mismatch("a number") }
    guard value.isFinite else { throw fail("\(scalar!.string) is not a finite number") }
    return value
  }

  func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
    guard let whole = scalar?.plainInteger else {
      if let number = scalar?.plainNumber, number.isFinite { throw fail("expected a whole number, found \(scalar!.string)") }
      throw mismatch(T.isSigned ? "a whole number" : "a whole number, 0 or more")
    }
    guard let wide = whole, let value = T(exactly: wide) else {
      let low = T.min, high = T.max
      throw fail("\(scalar!.string) is out of range (\(low)...\(high))")
    }
    return value
  }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let mapping: Node.Mapping
  let decoder: NodeDecoder

  var codingPath: [any CodingKey] { decoder.codingPath }

  var allKeys: [Key] {
    decoder.record.listed.insert(decoder.path)
    return mapping.compactMap { key, _ in key.scalar.flatMap { Key(stringValue: $0.string) } }
  }

  func node(_ key: Key) -> Node? {
    decoder.record.asked[decoder.path, default: []].insert(key.stringValue)
    return mapping.first { $0.key.scalar?.string == key.stringValue }?.value
  }

  func contains(_ key: Key) -> Bool { node(key) != nil }

  func childDecoder(_ key: Key) throws -> NodeDecoder {
    guard let value = node(key) else {
      // A required field that is missing is most often a field misspelt: point at the misspelling.
      let names = mapping.compactMap { $0.key.scalar?.string }
      if let near = Spelling.suggestion(for: key.stringValue, among: names),
        let misspelt = mapping.first(where: { $0.key.scalar?.string == near })?.key
      {
        throw YAMLFailure(
          path: Path.appending(decoder.path, key: near), location: misspelt.location,
          "unknown field '\(near)'; did you mean '\(key.stringValue)'? (a required field)")
      }
      throw YAMLFailure(path: decoder.path, location: decoder.node.location, "missing required field '\(key.stringValue)'")
    }
    return decoder.child(value, key: NameKey(key.stringValue))
  }

  /// An explicit null is not taken for "absent" (an empty `probability:` is a slip, not a default), so a
  /// field that is present is decoded, and its decoder says what it expected. Types that accept null
  /// (JSON payloads) decode it themselves.
  func decodeNil(forKey key: Key) throws -> Bool { false }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try childDecoder(key).decodeBool() }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try childDecoder(key).decodeString() }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try childDecoder(key).decodeDouble() }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try childDecoder(key).decodeDouble()) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try childDecoder(key).decodeInteger(Int.self) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try childDecoder(key).decodeInteger(Int8.self) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try childDecoder(key).decodeInteger(Int16.self) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try childDecoder(key).decodeInteger(Int32.self) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try childDecoder(key).decodeInteger(Int64.self) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try childDecoder(key).decodeInteger(UInt.self) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try childDecoder(key).decodeInteger(UInt8.self) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try childDecoder(key).decodeInteger(UInt16.self) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try childDecoder(key).decodeInteger(UInt32.self) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try childDecoder(key).decodeInteger(UInt64.self) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: childDecoder(key)) }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
    try childDecoder(key).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try childDecoder(key).unkeyedContainer() }

  func superDecoder() throws -> any Decoder { decoder }

  func superDecoder(forKey key: Key) throws -> any Decoder { try childDecoder(key) }
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
  let elements: [Node]
  let decoder: NodeDecoder
  var currentIndex = 0

  init(elements: [Node], decoder: NodeDecoder) {
    self.elements = elements
    self.decoder = decoder
  }

  var codingPath: [any CodingKey] { decoder.codingPath }
  var count: Int? { elements.count }
  var isAtEnd: Bool { currentIndex >= elements.count }

  mutating func next() throws -> NodeDecoder {
    guard !isAtEnd else { throw decoder.fail("the list ends before element \(currentIndex)") }
    defer { currentIndex += 1 }
    return decoder.child(elements[currentIndex], key: IndexKey(currentIndex))
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, case .scalar(let scalar) = elements[currentIndex], scalar.isNull else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decodeBool() }
  mutating func decode(_ type: String.Type) throws -> String { try next().decodeString() }
  mutating func decode(_ type: Double.Type) throws -> Double { try next().decodeDouble() }
  mutating func decode(_ type: Float.Type) throws -> Float { Float(try next().decodeDouble()) }
  mutating func decode(_ type: Int.Type) throws -> Int { try next().decodeInteger(Int.self) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decodeInteger(Int8.self) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decodeInteger(Int16.self) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decodeInteger(Int32.self) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decodeInteger(Int64.self) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decodeInteger(UInt.self) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decodeInteger(UInt8.self) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decodeInteger(UInt16.self) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decodeInteger(UInt32.self) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decodeInteger(UInt64.self) }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    try next().container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

  mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleNodeContainer: SingleValueDecodingContainer {
  let decoder: NodeDecoder
  var codingPath: [any CodingKey] { decoder.codingPath }

  func decodeNil() -> Bool { decoder.scalar?.isNull ?? false }
  func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool() }
  func decode(_ type: String.Type) throws -> String { try decoder.decodeString() }
  func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble() }
  func decode(_ type: Float.Type) throws -> Float { Float(try decoder.decodeDouble()) }
  func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(Int.self) }
  func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(Int8.self) }
  func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(Int16.self) }
  func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(Int32.self) }
  func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(Int64.self) }
  func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(UInt.self) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(UInt8.self) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(UInt16.self) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(UInt32.self) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(UInt64.self) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}
