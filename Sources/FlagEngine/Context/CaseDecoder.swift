/// Reads evaluation cases, one JSON object per line: `{"toggleName": ..., "context": {...}}` (the shape of
/// the Unleash client specification's tests and of `rollsim eval --contexts`), straight into an
/// `EvaluationContext`.
///
/// The context follows the rules of `Context(json:place:)`: the standard fields and the properties are
/// strings or null (null means absent), `properties` is an object or null, other fields of the line and
/// of the context are ignored, and a property named `userId`, `sessionId`, `environment` or
/// `remoteAddress` stands in for the missing field. Where a key appears twice, the last one counts.
///
/// Written by hand rather than with JSONSerialization, for two reasons: a line is read without allocating
/// once the buffers have grown (several times faster), and a property that no compiled state reads is
/// checked but not interned, so memory stays bounded however many distinct property names a stream holds.
/// A property is interned once a `FlagState` that reads it has been compiled: compile the state first.
public struct CaseDecoder {
  /// Deepest nesting of arrays and objects accepted (as Foundation's JSON reader).
  public static let maximumDepth = 512

  /// Decoded strings of the current line, back to back.
  private var text: [UInt8] = []
  /// The current line's context values.
  private var entries: [CaseEntry] = []
  private let hostname: [UInt8]?
  /// Per standard field: the index of its last entry, and of the last property standing in for it.
  private var lastField = [Int](repeating: -1, count: 6)
  private var lastStandIn = [Int](repeating: -1, count: 6)

  /// `hostname` is kept in every context filled (see `EvaluationContext.hostname`).
  public init(hostname: String? = nil) {
    self.hostname = hostname.map { Array($0.lowercased().utf8) }
    text.reserveCapacity(256)
    entries.reserveCapacity(16)
  }

  /// Reads one line (without its line break) into `context`, replacing its values, and returns the
  /// toggle name; `nil` for a line of white space only (the context is then untouched).
  ///
  /// A line that is not valid JSON or not UTF-8, not an object, without a string `toggleName`, or whose
  /// context breaks the rules above is refused with a message naming `place` and the field.
  ///
  /// - Complexity: O(length of the line).
  public mutating func decode(
    _ line: UnsafeBufferPointer<UInt8>, into context: inout EvaluationContext, place: @autoclosure () -> String
  ) throws(FlagEngineError) -> String? {
    text.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
    var parser = CaseLineParser(bytes: line)
    let toggle: Range<Int>?
    do {
      toggle = try parser.parseLine(text: &text, entries: &entries)
    } catch {
      let line = place()
      throw FlagEngineError(.malformedContext, place: error.path.isEmpty ? line : "\(line): \(error.path)", error.message)
    }
    guard let toggle else { return nil }
    fill(&context)
    return text.withUnsafeBufferPointer { String(decoding: $0[toggle], as: UTF8.self) }
  }

  private mutating func fill(_ context: inout EvaluationContext) {
    context.removeAll()
    if let hostname { hostname.withUnsafeBufferPointer { context.set(.hostname, utf8: $0) } }
    for slot in 0..<6 {
      lastField[slot] = -1
      lastStandIn[slot] = -1
    }
    text.withUnsafeBufferPointer { text in
      func value(_ entry: CaseEntry) -> UnsafeBufferPointer<UInt8>? {
        entry.valueStart < 0 ? nil : UnsafeBufferPointer(rebasing: text[entry.valueStart..<entry.valueEnd])
      }
      for (index, entry) in entries.enumerated() {
        if entry.slot >= 0 {
          lastField[entry.slot] = index
        } else if entry.slot == CaseEntry.property {
          let name = UnsafeBufferPointer(rebasing: text[entry.nameStart..<entry.nameEnd])
          if let slot = Self.standInSlot(name) { lastStandIn[slot] = index }
          // Set in order, so that the last of a repeated name counts (null removes).
          if let slot = FieldRegistry.shared.existingPropertySlot(String(decoding: name, as: UTF8.self)) {
            context.set(ContextField(slot: slot), utf8: value(entry))
          }
        }
      }
      for slot in 0..<6 {
        var bytes = lastField[slot] >= 0 ? value(entries[lastField[slot]]) : nil
        if bytes == nil && lastStandIn[slot] >= 0 { bytes = value(entries[lastStandIn[slot]]) }
        if let bytes { context.set(ContextField(slot: slot), utf8: bytes) }
      }
    }
  }

  /// The standard field a property of this name stands in for.
  private static func standInSlot(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
    switch name.count {
    case 6 where name.elementsEqual("userId".utf8): return ContextField.userId.slot
    case 9 where name.elementsEqual("sessionId".utf8): return ContextField.sessionId.slot
    case 11 where name.elementsEqual("environment".utf8): return ContextField.environment.slot
    case 13 where name.elementsEqual("remoteAddress".utf8): return ContextField.remoteAddress.slot
    default: return nil
    }
  }
}
